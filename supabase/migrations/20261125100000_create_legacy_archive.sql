-- v2.1 cleans data that v2.0 accepted without rules (JSONB lists, free-text statuses,
-- strings posing as JSON objects). Whatever cannot be mapped onto the new rules is
-- kept here with its original JSON and the reason, never silently dropped. The
-- archive lives in a schema the Data API does not expose.

create schema if not exists private;
revoke all on schema private from public, anon, authenticated;

create table private.legacy_profile_entries (
  id bigint generated always as identity primary key,
  -- Nullable: a few archived values (template preview URLs) belong to no user.
  user_id uuid references auth.users (id) on delete cascade,
  source text not null,
  entry jsonb not null,
  reason text not null,
  archived_at timestamptz not null default now()
);
create index idx_legacy_profile_entries_user_id on private.legacy_profile_entries (user_id);
create index idx_legacy_profile_entries_source on private.legacy_profile_entries (source);

revoke all on private.legacy_profile_entries from public, anon, authenticated;

comment on table private.legacy_profile_entries is
  'Values the v2.1 upgrade could not map onto the new schema, kept verbatim with the reason.';
comment on column private.legacy_profile_entries.source is
  'Where the value came from, as table.column (e.g. user_profile.skills, jobs.status).';
comment on column private.legacy_profile_entries.entry is
  'The original JSON entry, or the whole original row for column-level fixes.';
comment on column private.legacy_profile_entries.reason is 'Why the value could not be mapped.';
