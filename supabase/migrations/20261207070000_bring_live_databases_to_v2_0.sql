-- Why: the production database of the live JobStalker2 app is not exactly the v2.0 schema
-- the baseline migration describes. Its own SQL (backend/schema.sql, its migrations) added
-- columns to user_profile (names, contact, the answers its extension types into application
-- forms, referral source, subscription tier), tables (user_languages, subscriptions,
-- job_matching_preferences_temp), other policy, function and index names, dropped resumes,
-- and re-created the AI builder tables without some v2.0 indexes and triggers. The
-- migrations that follow are written for v2.0 and stop on such a database (a column or
-- table that already exists, a trigger that does not).
--
-- This migration runs first and brings such a database to the v2.0 shape, losing nothing:
--   - every value of a column or table v2.0 does not have and v2.1 gives a home (user_profile's
--     names, contact and form answers, user_languages, subscriptions) is kept in
--     private.upgrade_stash, which no API role can read; later migrations move each value into
--     its home and drop the stash once every value is found there;
--   - values with no home in v2.1 (expiring job-matching preferences, columns no live SQL
--     declares) and rows whose values the v2.0 rules refuse (an excitement outside 1-5 where the
--     check was missing) are archived in private.legacy_profile_entries with the reason, as the
--     next migration archives what it cannot map;
--   - then the live-only columns and tables are dropped, the missing v2.0 objects are created
--     (resumes, indexes, triggers, policies, functions) and the live policy, function and
--     constraint names are replaced by v2.0's, so the next migrations run unchanged;
--   - a table in public that neither v2.0 nor the live app's SQL has stops the migration with
--     its name (it is not ours to move); a v2.0 column of another type likewise.
-- On a database that already has the v2.0 shape (a fresh one, or production v2.0) each step
-- finds nothing to do and nothing changes. On one where the v2.1 migrations have run it does
-- nothing at all (it sorts before them, and `db push --include-all` may apply it late).

create function pg_temp.live_reshape_wanted()
returns boolean
language plpgsql
set search_path = ''
as $$
begin
  if pg_catalog.to_regclass('public.user_profile') is null
     or pg_catalog.to_regclass('public.job_status_events') is not null then
    return false;
  end if;
  if pg_catalog.to_regclass('supabase_migrations.schema_migrations') is not null then
    return not exists (select 1 from supabase_migrations.schema_migrations m where m.version >= '20261207071000');
  end if;
  return true;
end;
$$;

-- The v2.0 columns (baseline migration), with their type and whether they are not null.
create function pg_temp.v2_0_columns()
returns table (table_name text, column_name text, column_type text, not_null boolean)
language sql
immutable
as $$
  values
    ('ai_events', 'id', 'uuid', true), ('ai_events', 'user_id', 'uuid', true),
    ('ai_events', 'wizard_session_id', 'uuid', false), ('ai_events', 'provider', 'text', true),
    ('ai_events', 'model', 'text', true), ('ai_events', 'input_tokens', 'integer', false),
    ('ai_events', 'output_tokens', 'integer', false), ('ai_events', 'latency_ms', 'integer', false),
    ('ai_events', 'status', 'text', true), ('ai_events', 'error', 'text', false),
    ('ai_events', 'created_at', 'timestamp with time zone', false),
    ('generated_resume_versions', 'id', 'uuid', true), ('generated_resume_versions', 'generated_resume_id', 'uuid', true),
    ('generated_resume_versions', 'version_number', 'integer', true), ('generated_resume_versions', 'content_json', 'jsonb', true),
    ('generated_resume_versions', 'render_artifact_url', 'text', false),
    ('generated_resume_versions', 'created_at', 'timestamp with time zone', false),
    ('generated_resumes', 'id', 'uuid', true), ('generated_resumes', 'user_id', 'uuid', true),
    ('generated_resumes', 'template_id', 'uuid', true), ('generated_resumes', 'title', 'text', false),
    ('generated_resumes', 'current_version', 'integer', false), ('generated_resumes', 'share_token', 'text', false),
    ('generated_resumes', 'created_at', 'timestamp with time zone', false),
    ('generated_resumes', 'updated_at', 'timestamp with time zone', false),
    ('jobs', 'id', 'uuid', true), ('jobs', 'user_id', 'uuid', true),
    ('jobs', 'job_title', 'character varying(255)', true), ('jobs', 'company', 'character varying(255)', true),
    ('jobs', 'location', 'character varying(255)', false), ('jobs', 'salary', 'character varying(255)', false),
    ('jobs', 'job_url', 'text', false), ('jobs', 'status', 'character varying(100)', true),
    ('jobs', 'excitement_level', 'integer', false), ('jobs', 'date_applied', 'date', false),
    ('jobs', 'deadline', 'date', false), ('jobs', 'description', 'text', false),
    ('jobs', 'created_at', 'timestamp with time zone', false), ('jobs', 'updated_at', 'timestamp with time zone', false),
    ('resume_builder_data', 'id', 'uuid', true), ('resume_builder_data', 'user_id', 'uuid', true),
    ('resume_builder_data', 'template_id', 'character varying(100)', true),
    ('resume_builder_data', 'title', 'character varying(255)', false), ('resume_builder_data', 'resume_data', 'jsonb', true),
    ('resume_builder_data', 'is_current', 'boolean', false),
    ('resume_builder_data', 'created_at', 'timestamp with time zone', false),
    ('resume_builder_data', 'updated_at', 'timestamp with time zone', false),
    ('resumes', 'id', 'uuid', true), ('resumes', 'user_id', 'uuid', true),
    ('resumes', 'filename', 'character varying(255)', true), ('resumes', 'file_url', 'text', true),
    ('resumes', 'file_size', 'integer', true), ('resumes', 'is_default', 'boolean', false),
    ('resumes', 'created_at', 'timestamp with time zone', false), ('resumes', 'updated_at', 'timestamp with time zone', false),
    ('templates', 'id', 'uuid', true), ('templates', 'name', 'text', true), ('templates', 'slug', 'text', true),
    ('templates', 'schema', 'jsonb', true), ('templates', 'preview_url', 'text', false),
    ('templates', 'is_active', 'boolean', false), ('templates', 'created_at', 'timestamp with time zone', false),
    ('templates', 'updated_at', 'timestamp with time zone', false),
    ('user_education', 'id', 'uuid', true), ('user_education', 'user_id', 'uuid', true),
    ('user_education', 'school', 'character varying(255)', true), ('user_education', 'degree', 'character varying(100)', false),
    ('user_education', 'field', 'character varying(255)', false), ('user_education', 'start_date', 'date', false),
    ('user_education', 'end_date', 'date', false), ('user_education', 'created_at', 'timestamp with time zone', false),
    ('user_education', 'updated_at', 'timestamp with time zone', false),
    ('user_profile', 'id', 'uuid', true), ('user_profile', 'user_id', 'uuid', true),
    ('user_profile', 'full_name', 'character varying(255)', true), ('user_profile', 'job_title', 'character varying(255)', false),
    ('user_profile', 'location', 'character varying(255)', false), ('user_profile', 'profile_picture_url', 'text', false),
    ('user_profile', 'skills', 'jsonb', false), ('user_profile', 'work_experience', 'jsonb', false),
    ('user_profile', 'education', 'jsonb', false), ('user_profile', 'resumes', 'jsonb', false),
    ('user_profile', 'created_at', 'timestamp with time zone', false), ('user_profile', 'updated_at', 'timestamp with time zone', false),
    ('user_skills', 'id', 'uuid', true), ('user_skills', 'user_id', 'uuid', true),
    ('user_skills', 'name', 'character varying(255)', true), ('user_skills', 'proficiency', 'character varying(50)', false),
    ('user_skills', 'category', 'character varying(100)', false), ('user_skills', 'created_at', 'timestamp with time zone', false),
    ('user_skills', 'updated_at', 'timestamp with time zone', false),
    ('user_work_experience', 'id', 'uuid', true), ('user_work_experience', 'user_id', 'uuid', true),
    ('user_work_experience', 'title', 'character varying(255)', true), ('user_work_experience', 'company', 'character varying(255)', true),
    ('user_work_experience', 'location', 'character varying(255)', false), ('user_work_experience', 'start_date', 'date', false),
    ('user_work_experience', 'end_date', 'date', false), ('user_work_experience', 'is_current', 'boolean', false),
    ('user_work_experience', 'description', 'text', false),
    ('user_work_experience', 'created_at', 'timestamp with time zone', false),
    ('user_work_experience', 'updated_at', 'timestamp with time zone', false),
    ('wizard_sessions', 'id', 'uuid', true), ('wizard_sessions', 'user_id', 'uuid', true),
    ('wizard_sessions', 'template_id', 'uuid', true), ('wizard_sessions', 'draft_json', 'jsonb', false),
    ('wizard_sessions', 'progress', 'jsonb', false), ('wizard_sessions', 'status', 'text', true),
    ('wizard_sessions', 'last_step', 'integer', false), ('wizard_sessions', 'created_at', 'timestamp with time zone', false),
    ('wizard_sessions', 'updated_at', 'timestamp with time zone', false)
$$;

-- The user_profile columns of the live app that v2.1 gives a home; their values are stashed.
-- Any other column v2.0 does not have is archived with the reason.
create function pg_temp.live_columns_with_a_home()
returns text[]
language sql
immutable
as $$
  select array['first_name', 'last_name', 'email', 'phone', 'professional_summary', 'social_links',
               'profile_completed', 'referral_source', 'subscription_tier',
               'work_auth_us', 'work_auth_canada', 'work_auth_uk', 'requires_sponsorship',
               'current_location', 'date_of_birth', 'phone_country_code',
               'ethnicity', 'gender', 'has_disability', 'is_veteran', 'is_lgbtq']
$$;

-- 1. Stop, before anything changes, on what is not ours to move.

do $$
declare
  unknown text;
begin
  if not pg_temp.live_reshape_wanted() then
    return;
  end if;

  select pg_catalog.string_agg(pg_catalog.format('public.%I', c.relname), ', ' order by c.relname) into unknown
    from pg_catalog.pg_class c
   where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
     and c.relname not in (select distinct v.table_name from pg_temp.v2_0_columns() v)
     and c.relname not in ('user_languages', 'subscriptions', 'job_matching_preferences_temp');
  if unknown is not null then
    raise exception 'the public schema has table(s) % that neither v2.0 nor the live app''s SQL creates', unknown
      using hint = 'Move them out of public (alter table ... set schema ...) or drop them, then push again. Nothing was changed.';
  end if;

  select pg_catalog.string_agg(pg_catalog.format('public.%I.%I is %s, v2.0 has %s', c.relname, a.attname,
                                                 pg_catalog.format_type(a.atttypid, a.atttypmod), v.column_type), '; ') into unknown
    from pg_catalog.pg_attribute a
    join pg_catalog.pg_class c on c.oid = a.attrelid and c.relnamespace = 'public'::regnamespace
    join pg_temp.v2_0_columns() v on v.table_name = c.relname and v.column_name = a.attname
   where a.attnum > 0 and not a.attisdropped
     and pg_catalog.format_type(a.atttypid, a.atttypmod) <> v.column_type;
  if unknown is not null then
    raise exception 'column types differ from v2.0: %', unknown
      using hint = 'Alter them to the v2.0 type (supabase/migrations/20250107000000_v2_0_baseline.sql), then push again. Nothing was changed.';
  end if;
end
$$;

-- 2. Where stashed and archived values go (both unreachable through the Data API), created
-- only when there is something to keep.

create function pg_temp.ensure_archive()
returns void
language plpgsql
as $$
begin
  if pg_catalog.to_regclass('private.legacy_profile_entries') is not null then
    return;
  end if;
  create schema if not exists private;
  revoke all on schema private from public;
  -- As the next migration declares it (it creates it only if it does not exist).
  create table if not exists private.legacy_profile_entries (
    id bigint generated always as identity not null,
    user_id uuid,
    source text not null,
    entry jsonb not null,
    reason text not null,
    archived_at timestamptz not null default now(),
    constraint legacy_profile_entries_pkey primary key (id),
    constraint legacy_profile_entries_user_id_fkey foreign key (user_id) references auth.users (id) on delete cascade
  );
  create index if not exists idx_legacy_profile_entries_source on private.legacy_profile_entries (source);
  create index if not exists idx_legacy_profile_entries_user_id on private.legacy_profile_entries (user_id);
  revoke all on table private.legacy_profile_entries from public, anon, authenticated, service_role;
end;
$$;

create function pg_temp.ensure_stash()
returns void
language plpgsql
as $$
begin
  perform pg_temp.ensure_archive();
  if pg_catalog.to_regclass('private.upgrade_stash') is not null then
    return;
  end if;
  create table private.upgrade_stash (
    id bigint generated always as identity primary key,
    -- 'user_profile' (entry: the live-only columns of one profile that hold a value),
    -- 'user_languages' or 'subscriptions' (entry: the whole row).
    source text not null,
    user_id uuid,
    row_id uuid,
    entry jsonb not null,
    stashed_at timestamptz not null default now()
  );
  revoke all on table private.upgrade_stash from public, anon, authenticated, service_role;
  comment on table private.upgrade_stash is
    'Values of the live app''s database that v2.0 has no column for, kept while the upgrade migrations run; dropped by the migration that has put every one of them in its v2.1 home.';
end;
$$;

-- 3. Values: stashed (a home awaits them) or archived (none does, or the v2.0 rules refuse them).

do $$
declare
  t record;
  extra text[];
  homed text[];
  unhomed text[];
  n integer;
begin
  if not pg_temp.live_reshape_wanted() then
    return;
  end if;

  -- Columns of v2.0 tables that v2.0 does not have.
  for t in
    select c.relname as table_name,
           pg_catalog.array_agg(a.attname::text order by a.attnum) as columns,
           exists (select 1 from pg_catalog.pg_attribute u where u.attrelid = c.oid and u.attname = 'user_id' and not u.attisdropped) as owned
      from pg_catalog.pg_class c
      join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
       and c.relname in (select distinct v.table_name from pg_temp.v2_0_columns() v)
       and not exists (select 1 from pg_temp.v2_0_columns() v where v.table_name = c.relname and v.column_name = a.attname)
     group by c.oid, c.relname
  loop
    homed := case when t.table_name = 'user_profile'
                  then array(select x from pg_catalog.unnest(t.columns) x where x = any (pg_temp.live_columns_with_a_home()))
                  else '{}' end;
    unhomed := array(select x from pg_catalog.unnest(t.columns) x where not x = any (homed));

    if pg_catalog.cardinality(homed) > 0 then
      perform pg_temp.ensure_stash();
      execute pg_catalog.format(
        $sql$insert into private.upgrade_stash (source, user_id, row_id, entry)
             select %L, r.user_id, r.id, pg_catalog.jsonb_strip_nulls((select pg_catalog.jsonb_object_agg(k.key, k.value)
                                                                          from pg_catalog.jsonb_each(pg_catalog.to_jsonb(r)) k
                                                                         where k.key = any (%L::text[])))
               from public.%I r$sql$,
        t.table_name, homed, t.table_name);
      get diagnostics n = row_count;
      execute pg_catalog.format('delete from private.upgrade_stash where source = %L and entry = ''{}''::jsonb', t.table_name);
      raise notice 'public.%: % kept in private.upgrade_stash for their v2.1 home (% rows)', t.table_name, homed, n;
    end if;

    if pg_catalog.cardinality(unhomed) > 0 then
      perform pg_temp.ensure_archive();
      execute pg_catalog.format(
        $sql$insert into private.legacy_profile_entries (user_id, source, entry, reason)
             select %s, %L, e.entry, %L
               from (select r.*, pg_catalog.jsonb_build_object('id', r.id) || pg_catalog.jsonb_strip_nulls(
                                   (select pg_catalog.jsonb_object_agg(k.key, k.value)
                                      from pg_catalog.jsonb_each(pg_catalog.to_jsonb(r)) k
                                     where k.key = any (%L::text[]))) as entry
                       from public.%I r) e
              where e.entry <> pg_catalog.jsonb_build_object('id', e.id)$sql$,
        case when t.owned then 'e.user_id' else 'null::uuid' end,
        t.table_name || '.live_columns',
        pg_catalog.format('column(s) %s of the live database, which v2.1 does not have; the values are kept here', pg_catalog.array_to_string(unhomed, ', ')),
        unhomed, t.table_name);
      get diagnostics n = row_count;
      raise notice 'public.%: values of column(s) % (% rows) archived to private.legacy_profile_entries (source %.live_columns)',
        t.table_name, unhomed, n, t.table_name;
    end if;
  end loop;

  -- Tables v2.1 has a home for: every row, whole.
  if pg_catalog.to_regclass('public.user_languages') is not null then
    perform pg_temp.ensure_stash();
    insert into private.upgrade_stash (source, user_id, row_id, entry)
    select 'user_languages', (pg_catalog.to_jsonb(r) ->> 'user_id')::uuid, (pg_catalog.to_jsonb(r) ->> 'id')::uuid, pg_catalog.to_jsonb(r)
      from public.user_languages r;
    get diagnostics n = row_count;
    raise notice 'public.user_languages: % rows kept in private.upgrade_stash for the v2.1 table', n;
  end if;
  if pg_catalog.to_regclass('public.subscriptions') is not null then
    perform pg_temp.ensure_stash();
    insert into private.upgrade_stash (source, user_id, row_id, entry)
    select 'subscriptions', (pg_catalog.to_jsonb(r) ->> 'user_id')::uuid, (pg_catalog.to_jsonb(r) ->> 'id')::uuid, pg_catalog.to_jsonb(r)
      from public.subscriptions r;
    get diagnostics n = row_count;
    raise notice 'public.subscriptions: % rows kept in private.upgrade_stash for the v2.1 table', n;
  end if;

  -- The live app's matching preferences expire after 24 hours and v2.1 has no such table.
  if pg_catalog.to_regclass('public.job_matching_preferences_temp') is not null then
    perform pg_temp.ensure_archive();
    insert into private.legacy_profile_entries (user_id, source, entry, reason)
    select (pg_catalog.to_jsonb(r) ->> 'user_id')::uuid, 'job_matching_preferences_temp', pg_catalog.to_jsonb(r),
           'a table of the live database (job-matching preferences kept 24 hours) that v2.1 does not have; the row is kept here'
      from public.job_matching_preferences_temp r;
    get diagnostics n = row_count;
    raise notice 'public.job_matching_preferences_temp: % rows archived to private.legacy_profile_entries', n;
  end if;

  -- v2.0 allows an excitement of 1 to 5 only; a database that lost the check may hold others
  -- (the extension sends 0 for "unset"). Archived whole, then cleared.
  if exists (select 1 from public.jobs j where j.excitement_level not between 1 and 5) then
    perform pg_temp.ensure_archive();
    insert into private.legacy_profile_entries (user_id, source, entry, reason)
    select j.user_id, 'jobs.excitement_level', pg_catalog.to_jsonb(j),
           pg_catalog.format('excitement_level %s is not 1 to 5; cleared', j.excitement_level)
      from public.jobs j
     where j.excitement_level not between 1 and 5;
    get diagnostics n = row_count;
    -- A fix of a value, not a user edit: updated_at stays as it was.
    alter table public.jobs disable trigger user;
    update public.jobs j set excitement_level = null where j.excitement_level not between 1 and 5;
    alter table public.jobs enable trigger user;
    raise notice 'jobs.excitement_level: % values outside 1-5 archived to private.legacy_profile_entries and cleared', n;
  end if;
end
$$;

-- 4. The v2.0 objects other than columns, as the baseline migration creates them. Their text
-- is the catalog's (pg_get_*def with public on the search path), so that an object of the
-- same name and definition is left alone.

create function pg_temp.v2_0_indexes()
returns table (index_name text, definition text)
language sql
immutable
as $$
  values
    ('idx_ai_events_provider_model', 'CREATE INDEX idx_ai_events_provider_model ON public.ai_events USING btree (provider, model)'),
    ('idx_ai_events_status', 'CREATE INDEX idx_ai_events_status ON public.ai_events USING btree (status)'),
    ('idx_ai_events_user_created', 'CREATE INDEX idx_ai_events_user_created ON public.ai_events USING btree (user_id, created_at DESC)'),
    ('idx_generated_resume_versions_resume_id', 'CREATE INDEX idx_generated_resume_versions_resume_id ON public.generated_resume_versions USING btree (generated_resume_id)'),
    ('idx_generated_resume_versions_resume_version', 'CREATE INDEX idx_generated_resume_versions_resume_version ON public.generated_resume_versions USING btree (generated_resume_id, version_number DESC)'),
    ('idx_generated_resumes_share_token', 'CREATE INDEX idx_generated_resumes_share_token ON public.generated_resumes USING btree (share_token) WHERE (share_token IS NOT NULL)'),
    ('idx_generated_resumes_user_updated', 'CREATE INDEX idx_generated_resumes_user_updated ON public.generated_resumes USING btree (user_id, updated_at DESC)'),
    ('idx_jobs_date_applied', 'CREATE INDEX idx_jobs_date_applied ON public.jobs USING btree (date_applied DESC) WHERE (date_applied IS NOT NULL)'),
    ('idx_jobs_status', 'CREATE INDEX idx_jobs_status ON public.jobs USING btree (status)'),
    ('idx_jobs_user_id', 'CREATE INDEX idx_jobs_user_id ON public.jobs USING btree (user_id)'),
    ('idx_jobs_user_status', 'CREATE INDEX idx_jobs_user_status ON public.jobs USING btree (user_id, status)'),
    ('idx_jobs_user_updated', 'CREATE INDEX idx_jobs_user_updated ON public.jobs USING btree (user_id, updated_at DESC)'),
    ('idx_resume_builder_data_resume_data', 'CREATE INDEX idx_resume_builder_data_resume_data ON public.resume_builder_data USING gin (resume_data)'),
    ('idx_resume_builder_data_template_id', 'CREATE INDEX idx_resume_builder_data_template_id ON public.resume_builder_data USING btree (template_id)'),
    ('idx_resume_builder_data_user_current', 'CREATE INDEX idx_resume_builder_data_user_current ON public.resume_builder_data USING btree (user_id, is_current) WHERE (is_current = true)'),
    ('idx_resume_builder_data_user_id', 'CREATE INDEX idx_resume_builder_data_user_id ON public.resume_builder_data USING btree (user_id)'),
    ('idx_resumes_user_id', 'CREATE INDEX idx_resumes_user_id ON public.resumes USING btree (user_id)'),
    ('idx_user_education_user_dates', 'CREATE INDEX idx_user_education_user_dates ON public.user_education USING btree (user_id, start_date DESC)'),
    ('idx_user_education_user_id', 'CREATE INDEX idx_user_education_user_id ON public.user_education USING btree (user_id)'),
    ('idx_user_profile_education', 'CREATE INDEX idx_user_profile_education ON public.user_profile USING gin (education)'),
    ('idx_user_profile_resumes', 'CREATE INDEX idx_user_profile_resumes ON public.user_profile USING gin (resumes)'),
    ('idx_user_profile_skills', 'CREATE INDEX idx_user_profile_skills ON public.user_profile USING gin (skills)'),
    ('idx_user_profile_user_id', 'CREATE INDEX idx_user_profile_user_id ON public.user_profile USING btree (user_id)'),
    ('idx_user_profile_work_experience', 'CREATE INDEX idx_user_profile_work_experience ON public.user_profile USING gin (work_experience)'),
    ('idx_user_skills_category', 'CREATE INDEX idx_user_skills_category ON public.user_skills USING btree (category)'),
    ('idx_user_skills_user_category', 'CREATE INDEX idx_user_skills_user_category ON public.user_skills USING btree (user_id, category)'),
    ('idx_user_skills_user_id', 'CREATE INDEX idx_user_skills_user_id ON public.user_skills USING btree (user_id)'),
    ('idx_user_work_experience_current', 'CREATE INDEX idx_user_work_experience_current ON public.user_work_experience USING btree (user_id, is_current) WHERE (is_current = true)'),
    ('idx_user_work_experience_user_dates', 'CREATE INDEX idx_user_work_experience_user_dates ON public.user_work_experience USING btree (user_id, start_date DESC)'),
    ('idx_user_work_experience_user_id', 'CREATE INDEX idx_user_work_experience_user_id ON public.user_work_experience USING btree (user_id)'),
    ('idx_wizard_sessions_user_active', 'CREATE INDEX idx_wizard_sessions_user_active ON public.wizard_sessions USING btree (user_id, status) WHERE (status = ''active''::text)'),
    ('idx_wizard_sessions_user_status', 'CREATE INDEX idx_wizard_sessions_user_status ON public.wizard_sessions USING btree (user_id, status)'),
    ('idx_wizard_sessions_user_updated', 'CREATE INDEX idx_wizard_sessions_user_updated ON public.wizard_sessions USING btree (user_id, updated_at DESC)')
$$;

create function pg_temp.v2_0_constraints()
returns table (table_name text, constraint_name text, definition text)
language sql
immutable
as $$
  values
    ('ai_events', 'ai_events_pkey', 'PRIMARY KEY (id)'),
    ('ai_events', 'ai_events_status_check', 'CHECK ((status = ANY (ARRAY[''success''::text, ''error''::text])))'),
    ('ai_events', 'ai_events_user_id_fkey', 'FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE'),
    ('ai_events', 'ai_events_wizard_session_id_fkey', 'FOREIGN KEY (wizard_session_id) REFERENCES wizard_sessions(id) ON DELETE SET NULL'),
    ('generated_resume_versions', 'generated_resume_versions_generated_resume_id_fkey', 'FOREIGN KEY (generated_resume_id) REFERENCES generated_resumes(id) ON DELETE CASCADE'),
    ('generated_resume_versions', 'generated_resume_versions_generated_resume_id_version_numbe_key', 'UNIQUE (generated_resume_id, version_number)'),
    ('generated_resume_versions', 'generated_resume_versions_pkey', 'PRIMARY KEY (id)'),
    ('generated_resumes', 'generated_resumes_pkey', 'PRIMARY KEY (id)'),
    ('generated_resumes', 'generated_resumes_share_token_key', 'UNIQUE (share_token)'),
    ('generated_resumes', 'generated_resumes_template_id_fkey', 'FOREIGN KEY (template_id) REFERENCES templates(id) ON DELETE RESTRICT'),
    ('generated_resumes', 'generated_resumes_user_id_fkey', 'FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE'),
    ('jobs', 'jobs_excitement_level_check', 'CHECK (((excitement_level >= 1) AND (excitement_level <= 5)))'),
    ('jobs', 'jobs_pkey', 'PRIMARY KEY (id)'),
    ('jobs', 'jobs_user_id_fkey', 'FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE'),
    ('resume_builder_data', 'resume_builder_data_pkey', 'PRIMARY KEY (id)'),
    ('resume_builder_data', 'resume_builder_data_user_id_fkey', 'FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE'),
    ('resumes', 'resumes_pkey', 'PRIMARY KEY (id)'),
    ('resumes', 'resumes_user_id_fkey', 'FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE'),
    ('templates', 'templates_name_key', 'UNIQUE (name)'),
    ('templates', 'templates_pkey', 'PRIMARY KEY (id)'),
    ('templates', 'templates_slug_key', 'UNIQUE (slug)'),
    ('user_education', 'user_education_pkey', 'PRIMARY KEY (id)'),
    ('user_education', 'user_education_user_id_fkey', 'FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE'),
    ('user_profile', 'user_profile_pkey', 'PRIMARY KEY (id)'),
    ('user_profile', 'user_profile_user_id_fkey', 'FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE'),
    ('user_skills', 'user_skills_pkey', 'PRIMARY KEY (id)'),
    ('user_skills', 'user_skills_user_id_fkey', 'FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE'),
    ('user_skills', 'user_skills_user_id_name_key', 'UNIQUE (user_id, name)'),
    ('user_work_experience', 'user_work_experience_pkey', 'PRIMARY KEY (id)'),
    ('user_work_experience', 'user_work_experience_user_id_fkey', 'FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE'),
    ('wizard_sessions', 'wizard_sessions_pkey', 'PRIMARY KEY (id)'),
    ('wizard_sessions', 'wizard_sessions_status_check', 'CHECK ((status = ANY (ARRAY[''active''::text, ''completed''::text, ''abandoned''::text])))'),
    ('wizard_sessions', 'wizard_sessions_template_id_fkey', 'FOREIGN KEY (template_id) REFERENCES templates(id) ON DELETE RESTRICT'),
    ('wizard_sessions', 'wizard_sessions_user_id_fkey', 'FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE')
$$;

create function pg_temp.v2_0_triggers()
returns table (table_name text, trigger_name text, definition text)
language sql
immutable
as $$
  select t, 'update_' || t || '_updated_at',
         pg_catalog.format('CREATE TRIGGER update_%1$s_updated_at BEFORE UPDATE ON public.%1$s FOR EACH ROW EXECUTE FUNCTION update_updated_at_column()', t)
    from pg_catalog.unnest(array['generated_resumes', 'jobs', 'resume_builder_data', 'resumes', 'templates', 'user_education',
                                 'user_profile', 'user_skills', 'user_work_experience', 'wizard_sessions']) t
$$;

create function pg_temp.v2_0_policies()
returns table (table_name text, policy_name text, command text, using_expression text, check_expression text)
language sql
immutable
as $$
  select t, pg_catalog.format(p.name, t), p.command,
         case when p.command in ('SELECT', 'UPDATE', 'DELETE') then '(( SELECT auth.uid() AS uid) = user_id)' end,
         case when p.command in ('INSERT', 'UPDATE') then '(( SELECT auth.uid() AS uid) = user_id)' end
    from pg_catalog.unnest(array['user_profile', 'user_skills', 'user_work_experience', 'user_education',
                                 'jobs', 'resumes', 'resume_builder_data', 'wizard_sessions', 'generated_resumes']) t,
         (values ('Users can view their own %s', 'SELECT'), ('Users can insert their own %s', 'INSERT'),
                 ('Users can update their own %s', 'UPDATE'), ('Users can delete their own %s', 'DELETE')) p(name, command)
  union all
  select 'generated_resume_versions', pg_catalog.format(p.name, 'versions of their own generated resumes'), p.command,
         case when p.command in ('SELECT', 'UPDATE', 'DELETE') then e end,
         case when p.command in ('INSERT', 'UPDATE') then e end
    from (values ('Users can view %s', 'SELECT'), ('Users can insert %s', 'INSERT'),
                 ('Users can update %s', 'UPDATE'), ('Users can delete %s', 'DELETE')) p(name, command),
         (values (E'(generated_resume_id IN ( SELECT gr.id\n   FROM generated_resumes gr\n  WHERE (gr.user_id = ( SELECT auth.uid() AS uid))))')) x(e)
  union all
  values ('templates', 'Authenticated users can view templates', 'SELECT', 'true', null),
         ('ai_events', 'Users can view their own AI events', 'SELECT', '(( SELECT auth.uid() AS uid) = user_id)', null),
         ('ai_events', 'Users can insert their own AI events', 'INSERT', null, '(( SELECT auth.uid() AS uid) = user_id)')
$$;

-- Catalog text as the lists above hold it.
create function pg_temp.constraint_text(constraint_oid oid)
returns text language sql stable set search_path = public, pg_catalog
as $$ select pg_catalog.pg_get_constraintdef(constraint_oid) $$;

create function pg_temp.trigger_text(trigger_oid oid)
returns text language sql stable set search_path = public, pg_catalog
as $$ select pg_catalog.pg_get_triggerdef(trigger_oid) $$;

create function pg_temp.policies_now()
returns table (table_name text, policy_name text, command text, roles text, using_expression text, check_expression text)
language sql stable set search_path = public, pg_catalog
as $$
  select p.tablename::text, p.policyname::text, p.cmd, p.roles::text, p.qual, p.with_check
    from pg_catalog.pg_policies p where p.schemaname = 'public'
$$;

-- 5. Drop what v2.0 does not have, after its values were kept above.

do $$
declare
  r record;
  n integer := 0;
begin
  if not pg_temp.live_reshape_wanted() then
    return;
  end if;

  -- Tables: their rows are in the stash or the archive.
  drop table if exists public.user_languages, public.subscriptions, public.job_matching_preferences_temp cascade;

  -- Columns of v2.0 tables that v2.0 does not have (with their indexes and checks).
  for r in
    select c.relname, a.attname
      from pg_catalog.pg_class c
      join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
       and c.relname in (select distinct v.table_name from pg_temp.v2_0_columns() v)
       and not exists (select 1 from pg_temp.v2_0_columns() v where v.table_name = c.relname and v.column_name = a.attname)
  loop
    execute pg_catalog.format('alter table public.%I drop column %I cascade', r.relname, r.attname);
    n := n + 1;
  end loop;

  -- Policies that are not v2.0's (other names, or the same name with another rule).
  for r in
    select p.table_name, p.policy_name
      from pg_temp.policies_now() p
     where p.table_name in (select distinct v.table_name from pg_temp.v2_0_columns() v)
       and not exists (select 1 from pg_temp.v2_0_policies() w
                        where w.table_name = p.table_name and w.policy_name = p.policy_name and w.command = p.command
                          and p.roles = '{authenticated}'
                          and w.using_expression is not distinct from p.using_expression
                          and w.check_expression is not distinct from p.check_expression)
  loop
    execute pg_catalog.format('drop policy %I on public.%I', r.policy_name, r.table_name);
    n := n + 1;
  end loop;

  -- Triggers, indexes and constraints of v2.0 tables that are not v2.0's.
  for r in
    select c.relname, t.tgname
      from pg_catalog.pg_trigger t
      join pg_catalog.pg_class c on c.oid = t.tgrelid and c.relnamespace = 'public'::regnamespace
     where not t.tgisinternal
       and c.relname in (select distinct v.table_name from pg_temp.v2_0_columns() v)
       and not exists (select 1 from pg_temp.v2_0_triggers() w
                        where w.table_name = c.relname and w.trigger_name = t.tgname and w.definition = pg_temp.trigger_text(t.oid))
  loop
    execute pg_catalog.format('drop trigger %I on public.%I', r.tgname, r.relname);
    n := n + 1;
  end loop;

  for r in
    select c.relname, k.conname
      from pg_catalog.pg_constraint k
      join pg_catalog.pg_class c on c.oid = k.conrelid and c.relnamespace = 'public'::regnamespace
     where c.relname in (select distinct v.table_name from pg_temp.v2_0_columns() v)
       and not exists (select 1 from pg_temp.v2_0_constraints() w
                        where w.table_name = c.relname and w.constraint_name = k.conname and w.definition = pg_temp.constraint_text(k.oid))
     order by k.contype = 'p'  -- foreign keys and checks before a primary key
  loop
    execute pg_catalog.format('alter table public.%I drop constraint %I', r.relname, r.conname);
    n := n + 1;
  end loop;

  for r in
    select ic.relname as index_name
      from pg_catalog.pg_index i
      join pg_catalog.pg_class c on c.oid = i.indrelid and c.relnamespace = 'public'::regnamespace
      join pg_catalog.pg_class ic on ic.oid = i.indexrelid
     where c.relname in (select distinct v.table_name from pg_temp.v2_0_columns() v)
       and not exists (select 1 from pg_catalog.pg_constraint k where k.conindid = i.indexrelid)
       and not exists (select 1 from pg_temp.v2_0_indexes() w
                        where w.index_name = ic.relname and w.definition = pg_catalog.pg_get_indexdef(i.indexrelid))
  loop
    execute pg_catalog.format('drop index public.%I', r.index_name);
    n := n + 1;
  end loop;

  -- Functions in public that are not v2.0's (the definition is archived: it is code, but
  -- someone may want to read what the live database ran).
  for r in
    select p.oid, p.oid::regprocedure::text as signature, pg_catalog.pg_get_functiondef(p.oid) as definition,
           p.proname::text as name, pg_catalog.pg_get_function_arguments(p.oid) as arguments, p.prosrc
      from pg_catalog.pg_proc p
     where p.pronamespace = 'public'::regnamespace and p.prokind = 'f'
       and not exists (select 1 from pg_catalog.pg_depend d where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
       and not (p.proname = 'update_updated_at_column' and pg_catalog.pg_get_function_arguments(p.oid) = '')
       and not (p.proname in ('add_skill_to_profile', 'add_work_experience_to_profile', 'get_public_generated_resume')
                and pg_catalog.pg_get_function_arguments(p.oid) in ('user_uuid uuid, skill_data jsonb', 'user_uuid uuid, experience_data jsonb', 'share_token text')
                and p.prosrc = (select case p.proname
                   when 'add_skill_to_profile' then E'\nbegin\n  update public.user_profile\n     set skills = coalesce(skills, ''[]''::jsonb) || jsonb_build_array(skill_data)\n   where user_id = user_uuid;\nend;\n'
                   when 'add_work_experience_to_profile' then E'\nbegin\n  update public.user_profile\n     set work_experience = coalesce(work_experience, ''[]''::jsonb) || jsonb_build_array(experience_data)\n   where user_id = user_uuid;\nend;\n'
                   else E'\n  select jsonb_build_object(\n           ''id'', gr.id,\n           ''title'', gr.title,\n           ''template_id'', gr.template_id,\n           ''version_number'', v.version_number,\n           ''content_json'', v.content_json,\n           ''render_artifact_url'', v.render_artifact_url\n         )\n    from public.generated_resumes gr\n    join public.generated_resume_versions v\n      on v.generated_resume_id = gr.id\n     and v.version_number = gr.current_version\n   where gr.share_token = $1\n   limit 1\n' end))
  loop
    perform pg_temp.ensure_archive();
    insert into private.legacy_profile_entries (user_id, source, entry, reason)
    values (null, 'public.functions', pg_catalog.jsonb_build_object('signature', r.signature, 'definition', r.definition),
            'a function of the live database that v2.0 does not have in this form; dropped (v2.0''s is created in its place where it has one)');
    execute pg_catalog.format('drop function %s cascade', r.signature);
    n := n + 1;
  end loop;

  -- Comments: v2.0 has none on its tables and columns.
  for r in
    select c.relname, a.attname
      from pg_catalog.pg_description d
      join pg_catalog.pg_class c on c.oid = d.objoid and d.classoid = 'pg_catalog.pg_class'::regclass and c.relnamespace = 'public'::regnamespace
      left join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum = d.objsubid
     where c.relname in (select distinct v.table_name from pg_temp.v2_0_columns() v)
  loop
    if r.attname is null then
      execute pg_catalog.format('comment on table public.%I is null', r.relname);
    else
      execute pg_catalog.format('comment on column public.%I.%I is null', r.relname, r.attname);
    end if;
    n := n + 1;
  end loop;

  if n > 0 then
    raise notice 'live database: % columns, policies, triggers, constraints, indexes, functions and comments that v2.0 does not have were dropped', n;
  end if;
end
$$;

-- 6. Create what v2.0 has and the live database lacks.

do $$
declare
  r record;
  n integer := 0;
  missing text;
begin
  if not pg_temp.live_reshape_wanted() then
    return;
  end if;

  -- The live app dropped its file-upload resumes (table and JSONB copy); v2.0 has both.
  if pg_catalog.to_regclass('public.resumes') is null then
    create table public.resumes (
      id uuid primary key default extensions.uuid_generate_v4(),
      user_id uuid not null references auth.users (id) on delete cascade,
      filename varchar(255) not null,
      file_url text not null,
      file_size integer not null,
      is_default boolean default false,
      created_at timestamptz default now(),
      updated_at timestamptz default now()
    );
    alter table public.resumes enable row level security;
    grant select, insert, update, delete on public.resumes to authenticated;
    grant all on public.resumes to service_role;
    n := n + 1;
  end if;
  if not exists (select 1 from pg_catalog.pg_attribute a
                  where a.attrelid = 'public.user_profile'::regclass and a.attname = 'resumes' and not a.attisdropped) then
    alter table public.user_profile add column resumes jsonb default '[]'::jsonb;
    n := n + 1;
  end if;

  select pg_catalog.string_agg(pg_catalog.format('public.%I.%I', v.table_name, v.column_name), ', ') into missing
    from pg_temp.v2_0_columns() v
   where not exists (select 1 from pg_catalog.pg_attribute a
                      where a.attrelid = pg_catalog.to_regclass('public.' || pg_catalog.quote_ident(v.table_name))
                        and a.attname = v.column_name and not a.attisdropped);
  if missing is not null then
    raise exception 'the database lacks v2.0 column(s) or table(s): %', missing
      using hint = 'Create them as supabase/migrations/20250107000000_v2_0_baseline.sql does, then push again. Nothing was changed.';
  end if;

  -- Nullability as v2.0 has it (the live AI builder tables made more columns not null).
  for r in
    select v.table_name, v.column_name, v.not_null
      from pg_temp.v2_0_columns() v
      join pg_catalog.pg_attribute a on a.attrelid = ('public.' || pg_catalog.quote_ident(v.table_name))::regclass and a.attname = v.column_name
     where a.attnotnull <> v.not_null
  loop
    execute pg_catalog.format('alter table public.%I alter column %I %s not null', r.table_name, r.column_name,
                              case when r.not_null then 'set' else 'drop' end);
    n := n + 1;
  end loop;

  for r in
    select c.relname from pg_catalog.pg_class c
     where c.relnamespace = 'public'::regnamespace and not c.relrowsecurity
       and c.relname in (select distinct v.table_name from pg_temp.v2_0_columns() v)
  loop
    execute pg_catalog.format('alter table public.%I enable row level security', r.relname);
    n := n + 1;
  end loop;

  -- Constraints: primary keys and uniques first, then the foreign keys that need them.
  for r in
    select w.table_name, w.constraint_name, w.definition
      from pg_temp.v2_0_constraints() w
     where not exists (select 1 from pg_catalog.pg_constraint k
                        where k.conrelid = ('public.' || pg_catalog.quote_ident(w.table_name))::regclass and k.conname = w.constraint_name)
     order by w.definition like 'FOREIGN KEY%', w.table_name
  loop
    execute pg_catalog.format('alter table public.%I add constraint %I %s', r.table_name, r.constraint_name,
                              pg_catalog.regexp_replace(r.definition, 'REFERENCES (\w+)\(', 'REFERENCES public.\1('));
    n := n + 1;
  end loop;

  for r in
    select w.definition from pg_temp.v2_0_indexes() w
     where pg_catalog.to_regclass('public.' || w.index_name) is null
  loop
    execute r.definition;
    n := n + 1;
  end loop;

  -- The trigger function, as v2.0 has it (the live one has the same effect, in other words).
  if not exists (select 1 from pg_catalog.pg_proc p
                  where p.oid = pg_catalog.to_regprocedure('public.update_updated_at_column()')
                    and p.prosrc = E'\nbegin\n  new.updated_at = now();\n  return new;\nend;\n'
                    and p.proconfig is null and not p.prosecdef) then
    if pg_catalog.to_regprocedure('public.update_updated_at_column()') is not null then
      perform pg_temp.ensure_archive();
      insert into private.legacy_profile_entries (user_id, source, entry, reason)
      values (null, 'public.functions',
              pg_catalog.jsonb_build_object('signature', 'update_updated_at_column()',
                                            'definition', pg_catalog.pg_get_functiondef('public.update_updated_at_column()'::regprocedure)),
              'a function of the live database that v2.0 has in another form; replaced by v2.0''s');
    end if;
    create or replace function public.update_updated_at_column()
    returns trigger
    language plpgsql
    as $body$
begin
  new.updated_at = now();
  return new;
end;
$body$;
    n := n + 1;
  end if;

  for r in
    select w.definition from pg_temp.v2_0_triggers() w
     where not exists (select 1 from pg_catalog.pg_trigger t
                        where t.tgrelid = ('public.' || pg_catalog.quote_ident(w.table_name))::regclass and t.tgname = w.trigger_name)
  loop
    execute pg_catalog.replace(r.definition, 'EXECUTE FUNCTION update_updated_at_column()', 'EXECUTE FUNCTION public.update_updated_at_column()');
    n := n + 1;
  end loop;

  for r in
    select w.* from pg_temp.v2_0_policies() w
     where not exists (select 1 from pg_temp.policies_now() p where p.table_name = w.table_name and p.policy_name = w.policy_name)
  loop
    execute pg_catalog.format('create policy %I on public.%I for %s to authenticated%s%s', r.policy_name, r.table_name, r.command,
                              case when r.using_expression is not null then ' using (' || pg_catalog.replace(r.using_expression, 'FROM generated_resumes', 'FROM public.generated_resumes') || ')' else '' end,
                              case when r.check_expression is not null then ' with check (' || pg_catalog.replace(r.check_expression, 'FROM generated_resumes', 'FROM public.generated_resumes') || ')' else '' end);
    n := n + 1;
  end loop;

  -- The deprecated JSONB helpers and the share RPC, as v2.0 has them (the later migrations
  -- drop or replace them by signature).
  if pg_catalog.to_regprocedure('public.add_skill_to_profile(uuid, jsonb)') is null then
    create function public.add_skill_to_profile(user_uuid uuid, skill_data jsonb)
    returns void
    language plpgsql
    as $body$
begin
  update public.user_profile
     set skills = coalesce(skills, '[]'::jsonb) || jsonb_build_array(skill_data)
   where user_id = user_uuid;
end;
$body$;
    n := n + 1;
  end if;
  if pg_catalog.to_regprocedure('public.add_work_experience_to_profile(uuid, jsonb)') is null then
    create function public.add_work_experience_to_profile(user_uuid uuid, experience_data jsonb)
    returns void
    language plpgsql
    as $body$
begin
  update public.user_profile
     set work_experience = coalesce(work_experience, '[]'::jsonb) || jsonb_build_array(experience_data)
   where user_id = user_uuid;
end;
$body$;
    n := n + 1;
  end if;
  if pg_catalog.to_regprocedure('public.get_public_generated_resume(text)') is null then
    create function public.get_public_generated_resume(share_token text)
    returns jsonb
    language sql
    stable
    as $body$
  select jsonb_build_object(
           'id', gr.id,
           'title', gr.title,
           'template_id', gr.template_id,
           'version_number', v.version_number,
           'content_json', v.content_json,
           'render_artifact_url', v.render_artifact_url
         )
    from public.generated_resumes gr
    join public.generated_resume_versions v
      on v.generated_resume_id = gr.id
     and v.version_number = gr.current_version
   where gr.share_token = $1
   limit 1
$body$;
    grant execute on function public.get_public_generated_resume(text) to anon, authenticated, service_role;
    n := n + 1;
  end if;

  if n > 0 then
    raise notice 'live database: % v2.0 objects created or restored to their v2.0 form', n;
  end if;
end
$$;
