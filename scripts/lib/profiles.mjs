// Where a stack lives and which ports it uses. `dev` is what `npm start` runs with
// Supabase's local defaults; `test` is the throwaway stack `npm test` builds.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StackError } from './console.mjs';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const profiles = {
  dev: { dbPort: 54322, apiPort: 54321, restPort: 54326 },
  test: { dbPort: 54332, apiPort: 54331, restPort: 54336 },
  bench: { dbPort: 54342, apiPort: 54341, restPort: 54346 },
};

// Ports can be moved so that several stacks (say, one per developer checkout) run side
// by side: JOBSTALKER_<STACK>_DB_PORT / _API_PORT / _REST_PORT (e.g.
// JOBSTALKER_BENCH_DB_PORT) move that stack; JOBSTALKER_DB_PORT / JOBSTALKER_API_PORT /
// JOBSTALKER_REST_PORT move the stack JOBSTALKER_STACK names (dev when unset).
// restPort is PostgREST's own port; clients reach it through the gateway's /rest/v1.
// A stack remembers the ports it was last started with (.stack/<name>/ports.json, written
// when its database starts), so that `npm run status`, `npm stop`, `npm run token` and the
// test and bench commands find it from any shell: a port the environment names wins, then
// the remembered one, then the default. { remembered: false } reads only env and defaults.
export function stackProfile(name = 'dev', env = process.env, { remembered = true } = {}) {
  const defaults = profiles[name] ?? {};
  const kept = remembered ? rememberedPorts(name) : {};
  const selected = (env.JOBSTALKER_STACK ?? 'dev') === name;
  const port = (kind) => env[`JOBSTALKER_${name.toUpperCase()}_${kind}_PORT`] ?? (selected ? env[`JOBSTALKER_${kind}_PORT`] : undefined);
  const ports = {
    dbPort: Number(port('DB') ?? kept.dbPort ?? defaults.dbPort),
    apiPort: Number(port('API') ?? kept.apiPort ?? defaults.apiPort),
    restPort: Number(port('REST') ?? kept.restPort ?? defaults.restPort),
  };
  const missing = Object.entries(ports).filter(([, value]) => !Number.isInteger(value) || value < 1 || value > 65535);
  if (missing.length) throw new StackError(missingPortsSentence(name, missing.map(([kind]) => kind)));
  const dir = join(repoRoot, '.stack', name);
  return {
    name,
    ...ports,
    dir,
    dataDir: join(dir, 'pgdata'),
    logFile: join(dir, 'postgres.log'),
    gatewayLog: join(dir, 'gateway.log'),
    gatewayPidFile: join(dir, 'gateway.pid'),
    postgrestLog: join(dir, 'postgrest.log'),
    postgrestPidFile: join(dir, 'postgrest.pid'),
    postgrestConfig: join(dir, 'postgrest.conf'),
    portsFile: join(dir, 'ports.json'),
    dbUrl: `postgresql://postgres:postgres@127.0.0.1:${ports.dbPort}/postgres`,
    adminUrl: `postgresql://supabase_admin:postgres@127.0.0.1:${ports.dbPort}/postgres`,
    apiUrl: `http://127.0.0.1:${ports.apiPort}`,
    restUrl: `http://127.0.0.1:${ports.apiPort}/rest/v1`,
    postgrestUrl: `http://127.0.0.1:${ports.restPort}`,
  };
}

const portsFileOf = (name) => join(repoRoot, '.stack', name, 'ports.json');

// The ports a stack was last started with, or {} (never started, or an unreadable file).
export function rememberedPorts(name) {
  const file = portsFileOf(name);
  if (!existsSync(file)) return {};
  try {
    const { dbPort, apiPort, restPort } = JSON.parse(readFileSync(file, 'utf8'));
    const ok = (p) => (Number.isInteger(p) && p > 0 && p < 65536 ? p : undefined);
    return Object.fromEntries(Object.entries({ dbPort: ok(dbPort), apiPort: ok(apiPort), restPort: ok(restPort) }).filter(([, p]) => p));
  } catch {
    return {};
  }
}

export function rememberPorts(profile) {
  mkdirSync(profile.dir, { recursive: true });
  const { dbPort, apiPort, restPort } = profile;
  writeFileSync(portsFileOf(profile.name), `${JSON.stringify({ dbPort, apiPort, restPort })}\n`);
}

// Only dev, test and bench have ports of their own; any other stack name needs all three.
function missingPortsSentence(name, kinds) {
  const variable = { dbPort: 'DB_PORT', apiPort: 'API_PORT', restPort: 'REST_PORT' };
  const prefix = `JOBSTALKER_${name.toUpperCase()}_`;
  const example = kinds.map((kind, i) => `${prefix}${variable[kind]}=${55322 + i}`).join(' ');
  const known = Object.keys(profiles).join(', ');
  return profiles[name]
    ? `Stack "${name}" has a port that is not a port number: set ${kinds.map((k) => prefix + variable[k]).join(', ')} to a number from 1 to 65535.`
    : `Stack "${name}" has no ports of its own (only ${known} do). Set ${kinds.map((k) => prefix + variable[k]).join(', ')} ` +
        `to free ports, e.g. \`${example} JOBSTALKER_STACK=${name} npm start\`.`;
}
