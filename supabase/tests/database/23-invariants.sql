-- Invariants a client cannot break by talking to PostgREST directly, tried as the
-- owner through the API role (role authenticated + request.jwt.claims, as PostgREST
-- sets them). Threats covered:
--   1. completing a wizard session by a direct UPDATE without a resume;
--   2. reviving an abandoned or completed session, or abandoning a completed one;
--   3. rewriting the draft, progress, step or resume link of a finished session;
--   4. inserting a session that is already completed or abandoned;
--   5. a last_step outside 0-8 written directly;
--   6. 'Python' and 'python' (or 'Spanish' and ' SPANISH ') stored twice for one user.
-- And what must keep working: patching and abandoning active sessions, the RPCs,
-- ON DELETE SET NULL from generated_resumes, the nightly sweep, upserts on the spec's
-- unique keys, merge_imported_profile.
-- psql variables (\gset) carry ids from one step to the next.
begin;
select plan(54);

select tests.create_supabase_user('owner', 'owner@invariants.test', '11111111-1111-4111-8111-111111111111', '{"full_name":"Invariant Owner"}');
select tests.create_supabase_user('stranger', 'stranger@invariants.test', '22222222-2222-4222-8222-222222222222', '{"full_name":"Invariant Stranger"}');
insert into public.templates (id, name, slug, schema, is_active) values
  ('aaaaaaaa-0000-4000-8000-000000000001', 'Invariants One', 'invariants-one', '{}', true),
  ('aaaaaaaa-0000-4000-8000-000000000002', 'Invariants Two', 'invariants-two', '{}', true),
  ('aaaaaaaa-0000-4000-8000-000000000003', 'Invariants Three', 'invariants-three', '{}', true),
  ('aaaaaaaa-0000-4000-8000-000000000004', 'Invariants Four', 'invariants-four', '{}', true);

-- Shape ------------------------------------------------------------------------------------

select is(
  (select array[p.prosecdef::text, array_to_string(p.proconfig, ',')]
     from pg_proc p where p.oid = 'private.enforce_wizard_session_lifecycle()'::regprocedure),
  array['false', 'search_path=""'],
  'The lifecycle trigger function lives in private, runs as the invoker and pins search_path to empty.'
);
select is(
  (select tgenabled::text from pg_trigger
    where tgrelid = 'public.wizard_sessions'::regclass and tgname = 'enforce_wizard_session_lifecycle'),
  'O',
  'The lifecycle trigger is enabled on public.wizard_sessions.'
);
select is(
  (select pg_get_constraintdef(oid) from pg_constraint
    where conrelid = 'public.wizard_sessions'::regclass and conname = 'wizard_sessions_last_step_check'),
  'CHECK (((last_step >= 0) AND (last_step <= 8)))',
  'wizard_sessions_last_step_check bounds last_step to 0-8.'
);
select is(
  (select indexdef from pg_indexes where schemaname = 'public' and indexname = 'user_skills_user_id_lower_name_key'),
  'CREATE UNIQUE INDEX user_skills_user_id_lower_name_key ON public.user_skills USING btree (user_id, lower((name)::text))',
  'user_skills is unique on (user_id, lower(name)).'
);
select is(
  (select indexdef from pg_indexes where schemaname = 'public' and indexname = 'user_languages_user_id_lower_language_key'),
  'CREATE UNIQUE INDEX user_languages_user_id_lower_language_key ON public.user_languages USING btree (user_id, lower((language)::text))',
  'user_languages is unique on (user_id, lower(language)).'
);

-- The owner, through the API role -------------------------------------------------------

select tests.authenticate_as('owner');

-- 1. Active sessions change freely, but complete only with a resume.

select id as active_id from public.start_wizard_session('invariants-one') \gset

select throws_ok(
  format($$update public.wizard_sessions set status = 'completed' where id = %L$$, :'active_id'),
  'PT409', 'a wizard session can only be completed with its generated resume',
  'A direct update cannot mark an active session completed without a resume.'
);
select throws_ok(
  format($$update public.wizard_sessions set last_step = 9 where id = %L$$, :'active_id'),
  '23514', 'new row for relation "wizard_sessions" violates check constraint "wizard_sessions_last_step_check"',
  'A direct update cannot set last_step past 8.'
);
select throws_ok(
  format($$update public.wizard_sessions set last_step = -1 where id = %L$$, :'active_id'),
  '23514', 'new row for relation "wizard_sessions" violates check constraint "wizard_sessions_last_step_check"',
  'A direct update cannot set last_step below 0.'
);
select lives_ok(
  format($$update public.wizard_sessions
              set draft_json = '{"profile": {"fullName": "Direct Patch"}}', progress = '{"step1": true}', last_step = 8
            where id = %L$$, :'active_id'),
  'A direct update may change the draft, progress and last_step of an active session.'
);
select is(
  (select array[status, draft_json #>> '{profile,fullName}', progress ->> 'step1', last_step::text]
     from public.wizard_sessions where id = :'active_id'),
  array['active', 'Direct Patch', 'true', '8'],
  'The active session holds the directly written draft, progress and step.'
);

-- 2. Abandoning an active session is fine; an abandoned one stays abandoned.

select lives_ok(
  format($$update public.wizard_sessions set status = 'abandoned' where id = %L$$, :'active_id'),
  'A direct update may abandon an active session.'
);
select is(
  (select status from public.wizard_sessions where id = :'active_id'),
  'abandoned',
  'The session is abandoned.'
);
select throws_ok(
  format($$update public.wizard_sessions set status = 'active' where id = %L$$, :'active_id'),
  'PT409', 'wizard session is not active',
  'An abandoned session cannot be revived by a direct update.'
);
select throws_ok(
  format($$update public.wizard_sessions set draft_json = '{"profile": {"fullName": "Too Late"}}' where id = %L$$, :'active_id'),
  'PT409', 'wizard session is not active',
  'The draft of an abandoned session cannot change.'
);
select throws_ok(
  format($$update public.wizard_sessions set status = 'completed' where id = %L$$, :'active_id'),
  'PT409', 'wizard session is not active',
  'An abandoned session cannot be marked completed.'
);
select throws_ok(
  format($$select public.update_wizard_session(%L, '{"summary": "again"}')$$, :'active_id'),
  'PT409', 'wizard session is not active',
  'update_wizard_session still refuses an abandoned session.'
);

-- 3. The RPCs still drive the whole walk; complete sets status and resume together.

select id as done_id from public.start_wizard_session('invariants-two', false) \gset
select is(
  (select last_step from public.update_wizard_session(:'done_id', '{"profile": {"fullName": "Ada Owner"}}', '{"step2": true}', 3)),
  3,
  'update_wizard_session patches an active session.'
);
select id as done_resume_id from public.complete_wizard_session(:'done_id') \gset
select is(
  (select array[w.status, (w.generated_resume_id = :'done_resume_id')::text, gr.title, gr.current_version::text]
     from public.wizard_sessions w join public.generated_resumes gr on gr.id = w.generated_resume_id
    where w.id = :'done_id'),
  array['completed', 'true', 'Ada Owner', '1'],
  'complete_wizard_session marks the session completed and links its new resume, version 1.'
);
select is(
  (select id from public.complete_wizard_session(:'done_id')),
  :'done_resume_id'::uuid,
  'Completing again returns the same resume (the frozen session is only read).'
);

-- 4. A completed session is frozen.

select throws_ok(
  format($$update public.wizard_sessions set draft_json = '{"profile": {"fullName": "Rewritten"}}' where id = %L$$, :'done_id'),
  'PT409', 'wizard session is not active',
  'The draft of a completed session cannot change.'
);
select throws_ok(
  format($$update public.wizard_sessions set progress = '{}', last_step = 0 where id = %L$$, :'done_id'),
  'PT409', 'wizard session is not active',
  'The progress and step of a completed session cannot change.'
);
select throws_ok(
  format($$update public.wizard_sessions set status = 'active', generated_resume_id = null where id = %L$$, :'done_id'),
  'PT409', 'wizard session is not active',
  'A completed session cannot be revived.'
);
select throws_ok(
  format($$update public.wizard_sessions set status = 'abandoned', generated_resume_id = null where id = %L$$, :'done_id'),
  'PT409', 'wizard session is not active',
  'A completed session cannot be abandoned by a direct update.'
);
select throws_ok(
  format($$select public.abandon_wizard_session(%L)$$, :'done_id'),
  'PT409', 'wizard session is not active',
  'abandon_wizard_session still refuses a completed session.'
);
insert into public.generated_resumes (user_id, template_id, title)
values ('11111111-1111-4111-8111-111111111111', 'aaaaaaaa-0000-4000-8000-000000000002', 'Another resume')
returning id as other_resume_id \gset
select throws_ok(
  format($$update public.wizard_sessions set generated_resume_id = %L where id = %L$$, :'other_resume_id', :'done_id'),
  'PT409', 'wizard session is not active',
  'A completed session cannot be relinked to another resume.'
);
select lives_ok(
  format($$update public.wizard_sessions set draft_json = draft_json, last_step = last_step where id = %L$$, :'done_id'),
  'Writing a completed session''s own values back (a PATCH that changes nothing) is allowed.'
);
select is(
  (select array[status, draft_json #>> '{profile,fullName}', last_step::text, generated_resume_id::text]
     from public.wizard_sessions where id = :'done_id'),
  array['completed', 'Ada Owner', '3', :'done_resume_id'],
  'After every refused attempt the completed session is as complete_wizard_session left it.'
);

-- A stranger's direct update of it finds nothing: RLS filters before the trigger speaks.
select tests.authenticate_as('stranger');
select is_empty(
  format($$update public.wizard_sessions set draft_json = '{}' where id = %L returning id$$, :'done_id'),
  'A stranger''s update of the owner''s completed session touches no row and reveals nothing.'
);
select tests.authenticate_as('owner');

-- 5. Deleting the resume still clears the link (ON DELETE SET NULL is an UPDATE).

select lives_ok(
  format($$delete from public.generated_resumes where id = %L$$, :'done_resume_id'),
  'The owner can delete the resume a completed session points at.'
);
select is(
  (select array[status, coalesce(generated_resume_id::text, 'null')] from public.wizard_sessions where id = :'done_id'),
  array['completed', 'null'],
  'The completed session stays completed, its link cleared by ON DELETE SET NULL.'
);
select throws_ok(
  format($$update public.wizard_sessions set generated_resume_id = %L where id = %L$$, :'other_resume_id', :'done_id'),
  'PT409', 'wizard session is not active',
  'A completed session whose resume was deleted cannot be linked to another one.'
);

-- 6. A direct completion with one of the owner's own resumes follows the rule.

select id as direct_id from public.start_wizard_session('invariants-three', false) \gset
select lives_ok(
  format($$update public.wizard_sessions set status = 'completed', generated_resume_id = %L where id = %L$$,
         :'other_resume_id', :'direct_id'),
  'An active session may be completed together with its resume in one update.'
);
select is(
  (select array[status, generated_resume_id::text] from public.wizard_sessions where id = :'direct_id'),
  array['completed', :'other_resume_id'],
  'That session is completed and linked.'
);
select is(
  (select status from public.abandon_wizard_session((select id from public.start_wizard_session('invariants-four', false)))),
  'abandoned',
  'abandon_wizard_session still abandons an active session.'
);

-- A session cannot be born finished either (the insert policy, 42501 = PostgREST 403).
select throws_ok(
  $$insert into public.wizard_sessions (user_id, template_id, status)
    values ('11111111-1111-4111-8111-111111111111', 'aaaaaaaa-0000-4000-8000-000000000001', 'completed')$$,
  '42501', 'new row violates row-level security policy for table "wizard_sessions"',
  'A direct insert cannot create a completed session.'
);
select throws_ok(
  format($$insert into public.wizard_sessions (user_id, template_id, status, generated_resume_id)
           values ('11111111-1111-4111-8111-111111111111', 'aaaaaaaa-0000-4000-8000-000000000001', 'completed', %L)$$,
         :'other_resume_id'),
  '42501', 'new row violates row-level security policy for table "wizard_sessions"',
  'A direct insert cannot create a completed session even with one of the owner''s resumes.'
);
select throws_ok(
  $$insert into public.wizard_sessions (user_id, template_id, status)
    values ('11111111-1111-4111-8111-111111111111', 'aaaaaaaa-0000-4000-8000-000000000001', 'abandoned')$$,
  '42501', 'new row violates row-level security policy for table "wizard_sessions"',
  'A direct insert cannot create an abandoned session.'
);
select lives_ok(
  $$insert into public.wizard_sessions (user_id, template_id, last_step)
    values ('11111111-1111-4111-8111-111111111111', 'aaaaaaaa-0000-4000-8000-000000000001', 2)$$,
  'A direct insert of an active, unlinked session is still allowed.'
);
select throws_ok(
  $$insert into public.wizard_sessions (user_id, template_id, last_step)
    values ('11111111-1111-4111-8111-111111111111', 'aaaaaaaa-0000-4000-8000-000000000002', 9)$$,
  '23514', 'new row for relation "wizard_sessions" violates check constraint "wizard_sessions_last_step_check"',
  'A direct insert cannot start at a step past 8.'
);

select tests.clear_authentication();

-- 7. The nightly sweep, run as the owner of the table, still abandons stale sessions.

insert into public.wizard_sessions (id, user_id, template_id, status, updated_at) values
  ('f0000000-0000-4000-8000-000000000001', '22222222-2222-4222-8222-222222222222', 'aaaaaaaa-0000-4000-8000-000000000001',
   'active', now() - interval '31 days');
select cmp_ok(private.abandon_stale_wizard_sessions(), '>=', 1, 'The sweep abandons at least the stale session.');
select is(
  (select status from public.wizard_sessions where id = 'f0000000-0000-4000-8000-000000000001'),
  'abandoned',
  'The session idle for 31 days is abandoned by the sweep.'
);

-- 8. Skills and languages are unique per user, case-insensitively. ------------------------

select tests.authenticate_as('owner');

select lives_ok(
  $$insert into public.user_skills (user_id, name) values ('11111111-1111-4111-8111-111111111111', 'Python')$$,
  'The owner adds the skill Python.'
);
select throws_ok(
  $$insert into public.user_skills (user_id, name) values ('11111111-1111-4111-8111-111111111111', 'python')$$,
  '23505', 'duplicate key value violates unique constraint "user_skills_user_id_lower_name_key"',
  'Adding python next to Python is a duplicate (PostgREST: 409).'
);
insert into public.user_skills (user_id, name) values ('11111111-1111-4111-8111-111111111111', 'Go');
select throws_ok(
  $$update public.user_skills set name = 'PYTHON' where user_id = '11111111-1111-4111-8111-111111111111' and name = 'Go'$$,
  '23505', 'duplicate key value violates unique constraint "user_skills_user_id_lower_name_key"',
  'Renaming another skill to PYTHON is a duplicate too.'
);
select lives_ok(
  $$insert into public.user_skills (user_id, name, proficiency) values ('11111111-1111-4111-8111-111111111111', 'Python', 'Expert')
    on conflict (user_id, name) do update set proficiency = excluded.proficiency$$,
  'An upsert on the spec''s key (on_conflict=user_id,name) still resolves against UNIQUE(user_id, name).'
);
select is(
  (select array_agg(name || ':' || coalesce(proficiency, '-') order by name) from public.user_skills
    where user_id = '11111111-1111-4111-8111-111111111111'),
  array['Go:-', 'Python:expert'],
  'The owner has Python once, updated by the upsert, and Go.'
);
select is(
  (select public.merge_imported_profile('{"skills": ["PYTHON", "go", "Rust"], "languages": ["ENGLISH"]}') -> 'skills'),
  '{"added": 1, "skipped": 2}'::jsonb,
  'merge_imported_profile skips skills the owner has in another case and adds the new one.'
);

select lives_ok(
  $$insert into public.user_languages (user_id, language) values ('11111111-1111-4111-8111-111111111111', 'Spanish')$$,
  'The owner adds the language Spanish.'
);
select throws_ok(
  $$insert into public.user_languages (user_id, language) values ('11111111-1111-4111-8111-111111111111', 'spanish')$$,
  '23505', 'duplicate key value violates unique constraint "user_languages_user_id_lower_language_key"',
  'Adding spanish next to Spanish is a duplicate (PostgREST: 409).'
);
select throws_ok(
  $$insert into public.user_languages (user_id, language) values ('11111111-1111-4111-8111-111111111111', ' SPANISH ')$$,
  '23505', 'duplicate key value violates unique constraint "user_languages_user_id_lower_language_key"',
  'Padding and capitals do not make a second Spanish (the trigger trims before the index compares).'
);
select lives_ok(
  $$insert into public.user_languages (user_id, language, proficiency) values ('11111111-1111-4111-8111-111111111111', 'Spanish', 'native')
    on conflict (user_id, language) do update set proficiency = excluded.proficiency$$,
  'An upsert on UNIQUE(user_id, language) still works.'
);
select is(
  (select array_agg(language || ':' || coalesce(proficiency, '-') order by language) from public.user_languages
    where user_id = '11111111-1111-4111-8111-111111111111'),
  array['ENGLISH:-', 'Spanish:native'],
  'The owner has Spanish once, updated by the upsert, and the imported ENGLISH.'
);

-- Per user: the stranger may hold the same names.
select tests.authenticate_as('stranger');
select lives_ok(
  $$insert into public.user_skills (user_id, name) values ('22222222-2222-4222-8222-222222222222', 'python')$$,
  'Another user can have python although the owner has Python.'
);
select lives_ok(
  $$insert into public.user_languages (user_id, language) values ('22222222-2222-4222-8222-222222222222', 'spanish')$$,
  'Another user can have spanish although the owner has Spanish.'
);
select tests.clear_authentication();

select * from finish();
rollback;
