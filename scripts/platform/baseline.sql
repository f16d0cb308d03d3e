-- The Supabase platform baseline for the Docker-free local stack.
-- On hosted Supabase and under `supabase start` all of this already exists; it is
-- never part of supabase/migrations. Run as the cluster superuser (supabase_admin)
-- on an empty database. See ../shared/docs/platform.md for the facts reproduced here.
--
-- psql variable :auto_grants ('on' or 'off') chooses whether tables, sequences and
-- functions that postgres creates in public are granted to the API roles
-- automatically (Supabase today) or not (`[api] auto_expose_new_tables = false`).

\set ON_ERROR_STOP on
set client_min_messages = warning;

-- Roles --------------------------------------------------------------------
do $$
declare
  r text;
begin
  foreach r in array array['anon', 'authenticated', 'service_role', 'authenticator',
    'supabase_auth_admin', 'supabase_storage_admin', 'dashboard_user', 'postgres']
  loop
    if not exists (select 1 from pg_roles where rolname = r) then
      execute format('create role %I', r);
    end if;
  end loop;
end
$$;

-- The API roles are INHERIT on the platform (since its 2023-05 migration), so a role
-- granted to authenticated passes its privileges on.
alter role anon nologin inherit;
alter role authenticated nologin inherit;
alter role service_role nologin inherit bypassrls;
alter role authenticator login noinherit password 'postgres';
alter role supabase_auth_admin login noinherit nocreaterole password 'postgres';
alter role supabase_storage_admin login noinherit createrole password 'postgres';
alter role dashboard_user nologin createdb createrole replication;
-- On Supabase postgres is not a superuser, but bypasses RLS and can act as every API role.
alter role postgres login inherit createdb createrole replication bypassrls password 'postgres';

grant anon, authenticated, service_role to authenticator;
grant anon, authenticated, service_role to postgres;
grant authenticator to supabase_storage_admin;
-- pg_monitor includes pg_read_all_settings, so postgres can read cron.database_name.
grant pg_read_all_data, pg_signal_backend, pg_monitor to postgres;
-- postgres is no member of the service owners (the platform revoked that in 2024-25):
-- it cannot create objects in auth or storage through them.
do $$
begin
  if pg_has_role('postgres', 'supabase_auth_admin', 'MEMBER') then
    revoke supabase_auth_admin from postgres;
  end if;
  if pg_has_role('postgres', 'supabase_storage_admin', 'MEMBER') then
    revoke supabase_storage_admin from postgres;
  end if;
end
$$;

-- On Supabase, supautils lets postgres set PostgREST's in-database settings on
-- authenticator (`alter role authenticator set pgrst.db_pre_request = ...`).
grant set on parameter pgrst.db_pre_request to postgres;

alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
alter role authenticator set statement_timeout = '8s';
alter role authenticator set lock_timeout = '8s';

do $$
begin
  execute format('alter database %I owner to postgres', current_database());
  execute format('alter database %I set search_path to "$user", public, extensions', current_database());
end
$$;

-- Schemas ------------------------------------------------------------------
-- extensions belongs to postgres; auth and storage belong to supabase_admin, their
-- services get ALL on them, and postgres only USAGE: a migration that creates a table
-- or function in auth or storage fails here as it does on Supabase.
create schema if not exists extensions;
alter schema extensions owner to postgres;
create schema if not exists graphql_public;
create schema if not exists auth authorization supabase_admin;
create schema if not exists storage authorization supabase_admin;
alter schema auth owner to supabase_admin;
alter schema storage owner to supabase_admin;

grant all on schema auth to supabase_auth_admin, dashboard_user;
grant all on schema storage to supabase_storage_admin, dashboard_user;
revoke create on schema auth, storage from postgres;
grant usage on schema auth to postgres;
grant usage on schema storage to postgres with grant option;
grant usage on schema public, extensions, graphql_public, auth, storage
  to anon, authenticated, service_role;
grant all on schema public to postgres with grant option;

create extension if not exists pgcrypto with schema extensions;
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pg_stat_statements with schema extensions;

-- `supabase db lint` needs plpgsql_check; on Supabase it is available in extensions.
create extension if not exists plpgsql_check with schema extensions;

grant all on all functions in schema extensions to postgres with grant option;
grant all on all functions in schema extensions to anon, authenticated, service_role;
grant all on all tables in schema extensions to postgres with grant option;
alter default privileges in schema extensions grant all on tables to postgres with grant option;
alter default privileges in schema extensions grant all on routines to postgres with grant option;
alter default privileges in schema extensions grant all on sequences to postgres with grant option;

-- Default privileges in public, as Supabase sets them ----------------------
alter default privileges for role postgres in schema public
  grant all on sequences to anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on functions to anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on tables to anon, authenticated, service_role;
\if :{?auto_grants}
\else
  \set auto_grants on
\endif
select :'auto_grants' = 'off' as auto_grants_off \gset
-- Automatic grants off (`[api] auto_expose_new_tables = false`) revokes exactly what the
-- platform revokes: table SELECT/INSERT/UPDATE/DELETE, sequence USAGE/SELECT and
-- function EXECUTE. TRUNCATE, REFERENCES and TRIGGER stay granted on new tables, so a
-- migration that revokes only the four DML privileges still leaves those behind.
\if :auto_grants_off
alter default privileges for role postgres in schema public
  revoke select, insert, update, delete on tables from anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  revoke usage, select on sequences from anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  revoke execute on functions from anon, authenticated, service_role;
\endif

-- Auth (GoTrue owns this schema on Supabase) --------------------------------
set role supabase_auth_admin;

-- auth.users as GoTrue's migrations leave it: no column default for created_at or
-- updated_at (GoTrue sets both on every insert), phone unique, email unique unless the
-- account comes from SSO, and the one-time-token columns unique where they hold a token.
create table if not exists auth.users (
  instance_id uuid,
  id uuid not null unique,
  aud varchar(255),
  role varchar(255),
  email varchar(255),
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  invited_at timestamptz,
  confirmation_token varchar(255),
  confirmation_sent_at timestamptz,
  recovery_token varchar(255),
  recovery_sent_at timestamptz,
  email_change_token_new varchar(255),
  email_change varchar(255),
  email_change_sent_at timestamptz,
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb,
  raw_user_meta_data jsonb,
  is_super_admin boolean,
  created_at timestamptz,
  updated_at timestamptz,
  phone text unique default null,
  phone_confirmed_at timestamptz default null,
  phone_change text default '',
  phone_change_token varchar(255) default '',
  phone_change_sent_at timestamptz default null,
  confirmed_at timestamptz generated always as (least(email_confirmed_at, phone_confirmed_at)) stored,
  email_change_token_current varchar(255) default '',
  email_change_confirm_status smallint default 0
    check (email_change_confirm_status >= 0 and email_change_confirm_status <= 2),
  banned_until timestamptz,
  reauthentication_token varchar(255) default '',
  reauthentication_sent_at timestamptz default null,
  is_sso_user boolean not null default false,
  deleted_at timestamptz,
  is_anonymous boolean not null default false,
  constraint users_pkey primary key (id)
);
comment on table auth.users is 'Auth: Stores user login data within a secure schema.';
comment on column auth.users.is_sso_user is 'Auth: Set this column to true when the account comes from SSO. These accounts can have duplicate emails.';
create index if not exists users_instance_id_email_idx on auth.users (instance_id, lower(email));
create index if not exists users_instance_id_idx on auth.users (instance_id);
create unique index if not exists users_email_partial_key on auth.users (email) where (is_sso_user = false);
comment on index auth.users_email_partial_key is 'Auth: A partial unique index that applies only when is_sso_user is false';
create unique index if not exists confirmation_token_idx on auth.users (confirmation_token) where confirmation_token !~ '^[0-9 ]*$';
create unique index if not exists recovery_token_idx on auth.users (recovery_token) where recovery_token !~ '^[0-9 ]*$';
create unique index if not exists email_change_token_current_idx on auth.users (email_change_token_current) where email_change_token_current !~ '^[0-9 ]*$';
create unique index if not exists email_change_token_new_idx on auth.users (email_change_token_new) where email_change_token_new !~ '^[0-9 ]*$';
create unique index if not exists reauthentication_token_idx on auth.users (reauthentication_token) where reauthentication_token !~ '^[0-9 ]*$';
create index if not exists users_is_anonymous_idx on auth.users (is_anonymous);
alter table auth.users enable row level security;

create or replace function auth.uid() returns uuid
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;

create or replace function auth.role() returns text
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;

create or replace function auth.email() returns text
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  )::text
$$;

create or replace function auth.jwt() returns jsonb
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

grant execute on function auth.uid(), auth.role(), auth.email(), auth.jwt()
  to anon, authenticated, service_role, postgres, dashboard_user;
grant all on auth.users to postgres, dashboard_user;
reset role;

-- Storage (the Storage API owns this schema on Supabase) -------------------
set role supabase_storage_admin;

create table if not exists storage.buckets (
  id text primary key,
  name text not null,
  owner uuid,
  owner_id text,
  public boolean default false,
  avif_autodetection boolean default false,
  file_size_limit bigint,
  allowed_mime_types text[],
  created_at timestamptz default now(),
  updated_at timestamptz default now()
);
create unique index if not exists bname on storage.buckets (name);

create table if not exists storage.objects (
  id uuid primary key default gen_random_uuid(),
  bucket_id text references storage.buckets (id),
  name text,
  owner uuid,
  owner_id text,
  metadata jsonb,
  user_metadata jsonb,
  version text,
  path_tokens text[] generated always as (string_to_array(name, '/')) stored,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  last_accessed_at timestamptz default now()
);
create unique index if not exists bucketid_objname on storage.objects (bucket_id, name);
create index if not exists name_prefix_search on storage.objects (name text_pattern_ops);

alter table storage.buckets enable row level security;
alter table storage.objects enable row level security;

create or replace function storage.foldername(name text) returns text[]
language plpgsql immutable
as $$
declare
  _parts text[];
begin
  select string_to_array(name, '/') into _parts;
  return _parts[1 : array_length(_parts, 1) - 1];
end
$$;

create or replace function storage.filename(name text) returns text
language plpgsql immutable
as $$
declare
  _parts text[];
begin
  select string_to_array(name, '/') into _parts;
  return _parts[array_length(_parts, 1)];
end
$$;

create or replace function storage.extension(name text) returns text
language plpgsql immutable
as $$
declare
  _parts text[];
  _filename text;
begin
  select string_to_array(name, '/') into _parts;
  select _parts[array_length(_parts, 1)] into _filename;
  return reverse(split_part(reverse(_filename), '.', 1));
end
$$;

-- Storage blocks direct deletes so objects are not orphaned in the backing store.
create or replace function storage.protect_delete() returns trigger
language plpgsql
as $$
begin
  if coalesce(current_setting('storage.allow_delete_query', true), 'false') <> 'true' then
    raise exception 'Direct deletion from storage tables is not allowed. Use the Storage API instead.'
      using hint = 'This prevents accidental data loss from orphaned objects.',
            errcode = '42501';
  end if;
  return null;
end
$$;

drop trigger if exists protect_objects_delete on storage.objects;
create trigger protect_objects_delete
  before delete on storage.objects
  for each statement execute function storage.protect_delete();
drop trigger if exists protect_buckets_delete on storage.buckets;
create trigger protect_buckets_delete
  before delete on storage.buckets
  for each statement execute function storage.protect_delete();

grant all on storage.buckets, storage.objects to anon, authenticated, service_role;
grant all on storage.buckets, storage.objects to postgres with grant option;
grant execute on all functions in schema storage to anon, authenticated, service_role, postgres;
reset role;

-- What supautils does on the platform ----------------------------------------
-- Supabase preloads its supautils extension, which lets postgres (not a superuser)
-- do two things vanilla Postgres reserves: manage policies on tables it does not own
-- (supautils.policy_grants lists storage.objects and storage.buckets for postgres),
-- and create "privileged" extensions such as pg_cron (supautils.privileged_extensions:
-- created as supabase_admin, then the extension's after-create grants run). supautils
-- is not packaged for Debian, so these event triggers stand in for it, locally only.
-- They live in a schema of their own that no role but supabase_admin can use.
create schema if not exists supabase_local;
revoke all on schema supabase_local from public;

-- The role a command runs as: SET ROLE if set, else the login role. (Read from the
-- settings because current_user inside a SECURITY DEFINER function is its owner.)
create or replace function supabase_local.invoking_role() returns text
language sql stable
set search_path = ''
as $$
  select case when pg_catalog.current_setting('role') = 'none' then session_user::text
              else pg_catalog.current_setting('role') end
$$;

-- policy_grants: for the length of one CREATE/ALTER/DROP POLICY run as postgres,
-- postgres is a member of supabase_storage_admin (the owner of the storage tables),
-- which is what ownership checks on policies look for. ddl_command_end takes it back;
-- a failing command rolls the grant back with everything else.
create or replace function supabase_local.grant_storage_policy_rights() returns event_trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if supabase_local.invoking_role() = 'postgres'
     and not pg_catalog.pg_has_role('postgres', 'supabase_storage_admin', 'MEMBER') then
    grant supabase_storage_admin to postgres;
    perform pg_catalog.set_config('supabase_local.policy_rights_granted', 'on', true);
  end if;
end
$$;

create or replace function supabase_local.revoke_storage_policy_rights() returns event_trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if pg_catalog.current_setting('supabase_local.policy_rights_granted', true) = 'on' then
    revoke supabase_storage_admin from postgres;
    perform pg_catalog.set_config('supabase_local.policy_rights_granted', '', true);
  end if;
end
$$;

drop event trigger if exists supabase_local_policy_grants_start;
create event trigger supabase_local_policy_grants_start on ddl_command_start
  when tag in ('CREATE POLICY', 'ALTER POLICY', 'DROP POLICY')
  execute function supabase_local.grant_storage_policy_rights();
drop event trigger if exists supabase_local_policy_grants_end;
create event trigger supabase_local_policy_grants_end on ddl_command_end
  when tag in ('CREATE POLICY', 'ALTER POLICY', 'DROP POLICY')
  execute function supabase_local.revoke_storage_policy_rights();

-- privileged_extensions: when postgres runs CREATE EXTENSION for one of these and it
-- is not installed yet, it is created first as supabase_admin (pg_cron in pg_catalog,
-- as the platform's extensions_parameter_overrides say; the rest in extensions); the
-- statement itself then finds it installed, so write `create extension if not exists`.
-- The grants after pg_cron are the platform's after-create script for it.
create or replace function supabase_local.create_privileged_extensions() returns event_trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  wanted text;
begin
  if supabase_local.invoking_role() <> 'postgres'
     or pg_catalog.current_setting('supabase_local.creating_extension', true) = 'on' then
    return;
  end if;
  for wanted in
    select distinct pg_catalog.lower(m[2])
      from pg_catalog.regexp_matches(pg_catalog.current_query(),
             'create\s+extension\s+(if\s+not\s+exists\s+)?"?([a-z0-9_-]+)"?', 'gi') m
  loop
    continue when wanted not in ('pg_cron', 'pgtap', 'plpgsql_check', 'pg_stat_statements')
               or exists (select 1 from pg_catalog.pg_extension e where e.extname = wanted);
    perform pg_catalog.set_config('supabase_local.creating_extension', 'on', true);
    if wanted = 'pg_cron' then
      create extension pg_cron schema pg_catalog;
      grant usage on schema cron to postgres with grant option;
      grant all on all functions in schema cron to postgres with grant option;
      alter default privileges for user supabase_admin in schema cron grant all
        on sequences to postgres with grant option;
      alter default privileges for user supabase_admin in schema cron grant all
        on tables to postgres with grant option;
      alter default privileges for user supabase_admin in schema cron grant all
        on functions to postgres with grant option;
      grant all privileges on all tables in schema cron to postgres with grant option;
      revoke all on table cron.job from postgres;
      grant select on table cron.job to postgres with grant option;
      revoke trigger on cron.job_run_details from postgres;
    else
      execute pg_catalog.format('create extension %I schema extensions', wanted);
    end if;
    perform pg_catalog.set_config('supabase_local.creating_extension', '', true);
  end loop;
end
$$;

drop event trigger if exists supabase_local_privileged_extensions;
create event trigger supabase_local_privileged_extensions on ddl_command_start
  when tag in ('CREATE EXTENSION')
  execute function supabase_local.create_privileged_extensions();

revoke all on all functions in schema supabase_local from public;
