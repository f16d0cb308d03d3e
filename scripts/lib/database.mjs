// Loading the platform baseline, the migrations (through the real Supabase CLI, so the
// history table is the one Supabase keeps) and the seed into a stack's database.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from './console.mjs';
import { postgresBin } from './prerequisites.mjs';
import { pidAlive, run } from './processes.mjs';
import { repoRoot } from './profiles.mjs';

const supabaseCli = join(repoRoot, 'node_modules', '.bin', 'supabase');

// Postgres 15's own psql: Debian's /usr/bin/psql is a Perl wrapper that picks a version
// first, which costs about 0.1 s of CPU a call, and the suites call psql hundreds of times.
export function psql(url, args, options = {}) {
  return run(join(postgresBin, 'psql'), [url, '-v', 'ON_ERROR_STOP=1', '-X', '-q', ...args], options);
}

export function psqlFile(url, file, variables = {}) {
  const vars = Object.entries(variables).flatMap(([k, v]) => ['-v', `${k}=${v}`]);
  return psql(url, [...vars, '-f', file]);
}

export function query(url, sql) {
  const result = psql(url, ['-At', '-c', sql]);
  if (!result.ok) throw new StackError(`A query failed: ${sql}`, result.stderr);
  return result.stdout.trim();
}

export function loadBaseline(profile, { autoGrants = true } = {}) {
  const result = psqlFile(profile.adminUrl, join(repoRoot, 'scripts', 'platform', 'baseline.sql'), {
    auto_grants: autoGrants ? 'on' : 'off',
  });
  if (!result.ok) throw new StackError('The platform baseline (scripts/platform/baseline.sql) failed to load.', result.stderr);
}

// The local cluster has no TLS; the CLI would otherwise insist on it for --db-url.
export function cliUrl(dbUrl) {
  return dbUrl.includes('sslmode=') ? dbUrl : `${dbUrl}${dbUrl.includes('?') ? '&' : '?'}sslmode=disable`;
}

export function supabase(args, options = {}) {
  return run(supabaseCli, args, { cwd: repoRoot, ...options, env: { SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', ...(options.env ?? {}) } });
}

// The CLI prints "Applying migration NAME..." before each file; the last one named
// before an ERROR is the one that failed.
function explainMigrationFailure(output) {
  const applied = [...output.matchAll(/Applying migration (\S+?)\.{3}/g)].map((m) => m[1]);
  const failed = applied.at(-1);
  const error = output.split('\n').filter((line) => /ERROR|error|failed/i.test(line)).slice(0, 6).join('\n');
  const where = failed ? `supabase/migrations/${failed}` : 'a migration';
  return new StackError(`Migration ${where} failed: ${error.split('\n')[0] || 'see the CLI output below'}. Fix it (or add a new migration if it has already landed) and run again.`, output);
}

export function pushMigrations(profile) {
  const result = supabase(['db', 'push', '--db-url', cliUrl(profile.dbUrl), '--include-all', '--yes']);
  const output = `${result.stdout}\n${result.stderr}`;
  if (!result.ok) throw explainMigrationFailure(output);
  return [...output.matchAll(/Applying migration (\S+?)\.{3}/g)].length;
}

export function loadSeed(profile) {
  const seed = join(repoRoot, 'supabase', 'seed.sql');
  if (!existsSync(seed) || readFileSync(seed, 'utf8').trim() === '') return;
  const result = psqlFile(profile.dbUrl, seed);
  if (!result.ok) throw new StackError('supabase/seed.sql failed to load.', result.stderr);
}

export function databaseUrl(profile, database, user = 'postgres') {
  return `postgresql://${user}:postgres@127.0.0.1:${profile.dbPort}/${database}`;
}

// The platform baseline alters the cluster's roles (pg_authid is shared by every database),
// and two loads at once update the same rows ("tuple concurrently updated"): npm test builds
// scratch databases side by side, so the loads into one cluster take turns, across
// processes, behind a lock folder in the stack's folder (a holder that died frees it).
export function takingTurns(profile, work) {
  const lock = join(profile.dir, 'baseline.lock');
  const owner = join(lock, 'pid');
  const nap = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(owner, String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      if (lockAbandoned(lock, owner)) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new StackError(`${lock} has been held for ten minutes; remove it if no npm test is running.`);
      else Atomics.wait(nap, 0, 0, 50);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

// The folder and its pid file are made and removed by other processes while we look:
// a file not there (yet, or any more) is someone's turn starting or ending, not a death.
// Only a holder whose pid is gone, or a folder left without a pid for ten seconds (its
// maker died between the two calls), is abandoned.
export function lockAbandoned(lock, owner) {
  try {
    const holder = Number(readFileSync(owner, 'utf8'));
    return holder > 0 && !pidAlive(holder);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  try {
    return Date.now() - statSync(lock).mtimeMs > 10_000;
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
    return false;
  }
}

// A separate database in the same cluster with the platform baseline loaded, for
// tests that need a database of their own (upgrade path, second grant regime, bench).
export function createScratchDatabase(profile, name, { autoGrants = true } = {}) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  query(profile.adminUrl, `drop database if exists ${name} with (force)`);
  query(profile.adminUrl, `create database ${name}`);
  const adminUrl = databaseUrl(profile, name, 'supabase_admin');
  const result = takingTurns(profile, () =>
    psqlFile(adminUrl, join(repoRoot, 'scripts', 'platform', 'baseline.sql'), { auto_grants: autoGrants ? 'on' : 'off' }));
  if (!result.ok) throw new StackError(`The platform baseline failed to load into ${name}.`, result.stderr);
  return { name, dbUrl: databaseUrl(profile, name), adminUrl };
}

// The second grant regime npm test checks: a database of the stack's cluster with
// automatic grants to the API roles off, migrated and seeded as the stack's own.
export function buildGrantsOffDatabase(profile, name) {
  const db = createScratchDatabase(profile, name, { autoGrants: false });
  pushMigrationsTo(db.dbUrl);
  const seeded = psqlFile(db.dbUrl, join(repoRoot, 'supabase', 'seed.sql'));
  if (!seeded.ok) throw new StackError(`supabase/seed.sql failed to load into ${name}.`, seeded.stderr);
  return db;
}

export function dropScratchDatabase(profile, name) {
  query(profile.adminUrl, `drop database if exists ${name} with (force)`);
}

// Applies pending migrations to any database URL, as `supabase db push` does.
export function pushMigrationsTo(dbUrl, { workdir = repoRoot } = {}) {
  const result = supabase(['db', 'push', '--db-url', cliUrl(dbUrl), '--include-all', '--yes'], { cwd: workdir });
  if (!result.ok) throw explainMigrationFailure(`${result.stdout}\n${result.stderr}`);
}

// The migration files of `dir` named after version `after`, in one psql session, each its own
// transaction, as `supabase db push` applies them (with its version row in the CLI's history
// table when `record`), without the CLI: a CLI start costs 3 to 4 s of CPU, as much as the
// SQL, so the tests' scratch databases are migrated this way (npm start and npm test's own
// databases still go through the CLI). Returns what psql said (the migrations' NOTICEs);
// the first error stops the session, and what it said (ERROR, DETAIL, HINT, CONTEXT: the
// file and line) is thrown.
export function applyMigrationFiles(dbUrl, { dir = join(repoRoot, 'supabase', 'migrations'), after = '', record = true } = {}) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql') && f.slice(0, 14) > after).sort();
  const script = files.map((file) => [
    'begin;',
    `\\i '${join(dir, file)}'`,
    ...(record ? [`insert into supabase_migrations.schema_migrations (version, name) values ('${file.slice(0, 14)}', '${file.slice(15, -4)}');`] : []),
    'commit;',
  ].join('\n')).join('\n');
  const result = psql(dbUrl, ['-f', '-'], { input: script });
  if (!result.ok) throw new Error(`${result.stderr.split('\n').filter((l) => /ERROR|DETAIL|HINT|CONTEXT/.test(l)).join('\n')}`);
  return result.stderr;
}

// Marks migrations as applied without running them (`supabase migration repair`),
// what a production v2.0 database does with the baseline migration.
export function markMigrationsApplied(dbUrl, versions) {
  const result = supabase(['migration', 'repair', '--db-url', cliUrl(dbUrl), '--status', 'applied', ...versions, '--yes']);
  if (!result.ok) throw new StackError(`supabase migration repair failed for ${versions.join(', ')}.`, `${result.stdout}\n${result.stderr}`);
}
