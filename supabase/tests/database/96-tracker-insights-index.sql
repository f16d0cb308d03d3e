-- job_insights reads a user's status history index-only, in the order its window and its
-- per-job grouping need.
-- Threat covered: a power user's events lie scattered over the heap among other users'
-- (a heap page for every few of them); read through the heap and sorted, the history
-- cost most of the insights request. The index idx_job_status_events_user_job_changed
-- holds (user, job, time, id) with to_status beside: the two reads below are the ones
-- job_insights makes (the stays its medians come from, and its per-job grouping), and
-- need neither the heap nor a sort.
begin;
select plan(4);

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
-- The plan of one statement as text (a temporary function, gone with the transaction).
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
create temp table insights_plans as
select pg_temp.plan_of(format(
         'select e.job_id, e.to_status, e.changed_at, '
         'pg_catalog.lead(e.changed_at) over (partition by e.job_id order by e.changed_at, e.id) as next_at '
         'from public.job_status_events e where e.user_id = %L', tests.get_supabase_uid('insights-7'))) as stays;

select ok((select stays from insights_plans) ~ 'Scan using idx_job_status_events_user_job_changed'
          and (select stays from insights_plans) !~ 'Sort',
  'The index gives job_insights'' window its (job, time, id) order: no sort of the history.');

-- The per-job grouping takes the history as the index returns it: with sorting and
-- hashing off it is still a plain grouping of the index scan (no sort, no hash of a
-- power user's 5,000 jobs).
set local enable_hashagg = off;
alter table insights_plans add column per_job text;
update insights_plans set per_job = pg_temp.plan_of(format(
  'select e.job_id, min(e.changed_at) filter (where e.to_status = ''applied''), max(e.changed_at), '
  'max(e.changed_at) filter (where e.to_status in (''interviewing'', ''negotiating'', ''accepted'')) '
  'from public.job_status_events e where e.user_id = %L group by e.job_id', tests.get_supabase_uid('insights-7')));

select ok((select per_job from insights_plans) ~ 'GroupAggregate'
          and (select per_job from insights_plans) ~ 'Scan using idx_job_status_events_user_job_changed'
          and (select per_job from insights_plans) !~ 'Sort',
  'The index gives job_insights'' per-job grouping its job order: grouped as read, no sort or hash of the history.');

select * from finish();
rollback;
