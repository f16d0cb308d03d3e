-- Why: the dashboard shows how a user's search is going: jobs per status, how far
-- applications get, how often and how fast companies answer, the last twelve weeks,
-- and what needs a follow-up or is due soon. One invoker RPC computes all of it from
-- jobs and job_status_events under the caller's RLS: no materialized view (one could
-- not carry RLS, and an API-readable one would show every user's numbers).
--
-- private.job_dashboard takes the moment it reports on, so that tests can pin "now";
-- public.job_dashboard passes now(). Definitions (also in the README):
--   by_status        current jobs per status, all eight (zeros included), and total.
--   funnel           for applied, interviewing, negotiating, accepted: jobs whose history
--                    ever reached that stage or a later one of the four.
--   response_rate    of jobs with an 'applied' event, the share with a later event (any
--                    status, rejected included); null without applied jobs.
--   median_days_to_response  median of (first event after the first 'applied') - (first
--                    'applied'), in days, two decimals; null without responses.
--   weekly           12 weeks, Monday 00:00 in the caller's time zone, oldest first, the
--                    current week last: jobs with an 'applied' event in the week, and
--                    jobs with an 'interviewing' event in the week.
--   needs_follow_up  up to 20 jobs now 'applied' whose last status change is at least
--                    14 days old, oldest first; days_waiting = whole days since then.
--   upcoming_deadlines  up to 20 jobs with a deadline from today to today + 14 days (the
--                    caller's today) and a status other than applied, accepted, rejected
--                    or withdrawn, soonest first; days_left = deadline - today.

-- Whole-history aggregates per job read every event of the caller in job order, and
-- from this index alone once the visibility map is set.
create index idx_job_status_events_user_job_changed
  on public.job_status_events (user_id, job_id, changed_at) include (to_status);
-- Deadlines due soon, per user, without reading the user's other jobs.
create index idx_jobs_user_deadline on public.jobs (user_id, deadline) where deadline is not null;

create function private.job_dashboard(tz text, as_of timestamptz)
returns jsonb
language plpgsql
stable
-- Invoker: every row read is the caller's by RLS (and by the explicit user filter).
security invoker
set search_path = ''
as $$
declare
  caller uuid := (select auth.uid());
  zone text := coalesce(tz, 'UTC');
  today date;
  first_week timestamp;
  result jsonb;
begin
  -- IANA names (America/Los_Angeles, Etc/GMT+8, UTC); not POSIX offsets like 'UTC+3',
  -- whose sign is the reverse of what people expect.
  if pg_catalog.char_length(zone) > 64
     or zone !~ '^[A-Za-z][A-Za-z0-9_]*(/[A-Za-z0-9_+-]+){0,2}$' then
    raise exception 'tz must be an IANA time zone name such as America/Los_Angeles'
      using errcode = '22023';
  end if;
  begin
    today := pg_catalog.timezone(zone, as_of)::date;
  exception when invalid_parameter_value then
    raise exception 'tz must be an IANA time zone name such as America/Los_Angeles'
      using errcode = '22023', detail = pg_catalog.format('time zone %s is not known', zone);
  end;
  first_week := pg_catalog.date_trunc('week', pg_catalog.timezone(zone, as_of)) - interval '11 weeks';

  with
  -- One pass over the caller's events in (job, time) order, straight from the index.
  events as (
    select e.job_id, e.to_status, e.changed_at,
           pg_catalog.min(e.changed_at) filter (where e.to_status = 'applied') over (partition by e.job_id) as first_applied
      from public.job_status_events e
     where e.user_id = caller
  ),
  per_job as materialized (
    select e.job_id,
           pg_catalog.max(case e.to_status when 'applied' then 1 when 'interviewing' then 2
                                           when 'negotiating' then 3 when 'accepted' then 4 else 0 end) as furthest,
           pg_catalog.min(e.first_applied) as first_applied,
           pg_catalog.min(e.changed_at) filter (where e.changed_at > e.first_applied) as responded_at,
           pg_catalog.max(e.changed_at) as last_change
      from events e
     group by e.job_id
  ),
  summary as (
    select pg_catalog.count(*) filter (where p.furthest >= 1) as reached_applied,
           pg_catalog.count(*) filter (where p.furthest >= 2) as reached_interviewing,
           pg_catalog.count(*) filter (where p.furthest >= 3) as reached_negotiating,
           pg_catalog.count(*) filter (where p.furthest >= 4) as reached_accepted,
           pg_catalog.count(*) filter (where p.first_applied is not null) as applied_jobs,
           pg_catalog.count(p.responded_at) as responded_jobs,
           pg_catalog.percentile_cont(0.5) within group (
             order by pg_catalog.date_part('epoch', p.responded_at - p.first_applied) / 86400) as median_days
      from per_job p
  ),
  weeks as (
    select (first_week + w * interval '1 week')::date as week_start from pg_catalog.generate_series(0, 11) w
  ),
  weekly_counts as (
    select pg_catalog.date_trunc('week', pg_catalog.timezone(zone, e.changed_at))::date as week_start,
           pg_catalog.count(distinct e.job_id) filter (where e.to_status = 'applied') as applied,
           pg_catalog.count(distinct e.job_id) filter (where e.to_status = 'interviewing') as interviews
      from public.job_status_events e
     where e.user_id = caller
       and e.changed_at >= pg_catalog.timezone(zone, first_week)
     group by 1
  ),
  follow_up as (
    select p.job_id, p.last_change
      from per_job p
     where p.last_change <= as_of - interval '14 days'
       and p.job_id in (select j.id from public.jobs j where j.user_id = caller and j.status = 'applied')
     order by p.last_change, p.job_id
     limit 20
  ),
  deadlines as (
    select j.id, j.job_title, j.company, j.status, j.deadline
      from public.jobs j
     where j.user_id = caller
       and j.deadline between today and today + 14
       and j.status not in ('applied', 'accepted', 'rejected', 'withdrawn')
     order by j.deadline, j.id
     limit 20
  ),
  status_counts as (
    select j.status, pg_catalog.count(*) as jobs
      from public.jobs j
     where j.user_id = caller
     group by j.status
  )
  select pg_catalog.jsonb_build_object(
    'time_zone', zone,
    'as_of', as_of,
    'by_status', (
      select pg_catalog.jsonb_object_agg(s.status, coalesce(c.jobs, 0))
             || pg_catalog.jsonb_build_object('total', coalesce((select pg_catalog.sum(jobs) from status_counts), 0))
        from pg_catalog.unnest(array['bookmarked', 'applying', 'applied', 'interviewing', 'negotiating',
                                     'accepted', 'rejected', 'withdrawn']) s(status)
        left join status_counts c on c.status = s.status),
    'funnel', (
      select pg_catalog.jsonb_build_array(
               pg_catalog.jsonb_build_object('stage', 'applied', 'jobs', s.reached_applied),
               pg_catalog.jsonb_build_object('stage', 'interviewing', 'jobs', s.reached_interviewing),
               pg_catalog.jsonb_build_object('stage', 'negotiating', 'jobs', s.reached_negotiating),
               pg_catalog.jsonb_build_object('stage', 'accepted', 'jobs', s.reached_accepted))
        from summary s),
    'response_rate', (select pg_catalog.round(s.responded_jobs::numeric / nullif(s.applied_jobs, 0), 4) from summary s),
    'median_days_to_response', (select pg_catalog.round(s.median_days::numeric, 2) from summary s),
    'weekly', (
      select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'week_start', w.week_start,
               'applied', coalesce(c.applied, 0),
               'interviews', coalesce(c.interviews, 0)) order by w.week_start)
        from weeks w left join weekly_counts c on c.week_start = w.week_start),
    'needs_follow_up', (
      select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'id', j.id, 'job_title', j.job_title, 'company', j.company,
               'days_waiting', pg_catalog.floor(pg_catalog.date_part('epoch', as_of - f.last_change) / 86400)::integer)
             order by f.last_change, f.job_id), '[]'::jsonb)
        from follow_up f join public.jobs j on j.id = f.job_id),
    'upcoming_deadlines', (
      select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'id', d.id, 'job_title', d.job_title, 'company', d.company, 'status', d.status,
               'deadline', d.deadline, 'days_left', d.deadline - today)
             order by d.deadline, d.id), '[]'::jsonb)
        from deadlines d))
    into result;

  return result;
end
$$;
comment on function private.job_dashboard(text, timestamptz) is
  'The caller''s job dashboard as of a given moment, in a given IANA time zone (see public.job_dashboard).';

create function public.job_dashboard(tz text default 'UTC')
returns jsonb
language sql
stable
-- Invoker: the caller's RLS decides which jobs and events are counted.
security invoker
set search_path = ''
as $$
  select private.job_dashboard(tz, pg_catalog.now())
$$;
comment on function public.job_dashboard(text) is
  'Your job search dashboard as one JSON object: by_status (all eight statuses and total), funnel, response_rate, median_days_to_response, weekly (12 weeks in tz), needs_follow_up, upcoming_deadlines. tz is an IANA time zone (default UTC); 400 (22023) for an unknown one.';

revoke all on function private.job_dashboard(text, timestamptz) from public, anon, authenticated, service_role;
revoke all on function public.job_dashboard(text) from public, anon, authenticated, service_role;
grant execute on function private.job_dashboard(text, timestamptz) to authenticated, service_role;
grant execute on function public.job_dashboard(text) to authenticated, service_role;
