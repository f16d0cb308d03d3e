-- Why: at full size (2,000,000 jobs) the planner gave a power user's broad search (a
-- title word matching thousands of their 5,000 jobs) a parallel plan: starting workers
-- and gathering their rows cost about 80 ms, where the same plan in one process takes a
-- fraction of that. Every statement of a search or a dashboard reads one user's rows
-- through an index, a few thousand at most: work that never pays for parallel workers,
-- and on a small machine the workers would take the cores other requests need. So the
-- functions that run those statements plan them without workers.
alter function private.job_search_page(tsquery, tsquery, tsquery, text, text[], real, uuid, integer)
  set max_parallel_workers_per_gather = 0;
alter function public.search_jobs(text, text[], integer, text)
  set max_parallel_workers_per_gather = 0;
alter function private.job_dashboard(text, timestamptz)
  set max_parallel_workers_per_gather = 0;
