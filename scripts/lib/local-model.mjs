// Which model the AI actions of a local stack use: the developer's (OPENAI_API_KEY or
// OPENAI_BASE_URL, in supabase/functions/.env or exported), else the local demo model
// (scripts/demo-model.mjs), which `npm start` runs beside the stack so that every AI
// action can be tried without a key. Only `npm start` / `npm run db:reset` start it; the
// test stack has its own scripted model, and a deployed function never sees it.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { join, resolve } from 'node:path';
import { StackError } from './console.mjs';
import { demoApiKey, demoModelName, demoProvider } from './demo-model.mjs';
import { portAnswers } from './ports.mjs';
import { pidAlive, readPidFile, writePidFile } from './processes.mjs';
import { repoRoot } from './profiles.mjs';

// KEY=VALUE lines as supabase/functions/.env holds them (comments and blanks skipped,
// one pair of surrounding quotes removed), as the gateway reads the file.
function readEnvFile(file) {
  if (!file || !existsSync(file)) return {};
  const values = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || line.trim().startsWith('#')) continue;
    values[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return values;
}

// Where the model comes from: 'env file' / 'environment' (a real one), or null (none:
// the demo model is offered).
export function configuredModel(envFile, env = process.env) {
  const file = readEnvFile(envFile ? resolve(repoRoot, envFile) : null);
  if (file.OPENAI_API_KEY || file.OPENAI_BASE_URL) return 'supabase/functions/.env';
  if (env.OPENAI_API_KEY || env.OPENAI_BASE_URL) return 'the environment';
  return null;
}

const pidFileOf = (profile) => join(profile.dir, 'demo-model.pid');
const logFileOf = (profile) => join(profile.dir, 'demo-model.log');

// { pid, port } of this stack's demo model when it runs.
export function demoModelProcess(profile) {
  return readPidFile(pidFileOf(profile));
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

// Starts the demo model (when it is not running) and returns the gateway settings that
// point the AI actions at it. ai_events names it in provider and model.
export async function startDemoModel(profile) {
  let running = demoModelProcess(profile);
  if (!running) {
    const port = await freePort();
    mkdirSync(profile.dir, { recursive: true });
    const log = openSync(logFileOf(profile), 'w');
    const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'demo-model.mjs'), String(port)], {
      cwd: repoRoot, detached: true, stdio: ['ignore', log, log],
    });
    child.unref();
    writePidFile(pidFileOf(profile), child.pid, port);
    const deadline = Date.now() + 15_000;
    while (!(await portAnswers(port))) {
      if (!pidAlive(child.pid) || Date.now() > deadline) {
        stopDemoModel(profile);
        const tail = existsSync(logFileOf(profile)) ? readFileSync(logFileOf(profile), 'utf8') : '';
        throw new StackError(`The local demo model did not start on port ${port}; its log (${logFileOf(profile)}) says why.`, tail);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    running = { pid: child.pid, port };
  }
  return {
    port: running.port,
    env: {
      OPENAI_API_KEY: demoApiKey,
      OPENAI_BASE_URL: `http://127.0.0.1:${running.port}/v1`,
      AI_MODEL: demoModelName,
      AI_PROVIDER: demoProvider,
    },
  };
}

export function stopDemoModel(profile) {
  const running = demoModelProcess(profile);
  rmSync(pidFileOf(profile), { force: true });
  if (!running) return false;
  try {
    process.kill(-running.pid, 'SIGTERM');
  } catch {
    try { process.kill(running.pid, 'SIGTERM'); } catch { /* already gone */ }
  }
  return true;
}

// The status block's line about the model.
export function modelLine(profile, envFile) {
  const demo = demoModelProcess(profile);
  if (demo) {
    return `LOCAL DEMO MODEL on port ${demo.port}: canned answers, not AI (put OPENAI_API_KEY or OPENAI_BASE_URL in supabase/functions/.env, then npm stop && npm start, for a real one)`;
  }
  const source = configuredModel(envFile);
  return source ? `your model, from ${source}` : 'none (run npm start to get the local demo model)';
}
