-- What was sent, frozen at applied. Threats covered: a later resume version or letter
-- edit rewriting what an application records, a client editing a frozen record,
-- another user's resume or letter recorded as sent.
begin;
select plan(11);

select tests.create_supabase_user('owner');
select tests.create_supabase_user('stranger');
insert into public.templates (id, name, slug, schema) values ('c3000000-0000-4000-8000-0000000000aa', 'Sent Test', 'sent-test', '{}');
insert into public.generated_resumes (id, user_id, template_id, title) values
  ('c3000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), 'c3000000-0000-4000-8000-0000000000aa', 'Backend CV'),
  ('c3000000-0000-4000-8000-000000000002', tests.get_supabase_uid('stranger'), 'c3000000-0000-4000-8000-0000000000aa', 'Stranger CV');
insert into public.generated_resume_versions (generated_resume_id, content_json) values
  ('c3000000-0000-4000-8000-000000000001', '{"v": 1}'), ('c3000000-0000-4000-8000-000000000001', '{"v": 2}');

select tests.authenticate_as('owner');
insert into public.jobs (id, job_title, company, status) values ('c3000000-0000-4000-8000-000000000010', 'Engineer', 'Acme', 'applying');
insert into public.cover_letters (id, job_id, content) values
  ('c3000000-0000-4000-8000-000000000020', 'c3000000-0000-4000-8000-000000000010', 'Dear Acme, the letter as sent.');
insert into public.job_materials (job_id, generated_resume_id, cover_letter_id)
values ('c3000000-0000-4000-8000-000000000010', 'c3000000-0000-4000-8000-000000000001', 'c3000000-0000-4000-8000-000000000020');
select is((select frozen_at from public.job_materials), null, 'Before applying, what will be sent is not frozen.');
select throws_ok(
  $$update public.job_materials set generated_resume_id = 'c3000000-0000-4000-8000-000000000002'$$, '42501', null,
  'Another user''s resume cannot be recorded as sent.');

update public.jobs set status = 'applied' where id = 'c3000000-0000-4000-8000-000000000010';
select results_eq(
  $$select resume_version, sent_resume_title, sent_cover_letter, frozen_at is not null from public.job_materials$$,
  $$values (2, 'Backend CV', 'Dear Acme, the letter as sent.', true)$$,
  'Applying freezes the record: the newest version is pinned, the title and the letter''s text are copied.');

-- Later edits leave the record as it was.
select public.save_generated_resume_version('c3000000-0000-4000-8000-000000000001', '{"v": 3}');
update public.generated_resumes set title = 'Renamed CV' where id = 'c3000000-0000-4000-8000-000000000001';
update public.cover_letters set content = 'A rewritten letter.' where id = 'c3000000-0000-4000-8000-000000000020';
select results_eq(
  $$select resume_version, sent_resume_title, sent_cover_letter from public.job_materials$$,
  $$values (2, 'Backend CV', 'Dear Acme, the letter as sent.')$$,
  'A new resume version, a renamed resume and an edited letter change nothing the application records.');
select throws_ok($$update public.job_materials set resume_version = 3$$, 'PT409', null, 'A frozen record refuses a new version (409).');
select throws_ok($$update public.job_materials set cover_letter_id = null, generated_resume_id = 'c3000000-0000-4000-8000-000000000001', resume_version = 1$$, 'PT409', null,
  'A frozen record refuses any other change.');
select throws_ok($$update public.job_materials set frozen_at = null$$, '42501', null, 'frozen_at is not a client''s to write.');

-- Deleting the letter keeps the copy.
delete from public.cover_letters where id = 'c3000000-0000-4000-8000-000000000020';
select results_eq($$select cover_letter_id, sent_cover_letter from public.job_materials$$,
  $$values (null::uuid, 'Dear Acme, the letter as sent.')$$, 'A deleted letter leaves its frozen text behind.');

-- Recorded after applying: frozen at once.
insert into public.jobs (id, job_title, company, status) values ('c3000000-0000-4000-8000-000000000011', 'Analyst', 'Globex', 'interviewing');
insert into public.job_materials (job_id, generated_resume_id) values ('c3000000-0000-4000-8000-000000000011', 'c3000000-0000-4000-8000-000000000001');
select results_eq($$select resume_version, frozen_at is not null from public.job_materials where job_id = 'c3000000-0000-4000-8000-000000000011'$$,
  $$values (3, true)$$, 'What is recorded for a job already applied is frozen at once.');
select throws_ok(
  $$insert into public.job_materials (job_id, generated_resume_id) values ((select id from public.jobs where job_title = 'Engineer'), 'c3000000-0000-4000-8000-000000000002')$$,
  '42501', null, 'Inserting another user''s resume is refused.');
select throws_ok(
  $$insert into public.job_materials (job_id, generated_resume_id, resume_version) values ('c3000000-0000-4000-8000-000000000011', 'c3000000-0000-4000-8000-000000000001', 9)$$,
  '23505', null, 'One record per job.');

select * from finish();
rollback;
