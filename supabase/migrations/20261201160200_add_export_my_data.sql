-- Why: a user may download everything this service keeps about them (GDPR art. 15
-- and 20). export_my_data() returns one JSON document with every row the caller owns
-- in every table, their account record and the list of their stored files.
--
-- The list of tables is read from the catalog on every call, not written down: a
-- table holds user data when it has a foreign key to auth.users (its rows are the
-- user's where that column is the caller), or a foreign key to such a table (its rows
-- are the user's where they point at an exported row: resume versions, ...), to any
-- depth. A table added later is exported without touching this function, and the
-- pgTAP suite fails if the catalog ever holds user data the document lacks.
--
-- A table can be left out only on purpose, listed with its reason in
-- private.export_exclusions (the test reads the same list).
--
-- It runs as the caller (SECURITY INVOKER), so RLS bounds every read on top of the
-- explicit owner filters. The account record (auth.users) and the archive of legacy
-- values (schema private) are out of the API roles' reach; a small definer function
-- returns only the caller's own rows of those.

create table private.export_exclusions (
  table_name regclass primary key,
  reason text not null constraint export_exclusions_reason_not_blank check (pg_catalog.btrim(reason) <> '')
);
revoke all on table private.export_exclusions from public, anon, authenticated, service_role;
comment on table private.export_exclusions is
  'Tables holding rows tied to a user that export_my_data() leaves out on purpose, each with the reason.';
insert into private.export_exclusions (table_name, reason) values
  ('private.share_views', 'Salted hashes of the other people who opened a share link, kept for an hour to count views once: not the user''s data, and exporting them would let the owner test guesses about their visitors.');

-- Definer so that the invoker export can consult the list without reading private.
create function private.is_excluded_from_export(table_name regclass)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (select 1 from private.export_exclusions x where x.table_name = is_excluded_from_export.table_name)
$$;
comment on function private.is_excluded_from_export(regclass) is
  'Whether export_my_data() leaves this table out on purpose (listed in private.export_exclusions).';
revoke all on function private.is_excluded_from_export(regclass) from public, anon, authenticated, service_role;
grant execute on function private.is_excluded_from_export(regclass) to authenticated;

create function private.export_my_private_data()
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
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
  for t in
    select c.relname,
           string_agg(format('t.%I = $1', a.attname), ' or ' order by a.attname) as owner_filter
      from pg_catalog.pg_class c
      join pg_catalog.pg_constraint k on k.conrelid = c.oid and k.contype = 'f'
                                     and k.confrelid = 'auth.users'::regclass
      join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum = k.conkey[1]
     where c.relnamespace = 'private'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
       and not private.is_excluded_from_export(c.oid)
     group by c.relname
     order by c.relname
  loop
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
comment on function private.export_my_private_data() is
  'The caller''s own account record (auth.users) and their rows of every private table with a foreign key to auth.users; definer because the API roles cannot read either.';
revoke all on function private.export_my_private_data() from public, anon, authenticated, service_role;
grant execute on function private.export_my_private_data() to authenticated;

create function public.export_my_data()
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  exported jsonb := '{}'::jsonb;
  t record;
  found_rows jsonb;
  added boolean;
  private_part jsonb;
begin
  if caller is null then
    raise exception 'Downloading your data needs a signed-in user.' using errcode = '42501';
  end if;

  -- Tables with a foreign key to auth.users: rows whose owner column is the caller.
  for t in
    select c.relname,
           string_agg(format('t.%I = $1', a.attname), ' or ' order by a.attname) as owner_filter
      from pg_catalog.pg_class c
      join pg_catalog.pg_constraint k on k.conrelid = c.oid and k.contype = 'f'
                                     and k.confrelid = 'auth.users'::regclass
      join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum = k.conkey[1]
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
       and not private.is_excluded_from_export(c.oid)
     group by c.relname
     order by c.relname
  loop
    execute format('select coalesce(jsonb_agg(to_jsonb(t) order by to_jsonb(t)::text), ''[]'') from public.%I t where %s',
                   t.relname, t.owner_filter)
       into found_rows using caller;
    exported := exported || jsonb_build_object(t.relname, found_rows);
  end loop;

  -- Then, until nothing is added: tables pointing at exported tables, rows whose
  -- foreign key matches an exported row (one single-column key per reference).
  loop
    added := false;
    for t in
      select c.relname,
             string_agg(format('t.%I::text in (select r ->> %L from jsonb_array_elements($1 -> %L) r)',
                               a.attname, ra.attname, p.relname), ' or ' order by a.attname) as parent_filter
        from pg_catalog.pg_class c
        join pg_catalog.pg_constraint k on k.conrelid = c.oid and k.contype = 'f'
        join pg_catalog.pg_class p on p.oid = k.confrelid and p.relnamespace = 'public'::regnamespace
        join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum = k.conkey[1]
        join pg_catalog.pg_attribute ra on ra.attrelid = p.oid and ra.attnum = k.confkey[1]
       where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
         and not private.is_excluded_from_export(c.oid)
         and not exported ? c.relname
         and exported ? p.relname
       group by c.relname
       order by c.relname
    loop
      execute format('select coalesce(jsonb_agg(to_jsonb(t) order by to_jsonb(t)::text), ''[]'') from public.%I t where %s',
                     t.relname, t.parent_filter)
         into found_rows using exported;
      exported := exported || jsonb_build_object(t.relname, found_rows);
      added := true;
    end loop;
    exit when not added;
  end loop;

  private_part := private.export_my_private_data();

  return jsonb_build_object(
    'format_version', 1,
    'generated_at', pg_catalog.now(),
    'user_id', caller,
    'account', private_part -> 'account',
    'tables', exported,
    'archive', private_part -> 'archive',
    -- Files as the Storage API keeps them: the caller's own folder in every bucket.
    'storage_objects', (
      select coalesce(jsonb_agg(jsonb_build_object(
               'bucket', o.bucket_id,
               'path', o.name,
               'size', case when o.metadata ->> 'size' ~ '^[0-9]{1,18}$' then (o.metadata ->> 'size')::bigint end,
               'content_type', o.metadata ->> 'mimetype',
               'created_at', o.created_at,
               'updated_at', o.updated_at) order by o.bucket_id, o.name), '[]')
        from storage.objects o
       where (storage.foldername(o.name))[1] = caller::text));
end
$$;
comment on function public.export_my_data() is
  'Download my data: one JSON document (format_version 1) with the caller''s account, every row they own in every table (found from the catalog), their archived legacy values and their stored files.';
revoke all on function public.export_my_data() from public, anon, authenticated, service_role;
grant execute on function public.export_my_data() to authenticated;
