// The database goes away and comes back. The functions must answer at once with 503,
// the JSON error shape and Retry-After (never hang, never a bare 500), and recover on
// their own when it is back, without a restart. Threats covered:
// - Postgres stopped: ai actions, health and the share page's JSON answer 503 fast;
// - Postgres restarted in the middle of a burst of AI requests (some admitted, some in
//   the model, some logging): every request gets an answer within AI_TIMEOUT_MS plus a
//   margin, each is 200 or 503, and every 200 has its ai_events row (none lost silently).
// This stops the test stack's own Postgres, which every suite shares: vitest runs files
// one at a time, and every test here restarts it in `finally` and waits until the whole
// stack answers again before the next file runs.
import { spawn } from 'node:child_process';
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serverUserCommand } from '../../scripts/lib/cluster.mjs';
import { invokeAi as invoke, type Reply, startModelServerForGateway } from '../support/ai-client';
import { answer, type ModelServer, slowAnswer } from '../support/model-server';
import { anonKey, newUser, stack } from '../support/stack';

// scripts/test.mjs gives the test gateway AI_TIMEOUT_MS=2000.
const aiTimeoutMs = 2000;
const marginMs = 3000;
const skillsBody = { description: 'We build APIs in Go and PostgreSQL on Kubernetes.', context: 'job' };
const skillsAnswer = { skills: ['Go', 'PostgreSQL'] };

let admin = postgres(stack.adminUrl, { max: 1, onnotice: () => {} });
let model: ModelServer;

function pgCtl(args: string[]): Promise<void> {
  const [command, commandArgs] = serverUserCommand('pg_ctl', args);
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pg_ctl ${args[0]} exited with ${code}`))));
  });
}
const stopDatabase = () => pgCtl(['stop', '-w', '-m', 'fast', '-D', stack.dataDir]);
const startDatabase = () => pgCtl(['start', '-w', '-t', '60', '-D', stack.dataDir, '-l', stack.logFile]);

async function databaseAnswers(): Promise<boolean> {
  const probe = postgres(stack.adminUrl, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await probe`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await probe.end({ timeout: 1 });
  }
}

// Back to a stack every later suite can use: Postgres running and answering, and the
// data API (when the gateway serves one) out of its reconnect back-off.
async function restoreDatabase() {
  if (!(await databaseAnswers())) await startDatabase().catch(() => {});
  const deadline = Date.now() + 60_000;
  while (!(await databaseAnswers())) {
    if (Date.now() > deadline) throw new Error(`The test stack's Postgres did not come back; see ${stack.logFile}.`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  while (Date.now() < deadline) {
    const res = await fetch(`${stack.apiUrl}/rest/v1/templates?select=id&limit=1`, { headers: { apikey: anonKey } }).catch(() => undefined);
    await res?.body?.cancel();
    if (res && res.status !== 502 && res.status !== 503 && res.status !== 504) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await admin.end({ timeout: 1 }).catch(() => {});
  admin = postgres(stack.adminUrl, { max: 1, onnotice: () => {} });
}

function expectUnavailable(reply: Reply, elapsedMs: number) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(503);
  expect(reply.body.error.code).toBe('database_unavailable');
  expect(typeof reply.body.detail).toBe('string');
  expect(Number(reply.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(elapsedMs).toBeLessThan(aiTimeoutMs + marginMs);
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

beforeAll(async () => {
  model = await startModelServerForGateway();
});
beforeEach(() => model.reset());
afterAll(async () => {
  await restoreDatabase();
  await model?.stop();
  await admin.end();
});

describe('the database is down', () => {
  it('ai, health and the share JSON answer 503 with Retry-After at once; the functions recover alone', async () => {
    const user = await newUser('outage');
    model.setDefault(answer(skillsAnswer));
    expect((await invoke('skills', skillsBody, user.token)).status).toBe(200);
    model.reset();
    try {
      await stopDatabase();
      const [ai, aiMs] = await timed(() => invoke('skills', skillsBody, user.token));
      expectUnavailable(ai, aiMs);
      expect(model.requests).toHaveLength(0);

      const [health, healthMs] = await timed(async () => {
        const res = await fetch(`${stack.apiUrl}/functions/v1/health`, { headers: { Authorization: `Bearer ${user.token}` } });
        return { status: res.status, headers: res.headers, body: await res.json() };
      });
      expectUnavailable(health, healthMs);

      const [share, shareMs] = await timed(async () => {
        const res = await fetch(`${stack.apiUrl}/functions/v1/share/${'A'.repeat(32)}?format=json`);
        return { status: res.status, headers: res.headers, body: await res.json() };
      });
      expectUnavailable(share, shareMs);
    } finally {
      await restoreDatabase();
    }
    // No restart of the gateway: the next requests find the database again.
    model.setDefault(answer(skillsAnswer));
    let reply = await invoke('skills', skillsBody, user.token);
    for (let i = 0; i < 5 && reply.status === 503; i++) reply = await invoke('skills', skillsBody, user.token);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const res = await fetch(`${stack.apiUrl}/functions/v1/health`, { headers: { Authorization: `Bearer ${user.token}` } });
    expect(res.status).toBe(200);
    expect((await res.json()).user_id).toBe(user.id);
  }, 90_000);
});

describe('the database restarts during a burst', () => {
  it('every request is answered in time, as 200 or 503, and every 200 is logged', async () => {
    const users = [await newUser('outage-burst-a'), await newUser('outage-burst-b')];
    model.setDefault(slowAnswer(skillsAnswer, 300));
    const outcomes: { user: string; status: number; ms: number; body: any; retryAfter: string | null }[] = [];
    const requests: Promise<void>[] = [];
    let restarted: Promise<void> = Promise.resolve();
    try {
      for (let i = 0; i < 40; i++) {
        const user = users[i % users.length];
        requests.push(
          timed(() => invoke('skills', skillsBody, user.token)).then(([reply, ms]) => {
            outcomes.push({ user: user.id, status: reply.status, ms, body: reply.body, retryAfter: reply.headers.get('retry-after') });
          }),
        );
        if (i === 10) restarted = stopDatabase().then(() => new Promise((resolve) => setTimeout(resolve, 700))).then(startDatabase);
        await new Promise((resolve) => setTimeout(resolve, 75));
      }
      await restarted;
      await Promise.all(requests);
    } finally {
      await restoreDatabase();
    }

    console.log(`burst: ${JSON.stringify(outcomes.map((o) => `${o.status} ${Math.round(o.ms)} ms`))}`);
    expect(outcomes).toHaveLength(40);
    const unexpected = outcomes.filter((o) => o.status !== 200 && o.status !== 503);
    expect(unexpected.map((o) => [o.status, o.body])).toEqual([]);
    const slow = outcomes.filter((o) => o.ms >= aiTimeoutMs + marginMs);
    expect(slow.map((o) => Math.round(o.ms))).toEqual([]);
    for (const o of outcomes.filter((o) => o.status === 503)) {
      expect(o.body.error.code).toMatch(/^database_/);
      expect(Number(o.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    // The restart really hit the burst, and requests got through on both sides of it.
    expect(outcomes.filter((o) => o.status === 503).length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o.status === 200).length).toBeGreaterThan(0);
    // None lost silently: each 200 has its success row. A 503 may have one too: when
    // Postgres stops between a commit and its acknowledgement the row is durable while
    // the function sees a dropped connection, an ambiguity no client can resolve. Rows
    // are never invented, though: there are no more of them than calls the model got.
    let rows = 0;
    for (const user of users) {
      const [logged] = await admin`select count(*)::int as n from public.ai_events where user_id = ${user.id} and status = 'success'`;
      expect(logged.n).toBeGreaterThanOrEqual(outcomes.filter((o) => o.user === user.id && o.status === 200).length);
      rows += logged.n;
    }
    expect(rows).toBeLessThanOrEqual(model.requests.length);
    // And afterwards the service is back without a restart.
    model.setDefault(answer(skillsAnswer));
    let after = await invoke('skills', skillsBody, users[0].token);
    for (let i = 0; i < 5 && after.status === 503; i++) after = await invoke('skills', skillsBody, users[0].token);
    expect(after.status, JSON.stringify(after.body)).toBe(200);
  }, 120_000);
});
