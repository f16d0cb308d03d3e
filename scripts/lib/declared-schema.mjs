// The declared schema (supabase/schemas/*.sql) against the migrations: a scratch database
// built from the files, compared with one built from supabase/migrations by Supabase's
// diff engine pg-delta. Used by the drift gate in `npm test` and by `npm run db:diff`,
// which writes the migration that takes the migrated state to the declared one.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StackError } from './console.mjs';
import { createScratchDatabase, dropScratchDatabase, psqlFile, query } from './database.mjs';
import { run } from './processes.mjs';
import { repoRoot } from './profiles.mjs';

const pgdelta = join(repoRoot, 'node_modules', '.bin', 'pgdelta');
export const schemasDir = join(repoRoot, 'supabase', 'schemas');
export const migrationsDir = join(repoRoot, 'supabase', 'migrations');

// Rows that belong to the schema rather than to users: pg-delta compares the catalog
// only, so these are compared (and migrated) as data. Each query lists a table's rows
// as text, keyed by the column that identifies a row.
export const referenceTables = [
  { table: 'private.error_codes', key: 'sqlstate', columns: ['sqlstate', 'http_status', 'meaning'] },
  { table: 'private.row_quotas', key: 'table_name', columns: ['table_name', 'max_rows', 'per'] },
  { table: 'private.export_exclusions', key: 'table_name', columns: ['table_name', 'reason'] },
  { table: 'private.ai_events_retention', key: 'singleton', columns: ['singleton', 'keep_days', 'batch_users'] },
  { table: 'storage.buckets', key: 'id', columns: ['id', 'name', 'public', 'file_size_limit', 'allowed_mime_types'] },
];

export function schemaFiles(dir = schemasDir) {
  return readdirSync(dir).filter((f) => /^\d\d_[a-z_]+\.sql$/.test(f)).sort().map((f) => join(dir, f));
}

// A database with the platform baseline and the declared files loaded in order.
export function buildDeclaredDatabase(profile, name, { dir = schemasDir } = {}) {
  const db = createScratchDatabase(profile, name);
  for (const file of schemaFiles(dir)) {
    const loaded = psqlFile(db.dbUrl, file);
    if (!loaded.ok) {
      throw new StackError(`${file.slice(repoRoot.length + 1)} does not load into an empty database; fix it and run again.`, loaded.stderr);
    }
  }
  return db;
}

// pg-delta compares what we own: Supabase's own policy (the one `supabase db diff` uses)
// leaves out the platform's schemas and roles, and ours adds back the policies we put on
// storage.objects, and leaves out pg_cron (present only in the database cron runs in; its
// jobs are compared by scheduledJobs) and what a test run adds (pgTAP, its helpers).
export async function comparisonProfile() {
  const { supabasePolicy } = await import('@supabase/pg-delta');
  const dir = mkdtempSync(join(tmpdir(), 'declared-schema-'));
  const profileFile = join(dir, 'profile.json');
  writeFileSync(profileFile, JSON.stringify({
    id: 'jobstalker',
    handlers: [],
    policy: {
      id: 'jobstalker',
      extends: [supabasePolicy],
      filter: [
        { match: { all: [{ kind: 'policy' }, { schema: ['storage'] }] }, action: 'include' },
        { match: { all: [{ kind: 'extension' }, { name: ['pg_cron', 'pgtap'] }] }, action: 'exclude' },
        // The pgTAP helpers a test run adds (supabase/tests), never part of the schema.
        { match: { schema: ['tests'] }, action: 'exclude' },
        { match: { all: [{ kind: 'schema' }, { name: ['tests'] }] }, action: 'exclude' },
      ],
    },
  }));
  return { profileFile, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function adminUrlOf(db) {
  return db.adminUrl ?? db.dbUrl.replace('//postgres:', '//supabase_admin:');
}

function pgDelta(args) {
  const result = run(pgdelta, args, { env: { NO_COLOR: '1' } });
  if (!result.ok && result.status !== 3) {
    throw new StackError(`pg-delta ${args[0]} failed.`, `${result.stdout}\n${result.stderr}`);
  }
  return result;
}

// The SQL that takes `sourceUrl` to `desiredUrl` (empty when they are equal), as pg-delta
// plans and renders it; drops included, since a declared file that loses an object means it.
export function schemaChanges(sourceUrl, desiredUrl, profileFile) {
  const dir = mkdtempSync(join(tmpdir(), 'schema-changes-'));
  try {
    const plan = join(dir, 'plan.json');
    pgDelta(['plan', '--source', sourceUrl, '--desired', desiredUrl, '--profile', profileFile, '--out', plan]);
    const rendered = pgDelta(['render', '--plan', plan, '--out', join(dir, 'changes'), '--allow-drops']);
    if (rendered.status === 3) return [];
    const files = readdirSync(dir).filter((f) => f.startsWith('changes') && f.endsWith('.sql')).sort();
    return files.map((f) => columnGrantsLast(readFileSync(join(dir, f), 'utf8')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// pg-delta (1.0.0-alpha.34) can order `GRANT UPDATE (col) ON TABLE t` before the
// `REVOKE ALL ON TABLE t` that replaces a table-wide grant, and a table-level REVOKE also
// takes every column privilege away: the column grants would be lost. Column-level
// grants and revokes touch nothing else, so they go last, in their order.
export function columnGrantsLast(sql) {
  const statements = splitStatements(sql);
  const column = /^(GRANT|REVOKE)\s[^;]*\("[^"]+"\)\s+ON\s+TABLE\s/i;
  return [...statements.filter((s) => !column.test(s)), ...statements.filter((s) => column.test(s))].join('\n\n') + '\n';
}

// Top-level statements of a SQL text (quotes, dollar quotes and comments respected).
export function splitStatements(text) {
  const statements = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i, i + 2);
    if (rest === '--') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else if (text[i] === "'" || text[i] === '"') {
      const quote = text[i];
      i += 1;
      while (i < text.length && !(text[i] === quote && text[i + 1] !== quote)) i += text[i] === quote ? 2 : 1;
      i += 1;
    } else if (text[i] === '$' && /^\$[A-Za-z_0-9]*\$/.test(text.slice(i, i + 64))) {
      const tag = /^\$[A-Za-z_0-9]*\$/.exec(text.slice(i, i + 64))[0];
      const end = text.indexOf(tag, i + tag.length);
      i = end < 0 ? text.length : end + tag.length;
    } else if (text[i] === ';') {
      statements.push(text.slice(start, i + 1).trim());
      start = i + 1;
      i += 1;
    } else {
      i += 1;
    }
  }
  if (text.slice(start).trim()) statements.push(text.slice(start).trim());
  return statements.filter(Boolean);
}

function referenceRows(url, { table, key, columns }) {
  // A table the migrations have not created yet holds no rows.
  if (query(url, `select to_regclass('${table}') is null`) === 't') return {};
  const text = query(url, `select coalesce(json_object_agg(${key}::text, json_build_object(${columns.map((c) => `'${c}', ${c}`).join(', ')})), '{}') from ${table}`);
  return JSON.parse(text);
}

// Statements that make the reference rows of `sourceUrl` those of `desiredUrl`.
export function referenceDataChanges(sourceUrl, desiredUrl) {
  const statements = [];
  const literal = (value) => {
    if (value === null) return 'null';
    if (Array.isArray(value)) return `array[${value.map(literal).join(', ')}]`;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return `'${String(value).replace(/'/g, "''")}'`;
  };
  for (const spec of referenceTables) {
    const have = referenceRows(sourceUrl, spec);
    const want = referenceRows(desiredUrl, spec);
    for (const [id, row] of Object.entries(want)) {
      if (JSON.stringify(have[id]) === JSON.stringify(row)) continue;
      const values = spec.columns.map((c) => literal(row[c])).join(', ');
      const updates = spec.columns.filter((c) => c !== spec.key).map((c) => `${c} = excluded.${c}`).join(', ');
      statements.push(`insert into ${spec.table} (${spec.columns.join(', ')}) values (${values})\n  on conflict (${spec.key}) do update set ${updates};`);
    }
    for (const id of Object.keys(have)) {
      if (!(id in want)) statements.push(`delete from ${spec.table} where ${spec.key}::text = ${literal(id)};`);
    }
  }
  return statements;
}

// pg-delta (1.0.0-alpha.34) does not always see a per-schema default privilege, so
// postgres's default ACLs (the ones our objects get; the platform's own roles keep theirs)
// are compared here too, as the catalog lists them.
export function defaultPrivilegeChanges(sourceUrl, desiredUrl) {
  const acls = (url) => query(url, `select format('%s %s %s %s', defaclrole::regrole,
      coalesce(nullif(defaclnamespace, 0)::regnamespace::text, '(all schemas)'), defaclobjtype, defaclacl)
    from pg_default_acl where defaclrole = 'postgres'::regrole order by 1`).split('\n').filter(Boolean);
  const have = acls(sourceUrl);
  const want = acls(desiredUrl);
  return [...want.filter((a) => !have.includes(a)).map((a) => `-- default privileges declared but not migrated: ${a}`),
    ...have.filter((a) => !want.includes(a)).map((a) => `-- default privileges migrated but not declared: ${a}`)];
}

// Every `cron.schedule('name', 'schedule', 'command')` in the given SQL files (the
// migrations), and every `private.schedule_job('name', 'schedule', 'command')` (the schema
// files' helper, supabase/schemas/00_platform.sql), by name.
export function scheduledJobs(files) {
  const jobs = {};
  const call = /(?:cron\.schedule|private\.schedule_job)\(\s*'([^']+)'\s*,\s*'([^']+)'\s*,\s*'((?:[^']|'')*)'\s*\)/g;
  for (const file of files) {
    for (const [, name, schedule, command] of readFileSync(file, 'utf8').matchAll(call)) {
      jobs[name] = { schedule, command: command.replace(/''/g, "'") };
    }
  }
  return jobs;
}

export function migrationFiles() {
  return readdirSync(migrationsDir).filter((f) => f.endsWith('.sql')).sort().map((f) => join(migrationsDir, f));
}

// The drift gate: what separates a migrated database from the declared schema. `migrated`
// is the database `supabase db push` built (with pg_cron where the cluster runs it); the
// declared files are loaded into a scratch database of the same cluster. Empty lists mean
// the two agree on the catalog, the reference rows and the scheduled jobs.
export async function driftReport(profile, migratedAdminUrl, { dir = schemasDir, name = 'drift_declared' } = {}) {
  const declared = buildDeclaredDatabase(profile, name, { dir });
  const comparison = await comparisonProfile();
  try {
    const schema = schemaChanges(migratedAdminUrl, declared.adminUrl, comparison.profileFile);
    const data = [...referenceDataChanges(migratedAdminUrl, declared.adminUrl),
      ...defaultPrivilegeChanges(migratedAdminUrl, declared.adminUrl)];
    const jobs = [];
    const want = scheduledJobs(schemaFiles(dir));
    const cronHere = query(migratedAdminUrl, "select count(*) from pg_extension where extname = 'pg_cron'") === '1';
    const have = cronHere
      ? Object.fromEntries(JSON.parse(query(migratedAdminUrl, "select coalesce(json_agg(json_build_array(jobname, schedule, command)), '[]') from cron.job"))
        .map(([jobname, schedule, command]) => [jobname, { schedule, command }]))
      : want;
    for (const [job, spec] of Object.entries(want)) {
      if (JSON.stringify(have[job]) !== JSON.stringify(spec)) jobs.push(`cron job ${job}: declared ${JSON.stringify(spec)}, scheduled ${JSON.stringify(have[job] ?? null)}`);
    }
    for (const job of Object.keys(have)) if (!(job in want)) jobs.push(`cron job ${job} is scheduled but not declared`);
    return { schema, data, jobs, empty: !schema.length && !data.length && !jobs.length };
  } finally {
    comparison.cleanup();
    dropScratchDatabase(profile, declared.name);
  }
}
