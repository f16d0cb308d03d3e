-- The export with stage history (public.application_history()). Threats covered: another
-- user's applications in the export, anon reading it, the function running with its
-- owner's rights (a definer would bypass RLS).
begin;
select plan(7);

select tests.create_supabase_user('owner');
select tests.create_supabase_user('stranger');
insert into public.jobs (id, user_id, job_title, company, status, source) values
  ('c6000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), 'Engineer', 'Acme', 'rejected', 'referral'),
  ('c6000000-0000-4000-8000-000000000002', tests.get_supabase_uid('stranger'), 'Secret', 'Stranger Corp', 'applied', null);
update public.jobs set closing_reason = 'rejected_after_interview' where id = 'c6000000-0000-4000-8000-000000000001';
delete from public.job_status_events where job_id = 'c6000000-0000-4000-8000-000000000001';
insert into public.job_status_events (job_id, user_id, from_status, to_status, changed_at) values
  ('c6000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), null, 'bookmarked', '2026-01-01 09:00+00'),
  ('c6000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), 'bookmarked', 'applied', '2026-01-02 23:30-08'),
  ('c6000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), 'applied', 'interviewing', '2026-01-12 09:00+00'),
  ('c6000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), 'interviewing', 'rejected', '2026-01-22 09:00+00');

select ok((select not prosecdef from pg_proc where oid = 'public.application_history()'::regprocedure),
  'The export runs with the caller''s rights, so RLS on jobs and their events applies.');

select tests.authenticate_as('owner');
select results_eq(
  $$select company, job_title, source, applied_on, status, closing_reason, stage_history from public.application_history()$$,
  $$values ('Acme', 'Engineer', 'referral', '2026-01-03'::date, 'rejected', 'rejected_after_interview',
            'bookmarked 2026-01-01T09:00:00Z; applied 2026-01-03T07:30:00Z; interviewing 2026-01-12T09:00:00Z; rejected 2026-01-22T09:00:00Z')$$,
  'One row per application: source, applied date (UTC day of the first applied), status, closing reason and every status with its time.');
select is((select stages from public.application_history()),
  '[{"status": "bookmarked", "at": "2026-01-01T09:00:00+00:00"}, {"status": "applied", "at": "2026-01-03T07:30:00+00:00"},
    {"status": "interviewing", "at": "2026-01-12T09:00:00+00:00"}, {"status": "rejected", "at": "2026-01-22T09:00:00+00:00"}]'::jsonb,
  'stages is the same history as JSON, oldest first.');
update public.jobs set date_applied = '2025-12-31' where id = 'c6000000-0000-4000-8000-000000000001';
select is((select applied_on from public.application_history()), '2025-12-31'::date, 'A date_applied the user set wins.');

select tests.authenticate_as('stranger');
select results_eq($$select company from public.application_history()$$, $$values ('Stranger Corp')$$,
  'A stranger''s export holds only their own application.');
select tests.authenticate_as_anon();
select throws_ok($$select * from public.application_history()$$, '42501', null, 'anon cannot read the export.');
select tests.clear_authentication();
select is(tests.attempt_as('stranger', $$select * from public.application_history() where job_id = 'c6000000-0000-4000-8000-000000000001'$$),
  'rows: 0', 'The owner''s row is invisible to a stranger who names it.');

select * from finish();
rollback;
