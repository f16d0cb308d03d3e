-- Follow-ups and outcomes. Threats covered: a follow-up lost when a job is applied, a
-- stale follow-up on a closed job, another user's follow-ups listed or changed, a
-- closing reason that contradicts the status or survives a reopening, a client
-- forging first_response_at, a ghosted job closed while it is not applied.
begin;
select plan(23);

select tests.create_supabase_user('owner');
select tests.create_supabase_user('stranger');
select tests.authenticate_as('owner');

insert into public.jobs (id, job_title, company, status) values
  ('c2000000-0000-4000-8000-000000000001', 'Engineer', 'Acme', 'bookmarked'),
  ('c2000000-0000-4000-8000-000000000002', 'Analyst', 'Globex', 'applied');
update public.jobs set status = 'applied' where id = 'c2000000-0000-4000-8000-000000000001';
select is((select follow_up_at from public.jobs where id = 'c2000000-0000-4000-8000-000000000001'), now() + interval '7 days',
  'Moving to applied without a follow-up sets one 7 days later (the default).');
select is((select follow_up_at from public.jobs where id = 'c2000000-0000-4000-8000-000000000002'), now() + interval '7 days',
  'A job saved as applied gets its follow-up too.');

insert into public.tracker_settings (follow_up_days, ghosted_after_days) values (3, 10);
insert into public.jobs (id, job_title, company, status, follow_up_at) values
  ('c2000000-0000-4000-8000-000000000003', 'SRE', 'Initech', 'applied', null),
  ('c2000000-0000-4000-8000-000000000004', 'DBA', 'Hooli', 'applied', '2027-01-01 09:00+00');
select is((select follow_up_at from public.jobs where id = 'c2000000-0000-4000-8000-000000000003'), now() + interval '3 days',
  'The owner''s follow_up_days setting is used.');
select is((select follow_up_at from public.jobs where id = 'c2000000-0000-4000-8000-000000000004'), '2027-01-01 09:00+00'::timestamptz,
  'A follow-up the client set is kept.');

-- Due list: oldest first, only the caller's.
update public.jobs set follow_up_at = now() - interval '2 days', next_action = 'Email Rita' where id = 'c2000000-0000-4000-8000-000000000001';
update public.jobs set follow_up_at = now() - interval '5 days' where id = 'c2000000-0000-4000-8000-000000000002';
select results_eq(
  $$select job_id, days_overdue, next_action from public.due_follow_ups()$$,
  $$values ('c2000000-0000-4000-8000-000000000002'::uuid, 5, null::text), ('c2000000-0000-4000-8000-000000000001'::uuid, 2, 'Email Rita')$$,
  'due_follow_ups lists what is due, oldest first, with the days overdue and the next action.');
select throws_ok($$select * from public.due_follow_ups(now(), 0)$$, '22023', null, 'max_rows outside 1-500 is 22023.');

select lives_ok($$select public.complete_follow_up('c2000000-0000-4000-8000-000000000002')$$, 'A follow-up is marked done.');
select is((select follow_up_at from public.jobs where id = 'c2000000-0000-4000-8000-000000000002'), null, 'Done clears follow_up_at.');
select throws_ok($$select public.complete_follow_up('c2000000-0000-4000-8000-000000000002')$$, 'PT404', null,
  'Done twice is 404: there is no follow-up left.');
select is(public.snooze_follow_up('c2000000-0000-4000-8000-000000000001', now() + interval '4 days'), now() + interval '4 days',
  'A follow-up is snoozed to a later moment.');
select throws_ok($$select public.snooze_follow_up('c2000000-0000-4000-8000-000000000001', now() - interval '1 day')$$, '22023', null,
  'Snoozing into the past is 22023.');

select tests.authenticate_as('stranger');
select is_empty($$select * from public.due_follow_ups(now() + interval '1 year')$$, 'A stranger''s list holds none of the owner''s jobs.');
select throws_ok($$select public.snooze_follow_up('c2000000-0000-4000-8000-000000000001', now() + interval '1 day')$$, 'PT404', null,
  'A stranger snoozing the owner''s follow-up gets 404, as for a missing job.');
select tests.authenticate_as('owner');

-- Closing.
update public.jobs set status = 'rejected', closing_reason = 'rejected_after_interview' where id = 'c2000000-0000-4000-8000-000000000001';
select results_eq($$select follow_up_at, closing_reason from public.jobs where id = 'c2000000-0000-4000-8000-000000000001'$$,
  $$values (null::timestamptz, 'rejected_after_interview')$$, 'Closing a job clears its follow-up and keeps its reason.');
select throws_ok($$update public.jobs set closing_reason = 'withdrawn_by_me' where id = 'c2000000-0000-4000-8000-000000000001'$$, '23514', null,
  'withdrawn_by_me on a rejected job is refused.');
update public.jobs set status = 'interviewing' where id = 'c2000000-0000-4000-8000-000000000001';
select is((select closing_reason from public.jobs where id = 'c2000000-0000-4000-8000-000000000001'), null, 'Reopening a job clears its closing reason.');

-- first_response_at is the database's.
select is((select first_response_at from public.jobs where id = 'c2000000-0000-4000-8000-000000000001'), now(),
  'The first status change after applied sets first_response_at.');
select throws_ok($$update public.jobs set first_response_at = '2020-01-01' where id = 'c2000000-0000-4000-8000-000000000003'$$, '42501', null,
  'A client cannot update first_response_at.');
select throws_ok($$insert into public.jobs (job_title, company, status, first_response_at) values ('QA', 'Umbrella', 'applied', '2020-01-01')$$,
  '42501', null, 'Nor send it on insert.');

-- Ghosted: applied with no change for ghosted_after_days (10 here).
set local role postgres;
update public.job_status_events set changed_at = now() - interval '11 days' where job_id = 'c2000000-0000-4000-8000-000000000003';
update public.job_status_events set changed_at = now() - interval '9 days' where job_id = 'c2000000-0000-4000-8000-000000000004';
select tests.authenticate_as('owner');
select results_eq($$select job_id, days_waiting from public.possibly_ghosted_jobs()$$,
  $$values ('c2000000-0000-4000-8000-000000000003'::uuid, 11)$$,
  'Only the job applied longer than ghosted_after_days ago is listed as possibly ghosted.');
select public.mark_job_ghosted('c2000000-0000-4000-8000-000000000003');
select results_eq($$select status::text, closing_reason from public.jobs where id = 'c2000000-0000-4000-8000-000000000003'$$,
  $$values ('rejected', 'no_response')$$, 'Marking it ghosted closes it with "no response".');
select throws_ok($$select public.mark_job_ghosted('c2000000-0000-4000-8000-000000000003')$$, 'PT409', null,
  'A job that is no longer applied cannot be marked ghosted (409).');
select throws_ok($$select public.mark_job_ghosted(gen_random_uuid())$$, 'PT404', null, 'An unknown job is 404.');

select * from finish();
rollback;
