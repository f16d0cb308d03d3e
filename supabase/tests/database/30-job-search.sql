-- search_jobs: ranked full-text search over the caller's jobs. Behaviours covered:
--   phrase, exclusion, OR, stemming, prefix (type-ahead), typo tolerance (fallback),
--   ranking (title above description), headline marks with escaped HTML, status filter,
--   keyset paging without duplicates or gaps while rows are inserted, deleted and
--   moved between pages, every 400 (22023: empty, whitespace, over 200 characters,
--   page_size, statuses, forged or foreign page tokens), bounded pathological queries,
--   the search documents following every job write, and isolation: a stranger and a
--   service_role call without a user find nothing of the owner's, anon may not call.
begin;
select plan(54);

insert into auth.users (id, email, aud, role) values
  ('30000000-0000-4000-8000-000000000001', 'owner@search.test', 'authenticated', 'authenticated'),
  ('30000000-0000-4000-8000-000000000002', 'stranger@search.test', 'authenticated', 'authenticated');

insert into public.jobs (id, user_id, job_title, company, location, status, description) values
  ('30000000-0000-4000-8000-00000000a001', '30000000-0000-4000-8000-000000000001', 'Senior Engineer', 'Google', 'Zurich', 'applied',
   'Build search infrastructure. <script>alert(1)</script> & more.'),
  ('30000000-0000-4000-8000-00000000a002', '30000000-0000-4000-8000-000000000001', 'Senior Platform Engineer', 'Stripe', 'Dublin', 'bookmarked',
   'Run our Kubernetes clusters and the deploy pipeline.'),
  ('30000000-0000-4000-8000-00000000a003', '30000000-0000-4000-8000-000000000001', 'Android Developer', 'Acme Robotics', 'Berlin', 'interviewing',
   'Kotlin all day; some engineering management later.'),
  ('30000000-0000-4000-8000-00000000a004', '30000000-0000-4000-8000-000000000001', 'Functional Programmer', 'Jane Street', 'London', 'rejected',
   'Haskell and OCaml in production.'),
  ('30000000-0000-4000-8000-00000000a005', '30000000-0000-4000-8000-000000000001', 'Data Analyst', 'Globex', 'Remote', 'applied',
   'SQL dashboards for the finance team.'),
  ('30000000-0000-4000-8000-00000000b001', '30000000-0000-4000-8000-000000000002', 'Senior Engineer', 'Google', 'Zurich', 'applied',
   'The stranger''s own Kubernetes job.');

-- Temp helpers are created by postgres, whose default privileges give PUBLIC no
-- EXECUTE; the actors get it explicitly below.
create function pg_temp.as_user(who uuid) returns void language sql as $$
  select set_config('role', 'authenticated', true),
         set_config('request.jwt.claims', pg_catalog.json_build_object('sub', who, 'role', 'authenticated')::text, true);
$$;
-- The ids a search returns, in order.
create function pg_temp.found(query text, statuses text[] default null) returns uuid[] language sql as $$
  select coalesce(array_agg((j ->> 'id')::uuid order by n), '{}')
    from jsonb_array_elements(public.search_jobs(query, statuses) -> 'jobs') with ordinality as t(j, n);
$$;

grant execute on function pg_temp.as_user(uuid), pg_temp.found(text, text[]) to authenticated;
select pg_temp.as_user('30000000-0000-4000-8000-000000000001');

-- Syntax ---------------------------------------------------------------------------------
select is(pg_temp.found('"senior engineer"'), array['30000000-0000-4000-8000-00000000a001']::uuid[],
  'A quoted phrase matches the words side by side only ("Senior Platform Engineer" does not match).');
select set_eq($$select unnest(pg_temp.found('senior engineer'))$$,
  $$values ('30000000-0000-4000-8000-00000000a001'::uuid), ('30000000-0000-4000-8000-00000000a002')$$,
  'Without quotes both words anywhere match.');
select set_eq($$select unnest(pg_temp.found('engineer -google'))$$,
  $$values ('30000000-0000-4000-8000-00000000a002'::uuid), ('30000000-0000-4000-8000-00000000a003')$$,
  '-google excludes the Google engineer and keeps the other engineers (stemmed, so "engineering" too).');
select set_eq($$select unnest(pg_temp.found('-google'))$$,
  $$values ('30000000-0000-4000-8000-00000000a002'::uuid), ('30000000-0000-4000-8000-00000000a003'),
           ('30000000-0000-4000-8000-00000000a004'), ('30000000-0000-4000-8000-00000000a005')$$,
  'A query of exclusions only lists every other job of the caller (and none of the stranger''s).');
select set_eq($$select unnest(pg_temp.found('kotlin OR haskell'))$$,
  $$values ('30000000-0000-4000-8000-00000000a003'::uuid), ('30000000-0000-4000-8000-00000000a004')$$,
  'OR matches either word.');
select is(pg_temp.found('kotlin haskell'), '{}'::uuid[], 'Without OR both words are required.');

-- Stemming, prefix, typos -----------------------------------------------------------------
select set_eq($$select unnest(pg_temp.found('engineering'))$$,
  $$values ('30000000-0000-4000-8000-00000000a001'::uuid), ('30000000-0000-4000-8000-00000000a002'), ('30000000-0000-4000-8000-00000000a003')$$,
  'Stemming: "engineering" finds the engineers (title) and the engineering (description).');
select is(pg_temp.found('kuber'), array['30000000-0000-4000-8000-00000000a002']::uuid[],
  'Type-ahead: the last word "kuber" finds Kubernetes.');
select is(pg_temp.found('platform kube'), array['30000000-0000-4000-8000-00000000a002']::uuid[],
  'Only the last word is a prefix, and it combines with the other words.');
select is(pg_temp.found('kuber -x'), '{}'::uuid[],
  'A word that is not last ("kuber" before "-x") must match whole.');
select is(pg_temp.found('gogle'), array['30000000-0000-4000-8000-00000000a001']::uuid[],
  'Typo tolerance: "gogle" finds the Google job (and not the stranger''s).');
select is(pg_temp.found('jane stret'), array['30000000-0000-4000-8000-00000000a004']::uuid[],
  'Typo tolerance works on company names of two words.');
select is(pg_temp.found('andriod developer'), array['30000000-0000-4000-8000-00000000a003']::uuid[],
  'Typo tolerance works on job titles.');
select is(pg_temp.found('gogle -zurich'), '{}'::uuid[],
  'Excluded words still exclude a typo match.');
select is(pg_temp.found('zxqwv'), '{}'::uuid[], 'A word like nothing finds nothing.');

-- Ranking and headline ----------------------------------------------------------------------
select is((pg_temp.found('engineering'))[3], '30000000-0000-4000-8000-00000000a003'::uuid,
  'A title match ranks above a description-only match.');
select ok((select bool_and((j ->> 'rank')::real > 0) from jsonb_array_elements(public.search_jobs('engineering') -> 'jobs') j),
  'Every result carries a positive rank.');
select matches(public.search_jobs('kubernetes') -> 'jobs' -> 0 ->> 'headline', '<mark>Kubernetes</mark>',
  'The headline marks the matched word.');
select is(public.search_jobs('infrastructure') -> 'jobs' -> 0 ->> 'headline',
  'Senior Engineer · Google · Zurich · Build search <mark>infrastructure</mark>. &lt;script&gt;alert(1)&lt;/script&gt; &amp; more',
  'The headline is the job''s text, HTML-escaped, with only <mark> as markup.');
select is((public.search_jobs('kubernetes') -> 'jobs' -> 0) - 'headline' - 'rank' - 'updated_at',
  '{"id": "30000000-0000-4000-8000-00000000a002", "job_title": "Senior Platform Engineer", "company": "Stripe", "location": "Dublin", "status": "bookmarked"}'::jsonb,
  'A result row carries id, job_title, company, location and status (plus rank, headline, updated_at).');

-- Status filter --------------------------------------------------------------------------------
select is(pg_temp.found('engineering', array['Applied', 'interviewing']),
  array['30000000-0000-4000-8000-00000000a001', '30000000-0000-4000-8000-00000000a003']::uuid[],
  'statuses keeps the listed statuses (Title Case accepted), best first.');

-- The documents follow every write -----------------------------------------------------------------
update public.jobs set description = 'Now it is all about Terraform.' where id = '30000000-0000-4000-8000-00000000a005';
select is(pg_temp.found('terraform'), array['30000000-0000-4000-8000-00000000a005']::uuid[], 'An edited description is found by its new words.');
select is(pg_temp.found('dashboards'), '{}'::uuid[], '... and no longer by its old ones.');
update public.jobs set company = 'Initech' where id = '30000000-0000-4000-8000-00000000a005';
select is(pg_temp.found('initech'), array['30000000-0000-4000-8000-00000000a005']::uuid[], 'A renamed company is found at once.');
delete from public.jobs where id = '30000000-0000-4000-8000-00000000a005';
select is(pg_temp.found('initech'), '{}'::uuid[], 'A deleted job is gone from search (its document is deleted with it).');
reset role;
select is((select count(*)::int from public.jobs j
            where not exists (select 1 from public.job_search_documents d
                               where d.job_id = j.id and d.user_id = j.user_id
                                 and d.document = private.job_search_document(j.job_title, j.company, j.location, j.description)
                                 and d.title_company = j.job_title || ' ' || j.company))
          + (select count(*)::int from public.job_search_documents d where not exists (select 1 from public.jobs j where j.id = d.job_id)),
  0, 'Every job has exactly its current document, and no document outlives its job.');

select is(private.job_search_keys('30000000-0000-4000-8000-000000000001', 'kubernet:1 engin:2'),
  array_to_tsvector(array[private.job_search_key('30000000-0000-4000-8000-000000000001') || 'kubernet',
                          private.job_search_key('30000000-0000-4000-8000-000000000001') || 'engin']),
  'The index holds each lexeme behind the owner''s key, the key search_jobs puts in front of each query lexeme.');
select is(private.job_search_document('Tester', 'C', null, repeat('x', 1500) || ' kubernetes'), 'c:2B kubernet:4 tester:1A'::tsvector,
  'A 1,500-byte word is left out of the document (so no key can push a lexeme over the limit).');

-- Paging while rows change -----------------------------------------------------------------------------
-- 25 jobs that all match "pager"; page size 10. Between pages: a new match that ranks
-- first (before the cursor), a new match that ranks last (after it), an unseen row
-- deleted, and seen and unseen rows moved to other statuses.
insert into public.jobs (id, user_id, job_title, company, status, description)
select ('30000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, '30000000-0000-4000-8000-000000000001',
       'Role ' || g, 'Pager Co ' || g, 'bookmarked', repeat('pager ', 1 + g % 5) || 'notes'
  from generate_series(1, 25) g;
create temp table seen (page int, id uuid, rank real);
create function pg_temp.take_page(page int, token text) returns text language plpgsql as $$
declare
  answer jsonb := public.search_jobs('pager', null, 10, token);
begin
  insert into seen select page, (j ->> 'id')::uuid, (j ->> 'rank')::real from jsonb_array_elements(answer -> 'jobs') j;
  return answer ->> 'next_page_token';
end
$$;
grant execute on function pg_temp.take_page(int, text) to authenticated;
grant select, insert on seen to authenticated;
select pg_temp.as_user('30000000-0000-4000-8000-000000000001');
create temp table tokens as select pg_temp.take_page(1, null) as token;
create temp table first_token as select token from tokens;
grant select, update on tokens to authenticated;
grant select on first_token to authenticated;
select is((select count(*)::int from seen where page = 1), 10, 'The first page holds page_size rows.');
select isnt((select token from tokens), null, 'A first page with more to come has a next_page_token.');
reset role;
insert into public.jobs (id, user_id, job_title, company, status, description) values
  ('30000000-0000-4000-8000-00000000c001', '30000000-0000-4000-8000-000000000001', 'Pager Pager Pager', 'Pager Inc', 'bookmarked', 'pager pager pager pager pager pager pager'),
  ('30000000-0000-4000-8000-00000000c002', '30000000-0000-4000-8000-000000000001', 'Role late', 'Late Co', 'bookmarked', 'one pager mention in a long text about other things entirely');
delete from public.jobs where id = (select j.id from public.jobs j
                                     where j.company like 'Pager Co %' and j.id not in (select id from seen)
                                     order by j.id limit 1);
update public.jobs set status = 'applied' where company like 'Pager Co %';
select pg_temp.as_user('30000000-0000-4000-8000-000000000001');
update tokens set token = pg_temp.take_page(2, token);
update tokens set token = pg_temp.take_page(3, token);
select is((select token from tokens), null, 'The last page has no next_page_token.');
select is((select count(*)::int from seen), (select count(distinct id)::int from seen), 'No job appears on two pages.');
reset role;
select set_eq(
  $$select id from seen where id <> '30000000-0000-4000-8000-00000000c002'$$,
  $$select id from public.jobs where company like 'Pager Co %'$$,
  'Every job that matched throughout appears exactly once, despite inserts, a delete and status changes between pages.');
select ok('30000000-0000-4000-8000-00000000c002' in (select id from seen),
  'A match inserted after the cursor''s position shows on a later page.');
select ok('30000000-0000-4000-8000-00000000c001' not in (select id from seen),
  'A match inserted before the cursor''s position does not shift the pages (it is on page one for the next search).');
select ok((select bool_and(s.rank >= t.rank) from seen s join seen t on s.page < t.page),
  'Pages come best first: no row on a later page outranks one on an earlier page.');

-- Bad input: clear 400s (22023) that change nothing ------------------------------------------------------
select pg_temp.as_user('30000000-0000-4000-8000-000000000001');
select throws_ok($$select public.search_jobs('')$$, '22023', 'query must contain at least one word', 'An empty query is a 400 (22023), not every job.');
select throws_ok($$select public.search_jobs(E'  \t\n ')$$, '22023', 'query must contain at least one word', 'A whitespace-only query is a 400.');
select throws_ok($$select public.search_jobs(null)$$, '22023', 'query must contain at least one word', 'A missing query is a 400.');
select throws_ok($$select public.search_jobs(repeat('a', 201))$$, '22023', 'query is longer than 200 characters (201 given)',
  'A query over 200 characters is refused.');
select throws_ok($$select public.search_jobs(repeat('-"x" OR ', 5000))$$, '22023', 'query is longer than 200 characters (40000 given)',
  'Thousands of operators are refused by length before any parsing.');
select lives_ok($$select public.search_jobs(repeat('a', 200))$$, 'A query of exactly 200 characters is answered.');
select throws_ok($$select public.search_jobs('engineer', null, 0)$$, '22023', 'page_size must be between 1 and 100', 'page_size 0 is refused.');
select throws_ok($$select public.search_jobs('engineer', null, 101)$$, '22023', 'page_size must be between 1 and 100', 'page_size 101 is refused.');
select throws_ok($$select public.search_jobs('engineer', array['ghosted'])$$, '22023', null, 'An unknown status is refused.');
select throws_ok($$select public.search_jobs('engineer', null, 20, 'not-a-token')$$, '22023', 'page_token is not a token of this search',
  'A forged page token is refused.');
select throws_ok(format($$select public.search_jobs('engineer', null, 10, %L)$$, (select token from first_token)),
  '22023', 'page_token is not a token of this search', 'A token of another query is refused.');
select throws_ok(format($$select public.search_jobs('pager', array['applied'], 10, %L)$$, (select token from first_token)),
  '22023', 'page_token is not a token of this search', 'A token of the same words with other statuses is refused.');
select is(jsonb_array_length(public.search_jobs('pager', null, 10, (select token from first_token)) -> 'jobs'), 10,
  'Control: the token continues its own search.');
reset role;

-- Pathological but short: bounded by construction --------------------------------------------------------------
select ok((select numnode(p.match) <= 200 and (p.typo is null or char_length(p.typo) <= 64)
             from private.parse_job_search(rpad('', 200, '-"OR !(&|:*')) p),
  'A 200-character soup of operators parses into a query no bigger than its length.');

-- Isolation ---------------------------------------------------------------------------------------
select pg_temp.as_user('30000000-0000-4000-8000-000000000002');
select is(pg_temp.found('google'), array['30000000-0000-4000-8000-00000000b001']::uuid[],
  'A stranger searching the same words finds only their own job.');
select is(pg_temp.found('kuber'), array['30000000-0000-4000-8000-00000000b001']::uuid[],
  'A stranger''s prefix search reads only their own index entries.');
reset role;
select set_config('role', 'service_role', true), set_config('request.jwt.claims', '{"role":"service_role"}', true);
select is(public.search_jobs('google'), '{"jobs": [], "next_page_token": null}'::jsonb,
  'service_role without a user finds nothing (the search is scoped to auth.uid()).');
reset role;
select set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role":"anon"}', true);
select throws_ok($$select public.search_jobs('google')$$, '42501', null, 'anon may not call search_jobs (401 through PostgREST).');
reset role;

select * from finish();
rollback;
