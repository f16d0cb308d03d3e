-- search_jobs, job_dashboard and the tracker's read RPCs (get_calendar_feed, job_insights)
-- as PostgREST runs them: one evaluation per request, and plans without parallel workers.
--   * PostgREST names an RPC's result twice in its statement (the page count and the
--     body). For a STABLE function Postgres inlines the pgrst_source CTE into both and
--     runs the function twice; these RPCs are VOLATILE, so the CTE stays materialized
--     (a "CTE pgrst_source" node in the plan) and runs once.
--   * The functions that read a user's rows pin max_parallel_workers_per_gather = 0.
begin;
select plan(8);

-- The plan of a statement as text (EXPLAIN does not run the function).
create function pg_temp.plan_of(statement text) returns text language plpgsql as $$
declare
  line text;
  plan text := '';
begin
  for line in execute 'explain (costs off) ' || statement loop
    plan := plan || line || E'\n';
  end loop;
  return plan;
end
$$;

-- POST /rpc/<fn> with a JSON body, as PostgREST 12 builds it (Query/Statements.hs).
create function pg_temp.postgrest_call(fn text, args jsonb, columns text) returns text language sql as $$
  select format(
    'WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT %L::json AS json_data) pgrst_payload, '
    'LATERAL (SELECT %s FROM json_to_record(pgrst_payload.json_data) AS _(%s) LIMIT 1) pgrst_body , '
    'LATERAL (SELECT "public".%I(%s) pgrst_scalar) pgrst_call) '
    'SELECT null::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, '
    'coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, ''null'') AS body '
    'FROM (SELECT %I.* FROM "pgrst_source" AS %I ) _postgrest_t',
    args::text,
    (select string_agg(format('%I', k), ', ') from jsonb_object_keys(args) k),
    columns,
    fn,
    (select string_agg(format('%I := pgrst_body.%I', k, k), ', ') from jsonb_object_keys(args) k),
    fn, fn)
$$;

select matches(pg_temp.plan_of(pg_temp.postgrest_call('search_jobs', '{"query": "kubernetes"}', 'query text')),
  'CTE pgrst_source',
  'PostgREST''s statement for search_jobs keeps the call in its CTE: the search runs once per request, not once per reference.');
select matches(pg_temp.plan_of(pg_temp.postgrest_call('job_dashboard', '{"tz": "UTC"}', 'tz text')),
  'CTE pgrst_source',
  'PostgREST''s statement for job_dashboard keeps the call in its CTE: the dashboard is computed once per request.');
select is((select array_agg(p.provolatile::text order by p.oid::regprocedure::text) from pg_proc p
            where p.oid in ('public.search_jobs(text,text[],integer,text)'::regprocedure, 'public.job_dashboard(text)'::regprocedure)),
  array['v', 'v'],
  'Both RPCs are VOLATILE (what keeps the CTE materialized), although neither writes anything.');

-- A power user's calendar feed is 2,000 events of JSON: built twice, it cost twice.
select matches(pg_temp.plan_of(pg_temp.postgrest_call('get_calendar_feed', '{"feed_token": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}', 'feed_token text')),
  'CTE pgrst_source',
  'PostgREST''s statement for get_calendar_feed keeps the call in its CTE: the feed is built once per request.');
select is((select array_agg(p.provolatile::text order by p.oid::regprocedure::text) from pg_proc p
            where p.oid in ('public.get_calendar_feed(text)'::regprocedure, 'public.job_insights()'::regprocedure)),
  array['v', 'v'],
  'Both tracker RPCs are VOLATILE (job_insights takes no arguments, so its statement has no body to read), although neither writes anything.');

select ok((select 'max_parallel_workers_per_gather=0' = any (p.proconfig) from pg_proc p
            where p.oid = 'private.job_search_page(tsquery,tsquery,tsquery,text,text[],real,uuid,integer)'::regprocedure),
  'The search helper plans without parallel workers.');
select ok((select 'max_parallel_workers_per_gather=0' = any (p.proconfig) from pg_proc p
            where p.oid = 'public.search_jobs(text,text[],integer,text)'::regprocedure),
  'search_jobs plans its page without parallel workers.');
select ok((select 'max_parallel_workers_per_gather=0' = any (p.proconfig) from pg_proc p
            where p.oid = 'private.job_dashboard(text,timestamp with time zone)'::regprocedure),
  'The dashboard plans without parallel workers.');

select * from finish();
rollback;
