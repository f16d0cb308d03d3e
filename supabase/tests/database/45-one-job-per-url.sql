-- One job per URL per user is a rule of the table (the unique partial index
-- jobs_one_per_user_and_url), not of the AI function. Threats covered:
-- - a direct SQL/PostgREST insert of a saved URL → 23505, nothing stored;
-- - an update that moves a job onto a URL already saved → 23505;
-- - the rule reaching too far → another user, another URL and jobs without a URL are fine.
begin;
select plan(8);

select tests.create_supabase_user('owner');
select tests.create_supabase_user('stranger');

select has_index('public', 'jobs', 'jobs_one_per_user_and_url', array['user_id', 'job_url'],
  'jobs has the unique index jobs_one_per_user_and_url on (user_id, job_url).');
select is(
  (select pg_get_expr(i.indpred, i.indrelid) from pg_index i where i.indexrelid = 'public.jobs_one_per_user_and_url'::regclass),
  '(job_url IS NOT NULL)',
  'The index is partial: only jobs with a job_url take part.'
);

select tests.authenticate_as('owner');
insert into public.jobs (job_title, company, job_url) values ('Engineer', 'Acme', 'https://jobs.example/1');

select throws_ok(
  $$insert into public.jobs (job_title, company, job_url) values ('Engineer again', 'Acme', 'https://jobs.example/1')$$,
  '23505', null,
  'The owner cannot store a second job with a job_url they already saved.'
);
select is((select count(*)::int from public.jobs where job_url = 'https://jobs.example/1'), 1,
  'The refused insert stored nothing.');

insert into public.jobs (job_title, company, job_url) values ('Other', 'Acme', 'https://jobs.example/2');
select throws_ok(
  $$update public.jobs set job_url = 'https://jobs.example/1' where job_url = 'https://jobs.example/2'$$,
  '23505', null,
  'An update cannot move a job onto a URL the owner already saved.'
);

select lives_ok(
  $$insert into public.jobs (job_title, company, job_url) values ('No URL', 'Acme', null), ('No URL', 'Acme', null)$$,
  'Jobs without a job_url are not limited.'
);

select tests.authenticate_as('stranger');
select lives_ok(
  $$insert into public.jobs (job_title, company, job_url) values ('Engineer', 'Acme', 'https://jobs.example/1')$$,
  'Another user may save the same URL.'
);

select tests.clear_authentication();
select is((select count(*)::int from public.jobs where job_url = 'https://jobs.example/1'), 2,
  'Each user has the URL once.');

select * from finish();
rollback;
