// The model server misbehaves; each fault gets its documented status (README, "AI
// functions"), one ai_events error row per model call, its admission settled (the
// estimate is booked when the model reported no usage), and no other write. Faults:
// - hangs (never answers)                          → 504 model_timeout, one call;
// - answers slowly, within AI_TIMEOUT_MS          → 200, the latency logged;
// - answers slowly, past AI_TIMEOUT_MS            → 504 model_timeout, one call;
// - closes the connection in the middle of the body → 502 model_error, one call;
// - answers 200 with an HTML page                  → 502 model_error, one call (a proxy's
//   page is not an answer to repair);
// - answers 200 with JSON for the wrong schema     → 502 invalid_model_answer after the
//   one repair turn, two calls.
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { invokeAi as invoke, startModelServerForGateway } from '../support/ai-client';
import { answer, type Behaviour, cutMidBody, htmlPage, type ModelServer, never, slowAnswer } from '../support/model-server';
import { newUser, stack } from '../support/stack';

const admin = postgres(stack.adminUrl, { max: 2, onnotice: () => {} });
let model: ModelServer;

// scripts/test.mjs gives the test gateway AI_TIMEOUT_MS=2000.
const aiTimeoutMs = 2000;
const posting = {
  text: 'Senior Backend Engineer at Acme Logistics, Berlin. Build APIs in TypeScript and PostgreSQL. Apply now.',
  url: 'https://jobs.example.com/faults',
  save: true,
};
const parsed = {
  job_title: 'Senior Backend Engineer',
  company: 'Acme Logistics',
  location: 'Berlin',
  salary: null,
  description: 'Build APIs.',
  job_type: null,
  experience_level: 'Senior',
  remote_work: null,
  benefits: [],
  requirements: [],
  skills: ['TypeScript', 'PostgreSQL'],
};

beforeAll(async () => {
  model = await startModelServerForGateway();
});
beforeEach(() => model.reset());
afterAll(async () => {
  await model?.stop();
  await admin.end();
});

const cases: { fault: string; script: Behaviour[]; status: number; code: string; calls: number; error?: RegExp }[] = [
  { fault: 'hangs', script: [never()], status: 504, code: 'model_timeout', calls: 1, error: /did not answer within/ },
  { fault: 'answers past the timeout', script: [slowAnswer(parsed, aiTimeoutMs + 1500)], status: 504, code: 'model_timeout', calls: 1 },
  { fault: 'closes the connection mid-body', script: [cutMidBody()], status: 502, code: 'model_error', calls: 1 },
  { fault: 'answers 200 with an HTML page', script: [htmlPage()], status: 502, code: 'model_error', calls: 1, error: /not a chat completion/ },
  {
    fault: 'answers 200 with JSON for the wrong schema, twice',
    script: [answer({ title: 'Engineer', employer: 'Acme' }), answer({ job: { title: 'Engineer' } })],
    status: 502,
    code: 'invalid_model_answer',
    calls: 2,
    error: /Invalid answer/,
  },
];

describe('model faults', () => {
  for (const c of cases) {
    it(`the model server ${c.fault} → ${c.status} ${c.code}, ${c.calls} error row(s), nothing saved`, async () => {
      const user = await newUser('fault');
      model.script(...c.script);
      const started = performance.now();
      const reply = await invoke('parse-job', posting, user.token);
      const elapsed = performance.now() - started;
      expect(reply.status, JSON.stringify(reply.body)).toBe(c.status);
      expect(reply.body.error.code).toBe(c.code);
      expect(typeof reply.body.detail).toBe('string');
      expect(JSON.stringify(reply.body)).not.toMatch(/secret prompt text|test-key|Bad Gateway/);
      expect(model.requests).toHaveLength(c.calls);
      // A timeout ends at AI_TIMEOUT_MS per call, never much later.
      expect(elapsed).toBeLessThan(c.calls * aiTimeoutMs + 3000);

      const events = await admin`select * from public.ai_events where user_id = ${user.id} order by created_at`;
      expect(events).toHaveLength(c.calls);
      for (const event of events) {
        expect(event.status).toBe('error');
        expect(event.error).toEqual(expect.any(String));
        expect(event.error).not.toMatch(/secret prompt text|test-key|Acme/);
        if (c.error) expect(event.error).toMatch(c.error);
      }
      const [admission] = await admin`
        select model_calls, reserved_tokens::int, used_tokens::int from private.ai_admissions where user_id = ${user.id}`;
      expect(admission.model_calls).toBe(c.calls);
      expect(admission.reserved_tokens).toBe(0);
      expect(admission.used_tokens).toBeGreaterThan(0);
      const [jobs] = await admin`select count(*)::int as n from public.jobs where user_id = ${user.id}`;
      expect(jobs.n).toBe(0);
    }, 30_000);
  }

  it('the model server answers slowly but within the timeout → 200, the latency logged', async () => {
    const user = await newUser('fault-slow');
    model.script(slowAnswer(parsed, aiTimeoutMs - 1000, { prompt_tokens: 300, completion_tokens: 60 }));
    const reply = await invoke('parse-job', posting, user.token);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body).toMatchObject({ job_title: 'Senior Backend Engineer', saved: true });
    const [event] = await admin`select * from public.ai_events where user_id = ${user.id}`;
    expect(event).toMatchObject({ status: 'success', input_tokens: 300, output_tokens: 60 });
    expect(event.latency_ms).toBeGreaterThanOrEqual(aiTimeoutMs - 1050);
    const [admission] = await admin`select used_tokens::int, reserved_tokens::int from private.ai_admissions where user_id = ${user.id}`;
    expect(admission).toEqual({ used_tokens: 360, reserved_tokens: 0 });
  }, 30_000);
});
