// AI admission through the gateway: the per-minute limit and the daily token budget
// hold under concurrency, count only what the server recorded, and refuse callers
// without a live account before any model call. Threats covered:
// - 60 parallel requests from one user against a limit of 30 (all reached the model);
// - parallel requests whose token estimates together overdraw the daily budget;
// - ai_events rows the client inserts itself (a created_at in the past or future,
//   token counts that would open or close the budget) changing what is admitted;
// - a deleted account's still-valid token calling the model (60 of 60 did, each a 500);
// - a request that burns CPU and then fails (a page of unclosed comments) not counting.
// The gateway runs with the default limits: 30 per minute, 1,000,000 tokens a day.
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { invokeAi as invoke, type Reply, startModelServerForGateway } from '../support/ai-client';
import { answer, type ModelServer, slowAnswer } from '../support/model-server';
import { newUser, stack } from '../support/stack';

const admin = postgres(stack.adminUrl, { max: 2, onnotice: () => {} });
let model: ModelServer;

const perMinute = 30;
const dailyTokens = 1_000_000;
const skillsBody = { description: 'We build APIs in Go and PostgreSQL on Kubernetes.', context: 'job' };
const skillsAnswer = { skills: ['Go', 'PostgreSQL', 'Kubernetes'] };

function expectRefusal(reply: Reply, code: string) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(429);
  expect(reply.body.error.code).toBe(code);
  expect(typeof reply.body.detail).toBe('string');
  const retryAfter = Number(reply.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
  return retryAfter;
}

const admissionsOf = (userId: string) =>
  admin<{ model_calls: number; reserved_tokens: string; used_tokens: string }[]>`
    select model_calls, reserved_tokens, used_tokens from private.ai_admissions where user_id = ${userId}`;

beforeAll(async () => {
  model = await startModelServerForGateway();
});
beforeEach(() => model.reset());
afterAll(async () => {
  await model?.stop();
  await admin.end();
});

describe('the per-minute limit under concurrency', () => {
  it('60 parallel requests against a limit of 30: exactly 30 reach the model, 30 get 429 with Retry-After', async () => {
    const user = await newUser('admission-burst');
    // Slow enough that the requests overlap, well inside the test gateway's 2 s model timeout.
    model.setDefault(slowAnswer(skillsAnswer, 900));
    const replies = await Promise.all(Array.from({ length: 60 }, () => invoke('skills', skillsBody, user.token)));
    const ok = replies.filter((r) => r.status === 200);
    const refused = replies.filter((r) => r.status === 429);
    expect(replies.filter((r) => r.status !== 200 && r.status !== 429).map((r) => [r.status, r.body])).toEqual([]);
    expect(model.requests).toHaveLength(perMinute);
    expect(ok).toHaveLength(perMinute);
    expect(refused).toHaveLength(60 - perMinute);
    for (const reply of refused) expect(expectRefusal(reply, 'rate_limited')).toBeLessThanOrEqual(60);
    const [events] = await admin`select count(*)::int as n from public.ai_events where user_id = ${user.id}`;
    expect(events.n).toBe(perMinute);
    const admissions = await admissionsOf(user.id);
    expect(admissions).toHaveLength(perMinute);
    // Settled: nothing left reserved, the scripted usage (120 + 40) booked per call.
    expect(admissions.every((a) => Number(a.reserved_tokens) === 0 && Number(a.used_tokens) === 160)).toBe(true);
  });

  it('ai_events rows a client writes neither close nor reopen the window', async () => {
    const user = await newUser('admission-forged');
    await admin.begin(async (tx) => {
      await tx`select set_config('role', 'authenticated', true),
                      set_config('request.jwt.claims', ${JSON.stringify({ sub: user.id, role: 'authenticated' })}, true)`;
      // What any signed-in client may insert through PostgREST.
      await tx`insert into public.ai_events (user_id, provider, model, input_tokens, output_tokens, status)
               select ${user.id}, 'openai', 'gpt-4o-mini', 1000000, 1000000, 'success' from generate_series(1, 40)`;
    });
    model.script(answer(skillsAnswer));
    const reply = await invoke('skills', skillsBody, user.token);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(model.requests).toHaveLength(1);
  });

  it('admissions older than a minute free their slots', async () => {
    const user = await newUser('admission-earlier');
    await admin`insert into private.ai_admissions (user_id, action, model_calls, admitted_at)
                select ${user.id}, 'skills', 1, now() - interval '61 seconds' from generate_series(1, ${perMinute})`;
    model.script(answer(skillsAnswer));
    expect((await invoke('skills', skillsBody, user.token)).status).toBe(200);
    await admin`insert into private.ai_admissions (user_id, action, model_calls)
                select ${user.id}, 'skills', 1 from generate_series(1, ${perMinute})`;
    expectRefusal(await invoke('skills', skillsBody, user.token), 'rate_limited');
    expect(model.requests).toHaveLength(1);
  });
});

describe('the daily token budget under concurrency', () => {
  it('parallel requests are admitted only while their reserved estimates fit the budget', async () => {
    const user = await newUser('admission-budget');
    // One call in flight shows what a call of this request reserves.
    model.script(slowAnswer(skillsAnswer, 1000));
    let settled = false;
    const probe = invoke('skills', skillsBody, user.token).finally(() => (settled = true));
    let estimate = 0;
    while (estimate === 0 && !settled) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      estimate = Number((await admissionsOf(user.id))[0]?.reserved_tokens ?? 0);
    }
    expect(estimate).toBeGreaterThan(0);
    expect((await probe).status).toBe(200);
    await admin`delete from private.ai_admissions where user_id = ${user.id}`;

    // Room for exactly three such estimates today.
    await admin`insert into private.ai_admissions (user_id, action, model_calls, used_tokens)
                values (${user.id}, 'skills', 1, ${dailyTokens - 3 * estimate - 1})`;
    model.reset();
    // Each call books exactly its estimate when it settles, so finishing early frees no room
    // and the count does not depend on timing.
    model.setDefault(slowAnswer(skillsAnswer, 800, { prompt_tokens: estimate, completion_tokens: 0 }));
    const replies = await Promise.all(Array.from({ length: 10 }, () => invoke('skills', skillsBody, user.token)));
    expect(model.requests).toHaveLength(3);
    expect(replies.filter((r) => r.status === 200)).toHaveLength(3);
    // Only the three calls in flight fill the budget: busy, retry in seconds (it used to
    // say daily_budget_exhausted with a Retry-After until midnight).
    for (const reply of replies.filter((r) => r.status !== 200)) {
      expect(expectRefusal(reply, 'ai_budget_busy')).toBeLessThanOrEqual(60);
    }
    // Settled, the three estimates are used: now the budget is spent until midnight.
    expect(await admissionsOf(user.id).then((rows) => rows.every((r) => Number(r.reserved_tokens) === 0))).toBe(true);
    expect(expectRefusal(await invoke('skills', skillsBody, user.token), 'daily_budget_exhausted')).toBeGreaterThan(60);
  });

  it('parallel calls whose prompts cost the most a tokenizer can charge (a token per byte) never end the day above budget', async () => {
    const user = await newUser('admission-worst-prompt');
    // A probe: the prompt this request sends, the answer it allows, and what a call reserves.
    model.script(slowAnswer(skillsAnswer, 1000));
    let settled = false;
    const probe = invoke('skills', skillsBody, user.token).finally(() => (settled = true));
    let reserved = 0;
    while (reserved === 0 && !settled) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      reserved = Number((await admissionsOf(user.id))[0]?.reserved_tokens ?? 0);
    }
    expect((await probe).status).toBe(200);
    const sent = model.requests[0].body;
    const promptBytes = sent.messages.reduce((sum: number, m: any) => sum + Buffer.byteLength(m.content), 0);
    const worst = { prompt_tokens: promptBytes, completion_tokens: sent.max_completion_tokens };
    // What is reserved covers the worst a call can report (it used to hold bytes / 3).
    expect(reserved).toBeGreaterThanOrEqual(worst.prompt_tokens + worst.completion_tokens);
    await admin`delete from private.ai_admissions where user_id = ${user.id}`;

    const start = dailyTokens - 3 * reserved - 1;
    await admin`insert into private.ai_admissions (user_id, action, model_calls, used_tokens)
                values (${user.id}, 'skills', 1, ${start})`;
    model.reset();
    model.setDefault(slowAnswer(skillsAnswer, 800, worst));
    const replies = await Promise.all(Array.from({ length: 10 }, () => invoke('skills', skillsBody, user.token)));
    expect(replies.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    const [day] = await admin<{ used: string; reserved: string }[]>`
      select sum(used_tokens) as used, sum(reserved_tokens) as reserved from private.ai_admissions where user_id = ${user.id}`;
    expect(Number(day.reserved)).toBe(0);
    expect(Number(day.used)).toBeLessThanOrEqual(dailyTokens);
  });

  it('a spent budget → 429 until midnight UTC, before any model call; forged ai_events do not reopen it', async () => {
    const user = await newUser('admission-spent');
    await admin`insert into private.ai_admissions (user_id, action, model_calls, used_tokens)
                values (${user.id}, 'skills', 1, ${dailyTokens})`;
    await admin`insert into public.ai_events (user_id, provider, model, input_tokens, output_tokens, status, created_at)
                values (${user.id}, 'openai', 'gpt-4o-mini', 0, 0, 'success', '2099-01-01')`;
    const retryAfter = expectRefusal(await invoke('skills', skillsBody, user.token), 'daily_budget_exhausted');
    const now = new Date();
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
    expect(Math.abs(retryAfter - (midnight - now.getTime()) / 1000)).toBeLessThan(120);
    expect(model.requests).toHaveLength(0);
  });
});

describe('callers without a live account', () => {
  it('a deleted user\'s unexpired token → 401 before any model call, and nothing is written', async () => {
    const user = await newUser('admission-deleted');
    await admin`delete from auth.users where id = ${user.id}`;
    const replies = await Promise.all(Array.from({ length: 10 }, () => invoke('skills', skillsBody, user.token)));
    for (const reply of replies) {
      expect(reply.status, JSON.stringify(reply.body)).toBe(401);
      expect(reply.body.error.code).toBe('unauthorized');
    }
    expect(model.requests).toHaveLength(0);
    const [rows] = await admin`
      select (select count(*) from public.ai_events where user_id = ${user.id})::int
           + (select count(*) from private.ai_admissions where user_id = ${user.id})::int as n`;
    expect(rows.n).toBe(0);
  });

  it('a soft-deleted account (deleted_at set) → 401 too', async () => {
    const user = await newUser('admission-soft-deleted');
    await admin`update auth.users set deleted_at = now() where id = ${user.id}`;
    const reply = await invoke('work-description', { job_title: 'Engineer', company: 'Acme', what_did_you_do: 'Built the billing service.' }, user.token);
    expect(reply.status, JSON.stringify(reply.body)).toBe(401);
    expect(model.requests).toHaveLength(0);
  });
});

describe('work before the model counts', () => {
  it('requests that burn CPU and then fail (pages of unclosed comments) use up the window', async () => {
    const user = await newUser('admission-cpu');
    const page = '<p>x</p>'.padEnd(400 * 1024, '<!--');
    for (let i = 0; i < perMinute; i++) {
      const reply = await invoke('parse-job', { html: page }, user.token);
      expect(reply.status, JSON.stringify(reply.body)).toBe(422);
    }
    model.script(answer({}));
    expectRefusal(await invoke('parse-job', { text: 'Senior Engineer at Acme in Berlin, hiring now.' }, user.token), 'rate_limited');
    expect(model.requests).toHaveLength(0);
  });
});
