-- Interviews. Threats covered: an interview on another user's job, a contact of another
-- user as a participant, a time zone that is not one (or a POSIX offset read backwards),
-- a client forging the calendar SEQUENCE, the first interview not reaching the status
-- history, a closed job reopened by a late interview.
begin;
select plan(15);

select tests.create_supabase_user('owner');
select tests.create_supabase_user('stranger');
insert into public.jobs (id, user_id, job_title, company, status) values
  ('c1000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), 'Engineer', 'Acme', 'applied'),
  ('c1000000-0000-4000-8000-000000000002', tests.get_supabase_uid('owner'), 'Analyst', 'Globex', 'rejected'),
  ('c1000000-0000-4000-8000-000000000003', tests.get_supabase_uid('stranger'), 'Stranger job', 'Initech', 'applied');
insert into public.contacts (id, user_id, name, email) values
  ('c1000000-0000-4000-8000-000000000011', tests.get_supabase_uid('owner'), 'Rita Recruiter', 'rita@acme.test'),
  ('c1000000-0000-4000-8000-000000000012', tests.get_supabase_uid('stranger'), 'Sam Stranger', 'sam@initech.test');

select tests.authenticate_as('owner');

insert into public.interviews (id, job_id, kind, starts_at, time_zone)
values ('c1000000-0000-4000-8000-000000000021', 'c1000000-0000-4000-8000-000000000001', 'phone_screen',
        '2027-03-15 10:00:00-07', 'America/Los_Angeles');
select is((select status::text from public.jobs where id = 'c1000000-0000-4000-8000-000000000001'), 'interviewing',
  'The first interview moves an applied job to interviewing.');
select results_eq(
  $$select from_status, to_status from public.job_status_events where job_id = 'c1000000-0000-4000-8000-000000000001' order by from_status nulls first$$,
  $$values (null::text, 'applied'::text), ('applied', 'interviewing')$$,
  'The move is in the status history like any status change.');
insert into public.interviews (job_id, starts_at, time_zone)
values ('c1000000-0000-4000-8000-000000000002', '2027-03-20 10:00:00+01', 'Europe/Berlin');
select is((select status::text from public.jobs where id = 'c1000000-0000-4000-8000-000000000002'), 'rejected',
  'An interview on a closed job leaves its status alone.');

select throws_ok(
  $$insert into public.interviews (job_id, starts_at, time_zone) values ('c1000000-0000-4000-8000-000000000003', now(), 'UTC')$$,
  '42501', null, 'An interview on another user''s job is refused.');
select throws_ok(
  $$insert into public.interviews (job_id, starts_at, time_zone) values ('c1000000-0000-4000-8000-000000000001', now(), 'Mars/Olympus')$$,
  '22023', null, 'An unknown time zone is refused with 22023.');
select throws_ok(
  $$insert into public.interviews (job_id, starts_at, time_zone) values ('c1000000-0000-4000-8000-000000000001', now(), 'UTC+3')$$,
  '22023', null, 'A POSIX offset is refused: its sign reads backwards.');
select throws_ok(
  $$insert into public.interviews (job_id, starts_at, time_zone, kind) values ('c1000000-0000-4000-8000-000000000001', now(), 'UTC', 'coffee')$$,
  '23514', null, 'A kind outside the list is refused.');

-- SEQUENCE counts what a calendar shows, whatever the client sends.
select throws_ok(
  $$insert into public.interviews (job_id, starts_at, time_zone, sequence)
    values ('c1000000-0000-4000-8000-000000000001', '2027-04-01 09:00:00+00', 'UTC', 99)$$,
  '42501', null, 'A client cannot send sequence.');
insert into public.interviews (id, job_id, starts_at, time_zone)
values ('c1000000-0000-4000-8000-000000000022', 'c1000000-0000-4000-8000-000000000001', '2027-04-01 09:00:00+00', 'UTC');
select is((select sequence from public.interviews where id = 'c1000000-0000-4000-8000-000000000022'), 0,
  'A new interview starts at SEQUENCE 0.');
select throws_ok(
  $$update public.interviews set sequence = 5 where id = 'c1000000-0000-4000-8000-000000000022'$$,
  '42501', null, 'A client cannot write sequence.');
update public.interviews set starts_at = '2027-04-02 09:00:00+00' where id = 'c1000000-0000-4000-8000-000000000022';
update public.interviews set notes = 'Bring a portfolio.' where id = 'c1000000-0000-4000-8000-000000000022';
update public.interviews set outcome = 'cancelled' where id = 'c1000000-0000-4000-8000-000000000022';
select is((select sequence from public.interviews where id = 'c1000000-0000-4000-8000-000000000022'), 2,
  'A new time and a cancellation bump SEQUENCE; private notes do not.');

insert into public.interview_participants (interview_id, contact_id)
values ('c1000000-0000-4000-8000-000000000021', 'c1000000-0000-4000-8000-000000000011');
select is((select count(*)::int from public.interview_participants), 1, 'The owner adds their own contact to their interview.');
select throws_ok(
  $$insert into public.interview_participants (interview_id, contact_id) values ('c1000000-0000-4000-8000-000000000021', 'c1000000-0000-4000-8000-000000000012')$$,
  '42501', null, 'Another user''s contact cannot be made a participant.');

select tests.authenticate_as('stranger');
select is_empty($$select id from public.interviews$$, 'A stranger sees none of the owner''s interviews.');
select tests.clear_authentication();
select is(tests.attempt_as('stranger', $$update public.interviews set outcome = 'passed'$$), 'rows: 0',
  'A stranger changes none of them.');

select * from finish();
rollback;
