-- The calendar feed's RPCs. Threats covered: guessing or reusing a feed token (revoked,
-- rotated, malformed, unknown all answer the same null), one user's feed showing
-- another's data, contact emails, phone numbers or private notes in a feed, the token
-- kept in a readable form, anon reaching anything but the feed.
begin;
select plan(26);

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

-- The feed against a from-scratch computation written from its definition (jsonb, sorted
-- by uid under the database's collation), after a mix of writes by the owner: a multi-row
-- insert, a status change closing a deadline, a retitled job, participants added out of
-- name order, a cancelled interview, rows just outside the 90-day windows, a deleted
-- interview, ids whose first hex digit is a number or a letter, and a time zone that
-- moves the follow-up dates.
select tests.authenticate_as('owner');
insert into tokens select 'third', public.create_calendar_feed();
insert into public.tracker_settings (time_zone) values ('Pacific/Kiritimati');
insert into public.jobs (id, job_title, company, status, deadline, follow_up_at, next_action) values
  ('f4000000-0000-4000-8000-000000000101', 'Designer', 'Initech', 'applying', current_date + 1, now() + interval '20 hours', null),
  ('04000000-0000-4000-8000-000000000102', 'Writer', 'Hooli', 'bookmarked', current_date - 89, now() - interval '89 days', 'Call back'),
  ('a4000000-0000-4000-8000-000000000103', 'Tester', 'Umbrella', 'applied', current_date + 9, now() - interval '91 days', 'Too late'),
  ('b4000000-0000-4000-8000-000000000104', 'Lead', 'Vandelay', 'bookmarked', current_date - 120, null, null);
update public.jobs set status = 'applied' where id = 'c4000000-0000-4000-8000-000000000002';
update public.jobs set job_title = 'Senior Engineer' where id = 'c4000000-0000-4000-8000-000000000001';
insert into public.contacts (id, name, role) values
  ('c4000000-0000-4000-8000-000000000012', 'Aaron Able', null),
  ('c4000000-0000-4000-8000-000000000013', 'Zoe Zed', 'Hiring manager');
insert into public.interviews (id, job_id, round, kind, starts_at, time_zone, duration_minutes, location, meeting_url, outcome) values
  ('04000000-0000-4000-8000-000000000121', 'f4000000-0000-4000-8000-000000000101', 2, 'hiring_manager', now() + interval '3 days', 'Asia/Tokyo', 30, 'Room 4', null, 'scheduled'),
  ('e4000000-0000-4000-8000-000000000122', 'a4000000-0000-4000-8000-000000000103', 1, 'phone_screen', now() - interval '10 days', 'UTC', 45, null, 'https://meet.example/x', 'cancelled'),
  ('94000000-0000-4000-8000-000000000123', 'a4000000-0000-4000-8000-000000000103', 3, 'on_site', now() - interval '91 days', 'UTC', 60, null, null, 'passed'),
  ('d4000000-0000-4000-8000-000000000124', 'a4000000-0000-4000-8000-000000000103', 1, 'take_home', now() + interval '1 day', 'UTC', 60, null, null, 'scheduled');
insert into public.interview_participants (interview_id, contact_id) values
  ('04000000-0000-4000-8000-000000000121', 'c4000000-0000-4000-8000-000000000013'),
  ('04000000-0000-4000-8000-000000000121', 'c4000000-0000-4000-8000-000000000012'),
  ('04000000-0000-4000-8000-000000000121', 'c4000000-0000-4000-8000-000000000011');
delete from public.interviews where id = 'd4000000-0000-4000-8000-000000000124';

select tests.clear_authentication();
create temp table expected as
with owner as (select tests.get_supabase_uid('owner') as id),
zone as (select coalesce((select s.time_zone from public.tracker_settings s, owner where s.user_id = owner.id), 'UTC') as tz),
events as (
  select 'interview-' || i.id || '@jobstalker' as uid, jsonb_build_object(
           'uid', 'interview-' || i.id || '@jobstalker', 'kind', 'interview',
           'summary', initcap(replace(i.kind, '_', ' ')) || ' interview (round ' || i.round || '): ' || j.job_title || ' at ' || j.company,
           'description', concat_ws(E'\n', 'Job: ' || j.job_title || ' at ' || j.company, 'Arranged in time zone ' || i.time_zone,
                                    'With: ' || (select string_agg(c.name || coalesce(' (' || c.role || ')', ''), ', ' order by c.name)
                                                   from public.interview_participants p join public.contacts c on c.id = p.contact_id
                                                  where p.interview_id = i.id),
                                    'Join: ' || i.meeting_url),
           'location', coalesce(i.location, i.meeting_url), 'url', i.meeting_url,
           'starts_at', i.starts_at, 'ends_at', i.starts_at + i.duration_minutes * interval '1 minute', 'time_zone', i.time_zone,
           'status', case i.outcome when 'cancelled' then 'CANCELLED' else 'CONFIRMED' end, 'sequence', i.sequence,
           'created_at', i.created_at, 'last_modified', i.updated_at)
    from public.interviews i join public.jobs j on j.id = i.job_id, owner
   where i.user_id = owner.id and i.starts_at >= now() - interval '90 days'
  union all
  select 'follow-up-' || j.id || '@jobstalker', jsonb_build_object(
           'uid', 'follow-up-' || j.id || '@jobstalker', 'kind', 'follow_up', 'summary', 'Follow up: ' || j.job_title || ' at ' || j.company,
           'description', coalesce('Next: ' || j.next_action, 'Follow up on your application.'),
           'date', (j.follow_up_at at time zone zone.tz)::date, 'status', 'CONFIRMED', 'sequence', 0,
           'created_at', j.created_at, 'last_modified', j.updated_at)
    from public.jobs j, owner, zone
   where j.user_id = owner.id and j.follow_up_at >= now() - interval '90 days'
  union all
  select 'deadline-' || j.id || '@jobstalker', jsonb_build_object(
           'uid', 'deadline-' || j.id || '@jobstalker', 'kind', 'deadline', 'summary', 'Application deadline: ' || j.job_title || ' at ' || j.company,
           'description', 'Apply by this day.', 'date', j.deadline, 'status', 'CONFIRMED', 'sequence', 0,
           'created_at', j.created_at, 'last_modified', j.updated_at)
    from public.jobs j, owner, zone
   where j.user_id = owner.id and j.status in ('bookmarked', 'applying') and j.deadline >= (now() at time zone zone.tz)::date - 90)
select jsonb_build_object('time_zone', zone.tz, 'events', coalesce(jsonb_agg(e.jsonb_build_object order by e.uid), '[]')) as doc,
       count(e.uid) as events
  from events e, zone group by zone.tz;
select tests.authenticate_as_anon();
create temp table feed_after_writes as select public.get_calendar_feed((select token from tokens where name = 'third')) as doc;
select tests.clear_authentication();
select is((select string_agg(e ->> 'uid', ' ' order by e ->> 'uid') from expected, jsonb_array_elements(doc -> 'events') e),
  'deadline-04000000-0000-4000-8000-000000000102@jobstalker '
  || 'follow-up-04000000-0000-4000-8000-000000000102@jobstalker follow-up-c4000000-0000-4000-8000-000000000001@jobstalker '
  || 'follow-up-c4000000-0000-4000-8000-000000000002@jobstalker follow-up-f4000000-0000-4000-8000-000000000101@jobstalker '
  || 'interview-04000000-0000-4000-8000-000000000121@jobstalker interview-c4000000-0000-4000-8000-000000000021@jobstalker '
  || 'interview-e4000000-0000-4000-8000-000000000122@jobstalker',
  'The from-scratch computation keeps exactly the events the definition gives after the writes (none past a window, no deadline of a job applied to or moved on by its interview, no deleted interview).');
select is((select doc::jsonb from feed_after_writes), (select doc from expected),
  'After the mix of writes the feed equals the from-scratch computation: the same events, fields and values, in uid order.');
select is((select array_agg(k order by n) from feed_after_writes, json_array_elements(doc -> 'events') e(event),
                  json_object_keys(event) with ordinality o(k, n) where event ->> 'uid' = 'interview-04000000-0000-4000-8000-000000000121@jobstalker'),
  array['uid', 'kind', 'summary', 'description', 'location', 'url', 'starts_at', 'ends_at', 'time_zone', 'status', 'sequence', 'created_at', 'last_modified'],
  'An interview event''s fields come in the documented order.');
select is((select array_agg(distinct (select array_agg(k) from json_object_keys(event) k)::text) from feed_after_writes, json_array_elements(doc -> 'events') event
            where event ->> 'kind' <> 'interview'),
  array['{uid,kind,summary,description,date,status,sequence,created_at,last_modified}'],
  'Follow-up and deadline events'' fields come in the documented order.');

select ok((select 'plan_cache_mode=force_generic_plan' = any (p.proconfig) from pg_proc p
            where p.oid = 'private.calendar_events(uuid,uuid)'::regprocedure),
  'The events statement keeps its generic plan (the user''s indexes, jobs by primary key), never a hash of every job.');

select * from finish();
rollback;
