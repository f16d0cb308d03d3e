-- export_my_data(): "download my data". Threats and failures covered:
--   a table holding user data missing from the document (checked two ways, both from
--   the catalog: every table whose foreign keys reach auth.users, and every row in
--   public or private that refers to the user or to one of their rows through any uuid
--   column, foreign key or not);
--   a stranger's row, file or id in the caller's document;
--   anon, or a token without a user, getting a document;
--   the document without its format_version and generated_at.
begin;
select plan(18);

select tests.create_supabase_user('owner', 'owner@export.test', '00000016-1111-4111-8111-000000000001', '{"full_name":"Export Owner"}');
select tests.create_supabase_user('stranger', 'stranger@export.test', '00000016-2222-4222-8222-000000000002', '{"full_name":"Export Stranger"}');
insert into public.templates (id, name, slug, schema, is_active) values
  ('00000016-aaaa-4000-8000-000000000001', 'Export Template', 'export-template', '{}', true);

-- One row (at least) in every table that holds user data, for both users, written the
-- same way (tests.fill_user_data) so that "the stranger's rows are absent" is a real check.
select tests.fill_user_data('00000016-1111-4111-8111-000000000001', 'Owner', '00000016-aaaa-4000-8000-000000000001');
select tests.fill_user_data('00000016-2222-4222-8222-000000000002', 'Stranger', '00000016-aaaa-4000-8000-000000000001');

-- The document, as the owner and as the stranger would get it through PostgREST.
create function pg_temp.export_as(u uuid) returns jsonb language plpgsql as $$
declare
  doc jsonb;
begin
  perform tests.authenticate_as(u::text);
  doc := public.export_my_data();
  perform tests.clear_authentication();
  return doc;
end
$$;
create temp table docs as
select 'owner' as actor, pg_temp.export_as('00000016-1111-4111-8111-000000000001') as doc
union all
select 'stranger', pg_temp.export_as('00000016-2222-4222-8222-000000000002');
create temp table owner_doc as select doc from docs where actor = 'owner';

select is((select doc ->> 'format_version' from owner_doc), '1', 'The document says its format_version, 1.');
select ok((select (doc ->> 'generated_at')::timestamptz between now() - interval '1 minute' and clock_timestamp() from owner_doc),
  'The document says when it was generated.');
select is((select doc ->> 'user_id' from owner_doc), '00000016-1111-4111-8111-000000000001', 'The document names the caller.');
select is((select doc -> 'account' ->> 'email' from owner_doc), 'owner@export.test', 'The document holds the caller''s account record.');

-- Completeness, first from the foreign keys: every table in public or private whose
-- foreign keys lead to auth.users, at any depth, is in the document.
create temp table user_data_tables as
with recursive reaches (rel) as (
  select k.conrelid from pg_constraint k where k.contype = 'f' and k.confrelid = 'auth.users'::regclass
  union
  select k.conrelid from pg_constraint k join reaches r on k.confrelid = r.rel where k.contype = 'f'
)
select n.nspname::text as schema_name, c.relname::text as table_name
  from reaches r join pg_class c on c.oid = r.rel join pg_namespace n on n.oid = c.relnamespace
 where n.nspname in ('public', 'private') and not c.relispartition;

create temp table exported_tables as
select 'public' as schema_name, t.key as table_name from owner_doc, jsonb_each(doc -> 'tables') t
union all
select 'private', t.key from owner_doc, jsonb_each(doc -> 'archive') t;

select cmp_ok((select count(*)::int from user_data_tables), '>=', 16, 'The catalog finds at least the 16 known tables holding user data.');
select set_eq(
  $$select schema_name, table_name from exported_tables
    union all
    select n.nspname::text, c.relname::text from private.export_exclusions x
      join pg_class c on c.oid = x.table_name join pg_namespace n on n.oid = c.relnamespace$$,
  $$select schema_name, table_name from user_data_tables$$,
  'Every table in public and private whose foreign keys reach auth.users is in the document or excluded on purpose with a reason, and no other.'
);
select is_empty(
  $$select t.schema_name, t.table_name from exported_tables t
      join private.export_exclusions x on x.table_name = format('%I.%I', t.schema_name, t.table_name)::regclass$$,
  'No excluded table is exported anyway.'
);

-- What is derived from other exported rows is left out: at the 5,000-job cap the search
-- documents alone took the document over jsonb's size limit.
select set_eq(
  $$select x.table_name from private.export_exclusions x where x.reason like 'Derived:%'$$,
  $$values ('public.job_search_documents'::regclass), ('private.row_quota_usage'::regclass)$$,
  'The derived tables (search documents, row-quota counters) are left out, each with its reason.'
);
select ok(
  (select not (doc -> 'tables') ? 'job_search_documents' and not (doc -> 'archive') ? 'row_quota_usage'
          and pg_catalog.jsonb_array_length(doc -> 'tables' -> 'jobs') >= 1 from owner_doc),
  'The document holds the owner''s jobs but not their search documents or quota counters.'
);

-- Completeness, second from the rows: starting from the user's id, every row in public
-- or private with a uuid column equal to an id already found belongs to the user; its
-- own id is then followed in turn, until nothing new turns up. This finds rows that
-- refer to the user without any foreign key.
select tests.collect_rows_of('00000016-1111-4111-8111-000000000001', array(select x.table_name::regclass from private.export_exclusions x));

create temp table exported_rows as
select 'public' as schema_name, t.key as table_name, r as row_data
  from owner_doc, jsonb_each(doc -> 'tables') t, jsonb_array_elements(t.value) r
union all
select 'private', t.key, r from owner_doc, jsonb_each(doc -> 'archive') t, jsonb_array_elements(t.value) r;

select is_empty(
  $$select schema_name, table_name from found_rows except select schema_name, table_name from user_data_tables$$,
  'Every table with a row that refers to the user is one the foreign keys find too.'
);
select cmp_ok((select count(distinct (schema_name, table_name))::int from found_rows), '>=', 16,
  'The owner''s fixture rows span every known table holding user data.');
select set_eq(
  $$select schema_name, table_name, row_data from exported_rows$$,
  $$select schema_name, table_name, row_data from found_rows$$,
  'The document holds exactly the rows that refer to the user, directly or through their rows, column for column.'
);

-- Files.
select set_eq(
  $$select f ->> 'bucket' as bucket, f ->> 'path' as path, (f ->> 'size')::bigint as size,
           f ->> 'content_type' as content_type, (f ->> 'created_at') is not null as has_created_at
      from owner_doc, jsonb_array_elements(doc -> 'storage_objects') f$$,
  $$values ('resumes', '00000016-1111-4111-8111-000000000001/resumes/cv.pdf', 1234::bigint, 'application/pdf', true),
           ('avatars', '00000016-1111-4111-8111-000000000001/profile-pictures/me.png', 99::bigint, 'image/png', true)$$,
  'The document lists the owner''s files with bucket, path, size, content type and creation time.'
);

-- Strangers.
select is(
  (select position('00000016-2222-4222-8222-000000000002' in doc::text) from owner_doc),
  0,
  'The stranger''s id appears nowhere in the owner''s document.'
);
select is_empty(
  $$select r from docs, jsonb_each(doc -> 'tables') t, jsonb_array_elements(t.value) r
     where actor = 'stranger' and r in (select row_data from found_rows)$$,
  'None of the owner''s rows is in the stranger''s document.'
);
select is(
  (select position('Owner' in doc::text) from docs where actor = 'stranger'),
  0,
  'Nothing written by the owner (not a file, a skill or a letter) is in the stranger''s document.'
);

-- Callers without a user.
select tests.authenticate_as_anon();
select throws_ok($$select public.export_my_data()$$, '42501', null,
  'anon cannot call export_my_data (PostgREST answers 401).');
select tests.clear_authentication();
set local role authenticated;
select set_config('request.jwt.claims', '{"role":"authenticated"}', true);
select throws_ok($$select public.export_my_data()$$, '42501', 'Downloading your data needs a signed-in user.',
  'A token without a user gets no document.');
select tests.clear_authentication();

select * from finish();
rollback;
