// Streamed AI writing end to end: supabase-js functions.invoke with Accept:
// text/event-stream → local gateway → the ai function → the OpenAI SDK streaming from
// the scripted model server, which sends its answer in pieces and can hold the last one
// back (the model "still writing"). What is covered here is where the layers meet (the
// per-action events, repair turns and error mapping are the Deno tests'):
// - the first text event reaches the client while the model has not finished;
// - the result event equals the plain call's answer for the same model output;
// - an unfaithful tailored summary ends the stream with the plain call's 502;
// - a client that disconnects midway leaves exactly one ai_events row, with the usage,
//   and its admission settled;
// - parallel streams from one user past the per-minute limit get 429 with Retry-After;
// - the example in docs/ai-streaming.md runs as written.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/profiles.mjs';
import { invokeAi, startModelServerForGateway } from '../support/ai-client';
import { answer, type ModelServer, streamedAnswer } from '../support/model-server';
import { anonKey, newUser, stack } from '../support/stack';

const admin = postgres(stack.adminUrl, { max: 2, onnotice: () => {} });
let model: ModelServer;

beforeAll(async () => {
  model = await startModelServerForGateway();
});
beforeEach(() => model.reset());
afterAll(async () => {
  await model?.stop();
  await admin.end();
});

interface StreamEvent { event: string; data: any }

const userClient = (token: string) =>
  createClient(stack.apiUrl, anonKey, { accessToken: async () => token, auth: { persistSession: false, autoRefreshToken: false } });

// The events of a text/event-stream body, one at a time as they arrive.
async function* eventsOf(response: Response): AsyncGenerator<StreamEvent> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    buffer += read.value;
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) yield { event, data: JSON.parse(data) };
    }
  }
}

async function stream(action: string, body: unknown, token: string, signal?: AbortSignal) {
  const { data, error, response } = await userClient(token).functions.invoke(`ai/${action}`, {
    body: body as Record<string, unknown>,
    headers: { Accept: 'text/event-stream' },
    signal,
  });
  if (error) {
    const context = (error as { context?: Response }).context;
    return { status: context?.status ?? 0, body: await context?.json(), headers: context?.headers, events: null };
  }
  expect(response!.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  return { status: response!.status, body: null, headers: response!.headers, events: eventsOf(data as Response) };
}

async function allEvents(events: AsyncGenerator<StreamEvent>) {
  const list: StreamEvent[] = [];
  for await (const event of events) list.push(event);
  return list;
}

const deltas = (list: StreamEvent[]) => list.filter((e) => e.event === 'delta').map((e) => e.data.text).join('');

const resumeData = {
  personalInfo: { firstName: 'Ada', lastName: 'Lovelace' },
  workExperience: [{ title: 'Backend Engineer', company: 'Acme Logistics' }],
  skills: ['Go', 'PostgreSQL'],
  targetRole: 'Platform Engineer',
};
const summary = 'I build reliable backend services in Go and PostgreSQL at Acme Logistics. I want to bring that care to platform work.';

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() - started > timeoutMs) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const eventsOfUser = (userId: string) =>
  admin`select status, input_tokens, output_tokens, error from public.ai_events where user_id = ${userId} order by created_at`;

describe('streamed writing through the gateway', () => {
  it('the first text event reaches the client while the model is still writing', async () => {
    const user = await newUser('stream-first');
    let finishWriting = () => {};
    const writing = new Promise<void>((resolve) => (finishWriting = resolve));
    model.script(streamedAnswer({ summary }, { pieces: 6, until: writing }));
    const reply = await stream('profile-summary', { resumeData }, user.token);
    expect(reply.status).toBe(200);
    const first = await reply.events!.next();
    expect(first.value).toEqual({ event: 'delta', data: { text: expect.any(String) } });
    // The model server holds its last piece and its end: it has not finished.
    expect(model.inFlight()).toBe(1);
    expect(await eventsOfUser(user.id)).toEqual([]);
    finishWriting();
    const rest = await allEvents(reply.events!);
    expect(first.value!.data.text + deltas(rest)).toBe(summary);
    expect(rest.at(-1)).toEqual({ event: 'result', data: { summary } });
  });

  it('the result event equals the plain call’s answer for the same model output', async () => {
    const user = await newUser('stream-same');
    const usage = { prompt_tokens: 300, completion_tokens: 45 };
    model.script(answer({ summary: `  ${summary}  ` }, usage), answer({ summary: `  ${summary}  ` }, usage));
    const plain = await invokeAi('profile-summary', { resumeData }, user.token);
    expect(plain.status).toBe(200);
    const streamed = await stream('profile-summary', { resumeData }, user.token);
    const list = await allEvents(streamed.events!);
    expect(list.at(-1)).toEqual({ event: 'result', data: plain.body });
    expect(model.requests[1].body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    // Both calls logged alike, with the model's usage.
    const events = await eventsOfUser(user.id);
    expect(events.map((e) => [e.status, e.input_tokens, e.output_tokens])).toEqual([['success', 300, 45], ['success', 300, 45]]);
  });

  it('an unfaithful tailored summary ends the stream with the plain call’s 502, and nothing is saved', async () => {
    const user = await newUser('stream-unfaithful');
    const resume = await tailorFixture(user.id);
    const invented = {
      summary: 'I led platform teams at Google.',
      experience: [{ id: 'e1', title: 'Backend Engineer', company: 'Google', startDate: '2021-03', endDate: null, description: 'Built the tracking API' }],
      skills: ['Go'],
    };
    model.script(answer(invented), answer(invented), answer(invented), answer(invented));
    const plain = await invokeAi('tailor-resume', resume.body, user.token);
    expect(plain.status).toBe(502);
    expect(plain.body.error.code).toBe('unfaithful_tailoring');
    const streamed = await stream('tailor-resume', resume.body, user.token);
    const list = await allEvents(streamed.events!);
    expect(list.filter((e) => e.event !== 'delta').map((e) => e.event)).toEqual(['restart', 'error']);
    expect(list.at(-1)!.data).toEqual({ status: 502, ...plain.body });
    const [{ versions }] = await admin`select count(*)::int as versions from public.generated_resume_versions where generated_resume_id = ${resume.id}`;
    expect(versions).toBe(1);
    expect((await eventsOfUser(user.id)).map((e) => e.status)).toEqual(['error', 'error', 'error', 'error']);
  });

  it('a client that disconnects midway leaves exactly one ai_events row with the usage, its admission settled', async () => {
    const user = await newUser('stream-gone');
    let finishWriting = () => {};
    const writing = new Promise<void>((resolve) => (finishWriting = resolve));
    model.script(streamedAnswer({ summary }, { pieces: 6, until: writing }, { prompt_tokens: 410, completion_tokens: 77 }));
    const abort = new AbortController();
    const reply = await stream('profile-summary', { resumeData }, user.token, abort.signal);
    expect((await reply.events!.next()).value?.event).toBe('delta');
    abort.abort();
    await reply.events!.return(undefined);
    finishWriting();
    const events = await until(() => eventsOfUser(user.id), (rows) => rows.length > 0);
    // Nothing more arrives once the model call has been recorded.
    await until(() => admin`select 1 from private.ai_admissions where user_id = ${user.id} and reserved_tokens = 0`, (rows) => rows.length > 0);
    expect(await eventsOfUser(user.id)).toEqual(events);
    expect(events.map((e) => [e.status, e.input_tokens, e.output_tokens, e.error])).toEqual([['success', 410, 77, null]]);
    const [admission] = await admin`select model_calls, reserved_tokens::int, used_tokens::int from private.ai_admissions where user_id = ${user.id}`;
    expect(admission).toEqual({ model_calls: 1, reserved_tokens: 0, used_tokens: 487 });
  });

  it('parallel streams from one user beyond the per-minute limit get 429 with Retry-After', async () => {
    const user = await newUser('stream-burst');
    const perMinute = 30;
    const free = 4;
    await admin`insert into private.ai_admissions (user_id, action, model_calls)
                select ${user.id}, 'profile-summary', 1 from generate_series(1, ${perMinute - free})`;
    model.setDefault(streamedAnswer({ summary }, { pieces: 4, intervalMs: 100 }));
    const replies = await Promise.all(Array.from({ length: 10 }, () => stream('profile-summary', { resumeData }, user.token)));
    const streams = replies.filter((r) => r.status === 200);
    const refused = replies.filter((r) => r.status === 429);
    expect(streams).toHaveLength(free);
    expect(refused).toHaveLength(10 - free);
    for (const r of refused) {
      expect(r.body.error.code).toBe('rate_limited');
      expect(Number(r.headers!.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    for (const r of streams) expect((await allEvents(r.events!)).at(-1)).toEqual({ event: 'result', data: { summary } });
    expect(model.requests).toHaveLength(free);
  });
});

// A resume with one version and a job with a long enough posting, for tailor-resume and cover-letter.
async function tailorFixture(userId: string) {
  const [template] = await admin`select id from public.templates where is_active order by created_at limit 1`;
  const content = {
    profile: { fullName: 'Ada Lovelace', summary: 'I build backend systems.' },
    experience: [{ id: 'e1', title: 'Backend Engineer', company: 'Acme Logistics', startDate: '2021-03', endDate: null, isCurrent: true, description: 'Built the tracking API' }],
    skills: ['Go', 'PostgreSQL'],
  };
  const [resume] = await admin`insert into public.generated_resumes (user_id, template_id, title)
                               values (${userId}, ${template.id}, 'Streamed') returning id`;
  await admin`insert into public.generated_resume_versions (generated_resume_id, version_number, content_json)
              values (${resume.id}, 1, ${admin.json(content)})`;
  const [job] = await admin`insert into public.jobs (user_id, job_title, company, status, description)
                            values (${userId}, 'Platform Engineer', 'Initech', 'bookmarked',
                                    'We want a platform engineer fluent in Go and PostgreSQL to run our internal APIs.')
                            returning id`;
  return { id: resume.id as string, jobId: job.id as string, body: { generatedResumeId: resume.id, jobId: job.id } };
}

describe('docs/ai-streaming.md', () => {
  const blocks = [...readFileSync(join(repoRoot, 'docs', 'ai-streaming.md'), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1])
    .filter((code) => !code.startsWith('// Given')); // what examples.test.ts runs before it

  it('has one supabase-js example, and it reads a cover letter as it is written', async () => {
    expect(blocks).toHaveLength(1);
    const user = await newUser('stream-docs');
    const fixture = await tailorFixture(user.id);
    // 307 words, every number in it from the resume or the posting (none).
    const letter = 'Dear hiring team,\n\n' + 'I build reliable backend services in Go at Acme Logistics. '.repeat(30).trim() + '\n\nKind regards,\nAda Lovelace';
    model.script(streamedAnswer({ content: letter }, { pieces: 12 }));
    const shown: string[] = [];
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
    const run = new AsyncFunction('supabase', 'jobId', 'generatedResumeId', 'show', `${blocks[0]}\nreturn coverLetter;`);
    const coverLetter = await run(userClient(user.token), fixture.jobId, fixture.id, (text: string) => shown.push(text));
    expect(shown.length).toBeGreaterThan(1);
    expect(shown.at(-1)).toBe(letter);
    expect(coverLetter).toMatchObject({ content: letter, job_id: fixture.jobId, generated_resume_id: fixture.id, resume_version: 1 });
    const [saved] = await admin`select content from public.cover_letters where id = ${coverLetter.id}`;
    expect(saved.content).toBe(letter);
  });
});
