// The production upgrade on the live app's database, as it is. Three shapes:
//   - the v2.0 shape (the baseline migration; tests/upgrade/upgrade.test.ts upgrades it with 240
//     users of data, and here the first upgrade migration is shown to change nothing on it);
//   - the live shape: every object the live app's SQL and code create (tests/upgrade/live-shape.ts);
//   - mixes of the two: each live object present or absent (live-database-mixes.test.ts).
// Each is built from a v2.0 database the way production got there, filled with rows real users
// hold (including values the v2.1 rules refuse), upgraded as `supabase db push` does after
// `supabase migration repair --status applied 20250107000000`, and reconciled: every row counted,
// every live-only value found again in its home or archived with the reason. A damaged upgrade
// that drops one value is shown to fail the reconciliation.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropScratchDatabase, psql, pushMigrationsTo, query } from '../../scripts/lib/database.mjs';
import { comparisonProfile, schemaChanges } from '../../scripts/lib/declared-schema.mjs';
import { stack } from '../support/stack';
import {
  applyPending, buildLive, catalogFingerprint, cloneTemplate, countProblems, docCounts, docQueries, migrationsDir, temporary,
  useLiveDatabases,
} from './live-database';
import { liveObjects } from './live-shape';
import { reconcile } from './reconcile';

useLiveDatabases();

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
