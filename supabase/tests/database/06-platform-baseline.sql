-- The local platform baseline matches what Supabase gives a project, read back from the
-- catalog, so a migration that works here works there and one that fails there fails
-- here. Threats covered: a migration creating objects in auth or storage (works on a
-- lax local stack, fails on Supabase); storage policies that only the table owner could
-- create; API roles whose INHERIT or timeouts differ from the platform; auth.users
-- defaults that let seed or test users skip columns GoTrue always sets; duplicate
-- emails or phones that GoTrue would refuse.
begin;
select plan(26);

-- Schemas ---------------------------------------------------------------------------

select set_eq(
  $$select n.nspname::text, pg_get_userbyid(n.nspowner)::text from pg_namespace n
     where n.nspname in ('auth', 'extensions', 'storage') order by 1$$,
  $$values ('auth', 'supabase_admin'), ('extensions', 'postgres'), ('storage', 'supabase_admin')$$,
  'extensions belongs to postgres; auth and storage belong to supabase_admin.'
);

select set_eq(
  $$select n.nspname::text, has_schema_privilege('postgres', n.oid, 'USAGE') as can_use, has_schema_privilege('postgres', n.oid, 'CREATE') as can_create
      from pg_namespace n where n.nspname in ('auth', 'storage') order by 1$$,
  $$values ('auth', true, false), ('storage', true, false)$$,
  'postgres may use auth and storage but create nothing in them.'
);

select throws_ok(
  'create table auth.app_settings (id int)',
  '42501', 'permission denied for schema auth',
  'A migration that creates a table in auth fails, as on Supabase.'
);

select throws_ok(
  $$create function storage.app_helper() returns int language sql as 'select 1'$$,
  '42501', 'permission denied for schema storage',
  'A migration that creates a function in storage fails, as on Supabase.'
);

select set_eq(
  $$select n.nspname::text, r.rolname::text, has_schema_privilege(r.rolname, n.oid, 'USAGE') as can_use
      from pg_namespace n cross join (values ('anon'), ('authenticated'), ('service_role')) r(rolname)
     where n.nspname in ('auth', 'storage', 'extensions') order by 1, 2$$,
  $$values ('auth', 'anon', true), ('auth', 'authenticated', true), ('auth', 'service_role', true),
           ('extensions', 'anon', true), ('extensions', 'authenticated', true), ('extensions', 'service_role', true),
           ('storage', 'anon', true), ('storage', 'authenticated', true), ('storage', 'service_role', true)$$,
  'The API roles may use auth, storage and extensions (auth.uid() needs USAGE on auth).'
);

-- Storage tables ----------------------------------------------------------------------

select set_eq(
  $$select c.relname::text, pg_get_userbyid(c.relowner)::text from pg_class c
     where c.relnamespace = 'storage'::regnamespace and c.relname in ('buckets', 'objects') order by 1$$,
  $$values ('buckets', 'supabase_storage_admin'), ('objects', 'supabase_storage_admin')$$,
  'storage.buckets and storage.objects belong to supabase_storage_admin.'
);

select set_eq(
  $$select c.relname::text, a.privilege_type::text, a.is_grantable
      from pg_class c cross join aclexplode(c.relacl) a
     where c.relnamespace = 'storage'::regnamespace and c.relname in ('buckets', 'objects')
       and a.grantee = 'postgres'::regrole$$,
  $$select t, p, true from (values ('buckets'), ('objects')) t(t)
     cross join (values ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE'), ('REFERENCES'), ('TRIGGER')) p(p)$$,
  'postgres holds every privilege on the storage tables with grant option, as Supabase grants it.'
);

select ok(
  not pg_has_role('postgres', 'supabase_storage_admin', 'MEMBER')
    and not pg_has_role('postgres', 'supabase_auth_admin', 'MEMBER'),
  'postgres is a member of neither supabase_storage_admin nor supabase_auth_admin.'
);

select lives_ok(
  $$create policy "Nobody reads this test's files" on storage.objects for select to authenticated using (false)$$,
  'postgres can create a policy on storage.objects, as supautils policy_grants allow on Supabase.'
);

select lives_ok(
  $$drop policy "Nobody reads this test's files" on storage.objects$$,
  'postgres can drop a policy on storage.objects.'
);

select ok(
  not pg_has_role('postgres', 'supabase_storage_admin', 'MEMBER'),
  'After the policy commands postgres is again no member of supabase_storage_admin.'
);

select throws_ok(
  'alter table storage.objects add column app_note text',
  '42501', 'must be owner of table objects',
  'Only policies are allowed: postgres cannot alter storage.objects itself.'
);

set local role authenticated;
select throws_ok(
  $$create policy "Signed-in users read everything" on storage.objects for select to authenticated using (true)$$,
  '42501', 'must be owner of table objects',
  'authenticated cannot create policies on storage.objects.'
);
reset role;

-- API roles -----------------------------------------------------------------------------

select set_eq(
  $$select rolname::text, rolinherit from pg_roles
     where rolname in ('anon', 'authenticated', 'service_role', 'authenticator') order by 1$$,
  $$values ('anon', true), ('authenticated', true), ('authenticator', false), ('service_role', true)$$,
  'anon, authenticated and service_role are INHERIT; authenticator is NOINHERIT.'
);

select set_eq(
  $$select r.rolname::text, s.setting
      from pg_db_role_setting d join pg_roles r on r.oid = d.setrole
     cross join unnest(d.setconfig) s(setting)
     where d.setdatabase = 0 and r.rolname in ('anon', 'authenticated', 'authenticator', 'service_role')$$,
  $$values ('anon', 'statement_timeout=3s'), ('authenticated', 'statement_timeout=8s'),
           ('authenticator', 'statement_timeout=8s'), ('authenticator', 'lock_timeout=8s'),
           -- PostgREST's pre-request (supabase/schemas/90_fair_use.sql), set as on Supabase.
           ('authenticator', 'pgrst.db_pre_request=private.check_fair_use')$$,
  'statement_timeout is 3s for anon and 8s for authenticated and authenticator, whose lock_timeout is 8s; PostgREST runs the fair-use check before every request.'
);

-- auth.users as GoTrue leaves it -------------------------------------------------------

select col_hasnt_default('auth', 'users', 'created_at', 'auth.users.created_at has no default: GoTrue sets it.');
select col_hasnt_default('auth', 'users', 'updated_at', 'auth.users.updated_at has no default: GoTrue sets it.');
select col_default_is('auth', 'users', 'is_sso_user', 'false', 'auth.users.is_sso_user defaults to false.');
select col_default_is('auth', 'users', 'is_anonymous', 'false', 'auth.users.is_anonymous defaults to false.');
select col_not_null('auth', 'users', 'is_sso_user', 'auth.users.is_sso_user is NOT NULL.');

select set_eq(
  $$select i.indexrelid::regclass::text, pg_get_expr(i.indpred, i.indrelid)
      from pg_index i
     where i.indrelid = 'auth.users'::regclass and i.indisunique and not i.indisprimary
       and i.indkey::text in (
         (select attnum::text from pg_attribute where attrelid = 'auth.users'::regclass and attname = 'phone'),
         (select attnum::text from pg_attribute where attrelid = 'auth.users'::regclass and attname = 'email'))$$,
  $$values ('auth.users_phone_key', null), ('auth.users_email_partial_key', '(is_sso_user = false)')$$,
  'auth.users has GoTrue''s unique indexes: phone, and email where the user is not an SSO user.'
);

insert into auth.users (id, email, phone, is_sso_user, created_at, updated_at) values
  ('00000000-0000-4000-8000-0000000000a1', 'twice@platform.test', '351910000001', false, now(), now()),
  ('00000000-0000-4000-8000-0000000000a2', 'sso@platform.test', null, true, now(), now());

select throws_ok(
  $$insert into auth.users (id, email, created_at, updated_at)
    values ('00000000-0000-4000-8000-0000000000a3', 'twice@platform.test', now(), now())$$,
  '23505', null,
  'A second non-SSO user with the same email is refused, as GoTrue''s index does.'
);

select lives_ok(
  $$insert into auth.users (id, email, is_sso_user, created_at, updated_at)
    values ('00000000-0000-4000-8000-0000000000a4', 'sso@platform.test', true, now(), now())$$,
  'SSO users may share an email.'
);

select throws_ok(
  $$insert into auth.users (id, phone, created_at, updated_at)
    values ('00000000-0000-4000-8000-0000000000a5', '351910000001', now(), now())$$,
  '23505', null,
  'A second user with the same phone is refused.'
);

-- The seed sets what GoTrue would ---------------------------------------------------------

select results_eq(
  $$select instance_id, aud::text, role::text, email::text, created_at is not null, updated_at is not null,
           email_confirmed_at is not null, raw_app_meta_data ->> 'provider', is_sso_user, is_anonymous
      from auth.users where id = '2b7f3f0e-4d3a-4c55-9a57-5d0d8c1f0001'$$,
  $$values ('00000000-0000-0000-0000-000000000000'::uuid, 'authenticated', 'authenticated', 'demo@jobstalker.dev',
            true, true, true, 'email', false, false)$$,
  'The seeded demo user has every column GoTrue sets on sign-up, created_at and updated_at included.'
);

select is(
  (select count(*)::int from auth.users where created_at is null and email like '%@jobstalker.dev'),
  0,
  'No seeded user lacks created_at.'
);

select * from finish();
rollback;
