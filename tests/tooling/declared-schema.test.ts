// The declared schema is the one place each object lives, and the drift gate in npm test
// notices a change made on only one side: in supabase/schemas, or in what the migrations
// build. (The gate itself runs in scripts/test.mjs against the test stack's database.)
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrationFiles, createScratchDatabase, dropScratchDatabase, query } from '../../scripts/lib/database.mjs';
import { driftReport, schemaFiles, schemasDir } from '../../scripts/lib/declared-schema.mjs';
import { stack } from '../support/stack';

const copies: string[] = [];
const scratch: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
  for (const name of scratch) dropScratchDatabase(stack, name);
});

// A copy of supabase/schemas with some files edited.
function editedSchemas(edits: Record<string, (text: string) => string>) {
  const dir = mkdtempSync(join(tmpdir(), 'schemas-'));
  copies.push(dir);
  cpSync(schemasDir, dir, { recursive: true });
  for (const [file, edit] of Object.entries(edits)) {
    const path = join(dir, file);
    const before = readFileSync(path, 'utf8');
    const after = edit(before);
    expect(after, `the edit of ${file} changes it`).not.toBe(before);
    writeFileSync(path, after);
  }
  return dir;
}

// `create [or replace] <kind> <name>` of every file, as kind:name → files.
function definitions() {
  const where = new Map<string, string[]>();
  const pattern = /^create\s+(?:or\s+replace\s+)?(?:unique\s+)?(table|function|index|trigger|policy|view|schema)\s+(?:if\s+not\s+exists\s+)?("[^"]+"|[\w.]+)(?:\s+on\s+([\w.]+))?/gim;
  for (const file of schemaFiles()) {
    for (const [, kind, name, on] of readFileSync(file, 'utf8').matchAll(pattern)) {
      const key = `${kind.toLowerCase()}:${name}${on ? ` on ${on}` : ''}`;
      where.set(key, [...(where.get(key) ?? []), basename(file)]);
    }
  }
  return where;
}

describe('supabase/schemas', () => {
  it('defines each table, function, index, trigger and policy once', () => {
    const twice = [...definitions()].filter(([, files]) => files.length > 1);
    expect(twice).toEqual([]);
  });

  it('defines every table and function of the public and private schemas', () => {
    const defined = definitions();
    const catalog = query(stack.adminUrl, `
      select 'table:' || n.nspname || '.' || c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname in ('public', 'private') and c.relkind in ('r', 'p', 'v', 'm')
      union
      select distinct 'function:' || n.nspname || '.' || p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname in ('public', 'private')
         and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
      order by 1`).split('\n').filter(Boolean);
    expect(catalog.length).toBeGreaterThan(40);
    expect(catalog.filter((object) => !defined.has(object))).toEqual([]);
  });
});

// That the gate passes on an unchanged checkout is npm test's first suite; here, that it fails
// on a change made on either side. One report serves both tests (a gate run builds a database
// from the schema files and has pg-delta read two catalogs, the slowest step of this file):
// supabase/schemas is edited and the migrated database is changed, and each change must
// show up in the report (a gate that read only one side would miss the other's).
describe('the drift gate', () => {
  let report: Awaited<ReturnType<typeof driftReport>>;
  beforeAll(async () => {
    const dir = editedSchemas({
      // The jobs table's owner policies come from private.create_owner_policies: no delete one.
      '20_jobs.sql': (text) => text.replace("'Owners can delete their own jobs'", 'null'),
      '80_account.sql': (text) => text.replace("('jobs', 5000),", "('jobs', 6000),"),
    });
    scratch.push('drift_gate_migrated');
    const migrated = createScratchDatabase(stack, 'drift_gate_migrated');
    // Every migration, as db push applies them (npm test's drift gate reads the stack's
    // database, which the CLI migrated).
    applyMigrationFiles(migrated.dbUrl, { record: false });
    query(migrated.adminUrl, 'alter table public.jobs add column notes_from_a_hotfix text');
    report = await driftReport(stack, migrated.adminUrl, { dir, name: 'drift_gate_both' });
  }, 240_000);

  it('fails, naming the object and the reference row, when supabase/schemas changes', () => {
    expect(report.empty).toBe(false);
    expect(report.schema.join('\n')).toContain('DROP POLICY "Owners can delete their own jobs" ON "public"."jobs"');
    expect(report.data.join('\n')).toContain("values ('jobs', 6000, 'user')");
  });

  it('fails when the migrated database changes', () => {
    expect(report.empty).toBe(false);
    expect(report.schema.join('\n')).toContain('notes_from_a_hotfix');
  });
});
