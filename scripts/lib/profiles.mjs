// Where a stack lives and which ports it uses. `dev` is what `npm start` runs with
// Supabase's local defaults; `test` is the throwaway stack `npm test` builds.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const profiles = {
  dev: { dbPort: 54322, apiPort: 54321 },
  test: { dbPort: 54332, apiPort: 54331 },
  bench: { dbPort: 54342, apiPort: 54341 },
};

// JOBSTALKER_DB_PORT / JOBSTALKER_API_PORT override the ports, so that several
// stacks (say, one per developer checkout) can run side by side.
export function stackProfile(name = 'dev', env = process.env) {
  const defaults = profiles[name] ?? {};
  const ports = {
    dbPort: Number(env.JOBSTALKER_DB_PORT ?? defaults.dbPort),
    apiPort: Number(env.JOBSTALKER_API_PORT ?? defaults.apiPort),
  };
  if (!ports.dbPort || !ports.apiPort) {
    throw new Error(`Stack "${name}" has no default ports; set JOBSTALKER_DB_PORT and JOBSTALKER_API_PORT.`);
  }
  const dir = join(repoRoot, '.stack', name);
  return {
    name,
    ...ports,
    dir,
    dataDir: join(dir, 'pgdata'),
    logFile: join(dir, 'postgres.log'),
    gatewayLog: join(dir, 'gateway.log'),
    gatewayPidFile: join(dir, 'gateway.pid'),
    dbUrl: `postgresql://postgres:postgres@127.0.0.1:${ports.dbPort}/postgres`,
    adminUrl: `postgresql://supabase_admin:postgres@127.0.0.1:${ports.dbPort}/postgres`,
    apiUrl: `http://127.0.0.1:${ports.apiPort}`,
  };
}
