// The production upgrade on the live app's database, as it is. Three shapes:
//   - the v2.0 shape (the baseline migration; tests/upgrade/upgrade.test.ts upgrades it with 240
//     users of data, and here the first upgrade migration is shown to change nothing on it);
//   - the live shape: every object the live app's SQL and code create (tests/upgrade/live-shape.ts);
//   - mixes of the two: each live object present or absent (a covering design, and a random mix).
// Each is built from a v2.0 database the way production got there, filled with rows real users
// hold (including values the v2.1 rules refuse), upgraded as `supabase db push` does after
// `supabase migration repair --status applied 20250107000000`, and reconciled: every row counted,
// every live-only value found again in its home or archived with the reason. A damaged upgrade
// that drops one value is shown to fail the reconciliation.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createScratchDatabase,
  databaseUrl,
  dropScratchDatabase,
  markMigrationsApplied,
  psql,
  psqlFile,
  pushMigrationsTo,
  query,
} from '../../scripts/lib/database.mjs';
import { comparisonProfile, schemaChanges } from '../../scripts/lib/declared-schema.mjs';
import { repoRoot } from '../../scripts/lib/profiles.mjs';
import { stack } from '../support/stack';
import { type LiveObject, liveData, liveObjects, liveShapeSql, loadLiveData, seededRandom } from './live-shape';
import { reconcile } from './reconcile';

const migrationsDir = join(repoRoot, 'supabase', 'migrations');
const baselineVersion = '20250107000000';
const template = `upgrade_live_template_${process.pid}`;
const created: string[] = [];
const temporary: string[] = [];

// A v2.0 production database: the baseline loaded and marked applied, as the cut-over starts.
function buildTemplate() {
  const db = createScratchDatabase(stack, template);
  const baseline = psqlFile(db.dbUrl, join(migrationsDir, `${baselineVersion}_v2_0_baseline.sql`));
  if (!baseline.ok) throw new Error(`the v2.0 baseline failed to load: ${baseline.stderr}`);
  markMigrationsApplied(db.dbUrl, [baselineVersion]);
}

function cloneTemplate(name: string) {
  query(stack.adminUrl, `drop database if exists ${name} with (force)`);
  query(stack.adminUrl, `create database ${name} template ${template}`);
  // A clone has the template's contents, not its database settings (scripts/platform/baseline.sql).
  query(stack.adminUrl, `alter database ${name} owner to postgres`);
  query(stack.adminUrl, `alter database ${name} set search_path to "$user", public, extensions`);
  created.push(name);
  return { name, dbUrl: databaseUrl(stack, name), adminUrl: databaseUrl(stack, name, 'supabase_admin') };
}

// What `supabase db push` does with each pending migration (one transaction per file, the
// version recorded), without the CLI's start-up time; the live shape below goes through the CLI.
function applyPending(dbUrl: string, dir = migrationsDir) {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql') && f.slice(0, 14) > baselineVersion).sort()) {
    const result = psql(dbUrl, ['-1', '-f', join(dir, file)]);
    if (!result.ok) throw new Error(`${file} failed: ${result.stderr.split('\n').filter((l: string) => /ERROR|DETAIL|HINT|CONTEXT/.test(l)).join('\n')}`);
    query(dbUrl, `insert into supabase_migrations.schema_migrations (version, name) values ('${file.slice(0, 14)}', '${file.slice(15, -4)}')`);
  }
}

async function buildLive(name: string, objects: readonly LiveObject[], users: number, prefix: number) {
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
async function countProblems(sql: postgres.Sql, data: ReturnType<typeof liveData>, before: Record<string, number>) {
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
function catalogFingerprint(dbUrl: string) {
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
function docQueries() {
  return [...readFileSync(join(repoRoot, 'docs', 'upgrading.md'), 'utf8').matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]);
}

function docCounts(dbUrl: string) {
  return new Map(query(dbUrl, docQueries()[0]).split('\n').map((l) => l.split('|')).map(([t, n]) => [t, Number(n)]));
}

beforeAll(() => buildTemplate(), 120_000);

afterAll(() => {
  for (const name of created) dropScratchDatabase(stack, name);
  dropScratchDatabase(stack, template);
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

describe('the v2.0 shape', () => {
  it('is left exactly as it is by the migration that brings live databases to v2.0', () => {
    const db = cloneTemplate(`upgrade_v20_${process.pid}`);
    const before = catalogFingerprint(db.dbUrl);
    const result = psql(db.dbUrl, ['-1', '-f', join(migrationsDir, '20261207070000_bring_live_databases_to_v2_0.sql')]);
    expect(result.ok, result.stderr).toBe(true);
    expect(catalogFingerprint(db.dbUrl)).toBe(before);
    expect(query(db.dbUrl, "select to_regnamespace('private') is null")).toBe('t');
  });
});

describe('the live shape (every live object), pushed with the Supabase CLI', () => {
  let live: Awaited<ReturnType<typeof buildLive>>;
  let countsBefore: Map<string, number>;
  beforeAll(async () => {
    live = await buildLive(`upgrade_live_${process.pid}`, liveObjects, 40, 0x1a000000);
    countsBefore = docCounts(live.db.dbUrl);
    pushMigrationsTo(live.db.dbUrl);
  }, 240_000);
  afterAll(async () => { await live?.sql.end(); });

  it('holds every live object and every kind of value the v2.1 rules refuse', () => {
    const objects = new Set(live.data.expectations.map((e) => e.object));
    for (const o of liveObjects.filter((x) => x !== 'resumes_removed' && x !== 'ai_builder_recreated' && x !== 'optimize_structure' && x !== 'schema_sql_policies')) {
      expect(objects.has(o), `values of ${o}`).toBe(true);
    }
    expect(live.data.expectations.filter((e) => e.archive).length).toBeGreaterThan(20);
  });

  it('finds every live value again: in its v2.1 home, or archived with the reason', async () => {
    expect(await reconcile(live.sql, live.data.expectations)).toEqual([]);
  });

  it('keeps every row: rows per table before = rows after + rows archived', async () => {
    expect(await countProblems(live.sql, live.data, live.before)).toEqual([]);
  });

  it('ends with the catalog of an upgraded v2.0 database: no live policy, grant or function is left', async () => {
    const comparison = await comparisonProfile();
    try {
      const changes = schemaChanges(live.db.adminUrl, stack.adminUrl, comparison.profileFile).join('\n');
      // Until every value has its home, the stash is the one difference (see the next test).
      const stash = query(live.db.dbUrl, "select to_regclass('private.upgrade_stash') is not null") === 't';
      const rest = stash ? changes.split('\n\n').filter((s) => !s.includes('upgrade_stash')).join('\n\n').trim() : changes.trim();
      expect(rest).toBe('');
    } finally {
      comparison.cleanup();
    }
  }, 120_000);

  it('adds up with the queries of docs/upgrading.md: rows after + rows archived = rows before', () => {
    const after = docCounts(live.db.dbUrl);
    const archived = new Map(query(live.db.dbUrl, docQueries()[1].split(';')[0]).split('\n').map((l) => l.split('|')).map(([s, n]) => [s, Number(n)]));
    for (const [table, before] of countsBefore) {
      if (!after.has(table)) continue; // a live-only table: its rows are in the reconciliation above
      const moved = (archived.get(`${table}.rows_per_user`) ?? 0) + (table === 'user_languages' ? archived.get('user_languages') ?? 0 : 0);
      expect(after.get(table)! + moved, table).toBe(before);
    }
    expect(countsBefore.get('user_languages')).toBe(live.data.rows.user_languages);
    const stash = psql(live.db.dbUrl, ['-At', '-c', docQueries()[1].split(';').slice(1).join(';')]);
    expect(stash.ok || /upgrade_stash" does not exist/.test(stash.stderr), stash.stderr).toBe(true);
  });

  it('keeps the stash and the archive out of every API role\'s reach', async () => {
    const rows = await live.sql`select r.rolname, c.relname,
        has_table_privilege(r.rolname, c.oid, 'select, insert, update, delete') as any
      from pg_class c, pg_roles r
     where c.relnamespace = 'private'::regnamespace and c.relname in ('upgrade_stash', 'legacy_profile_entries')
       and r.rolname in ('anon', 'authenticated', 'service_role')`;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.any)).toEqual([]);
  });
});

// Mixes: object n is present in mix b when bit b of n is set, and in mix b' when it is not
// (4 bits cover the 12 objects, 8 mixes). So every object is absent in half the mixes and
// present in the other half, and for any two objects there is a mix with the one present and
// the other absent, and one the other way round: the handling of no object depends on another
// being there or not. Then a random mix (a fixed seed, so that a failure reproduces).
const bits = Math.ceil(Math.log2(liveObjects.length));
const random = seededRandom(20261207);
const mixes: { name: string; objects: LiveObject[] }[] = [
  ...Array.from({ length: bits }, (_, b) => [
    { name: `objects with bit ${b} set`, objects: liveObjects.filter((_, n) => (n >> b) & 1) },
    { name: `objects with bit ${b} clear`, objects: liveObjects.filter((_, n) => !((n >> b) & 1)) },
  ]).flat(),
  { name: 'a random mix', objects: liveObjects.filter(() => random() < 0.5) },
];

describe('mixes of the two: each live object present or absent', () => {
  it('cover every object present and absent, and every pair of objects in both orders', () => {
    for (const x of liveObjects) {
      for (const y of liveObjects.filter((o) => o !== x)) {
        expect(mixes.some((m) => m.objects.includes(x) && !m.objects.includes(y)), `${x} without ${y}`).toBe(true);
      }
    }
  });

  it.each(mixes.map((m, n) => [`${m.name} (${m.objects.join(', ') || 'none'})`, m.objects, n] as const))('%s: upgrades, counts every row and finds every value', async (_name, objects, n) => {
    const live = await buildLive(`upgrade_mix${n}_${process.pid}`, objects, 8, 0x2a000000 + n * 0x100000);
    try {
      applyPending(live.db.dbUrl);
      expect(await reconcile(live.sql, live.data.expectations)).toEqual([]);
      expect(await countProblems(live.sql, live.data, live.before)).toEqual([]);
    } finally {
      await live.sql.end();
      dropScratchDatabase(stack, live.db.name);
    }
  }, 60_000);
});

describe('the reconciliation', () => {
  it('fails, naming each value, when an upgrade drops a live value', async () => {
    // The same migrations, but the first one leaves phone_country_code out of the stash (and
    // then drops the column as usual): those values are gone.
    const dir = mkdtempSync(join(tmpdir(), 'damaged-migrations-'));
    temporary.push(dir);
    cpSync(migrationsDir, dir, { recursive: true });
    const first = join(dir, '20261207070000_bring_live_databases_to_v2_0.sql');
    const text = readFileSync(first, 'utf8');
    const damaged = text.replace('t.table_name, homed, t.table_name);', "t.table_name, pg_catalog.array_remove(homed, 'phone_country_code'), t.table_name);");
    expect(damaged).not.toBe(text);
    writeFileSync(first, damaged);

    const live = await buildLive(`upgrade_damaged_${process.pid}`, liveObjects, 12, 0x3a000000);
    try {
      applyPending(live.db.dbUrl, dir);
      const problems = await reconcile(live.sql, live.data.expectations);
      const lost = live.data.expectations.filter((e) => e.what.startsWith('user_profile.phone_country_code'));
      expect(lost.length).toBeGreaterThan(5);
      expect(problems.length).toBe(lost.length);
      for (const e of lost) expect(problems.some((p) => p.startsWith(`${e.what}:`)), e.what).toBe(true);
    } finally {
      await live.sql.end();
      dropScratchDatabase(stack, live.db.name);
    }
  }, 60_000);
});
