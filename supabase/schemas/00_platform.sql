-- Platform: what every domain builds on. The private schema (never exposed by the Data
-- API) holds SECURITY DEFINER bodies, internal tables and the upgrade archive; the
-- closed default privileges make every new object start with no grant; the error-code
-- list, the shared updated_at trigger and the row-quota machinery are used by every
-- table that follows.

create schema if not exists private;
revoke all on schema private from public;
-- Wrappers in public reach their definer bodies in private, so the calling roles need
-- USAGE on the schema; what they may run there is still decided per function, and no
-- table in private is granted to them.
grant usage on schema private to anon, authenticated, service_role;

-- On Supabase, tables, sequences and functions that postgres creates in public are
-- granted to anon, authenticated and service_role automatically, and every function
-- anywhere is executable by PUBLIC. New objects start closed in both grant regimes
-- (auto_expose_new_tables on or off) and each domain grants what it needs next to its
-- policies. So no function below revokes anything: each is created callable by no API
-- role and names who may call it with one grant after its body (none for trigger and
-- internal functions); a grant forgotten fails closed. pgTAP's 11-schema-security.sql pins
-- every function's grants in both regimes.
alter default privileges for role postgres in schema public
  revoke all on tables from anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  revoke all on sequences from anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  revoke all on functions from anon, authenticated, service_role;
-- EXECUTE for PUBLIC is a global default; a per-schema default cannot take it away
-- (per-schema defaults only add to the global ones), so revoke it globally.
alter default privileges for role postgres
  revoke execute on functions from public;

create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pgcrypto with schema extensions;
-- Job search: trigram similarity for typo-tolerant matching, and GIN over plain columns.
create extension if not exists pg_trgm with schema extensions;
create extension if not exists btree_gin with schema extensions;

-- pg_cron runs the nightly and hourly jobs the domains schedule (40_wizard, 50_share_links,
-- 60_ai). On Supabase (hosted and `supabase start`) it is preloaded but not created until
-- someone enables it; here it is created wherever the server can run it in this
-- database (into pg_catalog, as the platform allows). Where it cannot, a NOTICE names
-- the reason, and private.schedule_job (below) says for each job what to run instead.
do $$
declare
  cron_database text := pg_catalog.current_setting('cron.database_name', true);
  reason text;
begin
  if not exists (select 1 from pg_catalog.pg_available_extensions where name = 'pg_cron') then
    reason := 'the server has no pg_cron extension';
  elsif cron_database is null or cron_database = '' then
    reason := 'pg_cron is not in shared_preload_libraries';
  elsif cron_database <> pg_catalog.current_database() then
    reason := pg_catalog.format('pg_cron runs in database %I only (cron.database_name)', cron_database);
  end if;
  if reason is null then
    create extension if not exists pg_cron with schema pg_catalog;
  else
    raise notice 'pg_cron is not available here (%): the scheduled jobs must run elsewhere', reason;
  end if;
end
$$;

-- Tables

create table private.error_codes (
  sqlstate text primary key,
  http_status integer not null,
  meaning text not null,
  constraint error_codes_http_status_is_an_error check ((http_status >= 400) and (http_status <= 599)),
  constraint error_codes_sqlstate_is_explicit check ((sqlstate ~ '^[0-9A-Z]{5}$') and (sqlstate <> 'P0001'))
);
comment on table private.error_codes is $$The SQLSTATEs our RPCs, triggers and constraints answer with, and the HTTP status each means (PostgREST and the edge functions alike). Every RAISE uses one of them; add a row for a new one.$$;

create table private.legacy_profile_entries (
  id bigint primary key generated always as identity not null,
  user_id uuid references auth.users (id) on delete cascade,
  source text not null,
  entry jsonb not null,
  reason text not null,
  archived_at timestamptz not null default now()
);
comment on table private.legacy_profile_entries is $$Values the v2.1 upgrade could not map onto the new schema, kept verbatim with the reason.$$;
comment on column private.legacy_profile_entries.source is $$Where the value came from, as table.column (e.g. user_profile.skills, jobs.status).$$;
comment on column private.legacy_profile_entries.entry is $$The original JSON entry, or the whole original row for column-level fixes.$$;
comment on column private.legacy_profile_entries.reason is $$Why the value could not be mapped.$$;

-- Functions the indexes, triggers and policies below call (they must exist first)

-- The spec's trigger function, with its search_path pinned (Supabase's advisors flag a
-- mutable one: a caller could shadow now()).
create function public.update_updated_at_column() returns trigger language plpgsql set search_path = '' as $$
begin
  new.updated_at = now();
  return new;
end;
$$;
comment on function public.update_updated_at_column() is $$Trigger function: sets updated_at to now() on every update.$$;

-- A helper of the schema load only (99_after_load.sql calls it once every table exists,
-- then drops it): every public table with an updated_at column keeps it with the trigger
-- above, named update_<table>_updated_at. A trigger fires in name order among its
-- table's triggers whenever it was created, so making them all at the end changes nothing.
create procedure private.add_updated_at_triggers() language plpgsql set search_path = '' as $$
declare
  tbl record;
begin
  for tbl in
    select c.oid::regclass as name, c.relname
    from pg_catalog.pg_class c
    join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attname = 'updated_at' and not a.attisdropped
    where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
    order by c.relname
  loop
    execute pg_catalog.format('create trigger %I before update on %s for each row execute function public.update_updated_at_column()',
                              'update_' || tbl.relname || '_updated_at', tbl.name);
  end loop;
end;
$$;

-- A helper of the schema load only (99_after_load.sql drops it; no migration has it): the
-- policies of a table whose rows belong to the user named in user_id, one per command,
-- for authenticated only, each created exactly as if written out; (select auth.uid()) is
-- evaluated once per statement, not once per row. A null name: no such policy (the
-- domain writes it out, for instance an insert that also checks a state).
-- The rule for links to other rows, written once: each column in insert_references (and
-- in update_references, for the columns an update may change) must name a row of the
-- caller's own in the table its foreign key references, checked with
-- `col in (select p.id from parent p where p.user_id = (select auth.uid()))` (the style
-- guide's form: no join, an index behind the parent's user_id), or be null where the
-- column allows it. The alias is the parent's initials (jobs j, generated_resumes gr).
create procedure private.create_owner_policies(
  tbl regclass, select_policy text, insert_policy text, update_policy text, delete_policy text,
  insert_references text[] default '{}', update_references text[] default '{}'
) language plpgsql set search_path = '' as $$
declare
  owner_check constant text := '(select auth.uid()) = user_id';
begin
  if select_policy is not null then
    execute format('create policy %I on %s for select to authenticated using (%s)', select_policy, tbl, owner_check);
  end if;
  if insert_policy is not null then
    execute format('create policy %I on %s for insert to authenticated with check (%s)', insert_policy, tbl,
                   owner_check || private.owned_references_check(tbl, insert_references));
  end if;
  if update_policy is not null then
    execute format('create policy %I on %s for update to authenticated using (%s) with check (%s)', update_policy, tbl,
                   owner_check, owner_check || private.owned_references_check(tbl, update_references));
  end if;
  if delete_policy is not null then
    execute format('create policy %I on %s for delete to authenticated using (%s)', delete_policy, tbl, owner_check);
  end if;
end;
$$;

-- For create_owner_policies: ` and <check>` for each reference column, in the order given.
create function private.owned_references_check(tbl regclass, columns text[]) returns text language plpgsql stable set search_path = '' as $$
declare
  col text;
  parent regclass;
  alias text;
  nullable boolean;
  checks text := '';
begin
  foreach col in array columns loop
    select con.confrelid::regclass, not a.attnotnull into parent, nullable
      from pg_catalog.pg_constraint con
      join pg_catalog.pg_attribute a on a.attrelid = con.conrelid and a.attnum = con.conkey[1]
     where con.conrelid = tbl and con.contype = 'f' and pg_catalog.cardinality(con.conkey) = 1 and a.attname = col;
    if parent is null then
      raise exception '%.% has no foreign key of its own: a reference check needs one', tbl, col;
    end if;
    select pg_catalog.string_agg(pg_catalog.left(w.word, 1), '' order by w.n) into alias
      from pg_catalog.regexp_split_to_table((select c.relname from pg_catalog.pg_class c where c.oid = parent), '_')
           with ordinality w(word, n);
    checks := checks || format(case when nullable then ' and (%1$I is null or %1$I in %2$s)' else ' and %1$I in %2$s' end,
                               col, format('(select %1$I.id from %2$s %1$I where %1$I.user_id = (select auth.uid()))', alias, parent));
  end loop;
  return checks;
end;
$$;

-- A helper of the schema load only (99_after_load.sql drops it): schedules a domain's job
-- with pg_cron where this database has it (a job name replaces the job of that name),
-- else says in a NOTICE what to run instead. The drift gate and db:diff read the jobs
-- from the text of these calls (scheduledJobs in scripts/lib/declared-schema.mjs), so
-- each call names its job, schedule and command as literals.
create procedure private.schedule_job(job_name text, schedule text, command text) language plpgsql set search_path = '' as $$
begin
  if exists (select 1 from pg_catalog.pg_extension where extname = 'pg_cron') then
    perform cron.schedule(job_name, schedule, command);
  else
    raise notice 'pg_cron is not available here: run % on the schedule % (UTC) from another scheduler, as postgres',
      command, schedule;
  end if;
end;
$$;

-- A helper of the schema load only (99_after_load.sql drops it): the grants of a table in
-- the API, each made exactly as if written out. service_role reads and writes every row;
-- anon gets nothing; authenticated reads (RLS picks the rows), deletes when may_delete,
-- and inserts and updates only the columns listed (a null list: none), because
-- timestamps and what triggers or RPCs set are the server's (a forged one is 42501;
-- 60-server-owned-columns.sql pins every table).
create procedure private.grant_table_access(
  tbl regclass, may_delete boolean, insert_columns text[] default null, update_columns text[] default null
) language plpgsql set search_path = '' as $$
begin
  execute format('revoke all on table %s from public, anon, authenticated, service_role', tbl);
  execute format('grant select, insert, update, delete on table %s to service_role', tbl);
  execute format('grant %s on table %s to authenticated', case when may_delete then 'select, delete' else 'select' end, tbl);
  if insert_columns is not null then
    execute format('grant insert (%s) on table %s to authenticated',
                   (select string_agg(format('%I', c), ', ') from unnest(insert_columns) c), tbl);
  end if;
  if update_columns is not null then
    execute format('grant update (%s) on table %s to authenticated',
                   (select string_agg(format('%I', c), ', ') from unnest(update_columns) c), tbl);
  end if;
end;
$$;

-- A helper of the schema load only (99_after_load.sql calls it once every table exists,
-- then drops it): comments that follow from a rule are written once, here, for every
-- public table. A column or constraint whose domain file comments it (because it says
-- more there: interviews.id is also the calendar UID) keeps that comment.
-- * The columns most tables share mean the same in each. user_id is described as
--   defaulting to the signed-in user, so a table whose user_id does not must say what
--   it does instead.
-- * A size check `<table>_<column>_size` on octet_length (see cut_to_bytes below) is
--   described by its own limit, so the number is written once, in the check.
create procedure private.add_standard_comments() language plpgsql set search_path = '' as $$
declare
  standard constant jsonb := pg_catalog.jsonb_build_object(
    'id', 'Primary key.',
    'user_id', 'The owner (auth.users.id); defaults to the signed-in user.',
    'created_at', 'When the row was created.',
    'updated_at', 'When the row last changed (set by trigger).');
  col record;
  size_check record;
begin
  for col in
    select c.oid::regclass as tbl, a.attname as name, pg_catalog.pg_get_expr(d.adbin, d.adrelid) as default_value
    from pg_catalog.pg_class c
    join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    left join pg_catalog.pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
    where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
      and standard ? a.attname::text and pg_catalog.col_description(c.oid, a.attnum) is null
    order by 1, 2
  loop
    if col.name = 'user_id' and col.default_value is distinct from 'auth.uid()' then
      raise exception '%.user_id does not default to auth.uid(): comment it in its domain file', col.tbl;
    end if;
    execute pg_catalog.format('comment on column %s.%I is %L', col.tbl, col.name, standard ->> col.name::text);
  end loop;
  for size_check in
    select k.conname, k.conrelid::regclass as tbl, m[1] as column_name, m[2] as max_bytes
    from pg_catalog.pg_constraint k
    join pg_catalog.pg_class c on c.oid = k.conrelid,
         pg_catalog.regexp_match(pg_catalog.pg_get_constraintdef(k.oid),
                                 '^CHECK \(\(octet_length\(\(?([a-z_0-9]+)(?:\)::text)?\) <= ([0-9]+)\)\)$') m
    where k.connamespace = 'public'::regnamespace and k.contype = 'c'
      and k.conname = pg_catalog.format('%s_%s_size', c.relname, m[1])
      and pg_catalog.obj_description(k.oid, 'pg_constraint') is null
    order by 1
  loop
    execute pg_catalog.format('comment on constraint %I on %s is %L', size_check.conname, size_check.tbl,
                              pg_catalog.format('%s is at most %s bytes.', size_check.column_name, size_check.max_bytes));
  end loop;
end;
$$;

-- Every free-text and JSON column has a named CHECK `<table>_<column>_size` on its size in
-- bytes (octet_length of the text, or of the JSON's text form), with limits generous for
-- real use (32 KB job description, 32 KB resume version, ...; varchar(n) columns are
-- bounded by their type): one request cannot store 50 MB that every later read pays for.
-- A violation is 23514 (PostgREST: 400). ai_events.error is a log, which can be long (a
-- model's HTML error page): an insert cuts it to 4 KB with this function instead of failing.
create function private.cut_to_bytes(value text, max_bytes integer) returns text language plpgsql immutable set search_path = '' as $$
declare
  kept text := pg_catalog.left(value, max_bytes);
begin
  -- A character is 1 to 4 bytes in UTF-8: drop at least a quarter of the excess each
  -- round, so this ends in a few rounds, on a character boundary.
  while pg_catalog.octet_length(kept) > max_bytes loop
    kept := pg_catalog.left(kept, pg_catalog.char_length(kept)
                                  - greatest(1, (pg_catalog.octet_length(kept) - max_bytes + 3) / 4));
  end loop;
  return kept;
end
$$;
grant execute on function private.cut_to_bytes(value text, max_bytes integer) to authenticated, service_role;
comment on function private.cut_to_bytes(value text, max_bytes integer) is $$The longest prefix of value (whole characters) that fits in max_bytes bytes of UTF-8.$$;

-- What an error message may show of a client's input: the first 40 characters (the same
-- bound the functions' safeMessage keeps), so a 100 KB argument is never echoed back.
create function private.excerpt(value text) returns text language sql immutable set search_path = '' as $$
  select case when pg_catalog.char_length(value) > 40 then pg_catalog.left(value, 40) || '…' else value end
$$;
grant execute on function private.excerpt(value text) to authenticated;
comment on function private.excerpt(value text) is $$At most the first 40 characters of a client’s value, for an error message.$$;

-- PostgREST answers Prefer: count=planned and count=estimated from the planner's
-- statistics, which describe every user's rows (`jobs?status=eq.applied` with one own job
-- answered */1251). RLS cannot hide them: the estimate is read before any row is. This
-- check refuses them (400, 22023) for the API roles; it reads the Prefer header PostgREST
-- publishes in request.headers, so it must run in PostgREST's db-pre-request, which calls
-- it. count=exact counts only the caller's rows and is unaffected.
create function private.refuse_estimated_counts() returns void language plpgsql stable set search_path = '' as $$
declare
  prefer text := coalesce(nullif(pg_catalog.current_setting('request.headers', true), '')::jsonb ->> 'prefer', '');
begin
  if current_user in ('anon', 'authenticated') and prefer ~* '(^|[,;[:space:]])count[[:space:]]*=[[:space:]]*(planned|estimated)' then
    raise exception 'Prefer: count=planned and count=estimated are not offered: they read statistics over every user''s rows.'
      using errcode = '22023', hint = 'Ask for Prefer: count=exact, which counts your own rows.';
  end if;
end
$$;
grant execute on function private.refuse_estimated_counts() to anon, authenticated, service_role;
comment on function private.refuse_estimated_counts() is $$For PostgREST’s db-pre-request: refuses Prefer: count=planned|estimated for anon and authenticated (400, 22023), whose numbers are planner statistics over every user’s rows.$$;

-- Grants: none on the internal tables. Supabase grants the API roles tables in public
-- only, so a table in private starts readable by no API role and none is granted one;
-- 11-schema-security.sql fails if any API role can read or write one.

-- Every SQLSTATE a RAISE, trigger or constraint of ours answers with, and the status a
-- client sees (PostgREST's mapping; PTxyz answers xyz). A domain that needs a new code
-- adds its row here.
insert into private.error_codes (sqlstate, http_status, meaning) values
  ('22023', 400, 'An argument is malformed or out of range (invalid_parameter_value).'),
  ('23503', 409, 'A row names another that does not exist or is not allowed (foreign_key_violation): a render outside the renders bucket.'),
  ('23505', 409, 'A uniqueness rule refused a second row (unique_violation): one job per URL, one skill or language name per user.'),
  ('23514', 400, 'A row breaks a named CHECK rule (check_violation); triggers that check a row raise it too.'),
  ('42501', 403, 'Not allowed, or not signed in (insufficient_privilege); PostgREST answers 401 when the caller is anon.'),
  ('PT404', 404, 'Not found, or not yours: the two are never told apart.'),
  ('PT409', 409, 'The row''s state forbids the change now: a wizard session or template no longer active, a start that lost every race.'),
  ('PT413', 413, 'Too large for one answer: export_my_data() past its 32 MB document (details: export_too_large); export_my_data_page() pages it.')
on conflict (sqlstate) do nothing;

-- Indexes

create index idx_legacy_profile_entries_source on private.legacy_profile_entries (source);
create index idx_legacy_profile_entries_user_id on private.legacy_profile_entries (user_id);

