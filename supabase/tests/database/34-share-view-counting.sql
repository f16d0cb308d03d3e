-- Share-link view counts. A view counts at most once per viewer per hour, never for a
-- HEAD request and never for the owner. Threats covered: inflating the count by
-- repeating requests or sending HEADs; the owner inflating their own count; storing the
-- viewer's address or User-Agent; a rotated link inheriting the old link's viewers.
begin;
select plan(15);

select tests.create_supabase_user('owner', 'owner@views.test', '11111111-1111-4111-8111-111111111111');
insert into public.templates (id, name, slug, schema) values
  ('aaaaaaaa-0000-4000-8000-000000000001', 'Views Test', 'views-test', '{}');
insert into public.generated_resumes (id, user_id, template_id, title) values
  ('d0000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111',
   'aaaaaaaa-0000-4000-8000-000000000001', 'Counted');
insert into public.generated_resume_versions (generated_resume_id, version_number, content_json) values
  ('d0000000-0000-4000-8000-000000000001', 1, '{"profile": {"fullName": "Ada"}}');

create temp table link (token text);
grant all on link to anon, authenticated;
select tests.authenticate_as('owner');
insert into link select public.create_share_link('d0000000-0000-4000-8000-000000000001');
select tests.clear_authentication();

create function pg_temp.views() returns int language sql as
  $$select share_view_count from public.generated_resumes where id = 'd0000000-0000-4000-8000-000000000001'$$;
-- One anonymous visit as PostgREST runs it: method and headers published for the call.
create function pg_temp.visit(method text, headers jsonb) returns jsonb language plpgsql as $$
begin
  perform tests.authenticate_as_anon();
  perform set_config('request.method', method, true);
  perform set_config('request.headers', headers::text, true);
  return public.get_public_generated_resume((select token from link));
end
$$;
grant execute on function pg_temp.visit(text, jsonb) to anon, authenticated;

select isnt(pg_temp.visit('POST', '{"x-forwarded-for": "203.0.113.7", "user-agent": "Firefox"}'), null,
  'A first visitor reads the shared resume.');
select tests.clear_authentication();
select is(pg_temp.views(), 1, 'Their view counts.');

select isnt(pg_temp.visit('POST', '{"x-forwarded-for": "203.0.113.7", "user-agent": "Firefox"}'), null,
  'The same visitor reads it again ...');
select lives_ok($$select pg_temp.visit('POST', '{"x-forwarded-for": "203.0.113.7", "user-agent": "Firefox"}') from generate_series(1, 50)$$,
  '... and 50 times more');
select tests.clear_authentication();
select is(pg_temp.views(), 1, 'Repeats by the same viewer within the hour do not count.');

select lives_ok($$select pg_temp.visit('HEAD', format('{"x-forwarded-for": "198.51.100.%s", "user-agent": "curl"}', n)::jsonb)
                    from generate_series(1, 50) n$$,
  '50 HEAD requests from 50 addresses are answered');
select tests.clear_authentication();
select is(pg_temp.views(), 1, 'HEAD requests never count.');

select isnt(pg_temp.visit('POST', '{"x-forwarded-for": "203.0.113.8, 10.0.0.1", "user-agent": "Firefox"}'), null,
  'A visitor from another address reads it.');
select isnt(pg_temp.visit('POST', '{"cf-connecting-ip": "2001:db8::1", "x-forwarded-for": "203.0.113.7", "user-agent": "Firefox"}'), null,
  'A visitor whose address the platform reports in cf-connecting-ip reads it.');
select tests.clear_authentication();
select is(pg_temp.views(), 3, 'Each distinct viewer counts once.');

-- The owner opens their own link, through PostgREST with their token.
select set_config('role', 'authenticated', true);
select tests.authenticate_as('owner');
select set_config('request.method', 'POST', true);
select set_config('request.headers', '{"x-forwarded-for": "192.0.2.99", "user-agent": "Owner"}', true);
select isnt(public.get_public_generated_resume((select token from link)), null, 'The owner reads their own link.');
select tests.clear_authentication();
select is(pg_temp.views(), 3, 'The owner''s views never count.');

-- An hour later the first visitor counts again.
update private.share_views set counted_at = counted_at - interval '61 minutes';
select isnt(pg_temp.visit('POST', '{"x-forwarded-for": "203.0.113.7", "user-agent": "Firefox"}'), null, 'An hour later the first visitor comes back');
select tests.clear_authentication();
select is(pg_temp.views(), 4, 'and counts once more.');

select is_empty(
  $$select 1 from private.share_views
     where viewer_hash::text like '%203.0.113%' or encode(viewer_hash, 'escape') like '%Firefox%'
        or octet_length(viewer_hash) <> 32$$,
  'Only 32-byte hashes are stored, never an address or User-Agent.'
);

select * from finish();
rollback;
