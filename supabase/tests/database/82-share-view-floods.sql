-- Anonymous view floods (issue 22, finding 10): a client that varies its headers on every
-- request looks like a new viewer each time; it used to cost one write per request. Now
-- a link counts at most private.share_counts_per_link_hour() (200) views and downloads
-- per hour, and a request that cannot count writes nothing. And the viewer key is the
-- database's own: a client-sent x-share-viewer header no longer names the viewer
-- (issue 20, item 6).
begin;
select plan(11);

select tests.create_supabase_user('owner', 'owner@flood.test', '82000000-1111-4111-8111-000000000001');
insert into public.templates (id, name, slug, schema) values
  ('82000000-aaaa-4000-8000-000000000001', 'Flood Test', 'flood-test', '{}');
insert into public.generated_resumes (id, user_id, template_id, title) values
  ('82000000-dddd-4000-8000-000000000001', '82000000-1111-4111-8111-000000000001',
   '82000000-aaaa-4000-8000-000000000001', 'Flooded');
insert into public.generated_resume_versions (generated_resume_id, version_number, content_json) values
  ('82000000-dddd-4000-8000-000000000001', 1, '{"profile": {"fullName": "Ada"}}');

create temp table link (token text);
grant all on link to anon, authenticated;
select tests.authenticate_as('owner');
insert into link select public.create_share_link('82000000-dddd-4000-8000-000000000001');
select tests.clear_authentication();

-- One anonymous call through PostgREST with the headers of request n.
create function pg_temp.visit(headers jsonb) returns jsonb language plpgsql as $$
declare answer jsonb;
begin
  perform tests.authenticate_as_anon();
  perform set_config('request.method', 'POST', true);
  perform set_config('request.headers', headers::text, true);
  answer := public.get_public_generated_resume((select token from link));
  perform tests.clear_authentication();
  return answer;
end
$$;
grant execute on all functions in schema pg_temp to anon, authenticated;
create function pg_temp.views() returns int language sql as
  $$select share_view_count from public.generated_resumes where id = '82000000-dddd-4000-8000-000000000001'$$;
-- Row writes (inserted + updated + deleted tuples) this transaction made to the counting tables.
create function pg_temp.writes() returns bigint language sql as $$
  select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::bigint from pg_stat_xact_user_tables
   where relid in ('private.share_views'::regclass, 'private.share_link_days'::regclass, 'public.generated_resumes'::regclass)
$$;

select is(private.share_counts_per_link_hour(), 200, 'A link counts at most 200 views and downloads per hour.');

select lives_ok($$select pg_temp.visit(jsonb_build_object('x-forwarded-for', '10.0.' || (n / 256) || '.' || (n % 256), 'user-agent', 'bot ' || n))
                    from generate_series(1, 300) n$$,
  '300 requests, each with another address and User-Agent, are all answered.');
select is(pg_temp.views(), 200, 'Only the first 200 count.');
select is((select count(*)::int from private.share_views where generated_resume_id = '82000000-dddd-4000-8000-000000000001'), 200,
  'Only 200 viewer rows were written.');
select is((select views from private.share_link_days where generated_resume_id = '82000000-dddd-4000-8000-000000000001'), 200,
  'The day''s statistics say the same.');

create temp table before_flood as select pg_temp.writes() as writes;
select cmp_ok((select writes from before_flood), '>=', 600::bigint, 'The 200 counted views wrote their rows (the write meter works).');
select isnt(pg_temp.visit(jsonb_build_object('x-forwarded-for', '10.9.' || (n / 256) || '.' || (n % 256), 'user-agent', 'more ' || n)), null,
  'Another 500 forged viewers are still answered ...')
  from generate_series(1, 500) n limit 1;
select lives_ok($$select pg_temp.visit(jsonb_build_object('x-forwarded-for', '10.8.' || (n / 256) || '.' || (n % 256))) from generate_series(1, 499) n$$,
  '... all of them ...');
select is(pg_temp.writes(), (select writes from before_flood), '... with not a single row written.');

-- The viewer key is derived in SQL from the client's headers only.
delete from private.share_views;
update public.generated_resumes set share_view_count = 0 where id = '82000000-dddd-4000-8000-000000000001';
select lives_ok($$select pg_temp.visit(jsonb_build_object('x-forwarded-for', '203.0.113.5', 'user-agent', 'Firefox',
                                                        'x-share-viewer', md5(n::text) || md5(n::text)))
                    from generate_series(1, 20) n$$,
  'One client sends 20 requests, each naming another viewer in x-share-viewer');
select is(pg_temp.views(), 1, 'and counts once: the header names no viewer.');

select * from finish();
rollback;
