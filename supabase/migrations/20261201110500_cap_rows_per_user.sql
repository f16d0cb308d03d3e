-- Why: nothing bounded how many rows one user may keep: 50,000 jobs went in through the
-- API, and every list, prompt builder and export then read them all. Each table a client
-- fills now has a per-user row cap, held in private.row_quotas (one row per table, the
-- only place the numbers live; the README lists them):
--   user_profile 1, jobs 5,000, job_status_events 50,000 (written by the jobs trigger),
--   user_skills 500, user_work_experience 100, user_education 50, user_languages 50,
--   resumes 100, resume_builder_data 100, wizard_sessions 200, generated_resumes 100,
--   cover_letters 1,000, ai_events 20,000 per UTC day;
-- and generated_resume_versions 100 per generated resume (version_number <= 100: the
-- numbers are gap-free and assigned under a lock, so the number is the count).
--
-- Cheap and race-free: a counter per (user, table) in private.row_quota_usage, kept by
-- statement triggers with transition tables (one primary-key upsert per owner per
-- statement, no count(*) of the table). The upsert takes
-- the counter's row lock, so concurrent inserts by one user queue on it and each sees
-- the others' committed increments: check-then-act cannot race. Other users never wait. Going over a cap is SQLSTATE 23514 (check_violation, named
-- `<table>_rows_per_user`; PostgREST answers 400) and the whole statement changes nothing.
--
-- Existing rows over a cap are archived whole in private.legacy_profile_entries (source
-- `<table>.rows_per_user`, with the rows that would cascade with them) and removed; the
-- newest rows stay (for user_profile the oldest, the one the RPCs read). Bulk loads that turn triggers off (session_replication_role =
-- replica) must run private.recount_row_quota_usage() afterwards.

create table private.row_quotas (
  table_name text primary key,
  max_rows integer not null check (max_rows >= 1),
  per text not null default 'user' check (per in ('user', 'user and UTC day'))
);
revoke all on private.row_quotas from public, anon, authenticated, service_role;
comment on table private.row_quotas is 'Per-user row caps of the tables clients fill (documented in the README).';

insert into private.row_quotas (table_name, max_rows, per) values
  ('user_profile', 1, 'user'),
  ('jobs', 5000, 'user'),
  ('job_status_events', 50000, 'user'),
  ('user_skills', 500, 'user'),
  ('user_work_experience', 100, 'user'),
  ('user_education', 50, 'user'),
  ('user_languages', 50, 'user'),
  ('resumes', 100, 'user'),
  ('resume_builder_data', 100, 'user'),
  ('wizard_sessions', 200, 'user'),
  ('generated_resumes', 100, 'user'),
  ('cover_letters', 1000, 'user'),
  ('ai_events', 20000, 'user and UTC day');

create table private.row_quota_usage (
  user_id uuid not null references auth.users (id) on delete cascade,
  -- The table name, or for per-day quotas `<table>@YYYY-MM-DD` (UTC).
  scope text not null,
  used integer not null check (used >= 0),
  primary key (user_id, scope)
);
revoke all on private.row_quota_usage from public, anon, authenticated, service_role;
comment on table private.row_quota_usage is
  'How many rows each user holds per capped table (per UTC day for ai_events); kept by the row-quota triggers.';

-- The scope a row is counted in, as SQL over a row alias: `<table>` or `ai_events@day`.
create or replace function private.row_quota_scope_sql(table_name text, row_alias text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case when table_name = 'ai_events'
              then pg_catalog.format($f$'ai_events@' || pg_catalog.to_char(%I.created_at at time zone 'UTC', 'YYYY-MM-DD')$f$, row_alias)
              else pg_catalog.quote_literal(table_name) end
$$;
revoke execute on function private.row_quota_scope_sql(text, text) from public;

-- The scope of one row: the table, or `ai_events@<UTC day>`.
create or replace function private.row_quota_scope(table_name text, created_at timestamptz)
returns text
language sql
immutable
set search_path = ''
as $$
  select case when table_name = 'ai_events'
              then 'ai_events@' || pg_catalog.to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')
              else table_name end
$$;
revoke execute on function private.row_quota_scope(text, timestamptz) from public;

-- AFTER INSERT ... FOR EACH STATEMENT, with the inserted rows as transition table
-- `added`: one primary-key upsert per owner per statement, whatever the row count.
-- SECURITY DEFINER: the counters live where no API role may write; the body touches
-- only them. (A branch not taken is never planned, so only ai_events reads created_at.)
create or replace function private.count_added_rows()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  quota integer;
  over_used integer;
begin
  select q.max_rows into quota from private.row_quotas q where q.table_name = tg_table_name;
  if tg_table_name = 'ai_events' then
    with per_owner as (
      select a.user_id, private.row_quota_scope(tg_table_name, a.created_at) as scope, count(*)::integer as n
        from added a group by 1, 2 order by 1, 2
    ), counted as (
      insert into private.row_quota_usage as u (user_id, scope, used)
      select p.user_id, p.scope, p.n from per_owner p
      on conflict (user_id, scope) do update set used = u.used + excluded.used
      returning u.used
    )
    select max(c.used) into over_used from counted c where c.used > quota;
  else
    with per_owner as (
      select a.user_id, count(*)::integer as n from added a group by 1 order by 1
    ), counted as (
      insert into private.row_quota_usage as u (user_id, scope, used)
      select p.user_id, tg_table_name, p.n from per_owner p
      on conflict (user_id, scope) do update set used = u.used + excluded.used
      returning u.used
    )
    select max(c.used) into over_used from counted c where c.used > quota;
  end if;
  if over_used is not null then
    raise exception 'This account already holds the most % rows it may keep (%).', tg_table_name, quota
      using errcode = '23514',
            constraint = tg_table_name || '_rows_per_user',
            detail = pg_catalog.format('The cap on %s is %s rows per %s; this statement would make it %s.',
                                       tg_table_name, quota,
                                       case when tg_table_name = 'ai_events' then 'user and UTC day' else 'user' end,
                                       over_used),
            hint = 'Delete rows you no longer need, then try again.';
  end if;
  return null;
end
$$;
comment on function private.count_added_rows() is
  'Trigger (after insert, per statement): counts the new rows for their owners and refuses the statement (23514) past the cap in private.row_quotas.';
revoke execute on function private.count_added_rows() from public, anon, authenticated, service_role;

-- AFTER DELETE ... FOR EACH STATEMENT, transition table `removed`.
create or replace function private.count_removed_rows()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_table_name = 'ai_events' then
    update private.row_quota_usage u
       set used = greatest(0, u.used - r.n)
      from (select a.user_id, private.row_quota_scope(tg_table_name, a.created_at) as scope, count(*)::integer as n
              from removed a group by 1, 2) r
     where u.user_id = r.user_id and u.scope = r.scope;
    -- A day whose rows are all gone (the retention job rolls old days up) keeps no counter.
    delete from private.row_quota_usage u
     using (select distinct a.user_id, private.row_quota_scope(tg_table_name, a.created_at) as scope from removed a) r
     where u.user_id = r.user_id and u.scope = r.scope and u.used = 0;
  else
    update private.row_quota_usage u
       set used = greatest(0, u.used - r.n)
      from (select a.user_id, count(*)::integer as n from removed a group by 1) r
     where u.user_id = r.user_id and u.scope = tg_table_name;
  end if;
  return null;
end
$$;
comment on function private.count_removed_rows() is
  'Trigger (after delete, per statement): takes the deleted rows off their owners'' counts.';
revoke execute on function private.count_removed_rows() from public, anon, authenticated, service_role;

-- AFTER UPDATE OF user_id (and created_at for ai_events) ... FOR EACH ROW, only when the
-- owner (or day) changes: moves the row's count, within the new owner's cap. API roles
-- cannot update these columns; the service role and the owner can.
create or replace function private.count_moved_row()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  old_scope text := tg_table_name;
  new_scope text := tg_table_name;
  quota integer;
  now_used integer;
begin
  if tg_table_name = 'ai_events' then
    old_scope := private.row_quota_scope(tg_table_name, old.created_at);
    new_scope := private.row_quota_scope(tg_table_name, new.created_at);
  end if;
  update private.row_quota_usage u
     set used = greatest(0, u.used - 1)
   where u.user_id = old.user_id and u.scope = old_scope;
  insert into private.row_quota_usage as u (user_id, scope, used)
  values (new.user_id, new_scope, 1)
  on conflict (user_id, scope) do update set used = u.used + 1
  returning u.used into now_used;
  select q.max_rows into quota from private.row_quotas q where q.table_name = tg_table_name;
  if now_used > quota then
    raise exception 'This account already holds the most % rows it may keep (%).', tg_table_name, quota
      using errcode = '23514', constraint = tg_table_name || '_rows_per_user',
            hint = 'Delete rows you no longer need, then try again.';
  end if;
  return null;
end
$$;
comment on function private.count_moved_row() is
  'Trigger (after update of the owner, per row): moves the row''s count to its new owner, within the cap.';
revoke execute on function private.count_moved_row() from public, anon, authenticated, service_role;

-- AFTER TRUNCATE: the table is empty for everyone.
create or replace function private.forget_truncated_rows()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from private.row_quota_usage u
   where u.scope = tg_table_name or u.scope like tg_table_name || '@%';
  return null;
end
$$;
revoke execute on function private.forget_truncated_rows() from public, anon, authenticated, service_role;

-- Recomputes every counter from the tables (after a load with triggers off).
create or replace function private.recount_row_quota_usage()
returns void
language plpgsql
volatile
set search_path = ''
as $$
declare
  q record;
begin
  delete from private.row_quota_usage;
  for q in select * from private.row_quotas loop
    execute pg_catalog.format(
      $sql$
      insert into private.row_quota_usage (user_id, scope, used)
      select a.user_id, %2$s, count(*)::integer from public.%1$I a
       where a.user_id is not null
       group by 1, 2
      $sql$, q.table_name, private.row_quota_scope_sql(q.table_name, 'a'));
  end loop;
end
$$;
comment on function private.recount_row_quota_usage() is
  'Rebuilds private.row_quota_usage from the tables; run after a bulk load with triggers disabled.';
revoke execute on function private.recount_row_quota_usage() from public, anon, authenticated, service_role;

-- Archive and remove what is over a cap today: per owner (and day for ai_events), the
-- newest rows stay. Rows that would cascade with a removed row go into its entry.
do $$
declare
  q record;
  moved integer;
begin
  for q in select * from private.row_quotas order by table_name loop
    execute pg_catalog.format(
      $sql$
      with ranked as (
        select a.id, a.user_id,
               row_number() over (partition by a.user_id, %2$s
                                  order by a.%5$I %6$s nulls last, a.id %6$s) as n
          from public.%1$I a
      ), over_cap as (
        delete from public.%1$I a using ranked r
         where r.id = a.id and r.n > %3$s
        returning a.*
      )
      insert into private.legacy_profile_entries (user_id, source, entry, reason)
      select o.user_id, %4$L,
             to_jsonb(o) || case %1$L
               when 'jobs' then pg_catalog.jsonb_build_object(
                 'job_status_events', (select coalesce(jsonb_agg(to_jsonb(e)), '[]') from public.job_status_events e where e.job_id = o.id),
                 'cover_letters', (select coalesce(jsonb_agg(to_jsonb(c)), '[]') from public.cover_letters c where c.job_id = o.id))
               when 'generated_resumes' then pg_catalog.jsonb_build_object(
                 'generated_resume_versions', (select coalesce(jsonb_agg(to_jsonb(v)), '[]') from public.generated_resume_versions v where v.generated_resume_id = o.id))
               else '{}'::jsonb end,
             'more than the ' || %3$s || ' rows one user may keep in ' || %1$L || '; the others were kept'
        from over_cap o
      $sql$, q.table_name, private.row_quota_scope_sql(q.table_name, 'a'), q.max_rows,
             q.table_name || '.rows_per_user',
             case when q.table_name = 'job_status_events' then 'changed_at' else 'created_at' end,
             -- The profile the RPCs have been reading is the oldest: keep that one.
             case when q.table_name = 'user_profile' then 'asc' else 'desc' end);
    get diagnostics moved = row_count;
    if moved > 0 then
      raise notice '%: % row(s) over the per-user cap of % archived to private.legacy_profile_entries and removed',
        q.table_name, moved, q.max_rows;
    end if;
  end loop;
end
$$;

-- Versions beyond 100 per resume: archived, removed, and current_version follows.
do $$
declare
  moved integer;
begin
  with over_cap as (
    delete from public.generated_resume_versions v where v.version_number > 100 returning v.*
  )
  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select gr.user_id, 'generated_resume_versions.versions_per_resume', to_jsonb(o),
         'version number over 100, the most one resume may keep'
    from over_cap o join public.generated_resumes gr on gr.id = o.generated_resume_id;
  get diagnostics moved = row_count;
  if moved > 0 then
    update public.generated_resumes gr
       set current_version = (select max(v.version_number) from public.generated_resume_versions v where v.generated_resume_id = gr.id)
     where gr.current_version > 100;
    raise notice 'generated_resume_versions: % version(s) over 100 per resume archived and removed', moved;
  end if;
end
$$;

alter table public.generated_resume_versions
  add constraint generated_resume_versions_versions_per_resume check (version_number <= 100);
comment on constraint generated_resume_versions_versions_per_resume on public.generated_resume_versions is
  'A generated resume keeps at most 100 versions (numbers are gap-free, so the number is the count).';

select private.recount_row_quota_usage();

do $$
declare
  q record;
begin
  for q in select * from private.row_quotas loop
    execute pg_catalog.format(
      'create trigger %1$I after insert on public.%2$I referencing new table as added
         for each statement execute function private.count_added_rows()',
      q.table_name || '_rows_counted_on_insert', q.table_name);
    execute pg_catalog.format(
      'create trigger %1$I after delete on public.%2$I referencing old table as removed
         for each statement execute function private.count_removed_rows()',
      q.table_name || '_rows_counted_on_delete', q.table_name);
    execute pg_catalog.format(
      'create trigger %1$I after update of %3$s on public.%2$I for each row
         when (old.user_id is distinct from new.user_id%4$s)
         execute function private.count_moved_row()',
      q.table_name || '_rows_counted_on_owner_change', q.table_name,
      case when q.table_name = 'ai_events' then 'user_id, created_at' else 'user_id' end,
      case when q.table_name = 'ai_events' then ' or old.created_at is distinct from new.created_at' else '' end);
    execute pg_catalog.format(
      'create trigger %1$I after truncate on public.%2$I
         for each statement execute function private.forget_truncated_rows()',
      q.table_name || '_rows_forgotten_on_truncate', q.table_name);
  end loop;
end
$$;
