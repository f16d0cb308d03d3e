// The platform baseline and the migrations that depend on it, where one database is not
// enough to show it: the two grant regimes side by side, and pg_cron both where it can
// run (created by the migrations, as on Supabase) and where it cannot (a NOTICE that
// names the manual step).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrationFiles, createScratchDatabase, dropScratchDatabase, psql, query } from '../../scripts/lib/database.mjs';
import { scheduledJobs, schemaFiles } from '../../scripts/lib/declared-schema.mjs';
import { repoRoot } from '../../scripts/lib/profiles.mjs';
import { ensureUser } from '../../scripts/lib/users.mjs';
import { stack } from '../support/stack';

const scratch: string[] = [];
afterAll(() => {
  for (const name of scratch) dropScratchDatabase(stack, name);
});

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? markdownFiles(join(dir, entry.name)) : entry.name.endsWith('.md') ? [join(dir, entry.name)] : []);
}

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

describe('pg_cron and the scheduled jobs', () => {
  it('is created by the migrations in the database cron runs in, where the jobs supabase/schemas declares are scheduled', () => {
    // The test stack's database took the migrations with pg_cron preloaded but not
    // created, as Supabase hands a project over.
    expect(query(stack.adminUrl, `select e.extnamespace::regnamespace || ' ' || pg_get_userbyid(e.extowner)
                                      from pg_extension e where e.extname = 'pg_cron'`)).toBe('pg_catalog supabase_admin');
    const scheduled = query(stack.adminUrl, `select jobname || '|' || schedule || '|' || command || '|' || username || '|' || active
                                               from cron.job order by jobname`).split('\n').filter(Boolean);
    const declared = Object.entries(scheduledJobs(schemaFiles()))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, job]) => `${name}|${job.schedule}|${job.command}|postgres|true`);
    expect(declared.length).toBeGreaterThanOrEqual(2);
    expect(scheduled).toEqual(declared);
  });

  it('schedules every job the docs name (README.md and docs/), and only those, on a freshly migrated database', () => {
    // "pg_cron job `name`", "the job `name`": a kebab-case name in backticks after "job".
    const docs = [join(repoRoot, 'README.md'), ...markdownFiles(join(repoRoot, 'docs'))];
    const named = new Set<string>();
    for (const file of docs) {
      for (const [, name] of readFileSync(file, 'utf8').matchAll(/\bjob\s+`([a-z][a-z0-9]*(?:-[a-z0-9]+)+)`/g)) named.add(name);
    }
    expect(named).toContain('forget-old-share-views');
    const scheduled = query(stack.adminUrl, 'select jobname from cron.job where active order by jobname').split('\n').filter(Boolean);
    expect(scheduled).toEqual([...named].sort());
  });

  it('is left alone where pg_cron cannot run, with a NOTICE that names each job\'s manual step', () => {
    const db = scratchDatabase('no_pg_cron_here');
    // The migrations in order, each its own transaction, as `supabase db push` runs them
    // (psql shows their NOTICEs), in one psql session.
    const said = applyMigrationFiles(db.dbUrl, { record: false });
    expect(said).toContain('pg_cron is not available here (pg_cron runs in database postgres only (cron.database_name))');
    expect(said).toContain('run select private.abandon_stale_wizard_sessions() on the schedule 17 3 * * * (UTC) from another scheduler');
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
