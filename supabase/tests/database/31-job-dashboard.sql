-- job_dashboard: every number of the dashboard against a hand-built history whose
-- expected values are worked out below. Covered: by_status with zeros, the funnel
-- (a job that skipped a stage counts for it), response rate and median (withdrawn and
-- rejected count as answers), the twelve weeks in America/Los_Angeles with a week
-- boundary on Sunday night, the spring-forward week (2026-03-08) and the fall-back week
-- (2026-11-01), "today" in the caller's zone for deadlines, the follow-up list (14 days
-- exactly, oldest first), bad time zones (22023), the public wrapper, no materialized
-- view readable by the API roles, and isolation: a stranger sees zeros, anon may not call.
begin;
select plan(27);

insert into auth.users (id, email, aud, role) values
  ('31000000-0000-4000-8000-000000000001', 'owner@dashboard.test', 'authenticated', 'authenticated'),
  ('31000000-0000-4000-8000-000000000002', 'autumn@dashboard.test', 'authenticated', 'authenticated'),
  ('31000000-0000-4000-8000-000000000003', 'stranger@dashboard.test', 'authenticated', 'authenticated');

-- The owner's jobs J1..J16 (no J15) at their current status, with deadlines.
insert into public.jobs (id, user_id, job_title, company, status, deadline)
select ('31000000-0000-4000-8000-0000000000' || lpad(n::text, 2, '0'))::uuid, '31000000-0000-4000-8000-000000000001',
       'Job ' || n, 'Company ' || n, status, deadline::date
  from (values (1, 'rejected', null), (2, 'accepted', null), (3, 'applied', null), (4, 'applied', null),
               (5, 'applied', null), (6, 'rejected', null), (7, 'bookmarked', '2026-03-20'),
               (8, 'interviewing', '2026-04-03'), (9, 'bookmarked', '2026-04-04'), (10, 'applied', '2026-03-25'),
               (11, 'applying', '2026-03-19'), (12, 'applied', null), (13, 'interviewing', null),
               (14, 'withdrawn', null), (16, 'accepted', null)) as v(n, status, deadline);
insert into public.jobs (id, user_id, job_title, company, status) values
  ('31000000-0000-4000-8000-000000000020', '31000000-0000-4000-8000-000000000002', 'Job 20', 'Company 20', 'interviewing'),
  ('31000000-0000-4000-8000-000000000021', '31000000-0000-4000-8000-000000000002', 'Job 21', 'Company 21', 'applied');

-- Their histories, at known instants (UTC), instead of the trigger's now().
delete from public.job_status_events
 where user_id in ('31000000-0000-4000-8000-000000000001', '31000000-0000-4000-8000-000000000002');
insert into public.job_status_events (job_id, user_id, to_status, changed_at)
select ('31000000-0000-4000-8000-0000000000' || lpad(n::text, 2, '0'))::uuid,
       case when n >= 20 then '31000000-0000-4000-8000-000000000002' else '31000000-0000-4000-8000-000000000001' end::uuid,
       to_status, changed_at::timestamptz
  from (values
    (1, 'bookmarked', '2026-01-02 10:00Z'), (1, 'applied', '2026-01-05 17:00Z'), (1, 'interviewing', '2026-01-08 17:00Z'), (1, 'rejected', '2026-01-20 17:00Z'),
    (2, 'bookmarked', '2026-02-01 08:00Z'), (2, 'applied', '2026-02-02 08:00Z'), (2, 'interviewing', '2026-02-07 08:00Z'),
      (2, 'negotiating', '2026-02-20 08:00Z'), (2, 'accepted', '2026-03-01 08:00Z'),
    (3, 'bookmarked', '2026-02-20 10:00Z'), (3, 'applied', '2026-03-02 07:30Z'),
    (4, 'applied', '2026-03-10 12:00Z'),
    (5, 'applied', '2026-03-06 12:00Z'),
    (6, 'applied', '2026-02-10 09:00Z'), (6, 'rejected', '2026-02-11 21:00Z'),
    (7, 'bookmarked', '2026-03-18 10:00Z'),
    (8, 'bookmarked', '2026-02-25 10:00Z'), (8, 'applied', '2026-03-09 06:30Z'), (8, 'interviewing', '2026-03-09 07:30Z'),
    (9, 'bookmarked', '2026-03-01 10:00Z'),
    (10, 'applied', '2026-03-19 10:00Z'),
    (11, 'bookmarked', '2026-03-01 11:00Z'), (11, 'applying', '2026-03-02 11:00Z'),
    (12, 'applied', '2025-12-28 12:00Z'),
    (13, 'applied', '2025-12-29 08:00Z'), (13, 'interviewing', '2026-01-02 12:00Z'),
    (14, 'applied', '2026-01-12 10:00Z'), (14, 'withdrawn', '2026-01-14 10:00Z'),
    (16, 'bookmarked', '2026-01-09 10:00Z'), (16, 'accepted', '2026-01-10 10:00Z'),
    (20, 'applied', '2026-11-02 07:30Z'), (20, 'interviewing', '2026-11-02 08:30Z'),
    (21, 'applied', '2026-10-26 07:30Z')) as v(n, to_status, changed_at);

create function pg_temp.as_user(who uuid) returns void language sql as $$
  select set_config('role', 'authenticated', true),
         set_config('request.jwt.claims', pg_catalog.json_build_object('sub', who, 'role', 'authenticated')::text, true);
$$;
grant execute on function pg_temp.as_user(uuid) to authenticated;

-- The owner's dashboard on Friday 2026-03-20 12:00 UTC (05:00 PDT), in Los Angeles.
select pg_temp.as_user('31000000-0000-4000-8000-000000000001');
create temp table spring as
select private.job_dashboard('America/Los_Angeles', '2026-03-20 12:00Z') as d;

-- by_status: bookmarked J7 J9; applying J11; applied J3 J4 J5 J10 J12; interviewing J8 J13;
-- negotiating none; accepted J2 J16; rejected J1 J6; withdrawn J14: 15 jobs.
select is((select d -> 'by_status' from spring),
  '{"bookmarked": 2, "applying": 1, "applied": 5, "interviewing": 2, "negotiating": 0, "accepted": 2, "rejected": 2, "withdrawn": 1, "total": 15}'::jsonb,
  'by_status counts every status, zeros included, and the total.');

-- Furthest stage reached: accepted J2 J16 (J16 went bookmarked -> accepted directly);
-- interviewing J1 J8 J13; applied J3 J4 J5 J6 J10 J12 J14. So >= applied 12,
-- >= interviewing 5, >= negotiating 2, >= accepted 2.
select is((select d -> 'funnel' from spring),
  '[{"stage": "applied", "jobs": 12}, {"stage": "interviewing", "jobs": 5}, {"stage": "negotiating", "jobs": 2}, {"stage": "accepted", "jobs": 2}]'::jsonb,
  'The funnel counts jobs that ever reached each stage or a later one (a skipped stage counts).');

-- Applied at some point: J1 J2 J3 J4 J5 J6 J8 J10 J12 J13 J14 = 11 (not J16). Answered
-- after the first applied: J1 3 d, J2 5 d, J6 1.5 d (rejected), J8 1 h, J13 4 d 4 h,
-- J14 2 d (withdrawn) = 6. Rate 6/11 = 0.5455; median of (0.04, 1.5, 2, 3, 4.17, 5) = 2.5.
select is((select (d ->> 'response_rate')::numeric from spring), 0.5455,
  'response_rate: 6 of the 11 applied jobs moved on (rejected and withdrawn included).');
select is((select (d ->> 'median_days_to_response')::numeric from spring), 2.50,
  'median_days_to_response: the median of 1 h, 1.5, 2, 3, 4 d 4 h and 5 days is 2.5.');

-- Weeks start Monday 00:00 in Los Angeles: 2025-12-29 .. 2026-03-16 (current week last).
--   J13 applied Mon 12-29 00:00 PST (the first week's first instant), interviewed 01-02
--   J12 applied Sun 12-28 04:00 PST: the week before the window, not counted
--   J1 applied and interviewed in the week of 01-05; J14 applied 01-12
--   J2 applied Mon 02-02 00:00 PST (the boundary belongs to the new week), interviewed Sat 02-07
--   J6 applied 02-10
--   J3 applied 03-02 07:30 UTC = Sun 03-01 23:30 PST: week of 02-23 (in UTC it is 03-02)
--   J5 applied Fri 03-06; J8 applied 03-09 06:30 UTC = Sun 03-08 23:30 PDT, the week of
--     the spring-forward Sunday (02:00 PST -> 03:00 PDT); J8's interview an hour later,
--     03-09 07:30 UTC = Mon 00:30 PDT, is in the next week (a fixed UTC-8 would put both
--     in the week of 03-02)
--   J4 applied 03-10; J10 applied 03-19
select is((select d -> 'weekly' from spring),
  '[{"week_start": "2025-12-29", "applied": 1, "interviews": 1},
    {"week_start": "2026-01-05", "applied": 1, "interviews": 1},
    {"week_start": "2026-01-12", "applied": 1, "interviews": 0},
    {"week_start": "2026-01-19", "applied": 0, "interviews": 0},
    {"week_start": "2026-01-26", "applied": 0, "interviews": 0},
    {"week_start": "2026-02-02", "applied": 1, "interviews": 1},
    {"week_start": "2026-02-09", "applied": 1, "interviews": 0},
    {"week_start": "2026-02-16", "applied": 0, "interviews": 0},
    {"week_start": "2026-02-23", "applied": 1, "interviews": 0},
    {"week_start": "2026-03-02", "applied": 2, "interviews": 0},
    {"week_start": "2026-03-09", "applied": 1, "interviews": 1},
    {"week_start": "2026-03-16", "applied": 1, "interviews": 0}]'::jsonb,
  'weekly: twelve Los Angeles weeks, boundaries on Sunday night and in the spring-forward week exact.');

-- The same moment in UTC moves J3 into 03-02 and J8's application into 03-09.
select is((select jsonb_path_query_array(private.job_dashboard('UTC', '2026-03-20 12:00Z') -> 'weekly',
                                         '$[8 to 10]')),
  '[{"week_start": "2026-02-23", "applied": 0, "interviews": 0},
    {"week_start": "2026-03-02", "applied": 2, "interviews": 0},
    {"week_start": "2026-03-09", "applied": 2, "interviews": 1}]'::jsonb,
  'In UTC the same events fall into other weeks: the zone decides.');

-- Still applied with no change since at least 2026-03-06 12:00 UTC: J12 (82 days),
-- J3 (18 days 4.5 h -> 18), J5 (exactly 14 days); not J4 (10 days) nor J10 (1 day).
select is((select d -> 'needs_follow_up' from spring),
  '[{"id": "31000000-0000-4000-8000-000000000012", "job_title": "Job 12", "company": "Company 12", "days_waiting": 82},
    {"id": "31000000-0000-4000-8000-000000000003", "job_title": "Job 3", "company": "Company 3", "days_waiting": 18},
    {"id": "31000000-0000-4000-8000-000000000005", "job_title": "Job 5", "company": "Company 5", "days_waiting": 14}]'::jsonb,
  'needs_follow_up: applied jobs unchanged for 14 days or more, oldest first, with whole days waited.');

-- Today in Los Angeles is 2026-03-20: J7 (bookmarked, today) and J8 (interviewing,
-- today + 14); not J9 (+15), J10 (applied), J11 (yesterday).
select is((select d -> 'upcoming_deadlines' from spring),
  '[{"id": "31000000-0000-4000-8000-000000000007", "job_title": "Job 7", "company": "Company 7", "status": "bookmarked", "deadline": "2026-03-20", "days_left": 0},
    {"id": "31000000-0000-4000-8000-000000000008", "job_title": "Job 8", "company": "Company 8", "status": "interviewing", "deadline": "2026-04-03", "days_left": 14}]'::jsonb,
  'upcoming_deadlines: today through today + 14, not yet applied/accepted/rejected/withdrawn, soonest first.');

-- At 2026-03-20 03:00 UTC it is still 03-19 in Los Angeles: J11 is due today, J8 is 15 days out.
select is((select jsonb_path_query_array(private.job_dashboard('America/Los_Angeles', '2026-03-20 03:00Z') -> 'upcoming_deadlines', '$[*].id')),
  '["31000000-0000-4000-8000-000000000011", "31000000-0000-4000-8000-000000000007"]'::jsonb,
  '"Today" for deadlines is the caller''s date: late evening in Los Angeles is still yesterday in UTC terms.');
select is((select jsonb_path_query_array(private.job_dashboard('UTC', '2026-03-20 03:00Z') -> 'upcoming_deadlines', '$[*].days_left')),
  '[0, 14]'::jsonb,
  'The same instant in UTC is already 03-20: J7 today, J8 in 14 days.');

select is((select d ->> 'time_zone' from spring), 'America/Los_Angeles', 'The answer names the zone it used.');

-- The fall-back week: 2026-11-01 02:00 PDT -> 01:00 PST. On Friday 2026-11-06 12:00 UTC:
--   J21 applied 10-26 07:30 UTC = Mon 00:30 PDT: week of 10-26 (a fixed UTC-8 says 10-19);
--   J20 applied 11-02 07:30 UTC = Sun 11-01 23:30 PST: week of 10-26 (a fixed UTC-7 says 11-02);
--   J20 interviewed 11-02 08:30 UTC = Mon 00:30 PST: week of 11-02.
select pg_temp.as_user('31000000-0000-4000-8000-000000000002');
select is((select jsonb_path_query_array(private.job_dashboard('America/Los_Angeles', '2026-11-06 12:00Z') -> 'weekly', '$[9 to 11]')),
  '[{"week_start": "2026-10-19", "applied": 0, "interviews": 0},
    {"week_start": "2026-10-26", "applied": 2, "interviews": 0},
    {"week_start": "2026-11-02", "applied": 0, "interviews": 1}]'::jsonb,
  'weekly: the 169-hour fall-back week holds both applications; the interview is in the next week.');
select is((select jsonb_path_query_array(private.job_dashboard('America/Los_Angeles', '2026-11-06 12:00Z') -> 'weekly', '$[0].week_start')),
  '["2026-08-17"]'::jsonb, 'The first of the twelve weeks is eleven weeks before the current one.');
select is((select (private.job_dashboard('America/Los_Angeles', '2026-11-06 12:00Z') ->> 'median_days_to_response')::numeric),
  0.04, 'An answer an hour after applying is 0.04 days.');

-- Time zones --------------------------------------------------------------------------------
select throws_ok($$select private.job_dashboard('Mars/Olympus_Mons', now())$$, '22023', 'tz must be an IANA time zone name such as America/Los_Angeles',
  'An unknown zone is a 400 (22023).');
select throws_ok($$select public.job_dashboard('UTC+3')$$, '22023', 'tz must be an IANA time zone name such as America/Los_Angeles',
  'A POSIX offset (whose sign is reversed) is refused.');
select throws_ok($$select public.job_dashboard(repeat('A', 65))$$, '22023', null, 'An over-long zone is refused.');
select is((select private.job_dashboard(null, '2026-03-20 12:00Z') ->> 'time_zone'), 'UTC', 'A null zone means UTC.');
select is(public.job_dashboard() ->> 'time_zone', 'UTC', 'job_dashboard() defaults to UTC.');
select is(public.job_dashboard('America/Los_Angeles'), private.job_dashboard('America/Los_Angeles', now()),
  'public.job_dashboard(tz) is the dashboard as of now.');

-- Isolation --------------------------------------------------------------------------------------
select pg_temp.as_user('31000000-0000-4000-8000-000000000003');
create temp table stranger as select private.job_dashboard('America/Los_Angeles', '2026-03-20 12:00Z') as d;
select is((select d -> 'by_status' from stranger),
  '{"bookmarked": 0, "applying": 0, "applied": 0, "interviewing": 0, "negotiating": 0, "accepted": 0, "rejected": 0, "withdrawn": 0, "total": 0}'::jsonb,
  'A stranger''s dashboard counts none of the owner''s jobs.');
select is((select d - 'by_status' - 'weekly' - 'as_of' - 'time_zone' from stranger),
  '{"funnel": [{"stage": "applied", "jobs": 0}, {"stage": "interviewing", "jobs": 0}, {"stage": "negotiating", "jobs": 0}, {"stage": "accepted", "jobs": 0}],
    "response_rate": null, "median_days_to_response": null, "needs_follow_up": [], "upcoming_deadlines": []}'::jsonb,
  'A stranger sees an empty funnel, no rate, no median and empty lists.');
select is((select sum((w ->> 'applied')::int + (w ->> 'interviews')::int)::int from stranger, jsonb_array_elements(d -> 'weekly') w),
  0, 'A stranger''s twelve weeks are all zero.');
reset role;
select set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role":"anon"}', true);
select throws_ok($$select public.job_dashboard('UTC')$$, '42501', null, 'anon may not call job_dashboard (401 through PostgREST).');
select throws_ok($$select private.job_dashboard('UTC', now())$$, '42501', null, 'anon may not call its body either.');
reset role;

-- No leaking statistics -------------------------------------------------------------------
select is_empty(
  $$select c.oid::regclass from pg_class c
     where c.relkind = 'm'
       and (has_table_privilege('anon', c.oid, 'SELECT') or has_table_privilege('authenticated', c.oid, 'SELECT'))$$,
  'No materialized view anywhere is readable by anon or authenticated.');
select is(
  (select array_agg(p.proname::text order by p.proname) from pg_proc p
    where p.proname in ('job_dashboard', 'search_jobs') and p.pronamespace = 'public'::regnamespace and not p.prosecdef),
  array['job_dashboard', 'search_jobs'], 'Both RPCs are SECURITY INVOKER functions in public.');

select * from finish();
rollback;
