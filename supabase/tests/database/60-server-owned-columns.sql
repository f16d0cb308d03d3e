-- Server-owned columns are the server's: a client (anon, authenticated) cannot send a
-- value for a column the database assigns. The columns are found in the catalog, so a new
-- table, trigger or RPC is covered without editing this file:
--   * created_at and updated_at of every table in public (a default, and the updated_at
--     trigger);
--   * every column a trigger function on a public table assigns (`new.col := ...`,
--     `into new.col`), but the normalisations listed below, which keep the client's value
--     in a canonical form;
--   * every column an UPDATE inside a function sets that the client may not update
--     itself (written by an RPC: share links, render artifacts, proposal decisions,
--     frozen materials, current_version).
-- 11-schema-security.sql pins the exact columns each role may insert and update.
-- Threats covered: version_number -1 or -2147483648 storing versions past the 100 cap; a
-- forged created_at or render_artifact_url (https://evil.example/phish.pdf) bypassing
-- record_render_artifact; a forged frozen "what was sent"; another user's row id probed by
-- inserting it (409 against 201).
begin;
select plan(17);

create temporary table server_owned_columns on commit drop as
with trigger_set as (
  select c.oid as rel, coalesce(m[1], m[2]) as col, 'trigger ' || t.tgname as why
    from pg_trigger t
    join pg_class c on c.oid = t.tgrelid
    join pg_proc p on p.oid = t.tgfoid
   cross join regexp_matches(p.prosrc, '\minto\s+new\.(\w+)|new\.(\w+)\s*:?=[^=]', 'gi') m
   where c.relnamespace = 'public'::regnamespace and not t.tgisinternal
     -- The id guard replaces only ids of rows the caller cannot see (tested below).
     and p.oid <> 'private.hide_foreign_row_id()'::regprocedure
), rpc_set as (
  select ('public.' || m[1])::regclass::oid as rel, s[1] as col, 'function ' || p.oid::regprocedure::text as why
    from pg_proc p
   cross join regexp_matches(p.prosrc, 'update\s+public\.(\w+)(?:\s+(?:as\s+)?\w+)?\s+set\s+(.*?)(?:\mwhere\M|\mreturning\M|\mfrom\M|;)', 'gis') m
   cross join regexp_matches(m[2], '(?:^|,)\s*(?:\w+\.)?(\w+)\s*=', 'g') s
   where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)
     and to_regclass('public.' || m[1]) is not null
), defaults as (
  select c.oid as rel, a.attname::text as col, 'server timestamp' as why
    from pg_class c
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
   where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
     and a.attname in ('created_at', 'updated_at')
)
select rel::regclass as rel, col, string_agg(distinct why, '; ') as why
  from (
    select * from trigger_set
    union all
    select * from rpc_set r
     where case when exists (select 1 from pg_attribute a where a.attrelid = r.rel and a.attname = r.col and not a.attisdropped)
                then not has_column_privilege('authenticated', r.rel, r.col, 'UPDATE') else false end
    union all
    select * from defaults
  ) found
 where (rel::regclass::text, col) not in (
       -- Normalisations: the client's value is kept in a canonical form, not replaced.
       ('jobs', 'status'), ('jobs', 'excitement_level'), ('jobs', 'closing_reason'), ('jobs', 'follow_up_at'),
       ('jobs', 'salary_min'), ('jobs', 'salary_max'), ('jobs', 'salary_currency'), ('jobs', 'salary_period'),
       ('user_languages', 'language'), ('user_languages', 'proficiency'), ('user_skills', 'proficiency'),
       ('wizard_sessions', 'status'), ('ai_events', 'error'))
   and exists (select 1 from pg_attribute a where a.attrelid = found.rel and a.attname = found.col and not a.attisdropped)
 group by 1, 2;

select ok(
  (select count(*) from server_owned_columns) >= 50
    and exists (select 1 from server_owned_columns where rel = 'public.jobs'::regclass and col = 'created_at')
    and exists (select 1 from server_owned_columns where rel = 'public.jobs'::regclass and col = 'first_response_at')
    and exists (select 1 from server_owned_columns where rel = 'public.generated_resume_versions'::regclass and col = 'version_number')
    and exists (select 1 from server_owned_columns where rel = 'public.generated_resume_versions'::regclass and col = 'render_artifact_url')
    and exists (select 1 from server_owned_columns where rel = 'public.generated_resumes'::regclass and col = 'share_token')
    and exists (select 1 from server_owned_columns where rel = 'public.job_materials'::regclass and col = 'sent_cover_letter')
    and exists (select 1 from server_owned_columns where rel = 'public.email_proposals'::regclass and col = 'state')
    and exists (select 1 from server_owned_columns where rel = 'public.interviews'::regclass and col = 'sequence')
    and exists (select 1 from server_owned_columns where rel = 'public.cover_letters'::regclass and col = 'word_count')
    and exists (select 1 from server_owned_columns where rel = 'public.ai_events'::regclass and col = 'id'),
  'The catalog scan finds the server-owned columns (version numbers, render artifacts, share links, frozen materials, proposal decisions, counters, timestamps).'
);

select is_empty(
  $$select s.rel::text || '.' || s.col || ' (' || s.why || ') insertable by ' || r.rolname
      from server_owned_columns s
     cross join (values ('anon'), ('authenticated')) r(rolname)
     where has_column_privilege(r.rolname, s.rel, s.col, 'INSERT')$$,
  'No client role can insert a value into a server-owned column.'
);

select is_empty(
  $$select s.rel::text || '.' || s.col || ' (' || s.why || ') updatable by ' || r.rolname
      from server_owned_columns s
     cross join (values ('anon'), ('authenticated')) r(rolname)
     where has_column_privilege(r.rolname, s.rel, s.col, 'UPDATE')$$,
  'No client role can update a server-owned column.'
);

select is_empty(
  $$select c.relname from pg_class c
      join pg_attribute a on a.attrelid = c.oid and a.attname = 'id' and not a.attisdropped
     where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
       and (has_column_privilege('authenticated', c.oid, a.attnum, 'INSERT')
            or has_column_privilege('anon', c.oid, a.attnum, 'INSERT'))
       and not exists (select 1 from pg_trigger t where t.tgrelid = c.oid
                          and t.tgfoid = 'private.hide_foreign_row_id()'::regprocedure)$$,
  'Every table whose id a client may send hides another user''s ids (private.hide_foreign_row_id).'
);

-- Behaviour: a version is always numbered by the server --------------------------------

select tests.create_supabase_user('owner');
select tests.create_supabase_user('stranger');
insert into public.templates (id, name, slug, schema, is_active) values
  ('aaaaaaaa-0000-4000-8000-000000000060', 'Owned Test', 'owned-test', '{}', true);
insert into public.generated_resumes (id, user_id, template_id, title) values
  ('d0000000-0000-4000-8000-000000000060', tests.get_supabase_uid('owner'), 'aaaaaaaa-0000-4000-8000-000000000060', 'Mine');

select tests.authenticate_as('owner');

select throws_ok(
  $$insert into public.generated_resume_versions (generated_resume_id, content_json, version_number)
    values ('d0000000-0000-4000-8000-000000000060', '{}', -1)$$,
  '42501', null,
  'A client sending version_number -1 is refused (403), so the 100-version cap cannot be bypassed.'
);
select throws_ok(
  $$insert into public.generated_resume_versions (generated_resume_id, content_json, version_number)
    values ('d0000000-0000-4000-8000-000000000060', '{}', -2147483648)$$,
  '42501', null,
  'So is -2147483648.'
);
select throws_ok(
  $$insert into public.generated_resume_versions (generated_resume_id, content_json, render_artifact_url)
    values ('d0000000-0000-4000-8000-000000000060', '{}', 'https://evil.example/phish.pdf')$$,
  '42501', null,
  'A client cannot set render_artifact_url (only record_render_artifact sets it).'
);
select throws_ok(
  $$insert into public.generated_resume_versions (generated_resume_id, content_json, created_at)
    values ('d0000000-0000-4000-8000-000000000060', '{}', '2000-01-01')$$,
  '42501', null,
  'A client cannot forge created_at.'
);

insert into public.generated_resume_versions (generated_resume_id, content_json)
  select 'd0000000-0000-4000-8000-000000000060', jsonb_build_object('n', n) from generate_series(1, 99) n;
select is(
  (select array[min(version_number), max(version_number), count(*)::int]
     from public.generated_resume_versions where generated_resume_id = 'd0000000-0000-4000-8000-000000000060'),
  array[1, 99, 99],
  'Versions a client inserts are numbered 1, 2, 3... by the server.'
);
select lives_ok(
  $$select public.save_generated_resume_version('d0000000-0000-4000-8000-000000000060', '{"n": 100}')$$,
  'The 100th version is saved.'
);
select throws_ok(
  $$select public.save_generated_resume_version('d0000000-0000-4000-8000-000000000060', '{"n": 101}')$$,
  '23514', null,
  'The 101st version is refused: the cap of 100 holds.'
);

-- What was sent is the server's copy ----------------------------------------------------

insert into public.jobs (id, job_title, company, status) values
  ('e0000000-0000-4000-8000-000000000062', 'Sent', 'Acme', 'bookmarked');
select throws_ok(
  $$insert into public.job_materials (job_id, frozen_at, sent_cover_letter)
    values ('e0000000-0000-4000-8000-000000000062', now(), 'A letter I never sent')$$,
  '42501', null,
  'A client cannot record a frozen "what was sent" it made up.'
);

-- Ids: inserting a row id that is taken by another user answers exactly as a fresh one --

select tests.clear_authentication();
insert into public.jobs (id, user_id, job_title, company) values
  ('e0000000-0000-4000-8000-000000000060', tests.get_supabase_uid('owner'), 'Owner job', 'Acme');
select tests.authenticate_as('stranger');

select lives_ok(
  $$insert into public.jobs (id, job_title, company) values ('e0000000-0000-4000-8000-000000000060', 'Probe', 'X')$$,
  'Inserting another user''s job id succeeds like any insert (no 23505 to tell the id exists) ...'
);
select is(
  (select count(*)::int from public.jobs where job_title = 'Probe' and id <> 'e0000000-0000-4000-8000-000000000060'),
  1,
  '... with a fresh id, and the other user''s row is untouched.'
);
insert into public.jobs (id, job_title, company) values ('e0000000-0000-4000-8000-000000000061', 'Chosen', 'X');
select throws_ok(
  $$insert into public.jobs (id, job_title, company) values ('e0000000-0000-4000-8000-000000000061', 'Again', 'X')$$,
  '23505', null,
  'An unused id the client chose is kept, and its own row id conflicts as before.'
);

select tests.clear_authentication();
select is(
  (select job_title || '/' || user_id::text from public.jobs where id = 'e0000000-0000-4000-8000-000000000060'),
  'Owner job/' || tests.get_supabase_uid('owner')::text,
  'The owner''s job keeps its id, title and owner.'
);

select ok(
  not exists (select 1 from pg_constraint where conname = 'generated_resume_versions_versions_per_resume'
                and pg_get_constraintdef(oid) !~ '>= 1'),
  'The version cap check also refuses numbers below 1 (a service-role or definer insert cannot store -1 either).'
);

select * from finish();
rollback;
