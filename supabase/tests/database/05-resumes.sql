-- Resumes: one default resume and one current builder resume per user, switched
-- atomically by RPC; builder data, wizard drafts and versions must be JSON objects;
-- version numbers are 1..n per resume and current_version follows the newest.
begin;
select plan(31);

select tests.create_supabase_user('owner', 'owner@example.test', '11111111-0000-4000-8000-000000000001');
select tests.create_supabase_user('stranger', 'stranger@example.test', '11111111-0000-4000-8000-000000000002');
insert into public.templates (id, name, slug, schema)
values ('22222222-0000-4000-8000-000000000001', 'Resume Test', 'resume-test', '{"metadata":{}}');

insert into public.resumes (id, user_id, filename, file_url, file_size, is_default) values
  ('44444444-0000-4000-8000-000000000001', '11111111-0000-4000-8000-000000000001', 'a.pdf', '11111111-0000-4000-8000-000000000001/resumes/a.pdf', 10, true),
  ('44444444-0000-4000-8000-000000000002', '11111111-0000-4000-8000-000000000001', 'b.pdf', '11111111-0000-4000-8000-000000000001/resumes/b.pdf', 10, false),
  ('44444444-0000-4000-8000-000000000003', '11111111-0000-4000-8000-000000000002', 'c.pdf', '11111111-0000-4000-8000-000000000002/resumes/c.pdf', 10, true);

select throws_ok(
  $$update public.resumes set is_default = true where id = '44444444-0000-4000-8000-000000000002'$$,
  '23505', 'duplicate key value violates unique constraint "resumes_one_default_per_user"',
  'A second default resume for the same user is rejected.');

insert into public.resume_builder_data (id, user_id, template_id, resume_data, is_current) values
  ('55555555-0000-4000-8000-000000000001', '11111111-0000-4000-8000-000000000001', 'resume-test', '{}', true),
  ('55555555-0000-4000-8000-000000000002', '11111111-0000-4000-8000-000000000001', 'resume-test', '{}', false);
select throws_ok(
  $$update public.resume_builder_data set is_current = true where id = '55555555-0000-4000-8000-000000000002'$$,
  '23505', 'duplicate key value violates unique constraint "resume_builder_data_one_current_per_user"',
  'A second current builder resume for the same user is rejected.');

-- The switches, as the owner
select tests.authenticate_as('owner');

select is((select (public.set_default_resume('44444444-0000-4000-8000-000000000002')).id), '44444444-0000-4000-8000-000000000002'::uuid,
          'set_default_resume returns the resume it made default.');
select results_eq(
  $$select id, is_default from public.resumes order by id$$,
  $$values ('44444444-0000-4000-8000-000000000001'::uuid, false), ('44444444-0000-4000-8000-000000000002'::uuid, true)$$,
  'After set_default_resume the chosen resume is the only default.');
select is((select (public.set_default_resume('44444444-0000-4000-8000-000000000002')).is_default), true,
          'Setting the current default again is harmless.');
select throws_ok(
  $$select public.set_default_resume('44444444-0000-4000-8000-000000000003')$$,
  'PT404', 'Resume not found', 'set_default_resume refuses another user''s resume with PT404.');
select throws_ok(
  $$select public.set_default_resume('00000000-0000-4000-8000-000000000000')$$,
  'PT404', 'Resume not found', 'set_default_resume refuses an unknown resume with PT404.');

select is((select (public.set_current_resume_builder('55555555-0000-4000-8000-000000000002')).id), '55555555-0000-4000-8000-000000000002'::uuid,
          'set_current_resume_builder returns the row it made current.');
select results_eq(
  $$select id, is_current from public.resume_builder_data order by id$$,
  $$values ('55555555-0000-4000-8000-000000000001'::uuid, false), ('55555555-0000-4000-8000-000000000002'::uuid, true)$$,
  'After set_current_resume_builder the chosen row is the only current one.');
select throws_ok(
  $$select public.set_current_resume_builder('00000000-0000-4000-8000-000000000000')$$,
  'PT404', 'Resume builder data not found', 'set_current_resume_builder refuses a row that is not the caller''s with PT404.');
select tests.clear_authentication();

select is((select is_default from public.resumes where id = '44444444-0000-4000-8000-000000000003'), true,
          'Another user''s default resume is untouched by the owner''s switch.');
select is(has_function_privilege('anon', 'public.set_default_resume(uuid)', 'execute'), false, 'Anonymous callers cannot call set_default_resume.');
select is(has_function_privilege('anon', 'public.set_current_resume_builder(uuid)', 'execute'), false, 'Anonymous callers cannot call set_current_resume_builder.');
select is(has_function_privilege('authenticated', 'public.set_default_resume(uuid)', 'execute'), true, 'Signed-in users can call set_default_resume.');

-- JSON objects only
select throws_ok(
  $$insert into public.resume_builder_data (user_id, template_id, resume_data) values ('11111111-0000-4000-8000-000000000001', 'resume-test', '"{\"summary\":\"x\"}"')$$,
  '23514', 'new row for relation "resume_builder_data" violates check constraint "resume_builder_data_resume_data_check"',
  'Builder data stored as a JSON string is rejected by resume_builder_data_resume_data_check.');
select throws_ok(
  $$insert into public.wizard_sessions (user_id, template_id, draft_json) values ('11111111-0000-4000-8000-000000000001', '22222222-0000-4000-8000-000000000001', '[]')$$,
  '23514', 'new row for relation "wizard_sessions" violates check constraint "wizard_sessions_draft_json_check"',
  'A wizard draft that is an array is rejected by wizard_sessions_draft_json_check.');
select throws_ok(
  $$insert into public.wizard_sessions (user_id, template_id, status) values ('11111111-0000-4000-8000-000000000001', '22222222-0000-4000-8000-000000000001', 'paused')$$,
  '23514', 'new row for relation "wizard_sessions" violates check constraint "wizard_sessions_status_check"',
  'A wizard status outside active/completed/abandoned is rejected by wizard_sessions_status_check.');
select throws_ok(
  $$insert into public.ai_events (user_id, provider, model, status) values ('11111111-0000-4000-8000-000000000001', 'openai', 'gpt-4o-mini', 'timeout')$$,
  '23514', 'new row for relation "ai_events" violates check constraint "ai_events_status_check"',
  'An AI event status other than success/error is rejected by ai_events_status_check.');

-- Versions
insert into public.generated_resumes (id, user_id, template_id)
values ('66666666-0000-4000-8000-000000000001', '11111111-0000-4000-8000-000000000001', '22222222-0000-4000-8000-000000000001'),
       ('66666666-0000-4000-8000-000000000002', '11111111-0000-4000-8000-000000000001', '22222222-0000-4000-8000-000000000001');
select is((select current_version from public.generated_resumes where id = '66666666-0000-4000-8000-000000000001'), null,
          'A generated resume without versions has no current version.');

select tests.authenticate_as('owner');
insert into public.generated_resume_versions (generated_resume_id, content_json)
values ('66666666-0000-4000-8000-000000000001', '{"v":1}'), ('66666666-0000-4000-8000-000000000001', '{"v":2}');
insert into public.generated_resume_versions (generated_resume_id, content_json)
values ('66666666-0000-4000-8000-000000000001', '{"v":3}');
insert into public.generated_resume_versions (generated_resume_id, content_json)
values ('66666666-0000-4000-8000-000000000002', '{"v":1}');
select tests.clear_authentication();

select results_eq(
  $$select version_number, content_json ->> 'v' from public.generated_resume_versions where generated_resume_id = '66666666-0000-4000-8000-000000000001' order by version_number$$,
  $$values (1, '1'), (2, '2'), (3, '3')$$,
  'Versions saved without a number are numbered 1, 2, 3 in order.');
select is((select version_number from public.generated_resume_versions where generated_resume_id = '66666666-0000-4000-8000-000000000002'), 1,
          'Numbering is per resume: another resume starts at 1.');
select is((select current_version from public.generated_resumes where id = '66666666-0000-4000-8000-000000000001'), 3,
          'current_version follows the newest version.');

insert into public.generated_resume_versions (generated_resume_id, version_number, content_json)
values ('66666666-0000-4000-8000-000000000001', 10, '{"v":10}');
select is((select current_version from public.generated_resumes where id = '66666666-0000-4000-8000-000000000001'), 10,
          'An explicit version number is kept and becomes current when it is the newest.');
insert into public.generated_resume_versions (generated_resume_id, content_json)
values ('66666666-0000-4000-8000-000000000001', '{"v":11}');
select is((select max(version_number) from public.generated_resume_versions where generated_resume_id = '66666666-0000-4000-8000-000000000001'), 11,
          'The next omitted number continues after the highest one.');
delete from public.generated_resume_versions where generated_resume_id = '66666666-0000-4000-8000-000000000001' and version_number >= 10;
select is((select current_version from public.generated_resumes where id = '66666666-0000-4000-8000-000000000001'), 3,
          'Deleting the newest versions moves current_version back.');
select throws_ok(
  $$insert into public.generated_resume_versions (generated_resume_id, version_number, content_json) values ('66666666-0000-4000-8000-000000000001', 2, '{}')$$,
  '23505', null, 'A version number cannot be used twice for one resume.');
select throws_ok(
  $$insert into public.generated_resume_versions (generated_resume_id, content_json) values ('66666666-0000-4000-8000-000000000001', '"{}"')$$,
  '23514', 'new row for relation "generated_resume_versions" violates check constraint "generated_resume_versions_content_json_check"',
  'Version content stored as a JSON string is rejected by generated_resume_versions_content_json_check.');

select tests.authenticate_as('stranger');
select throws_ok(
  $$insert into public.generated_resume_versions (generated_resume_id, content_json) values ('66666666-0000-4000-8000-000000000001', '{}')$$,
  '42501', null, 'A stranger cannot add a version to someone else''s resume.');
select tests.clear_authentication();
select is((select current_version from public.generated_resumes where id = '66666666-0000-4000-8000-000000000001'), 3,
          'The stranger''s failed attempt leaves current_version unchanged.');

-- Templates
select throws_ok(
  $$insert into public.templates (name, slug, schema) values ('Bad', 'Bad Slug', '{}')$$,
  '23514', 'new row for relation "templates" violates check constraint "templates_slug_check"',
  'A slug that is not lowercase-kebab is rejected by templates_slug_check.');
select throws_ok(
  $$insert into public.templates (name, slug, schema, preview_url) values ('Bad', 'bad', '{}', 'preview.png')$$,
  '23514', 'new row for relation "templates" violates check constraint "templates_preview_url_check"',
  'A preview URL that is not http(s) is rejected by templates_preview_url_check.');

select * from finish();
rollback;
