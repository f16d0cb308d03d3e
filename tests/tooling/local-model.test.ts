// A keyless local model: on a stack started without OPENAI_API_KEY or OPENAI_BASE_URL,
// `npm start` runs the local demo model and points the AI actions at it, so a newcomer
// can try every action. Here: the decision npm start makes (a key or base URL in the env
// file or the environment replaces the demo model), then a gateway started exactly as
// npm start starts it without a key, on this test stack's database and PostgREST:
// every AI action answers 200 with an answer of its documented shape, and ai_events
// names the demo model. The test stack's own gateway keeps its scripted model.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoModelName, demoProvider } from '../../scripts/lib/demo-model.mjs';
import { functionsEnvFile } from '../../scripts/lib/function-settings.mjs';
import { configuredModel, demoModelProcess, stopDemoModel } from '../../scripts/lib/local-model.mjs';
import { startServices, stopServices } from '../../scripts/lib/stack.mjs';
import { newUser, stack } from '../support/stack';

const admin = postgres(stack.adminUrl, { max: 2, onnotice: () => {} });
const dir = mkdtempSync(join(tmpdir(), 'jobstalker-demo-model-'));
// A second gateway (and PostgREST) on free ports beside the test stack, sharing its database.
const demoStack = {
  ...stack,
  name: 'demomodel',
  dir,
  apiPort: 0,
  restPort: 0,
  apiUrl: '',
  restUrl: '',
  postgrestUrl: '',
  gatewayLog: join(dir, 'gateway.log'),
  gatewayPidFile: join(dir, 'gateway.pid'),
  postgrestLog: join(dir, 'postgrest.log'),
  postgrestPidFile: join(dir, 'postgrest.pid'),
  postgrestConfig: join(dir, 'postgrest.conf'),
};
const emptyEnvFile = join(dir, 'functions.env');

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return await new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  demoStack.apiPort = await freePort();
  demoStack.restPort = await freePort();
  demoStack.apiUrl = `http://127.0.0.1:${demoStack.apiPort}`;
  demoStack.restUrl = `${demoStack.apiUrl}/rest/v1`;
  demoStack.postgrestUrl = `http://127.0.0.1:${demoStack.restPort}`;
  writeFileSync(emptyEnvFile, '# no model settings\nAI_TIMEOUT_MS=10000\n');
  // As npm start does, with an env file that names no model and no model in the environment.
  for (const name of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'AI_MODEL', 'AI_PROVIDER']) delete process.env[name];
  await startServices(demoStack, {}, { envFile: emptyEnvFile, isolated: true });
}, 120_000);

afterAll(async () => {
  stopServices(demoStack);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm start without a model key', () => {
  it('offers the demo model only when neither the env file nor the environment names a model', () => {
    const file = join(dir, 'keyed.env');
    writeFileSync(file, 'OPENAI_API_KEY="sk-real"\n');
    expect(configuredModel(file, {})).toBe('supabase/functions/.env');
    writeFileSync(file, '# OPENAI_API_KEY=commented out\nOPENAI_BASE_URL=http://127.0.0.1:11434/v1\n');
    expect(configuredModel(file, {})).toBe('supabase/functions/.env');
    expect(configuredModel(emptyEnvFile, { OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' })).toBe('the environment');
    expect(configuredModel(emptyEnvFile, {})).toBeNull();
    expect(configuredModel(join(dir, 'missing.env'), {})).toBeNull();
    expect(functionsEnvFile).toBe('supabase/functions/.env');
  });

  it('starts the demo model beside the stack, and npm stop ends it', () => {
    expect(demoModelProcess(demoStack)?.port).toBeGreaterThan(0);
  });

  it('every AI action answers 200 with its documented shape, and ai_events names the demo model', async () => {
    const user = await newUser('demo-model');
    const [template] = await admin`select id from public.templates order by created_at limit 1`;
    const [job] = await admin`insert into public.jobs (user_id, job_title, company, status, description)
      values (${user.id}, 'Engineer', 'Acme', 'bookmarked', 'We are hiring an engineer to build APIs in Go and PostgreSQL for our platform in Berlin.') returning id`;
    const [resume] = await admin`insert into public.generated_resumes (user_id, template_id, title) values (${user.id}, ${template.id}, 'Demo') returning id`;
    await admin`insert into public.generated_resume_versions (generated_resume_id, content_json)
      values (${resume.id}, ${admin.json({ profile: { summary: 'I build APIs in Go.' }, experience: [{ id: 'e1', title: 'Engineer', company: 'Acme', description: 'Built APIs in Go.' }], skills: ['Go'] })})`;
    const [session] = await admin`insert into public.wizard_sessions (user_id, template_id, draft_json)
      values (${user.id}, ${template.id}, ${admin.json({ profile: { fullName: 'Ada' }, targetRole: 'Engineer', skills: ['Go'] })}) returning id`;
    const posting = 'We are hiring a backend engineer to build APIs in Go and PostgreSQL for our logistics platform in Berlin. You will design services and mentor engineers.';
    const calls: [string, unknown, (body: any) => void][] = [
      ['work-description', { job_title: 'Engineer', company: 'Acme', what_did_you_do: 'built the billing service and its APIs with the team' },
        (b) => expect(typeof b.description).toBe('string')],
      ['profile-summary', { resumeData: { personalInfo: { firstName: 'Ada', jobTitle: 'Engineer' }, summary: 'I build APIs.', workExperience: [{ title: 'Engineer', company: 'Acme', description: 'Built APIs.' }], skills: ['Go'] } },
        (b) => expect(typeof b.summary).toBe('string')],
      ['skills', { description: posting, context: 'job' }, (b) => expect(Array.isArray(b.skills)).toBe(true)],
      ['job-match', { jobId: job.id }, (b) => expect(typeof b.matchScore).toBe('number')],
      ['parse-job', { text: posting, url: 'https://jobs.example.com/demo' }, (b) => expect(JSON.stringify(b)).toContain('job_title')],
      ['wizard-summary', { wizardSessionId: session.id }, (b) => expect(typeof b.summary).toBe('string')],
      ['tailor-resume', { generatedResumeId: resume.id, jobId: job.id }, (b) => expect(b).toBeTypeOf('object')],
      ['cover-letter', { jobId: job.id, generatedResumeId: resume.id }, (b) => expect(JSON.stringify(b)).toContain('canned answer')],
      ['import-resume', { text: 'Ada Lovelace. Engineer at Acme building APIs in Go and PostgreSQL for teams in Berlin since many years with care.' },
        (b) => expect(b).toBeTypeOf('object')],
      ['read-email', { email: 'Dear Ada, thank you for applying to the Engineer role at Acme. We received your application.', timeZone: 'Europe/Berlin' },
        (b) => expect(b).toBeTypeOf('object')],
    ];
    for (const [action, input, check] of calls) {
      const res = await fetch(`${demoStack.apiUrl}/functions/v1/ai/${action}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${user.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      });
      const body = await res.json();
      expect(res.status, `${action}: ${JSON.stringify(body).slice(0, 300)}`).toBe(200);
      check(body);
    }
    // import-resume of plain text calls the model as every other action does: one event each.
    const events = await admin`select provider, model, status from public.ai_events where user_id = ${user.id} order by created_at`;
    expect(events).toHaveLength(calls.length);
    for (const e of events) expect(e).toMatchObject({ provider: demoProvider, model: demoModelName });
  }, 120_000);

  it('npm stop ends the demo model with the rest of the stack', () => {
    stopServices(demoStack);
    expect(demoModelProcess(demoStack)).toBeUndefined();
    expect(stopDemoModel(demoStack)).toBe(false);
  });
});
