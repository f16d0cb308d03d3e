-- Account deletion, as the account function performs it: the Storage API deletes the
-- user's files (it may, where a plain delete may not: storage.allow_delete_query), then
-- GoTrue deletes the auth.users row (DELETE /auth/v1/admin/users/<id>), and the
-- database cascades. Threats and failures covered:
--   any row, in any table of any schema, still referring to the deleted user or to one
--   of their rows afterwards (found from the catalog: every uuid, text and jsonb column);
--   a foreign key that blocks the deletion (RESTRICT, NO ACTION without cascade);
--   the cascade reaching another user's rows or files.
begin;
select plan(6);

insert into auth.users (id, email, aud, role, raw_user_meta_data) values
  ('00000016-1111-4111-8111-000000000001', 'owner@deletion.test', 'authenticated', 'authenticated', '{"full_name":"Deletion Owner"}'),
  ('00000016-2222-4222-8222-000000000002', 'stranger@deletion.test', 'authenticated', 'authenticated', '{"full_name":"Deletion Stranger"}');
insert into public.templates (id, name, slug, schema, is_active) values
  ('00000016-aaaa-4000-8000-000000000001', 'Deletion Template', 'export-template', '{}', true);

-- Every table of user data holds rows of both users (tests.fill_user_data).
select tests.fill_user_data('00000016-1111-4111-8111-000000000001', 'Owner', '00000016-aaaa-4000-8000-000000000001');
select tests.fill_user_data('00000016-2222-4222-8222-000000000002', 'Stranger', '00000016-aaaa-4000-8000-000000000001');
-- A share link viewed once, so the private view log holds a row for the owner's resume.
insert into private.share_views (generated_resume_id, viewer_hash, counted_at)
select id, extensions.digest('viewer', 'sha256'), now() from public.generated_resumes
 where user_id in ('00000016-1111-4111-8111-000000000001', '00000016-2222-4222-8222-000000000002');

-- Every id of the owner and of their rows, followed through every uuid column.
select tests.collect_rows_of('00000016-1111-4111-8111-000000000001');
create temp table owner_ids as select id from found_ids;
create temp table owner_rows as select * from found_rows;
select tests.collect_rows_of('00000016-2222-4222-8222-000000000002');
create temp table stranger_rows as select * from found_rows;

select cmp_ok((select count(distinct table_name)::int from owner_rows), '>=', 16,
  'Before the deletion the owner has rows in every known table holding user data.');

-- What the Storage API does for DELETE /storage/v1/object/<bucket> with the owner's paths.
select set_config('storage.allow_delete_query', 'true', true);
delete from storage.objects where (storage.foldername(name))[1] = '00000016-1111-4111-8111-000000000001';
select set_config('storage.allow_delete_query', 'false', true);

-- What GoTrue does for DELETE /auth/v1/admin/users/<id> (as supabase_auth_admin; here
-- as postgres, which may delete there too: the cascades run the same either way).
select lives_ok(
  $$delete from auth.users where id = '00000016-1111-4111-8111-000000000001'$$,
  'Deleting the auth user succeeds: no foreign key to it or to the user''s rows blocks the cascade.'
);

-- Every column of every table that could hold a reference: uuid and text-like columns
-- compared for equality with every id found (and text for a "<user id>/..." path), jsonb
-- searched as text.
create function pg_temp.references_left() returns table (table_name text, column_name text, found bigint)
language plpgsql as $$
declare
  c record;
  n bigint;
begin
  for c in
    select n.nspname, t.relname, a.attname, a.atttypid
      from pg_class t
      join pg_namespace n on n.oid = t.relnamespace
      join pg_attribute a on a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped
     where t.relkind in ('r', 'p') and not t.relispartition
       and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
       and n.nspname not like 'pg_temp%' and n.nspname not like 'pg_toast_temp%'
       and a.atttypid in ('uuid'::regtype, 'text'::regtype, 'varchar'::regtype, 'jsonb'::regtype, 'json'::regtype)
  loop
    if c.atttypid in ('jsonb'::regtype, 'json'::regtype) then
      execute format('select count(*) from %I.%I t where t.%I::text like ''%%00000016-1111-4111-8111-000000000001%%''',
                     c.nspname, c.relname, c.attname) into n;
    elsif c.atttypid = 'uuid'::regtype then
      execute format('select count(*) from %I.%I t where t.%I::text in (select id from pg_temp.owner_ids)',
                     c.nspname, c.relname, c.attname) into n;
    else
      execute format('select count(*) from %I.%I t where t.%I in (select id from pg_temp.owner_ids)
                         or t.%I like ''00000016-1111-4111-8111-000000000001/%%''',
                     c.nspname, c.relname, c.attname, c.attname) into n;
    end if;
    if n > 0 then
      table_name := c.nspname || '.' || c.relname;
      column_name := c.attname;
      found := n;
      return next;
    end if;
  end loop;
end
$$;

select cmp_ok((select count(*)::int from owner_ids), '>', 15, 'The owner and their rows had many ids to look for.');
select is_empty(
  $$select * from pg_temp.references_left()$$,
  'After the deletion no row in any table of any schema refers to the user or to any of their rows.'
);

select tests.collect_rows_of('00000016-2222-4222-8222-000000000002');
select set_eq(
  $$select schema_name, table_name, row_data from found_rows$$,
  $$select schema_name, table_name, row_data from stranger_rows$$,
  'Every row of the other user is still there, unchanged.'
);
select is(
  (select count(*)::int from storage.objects where name like '00000016-2222-4222-8222-000000000002/%'),
  2,
  'The other user''s files are still there.'
);

select * from finish();
rollback;
