-- Account: what a user holds as a whole. Row quotas cap every table a client fills (the
-- counting triggers for each capped table are made here, from the list); export_my_data
-- returns every row that refers to the caller; deleting the auth user removes them all
-- (every owner column cascades from auth.users).

-- Tables

create table private.export_exclusions (
  table_name regclass primary key,
  reason text not null,
  constraint export_exclusions_reason_not_blank check (btrim(reason) <> '')
);
comment on table private.export_exclusions is $$Tables holding rows tied to a user that export_my_data() leaves out on purpose, each with the reason.$$;

-- Functions the indexes, triggers and policies below call (they must exist first)

-- Definer so that the invoker export can consult the list without reading private.
create function private.is_excluded_from_export(table_name regclass) returns boolean language sql stable security definer set search_path = '' as $$
  select exists (select 1 from private.export_exclusions x where x.table_name = is_excluded_from_export.table_name)
$$;
grant execute on function private.is_excluded_from_export(table_name regclass) to authenticated;
comment on function private.is_excluded_from_export(table_name regclass) is $$Whether export_my_data() leaves this table out on purpose (listed in private.export_exclusions).$$;

-- The tables of a schema that hold users' rows (a foreign key to auth.users), each with the
-- WHERE clause over alias t that selects the caller's rows ($1 is the caller): the one
-- rule both exports start from. Tables the export leaves out are not listed.
create function private.tables_owned_by_users(schema_name regnamespace) returns table (relname name, owner_filter text) language sql stable set search_path = '' as $$
  select c.relname, pg_catalog.string_agg(pg_catalog.format('t.%I = $1', a.attname), ' or ' order by a.attname)
    from pg_catalog.pg_class c
    join pg_catalog.pg_constraint k on k.conrelid = c.oid and k.contype = 'f' and k.confrelid = 'auth.users'::pg_catalog.regclass
    join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum = k.conkey[1]
   where c.relnamespace = schema_name and c.relkind in ('r', 'p') and not c.relispartition
     and not private.is_excluded_from_export(c.oid)
   group by c.relname
   order by c.relname
$$;
grant execute on function private.tables_owned_by_users(schema_name regnamespace) to authenticated;
comment on function private.tables_owned_by_users(schema_name regnamespace) is $$The tables of a schema with a foreign key to auth.users that the export includes, each with the WHERE clause over alias t selecting the caller’s rows ($1).$$;

create function private.export_my_private_data() returns jsonb language plpgsql stable security definer set search_path = '' as $$
declare
  caller uuid := auth.uid();
  archive jsonb := '{}'::jsonb;
  t record;
  found_rows jsonb;
begin
  if caller is null then
    raise exception 'Downloading your data needs a signed-in user.' using errcode = '42501';
  end if;
  -- Tables in private with a foreign key to auth.users, each filtered on that column.
  for t in select o.relname, o.owner_filter from private.tables_owned_by_users('private') o loop
    execute format('select coalesce(jsonb_agg(to_jsonb(t) order by to_jsonb(t)::text), ''[]'') from private.%I t where %s',
                   t.relname, t.owner_filter)
       into found_rows using caller;
    archive := archive || jsonb_build_object(t.relname, found_rows);
  end loop;
  return jsonb_build_object(
    'account', (select jsonb_build_object('id', u.id, 'email', u.email, 'phone', u.phone,
                                          'created_at', u.created_at, 'email_confirmed_at', u.email_confirmed_at,
                                          'last_sign_in_at', u.last_sign_in_at,
                                          'user_metadata', u.raw_user_meta_data, 'app_metadata', u.raw_app_meta_data)
                  from auth.users u where u.id = caller),
    'archive', archive);
end
$$;
grant execute on function private.export_my_private_data() to authenticated;
comment on function private.export_my_private_data() is $$The caller’s own account record (auth.users) and their rows of every private table with a foreign key to auth.users; definer because the API roles cannot read either.$$;

insert into private.export_exclusions (table_name, reason) values
  ('private.share_views', 'Salted hashes of the other people who opened a share link, kept for an hour to count views once: not the user''s data, and exporting them would let the owner test guesses about their visitors.'),
  ('private.share_link_passwords', 'The bcrypt hash of a share link''s password: a secret no API returns; share_link_password_set_at() says whether a link has one.'),
  ('private.calendar_feeds', 'Only the SHA-256 of the calendar feed''s secret token: it opens nothing and tells the user nothing; calendar_feed_status() says whether a feed exists.'),
  ('public.job_search_documents', 'Derived: each job''s search index entries, computed from the job''s title, company, location and description, which the export holds. At the 5,000-job cap they were most of a 291 MB document that went over jsonb''s size limit.')
on conflict (table_name) do update set reason = excluded.reason;

-- Functions

-- The exported tables of public, read from the catalog on every call: each with the WHERE
-- clause over alias t that selects the caller's rows ($1 is the caller), its primary-key
-- columns and their types (the order rows are exported in, and the paged export's cursor),
-- and an estimate of a row's size in bytes that reads no TOAST (text by its length, other
-- columns by their stored size).
create function private.export_tables()
returns table (relname text, filter text, key_names text[], key_types text[], size_sql text) language plpgsql stable set search_path = '' as $$
declare
  filters jsonb;
  added boolean;
  t record;
begin
  -- Tables with a foreign key to auth.users: rows whose owner column is the caller.
  select coalesce(jsonb_object_agg(o.relname, o.owner_filter), '{}'::jsonb)
    into filters
    from private.tables_owned_by_users('public') o;

  -- Then, until nothing is added: tables pointing at exported tables, rows whose foreign
  -- key matches a row the parent's clause selects (one single-column key per reference).
  -- The parent's clause is nested as a subquery over the parent (its alias t shadows the
  -- child's), so each table is read once, by its keys, and no exported JSON is re-read.
  loop
    added := false;
    for t in
      select c.relname,
             string_agg(format('t.%I in (select t.%I from public.%I t where %s)',
                               a.attname, ra.attname, p.relname, filters ->> p.relname), ' or ' order by a.attname) as filter
        from pg_catalog.pg_class c
        join pg_catalog.pg_constraint k on k.conrelid = c.oid and k.contype = 'f'
        join pg_catalog.pg_class p on p.oid = k.confrelid and p.relnamespace = 'public'::regnamespace
        join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum = k.conkey[1]
        join pg_catalog.pg_attribute ra on ra.attrelid = p.oid and ra.attnum = k.confkey[1]
       where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
         and not private.is_excluded_from_export(c.oid)
         and not filters ? c.relname
         and filters ? p.relname
       group by c.relname
    loop
      filters := filters || jsonb_build_object(t.relname, t.filter);
      added := true;
    end loop;
    exit when not added;
  end loop;

  return query
  select f.key, f.value #>> '{}', pk.names, pk.types,
         (select string_agg(case when a.atttypid in ('text'::regtype, 'varchar'::regtype, 'bytea'::regtype)
                                 then format('coalesce(octet_length(t.%I), 0)', a.attname)
                                 else format('coalesce(pg_column_size(t.%I), 0)', a.attname) end, ' + ')
            from pg_catalog.pg_attribute a
           where a.attrelid = format('public.%I', f.key)::regclass and a.attnum > 0 and not a.attisdropped)
    from jsonb_each(filters) f
   cross join lateral (
         select array_agg(a.attname::text order by pg_catalog.array_position(i.indkey::int2[], a.attnum)) as names,
                array_agg(pg_catalog.format_type(a.atttypid, a.atttypmod) order by pg_catalog.array_position(i.indkey::int2[], a.attnum)) as types
           from pg_catalog.pg_index i
           join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = any (i.indkey::int2[])
          where i.indrelid = format('public.%I', f.key)::regclass and i.indisprimary) pk
   order by f.key;
end
$$;
grant execute on function private.export_tables() to authenticated;
comment on function private.export_tables() is $$The tables export_my_data() and export_my_data_page() read, from the catalog: each with the clause selecting the caller’s rows, its primary key and a row size estimate.$$;

-- Files as the Storage API keeps them: the caller's own folder in every bucket.
create function private.export_storage_objects() returns jsonb language sql stable set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'bucket', o.bucket_id,
           'path', o.name,
           'size', case when o.metadata ->> 'size' ~ '^[0-9]{1,18}$' then (o.metadata ->> 'size')::bigint end,
           'content_type', o.metadata ->> 'mimetype',
           'created_at', o.created_at,
           'updated_at', o.updated_at) order by o.bucket_id, o.name), '[]')
    from storage.objects o
   where (storage.foldername(o.name))[1] = auth.uid()::text
$$;
grant execute on function private.export_storage_objects() to authenticated;
comment on function private.export_storage_objects() is $$The caller’s files as Storage keeps them (their own folder in every bucket), for the export.$$;

-- What an export holds besides the tables, read once per document: the whole one
-- (export_my_data) or the first page (export_my_data_page).
create function private.export_account_part() returns jsonb language plpgsql stable set search_path = '' as $$
declare
  private_part jsonb := private.export_my_private_data();
begin
  return jsonb_build_object(
    'generated_at', pg_catalog.now(),
    'user_id', auth.uid(),
    'account', private_part -> 'account',
    'archive', private_part -> 'archive',
    'storage_objects', private.export_storage_objects());
end
$$;
grant execute on function private.export_account_part() to authenticated;
comment on function private.export_account_part() is $$What an export holds besides the tables: when it was made, the user, the account record, the private archive and the file list.$$;

-- One document of at most 32 MB (estimated before any row is read: text by its length,
-- other columns by their stored size); a larger account is answered 413 (PT413,
-- export_too_large) naming the paged form, export_my_data_page().
create function public.export_my_data() returns jsonb language plpgsql stable security invoker set search_path = '' as $$
declare
  caller uuid := auth.uid();
  max_bytes constant bigint := 32 * 1024 * 1024;
  estimate bigint := 0;
  table_bytes bigint;
  names text[] := '{}'::text[];
  parts jsonb[] := '{}'::jsonb[];
  t record;
  found_rows jsonb;
  too_large boolean := false;
begin
  if caller is null then
    raise exception 'Downloading your data needs a signed-in user.' using errcode = '42501';
  end if;

  begin
    for t in select * from private.export_tables() loop
      execute format('select coalesce(sum(%s), 0) from public.%I t where %s', t.size_sql, t.relname, t.filter)
         into table_bytes using caller;
      estimate := estimate + table_bytes;
      too_large := estimate > max_bytes;
      exit when too_large;
    end loop;

    -- Each table's rows in primary-key order, built once; the document is assembled once
    -- at the end (appending to it table by table copied it again for every table).
    for t in select * from private.export_tables() where not too_large loop
      execute format('select coalesce(jsonb_agg(to_jsonb(t) order by %s), ''[]'') from public.%I t where %s',
                     coalesce((select string_agg(format('t.%I', k), ', ') from unnest(t.key_names) k), 'to_jsonb(t)::text'),
                     t.relname, t.filter)
         into found_rows using caller;
      names := pg_catalog.array_append(names, t.relname);
      parts := pg_catalog.array_append(parts, found_rows);
    end loop;
  exception
    -- A document the estimate let through (it reads stored, compressed sizes of JSON
    -- columns) that still passes jsonb's limit or the statement timeout: the same answer.
    when program_limit_exceeded or query_canceled then
      too_large := true;
  end;
  if too_large then
    raise exception 'Your data is larger than one download holds (32 MB); fetch it page by page with export_my_data_page().'
      using errcode = 'PT413',
            detail = 'export_too_large',
            hint = 'Call export_my_data_page() and then export_my_data_page(after => next) until next is null.';
  end if;

  return private.export_account_part() || jsonb_build_object(
    'format_version', 1,
    'tables', (select coalesce(jsonb_object_agg(n, v), '{}'::jsonb) from unnest(names, parts) as u(n, v)));
end
$$;
grant execute on function public.export_my_data() to authenticated;
comment on function public.export_my_data() is $$Download my data: one JSON document (format_version 1) with the caller’s account, every row they own in every table (found from the catalog), their archived legacy values and their stored files.$$;

-- The same rows page by page, for an account of any size: table by table in name order,
-- each table in primary-key order (keyset: every page reads only the rows after the
-- cursor). A page holds at most 1,000 rows and stops before the row that would take it
-- past 8 MB of JSON (one row is always taken, so each call moves on). The first page
-- (after null) also holds the account, the archive and the file list. next is an opaque
-- cursor to pass back as after, or null on the last page.
create function public.export_my_data_page(after text default null) returns jsonb language plpgsql stable security invoker set search_path = '' as $$
declare
  caller uuid := auth.uid();
  max_rows constant integer := 1000;
  max_bytes constant bigint := 8 * 1024 * 1024;
  rows_left integer := max_rows;
  bytes_left bigint := max_bytes;
  cursor_doc jsonb;
  start_table text;
  start_key jsonb;
  t record;
  row_doc jsonb;
  row_key jsonb;
  key_cond text;
  key_list text;
  page_keys jsonb;
  keys_cut boolean;
  row_bytes bigint;
  table_rows jsonb[];
  last_key jsonb;
  names text[] := '{}'::text[];
  parts jsonb[] := '{}'::jsonb[];
  next_cursor jsonb;
  page jsonb;
begin
  if caller is null then
    raise exception 'Downloading your data needs a signed-in user.' using errcode = '42501';
  end if;
  if after is not null then
    begin
      cursor_doc := after::jsonb;
    exception when others then
      cursor_doc := null;
    end;
    if cursor_doc is null or jsonb_typeof(cursor_doc) <> 'object'
       or jsonb_typeof(cursor_doc -> 'table') is distinct from 'string'
       -- The key is always there: null for the start of the table, else an array of the
       -- last row's key values, none of them null (a primary key has no null). A missing
       -- key or a null in it used to read as "nothing after this" and end the walk silently.
       or not cursor_doc ? 'key'
       or jsonb_typeof(cursor_doc -> 'key') not in ('array', 'null')
       or (jsonb_typeof(cursor_doc -> 'key') = 'array'
           and (jsonb_array_length(cursor_doc -> 'key') = 0
                or exists (select 1 from jsonb_array_elements(cursor_doc -> 'key') k(v)
                            where jsonb_typeof(k.v) not in ('string', 'number'))))
       or not exists (select 1 from private.export_tables() e where e.relname = cursor_doc ->> 'table') then
      raise exception 'after is not a cursor export_my_data_page() gave.' using errcode = '22023',
            hint = 'Pass the next value of the previous page unchanged, or nothing for the first page.';
    end if;
    start_table := cursor_doc ->> 'table';
    start_key := case when jsonb_typeof(cursor_doc -> 'key') = 'array' then cursor_doc -> 'key' end;
  end if;

  <<tables>>
  for t in select * from private.export_tables() e where start_table is null or e.relname >= start_table order by e.relname loop
    if rows_left = 0 or bytes_left <= 0 then
      next_cursor := jsonb_build_object('table', t.relname, 'key', null);
      exit tables;
    end if;
    key_cond := '';
    if t.relname = start_table and start_key is not null then
      if jsonb_array_length(start_key) <> cardinality(t.key_names) then
        raise exception 'after is not a cursor export_my_data_page() gave.' using errcode = '22023';
      end if;
      begin
        key_cond := format(' and (%s) > (%s)',
                           (select string_agg(format('t.%I', n), ', ' order by i) from unnest(t.key_names) with ordinality u(n, i)),
                           (select string_agg(format('(%L)::%s', start_key ->> (i - 1)::integer, ty), ', ' order by i)
                              from unnest(t.key_types) with ordinality u(ty, i)));
        execute format('select 1 from public.%I t where false%s', t.relname, key_cond);
      exception when data_exception then
        raise exception 'after is not a cursor export_my_data_page() gave.' using errcode = '22023';
      end;
    end if;
    table_rows := '{}'::jsonb[];
    key_list := (select string_agg(format('t.%I', n), ', ' order by i) from unnest(t.key_names) with ordinality u(n, i));
    -- The keys of the next rows first, as many as the page can hold by the rows' size
    -- estimate (read without detoasting; at least one), so no JSON is built for rows far
    -- past the page; then those rows, built one by one until the page is full.
    execute format($q$select coalesce(jsonb_agg(b.key order by b.n) filter (where b.n = 1 or b.before < $2), '[]'),
                             coalesce(bool_or(not (b.n = 1 or b.before < $2)), false)
                        from (
                        select a.key, a.n, sum(a.est) over (order by a.n) - a.est as before
                          from (select jsonb_build_array(%1$s) as key, (%2$s)::bigint as est,
                                       row_number() over (order by %1$s) as n
                                  from public.%3$I t where (%4$s)%5$s order by %1$s limit %6$s) a) b$q$,
                   key_list, t.size_sql, t.relname, t.filter, key_cond, rows_left)
       into page_keys, keys_cut using caller, bytes_left;
    last_key := null;
    for row_doc, row_key in execute format('select to_jsonb(t) as row_doc, k.key from jsonb_array_elements($1) with ordinality k(key, n)
                               join public.%I t on (%s) = (%s) order by k.n',
                            t.relname, key_list,
                            (select string_agg(format('(k.key ->> %s)::%s', i - 1, ty), ', ' order by i)
                               from unnest(t.key_types) with ordinality u(ty, i)))
                using page_keys loop
      row_bytes := octet_length(row_doc::text);
      if row_bytes > bytes_left and rows_left < max_rows then
        next_cursor := jsonb_build_object('table', t.relname, 'key', last_key);
        bytes_left := 0;
        exit;
      end if;
      table_rows := pg_catalog.array_append(table_rows, row_doc);
      bytes_left := bytes_left - row_bytes;
      rows_left := rows_left - 1;
      last_key := row_key;
    end loop;
    if next_cursor is null and keys_cut then
      -- The estimate stopped the keys short of the table: go on after the last one read.
      next_cursor := jsonb_build_object('table', t.relname, 'key', page_keys -> -1);
    end if;
    names := pg_catalog.array_append(names, t.relname);
    parts := pg_catalog.array_append(parts, to_jsonb(table_rows));
    if next_cursor is not null then
      exit tables;
    end if;
    if rows_left = 0 then
      -- The table may hold more rows after the last one taken.
      next_cursor := jsonb_build_object('table', t.relname, 'key', last_key);
      exit tables;
    end if;
  end loop;

  page := jsonb_build_object(
    'format_version', 1,
    'tables', (select coalesce(jsonb_object_agg(n, v), '{}'::jsonb) from unnest(names, parts) as u(n, v)),
    'next', next_cursor::text);
  if after is null then
    page := page || private.export_account_part();
  end if;
  return page;
end
$$;
grant execute on function public.export_my_data_page(after text) to authenticated;
comment on function public.export_my_data_page(after text) is $$Download my data page by page: at most 1,000 rows and about 8 MB of JSON per page, table by table in primary-key order; pass next back as after until it is null. The first page also holds the account, archive and file list.$$;

-- The order a page reads each table in: the owner, then the table's key (the export's
-- cursor), so a page is an index range read of at most a page of rows, whatever the table
-- holds. With only (user_id) or the primary key, a page either sorted every one of the
-- user's rows after the cursor or walked the key past every other user's rows.
-- generated_resume_versions has no owner column: a page finds the user's versions by
-- resume and sorts them, at most 10,000 (100 resumes x 100 versions).
create index idx_ai_events_export on public.ai_events (user_id, id);
create index idx_contacts_export on public.contacts (user_id, id);
create index idx_cover_letters_export on public.cover_letters (user_id, id);
create index idx_email_proposals_export on public.email_proposals (user_id, id);
create index idx_generated_resumes_export on public.generated_resumes (user_id, id);
create index idx_interview_participants_export on public.interview_participants (user_id, id);
create index idx_interviews_export on public.interviews (user_id, id);
create index idx_job_contacts_export on public.job_contacts (user_id, id);
create index idx_job_materials_export on public.job_materials (user_id, job_id);
create index idx_job_status_events_export on public.job_status_events (user_id, id);
create index idx_job_tags_export on public.job_tags (user_id, job_id, tag_id);
create index idx_jobs_export on public.jobs (user_id, id);
create index idx_resume_builder_data_export on public.resume_builder_data (user_id, id);
create index idx_resumes_export on public.resumes (user_id, id);
create index idx_subscriptions_export on public.subscriptions (user_id, id);
create index idx_tags_export on public.tags (user_id, id);
create index idx_user_education_export on public.user_education (user_id, id);
create index idx_user_languages_export on public.user_languages (user_id, id);
create index idx_user_profile_export on public.user_profile (user_id, id);
create index idx_user_skills_export on public.user_skills (user_id, id);
create index idx_user_work_experience_export on public.user_work_experience (user_id, id);
create index idx_wizard_sessions_export on public.wizard_sessions (user_id, id);

-- Row quotas: how many rows one user may keep in each table a client fills. The numbers
-- live only in private.row_quotas; a counter per (user, table) in private.row_quota_usage
-- is kept by statement triggers with transition tables (one primary-key upsert per owner
-- per statement, no count(*) of the table). The upsert takes the counter's row lock, so
-- concurrent inserts by one user queue on it and each sees the others' committed
-- increments: check-then-act cannot race; other users never wait. Going over a cap is
-- SQLSTATE 23514 (check_violation, named `<table>_rows_per_user`) and the whole
-- statement changes nothing. Bulk loads that turn triggers off (session_replication_role
-- = replica) must run private.recount_row_quota_usage() afterwards.

create table private.row_quotas (
  table_name text primary key,
  max_rows integer not null,
  per text not null default 'user',
  constraint row_quotas_max_rows_check check (max_rows >= 1),
  constraint row_quotas_per_check check (per in ('user', 'user and UTC day'))
);
comment on table private.row_quotas is $$Per-user row caps of the tables clients fill (documented in the README).$$;

create table private.row_quota_usage (
  user_id uuid not null references auth.users (id) on delete cascade,
  scope text not null,
  used integer not null,
  constraint row_quota_usage_pkey primary key (user_id, scope),
  constraint row_quota_usage_used_check check (used >= 0)
);
comment on table private.row_quota_usage is $$How many rows each user holds per capped table (per UTC day for ai_events); kept by the row-quota triggers.$$;

-- The scope of one row: the table, or `ai_events@<UTC day>`.
create function private.row_quota_scope(table_name text, created_at timestamptz) returns text language sql immutable set search_path = '' as $$
  select case when table_name = 'ai_events'
              then 'ai_events@' || pg_catalog.to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')
              else table_name end
$$;
comment on function private.row_quota_scope(table_name text, created_at timestamptz) is $$The scope a row is counted in: its table, or ai_events@<UTC day> for an AI event.$$;

-- The scope a row is counted in, as SQL over a row alias: `<table>` or `ai_events@day`.
create function private.row_quota_scope_sql(table_name text, row_alias text) returns text language sql immutable set search_path = '' as $$
  select case when table_name = 'ai_events'
              then pg_catalog.format($f$'ai_events@' || pg_catalog.to_char(%I.created_at at time zone 'UTC', 'YYYY-MM-DD')$f$, row_alias)
              else pg_catalog.quote_literal(table_name) end
$$;
comment on function private.row_quota_scope_sql(table_name text, row_alias text) is $$row_quota_scope as an SQL expression over a row alias, for the statements the counting triggers run.$$;

-- The one refusal of a row over an owner's cap (23514, named <table>_rows_per_user, so
-- PostgREST answers 400): `would_have` is the count the statement would have left.
create function private.refuse_rows_over_quota(table_name text, quota integer, would_have integer) returns void language plpgsql volatile set search_path = '' as $$
begin
  raise exception 'This account already holds the most % rows it may keep (%).', table_name, quota
    using errcode = '23514',
          constraint = table_name || '_rows_per_user',
          detail = pg_catalog.format('The cap on %s is %s rows per %s; this statement would make it %s.',
                                     table_name, quota,
                                     (select q.per from private.row_quotas q where q.table_name = refuse_rows_over_quota.table_name),
                                     would_have),
          hint = 'Delete rows you no longer need, then try again.';
end
$$;
comment on function private.refuse_rows_over_quota(table_name text, quota integer, would_have integer) is $$Raises the 23514 <table>_rows_per_user refusal of a row over its owner’s cap, naming the cap and the count the statement would have left.$$;

-- AFTER INSERT ... FOR EACH STATEMENT, with the inserted rows as transition table
-- `added`: one primary-key upsert per owner per statement, whatever the row count.
-- SECURITY DEFINER: the counters live where no API role may write; the body touches
-- only them. (A branch not taken is never planned, so only ai_events reads created_at.)
create function private.count_added_rows() returns trigger language plpgsql security definer set search_path = '' as $$
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
    perform private.refuse_rows_over_quota(tg_table_name, quota, over_used);
  end if;
  return null;
end
$$;
comment on function private.count_added_rows() is $$Trigger (after insert, per statement): counts the new rows for their owners and refuses the statement (23514) past the cap in private.row_quotas.$$;

-- AFTER DELETE ... FOR EACH STATEMENT, transition table `removed`.
create function private.count_removed_rows() returns trigger language plpgsql security definer set search_path = '' as $$
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
comment on function private.count_removed_rows() is $$Trigger (after delete, per statement): takes the deleted rows off their owners’ counts.$$;

-- AFTER UPDATE OF user_id (and created_at for ai_events) ... FOR EACH ROW, only when the
-- owner (or day) changes: moves the row's count, within the new owner's cap. API roles
-- cannot update these columns; the service role and the owner can.
create function private.count_moved_row() returns trigger language plpgsql security definer set search_path = '' as $$
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
    perform private.refuse_rows_over_quota(tg_table_name, quota, now_used);
  end if;
  return null;
end
$$;
comment on function private.count_moved_row() is $$Trigger (after update of the owner, per row): moves the row’s count to its new owner, within the cap.$$;

-- AFTER TRUNCATE: the table is empty for everyone.
create function private.forget_truncated_rows() returns trigger language plpgsql security definer set search_path = '' as $$
begin
  delete from private.row_quota_usage u
   where u.scope = tg_table_name or u.scope like tg_table_name || '@%';
  return null;
end
$$;
comment on function private.forget_truncated_rows() is $$Trigger (after truncate on a table with a row cap): forgets every owner’s counter of the table.$$;

-- Recomputes every counter from the tables (after a load with triggers off).
create function private.recount_row_quota_usage() returns void language plpgsql volatile set search_path = '' as $$
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
comment on function private.recount_row_quota_usage() is $$Rebuilds private.row_quota_usage from the tables; run after a bulk load with triggers disabled.$$;

-- Each cap is per user (the column’s default), ai_events’ per user and UTC day.
insert into private.row_quotas (table_name, max_rows) values
  ('user_profile', 1),
  ('jobs', 5000),
  ('job_status_events', 50000),
  ('user_skills', 500),
  ('user_work_experience', 100),
  ('user_education', 50),
  ('user_languages', 50),
  ('application_form_answers', 1),
  ('subscriptions', 1),
  ('resumes', 100),
  ('resume_builder_data', 100),
  ('wizard_sessions', 200),
  ('generated_resumes', 100),
  ('cover_letters', 1000),
  -- The tracker (70_tracker.sql): room for a power user's 5,000 applications.
  ('tracker_settings', 1),
  ('contacts', 5000),
  ('job_contacts', 20000),
  ('interviews', 5000),
  ('interview_participants', 20000),
  ('tags', 200),
  ('job_tags', 25000),
  ('job_materials', 5000),
  ('email_proposals', 1000)
on conflict (table_name) do update set max_rows = excluded.max_rows, per = excluded.per;
insert into private.row_quotas (table_name, max_rows, per) values ('ai_events', 20000, 'user and UTC day')
on conflict (table_name) do update set max_rows = excluded.max_rows, per = excluded.per;

insert into private.export_exclusions (table_name, reason) values
  ('private.row_quota_usage', 'Derived: counters of the user''s own rows per table, kept by triggers; the exported tables hold the rows they count.')
on conflict (table_name) do update set reason = excluded.reason;

-- The four counting triggers of every capped table, made from the list above.
do $$
declare
  q record;
begin
  for q in select * from private.row_quotas loop
    execute pg_catalog.format(
      'create or replace trigger %1$I after insert on public.%2$I referencing new table as added
         for each statement execute function private.count_added_rows()',
      q.table_name || '_rows_counted_on_insert', q.table_name);
    execute pg_catalog.format(
      'create or replace trigger %1$I after delete on public.%2$I referencing old table as removed
         for each statement execute function private.count_removed_rows()',
      q.table_name || '_rows_counted_on_delete', q.table_name);
    execute pg_catalog.format(
      'create or replace trigger %1$I after update of %3$s on public.%2$I for each row
         when (old.user_id is distinct from new.user_id%4$s)
         execute function private.count_moved_row()',
      q.table_name || '_rows_counted_on_owner_change', q.table_name,
      case when q.table_name = 'ai_events' then 'user_id, created_at' else 'user_id' end,
      case when q.table_name = 'ai_events' then ' or old.created_at is distinct from new.created_at' else '' end);
    execute pg_catalog.format(
      'create or replace trigger %1$I after truncate on public.%2$I
         for each statement execute function private.forget_truncated_rows()',
      q.table_name || '_rows_forgotten_on_truncate', q.table_name);
  end loop;
end
$$;

-- Row ids a client sends. A client may choose the id of a row it inserts (supabase-js's
-- upsert() sends the primary key to update a row it has), but the answer must not tell
-- whether another user's row holds that id (409 23505 against 201 for a free one). An id
-- taken by a row the caller cannot see is replaced by a fresh one, so such an insert
-- answers 201 exactly as a free id does; an id of the caller's own row conflicts as
-- before (an upsert updates it).
create function private.row_id_is_taken(rel regclass, row_id uuid) returns boolean language plpgsql stable security definer set search_path = '' as $$
declare
  taken boolean;
begin
  -- jobs, the table clients fill in bulk (an import of 5,000 rows in one insert), by a
  -- static query, whose plan PL/pgSQL keeps: the dynamic one below is parsed and planned on
  -- every call (about 180 µs against jobs and its indexes, a quarter of such an import).
  if rel = 'public.jobs'::pg_catalog.regclass then
    return row_id is not null and exists (select 1 from public.jobs t where t.id = row_id);
  end if;
  if rel is null or row_id is null
     or (select c.relnamespace from pg_catalog.pg_class c where c.oid = rel) <> 'public'::regnamespace then
    return false;
  end if;
  execute pg_catalog.format('select exists (select 1 from %s t where t.id = $1)', rel) into taken using row_id;
  return taken;
end
$$;
grant execute on function private.row_id_is_taken(rel regclass, row_id uuid) to authenticated;
comment on function private.row_id_is_taken(rel regclass, row_id uuid) is $$Whether any row of this public table has this id, whoever owns it (for private.hide_foreign_row_id only).$$;

-- BEFORE INSERT, per row, on every table whose id a client may insert (added below from
-- the catalog). Runs as the caller, so "can see" is the caller's own RLS.
create function private.hide_foreign_row_id() returns trigger language plpgsql set search_path = '' as $$
declare
  visible boolean;
begin
  -- Nested ifs: only the client roles may execute the helper (an AND need not short-circuit).
  if current_user in ('anon', 'authenticated') then
    if private.row_id_is_taken(tg_relid::regclass, new.id) then
      execute pg_catalog.format('select exists (select 1 from %s t where t.id = $1)', tg_relid::regclass)
        into visible using new.id;
      if not visible then
        new.id := extensions.uuid_generate_v4();
      end if;
    end if;
  end if;
  return new;
end
$$;
comment on function private.hide_foreign_row_id() is $$Trigger (before insert, per row): an id the client sent that belongs to a row the caller cannot see is replaced by a fresh one, so an insert never reveals another user’s row id.$$;

-- The trigger on every table in public whose uuid id a client role may insert
-- (60-server-owned-columns.sql checks that none is missing).
do $$
declare
  t record;
begin
  for t in
    select c.relname
      from pg_catalog.pg_class c
      join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attname = 'id' and not a.attisdropped
     where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
       and a.atttypid = 'uuid'::regtype
       and (pg_catalog.has_column_privilege('authenticated', c.oid, a.attnum, 'INSERT')
            or pg_catalog.has_column_privilege('anon', c.oid, a.attnum, 'INSERT'))
  loop
    execute pg_catalog.format(
      'create or replace trigger %1$I before insert on public.%2$I for each row
         execute function private.hide_foreign_row_id()',
      t.relname || '_hides_foreign_row_ids', t.relname);
  end loop;
end
$$;

