-- The RLS matrix: for every table in public, each of select / insert / update / delete,
-- tried by each actor: owner (the signed-in user who owns the rows), stranger (another
-- signed-in user), anon (no session) and service_role (the edge functions' key).
-- An allowed cell must change or see exactly the expected rows; a denied cell must fail
-- the way a PostgREST client sees it: SQLSTATE 42501 (no privilege, or a WITH CHECK
-- violation), or zero rows where RLS filters silently.
-- Every cell runs in its own subtransaction that is rolled back, so cells are
-- independent of their order. A table in public without cells fails the coverage test.
begin;

-- Actors and fixtures, created as postgres (which bypasses RLS).
select tests.create_supabase_user('owner', 'owner@matrix.test', '11111111-1111-4111-8111-111111111111', '{"full_name":"Matrix Owner"}');
select tests.create_supabase_user('stranger', 'stranger@matrix.test', '22222222-2222-4222-8222-222222222222', '{"full_name":"Matrix Stranger"}');

insert into public.templates (id, name, slug, schema, is_active) values
  ('aaaaaaaa-0000-4000-8000-000000000001', 'Matrix Active', 'matrix-active', '{}', true),
  ('aaaaaaaa-0000-4000-8000-000000000002', 'Matrix Retired', 'matrix-retired', '{}', false);

insert into public.user_skills (id, user_id, name) values
  ('b0000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'PostgreSQL');
insert into public.user_work_experience (id, user_id, title, company) values
  ('b0000000-0000-4000-8000-000000000002', '11111111-1111-4111-8111-111111111111', 'Engineer', 'Acme');
insert into public.user_education (id, user_id, school) values
  ('b0000000-0000-4000-8000-000000000003', '11111111-1111-4111-8111-111111111111', 'Open University');
insert into public.user_languages (id, user_id, language) values
  ('b0000000-0000-4000-8000-000000000004', '11111111-1111-4111-8111-111111111111', 'English');
insert into public.jobs (id, user_id, job_title, company, status) values
  ('b0000000-0000-4000-8000-000000000005', '11111111-1111-4111-8111-111111111111', 'Backend Engineer', 'Acme', 'applied');
insert into public.resumes (id, user_id, filename, file_url, file_size) values
  ('b0000000-0000-4000-8000-000000000006', '11111111-1111-4111-8111-111111111111', 'cv.pdf',
   '11111111-1111-4111-8111-111111111111/resumes/cv.pdf', 1000);
insert into public.resume_builder_data (id, user_id, template_id, resume_data) values
  ('b0000000-0000-4000-8000-000000000007', '11111111-1111-4111-8111-111111111111', 'matrix-active', '{}');
insert into public.wizard_sessions (id, user_id, template_id, status) values
  ('b0000000-0000-4000-8000-000000000008', '11111111-1111-4111-8111-111111111111', 'aaaaaaaa-0000-4000-8000-000000000001', 'completed');
insert into public.generated_resumes (id, user_id, template_id, title) values
  ('b0000000-0000-4000-8000-000000000009', '11111111-1111-4111-8111-111111111111', 'aaaaaaaa-0000-4000-8000-000000000001', 'Owner resume');
insert into public.generated_resume_versions (id, generated_resume_id, version_number, content_json) values
  ('b0000000-0000-4000-8000-000000000010', 'b0000000-0000-4000-8000-000000000009', 1, '{}');
insert into public.ai_events (id, user_id, wizard_session_id, provider, model, status) values
  ('b0000000-0000-4000-8000-000000000011', '11111111-1111-4111-8111-111111111111', 'b0000000-0000-4000-8000-000000000008', 'openai', 'gpt-4o-mini', 'success');
insert into public.cover_letters (id, user_id, job_id, generated_resume_id, resume_version, content) values
  ('b0000000-0000-4000-8000-000000000012', '11111111-1111-4111-8111-111111111111', 'b0000000-0000-4000-8000-000000000005',
   'b0000000-0000-4000-8000-000000000009', 1, 'Dear hiring team, I would like to apply.');
insert into public.ai_usage_daily (user_id, day, provider, model, calls, errors, input_tokens, output_tokens, latency_p50_ms, latency_p95_ms) values
  ('11111111-1111-4111-8111-111111111111', '2026-01-15', 'openai', 'gpt-4o-mini', 3, 1, 900, 120, 800, 1500);
-- The tracker's rows hang off a second job, already interviewing, so that adding the
-- interview below leaves the first job's status history at one event.
insert into public.jobs (id, user_id, job_title, company, status) values
  ('b0000000-0000-4000-8000-000000000019', '11111111-1111-4111-8111-111111111111', 'Tracker Engineer', 'Acme', 'interviewing');
insert into public.tracker_settings (user_id, follow_up_days) values ('11111111-1111-4111-8111-111111111111', 7);
insert into public.contacts (id, user_id, name, email) values
  ('b0000000-0000-4000-8000-000000000013', '11111111-1111-4111-8111-111111111111', 'Rita Recruiter', 'rita@matrix.test');
insert into public.job_contacts (id, user_id, job_id, contact_id, part) values
  ('b0000000-0000-4000-8000-000000000014', '11111111-1111-4111-8111-111111111111', 'b0000000-0000-4000-8000-000000000019',
   'b0000000-0000-4000-8000-000000000013', 'recruiter');
insert into public.interviews (id, user_id, job_id, starts_at, time_zone) values
  ('b0000000-0000-4000-8000-000000000015', '11111111-1111-4111-8111-111111111111', 'b0000000-0000-4000-8000-000000000019',
   '2027-03-15 17:00+00', 'America/Los_Angeles');
insert into public.interview_participants (id, user_id, interview_id, contact_id) values
  ('b0000000-0000-4000-8000-000000000016', '11111111-1111-4111-8111-111111111111', 'b0000000-0000-4000-8000-000000000015',
   'b0000000-0000-4000-8000-000000000013');
insert into public.tags (id, user_id, name) values
  ('b0000000-0000-4000-8000-000000000017', '11111111-1111-4111-8111-111111111111', 'Remote');
insert into public.job_tags (user_id, job_id, tag_id) values
  ('11111111-1111-4111-8111-111111111111', 'b0000000-0000-4000-8000-000000000019', 'b0000000-0000-4000-8000-000000000017');
insert into public.job_materials (job_id, user_id, resume_id) values
  ('b0000000-0000-4000-8000-000000000019', '11111111-1111-4111-8111-111111111111', 'b0000000-0000-4000-8000-000000000006');
insert into public.email_proposals (id, user_id, email_kind, summary, job_id, proposed_status) values
  ('b0000000-0000-4000-8000-000000000018', '11111111-1111-4111-8111-111111111111', 'offer', 'Acme makes an offer.',
   'b0000000-0000-4000-8000-000000000019', 'negotiating');
insert into public.application_form_answers (user_id, work_auth_us, current_location, gender) values
  ('11111111-1111-4111-8111-111111111111', true, 'Berlin', 'Decline to state');
insert into public.subscriptions (id, user_id, stripe_customer_id, tier, status) values
  ('b0000000-0000-4000-8000-000000000020', '11111111-1111-4111-8111-111111111111', 'cus_matrix', 'pro', 'active');
-- job_status_events: the jobs trigger wrote one row for the job above.

-- One statement per (table, command), aimed at the owner's rows. `setup` runs as
-- postgres inside the cell's subtransaction, before the actor takes over.
create temp table statements (table_name text, command text, setup text, statement text);
insert into statements values
  ('user_profile', 'select', null, $$select * from public.user_profile where user_id = '11111111-1111-4111-8111-111111111111'$$),
  ('user_profile', 'insert', $$delete from public.user_profile where user_id = '11111111-1111-4111-8111-111111111111'$$,
     $$insert into public.user_profile (user_id, full_name) values ('11111111-1111-4111-8111-111111111111', 'Matrix Owner')$$),
  ('user_profile', 'update', null, $$update public.user_profile set job_title = 'Tester' where user_id = '11111111-1111-4111-8111-111111111111'$$),
  ('user_profile', 'delete', null, $$delete from public.user_profile where user_id = '11111111-1111-4111-8111-111111111111'$$),

  ('application_form_answers', 'select', null, $$select * from public.application_form_answers where user_id = '11111111-1111-4111-8111-111111111111'$$),
  ('application_form_answers', 'insert', $$delete from public.application_form_answers where user_id = '11111111-1111-4111-8111-111111111111'$$,
     $$insert into public.application_form_answers (user_id, work_auth_uk) values ('11111111-1111-4111-8111-111111111111', false)$$),
  ('application_form_answers', 'update', null, $$update public.application_form_answers set current_location = 'Hamburg' where user_id = '11111111-1111-4111-8111-111111111111'$$),
  ('application_form_answers', 'delete', null, $$delete from public.application_form_answers where user_id = '11111111-1111-4111-8111-111111111111'$$),

  ('subscriptions', 'select', null, $$select * from public.subscriptions where user_id = '11111111-1111-4111-8111-111111111111'$$),
  ('subscriptions', 'insert', $$delete from public.subscriptions where user_id = '11111111-1111-4111-8111-111111111111'$$,
     $$insert into public.subscriptions (user_id, tier, status) values ('11111111-1111-4111-8111-111111111111', 'pro', 'active')$$),
  ('subscriptions', 'update', null, $$update public.subscriptions set tier = 'pro', cancel_at_period_end = true where user_id = '11111111-1111-4111-8111-111111111111'$$),
  ('subscriptions', 'delete', null, $$delete from public.subscriptions where user_id = '11111111-1111-4111-8111-111111111111'$$),

  ('user_skills', 'select', null, $$select * from public.user_skills where id = 'b0000000-0000-4000-8000-000000000001'$$),
  ('user_skills', 'insert', null, $$insert into public.user_skills (user_id, name) values ('11111111-1111-4111-8111-111111111111', 'pgTAP')$$),
  ('user_skills', 'update', null, $$update public.user_skills set category = 'Databases' where id = 'b0000000-0000-4000-8000-000000000001'$$),
  ('user_skills', 'delete', null, $$delete from public.user_skills where id = 'b0000000-0000-4000-8000-000000000001'$$),

  ('user_work_experience', 'select', null, $$select * from public.user_work_experience where id = 'b0000000-0000-4000-8000-000000000002'$$),
  ('user_work_experience', 'insert', null, $$insert into public.user_work_experience (user_id, title, company) values ('11111111-1111-4111-8111-111111111111', 'Intern', 'Initech')$$),
  ('user_work_experience', 'update', null, $$update public.user_work_experience set description = 'Built things.' where id = 'b0000000-0000-4000-8000-000000000002'$$),
  ('user_work_experience', 'delete', null, $$delete from public.user_work_experience where id = 'b0000000-0000-4000-8000-000000000002'$$),

  ('user_education', 'select', null, $$select * from public.user_education where id = 'b0000000-0000-4000-8000-000000000003'$$),
  ('user_education', 'insert', null, $$insert into public.user_education (user_id, school) values ('11111111-1111-4111-8111-111111111111', 'Night School')$$),
  ('user_education', 'update', null, $$update public.user_education set field = 'Mathematics' where id = 'b0000000-0000-4000-8000-000000000003'$$),
  ('user_education', 'delete', null, $$delete from public.user_education where id = 'b0000000-0000-4000-8000-000000000003'$$),

  ('user_languages', 'select', null, $$select * from public.user_languages where id = 'b0000000-0000-4000-8000-000000000004'$$),
  ('user_languages', 'insert', null, $$insert into public.user_languages (user_id, language) values ('11111111-1111-4111-8111-111111111111', 'Esperanto')$$),
  ('user_languages', 'update', null, $$update public.user_languages set proficiency = 'native' where id = 'b0000000-0000-4000-8000-000000000004'$$),
  ('user_languages', 'delete', null, $$delete from public.user_languages where id = 'b0000000-0000-4000-8000-000000000004'$$),

  ('jobs', 'select', null, $$select * from public.jobs where id = 'b0000000-0000-4000-8000-000000000005'$$),
  ('jobs', 'insert', null, $$insert into public.jobs (user_id, job_title, company, status) values ('11111111-1111-4111-8111-111111111111', 'SRE', 'Globex', 'bookmarked')$$),
  ('jobs', 'update', null, $$update public.jobs set salary = '$100k' where id = 'b0000000-0000-4000-8000-000000000005'$$),
  ('jobs', 'delete', null, $$delete from public.jobs where id = 'b0000000-0000-4000-8000-000000000005'$$),

  ('job_status_events', 'select', null, $$select * from public.job_status_events where job_id = 'b0000000-0000-4000-8000-000000000005'$$),
  ('job_status_events', 'insert', null, $$insert into public.job_status_events (job_id, user_id, to_status) values ('b0000000-0000-4000-8000-000000000005', '11111111-1111-4111-8111-111111111111', 'accepted')$$),
  ('job_status_events', 'update', null, $$update public.job_status_events set to_status = 'accepted' where job_id = 'b0000000-0000-4000-8000-000000000005'$$),
  ('job_status_events', 'delete', null, $$delete from public.job_status_events where job_id = 'b0000000-0000-4000-8000-000000000005'$$),

  ('resumes', 'select', null, $$select * from public.resumes where id = 'b0000000-0000-4000-8000-000000000006'$$),
  ('resumes', 'insert', null, $$insert into public.resumes (user_id, filename, file_url, file_size) values ('11111111-1111-4111-8111-111111111111', 'cv2.pdf', '11111111-1111-4111-8111-111111111111/resumes/cv2.pdf', 2000)$$),
  ('resumes', 'update', null, $$update public.resumes set filename = 'renamed.pdf' where id = 'b0000000-0000-4000-8000-000000000006'$$),
  ('resumes', 'delete', null, $$delete from public.resumes where id = 'b0000000-0000-4000-8000-000000000006'$$),

  ('resume_builder_data', 'select', null, $$select * from public.resume_builder_data where id = 'b0000000-0000-4000-8000-000000000007'$$),
  ('resume_builder_data', 'insert', null, $$insert into public.resume_builder_data (user_id, template_id, resume_data) values ('11111111-1111-4111-8111-111111111111', 'matrix-active', '{"summary": "x"}')$$),
  ('resume_builder_data', 'update', null, $$update public.resume_builder_data set title = 'Renamed' where id = 'b0000000-0000-4000-8000-000000000007'$$),
  ('resume_builder_data', 'delete', null, $$delete from public.resume_builder_data where id = 'b0000000-0000-4000-8000-000000000007'$$),

  -- Both matrix templates are addressed: signed-in users must see only the active one.
  ('templates', 'select', null, $$select * from public.templates where slug in ('matrix-active', 'matrix-retired')$$),
  ('templates', 'insert', null, $$insert into public.templates (name, slug, schema) values ('Matrix New', 'matrix-new', '{}')$$),
  ('templates', 'update', null, $$update public.templates set name = 'Matrix Active 2' where slug = 'matrix-active'$$),
  ('templates', 'delete', null, $$delete from public.templates where slug = 'matrix-retired'$$),

  ('wizard_sessions', 'select', null, $$select * from public.wizard_sessions where id = 'b0000000-0000-4000-8000-000000000008'$$),
  ('wizard_sessions', 'insert', null, $$insert into public.wizard_sessions (user_id, template_id) values ('11111111-1111-4111-8111-111111111111', 'aaaaaaaa-0000-4000-8000-000000000001')$$),
  -- The fixture session is completed, so the one change its lifecycle allows (20261125500100).
  ('wizard_sessions', 'update', null, $$update public.wizard_sessions set generated_resume_id = null where id = 'b0000000-0000-4000-8000-000000000008'$$),
  ('wizard_sessions', 'delete', null, $$delete from public.wizard_sessions where id = 'b0000000-0000-4000-8000-000000000008'$$),

  ('generated_resumes', 'select', null, $$select * from public.generated_resumes where id = 'b0000000-0000-4000-8000-000000000009'$$),
  ('generated_resumes', 'insert', null, $$insert into public.generated_resumes (user_id, template_id, title) values ('11111111-1111-4111-8111-111111111111', 'aaaaaaaa-0000-4000-8000-000000000001', 'Second')$$),
  ('generated_resumes', 'update', null, $$update public.generated_resumes set title = 'Renamed' where id = 'b0000000-0000-4000-8000-000000000009'$$),
  ('generated_resumes', 'delete', null, $$delete from public.generated_resumes where id = 'b0000000-0000-4000-8000-000000000009'$$),

  ('generated_resume_versions', 'select', null, $$select * from public.generated_resume_versions where generated_resume_id = 'b0000000-0000-4000-8000-000000000009'$$),
  ('generated_resume_versions', 'insert', null, $$insert into public.generated_resume_versions (generated_resume_id, content_json) values ('b0000000-0000-4000-8000-000000000009', '{"v": 2}')$$),
  ('generated_resume_versions', 'update', null, $$update public.generated_resume_versions set render_artifact_url = 'x.pdf' where id = 'b0000000-0000-4000-8000-000000000010'$$),
  ('generated_resume_versions', 'delete', null, $$delete from public.generated_resume_versions where id = 'b0000000-0000-4000-8000-000000000010'$$),

  ('ai_events', 'select', null, $$select * from public.ai_events where id = 'b0000000-0000-4000-8000-000000000011'$$),
  ('ai_events', 'insert', null, $$insert into public.ai_events (user_id, wizard_session_id, provider, model, status) values ('11111111-1111-4111-8111-111111111111', 'b0000000-0000-4000-8000-000000000008', 'openai', 'gpt-4o-mini', 'error')$$),
  ('ai_events', 'update', null, $$update public.ai_events set error = 'rewritten' where id = 'b0000000-0000-4000-8000-000000000011'$$),
  ('ai_events', 'delete', null, $$delete from public.ai_events where id = 'b0000000-0000-4000-8000-000000000011'$$),

  ('ai_usage_daily', 'select', null, $$select * from public.ai_usage_daily where user_id = '11111111-1111-4111-8111-111111111111'$$),
  ('ai_usage_daily', 'insert', null, $$insert into public.ai_usage_daily (user_id, day, provider, model, calls, errors, input_tokens, output_tokens) values ('11111111-1111-4111-8111-111111111111', '2026-01-16', 'openai', 'gpt-4o-mini', 1, 0, 10, 10)$$),
  ('ai_usage_daily', 'update', null, $$update public.ai_usage_daily set calls = 1 where user_id = '11111111-1111-4111-8111-111111111111'$$),
  ('ai_usage_daily', 'delete', null, $$delete from public.ai_usage_daily where user_id = '11111111-1111-4111-8111-111111111111'$$),

  -- The search document the jobs trigger wrote for the owner's job.
  ('job_search_documents', 'select', null, $$select * from public.job_search_documents where job_id = 'b0000000-0000-4000-8000-000000000005'$$),
  ('job_search_documents', 'insert', $$delete from public.job_search_documents where job_id = 'b0000000-0000-4000-8000-000000000005'$$,
     $$insert into public.job_search_documents (job_id, user_id, document, title_company) values ('b0000000-0000-4000-8000-000000000005', '11111111-1111-4111-8111-111111111111', 'planted', 'Planted')$$),
  ('job_search_documents', 'update', null, $$update public.job_search_documents set document = 'planted' where job_id = 'b0000000-0000-4000-8000-000000000005'$$),
  ('job_search_documents', 'delete', null, $$delete from public.job_search_documents where job_id = 'b0000000-0000-4000-8000-000000000005'$$),

  ('cover_letters', 'select', null, $$select * from public.cover_letters where id = 'b0000000-0000-4000-8000-000000000012'$$),
  ('cover_letters', 'insert', null, $$insert into public.cover_letters (user_id, job_id, generated_resume_id, resume_version, content) values ('11111111-1111-4111-8111-111111111111', 'b0000000-0000-4000-8000-000000000005', 'b0000000-0000-4000-8000-000000000009', 1, 'A second letter for the same job.')$$),
  ('cover_letters', 'update', null, $$update public.cover_letters set content = 'Rewritten by hand.' where id = 'b0000000-0000-4000-8000-000000000012'$$),
  ('cover_letters', 'delete', null, $$delete from public.cover_letters where id = 'b0000000-0000-4000-8000-000000000012'$$),

  ('tracker_settings', 'select', null, $$select * from public.tracker_settings where user_id = '11111111-1111-4111-8111-111111111111'$$),
  ('tracker_settings', 'insert', $$delete from public.tracker_settings where user_id = '11111111-1111-4111-8111-111111111111'$$,
     $$insert into public.tracker_settings (user_id, follow_up_days) values ('11111111-1111-4111-8111-111111111111', 5)$$),
  ('tracker_settings', 'update', null, $$update public.tracker_settings set ghosted_after_days = 20 where user_id = '11111111-1111-4111-8111-111111111111'$$),
  ('tracker_settings', 'delete', null, $$delete from public.tracker_settings where user_id = '11111111-1111-4111-8111-111111111111'$$),

  ('contacts', 'select', null, $$select * from public.contacts where id = 'b0000000-0000-4000-8000-000000000013'$$),
  ('contacts', 'insert', null, $$insert into public.contacts (user_id, name) values ('11111111-1111-4111-8111-111111111111', 'Hank Hiring')$$),
  ('contacts', 'update', null, $$update public.contacts set notes = 'Met at a meetup.' where id = 'b0000000-0000-4000-8000-000000000013'$$),
  ('contacts', 'delete', null, $$delete from public.contacts where id = 'b0000000-0000-4000-8000-000000000013'$$),

  ('job_contacts', 'select', null, $$select * from public.job_contacts where id = 'b0000000-0000-4000-8000-000000000014'$$),
  ('job_contacts', 'insert', null, $$insert into public.job_contacts (user_id, job_id, contact_id, part) values ('11111111-1111-4111-8111-111111111111', 'b0000000-0000-4000-8000-000000000019', 'b0000000-0000-4000-8000-000000000013', 'referrer')$$),
  ('job_contacts', 'update', null, $$update public.job_contacts set part = 'referrer' where id = 'b0000000-0000-4000-8000-000000000014'$$),
  ('job_contacts', 'delete', null, $$delete from public.job_contacts where id = 'b0000000-0000-4000-8000-000000000014'$$),

  ('interviews', 'select', null, $$select * from public.interviews where id = 'b0000000-0000-4000-8000-000000000015'$$),
  ('interviews', 'insert', null, $$insert into public.interviews (user_id, job_id, starts_at, time_zone) values ('11111111-1111-4111-8111-111111111111', 'b0000000-0000-4000-8000-000000000019', '2027-03-20 09:00+00', 'Europe/Berlin')$$),
  ('interviews', 'update', null, $$update public.interviews set notes = 'Bring a laptop.' where id = 'b0000000-0000-4000-8000-000000000015'$$),
  ('interviews', 'delete', null, $$delete from public.interviews where id = 'b0000000-0000-4000-8000-000000000015'$$),

  ('interview_participants', 'select', null, $$select * from public.interview_participants where id = 'b0000000-0000-4000-8000-000000000016'$$),
  ('interview_participants', 'insert', $$delete from public.interview_participants where id = 'b0000000-0000-4000-8000-000000000016'$$,
     $$insert into public.interview_participants (user_id, interview_id, contact_id) values ('11111111-1111-4111-8111-111111111111', 'b0000000-0000-4000-8000-000000000015', 'b0000000-0000-4000-8000-000000000013')$$),
  ('interview_participants', 'update', null, $$update public.interview_participants set created_at = now() where id = 'b0000000-0000-4000-8000-000000000016'$$),
  ('interview_participants', 'delete', null, $$delete from public.interview_participants where id = 'b0000000-0000-4000-8000-000000000016'$$),

  ('tags', 'select', null, $$select * from public.tags where id = 'b0000000-0000-4000-8000-000000000017'$$),
  ('tags', 'insert', null, $$insert into public.tags (user_id, name) values ('11111111-1111-4111-8111-111111111111', 'Urgent')$$),
  ('tags', 'update', null, $$update public.tags set name = 'Remote first' where id = 'b0000000-0000-4000-8000-000000000017'$$),
  ('tags', 'delete', null, $$delete from public.tags where id = 'b0000000-0000-4000-8000-000000000017'$$),

  ('job_tags', 'select', null, $$select * from public.job_tags where tag_id = 'b0000000-0000-4000-8000-000000000017'$$),
  ('job_tags', 'insert', $$delete from public.job_tags where tag_id = 'b0000000-0000-4000-8000-000000000017'$$,
     $$insert into public.job_tags (user_id, job_id, tag_id) values ('11111111-1111-4111-8111-111111111111', 'b0000000-0000-4000-8000-000000000019', 'b0000000-0000-4000-8000-000000000017')$$),
  ('job_tags', 'update', null, $$update public.job_tags set created_at = now() where tag_id = 'b0000000-0000-4000-8000-000000000017'$$),
  ('job_tags', 'delete', null, $$delete from public.job_tags where tag_id = 'b0000000-0000-4000-8000-000000000017'$$),

  -- The record is frozen (its job is past applied): unlinking a file is the one change it takes.
  ('job_materials', 'select', null, $$select * from public.job_materials where job_id = 'b0000000-0000-4000-8000-000000000019'$$),
  ('job_materials', 'insert', $$delete from public.job_materials where job_id = 'b0000000-0000-4000-8000-000000000019'$$,
     $$insert into public.job_materials (user_id, job_id, resume_id) values ('11111111-1111-4111-8111-111111111111', 'b0000000-0000-4000-8000-000000000019', 'b0000000-0000-4000-8000-000000000006')$$),
  ('job_materials', 'update', null, $$update public.job_materials set resume_id = null where job_id = 'b0000000-0000-4000-8000-000000000019'$$),
  ('job_materials', 'delete', null, $$delete from public.job_materials where job_id = 'b0000000-0000-4000-8000-000000000019'$$),

  ('email_proposals', 'select', null, $$select * from public.email_proposals where id = 'b0000000-0000-4000-8000-000000000018'$$),
  ('email_proposals', 'insert', null, $$insert into public.email_proposals (user_id, email_kind, summary, job_id) values ('11111111-1111-4111-8111-111111111111', 'confirmation', 'Acme got the application.', 'b0000000-0000-4000-8000-000000000019')$$),
  ('email_proposals', 'update', null, $$update public.email_proposals set state = 'dismissed', decided_at = now() where id = 'b0000000-0000-4000-8000-000000000018'$$),
  ('email_proposals', 'delete', null, $$delete from public.email_proposals where id = 'b0000000-0000-4000-8000-000000000018'$$);

-- What each actor must get. 'rows: n' = the statement succeeded touching n rows;
-- 'error 42501' = refused as insufficient privilege / row-level security.
create temp table expectations (table_name text, command text, owner text, stranger text, anon text, service_role text);
insert into expectations
select t, c,
       'rows: 1',
       case c when 'insert' then 'error 42501' else 'rows: 0' end,
       'error 42501',
       'rows: 1'
  from unnest(array['user_profile', 'application_form_answers', 'user_skills', 'user_work_experience', 'user_education',
                    'user_languages', 'jobs', 'resumes', 'resume_builder_data',
                    'wizard_sessions', 'generated_resumes', 'cover_letters',
                    'tracker_settings', 'contacts', 'interviews', 'tags', 'job_materials']) t,
       unnest(array['select', 'insert', 'update', 'delete']) c;
insert into expectations
-- Links and proposals: the owner reads, adds and deletes; a link is deleted and made
-- again rather than changed, and a proposal is decided by RPC only.
select t, c,
       case c when 'update' then 'error 42501' else 'rows: 1' end,
       case c when 'select' then 'rows: 0' when 'delete' then 'rows: 0' else 'error 42501' end,
       'error 42501',
       'rows: 1'
  from unnest(array['job_contacts', 'interview_participants', 'job_tags', 'email_proposals']) t,
       unnest(array['select', 'insert', 'update', 'delete']) c;
insert into expectations values
  -- Stripe's subscription: the owner reads their own; only service_role writes.
  ('subscriptions', 'select', 'rows: 1', 'rows: 0', 'error 42501', 'rows: 1'),
  ('subscriptions', 'insert', 'error 42501', 'error 42501', 'error 42501', 'rows: 1'),
  ('subscriptions', 'update', 'error 42501', 'error 42501', 'error 42501', 'rows: 1'),
  ('subscriptions', 'delete', 'error 42501', 'error 42501', 'error 42501', 'rows: 1'),
  -- Append-only tables: the owner reads and adds, nobody but service_role rewrites.
  ('generated_resume_versions', 'select', 'rows: 1', 'rows: 0', 'error 42501', 'rows: 1'),
  ('generated_resume_versions', 'insert', 'rows: 1', 'error 42501', 'error 42501', 'rows: 1'),
  ('generated_resume_versions', 'update', 'error 42501', 'error 42501', 'error 42501', 'rows: 1'),
  ('generated_resume_versions', 'delete', 'error 42501', 'error 42501', 'error 42501', 'rows: 1'),
  ('ai_events', 'select', 'rows: 1', 'rows: 0', 'error 42501', 'rows: 1'),
  ('ai_events', 'insert', 'rows: 1', 'error 42501', 'error 42501', 'rows: 1'),
  ('ai_events', 'update', 'error 42501', 'error 42501', 'error 42501', 'rows: 1'),
  ('ai_events', 'delete', 'error 42501', 'error 42501', 'error 42501', 'rows: 1'),
  -- Written by the retention job (as the table owner) only; nobody changes a summary.
  ('ai_usage_daily', 'select', 'rows: 1', 'rows: 0', 'error 42501', 'rows: 1'),
  ('ai_usage_daily', 'insert', 'error 42501', 'error 42501', 'error 42501', 'error 42501'),
  ('ai_usage_daily', 'update', 'error 42501', 'error 42501', 'error 42501', 'error 42501'),
  ('ai_usage_daily', 'delete', 'error 42501', 'error 42501', 'error 42501', 'error 42501'),
  -- Written by the jobs trigger only.
  ('job_status_events', 'select', 'rows: 1', 'rows: 0', 'error 42501', 'rows: 1'),
  ('job_status_events', 'insert', 'error 42501', 'error 42501', 'error 42501', 'rows: 1'),
  ('job_status_events', 'update', 'error 42501', 'error 42501', 'error 42501', 'rows: 1'),
  ('job_status_events', 'delete', 'error 42501', 'error 42501', 'error 42501', 'rows: 1'),
  -- Derived from jobs by trigger: the owner reads; nobody, not even service_role, writes.
  ('job_search_documents', 'select', 'rows: 1', 'rows: 0', 'error 42501', 'rows: 1'),
  ('job_search_documents', 'insert', 'error 42501', 'error 42501', 'error 42501', 'error 42501'),
  ('job_search_documents', 'update', 'error 42501', 'error 42501', 'error 42501', 'error 42501'),
  ('job_search_documents', 'delete', 'error 42501', 'error 42501', 'error 42501', 'error 42501'),
  -- The catalogue: signed-in users read the active template only; anon none (the share
  -- page reads one layout through get_template_layout).
  ('templates', 'select', 'rows: 1', 'rows: 1', 'error 42501', 'rows: 2'),
  ('templates', 'insert', 'error 42501', 'error 42501', 'error 42501', 'rows: 1'),
  ('templates', 'update', 'error 42501', 'error 42501', 'error 42501', 'rows: 1'),
  ('templates', 'delete', 'error 42501', 'error 42501', 'error 42501', 'rows: 1');

create temp table matrix as
select s.table_name, s.command, a.actor, s.setup, s.statement,
       case a.actor when 'owner' then e.owner when 'stranger' then e.stranger
                    when 'anon' then e.anon else e.service_role end as expected
  from statements s
  join expectations e using (table_name, command)
 cross join unnest(array['owner', 'stranger', 'anon', 'service_role']) a(actor);

-- Each cell runs as the actor the way PostgREST would (tests.attempt_as: role + JWT
-- claims, both local) and is rolled back: 'rows: n' or 'error <sqlstate>'.

select plan((select count(*)::int from matrix) + 4);

-- Coverage: the matrix must name exactly the tables that exist in public.
select set_eq(
  $$select distinct table_name::name from matrix$$,
  $$select tablename from pg_tables where schemaname = 'public'$$,
  'Every table in public appears in the RLS matrix, and the matrix names no other table.'
);
select is_empty(
  $$select table_name from matrix group by table_name having count(*) <> 16
              or count(distinct (command, actor)) <> 16$$,
  'Every table has a cell for each of the four commands and each of the four actors.'
);

-- The fixtures are really there, so a "rows: 0" cell means filtered, not missing.
select is(
  (select count(*)::int from public.job_status_events where job_id = 'b0000000-0000-4000-8000-000000000005'),
  1,
  'The jobs trigger wrote one status event for the owner''s job.'
);
select is(
  (select count(*)::int from public.user_profile where user_id = '11111111-1111-4111-8111-111111111111'),
  1,
  'The sign-up trigger created the owner''s profile.'
);

select is(
  tests.attempt_as(actor, statement, setup),
  expected,
  format('%s: %s on public.%s %s.', actor, command, table_name,
         case when expected = 'error 42501' then 'is refused with 42501'
              when expected = 'rows: 0' then 'touches none of the owner''s rows (RLS filters silently)'
              else 'is allowed (' || expected || ')' end)
)
  from matrix
 order by table_name, command, array_position(array['owner', 'stranger', 'anon', 'service_role'], actor);

select diag(format('RLS matrix: %s cells over %s tables', count(*), count(distinct table_name))) from matrix;

select * from finish();
rollback;
