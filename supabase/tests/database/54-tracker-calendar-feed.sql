-- The calendar feed's RPCs. Threats covered: guessing or reusing a feed token (revoked,
-- rotated, malformed, unknown all answer the same null), one user's feed showing
-- another's data, contact emails, phone numbers or private notes in a feed, the token
-- kept in a readable form, anon reaching anything but the feed.
begin;
select plan(21);

select tests.create_supabase_user('owner');
select tests.create_supabase_user('stranger');
insert into public.jobs (id, user_id, job_title, company, status, deadline) values
  ('c4000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), 'Engineer', 'Acme', 'applied', null),
  ('c4000000-0000-4000-8000-000000000002', tests.get_supabase_uid('owner'), 'Analyst', 'Globex', 'bookmarked', current_date + 5),
  ('c4000000-0000-4000-8000-000000000003', tests.get_supabase_uid('stranger'), 'Secret role', 'Stranger Corp', 'applied', current_date + 3);
insert into public.contacts (id, user_id, name, email, phone, role) values
  ('c4000000-0000-4000-8000-000000000011', tests.get_supabase_uid('owner'), 'Rita Recruiter', 'rita@acme.test', '+1 555 0100', 'Recruiter');
insert into public.interviews (id, user_id, job_id, kind, starts_at, time_zone, notes, meeting_url) values
  ('c4000000-0000-4000-8000-000000000021', tests.get_supabase_uid('owner'), 'c4000000-0000-4000-8000-000000000001',
   'technical', now() + interval '2 days', 'Europe/Berlin', 'my private salary floor', 'https://meet.example/abc'),
  ('c4000000-0000-4000-8000-000000000022', tests.get_supabase_uid('stranger'), 'c4000000-0000-4000-8000-000000000003',
   'hr', now() + interval '1 day', 'UTC', null, null);
insert into public.interview_participants (user_id, interview_id, contact_id) values
  (tests.get_supabase_uid('owner'), 'c4000000-0000-4000-8000-000000000021', 'c4000000-0000-4000-8000-000000000011');

select tests.authenticate_as('owner');
create temp table tokens (name text, token text);
grant all on tokens to authenticated, anon;
insert into tokens select 'first', public.create_calendar_feed();
select matches((select token from tokens where name = 'first'), '^[A-Za-z0-9_-]{32}$', 'A feed token is 32 base64url characters (192 bits).');
select is((public.calendar_feed_status() ->> 'active')::boolean, true, 'The owner sees that a feed is active.');
select ok(not (public.calendar_feed_status() ? 'token'), 'The status never shows the token again.');

select tests.clear_authentication();
select is((select count(*)::int from private.calendar_feeds f
            where f.token_hash = extensions.digest(convert_to((select token from tokens where name = 'first'), 'UTF8'), 'sha256')),
  1, 'The database keeps the SHA-256 of the token.');
select columns_are('private', 'calendar_feeds', array['user_id', 'token_hash', 'created_at'],
  'and nothing that holds the token itself.');
select tests.authenticate_as_anon();
create temp table feed as select public.get_calendar_feed((select token from tokens where name = 'first'))::jsonb as doc;
select is((select jsonb_array_length(doc -> 'events') from feed), 3, 'Anyone with the token gets the owner''s interview, follow-up and deadline.');
select set_eq($$select e ->> 'uid' from feed, jsonb_array_elements(doc -> 'events') e$$,
  $$values ('interview-c4000000-0000-4000-8000-000000000021@jobstalker'), ('follow-up-c4000000-0000-4000-8000-000000000001@jobstalker'),
           ('deadline-c4000000-0000-4000-8000-000000000002@jobstalker')$$,
  'The events carry stable UIDs built from the row ids.');
select ok((select doc::text from feed) !~ 'Stranger|Secret role', 'No other user''s data is in the feed.');
select ok((select doc::text from feed) !~ 'rita@acme\.test|555 0100', 'No contact email or phone number is in the feed.');
select ok((select doc::text from feed) ~ 'Rita Recruiter', 'Participants are named (by name and role only).');
select ok((select doc::text from feed) !~ 'salary floor', 'Private interview notes are not in the feed.');

select is(public.get_calendar_feed('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')::jsonb, null, 'An unknown token gives null.');
select is(public.get_calendar_feed('not a token')::jsonb, null, 'A malformed token gives null.');
select throws_ok($$select public.create_calendar_feed()$$, '42501', null, 'anon cannot create a feed.');
select throws_ok($$select public.interview_calendar_event('c4000000-0000-4000-8000-000000000021')$$, '42501', null,
  'anon cannot read an interview''s calendar file.');

select tests.authenticate_as('owner');
insert into tokens select 'second', public.create_calendar_feed();
select tests.authenticate_as_anon();
select is(public.get_calendar_feed((select token from tokens where name = 'first'))::jsonb, null, 'A rotated token stops working at once.');
select isnt(public.get_calendar_feed((select token from tokens where name = 'second'))::jsonb, null, 'The new one works.');
select tests.authenticate_as('owner');
select is(public.revoke_calendar_feed(), true, 'The owner revokes the feed.');
select tests.authenticate_as_anon();
select is(public.get_calendar_feed((select token from tokens where name = 'second'))::jsonb, null, 'A revoked token stops working at once.');

-- What the feed can ever read: the tables named in the bodies of the functions behind it.
-- Demographic answers (application_form_answers) or any new table reach it only by an
-- edit that fails here.
select tests.clear_authentication();
select set_eq(
  $$select distinct m[1] from pg_proc p, regexp_matches(p.prosrc, '(?:from|join)\s+(?:public|private)\.([a-z_]+)\M(?!\()', 'g') m
     where p.oid in ('public.get_calendar_feed(text)'::regprocedure, 'private.calendar_feed(text)'::regprocedure,
                     'private.calendar_events(uuid,uuid)'::regprocedure, 'private.tracker_settings_of(uuid)'::regprocedure,
                     'public.interview_calendar_event(uuid)'::regprocedure, 'private.interview_calendar_event(uuid)'::regprocedure)$$,
  $$values ('calendar_feeds'), ('interviews'), ('jobs'), ('interview_participants'), ('contacts'), ('tracker_settings')$$,
  'The feed reads only calendar_feeds, interviews, jobs, interview_participants, contacts (name and role) and tracker_settings.');

select tests.authenticate_as('stranger');
select throws_ok($$select public.interview_calendar_event('c4000000-0000-4000-8000-000000000021')$$, 'PT404', null,
  'A stranger asking for the owner''s interview file gets 404, as for a missing one.');

select * from finish();
rollback;
