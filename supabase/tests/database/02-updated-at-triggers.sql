-- updated_at: every table that has the column gets it set by trigger on update.
-- now() is fixed within a transaction, so each row is inserted with an old
-- updated_at and the test checks that an update moves it to now().
begin;
select plan(25);

select tests.create_supabase_user('owner', 'owner@example.test', '11111111-0000-4000-8000-000000000001', '{"full_name":"Olive Owner"}');

insert into public.templates (id, name, slug, schema)
values ('22222222-0000-4000-8000-000000000001', 'Timestamp Test', 'timestamp-test', '{"metadata":{}}');
update public.templates set updated_at = '2000-01-01' where id = '22222222-0000-4000-8000-000000000001';

update public.user_profile set updated_at = '2000-01-01' where user_id = '11111111-0000-4000-8000-000000000001';
insert into public.user_skills (user_id, name, updated_at) values ('11111111-0000-4000-8000-000000000001', 'SQL', '2000-01-01');
insert into public.user_work_experience (user_id, title, company, updated_at) values ('11111111-0000-4000-8000-000000000001', 'Dev', 'Acme', '2000-01-01');
insert into public.user_education (user_id, school, updated_at) values ('11111111-0000-4000-8000-000000000001', 'MIT', '2000-01-01');
insert into public.user_languages (user_id, language, updated_at) values ('11111111-0000-4000-8000-000000000001', 'English', '2000-01-01');
insert into public.jobs (user_id, job_title, company, status, updated_at) values ('11111111-0000-4000-8000-000000000001', 'Dev', 'Acme', 'applied', '2000-01-01');
insert into public.resumes (user_id, filename, file_url, file_size, updated_at)
values ('11111111-0000-4000-8000-000000000001', 'cv.pdf', '11111111-0000-4000-8000-000000000001/resumes/cv.pdf', 100, '2000-01-01');
insert into public.resume_builder_data (user_id, template_id, resume_data, updated_at) values ('11111111-0000-4000-8000-000000000001', 'timestamp-test', '{}', '2000-01-01');
insert into public.wizard_sessions (user_id, template_id, updated_at) values ('11111111-0000-4000-8000-000000000001', '22222222-0000-4000-8000-000000000001', '2000-01-01');
insert into public.generated_resumes (user_id, template_id, updated_at) values ('11111111-0000-4000-8000-000000000001', '22222222-0000-4000-8000-000000000001', '2000-01-01');

-- The trigger itself exists on every table with updated_at.
select has_trigger('public', t, 'update_' || t || '_updated_at', format('public.%s has an updated_at trigger.', t))
  from unnest(array['user_profile', 'user_skills', 'user_work_experience', 'user_education', 'user_languages', 'jobs',
                    'resumes', 'resume_builder_data', 'templates', 'wizard_sessions', 'generated_resumes']) as t;

update public.user_profile set location = 'Berlin' where user_id = '11111111-0000-4000-8000-000000000001';
select is((select updated_at from public.user_profile where user_id = '11111111-0000-4000-8000-000000000001'), now(), 'Updating a profile sets its updated_at to now.');
update public.user_skills set category = 'Data' where user_id = '11111111-0000-4000-8000-000000000001';
select is((select updated_at from public.user_skills where user_id = '11111111-0000-4000-8000-000000000001'), now(), 'Updating a skill sets its updated_at to now.');
update public.user_work_experience set location = 'Remote' where user_id = '11111111-0000-4000-8000-000000000001';
select is((select updated_at from public.user_work_experience where user_id = '11111111-0000-4000-8000-000000000001'), now(), 'Updating a work experience sets its updated_at to now.');
update public.user_education set degree = 'BSc' where user_id = '11111111-0000-4000-8000-000000000001';
select is((select updated_at from public.user_education where user_id = '11111111-0000-4000-8000-000000000001'), now(), 'Updating an education entry sets its updated_at to now.');
update public.user_languages set proficiency = 'native' where user_id = '11111111-0000-4000-8000-000000000001';
select is((select updated_at from public.user_languages where user_id = '11111111-0000-4000-8000-000000000001'), now(), 'Updating a language sets its updated_at to now.');
update public.jobs set salary = '100k' where user_id = '11111111-0000-4000-8000-000000000001';
select is((select updated_at from public.jobs where user_id = '11111111-0000-4000-8000-000000000001'), now(), 'Updating a job sets its updated_at to now.');
update public.resumes set filename = 'cv2.pdf' where user_id = '11111111-0000-4000-8000-000000000001';
select is((select updated_at from public.resumes where user_id = '11111111-0000-4000-8000-000000000001'), now(), 'Updating a resume sets its updated_at to now.');
update public.resume_builder_data set title = 'Mine' where user_id = '11111111-0000-4000-8000-000000000001';
select is((select updated_at from public.resume_builder_data where user_id = '11111111-0000-4000-8000-000000000001'), now(), 'Updating builder data sets its updated_at to now.');
update public.templates set is_active = false where id = '22222222-0000-4000-8000-000000000001';
select is((select updated_at from public.templates where id = '22222222-0000-4000-8000-000000000001'), now(), 'Updating a template sets its updated_at to now.');
update public.wizard_sessions set last_step = 2 where user_id = '11111111-0000-4000-8000-000000000001';
select is((select updated_at from public.wizard_sessions where user_id = '11111111-0000-4000-8000-000000000001'), now(), 'Updating a wizard session sets its updated_at to now.');
update public.generated_resumes set title = 'Final' where user_id = '11111111-0000-4000-8000-000000000001';
select is((select updated_at from public.generated_resumes where user_id = '11111111-0000-4000-8000-000000000001'), now(), 'Updating a generated resume sets its updated_at to now.');

-- A client cannot backdate updated_at by sending it.
update public.jobs set updated_at = '1999-01-01' where user_id = '11111111-0000-4000-8000-000000000001';
select is((select updated_at from public.jobs where user_id = '11111111-0000-4000-8000-000000000001'), now(), 'An updated_at sent by the client is replaced by now.');

-- Inserts keep the default (or given) value: the trigger is for updates only.
select is((select updated_at from public.user_profile where user_id = '11111111-0000-4000-8000-000000000001') > '2000-01-01'::timestamptz, true,
          'The profile''s updated_at moved forward from the old value.');
select is(has_function_privilege('authenticated', 'public.update_updated_at_column()', 'execute'), false,
          'Signed-in users cannot call the trigger function as an RPC.');

select * from finish();
rollback;
