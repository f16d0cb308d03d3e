-- job_insights reads a user's status history index-only, in the order its window needs.
-- Threat covered: a power user's events lie scattered over the heap among other users'
-- (a heap page for every few of them); read through the heap and sorted, the history
-- cost most of the insights request. The index idx_job_status_events_user_job_changed
-- holds (user, job, time, id) with to_status beside: the read below is the one
-- job_insights makes (its events CTE), and needs neither the heap nor a sort.
begin;
select plan(3);

-- 40 users with 50 jobs each, every job moved twice (three events a job).
select tests.create_supabase_user('insights-' || n) from generate_series(1, 40) n;
create temp table insights_users as select tests.get_supabase_uid('insights-' || n) as id from generate_series(1, 40) n;
insert into public.jobs (user_id, job_title, company, status)
select tests.get_supabase_uid('insights-' || u), 'Engineer ' || j, 'Company ' || j, 'bookmarked'
  from generate_series(1, 50) j, generate_series(1, 40) u;
update public.jobs set status = 'applied' where user_id in (select id from insights_users);
update public.jobs set status = 'interviewing' where user_id in (select id from insights_users);
analyze public.job_status_events;

select is((select count(*) from public.job_status_events e where e.user_id in (select id from insights_users)),
  6000::bigint, 'The fixture holds three events for each of the 2,000 jobs.');

select is(pg_catalog.pg_get_indexdef('public.idx_job_status_events_user_job_changed'::regclass),
  'CREATE INDEX idx_job_status_events_user_job_changed ON public.job_status_events USING btree (user_id, job_id, changed_at, id) INCLUDE (to_status)',
  'The index holds every column job_insights reads of the history (no heap page per event once autovacuum marks them all-visible).');

-- Which plan the planner prefers on a small, fresh fixture depends on its costs (a fresh
-- heap is never all-visible inside this transaction); what the index can give does not.
-- With every plan that sorts or reads the heap for its order switched off, the read must
-- still come from this index, in the window's order: with the old index (no id) only a
-- sort of the history could give it.
set local enable_seqscan = off;
set local enable_bitmapscan = off;
set local enable_sort = off;
set local enable_incremental_sort = off;
create temp table insights_plan (line text);
do $$
declare
  line text;
begin
  for line in execute format(
    'explain (costs off) select e.job_id, e.to_status, e.changed_at, '
    'pg_catalog.lead(e.changed_at) over (partition by e.job_id order by e.changed_at, e.id) as next_at '
    'from public.job_status_events e where e.user_id = %L', tests.get_supabase_uid('insights-7')) loop
    insert into insights_plan values (line);
  end loop;
end
$$;

select ok((select string_agg(line, E'\n') from insights_plan) ~ 'Scan using idx_job_status_events_user_job_changed'
          and (select string_agg(line, E'\n') from insights_plan) !~ 'Sort',
  'The index gives job_insights'' window its (job, time, id) order: no sort of the history.');

select * from finish();
rollback;
