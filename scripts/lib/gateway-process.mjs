// Starting and stopping the Deno functions gateway in the background.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StackError } from './console.mjs';
import { withoutFunctionSettings } from './function-settings.mjs';
import { anonKey, jwtSecret, serviceRoleKey } from './keys.mjs';
import { portAnswers, portTakenError } from './ports.mjs';
import { readPidFile, writePidFile } from './processes.mjs';
import { repoRoot } from './profiles.mjs';

const deno = join(repoRoot, 'node_modules', '.bin', 'deno');

export function gatewayPid(profile) {
  return readPidFile(profile.gatewayPidFile)?.pid;
}

// { pid, port } of this stack's gateway process when it is alive (port: what it was started on).
export function gatewayProcess(profile) {
  return readPidFile(profile.gatewayPidFile);
}

// The environment Supabase gives every function, with this stack's values.
export function functionEnv(profile, extra = {}) {
  return {
    SUPABASE_URL: profile.apiUrl,
    SUPABASE_ANON_KEY: anonKey,
    SUPABASE_SERVICE_ROLE_KEY: serviceRoleKey,
    SUPABASE_DB_URL: profile.dbUrl,
    JWT_SECRET: jwtSecret,
    ...extra,
  };
}

async function waitForGateway(profile, child, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    try {
      await fetch(`${profile.apiUrl}/functions/v1/`);
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return false;
}

// envFile: the developer's settings file the gateway loads (npm start passes
// supabase/functions/.env). isolated: start from an environment without any of our
// settings, so only extraEnv decides them (npm test).
export async function startGateway(profile, extraEnv = {}, { envFile = null, isolated = false } = {}) {
  if (gatewayPid(profile)) return;
  // Otherwise the readiness probe below would take the squatter's answer for ours.
  if (await portAnswers(profile.apiPort)) throw portTakenError(profile.apiPort, 'the gateway');
  mkdirSync(profile.dir, { recursive: true });
  const log = openSync(profile.gatewayLog, 'w');
  const child = spawn(deno, ['run', '--allow-net', '--allow-env', '--allow-read', '--allow-sys', join(repoRoot, 'scripts', 'gateway.ts')], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', log, log],
    env: {
      ...(isolated ? withoutFunctionSettings(process.env) : process.env),
      ...functionEnv(profile, extraEnv),
      GATEWAY_PORT: String(profile.apiPort),
      POSTGREST_URL: profile.postgrestUrl,
      ...(envFile ? { FUNCTIONS_ENV_FILE: resolve(repoRoot, envFile) } : {}),
    },
  });
  child.unref();
  writePidFile(profile.gatewayPidFile, child.pid, profile.apiPort);
  if (!(await waitForGateway(profile, child))) {
    stopGateway(profile);
    const tail = existsSync(profile.gatewayLog) ? readFileSync(profile.gatewayLog, 'utf8').split('\n').slice(-20).join('\n') : '';
    throw new StackError(`The functions gateway did not come up on port ${profile.apiPort}; its log (${profile.gatewayLog}) says why.`, tail);
  }
}

export function stopGateway(profile) {
  const pid = gatewayPid(profile);
  rmSync(profile.gatewayPidFile, { force: true });
  if (!pid) return false;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
  }
  return true;
}
