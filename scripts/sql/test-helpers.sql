-- The test-only schema `tests`, in the manner of basejump's supabase-test-helpers: make
-- Supabase users the way GoTrue does, act as one of them, as anon or as service_role
-- exactly the way PostgREST does for a request, and come back to the test's own role.
-- The test runner loads it into the test databases (scripts/test.mjs); no migration
-- does, so it never reaches a real project. By hand, after the migrations:
--   psql "$DB_URL" -f scripts/sql/test-helpers.sql
-- The file lives outside supabase/tests, so pg_prove does not run it as a test.
--
--   select tests.create_supabase_user('owner');          -- a user; the id is random
--   select tests.create_supabase_user('stranger', 'stranger@example.test', '2222...'::uuid);
--   select tests.authenticate_as('owner');               -- role authenticated, owner's claims
--   select tests.authenticate_as_anon();                 -- role anon, as the anon key
--   select tests.authenticate_as_service_role();         -- role service_role
--   select tests.clear_authentication();                 -- back to the test's own role, no claims
--   select tests.get_supabase_uid('owner');              -- the id, from any role
--   select tests.fill_user_data(uid, 'Owner', template_id); -- a row in every table of user data

create schema if not exists tests;
comment on schema tests is 'Test-only helpers (create users, act as a caller); loaded by the test runner, never by migrations.';
grant usage on schema tests to anon, authenticated, service_role;

-- As GoTrue's sign-up writes the row (the sign-up triggers run); the identifier is kept
-- in raw_user_meta_data so a test names its actors instead of repeating ids.
create or replace function tests.create_supabase_user(identifier text, email text default null, id uuid default null,
                                                     metadata jsonb default '{}'::jsonb)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  new_id uuid := coalesce(create_supabase_user.id, pg_catalog.gen_random_uuid());
begin
  insert into auth.users (id, email, aud, role, raw_user_meta_data, raw_app_meta_data, created_at, updated_at,
                          email_confirmed_at)
  values (new_id, create_supabase_user.email,
          'authenticated', 'authenticated',
          pg_catalog.jsonb_build_object('test_identifier', create_supabase_user.identifier) || create_supabase_user.metadata,
          '{"provider": "email", "providers": ["email"]}'::jsonb, pg_catalog.now(), pg_catalog.now(), pg_catalog.now());
  return new_id;
end
$$;
revoke all on function tests.create_supabase_user(text, text, uuid, jsonb) from public, anon, authenticated, service_role;
-- GoTrue writes auth.users as supabase_auth_admin; a test may do the same (04-profile.sql).
grant usage on schema tests to supabase_auth_admin;
grant execute on function tests.create_supabase_user(text, text, uuid, jsonb) to supabase_auth_admin;


-- SECURITY DEFINER: a test acting as a user must still find the next actor in auth.users.
-- Accepts the identifier given at creation, or the user's id as text.
create or replace function tests.get_supabase_user(identifier text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  found_user jsonb;
begin
  select pg_catalog.jsonb_build_object('id', u.id, 'email', u.email) into found_user
    from auth.users u
   where u.raw_user_meta_data ->> 'test_identifier' = get_supabase_user.identifier
      or u.id::text = get_supabase_user.identifier
   order by u.created_at
   limit 1;
  if found_user is null then
    raise exception 'no test user %: create it with tests.create_supabase_user first', get_supabase_user.identifier
      using errcode = 'PT404';
  end if;
  return found_user;
end
$$;
revoke all on function tests.get_supabase_user(text) from public;
grant execute on function tests.get_supabase_user(text) to anon, authenticated, service_role;

create or replace function tests.get_supabase_uid(identifier text)
returns uuid
language sql
stable
set search_path = ''
as $$ select (tests.get_supabase_user(get_supabase_uid.identifier) ->> 'id')::uuid $$;
revoke all on function tests.get_supabase_uid(text) from public;
grant execute on function tests.get_supabase_uid(text) to anon, authenticated, service_role;

-- What PostgREST does for a request with this user's access token: the role and the
-- verified claims, local to the transaction (pgTAP files run in one).
create or replace function tests.authenticate_as(identifier text)
returns void
language plpgsql
set search_path = ''
as $$
declare
  actor jsonb := tests.get_supabase_user(authenticate_as.identifier);
begin
  perform pg_catalog.set_config('role', 'authenticated', true);
  perform pg_catalog.set_config('request.jwt.claims',
    pg_catalog.jsonb_build_object('sub', actor ->> 'id', 'email', actor ->> 'email', 'role', 'authenticated',
                                  'aud', 'authenticated')::text, true);
end
$$;
revoke all on function tests.authenticate_as(text) from public;
grant execute on function tests.authenticate_as(text) to anon, authenticated, service_role;

create or replace function tests.authenticate_as_anon()
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform pg_catalog.set_config('role', 'anon', true);
  perform pg_catalog.set_config('request.jwt.claims', '{"role": "anon"}', true);
end
$$;
revoke all on function tests.authenticate_as_anon() from public;
grant execute on function tests.authenticate_as_anon() to anon, authenticated, service_role;

create or replace function tests.authenticate_as_service_role()
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform pg_catalog.set_config('role', 'service_role', true);
  perform pg_catalog.set_config('request.jwt.claims', '{"role": "service_role"}', true);
end
$$;
revoke all on function tests.authenticate_as_service_role() from public;
grant execute on function tests.authenticate_as_service_role() to anon, authenticated, service_role;

-- Back to the role the test connected as (SET ROLE checks the session user), no claims:
-- auth.uid() is null again.
create or replace function tests.clear_authentication()
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform pg_catalog.set_config('role', session_user, true);
  perform pg_catalog.set_config('request.jwt.claims', '', true);
end
$$;
revoke all on function tests.clear_authentication() from public;
grant execute on function tests.clear_authentication() to anon, authenticated, service_role;
grant execute on function tests.clear_authentication() to supabase_auth_admin;

-- One attempt at a statement as an actor (a test user's identifier, 'anon' or
-- 'service_role'), rolled back whatever it did. Returns 'rows: n' or 'error <sqlstate>',
-- so a matrix of (actor, statement) cells reads as a table of outcomes.
--   select tests.attempt_as('stranger', $$update public.jobs set company = 'x'$$);  -- 'rows: 0'
create or replace function tests.attempt_as(actor text, statement text, setup text default null)
returns text
language plpgsql
-- The statement resolves names as PostgREST's requests do (public, then extensions).
set search_path = public, extensions
as $$
declare
  affected bigint;
  outcome text;
begin
  begin
    if attempt_as.setup is not null then
      execute attempt_as.setup;
    end if;
    case attempt_as.actor
      when 'anon' then perform tests.authenticate_as_anon();
      when 'service_role' then perform tests.authenticate_as_service_role();
      else perform tests.authenticate_as(attempt_as.actor);
    end case;
    execute attempt_as.statement;
    get diagnostics affected = row_count;
    outcome := 'rows: ' || affected;
    raise exception 'roll the attempt back' using errcode = 'P0099';
  exception
    when sqlstate 'P0099' then null;
    when others then outcome := 'error ' || sqlstate;
  end;
  return outcome;
end
$$;
revoke all on function tests.attempt_as(text, text, text) from public;

-- One row (at least) in every table that holds a user's data, files included, each
-- marked with `tag`, for the tests that must find all of it (41-export-my-data: the
-- document holds it all and nothing of a stranger filled the same way;
-- 42-account-deletion: none of it is left). A table added to the schema belongs here
-- too (41-export-my-data finds, from the catalog, a table none of it reaches).
-- `template` is an active template the resumes and the wizard session use.
create or replace function tests.fill_user_data(u uuid, tag text, template uuid)
returns void
language plpgsql
set search_path = ''
as $$
declare
  template_slug text := (select t.slug from public.templates t where t.id = fill_user_data.template);
  job uuid;
  session uuid;
  resume uuid;
  contact uuid;
  interview uuid;
  label uuid;
begin
  update public.user_profile set job_title = tag || ' engineer' where user_id = u;
  insert into public.user_skills (user_id, name) values (u, tag || ' SQL');
  insert into public.user_work_experience (user_id, title, company) values (u, 'Engineer', tag || ' Corp');
  insert into public.user_education (user_id, school) values (u, tag || ' University');
  insert into public.user_languages (user_id, language) values (u, tag || 'ish');
  insert into public.application_form_answers (user_id, work_auth_us, current_location, ethnicity, gender)
  values (u, true, tag || ' City', tag || ' heritage', 'Decline to state');
  insert into public.subscriptions (user_id, stripe_customer_id, tier, status) values (u, 'cus_' || tag, 'pro', 'active');
  insert into public.jobs (user_id, job_title, company, status) values (u, 'Engineer', tag || ' Inc', 'applied') returning id into job;
  update public.jobs set status = 'interviewing' where id = job;
  insert into public.resumes (user_id, filename, file_url, file_size) values (u, 'cv.pdf', u || '/resumes/cv.pdf', 1234);
  insert into public.resume_builder_data (user_id, template_id, resume_data) values (u, template_slug, pg_catalog.jsonb_build_object('summary', tag));
  insert into public.generated_resumes (user_id, template_id, title) values (u, fill_user_data.template, tag || ' resume') returning id into resume;
  insert into public.wizard_sessions (user_id, template_id, status, generated_resume_id)
  values (u, fill_user_data.template, 'completed', resume) returning id into session;
  insert into public.generated_resume_versions (generated_resume_id, content_json) values (resume, pg_catalog.jsonb_build_object('v', tag));
  insert into public.generated_resume_versions (generated_resume_id, content_json) values (resume, pg_catalog.jsonb_build_object('v', tag || '2'));
  insert into public.ai_events (user_id, wizard_session_id, provider, model, status) values (u, session, 'openai', 'gpt-4o-mini', 'success');
  insert into public.ai_usage_daily (user_id, day, provider, model, calls, errors, input_tokens, output_tokens) values (u, '2026-01-01', 'openai', 'gpt-4o-mini', 2, 0, 10, 10);
  insert into public.cover_letters (user_id, job_id, generated_resume_id, resume_version, content) values (u, job, resume, 1, 'Dear ' || tag || ' team, hello.');
  insert into public.tracker_settings (user_id, follow_up_days) values (u, 5);
  insert into public.contacts (user_id, name, email) values (u, tag || ' Recruiter', 'recruiter@' || tag || '.test') returning id into contact;
  insert into public.job_contacts (user_id, job_id, contact_id, part) values (u, job, contact, 'recruiter');
  insert into public.interviews (user_id, job_id, starts_at, time_zone) values (u, job, '2027-03-15 17:00+00', 'America/Los_Angeles') returning id into interview;
  insert into public.interview_participants (user_id, interview_id, contact_id) values (u, interview, contact);
  insert into public.tags (user_id, name) values (u, tag || ' tag') returning id into label;
  insert into public.job_tags (user_id, job_id, tag_id) values (u, job, label);
  insert into public.job_materials (user_id, job_id, generated_resume_id) values (u, job, resume);
  insert into public.email_proposals (user_id, email_kind, summary, job_id) values (u, 'offer', tag || ' makes an offer.', job);
  insert into private.calendar_feeds (user_id, token_hash) values (u, extensions.digest(tag, 'sha256'));
  insert into private.legacy_profile_entries (user_id, source, entry, reason) values (u, 'user_profile.skills', pg_catalog.jsonb_build_object('name', tag), 'test');
  insert into storage.objects (bucket_id, name, owner_id, metadata)
  values ('resumes', u || '/resumes/cv.pdf', u::text, '{"size": 1234, "mimetype": "application/pdf"}'),
         ('avatars', u || '/profile-pictures/me.png', u::text, '{"size": 99, "mimetype": "image/png"}');
end
$$;
revoke all on function tests.fill_user_data(uuid, text, uuid) from public, anon, authenticated, service_role;

-- Every row in public and private that refers to `root`, found without foreign keys:
-- a row belongs when any of its uuid columns holds root or the id of a row found
-- before, followed until nothing new turns up. Fills the caller's pg_temp.found_ids
-- (root and every found row's id) and pg_temp.found_rows (schema, table, the row as
-- jsonb), creating them on first use. Tables in `skipped` are not searched.
create or replace function tests.collect_rows_of(root uuid, skipped regclass[] default '{}')
returns void
language plpgsql
set search_path = ''
as $$
declare
  ids_table constant text := 'pg_temp.found_ids';
  rows_table constant text := 'pg_temp.found_rows';
  t record;
  added bigint;
begin
  if pg_catalog.to_regclass('pg_temp.found_rows') is null then
    create temp table found_ids (id text primary key);
    create temp table found_rows (schema_name text, table_name text, row_data jsonb,
                                  primary key (schema_name, table_name, row_data));
  end if;
  -- The temp tables are named only in built statements: they exist per session, not when
  -- plpgsql_check (npm test's lint) reads this body, and it checks constant ones too.
  execute format('truncate %s, %s', ids_table, rows_table);
  execute format('insert into %s values ($1)', ids_table) using root::text;
  loop
    for t in
      select n.nspname, c.relname,
             string_agg(format('t.%I::text in (select id from pg_temp.found_ids)', a.attname), ' or ') as filter
        from pg_catalog.pg_class c
        join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
                                      and a.atttypid = 'pg_catalog.uuid'::pg_catalog.regtype
       where n.nspname in ('public', 'private') and c.relkind in ('r', 'p') and not c.relispartition
         and c.oid <> all (skipped)
       group by n.nspname, c.relname
    loop
      execute format('insert into pg_temp.found_rows select %L, %L, to_jsonb(t) from %I.%I t where %s on conflict do nothing',
                     t.nspname, t.relname, t.nspname, t.relname, t.filter);
    end loop;
    execute format('insert into %s select r.row_data ->> %L from %s r where r.row_data ->> %L is not null
                    on conflict do nothing', ids_table, 'id', rows_table, 'id');
    get diagnostics added = row_count;
    exit when added = 0;
  end loop;
end
$$;
revoke all on function tests.collect_rows_of(uuid, regclass[]) from public, anon, authenticated, service_role;
