-- Daily share-link statistics: views and downloads (PDF, JSON Resume) per UTC day, counted
-- under the share_view_count rule (once per viewer, kind and hour; never HEAD or the
-- owner) in the same transaction. Hand-counted fixture: repeat viewers, HEAD requests,
-- the owner's own views, downloads. Threats covered: inflating the figures; another
-- user reading them; the figures leaking into a public answer; rows outliving the link
-- or the account.
begin;
select plan(20);

select tests.create_supabase_user('owner', 'owner@stats.test', '81000000-1111-4111-8111-000000000001');
select tests.create_supabase_user('stranger', 'stranger@stats.test', '81000000-2222-4222-8222-000000000002');
insert into public.templates (id, name, slug, schema) values
  ('81000000-aaaa-4000-8000-000000000001', 'Stats Test', 'stats-test', '{}');
insert into public.generated_resumes (id, user_id, template_id, title) values
  ('81000000-dddd-4000-8000-000000000001', '81000000-1111-4111-8111-000000000001',
   '81000000-aaaa-4000-8000-000000000001', 'Counted daily');
insert into public.generated_resume_versions (generated_resume_id, version_number, content_json) values
  ('81000000-dddd-4000-8000-000000000001', 1, '{"profile": {"fullName": "Ada"}}');

create temp table link (token text);
grant all on link to anon, authenticated;
select tests.authenticate_as('owner');
insert into link select public.create_share_link('81000000-dddd-4000-8000-000000000001');
select tests.clear_authentication();

-- One request as the share function makes it: anon (or the owner), method and client
-- headers published, the kind of answer it serves named.
create function pg_temp.visit(method text, address text, kind text, who text default 'anon') returns jsonb language plpgsql as $$
declare answer jsonb;
begin
  if who = 'anon' then perform tests.authenticate_as_anon(); else perform tests.authenticate_as(who); end if;
  perform set_config('request.method', method, true);
  perform set_config('request.headers', jsonb_build_object('x-forwarded-for', address, 'user-agent', 'Firefox')::text, true);
  answer := private.get_public_generated_resume((select token from link), null, kind);
  perform tests.clear_authentication();
  return answer;
end
$$;
grant execute on all functions in schema pg_temp to anon, authenticated;
create function pg_temp.today() returns table (views int, pdf int, jsonresume int) language sql as $$
  select views, pdf_downloads, jsonresume_downloads from private.share_link_days
   where generated_resume_id = '81000000-dddd-4000-8000-000000000001' and day = (now() at time zone 'UTC')::date
$$;

-- The fixture, counted by hand:
--   viewer A: 3 page views, 2 PDF downloads, 1 JSON Resume download -> 1 view, 1 PDF, 1 JSON Resume
--   viewer B: 2 page views (one through ?format=json) -> 1 view
--   viewer C: 1 JSON Resume download, no page view -> 1 JSON Resume
--   20 HEAD requests from 20 addresses, of each kind -> nothing
--   the owner: 4 views, 2 PDF downloads -> nothing
-- Today: views 2, pdf_downloads 1, jsonresume_downloads 2; share_view_count 2.
select lives_ok($$
  select pg_temp.visit('GET', '203.0.113.1', 'view') from generate_series(1, 3);
  select pg_temp.visit('GET', '203.0.113.1', 'pdf') from generate_series(1, 2);
  select pg_temp.visit('GET', '203.0.113.1', 'jsonresume');
  select pg_temp.visit('GET', '203.0.113.2', 'view') from generate_series(1, 2);
  select pg_temp.visit('GET', '203.0.113.3', 'jsonresume');
  select pg_temp.visit('HEAD', '198.51.100.' || n, k) from generate_series(1, 20) n, unnest(array['view', 'pdf', 'jsonresume']) k;
  select pg_temp.visit('GET', '192.0.2.1', 'view', 'owner') from generate_series(1, 4);
  select pg_temp.visit('GET', '192.0.2.1', 'pdf', 'owner') from generate_series(1, 2);
$$, 'The fixture''s 65 requests are answered.');
select results_eq($$select * from pg_temp.today()$$, $$values (2, 1, 2)$$,
  'Today: 2 views, 1 PDF download, 2 JSON Resume downloads, as counted by hand.');
select is((select share_view_count from public.generated_resumes where id = '81000000-dddd-4000-8000-000000000001'), 2,
  'The running total counts the same views.');
select throws_ok($$select private.get_public_generated_resume((select token from link), null, 'print')$$,
  '22023', null, 'An unknown kind of download is refused.');

-- An hour later viewer A comes back and downloads again: counted again, same day.
update private.share_views set counted_at = counted_at - interval '61 minutes';
select lives_ok($$select pg_temp.visit('GET', '203.0.113.1', 'pdf')$$, 'An hour later viewer A downloads the PDF again');
select results_eq($$select * from pg_temp.today()$$, $$values (2, 2, 2)$$, 'and it counts once more.');

-- Earlier days, as the counting would have left them.
insert into private.share_link_days (generated_resume_id, user_id, day, views, pdf_downloads, jsonresume_downloads) values
  ('81000000-dddd-4000-8000-000000000001', '81000000-1111-4111-8111-000000000001', (now() at time zone 'UTC')::date - 3, 7, 1, 0),
  ('81000000-dddd-4000-8000-000000000001', '81000000-1111-4111-8111-000000000001', (now() at time zone 'UTC')::date - 29, 1, 0, 0),
  ('81000000-dddd-4000-8000-000000000001', '81000000-1111-4111-8111-000000000001', (now() at time zone 'UTC')::date - 40, 9, 9, 9);

-- The owner reads them ----------------------------------------------------------------------

select tests.authenticate_as('owner');
create temp table stats as select * from public.share_link_statistics('81000000-dddd-4000-8000-000000000001');
select tests.clear_authentication();
select is((select count(*)::int from stats), 30, 'The statistics are 30 days ...');
select is((select array[min(day), max(day)] from stats),
  array[(now() at time zone 'UTC')::date - 29, (now() at time zone 'UTC')::date], '... the last 30 UTC days, today included ...');
select is((select array_agg(day order by day) = array_agg(day) from stats), true, '... oldest first');
select results_eq($$select views, pdf_downloads, jsonresume_downloads from stats where day = (now() at time zone 'UTC')::date$$,
  $$values (2, 2, 2)$$, 'Today reads as counted.');
select results_eq($$select views, pdf_downloads from stats where day = (now() at time zone 'UTC')::date - 3$$,
  $$values (7, 1)$$, 'Three days ago reads as stored.');
select is((select count(*)::int from stats where views = 0 and pdf_downloads = 0 and jsonresume_downloads = 0), 27,
  'Days without views are zero-filled.');
select is((select sum(views)::int from stats), 10, 'Days older than 30 are not shown.');

select tests.authenticate_as('stranger');
select throws_ok($$select * from public.share_link_statistics('81000000-dddd-4000-8000-000000000001')$$,
  'PT404', null, 'Another user cannot read them (404, as for a missing resume).');
select tests.clear_authentication();
select tests.authenticate_as_anon();
select throws_ok($$select * from public.share_link_statistics('81000000-dddd-4000-8000-000000000001')$$,
  '42501', null, 'Nor can anon.');
select tests.clear_authentication();

select is((select array_agg(k order by k) from jsonb_object_keys(pg_temp.visit('GET', '203.0.113.9', 'view')) k),
  array['content', 'template_slug', 'title', 'updated_at'], 'The public answer carries no statistics.');

select cmp_ok(private.forget_old_share_link_rows(), '>=', 1, 'The hourly job forgets days older than 30 ...');
select is((select count(*)::int from private.share_link_days where day < (now() at time zone 'UTC')::date - 30), 0, '... all of them.');

-- A new link starts fresh.
select tests.authenticate_as('owner');
select lives_ok($$select public.create_share_link('81000000-dddd-4000-8000-000000000001')$$, 'The owner replaces the link');
select tests.clear_authentication();
select is((select count(*)::int from private.share_link_days where generated_resume_id = '81000000-dddd-4000-8000-000000000001'), 0,
  'and its statistics start fresh, as share_view_count does.');

select * from finish();
rollback;
