// The platform baseline and the migrations that depend on it, where one database is not
// enough to show it: the two grant regimes side by side, and pg_cron both where it can
// run (created by the migrations, as on Supabase) and where it cannot (a NOTICE that
// names the manual step).
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, dropScratchDatabase, psql, query } from '../scripts/lib/database.mjs';
import { repoRoot } from '../scripts/lib/profiles.mjs';
import { ensureUser } from '../scripts/lib/users.mjs';
import { stack } from './support/stack';

const sweepMigration = join(repoRoot, 'supabase', 'migrations', '20261201120000_schedule_stale_session_sweep.sql');
const scratch: string[] = [];
afterAll(() => {
  for (const name of scratch) dropScratchDatabase(stack, name);
});

function scratchDatabase(name: string, options?: { autoGrants?: boolean }) {
  scratch.push(name);
  return createScratchDatabase(stack, name, options);
}

// Default privileges postgres's new objects in public get, per API role, as aclitem letters.
function defaultPrivileges(adminUrl: string) {
  const rows = query(
    adminUrl,
    `select d.defaclobjtype::text || ':' || r.rolname || '=' || string_agg(a.privilege_type, ',' order by a.privilege_type)
       from pg_default_acl d cross join aclexplode(d.defaclacl) a join pg_roles r on r.oid = a.grantee
      where d.defaclrole = 'postgres'::regrole and d.defaclnamespace = 'public'::regnamespace
        and r.rolname in ('anon', 'authenticated', 'service_role')
      group by d.defaclobjtype, r.rolname order by 1`,
  );
  return rows.split('\n').filter(Boolean);
}

describe('the grant regimes of the platform baseline', () => {
  it('with automatic grants on, gives the API roles everything on new tables, sequences and functions', () => {
    const db = scratchDatabase('grants_on_regime');
    const all = 'DELETE,INSERT,REFERENCES,SELECT,TRIGGER,TRUNCATE,UPDATE';
    expect(defaultPrivileges(db.adminUrl)).toEqual([
      'S:anon=SELECT,UPDATE,USAGE', 'S:authenticated=SELECT,UPDATE,USAGE', 'S:service_role=SELECT,UPDATE,USAGE',
      `f:anon=EXECUTE`, `f:authenticated=EXECUTE`, `f:service_role=EXECUTE`,
      `r:anon=${all}`, `r:authenticated=${all}`, `r:service_role=${all}`,
    ]);
  });

  it('with automatic grants off, revokes exactly what the platform revokes and leaves TRUNCATE, REFERENCES and TRIGGER', () => {
    const db = scratchDatabase('grants_off_regime', { autoGrants: false });
    expect(defaultPrivileges(db.adminUrl)).toEqual([
      'S:anon=UPDATE', 'S:authenticated=UPDATE', 'S:service_role=UPDATE',
      'r:anon=REFERENCES,TRIGGER,TRUNCATE', 'r:authenticated=REFERENCES,TRIGGER,TRUNCATE',
      'r:service_role=REFERENCES,TRIGGER,TRUNCATE',
    ]);
    // So a table a migration forgets to close keeps those three for every API role.
    const created = psql(db.dbUrl, ['-At', '-c', `create table public.forgotten (id int);
      select string_agg(privilege_type, ',' order by privilege_type) from information_schema.role_table_grants
       where table_name = 'forgotten' and grantee = 'authenticated'`]);
    expect(created.ok, created.stderr).toBe(true);
    expect(created.stdout.trim()).toBe('REFERENCES,TRIGGER,TRUNCATE');
  });
});

describe('pg_cron and the stale wizard-session sweep', () => {
  it('is created by the migrations where pg_cron is available but not created, and the sweep is scheduled', () => {
    // The test stack's own database, put back in the state Supabase hands over (pg_cron
    // preloaded, not created), then the migration runs as postgres; all rolled back.
    const result = psql(stack.adminUrl, ['-At', '-v', `migration=${sweepMigration}`, '-f', '-'], {
      input: `begin;
        drop extension pg_cron;
        select count(*) from pg_extension where extname = 'pg_cron';
        set role postgres;
        \\i :migration
        reset role;
        select e.extnamespace::regnamespace || ' ' || pg_get_userbyid(e.extowner) from pg_extension e where e.extname = 'pg_cron';
        select jobname || ' ' || schedule || ' ' || command || ' ' || username || ' ' || database || ' ' || active from cron.job;
        rollback;`,
    });
    expect(result.ok, result.stderr).toBe(true);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toEqual([
      '0',
      'pg_catalog supabase_admin',
      'abandon-stale-wizard-sessions 17 3 * * * select private.abandon_stale_wizard_sessions() postgres postgres true',
    ]);
    expect(result.stderr).toContain('abandon-stale-wizard-sessions scheduled daily at 03:17');
  });

  it('is left alone where pg_cron cannot run, with a NOTICE that names the manual step', () => {
    const db = scratchDatabase('no_pg_cron_here');
    const result = psql(db.dbUrl, ['-f', sweepMigration]);
    expect(result.ok, result.stderr).toBe(true);
    expect(result.stderr).toContain('pg_cron is not available here (pg_cron runs in database postgres only (cron.database_name))');
    expect(result.stderr).toContain(
      "in database postgres run select cron.schedule_in_database('abandon-stale-wizard-sessions', '17 3 * * *', 'select private.abandon_stale_wizard_sessions()', 'no_pg_cron_here')",
    );
    expect(query(db.adminUrl, "select count(*) from pg_extension where extname = 'pg_cron'")).toBe('0');
  });
});

describe('users made without Supabase Auth', () => {
  it('get every column GoTrue sets on sign-up (npm run token and the tests use the same code)', () => {
    const email = `columns-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const id = ensureUser(stack, email);
    const row = query(
      stack.adminUrl,
      `select concat_ws(' ', instance_id, aud, role, email, email_confirmed_at is not null, created_at is not null,
                        updated_at is not null, raw_app_meta_data ->> 'provider', is_sso_user, is_anonymous)
         from auth.users where id = '${id}'`,
    );
    expect(row).toBe(`00000000-0000-0000-0000-000000000000 authenticated authenticated ${email} t t t email f f`);
  });

  it('are found again by email rather than created twice, which the unique email index would refuse', () => {
    const email = `twice-${crypto.randomUUID().slice(0, 8)}@example.test`;
    expect(ensureUser(stack, email)).toBe(ensureUser(stack, email));
  });
});
