-- The AI wizard in SQL: start (prefilled from the profile) → patch → complete into a
-- generated resume with version 1 → more versions; abandon; the nightly sweep.
-- Threats and failures covered: a second active session per template (by race or by
-- direct insert); a patch that replaces the draft instead of merging; last_step out
-- of range; patches that are not objects; editing or completing a session that is not
-- active or not yours; completing twice and getting two resumes; completing a draft
-- without a profile; version numbers with gaps; sessions left active forever.
-- psql variables (\gset) carry ids from one step to the next.
begin;
select plan(71);

select tests.create_supabase_user('owner', 'owner@wizard.test', '11111111-1111-4111-8111-111111111111', '{"full_name":"Wizard Owner"}');
select tests.create_supabase_user('stranger', 'stranger@wizard.test', '22222222-2222-4222-8222-222222222222', '{"full_name":"Wizard Stranger"}');
insert into public.templates (id, name, slug, schema, is_active) values
  ('aaaaaaaa-0000-4000-8000-000000000001', 'Wizard Active', 'wizard-active', '{}', true),
  ('aaaaaaaa-0000-4000-8000-000000000002', 'Wizard Retired', 'wizard-retired', '{}', false),
  ('aaaaaaaa-0000-4000-8000-000000000003', 'Wizard Second', 'wizard-second', '{}', true),
  ('aaaaaaaa-0000-4000-8000-000000000004', 'Wizard Soon Retired', 'wizard-soon-retired', '{}', true);

-- The owner's profile, as the wizard should find it.
update public.user_profile
   set phone = '+44 20 7946 0000', job_title = 'Staff Engineer', location = 'London',
       professional_summary = 'I build databases.',
       social_links = '[{"platform": "github", "url": "https://github.com/owner"}]'
 where user_id = '11111111-1111-4111-8111-111111111111';
insert into public.user_skills (user_id, name, proficiency, category, created_at) values
  ('11111111-1111-4111-8111-111111111111', 'SQL', 'Expert', 'Technical', '2020-01-01'),
  ('11111111-1111-4111-8111-111111111111', 'Go', null, 'Languages', '2020-01-02');
insert into public.user_work_experience (id, user_id, title, company, location, start_date, end_date, is_current, description) values
  ('c0000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'Engineer', 'Acme', null,
   '2018-03-01', '2020-06-01', false, null),
  ('c0000000-0000-4000-8000-000000000002', '11111111-1111-4111-8111-111111111111', 'Staff Engineer', 'Globex', 'London',
   '2020-07-01', null, true, 'Led the storage team');
insert into public.user_education (id, user_id, school, degree, field, start_date, end_date) values
  ('c0000000-0000-4000-8000-000000000003', '11111111-1111-4111-8111-111111111111', 'Open University', 'BSc', 'Mathematics',
   '2014-09-01', '2017-06-01');
insert into public.user_languages (user_id, language, proficiency) values
  ('11111111-1111-4111-8111-111111111111', 'English', 'native');

-- Shape of the API ----------------------------------------------------------------------

select is(
  (select array_agg(p.proname::text || ':' || p.prosecdef || ':' || p.provolatile::text order by p.proname)
     from pg_proc p
    where p.pronamespace = 'public'::regnamespace
      and p.proname in ('start_wizard_session', 'update_wizard_session', 'complete_wizard_session',
                        'abandon_wizard_session', 'save_generated_resume_version')),
  array['abandon_wizard_session:false:v', 'complete_wizard_session:false:v', 'save_generated_resume_version:false:v',
        'start_wizard_session:false:v', 'update_wizard_session:false:v'],
  'The wizard RPCs are SECURITY INVOKER and VOLATILE (PostgREST runs them read-write).'
);
select is(
  (select pg_get_function_arguments('public.update_wizard_session(uuid,jsonb,jsonb,integer)'::regprocedure)),
  'id uuid, draft_patch jsonb DEFAULT ''{}''::jsonb, progress_patch jsonb DEFAULT ''{}''::jsonb, last_step integer DEFAULT NULL::integer',
  'update_wizard_session takes the named arguments id, draft_patch, progress_patch and last_step.'
);
select is(
  (select indexdef from pg_indexes where schemaname = 'public' and indexname = 'wizard_sessions_one_active_per_user_template'),
  'CREATE UNIQUE INDEX wizard_sessions_one_active_per_user_template ON public.wizard_sessions USING btree (user_id, template_id) WHERE (status = ''active''::text)',
  'A unique partial index allows one active session per user and template.'
);

-- Start, prefilled ------------------------------------------------------------------------

select tests.authenticate_as('owner');

select id as session_id, draft_json as draft, progress as progress, last_step as step, status as status
  from public.start_wizard_session('wizard-active') \gset

select is(:'status'::text, 'active', 'start_wizard_session opens an active session.');
select is(:'step'::int, 0, 'A new session starts at last_step 0.');
select is(:'progress'::jsonb, '{}'::jsonb, 'A new session starts with empty progress.');
select is(
  (select array_agg(k order by k) from jsonb_object_keys(:'draft'::jsonb) k),
  array['education', 'experience', 'languages', 'profile', 'skills', 'targetRole'],
  'The prefilled draft has exactly the client-contract sections.'
);
select is(
  :'draft'::jsonb -> 'profile',
  '{"fullName": "Wizard Owner", "firstName": "Wizard", "lastName": "Owner", "email": "owner@wizard.test",
    "phone": "+44 20 7946 0000", "headline": "Staff Engineer", "location": "London",
    "summary": "I build databases.", "socialLinks": [{"platform": "github", "url": "https://github.com/owner"}]}'::jsonb,
  'draft.profile comes from user_profile (job_title as headline, professional_summary as summary) and the JWT email.'
);
select is(
  :'draft'::jsonb -> 'experience',
  '[{"id": "c0000000-0000-4000-8000-000000000002", "title": "Staff Engineer", "company": "Globex", "location": "London",
     "startDate": "2020-07", "endDate": null, "isCurrent": true, "description": "Led the storage team"},
    {"id": "c0000000-0000-4000-8000-000000000001", "title": "Engineer", "company": "Acme", "location": "",
     "startDate": "2018-03", "endDate": "2020-06", "isCurrent": false, "description": ""}]'::jsonb,
  'draft.experience lists work experience newest first, with YYYY-MM dates and a null endDate for the current job.'
);
select is(
  :'draft'::jsonb -> 'education',
  '[{"id": "c0000000-0000-4000-8000-000000000003", "school": "Open University", "degree": "BSc", "field": "Mathematics",
     "startDate": "2014-09", "endDate": "2017-06"}]'::jsonb,
  'draft.education carries school, degree, field and YYYY-MM dates.'
);
select is(
  :'draft'::jsonb -> 'skills',
  '[{"name": "SQL", "proficiency": "Expert", "category": "Technical"},
    {"name": "Go", "proficiency": null, "category": "Languages"}]'::jsonb,
  'draft.skills lists {name, proficiency, category} in the order they were added, proficiency in Title Case.'
);
select is(
  :'draft'::jsonb -> 'languages',
  '[{"name": "English", "proficiency": "Native"}]'::jsonb,
  'draft.languages lists {name, proficiency}.'
);
select is(:'draft'::jsonb ->> 'targetRole', 'Staff Engineer', 'draft.targetRole starts as the profile''s job title.');

select is(
  (select id from public.start_wizard_session('wizard-active')),
  :'session_id'::uuid,
  'Starting again with the slug returns the same active session.'
);
select is(
  (select id from public.start_wizard_session('aaaaaaaa-0000-4000-8000-000000000001', false)),
  :'session_id'::uuid,
  'Starting again with the template id returns the same active session, draft untouched.'
);
select is(
  (select count(*)::int from public.wizard_sessions
    where template_id = 'aaaaaaaa-0000-4000-8000-000000000001' and status = 'active'),
  1,
  'The owner still has exactly one active session for that template.'
);
select throws_ok(
  $$insert into public.wizard_sessions (user_id, template_id)
    values ('11111111-1111-4111-8111-111111111111', 'aaaaaaaa-0000-4000-8000-000000000001')$$,
  '23505', null,
  'A second active session for the same template cannot be inserted directly either.'
);

select id as bare_id, draft_json as bare_draft from public.start_wizard_session('wizard-second', prefill => false) \gset
select is(:'bare_draft'::jsonb, '{}'::jsonb, 'With prefill false the draft starts empty.');
select isnt(:'bare_id'::uuid, :'session_id'::uuid, 'Another template gets its own session.');

select throws_ok(
  $$select public.start_wizard_session('no-such-template')$$,
  'PT404', 'template not found or not active',
  'An unknown template slug is a 404.'
);
select throws_ok(
  $$select public.start_wizard_session('wizard-retired')$$,
  'PT404', 'template not found or not active',
  'An inactive template (by slug) is a 404.'
);
select throws_ok(
  $$select public.start_wizard_session('aaaaaaaa-0000-4000-8000-000000000002')$$,
  'PT404', 'template not found or not active',
  'An inactive template (by id) is a 404.'
);

-- Patch -----------------------------------------------------------------------------------

select id as patched_id, draft_json as patched_draft, progress as patched_progress, last_step as patched_step
  from public.update_wizard_session(:'session_id', '{"targetRole": "Principal Engineer"}', '{"step": 1, "step1": true}', 1) \gset
select is(:'patched_draft'::jsonb ->> 'targetRole', 'Principal Engineer', 'A draft patch sets the keys it names.');
select is(:'patched_draft'::jsonb -> 'profile', :'draft'::jsonb -> 'profile', 'A draft patch keeps the keys it does not name (shallow merge).');
select is(:'patched_progress'::jsonb, '{"step": 1, "step1": true}'::jsonb, 'A progress patch merges into progress.');
select is(:'patched_step'::int, 1, 'last_step is set when given.');

select is(
  (select array[draft_json -> 'skills', progress, to_jsonb(last_step)]
     from public.update_wizard_session(:'session_id', draft_patch => '{"skills": ["SQL"]}', progress_patch => '{"step": 2, "step2": true}')),
  array['["SQL"]'::jsonb, '{"step": 2, "step1": true, "step2": true}'::jsonb, '1'::jsonb],
  'A patched top-level key is replaced whole; progress accumulates; last_step stays when omitted.'
);
select is(
  (select last_step from public.update_wizard_session(:'session_id', last_step => 8)),
  8,
  'last_step 8 (the summary step) is accepted.'
);
select throws_ok(
  format($$select public.update_wizard_session(%L, last_step => 9)$$, :'session_id'),
  '22023', 'last_step must be between 0 and 8, got 9',
  'last_step above 8 is refused with 22023.'
);
select throws_ok(
  format($$select public.update_wizard_session(%L, last_step => -1)$$, :'session_id'),
  '22023', 'last_step must be between 0 and 8, got -1',
  'A negative last_step is refused with 22023.'
);
select throws_ok(
  format($$select public.update_wizard_session(%L, '["not", "an", "object"]')$$, :'session_id'),
  '22023', 'draft_patch must be a JSON object',
  'A draft patch that is not a JSON object is refused with 22023.'
);
select throws_ok(
  format($$select public.update_wizard_session(%L, progress_patch => '"step3"')$$, :'session_id'),
  '22023', 'progress_patch must be a JSON object',
  'A progress patch that is not a JSON object is refused with 22023.'
);
select throws_ok(
  $$select public.update_wizard_session('dddddddd-0000-4000-8000-000000000000', '{}')$$,
  'PT404', 'wizard session not found',
  'Patching an unknown session is a 404.'
);

select tests.authenticate_as('stranger');
select throws_ok(
  format($$select public.update_wizard_session(%L, '{"targetRole": "Pwned"}')$$, :'session_id'),
  'PT404', 'wizard session not found',
  'Patching another user''s session is a 404, as if it did not exist.'
);
select throws_ok(
  format($$select public.complete_wizard_session(%L)$$, :'session_id'),
  'PT404', 'wizard session not found',
  'Completing another user''s session is a 404.'
);
select tests.authenticate_as('owner');

-- Complete --------------------------------------------------------------------------------

select throws_ok(
  format($$select public.complete_wizard_session(%L)$$, :'bare_id'),
  '22023', 'the draft has no profile yet',
  'A draft without a profile cannot be completed (22023).'
);
select lives_ok(
  format($$select public.update_wizard_session(%L, '{"profile": {"fullName": "  "}, "experience": {"title": "Oops"}}')$$, :'bare_id'),
  'A draft may hold anything while it is edited.'
);
select throws_ok(
  format($$select public.complete_wizard_session(%L)$$, :'bare_id'),
  '22023', 'draft experience must be a JSON array',
  'A draft whose experience is not a list cannot be completed (22023).'
);

select id as resume_id, title as resume_title, current_version as resume_version, template_id as resume_template
  from public.complete_wizard_session(:'session_id') \gset
select is(:'resume_title'::text, 'Wizard Owner', 'The generated resume is titled after draft.profile.fullName.');
select is(:'resume_version'::int, 1, 'The new resume''s current_version is 1.');
select is(:'resume_template'::uuid, 'aaaaaaaa-0000-4000-8000-000000000001'::uuid, 'The resume uses the session''s template.');
select is(
  (select content_json from public.generated_resume_versions where generated_resume_id = :'resume_id' and version_number = 1),
  (select draft_json from public.wizard_sessions where id = :'session_id'),
  'Version 1 is the draft exactly as it stood.'
);
select is(
  (select array[status, generated_resume_id::text] from public.wizard_sessions where id = :'session_id'),
  array['completed', :'resume_id'],
  'The session is completed and records the resume it produced.'
);
select is(
  (select id from public.complete_wizard_session(:'session_id')),
  :'resume_id'::uuid,
  'Completing the same session again returns the same resume.'
);
select is(
  (select count(*)::int from public.generated_resumes),
  1,
  'Completing twice created one generated resume, not two.'
);
select throws_ok(
  format($$select public.update_wizard_session(%L, '{"targetRole": "Later"}')$$, :'session_id'),
  'PT409', 'wizard session is not active',
  'A completed session can no longer be patched.'
);
select throws_ok(
  format($$select public.abandon_wizard_session(%L)$$, :'session_id'),
  'PT409', 'wizard session is not active',
  'A completed session cannot be abandoned.'
);
select isnt(
  (select id from public.start_wizard_session('wizard-active')),
  :'session_id'::uuid,
  'After completion, starting on the same template opens a new session.'
);

select lives_ok(
  format($$select public.update_wizard_session(%L, '{"experience": []}')$$, :'bare_id'),
  'The owner fixes the experience list.'
);
select is(
  (select title from public.complete_wizard_session(:'bare_id')),
  'My Resume',
  'Without a fullName the resume is titled ''My Resume''.'
);

select id as doomed_id from public.start_wizard_session('wizard-soon-retired') \gset
select lives_ok(
  format($$select public.update_wizard_session(%L, '{"profile": {"fullName": "Ada"}}')$$, :'doomed_id'),
  'A session on a template about to be retired gets a profile.'
);
select tests.clear_authentication();
update public.templates set is_active = false where slug = 'wizard-soon-retired';
select tests.authenticate_as('owner');
select throws_ok(
  format($$select public.complete_wizard_session(%L)$$, :'doomed_id'),
  'PT409', 'the template of this wizard session is no longer active',
  'A session whose template was retired cannot be completed, and says why.'
);
select is(
  (select last_step from public.update_wizard_session(:'doomed_id', last_step => 2)),
  2,
  'Retiring a template does not freeze its sessions: they can still be patched.'
);

-- More versions ---------------------------------------------------------------------------

select is(
  (select version_number from public.save_generated_resume_version(:'resume_id', '{"summary": "second"}')),
  2,
  'save_generated_resume_version saves version 2 after the wizard''s version 1.'
);
select is(
  (select version_number from public.save_generated_resume_version(generated_resume_id => :'resume_id', content => '{"summary": "third"}')),
  3,
  'The next save is version 3 (named arguments as PostgREST sends them).'
);
select is(
  (select array_agg(version_number order by version_number) from public.generated_resume_versions where generated_resume_id = :'resume_id'),
  array[1, 2, 3],
  'Versions are numbered 1..3 without gaps.'
);
select is(
  (select current_version from public.generated_resumes where id = :'resume_id'),
  3,
  'current_version follows the newest version.'
);
select throws_ok(
  format($$select public.save_generated_resume_version(%L, '[1, 2]')$$, :'resume_id'),
  '22023', 'content must be a JSON object',
  'A version that is not a JSON object is refused with 22023.'
);
select throws_ok(
  $$select public.save_generated_resume_version('dddddddd-0000-4000-8000-000000000000', '{}')$$,
  'PT404', 'generated resume not found',
  'Saving a version of an unknown resume is a 404.'
);
select tests.authenticate_as('stranger');
select throws_ok(
  format($$select public.save_generated_resume_version(%L, '{"planted": true}')$$, :'resume_id'),
  'PT404', 'generated resume not found',
  'Saving a version of another user''s resume is a 404.'
);
select tests.authenticate_as('owner');

-- A deleted resume does not come back -----------------------------------------------------

select id as second_resume_id from public.generated_resumes where title = 'My Resume' \gset
delete from public.generated_resumes where id = :'second_resume_id';
select is(
  (select array[status, coalesce(generated_resume_id::text, 'null')] from public.wizard_sessions where id = :'bare_id'),
  array['completed', 'null'],
  'Deleting the generated resume clears the session''s link (ON DELETE SET NULL).'
);
select throws_ok(
  format($$select public.complete_wizard_session(%L)$$, :'bare_id'),
  'PT409', 'wizard session is not active',
  'Completing that session again does not resurrect the deleted resume.'
);

-- Abandon ---------------------------------------------------------------------------------

select id as quitter_id from public.start_wizard_session('wizard-second') \gset
select is(
  (select status from public.abandon_wizard_session(:'quitter_id')),
  'abandoned',
  'abandon_wizard_session marks an active session abandoned.'
);
select is(
  (select status from public.abandon_wizard_session(:'quitter_id')),
  'abandoned',
  'Abandoning it again is harmless.'
);
select throws_ok(
  format($$select public.update_wizard_session(%L, '{"targetRole": "Back"}')$$, :'quitter_id'),
  'PT409', 'wizard session is not active',
  'An abandoned session can no longer be patched.'
);
select throws_ok(
  format($$select public.complete_wizard_session(%L)$$, :'quitter_id'),
  'PT409', 'wizard session is not active',
  'An abandoned session cannot be completed.'
);
select tests.authenticate_as('stranger');
select throws_ok(
  format($$select public.abandon_wizard_session(%L)$$, :'doomed_id'),
  'PT404', 'wizard session not found',
  'Abandoning another user''s session is a 404.'
);
select tests.clear_authentication();

-- The nightly sweep -----------------------------------------------------------------------

insert into public.wizard_sessions (id, user_id, template_id, status, created_at, updated_at) values
  ('f0000000-0000-4000-8000-000000000001', '22222222-2222-4222-8222-222222222222', 'aaaaaaaa-0000-4000-8000-000000000001',
   'active', now() - interval '90 days', now() - interval '31 days'),
  ('f0000000-0000-4000-8000-000000000002', '22222222-2222-4222-8222-222222222222', 'aaaaaaaa-0000-4000-8000-000000000003',
   'active', now() - interval '90 days', now() - interval '29 days'),
  ('f0000000-0000-4000-8000-000000000003', '22222222-2222-4222-8222-222222222222', 'aaaaaaaa-0000-4000-8000-000000000004',
   'completed', now() - interval '90 days', now() - interval '60 days');
select count(*)::int as stale_before from public.wizard_sessions
 where status = 'active' and updated_at < now() - interval '30 days' \gset

select is(
  private.abandon_stale_wizard_sessions(),
  :'stale_before'::int,
  'The sweep abandons exactly the active sessions untouched for more than 30 days, and says how many.'
);
select is(
  (select array_agg(status order by id) from public.wizard_sessions where id::text like 'f0000000-%'),
  array['abandoned', 'active', 'completed'],
  'A session idle 31 days is abandoned; one idle 29 days stays active; a completed one stays completed.'
);
select is(
  (select array_agg(r order by r) from unnest(array['anon', 'authenticated', 'service_role']) r
    where has_function_privilege(r, 'private.abandon_stale_wizard_sessions()', 'EXECUTE')),
  null,
  'No API role can run the sweep.'
);

-- In the database pg_cron runs in (cron.database_name), the migrations create pg_cron
-- and schedule the sweep nightly, even though the platform baseline leaves pg_cron
-- uncreated, as Supabase does. Anywhere else (the second test database) pg_cron stays
-- absent and the migrations still apply.
create function pg_temp.sweep_schedule() returns text language plpgsql as $$
declare
  found_schedule text;
begin
  if not exists (select 1 from pg_extension where extname = 'pg_cron') then
    return 'no pg_cron';
  end if;
  execute $q$select schedule || ' ' || command || ' as ' || username || ' in ' || database || case when active then '' else ' (inactive)' end
               from cron.job where jobname = 'abandon-stale-wizard-sessions'$q$
     into found_schedule;
  return coalesce(found_schedule, 'not scheduled');
end
$$;
select is(
  pg_temp.sweep_schedule(),
  case when current_database() = current_setting('cron.database_name', true)
       then '17 3 * * * select private.abandon_stale_wizard_sessions() as postgres in ' || current_database()
       else 'no pg_cron' end,
  'Where pg_cron runs, the job abandon-stale-wizard-sessions runs the sweep daily at 03:17 as postgres; elsewhere pg_cron is absent.'
);

select * from finish();
rollback;
