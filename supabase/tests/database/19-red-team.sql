-- Red team: attacks a stranger (another signed-in user) or an anonymous caller could
-- try through PostgREST or the Storage API. Every one must fail.
--   1. insert into every user table with the owner's user_id (as the stranger)
--   2. move a row to another user by changing user_id (as the owner, on every table)
--   3. read the owner's resume versions by guessing generated_resume_id; add a version
--   4. point own rows at the owner's wizard session or at an inactive template
--   5. call the share RPC with random, revoked and expired tokens; steal a token
--   6. upload into the owner's storage folder, in both buckets
--   7. call every function in public as anon (only the share page and the calendar feed answer)
--   8. drive the wizard RPCs on the owner's session or resume (patch, complete,
--      abandon, save a version) and start a session on an inactive template
begin;

select tests.create_supabase_user('owner', 'owner@redteam.test', '11111111-1111-4111-8111-111111111111');
select tests.create_supabase_user('stranger', 'stranger@redteam.test', '22222222-2222-4222-8222-222222222222');
insert into public.templates (id, name, slug, schema, is_active) values
  ('aaaaaaaa-0000-4000-8000-000000000001', 'Red Active', 'red-active', '{}', true),
  ('aaaaaaaa-0000-4000-8000-000000000002', 'Red Retired', 'red-retired', '{}', false);
insert into public.jobs (id, user_id, job_title, company, status) values
  ('e0000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'Engineer', 'Acme', 'applied');
insert into public.wizard_sessions (id, user_id, template_id) values
  ('e0000000-0000-4000-8000-000000000002', '11111111-1111-4111-8111-111111111111', 'aaaaaaaa-0000-4000-8000-000000000001');
insert into public.generated_resumes (id, user_id, template_id, share_token, share_created_at) values
  ('e0000000-0000-4000-8000-000000000003', '11111111-1111-4111-8111-111111111111', 'aaaaaaaa-0000-4000-8000-000000000001',
   'OwnersLiveTokenOwnersLiveToken00', now());
insert into public.generated_resume_versions (generated_resume_id, version_number, content_json) values
  ('e0000000-0000-4000-8000-000000000003', 1, '{"secret": "owner"}');
insert into public.generated_resumes (id, user_id, template_id) values
  ('e0000000-0000-4000-8000-000000000004', '22222222-2222-4222-8222-222222222222', 'aaaaaaaa-0000-4000-8000-000000000001');
insert into public.jobs (id, user_id, job_title, company, status) values
  ('e0000000-0000-4000-8000-000000000005', '22222222-2222-4222-8222-222222222222', 'Decoy', 'Evil', 'applied');
insert into public.wizard_sessions (id, user_id, template_id) values
  ('e0000000-0000-4000-8000-000000000006', '22222222-2222-4222-8222-222222222222', 'aaaaaaaa-0000-4000-8000-000000000001');

insert into public.contacts (id, user_id, name) values
  ('e0000000-0000-4000-8000-000000000007', '11111111-1111-4111-8111-111111111111', 'Owner Contact');
insert into public.interviews (id, user_id, job_id, starts_at, time_zone) values
  ('e0000000-0000-4000-8000-000000000008', '11111111-1111-4111-8111-111111111111', 'e0000000-0000-4000-8000-000000000001', now(), 'UTC');
insert into public.tags (id, user_id, name) values
  ('e0000000-0000-4000-8000-000000000009', '11111111-1111-4111-8111-111111111111', 'owner tag');

-- 1. The stranger inserts rows carrying the owner's user_id, one statement per table.
create temp table forged_inserts (table_name text primary key, statement text);
insert into forged_inserts values
  ('user_profile', $$insert into public.user_profile (user_id, full_name) values ('11111111-1111-4111-8111-111111111111', 'Forged')$$),
  ('user_skills', $$insert into public.user_skills (user_id, name) values ('11111111-1111-4111-8111-111111111111', 'Forgery')$$),
  ('user_work_experience', $$insert into public.user_work_experience (user_id, title, company) values ('11111111-1111-4111-8111-111111111111', 'Forger', 'Evil')$$),
  ('user_education', $$insert into public.user_education (user_id, school) values ('11111111-1111-4111-8111-111111111111', 'Evil U')$$),
  ('user_languages', $$insert into public.user_languages (user_id, language) values ('11111111-1111-4111-8111-111111111111', 'Klingon')$$),
  ('application_form_answers', $$insert into public.application_form_answers (user_id, gender) values ('11111111-1111-4111-8111-111111111111', 'Male')$$),
  ('subscriptions', $$insert into public.subscriptions (user_id, tier, status) values ('11111111-1111-4111-8111-111111111111', 'pro', 'active')$$),
  ('jobs', $$insert into public.jobs (user_id, job_title, company, status) values ('11111111-1111-4111-8111-111111111111', 'Forged', 'Evil', 'applied')$$),
  ('job_search_documents', $$insert into public.job_search_documents (job_id, user_id, document, title_company) values ('e0000000-0000-4000-8000-000000000005', '11111111-1111-4111-8111-111111111111', 'planted', 'Planted')$$),
  ('job_status_events', $$insert into public.job_status_events (job_id, user_id, to_status) values ('e0000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'rejected')$$),
  ('resumes', $$insert into public.resumes (user_id, filename, file_url, file_size) values ('11111111-1111-4111-8111-111111111111', 'evil.pdf', '11111111-1111-4111-8111-111111111111/resumes/evil.pdf', 1)$$),
  ('resume_builder_data', $$insert into public.resume_builder_data (user_id, template_id, resume_data) values ('11111111-1111-4111-8111-111111111111', 'red-active', '{}')$$),
  ('wizard_sessions', $$insert into public.wizard_sessions (user_id, template_id) values ('11111111-1111-4111-8111-111111111111', 'aaaaaaaa-0000-4000-8000-000000000001')$$),
  ('generated_resumes', $$insert into public.generated_resumes (user_id, template_id) values ('11111111-1111-4111-8111-111111111111', 'aaaaaaaa-0000-4000-8000-000000000001')$$),
  ('ai_events', $$insert into public.ai_events (user_id, provider, model, status) values ('11111111-1111-4111-8111-111111111111', 'openai', 'gpt-4o-mini', 'success')$$),
  ('ai_usage_daily', $$insert into public.ai_usage_daily (user_id, day, provider, model, calls, errors, input_tokens, output_tokens) values ('11111111-1111-4111-8111-111111111111', '2026-01-01', 'openai', 'gpt-4o-mini', 1, 0, 0, 0)$$),
  ('cover_letters', $$insert into public.cover_letters (user_id, job_id, content) values ('11111111-1111-4111-8111-111111111111', 'e0000000-0000-4000-8000-000000000001', 'Forged letter.')$$),
  ('tracker_settings', $$insert into public.tracker_settings (user_id, follow_up_days) values ('11111111-1111-4111-8111-111111111111', 365)$$),
  ('contacts', $$insert into public.contacts (user_id, name) values ('11111111-1111-4111-8111-111111111111', 'Forged Contact')$$),
  ('job_contacts', $$insert into public.job_contacts (user_id, job_id, contact_id, part) values ('11111111-1111-4111-8111-111111111111', 'e0000000-0000-4000-8000-000000000001', 'e0000000-0000-4000-8000-000000000007', 'referrer')$$),
  ('interviews', $$insert into public.interviews (user_id, job_id, starts_at, time_zone) values ('11111111-1111-4111-8111-111111111111', 'e0000000-0000-4000-8000-000000000001', now(), 'UTC')$$),
  ('interview_participants', $$insert into public.interview_participants (user_id, interview_id, contact_id) values ('11111111-1111-4111-8111-111111111111', 'e0000000-0000-4000-8000-000000000008', 'e0000000-0000-4000-8000-000000000007')$$),
  ('tags', $$insert into public.tags (user_id, name) values ('11111111-1111-4111-8111-111111111111', 'forged')$$),
  ('job_tags', $$insert into public.job_tags (user_id, job_id, tag_id) values ('11111111-1111-4111-8111-111111111111', 'e0000000-0000-4000-8000-000000000001', 'e0000000-0000-4000-8000-000000000009')$$),
  ('job_materials', $$insert into public.job_materials (user_id, job_id) values ('11111111-1111-4111-8111-111111111111', 'e0000000-0000-4000-8000-000000000001')$$),
  ('email_proposals', $$insert into public.email_proposals (user_id, email_kind, summary, job_id, proposed_status) values ('11111111-1111-4111-8111-111111111111', 'offer', 'Forged offer.', 'e0000000-0000-4000-8000-000000000001', 'accepted')$$);

-- Tables in public that carry a user_id: attack 1 and 2 must cover each of them.
create temp table user_tables as
select c.relname::text as table_name
  from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attname = 'user_id' and not a.attisdropped
 where c.relnamespace = 'public'::regnamespace and c.relkind = 'r';

-- Each attempt runs as the actor the way PostgREST would (tests.attempt_as) and is
-- rolled back: 'rows: n' or 'error <sqlstate>'.

-- 7. Every function in public called as anon with NULL arguments. Only the share page
-- is open to anon; it must answer null for a null token.
create temp table anon_calls as
select p.oid::regprocedure::text as signature,
       tests.attempt_as('anon', format('select %s(%s)', p.oid::regproc,
                                      array_to_string(array_fill('null'::text, array[p.pronargs]), ', '))) as outcome
  from pg_proc p
 where p.pronamespace = 'public'::regnamespace;

select plan((select count(*)::int from user_tables) * 2 + 27);

select set_eq(
  $$select table_name from forged_inserts$$,
  $$select table_name from user_tables$$,
  'The forged-insert attack covers every table in public that has a user_id.'
);

select is(
  tests.attempt_as('stranger', statement),
  'error 42501',
  format('A stranger cannot insert into public.%s with the owner''s user_id.', table_name)
)
  from forged_inserts order by table_name;

-- 2. The owner tries to hand each of their rows to the stranger.
select is(
  tests.attempt_as('owner', format($$update public.%I set user_id = '22222222-2222-4222-8222-222222222222'
                                   where user_id = '11111111-1111-4111-8111-111111111111'$$, table_name)),
  'error 42501',
  format('Nobody can move a row of public.%s to another user by changing user_id.', table_name)
)
  from user_tables order by table_name;

-- 3. Guessing generated_resume_id.
select is(
  tests.attempt_as('stranger', $$select * from public.generated_resume_versions
                                where generated_resume_id = 'e0000000-0000-4000-8000-000000000003'$$),
  'rows: 0',
  'A stranger who guesses the owner''s generated_resume_id reads no version.'
);
select is(
  tests.attempt_as('stranger', $$select * from public.generated_resumes where id = 'e0000000-0000-4000-8000-000000000003'$$),
  'rows: 0',
  'A stranger cannot read the owner''s generated resume (nor its token) by id.'
);
select is(
  tests.attempt_as('stranger', $$insert into public.generated_resume_versions (generated_resume_id, content_json)
                                values ('e0000000-0000-4000-8000-000000000003', '{"planted": true}')$$),
  'error 42501',
  'A stranger cannot add a version to the owner''s generated resume.'
);

-- 4. References to other users' rows and to inactive templates.
select is(
  tests.attempt_as('stranger', $$insert into public.ai_events (user_id, wizard_session_id, provider, model, status)
                                values ('22222222-2222-4222-8222-222222222222', 'e0000000-0000-4000-8000-000000000002', 'openai', 'gpt-4o-mini', 'success')$$),
  'error 42501',
  'A stranger cannot log an AI event against the owner''s wizard session.'
);
select is(
  tests.attempt_as('stranger', $$insert into public.wizard_sessions (user_id, template_id)
                                values ('22222222-2222-4222-8222-222222222222', 'aaaaaaaa-0000-4000-8000-000000000002')$$),
  'error 42501',
  'A wizard session cannot be started on an inactive template.'
);
select is(
  tests.attempt_as('stranger', $$insert into public.generated_resumes (user_id, template_id)
                                values ('22222222-2222-4222-8222-222222222222', 'aaaaaaaa-0000-4000-8000-000000000002')$$),
  'error 42501',
  'A generated resume cannot be built on an inactive template.'
);
select is(
  tests.attempt_as('stranger', $$update public.generated_resumes set template_id = 'aaaaaaaa-0000-4000-8000-000000000002'
                                where id = 'e0000000-0000-4000-8000-000000000004'$$),
  'error 42501',
  'A generated resume cannot be switched to another (inactive) template afterwards.'
);
select is(
  tests.attempt_as('stranger', $$select * from public.templates where slug = 'red-retired'$$),
  'rows: 0',
  'Inactive templates are invisible to signed-in users.'
);

select is(
  tests.attempt_as('stranger', $$insert into public.cover_letters (user_id, job_id, content)
                                values ('22222222-2222-4222-8222-222222222222', 'e0000000-0000-4000-8000-000000000001', 'Planted.')$$),
  'error 42501',
  'A stranger cannot file a cover letter under the owner''s job.'
);
select is(
  tests.attempt_as('stranger', $$insert into public.cover_letters (user_id, job_id, generated_resume_id, content)
                                values ('22222222-2222-4222-8222-222222222222', 'e0000000-0000-4000-8000-000000000005',
                                        'e0000000-0000-4000-8000-000000000003', 'Planted.')$$),
  'error 42501',
  'A stranger cannot link their own cover letter to the owner''s generated resume.'
);
select is(
  tests.attempt_as('stranger', $$update public.wizard_sessions
                                   set status = 'completed', generated_resume_id = 'e0000000-0000-4000-8000-000000000003'
                                 where id = 'e0000000-0000-4000-8000-000000000006'$$),
  'error 42501',
  'A stranger cannot link their own wizard session to the owner''s generated resume.'
);

-- 5. Share tokens.
select is(
  tests.attempt_as('stranger', $$update public.generated_resumes set share_token = 'OwnersLiveTokenOwnersLiveToken00'
                                where id = 'e0000000-0000-4000-8000-000000000004'$$),
  'error 42501',
  'A stranger cannot copy a token onto their own resume.'
);
select is(
  tests.attempt_as('stranger', $$select public.revoke_share_link('e0000000-0000-4000-8000-000000000003')$$),
  'error PT404',
  'A stranger cannot revoke the owner''s link.'
);
select tests.authenticate_as_anon();
select is(
  (select count(*)::int from generate_series(1, 50)
    where public.get_public_generated_resume(translate(encode(extensions.gen_random_bytes(24), 'base64'), '+/', '-_')) is not null),
  0,
  'Fifty random well-formed tokens open nothing for anon.'
);
select isnt(
  public.get_public_generated_resume('OwnersLiveTokenOwnersLiveToken00'),
  null,
  'Control: the owner''s live token does open the resume for anon.'
);
select tests.clear_authentication();
update public.generated_resumes set share_expires_at = now() - interval '1 second'
 where id = 'e0000000-0000-4000-8000-000000000003';
select tests.authenticate_as_anon();
select is(
  public.get_public_generated_resume('OwnersLiveTokenOwnersLiveToken00'),
  null,
  'The same token after its expiry opens nothing.'
);
select tests.clear_authentication();
update public.generated_resumes set share_expires_at = null, share_token = null
 where id = 'e0000000-0000-4000-8000-000000000003';
select tests.authenticate_as_anon();
select is(
  public.get_public_generated_resume('OwnersLiveTokenOwnersLiveToken00'),
  null,
  'The same token after revocation opens nothing.'
);
select tests.clear_authentication();

-- 6. Storage.
select is(
  tests.attempt_as('stranger', $$insert into storage.objects (bucket_id, name)
                                values ('resumes', '11111111-1111-4111-8111-111111111111/resumes/planted.pdf')$$),
  'error 42501',
  'A stranger cannot upload into the owner''s folder of the resumes bucket.'
);
select is(
  tests.attempt_as('stranger', $$insert into storage.objects (bucket_id, name)
                                values ('avatars', '11111111-1111-4111-8111-111111111111/profile-pictures/planted.png')$$),
  'error 42501',
  'A stranger cannot upload into the owner''s folder of the avatars bucket.'
);

-- 8. The wizard RPCs on the owner's rows: someone else's session or resume is "not found".
select is(
  tests.attempt_as('stranger', $$select public.update_wizard_session('e0000000-0000-4000-8000-000000000002', '{"profile": {"fullName": "Pwned"}}')$$),
  'error PT404',
  'A stranger cannot patch the owner''s wizard session.'
);
select is(
  tests.attempt_as('stranger', $$select public.complete_wizard_session('e0000000-0000-4000-8000-000000000002')$$),
  'error PT404',
  'A stranger cannot complete the owner''s wizard session.'
);
select is(
  tests.attempt_as('stranger', $$select public.abandon_wizard_session('e0000000-0000-4000-8000-000000000002')$$),
  'error PT404',
  'A stranger cannot abandon the owner''s wizard session.'
);
select is(
  tests.attempt_as('stranger', $$select public.save_generated_resume_version('e0000000-0000-4000-8000-000000000003', '{"planted": true}')$$),
  'error PT404',
  'A stranger cannot save a version of the owner''s generated resume through the RPC.'
);
select is(
  tests.attempt_as('stranger', $$select public.start_wizard_session('red-retired')$$),
  'error PT404',
  'A wizard session cannot be started on an inactive template through the RPC either.'
);

-- 7. Functions as anon.
select cmp_ok(
  (select count(*)::int from anon_calls), '>=', 12,
  'The anon sweep called every function in public (at least the twelve known ones).'
);
select is_empty(
  $$select signature, outcome from anon_calls
     where (signature in ('get_public_generated_resume(text,text)', 'get_calendar_feed(text)', 'get_template_layout(text)') and outcome <> 'rows: 1')
        or (signature = 'unlock_share_link(text,text)' and outcome <> 'error 22023')
        or (signature not in ('get_public_generated_resume(text,text)', 'get_calendar_feed(text)', 'get_template_layout(text)', 'unlock_share_link(text,text)') and outcome <> 'error 42501')$$,
  'As anon, every function in public is refused with 42501, except the share page, the calendar feed and a template''s layout, which answer (null for a null token or slug), and unlock_share_link, which refuses a null password (22023).'
);

select * from finish();
rollback;
