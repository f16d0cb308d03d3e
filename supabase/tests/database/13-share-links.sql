-- Share links: the owner creates, rotates and revokes a random token; anyone with a
-- live token reads the newest version through get_public_generated_resume, and nothing
-- else. Threats covered: a guessable or client-chosen token; sharing someone else's
-- resume; revoked or expired tokens that still work; anon reading or writing tables;
-- a view that rewrites the owner's data.
begin;
select plan(29);

select tests.create_supabase_user('owner', 'owner@share.test', '11111111-1111-4111-8111-111111111111');
select tests.create_supabase_user('stranger', 'stranger@share.test', '22222222-2222-4222-8222-222222222222');
insert into public.templates (id, name, slug, schema) values
  ('aaaaaaaa-0000-4000-8000-000000000001', 'Share Test', 'share-test', '{}');
insert into public.generated_resumes (id, user_id, template_id, title, updated_at) values
  ('d0000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111',
   'aaaaaaaa-0000-4000-8000-000000000001', 'Ada''s resume', '2025-01-01 00:00:00+00');
insert into public.generated_resume_versions (generated_resume_id, version_number, content_json) values
  ('d0000000-0000-4000-8000-000000000001', 1, '{"profile": {"summary": "first"}}'),
  ('d0000000-0000-4000-8000-000000000001', 2, '{"profile": {"summary": "second"}}');

create temp table tokens (label text primary key, token text);
grant all on tokens to authenticated, anon;

-- Shape of the API ----------------------------------------------------------------------

select function_returns('public', 'create_share_link', array['uuid', 'timestamp with time zone'], 'text',
  'create_share_link(generated_resume_id, expires_at) returns the token as text.');
select function_returns('public', 'get_public_generated_resume', array['text', 'text'], 'jsonb',
  'get_public_generated_resume(share_token, access) returns jsonb.');
select is(
  (select array_agg(p.prosecdef order by p.proname) from pg_proc p
    where p.pronamespace = 'public'::regnamespace
      and p.proname in ('create_share_link', 'revoke_share_link', 'get_public_generated_resume')),
  array[false, false, false],
  'The three public share functions are SECURITY INVOKER wrappers.'
);
select is(
  (select array_agg(p.prosecdef order by p.proname) from pg_proc p
    where p.pronamespace = 'private'::regnamespace
      and p.proname in ('create_share_link', 'revoke_share_link', 'get_public_generated_resume')),
  array[true, true, true],
  'Their bodies in the unexposed schema private are SECURITY DEFINER.'
);
select ok(
  exists (select 1 from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
           where i.indrelid = 'public.generated_resumes'::regclass and i.indisunique
             and i.indnatts = 1 and i.indpred is null and a.attname = 'share_token'),
  'share_token has a unique index, so the public lookup is an index probe.'
);

-- The owner creates a link ---------------------------------------------------------------

select tests.authenticate_as('owner');

insert into tokens select 'first', public.create_share_link('d0000000-0000-4000-8000-000000000001');
select matches(
  (select token from tokens where label = 'first'),
  '^[A-Za-z0-9_-]{32}$',
  'The token is 32 base64url characters (192 random bits), safe in a URL.'
);
insert into tokens select 'second', public.create_share_link('d0000000-0000-4000-8000-000000000001');
select isnt(
  (select token from tokens where label = 'second'),
  (select token from tokens where label = 'first'),
  'Creating a link again replaces the token with a fresh random one.'
);
select is(
  (select share_token from public.generated_resumes where id = 'd0000000-0000-4000-8000-000000000001'),
  (select token from tokens where label = 'second'),
  'The owner sees the live token on their resume.'
);
select throws_ok(
  $$update public.generated_resumes set share_token = 'chosen-by-the-client-000000000000'
     where id = 'd0000000-0000-4000-8000-000000000001'$$,
  '42501', null,
  'The owner cannot set a token of their choosing directly.'
);
select throws_ok(
  $$update public.generated_resumes set share_view_count = 0, share_expires_at = null
     where id = 'd0000000-0000-4000-8000-000000000001'$$,
  '42501', null,
  'The owner cannot rewrite the view count or expiry directly.'
);
select throws_ok(
  $$select public.create_share_link('d0000000-0000-4000-8000-000000000001', now() - interval '1 minute')$$,
  '22023', null,
  'An expiry in the past is rejected as an invalid parameter.'
);
select throws_ok(
  $$select public.create_share_link('d0000000-0000-4000-8000-00000000ffff')$$,
  'PT404', null,
  'Sharing a resume that does not exist answers 404.'
);

-- The stranger cannot share or revoke the owner's resume -------------------------------------

select tests.authenticate_as('stranger');
select throws_ok(
  $$select public.create_share_link('d0000000-0000-4000-8000-000000000001')$$,
  'PT404', null,
  'A stranger cannot create a link for the owner''s resume (404, as if it did not exist).'
);
select throws_ok(
  $$select public.revoke_share_link('d0000000-0000-4000-8000-000000000001')$$,
  'PT404', null,
  'A stranger cannot revoke the owner''s link.'
);

-- An anonymous visitor opens the link ------------------------------------------------------

select tests.clear_authentication();
-- Pin the resume's edit time, to see below that views leave it alone.
alter table public.generated_resumes disable trigger update_generated_resumes_updated_at;
update public.generated_resumes set updated_at = '2025-01-01 00:00:00+00' where id = 'd0000000-0000-4000-8000-000000000001';
alter table public.generated_resumes enable trigger update_generated_resumes_updated_at;
select tests.authenticate_as_anon();

select is(
  public.get_public_generated_resume((select token from tokens where label = 'second')) - 'updated_at',
  jsonb_build_object('title', 'Ada''s resume', 'template_slug', 'share-test',
                     'content', '{"profile": {"fullName": "", "firstName": "", "lastName": "", "email": "", "phone": "",
                                             "headline": "", "location": "", "summary": "second", "socialLinks": []},
                                 "experience": [], "education": [], "skills": [], "languages": []}'::jsonb),
  'anon reads the title, template slug and newest version''s rendered content through a live token.'
);
-- A second visitor (another address) opens the link too.
select set_config('request.headers', '{"x-forwarded-for": "198.51.100.2", "user-agent": "test"}', true);
select is(
  public.get_public_generated_resume((select token from tokens where label = 'second')) ->> 'updated_at',
  to_char(now() at time zone 'UTC', 'YYYY-MM-DD'),
  'The public answer says on which day the shown version was written.'
);
select is(
  public.get_public_generated_resume((select token from tokens where label = 'first')),
  null,
  'A replaced token no longer works.'
);
select is(
  public.get_public_generated_resume(translate(encode(extensions.gen_random_bytes(24), 'base64'), '+/', '-_')),
  null,
  'A random well-formed token returns null.'
);
select is(public.get_public_generated_resume(null), null, 'A null token returns null.');
select is(public.get_public_generated_resume('x'' or ''1''=''1'), null, 'A malformed token returns null.');
select throws_ok(
  $$select share_token from public.generated_resumes$$,
  '42501', null,
  'anon cannot read generated_resumes directly.'
);
select throws_ok(
  $$select * from public.generated_resume_versions$$,
  '42501', null,
  'anon cannot read resume versions directly.'
);
select throws_ok(
  $$select public.create_share_link('d0000000-0000-4000-8000-000000000001')$$,
  '42501', null,
  'anon cannot create share links.'
);

-- Views are counted without touching the owner's edit time -------------------------------

select tests.clear_authentication();
select is(
  (select share_view_count from public.generated_resumes where id = 'd0000000-0000-4000-8000-000000000001'),
  2,
  'Each of the two visitors counted one view (failed lookups counted none).'
);
select is(
  (select updated_at from public.generated_resumes where id = 'd0000000-0000-4000-8000-000000000001'),
  '2025-01-01 00:00:00+00'::timestamptz,
  'Counting views leaves the resume''s updated_at unchanged.'
);

-- Expiry and revocation ----------------------------------------------------------------------

select tests.authenticate_as('owner');
insert into tokens select 'expiring', public.create_share_link('d0000000-0000-4000-8000-000000000001', now() + interval '1 hour');
select tests.clear_authentication();
-- Time passes: move the expiry into the past as postgres.
update public.generated_resumes set share_expires_at = now() - interval '1 second'
 where id = 'd0000000-0000-4000-8000-000000000001';
select tests.authenticate_as_anon();
select is(
  public.get_public_generated_resume((select token from tokens where label = 'expiring')),
  null,
  'An expired token returns null, like an unknown one.'
);

select tests.clear_authentication();
select tests.authenticate_as('owner');
insert into tokens select 'revoked', public.create_share_link('d0000000-0000-4000-8000-000000000001');
select lives_ok(
  $$select public.revoke_share_link('d0000000-0000-4000-8000-000000000001')$$,
  'The owner revokes their link.'
);
select is(
  (select share_token from public.generated_resumes where id = 'd0000000-0000-4000-8000-000000000001'),
  null,
  'After revocation the resume has no token.'
);
select tests.clear_authentication();
select tests.authenticate_as_anon();
select is(
  public.get_public_generated_resume((select token from tokens where label = 'revoked')),
  null,
  'A revoked token returns null, like an unknown one.'
);
select tests.clear_authentication();

select * from finish();
rollback;
