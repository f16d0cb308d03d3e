// Loading the platform baseline, the migrations (through the real Supabase CLI, so the
// history table is the one Supabase keeps) and the seed into a stack's database.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from './console.mjs';
import { run } from './processes.mjs';
import { repoRoot } from './profiles.mjs';

const supabaseCli = join(repoRoot, 'node_modules', '.bin', 'supabase');

export function psql(url, args, options = {}) {
  return run('psql', [url, '-v', 'ON_ERROR_STOP=1', '-X', '-q', ...args], options);
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
  const result = supabase(['db', 'push', '--db-url', profile.dbUrl, '--include-all', '--yes']);
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
