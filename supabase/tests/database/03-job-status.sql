-- Job pipeline: statuses are normalised on write and limited to eight values, 0
-- excitement means unset, job URLs are http(s), and every status change is
-- recorded in job_status_events (read-only for its owner, invisible to others).
begin;
select plan(28);

select tests.create_supabase_user('owner', 'owner@example.test', '11111111-0000-4000-8000-000000000001');
select tests.create_supabase_user('stranger', 'stranger@example.test', '11111111-0000-4000-8000-000000000002');

insert into public.jobs (id, user_id, job_title, company, status) values
  ('33333333-0000-4000-8000-000000000001', '11111111-0000-4000-8000-000000000001', 'Dev', 'Acme', ' APPLIED '),
  ('33333333-0000-4000-8000-000000000002', '11111111-0000-4000-8000-000000000001', 'Dev', 'Beta', 'Interviewing'),
  ('33333333-0000-4000-8000-000000000003', '11111111-0000-4000-8000-000000000001', 'Dev', 'Gamma', 'interview'),
  ('33333333-0000-4000-8000-000000000004', '11111111-0000-4000-8000-000000000001', 'Dev', 'Delta', 'Offer'),
  ('33333333-0000-4000-8000-000000000005', '11111111-0000-4000-8000-000000000001', 'Dev', 'Epsilon', 'Phone_Screen');
insert into public.jobs (id, user_id, job_title, company) values
  ('33333333-0000-4000-8000-000000000006', '11111111-0000-4000-8000-000000000001', 'Dev', 'Zeta');

select is((select status::text from public.jobs where id = '33333333-0000-4000-8000-000000000001'), 'applied', '" APPLIED " is stored as applied.');
select is((select status::text from public.jobs where id = '33333333-0000-4000-8000-000000000002'), 'interviewing', '"Interviewing" (the app''s Title Case) is stored as interviewing.');
select is((select status::text from public.jobs where id = '33333333-0000-4000-8000-000000000003'), 'interviewing', 'The spec''s "interview" is stored as interviewing.');
select is((select status::text from public.jobs where id = '33333333-0000-4000-8000-000000000004'), 'negotiating', 'The synonym "Offer" is stored as negotiating.');
select is((select status::text from public.jobs where id = '33333333-0000-4000-8000-000000000005'), 'interviewing', '"Phone_Screen" is stored as interviewing.');
select is((select status::text from public.jobs where id = '33333333-0000-4000-8000-000000000006'), 'bookmarked', 'A job saved without a status starts as bookmarked.');

update public.jobs set status = 'Rejected' where id = '33333333-0000-4000-8000-000000000001';
select is((select status::text from public.jobs where id = '33333333-0000-4000-8000-000000000001'), 'rejected', 'An update to "Rejected" is stored as rejected.');

select throws_ok(
  $$insert into public.jobs (user_id, job_title, company, status) values ('11111111-0000-4000-8000-000000000001', 'Dev', 'Acme', 'ghosted')$$,
  '23514', 'new row for relation "jobs" violates check constraint "jobs_status_check"',
  'A status outside the pipeline is rejected by jobs_status_check.');
select throws_ok(
  $$update public.jobs set status = 'maybe' where id = '33333333-0000-4000-8000-000000000002'$$,
  '23514', 'new row for relation "jobs" violates check constraint "jobs_status_check"',
  'Updating to a status outside the pipeline is rejected by jobs_status_check.');

-- excitement_level
insert into public.jobs (id, user_id, job_title, company, status, excitement_level)
values ('33333333-0000-4000-8000-000000000007', '11111111-0000-4000-8000-000000000001', 'Dev', 'Eta', 'bookmarked', 0);
select is((select excitement_level from public.jobs where id = '33333333-0000-4000-8000-000000000007'), null, 'Excitement 0 (the extension''s "unset") is stored as null.');
update public.jobs set excitement_level = 4 where id = '33333333-0000-4000-8000-000000000007';
select is((select excitement_level from public.jobs where id = '33333333-0000-4000-8000-000000000007'), 4, 'Excitement 4 is stored as 4.');
select throws_ok(
  $$update public.jobs set excitement_level = 6 where id = '33333333-0000-4000-8000-000000000007'$$,
  '23514', 'new row for relation "jobs" violates check constraint "jobs_excitement_level_check"',
  'Excitement above 5 is rejected by jobs_excitement_level_check.');

-- job_url
select lives_ok(
  $$update public.jobs set job_url = 'https://jobs.example.com/1' where id = '33333333-0000-4000-8000-000000000007'$$,
  'An https job URL is accepted.');
select throws_ok(
  $$update public.jobs set job_url = 'ftp://jobs.example.com/1' where id = '33333333-0000-4000-8000-000000000007'$$,
  '23514', 'new row for relation "jobs" violates check constraint "jobs_job_url_check"',
  'A non-http job URL is rejected by jobs_job_url_check.');
select throws_ok(
  $$update public.jobs set job_url = 'javascript:alert(1)' where id = '33333333-0000-4000-8000-000000000007'$$,
  '23514', 'new row for relation "jobs" violates check constraint "jobs_job_url_check"',
  'A javascript: job URL is rejected by jobs_job_url_check.');

-- History
select results_eq(
  $$select from_status, to_status from public.job_status_events where job_id = '33333333-0000-4000-8000-000000000001' order by changed_at, from_status nulls first$$,
  $$values (null::text, 'applied'::text), ('applied', 'rejected')$$,
  'Inserting a job and changing its status each write one history row, normalised.');
select is((select changed_at from public.job_status_events where job_id = '33333333-0000-4000-8000-000000000001' and to_status = 'rejected'), now(),
          'The history row is dated at the change.');
select is((select user_id from public.job_status_events where job_id = '33333333-0000-4000-8000-000000000002'), '11111111-0000-4000-8000-000000000001'::uuid,
          'The history row belongs to the job''s owner.');

update public.jobs set salary = '90k' where id = '33333333-0000-4000-8000-000000000002';
update public.jobs set status = 'INTERVIEWING' where id = '33333333-0000-4000-8000-000000000002';
select is((select count(*)::int from public.job_status_events where job_id = '33333333-0000-4000-8000-000000000002'), 1,
          'Editing other fields, or re-sending the same status in another spelling, writes no history row.');

select throws_ok(
  $$insert into public.job_status_events (job_id, user_id, to_status) values ('33333333-0000-4000-8000-000000000002', '11111111-0000-4000-8000-000000000001', 'Applied')$$,
  '23514', 'new row for relation "job_status_events" violates check constraint "job_status_events_to_status_check"',
  'A history row with a status outside the pipeline is rejected by job_status_events_to_status_check.');
select throws_ok(
  $$insert into public.job_status_events (job_id, user_id, from_status, to_status) values ('33333333-0000-4000-8000-000000000002', '11111111-0000-4000-8000-000000000001', 'x', 'applied')$$,
  '23514', 'new row for relation "job_status_events" violates check constraint "job_status_events_from_status_check"',
  'A history row from a status outside the pipeline is rejected by job_status_events_from_status_check.');

-- As the owner
select tests.authenticate_as('owner');

insert into public.jobs (id, user_id, job_title, company, status)
values ('33333333-0000-4000-8000-000000000008', '11111111-0000-4000-8000-000000000001', 'Dev', 'Theta', 'Applying');
update public.jobs set status = 'applied' where id = '33333333-0000-4000-8000-000000000008';
select results_eq(
  $$select from_status, to_status from public.job_status_events where job_id = '33333333-0000-4000-8000-000000000008' order by changed_at, from_status nulls first$$,
  $$values (null::text, 'applying'::text), ('applying', 'applied')$$,
  'A signed-in user''s own writes are recorded, although the user has no INSERT on the history.');
select is((select count(*)::int from public.job_status_events), 10, 'The owner sees the history of all of their jobs.');
select throws_ok(
  $$insert into public.job_status_events (job_id, user_id, to_status) values ('33333333-0000-4000-8000-000000000008', '11111111-0000-4000-8000-000000000001', 'accepted')$$,
  '42501', null, 'The owner cannot forge a history row.');
select throws_ok(
  $$update public.job_status_events set to_status = 'accepted' where job_id = '33333333-0000-4000-8000-000000000008'$$,
  '42501', null, 'The owner cannot rewrite history.');
select tests.clear_authentication();

-- As a stranger
select tests.authenticate_as('stranger');
select is_empty($$select id from public.job_status_events$$, 'A stranger sees none of the owner''s history.');
select tests.clear_authentication();

-- As anon
select tests.authenticate_as_anon();
select throws_ok($$select id from public.job_status_events$$, '42501', null, 'Anonymous callers cannot read any history.');
select tests.clear_authentication();

delete from public.jobs where id = '33333333-0000-4000-8000-000000000008';
select is((select count(*)::int from public.job_status_events where job_id = '33333333-0000-4000-8000-000000000008'), 0,
          'Deleting a job deletes its history.');

select * from finish();
rollback;
