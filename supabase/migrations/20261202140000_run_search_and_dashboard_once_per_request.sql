-- Why: PostgREST calls an RPC that returns one value as
--   WITH pgrst_source AS (SELECT ... fn(...) AS pgrst_scalar ...)
--   SELECT count(_postgrest_t), json_agg(_postgrest_t.pgrst_scalar) ... FROM (SELECT * FROM pgrst_source) _postgrest_t
-- and Postgres inlines a CTE that has no volatile function into both references, so a
-- STABLE function runs twice per request: every search and every dashboard cost double
-- (measured by the benchmark: a power user's dashboard 60 ms instead of 30). A VOLATILE
-- function keeps the CTE materialized and runs once. Neither function writes anything;
-- VOLATILE only tells the planner not to repeat or fold the call. (PostgREST then runs
-- them in a read-write transaction and answers them on POST, which is what
-- supabase.rpc sends.)
alter function public.search_jobs(text, text[], integer, text) volatile;
alter function public.job_dashboard(text) volatile;
