// npm test never reads the developer's supabase/functions/.env nor their exported model
// settings: its gateway is started from testGatewaySettings (the code scripts/test.mjs
// uses), which names no env file and inherits none of our settings. The other half
// shows the env file mechanism is real: a gateway started as npm start starts it does
// load the file it is given, and then talks to the model that file names.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testGatewaySettings } from '../../scripts/lib/function-settings.mjs';
import { startGateway, stopGateway } from '../../scripts/lib/gateway-process.mjs';
import { answer, type ModelServer, startModelServer } from '../support/model-server';
import { newUser, stack } from '../support/stack';

const admin = postgres(stack.adminUrl, { max: 1, onnotice: () => {} });
const dir = mkdtempSync(join(tmpdir(), 'function-env-'));
// What a developer following "use a real model locally" has: a model that is not there.
const unreachableModelEnv = join(dir, '.env');
writeFileSync(unreachableModelEnv, 'OPENAI_API_KEY=from-dotenv\nOPENAI_BASE_URL=http://127.0.0.1:9/v1\nAI_MODEL=from-dotenv\n');
let model: ModelServer;
const saved = { AI_MODEL: process.env.AI_MODEL, FUNCTIONS_ENV_FILE: process.env.FUNCTIONS_ENV_FILE };

async function freePort() {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// A second gateway beside the test stack's, on its own port and files.
async function gatewayProfile(name: string) {
  const port = await freePort();
  return {
    ...stack,
    apiPort: port,
    apiUrl: `http://127.0.0.1:${port}`,
    dir,
    gatewayLog: join(dir, `${name}.log`),
    gatewayPidFile: join(dir, `${name}.pid`),
  };
}

async function askForSkills(apiUrl: string) {
  const user = await newUser('function-env');
  const response = await fetch(`${apiUrl}/functions/v1/ai/skills`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${user.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ description: 'Wrote SQL reports for the finance team every week.', context: 'resume' }),
  });
  const [event] = await admin`select model, status from public.ai_events where user_id = ${user.id}`;
  return { status: response.status, event };
}

beforeAll(async () => {
  model = await startModelServer(await freePort());
  // As if exported in the developer's shell.
  process.env.AI_MODEL = 'from-shell';
  process.env.FUNCTIONS_ENV_FILE = unreachableModelEnv;
});

afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await model.stop();
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
});

describe('the gateway npm test starts', () => {
  it('uses the scripted model and the default model name, whatever the .env and the shell say', async () => {
    const profile = await gatewayProfile('as-npm-test');
    const settings = testGatewaySettings(model.port);
    await startGateway(profile, settings.env, settings.options);
    try {
      model.script(answer({ skills: ['SQL'] }));
      const { status, event } = await askForSkills(profile.apiUrl);
      expect(status).toBe(200);
      expect(model.requests).toHaveLength(1);
      expect(event).toEqual({ model: 'gpt-4o-mini', status: 'success' });
    } finally {
      stopGateway(profile);
      model.reset();
    }
  });
});

describe('the gateway npm start starts', () => {
  it('loads the env file it is given, so its model calls go where that file says', async () => {
    const profile = await gatewayProfile('as-npm-start');
    await startGateway(profile, {}, { envFile: unreachableModelEnv });
    try {
      const { status, event } = await askForSkills(profile.apiUrl);
      expect([502, 503, 504]).toContain(status);
      expect(model.requests).toHaveLength(0);
      expect(event).toEqual({ model: 'from-dotenv', status: 'error' });
    } finally {
      stopGateway(profile);
    }
  });
});
