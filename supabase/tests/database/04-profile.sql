-- Profile: created at sign-up from the auth metadata; social links have a checked
-- shape; skill and language proficiencies are normalised and limited; languages are
-- unique per user and private to their owner.
begin;
select plan(24);

-- GoTrue inserts users as supabase_auth_admin; postgres may take that role here
-- (the grant is rolled back with the test).
grant supabase_auth_admin to postgres;
set local role supabase_auth_admin;
select tests.create_supabase_user('ada', 'ada@example.test', '11111111-0000-4000-8000-000000000001', '{"full_name":"Ada King Lovelace"}');
select tests.create_supabase_user('grace', 'grace@example.test', '11111111-0000-4000-8000-000000000002', '{"name":"Grace"}');
select tests.create_supabase_user('linus.t', 'linus.t@example.test', '11111111-0000-4000-8000-000000000003', '{}');
select tests.create_supabase_user('oauth', 'oauth@example.test', '11111111-0000-4000-8000-000000000004', '{"full_name":"Alan Turing","given_name":"Alan","family_name":"Turing"}');
select tests.clear_authentication();

select has_trigger('auth', 'users', 'on_auth_user_created', 'auth.users has the sign-up trigger.');
select is(
  (select (full_name, first_name, last_name)::text from public.user_profile where user_id = '11111111-0000-4000-8000-000000000001'),
  '("Ada King Lovelace",Ada,"King Lovelace")',
  'Signing up with full_name creates a profile with that name, split into first and last name.');
select is(
  (select (full_name, first_name, last_name)::text from public.user_profile where user_id = '11111111-0000-4000-8000-000000000002'),
  '(Grace,Grace,)',
  'Signing up with only name uses it; a single word is a first name.');
select is(
  (select (full_name, first_name, last_name)::text from public.user_profile where user_id = '11111111-0000-4000-8000-000000000003'),
  '(linus.t,,)',
  'Signing up without a name uses the email''s local part and guesses no first or last name.');
select is(
  (select (first_name, last_name)::text from public.user_profile where user_id = '11111111-0000-4000-8000-000000000004'),
  '(Alan,Turing)',
  'given_name and family_name from OAuth fill first and last name.');
select is((select count(*)::int from public.user_profile where user_id = '11111111-0000-4000-8000-000000000001'), 1, 'Sign-up creates exactly one profile.');
select is((select social_links from public.user_profile where user_id = '11111111-0000-4000-8000-000000000001'), '[]'::jsonb, 'A new profile has no social links.');
select is(has_function_privilege('authenticated', 'private.handle_new_user()', 'execute'), false, 'Signed-in users cannot call the sign-up trigger function.');

-- social_links
select lives_ok(
  $$update public.user_profile set social_links = '[{"platform":"linkedin","url":"https://linkedin.com/in/ada"}]' where user_id = '11111111-0000-4000-8000-000000000001'$$,
  'An array of {platform, url} objects is accepted as social links.');
select throws_ok(
  $$update public.user_profile set social_links = '{"platform":"linkedin","url":"x"}' where user_id = '11111111-0000-4000-8000-000000000001'$$,
  '23514', 'new row for relation "user_profile" violates check constraint "user_profile_social_links_check"',
  'A single object instead of an array is rejected by user_profile_social_links_check.');
select throws_ok(
  $$update public.user_profile set social_links = '[{"platform":"github"}]' where user_id = '11111111-0000-4000-8000-000000000001'$$,
  '23514', 'new row for relation "user_profile" violates check constraint "user_profile_social_links_check"',
  'A link without a url is rejected by user_profile_social_links_check.');
select throws_ok(
  $$update public.user_profile set social_links = '["https://github.com/ada"]' where user_id = '11111111-0000-4000-8000-000000000001'$$,
  '23514', 'new row for relation "user_profile" violates check constraint "user_profile_social_links_check"',
  'A bare string instead of an object is rejected by user_profile_social_links_check.');

-- Skill proficiency
insert into public.user_skills (user_id, name, proficiency) values
  ('11111111-0000-4000-8000-000000000001', 'Analysis', 'Expert'),
  ('11111111-0000-4000-8000-000000000001', 'Poetry', ' Beginner '),
  ('11111111-0000-4000-8000-000000000001', 'Chess', '');
select results_eq(
  $$select name::text, proficiency::text from public.user_skills where user_id = '11111111-0000-4000-8000-000000000001' order by name$$,
  $$values ('Analysis', 'expert'), ('Chess', null), ('Poetry', 'beginner')$$,
  'Skill proficiencies are stored lowercase, and a blank one as null.');
select throws_ok(
  $$insert into public.user_skills (user_id, name, proficiency) values ('11111111-0000-4000-8000-000000000001', 'Math', 'guru')$$,
  '23514', 'new row for relation "user_skills" violates check constraint "user_skills_proficiency_check"',
  'An unknown skill proficiency is rejected by user_skills_proficiency_check.');
select throws_ok(
  $$insert into public.user_skills (user_id, name) values ('11111111-0000-4000-8000-000000000001', 'Analysis')$$,
  '23505', null, 'A user cannot have the same skill twice.');

-- Languages
insert into public.user_languages (user_id, language, proficiency)
values ('11111111-0000-4000-8000-000000000001', ' English ', 'Native'),
       ('11111111-0000-4000-8000-000000000001', 'French', 'Intermediate');
select results_eq(
  $$select language::text, proficiency::text from public.user_languages where user_id = '11111111-0000-4000-8000-000000000001' order by language$$,
  $$values ('English', 'native'), ('French', 'intermediate')$$,
  'Language names are trimmed and the app''s Title Case proficiencies stored lowercase.');
select throws_ok(
  $$insert into public.user_languages (user_id, language, proficiency) values ('11111111-0000-4000-8000-000000000001', 'German', 'Klingon-level')$$,
  '23514', 'new row for relation "user_languages" violates check constraint "user_languages_proficiency_check"',
  'An unknown language proficiency is rejected by user_languages_proficiency_check.');
select throws_ok(
  $$insert into public.user_languages (user_id, language) values ('11111111-0000-4000-8000-000000000001', '  ')$$,
  '23514', 'new row for relation "user_languages" violates check constraint "user_languages_language_check"',
  'A blank language is rejected by user_languages_language_check.');
select throws_ok(
  $$insert into public.user_languages (user_id, language) values ('11111111-0000-4000-8000-000000000001', 'English')$$,
  '23505', 'duplicate key value violates unique constraint "user_languages_user_id_language_key"',
  'A user cannot list the same language twice.');

-- Languages as the owner, a stranger and anon
select tests.authenticate_as('grace');
select lives_ok(
  $$insert into public.user_languages (user_id, language, proficiency) values ('11111111-0000-4000-8000-000000000002', 'Spanish', 'Advanced')$$,
  'A user can add a language of their own.');
select is_empty($$select id from public.user_languages where user_id = '11111111-0000-4000-8000-000000000001'$$,
  'A stranger sees none of another user''s languages.');
select throws_ok(
  $$insert into public.user_languages (user_id, language) values ('11111111-0000-4000-8000-000000000001', 'Italian')$$,
  '42501', null, 'A user cannot add a language to another user''s profile.');
select is_empty($$delete from public.user_languages where user_id = '11111111-0000-4000-8000-000000000001' returning id$$,
  'A stranger cannot delete another user''s languages.');
select tests.clear_authentication();

select tests.authenticate_as_anon();
select throws_ok($$select id from public.user_languages$$, '42501', null, 'Anonymous callers cannot read languages.');
select tests.clear_authentication();

select * from finish();
rollback;
