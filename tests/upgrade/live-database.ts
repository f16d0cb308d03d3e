// The live app's databases for the upgrade tests (live-database.test.ts and
// live-database-mixes.test.ts, which vitest may run side by side): a v2.0 template per
// test file, its clones with the live shape and rows, and the counts that reconcile them.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, expect } from 'vitest';
import {
  applyMigrationFiles,
  createScratchDatabase,
  databaseUrl,
  dropScratchDatabase,
  markMigrationsApplied,
  psql,
  psqlFile,
  query,
} from '../../scripts/lib/database.mjs';
import { repoRoot } from '../../scripts/lib/profiles.mjs';
import { stack } from '../support/stack';
import { type LiveObject, liveData, liveShapeSql, loadLiveData } from './live-shape';

export const migrationsDir = join(repoRoot, 'supabase', 'migrations');
const baselineVersion = '20250107000000';
const template = `upgrade_live_template_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const created: string[] = [];
export const temporary: string[] = [];

// A v2.0 production database: the baseline loaded and marked applied, as the cut-over starts.
function buildTemplate() {
  const db = createScratchDatabase(stack, template);
  const baseline = psqlFile(db.dbUrl, join(migrationsDir, `${baselineVersion}_v2_0_baseline.sql`));
  if (!baseline.ok) throw new Error(`the v2.0 baseline failed to load: ${baseline.stderr}`);
  markMigrationsApplied(db.dbUrl, [baselineVersion]);
}

export function cloneTemplate(name: string) {
  query(stack.adminUrl, `drop database if exists ${name} with (force)`);
  query(stack.adminUrl, `create database ${name} template ${template}`);
  // A clone has the template's contents, not its database settings (scripts/platform/baseline.sql).
  query(stack.adminUrl, `alter database ${name} owner to postgres`);
  query(stack.adminUrl, `alter database ${name} set search_path to "$user", public, extensions`);
  created.push(name);
  return { name, dbUrl: databaseUrl(stack, name), adminUrl: databaseUrl(stack, name, 'supabase_admin') };
}

// What `supabase db push` does with each pending migration (one transaction per file, the
// version recorded with it), without the CLI's start-up time; the live shape below goes
// through the CLI.
export function applyPending(dbUrl: string, dir = migrationsDir) {
  applyMigrationFiles(dbUrl, { dir, after: baselineVersion });
}

export async function buildLive(name: string, objects: readonly LiveObject[], users: number, prefix: number) {
  const db = cloneTemplate(name);
  const shape = psql(db.dbUrl, ['-1', '-c', liveShapeSql(objects)]);
  if (!shape.ok) throw new Error(`the live shape failed to build: ${shape.stderr}`);
  const data = liveData(objects, { users, prefix });
  const sql = postgres(db.dbUrl, { max: 1, onnotice: () => {}, connection: { TimeZone: 'UTC' } });
  await loadLiveData(sql, data);
  const before: Record<string, number> = {};
  for (const table of Object.keys(data.rows)) {
    const [{ n }] = await sql`select count(*)::int as n from ${sql('public')}.${sql(table)}`;
    before[table] = n;
  }
  return { db, data, sql, before };
}

// Rows per table after the upgrade: those before, less the ones archived instead of kept
// (tables v2.1 does not have are counted in the archive).
export async function countProblems(sql: postgres.Sql, data: ReturnType<typeof liveData>, before: Record<string, number>) {
  const problems: string[] = [];
  expect(before).toEqual(data.rows);
  for (const [table, n] of Object.entries(data.rows)) {
    const [{ present }] = await sql`select to_regclass(${`public.${table}`}) is not null as present`;
    const [{ stashed }] = await sql`select to_regclass('private.upgrade_stash') is not null as stashed`;
    if (!present) {
      const source = table === 'job_matching_preferences_temp' ? table : null;
      if (source) {
        const [{ archived }] = await sql`select count(*)::int as archived from private.legacy_profile_entries where source = ${source}`;
        if (archived !== n) problems.push(`${table}: ${n} live rows, ${archived} archived`);
      } else if (stashed) {
        const [{ waiting }] = await sql`select count(*)::int as waiting from private.upgrade_stash where source = ${table}`;
        if (waiting !== n) problems.push(`${table}: ${n} live rows, ${waiting} waiting in private.upgrade_stash`);
      } else {
        problems.push(`${table}: ${n} live rows, and neither the table nor the stash exists`);
      }
      continue;
    }
    const [{ after }] = await sql`select count(*)::int as after from ${sql('public')}.${sql(table)}`;
    const want = n - (data.archivedRows[table] ?? 0);
    if (after !== want) problems.push(`${table}: ${after} rows after the upgrade, expected ${want} (${n} before, ${data.archivedRows[table] ?? 0} archived)`);
  }
  return problems;
}

// The catalog of public and private as text: tables, columns, constraints, indexes, policies,
// triggers, functions, comments and grants.
export function catalogFingerprint(dbUrl: string) {
  return query(dbUrl, `
    select md5(string_agg(x, E'\\n' order by x)) from (
      select format('rel %s.%s %s %s %s', n.nspname, c.relname, c.relkind, c.relrowsecurity, c.relacl) as x
        from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname in ('public', 'private')
      union all
      select format('col %s.%s %s %s %s %s', c.relnamespace::regnamespace, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                    pg_get_expr(d.adbin, d.adrelid))
        from pg_attribute a join pg_class c on c.oid = a.attrelid left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
       where c.relnamespace in ('public'::regnamespace) and a.attnum > 0 and not a.attisdropped
      union all
      select format('con %s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid)) from pg_constraint where connamespace = 'public'::regnamespace
      union all
      select format('idx %s', pg_get_indexdef(indexrelid)) from pg_index i join pg_class c on c.oid = i.indrelid where c.relnamespace = 'public'::regnamespace
      union all
      select format('pol %s %s %s %s %s %s', tablename, policyname, cmd, roles, qual, with_check) from pg_policies where schemaname = 'public'
      union all
      select format('trg %s %s', pg_get_triggerdef(t.oid), t.tgenabled) from pg_trigger t join pg_class c on c.oid = t.tgrelid
       where c.relnamespace = 'public'::regnamespace and not t.tgisinternal
      union all
      select format('fn %s %s', pg_get_functiondef(p.oid), p.proacl) from pg_proc p where p.pronamespace in ('public'::regnamespace)
      union all
      select format('com %s %s %s', objoid, objsubid, description) from pg_description d join pg_class c on c.oid = d.objoid where c.relnamespace = 'public'::regnamespace
    ) catalog`);
}

// The SQL blocks of docs/upgrading.md, in order: the row counts, then the archive and stash.
export function docQueries() {
  return [...readFileSync(join(repoRoot, 'docs', 'upgrading.md'), 'utf8').matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]);
}

export function docCounts(dbUrl: string) {
  return new Map(query(dbUrl, docQueries()[0]).split('\n').map((l) => l.split('|')).map(([t, n]) => [t, Number(n)]));
}

// The file's template before its tests, and every database and folder it made gone after.
export function useLiveDatabases() {
  beforeAll(() => buildTemplate(), 120_000);
  afterAll(() => {
    for (const name of created) dropScratchDatabase(stack, name);
    dropScratchDatabase(stack, template);
    for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
  });
}

