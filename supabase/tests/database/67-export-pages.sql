-- export_my_data_page(after): the export of an account of any size, page by page.
-- Threats and failures covered:
--   a page past its bounds (1,000 rows, 8 MB of JSON plus the one row that crosses it);
--   pages that together miss a row, repeat one, or hold a derived one (their union must
--   equal export_my_data()'s tables exactly, in the same order);
--   a stranger's rows in the owner's pages, or the owner's in the stranger's (also when
--   the stranger passes the owner's cursor);
--   anon or the service role (no user) getting a page;
--   a forged cursor (not JSON, a table that is not exported, a key of the wrong shape)
--   read as something else than a mistake.
begin;
select plan(22);

select tests.create_supabase_user('owner', 'owner@export-pages.test', '00000067-1111-4111-8111-000000000001');
select tests.create_supabase_user('stranger', 'stranger@export-pages.test', '00000067-2222-4222-8222-000000000002');
insert into public.templates (id, name, slug, schema, is_active) values
  ('00000067-aaaa-4000-8000-000000000001', 'Pages Template', 'pages-template', '{}', true);
select tests.fill_user_data('00000067-1111-4111-8111-000000000001', 'Owner', '00000067-aaaa-4000-8000-000000000001');
select tests.fill_user_data('00000067-2222-4222-8222-000000000002', 'Stranger', '00000067-aaaa-4000-8000-000000000001');

-- More than a page of rows in the first table (ai_events), and more than a page of bytes
-- in jobs: 300 descriptions of 30,000 characters (9 MB of JSON).
insert into public.ai_events (user_id, provider, model, status)
select '00000067-1111-4111-8111-000000000001', 'openai', 'gpt-4o-mini', 'success' from generate_series(1, 1500);
insert into public.jobs (user_id, job_title, company, status, description)
select '00000067-1111-4111-8111-000000000001', 'Engineer ' || i, 'Owner Pages Co', 'applied',
       repeat('Build and run services for customers. ', 790)
  from generate_series(1, 300) i;

select is((select array_agg(e.relname order by e.relname) from private.export_tables() e where e.key_names is null), null,
  'Every exported table has a primary key to page by (a table without one fails here, not in a client''s export).');

-- Every page of a user, in order, as PostgREST would call them.
create function pg_temp.pages_of(u uuid, first_after text default null) returns table (n integer, page jsonb)
language plpgsql as $$
declare
  cursor_text text := first_after;
  p jsonb;
  i integer := 0;
begin
  perform tests.authenticate_as(u::text);
  loop
    i := i + 1;
    p := public.export_my_data_page(cursor_text);
    n := i; page := p;
    return next;
    cursor_text := p ->> 'next';
    exit when cursor_text is null or i > 100;
  end loop;
  perform tests.clear_authentication();
end
$$;
create function pg_temp.export_of(u uuid) returns jsonb language plpgsql as $$
declare
  doc jsonb;
begin
  perform tests.authenticate_as(u::text);
  doc := public.export_my_data();
  perform tests.clear_authentication();
  return doc;
end
$$;

create temp table owner_pages as select * from pg_temp.pages_of('00000067-1111-4111-8111-000000000001');
create temp table stranger_pages as select * from pg_temp.pages_of('00000067-2222-4222-8222-000000000002');
-- Each table's rows over all pages, in page order.
create function pg_temp.union_of(pages regclass) returns jsonb language plpgsql as $$
declare
  doc jsonb;
begin
  execute format($q$select jsonb_object_agg(t, rows) from (
            select e.key as t,
                   coalesce(jsonb_agg(r.value order by p.n, r.ordinality) filter (where r.value is not null), '[]') as rows
              from %s p cross join jsonb_each(p.page -> 'tables') e
              left join jsonb_array_elements(e.value) with ordinality r on true
             group by e.key) x$q$, pages) into doc;
  return doc;
end
$$;

select cmp_ok((select count(*)::int from owner_pages), '>=', 3,
  'The owner''s 1,500 events and 9 MB of jobs take several pages (rows and bytes both end a page).');
select is((select max((select sum(jsonb_array_length(v)) from jsonb_each(page -> 'tables') e(k, v)))::int from owner_pages), 1000,
  'A page holds at most 1,000 rows (and the first one exactly that many).');
select ok((select bool_and(octet_length(page::text) <= 8 * 1024 * 1024 + 64 * 1024) from owner_pages),
  'No page is larger than 8 MB of JSON and the one row that crosses it.');
select cmp_ok((select count(*)::int from owner_pages, jsonb_each(page -> 'tables') e where e.key = 'jobs' and jsonb_array_length(e.value) > 0), '>=', 2,
  'The jobs (9 MB) are split over pages by size.');
select is((select page ->> 'next' from owner_pages order by n desc limit 1), null, 'The last page says there is no next one.');
select ok((select count(*) = 1 and bool_and(n = 1) from owner_pages where page ? 'account'),
  'Only the first page holds the account, archive and files.');
select is((select page -> 'account' ->> 'email' from owner_pages where n = 1), 'owner@export-pages.test',
  'The first page holds the caller''s account record.');

select is(pg_temp.union_of('owner_pages'), pg_temp.export_of('00000067-1111-4111-8111-000000000001') -> 'tables',
  'The owner''s pages together are exactly the tables of export_my_data(), in the same order: no row missing, repeated or derived.');
select is(pg_temp.union_of('stranger_pages'), pg_temp.export_of('00000067-2222-4222-8222-000000000002') -> 'tables',
  'So are the stranger''s.');
select ok((select bool_and(page::text not like '%00000067-1111-4111-8111-000000000001%' and page::text not like '%Owner Pages Co%') from stranger_pages),
  'No page of the stranger holds the owner''s id or rows.');
select ok((select bool_and(p.page::text not like '%00000067-1111-4111-8111-000000000001%')
             from pg_temp.pages_of('00000067-2222-4222-8222-000000000002', (select page ->> 'next' from owner_pages where n = 1)) p),
  'The owner''s cursor in the stranger''s hands gives the stranger''s own rows only.');

select is(tests.attempt_as('anon', $$select public.export_my_data_page()$$), 'error 42501', 'anon gets no page (no EXECUTE grant).');
select is(tests.attempt_as('service_role', $$select public.export_my_data_page()$$), 'error 42501',
  'The service role, whose token names no user, gets no page.');
select is(tests.attempt_as('owner', $$select public.export_my_data_page('not json')$$), 'error 22023', 'A cursor that is not JSON: 22023.');
select is(tests.attempt_as('owner', $$select public.export_my_data_page('{"table": "share_views", "key": null}')$$), 'error 22023',
  'A cursor naming a table the export does not read: 22023.');
select is(tests.attempt_as('owner', $$select public.export_my_data_page('{"table": "jobs", "key": ["not a uuid"]}')$$), 'error 22023',
  'A cursor whose key does not fit the table''s primary key: 22023.');

select is(tests.attempt_as('owner', $$select public.export_my_data_page('{"table": "jobs"}')$$), 'error 22023',
  'A cursor without its key (it used to start the table again or end the walk silently): 22023.');
select is(tests.attempt_as('owner', $$select public.export_my_data_page('{"table": "jobs", "key": [null]}')$$), 'error 22023',
  'A cursor whose key holds a null (no row has one; it used to read as "no row after this"): 22023.');
select is(tests.attempt_as('owner', $$select public.export_my_data_page('{"table": "jobs", "key": []}')$$), 'error 22023',
  'A cursor with an empty key: 22023.');
select is(tests.attempt_as('owner', $$select public.export_my_data_page('{"table": "job_tags", "key": ["00000067-1111-4111-8111-000000000001", {"a": 1}]}')$$), 'error 22023',
  'A cursor whose key holds an object: 22023.');

-- A page reads by index: for every exported table with an owner column, the keyset read of
-- a page (the owner's rows after the cursor, in key order, a page at most) is one index
-- range read with the owner and the cursor in its Index Cond and no Sort. Without an
-- (owner, key) index the plan sorts every one of the user's rows after the cursor, or
-- walks the primary key past every other user's rows (the owner only in a Filter).
-- What is pinned is what the index gives, not the planner's preference on this small
-- fixture: with sequential scans, bitmap scans and sorts off, the read still comes from an
-- index in key order with both the owner and the cursor as index conditions.
create function pg_temp.unindexed_pages() returns text[] language plpgsql as $$
declare
  t record;
  keys text;
  after text;
  line text;
  plan text;
  bad text[] := '{}';
begin
  set local enable_seqscan = off;
  set local enable_bitmapscan = off;
  set local enable_sort = off;
  for t in select * from private.export_tables() e where e.filter = 't.user_id = $1' order by e.relname loop
    keys := (select string_agg(format('t.%I', n), ', ' order by i) from unnest(t.key_names) with ordinality u(n, i));
    after := (select string_agg(format('%L::%s', case ty when 'uuid' then '00000067-0000-4000-8000-000000000000'
                                                         when 'date' then '2026-01-01' else 'a' end, ty), ', ' order by i)
                from unnest(t.key_types) with ordinality u(ty, i));
    plan := '';
    for line in execute format('explain (costs off) select %1$s from public.%2$I t where t.user_id = %3$L::uuid and (%1$s) > (%4$s) order by %1$s limit 1000',
                               keys, t.relname, '00000067-1111-4111-8111-000000000001', after) loop
      plan := plan || line || E'\n';
    end loop;
    if plan ~ 'Sort|Seq Scan|Bitmap|Filter' or plan !~ 'Index (Only )?Scan using'
       or plan !~ 'Index Cond: [^\n]*user_id = ' or plan !~ 'Index Cond: [^\n]*> ' then
      bad := bad || (t.relname || ': ' || plan);
    end if;
  end loop;
  reset enable_seqscan;
  reset enable_bitmapscan;
  reset enable_sort;
  return bad;
end
$$;
select is(pg_temp.unindexed_pages(), '{}'::text[], 'Every owned table''s page is an index range read on (owner, key): no Sort, no Filter.');

select * from finish();
rollback;
