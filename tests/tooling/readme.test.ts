// The README's supabase-js examples as doc tests: every ```ts block of README.md (and of the
// docs its sections moved to, documentedFiles below) that
// talks to the stack runs verbatim (only its import line is supplied and the dev URL
// becomes the test stack's) with supabase-js clients made as the README says: the anon
// key, and the user's token through `accessToken`. Each block has a setup giving it the
// variables it names and a check of what it must have done; a block without an entry
// here, or an entry without its block, fails. Every HTTP call a block makes is recorded,
// and none may fail, except in a block that shows an error answer (the quota example).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient as realCreateClient } from '@supabase/supabase-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/profiles.mjs';
import { startModelServerForGateway } from '../support/ai-client';
import { answer, type ModelServer } from '../support/model-server';
import { startPlatformDouble } from '../support/platform-double-server';
import { anonKey, stack } from '../support/stack';
import { makeWorld, removeWorlds, type World } from '../support/world';

const sql = postgres(stack.adminUrl, { max: 1, onnotice: () => {} });
let model: ModelServer;
beforeAll(async () => { model = await startModelServerForGateway(); });
afterAll(async () => {
  await model?.stop();
  await removeWorlds(sql);
  await sql.end();
});

interface Call { method: string; path: string; status: number; body: string; headers: Headers }

// supabase-js clients whose every request is recorded.
function recorder() {
  const calls: Call[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(request);
    calls.push({
      method: request.method,
      path: new URL(request.url).pathname + new URL(request.url).search,
      status: response.status,
      body: await response.clone().text(),
      headers: response.headers,
    });
    return response;
  };
  const createClient = (url: string, key: string, options: Record<string, any> = {}) =>
    realCreateClient(url, key, { ...options, global: { ...(options.global ?? {}), fetch: recordingFetch } });
  const noSession = { auth: { persistSession: false, autoRefreshToken: false } };
  return {
    calls,
    createClient,
    user: (token: string) => createClient(stack.apiUrl, anonKey, { accessToken: async () => token }),
    anon: () => createClient(stack.apiUrl, anonKey, noSession),
  };
}

// The README and the docs its sections moved to.
const documentedFiles = ['README.md', 'docs/api.md', 'docs/sharing-and-documents.md', 'docs/account.md', 'docs/ai.md', 'docs/local-stack.md', 'docs/deploy.md', 'docs/testing.md'];

const readmeBlocks = () =>
  documentedFiles.flatMap((file) => [...readFileSync(join(repoRoot, file), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)])
    .map((m) => m[1])
    // "// Given: ..." blocks only prepare what the next example names; examples.test.ts runs them.
    .filter((code) => /\bsupabase\.|createClient/.test(code) && !code.startsWith('// Given'));

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;

async function runVerbatim(code: string, scope: Record<string, unknown>) {
  const body = code
    .replace(/^import \{ createClient \} from '@supabase\/supabase-js';\n/m, '')
    .replaceAll('http://127.0.0.1:54321', stack.apiUrl);
  expect(body, 'the only import a README example may have is createClient').not.toMatch(/^import /m);
  await new AsyncFunction(...Object.keys(scope), body)(...Object.values(scope));
}

interface Example {
  name: string;
  matches: (code: string) => boolean;
  run: (code: string) => Promise<void>;
}

const rpcCalls = (calls: Call[], name: string) => calls.filter((c) => c.path === `/rest/v1/rpc/${name}`);

const examples: Example[] = [
  {
    name: 'a client made with the anon key and the user’s token',
    matches: (code) => code.includes('accessToken: async () => TOKEN'),
    run: async (code) => {
      const w = await makeWorld(sql);
      const r = recorder();
      // The variables the doc's shell block exports from the status block.
      Object.assign(process.env, { API_URL: stack.apiUrl, ANON_KEY: anonKey, TOKEN: w.owner.token });
      try {
        await runVerbatim(code, { createClient: r.createClient });
      } finally {
        for (const name of ['API_URL', 'ANON_KEY', 'TOKEN']) delete process.env[name];
      }
      expect(r.calls.map((c) => [c.method, c.path.split('?')[0], c.status])).toEqual([['GET', '/rest/v1/jobs', 200]]);
      expect(JSON.parse(r.calls[0].body)).toEqual([{ job_title: 'Backend Engineer', company: 'Acme', status: 'applied' }]);
    },
  },
  {
    name: 'the data API: insert, list, count, upsert, default resume, current builder',
    matches: (code) => code.includes("insert({ job_title: 'Engineer'"),
    run: async (code) => {
      const w = await makeWorld(sql);
      await sql`update public.resumes set is_default = false where id = ${w.ids.resume}`;
      await sql`update public.resume_builder_data set is_current = false where id = ${w.ids.builder}`;
      const r = recorder();
      await runVerbatim(code, { supabase: r.user(w.owner.token), resume_id: w.ids.resume, id: w.ids.builder });
      expect(r.calls.filter((c) => c.status >= 400)).toEqual([]);
      const [job] = await sql`select status, user_id from public.jobs where company = 'Acme' and job_title = 'Engineer' and user_id = ${w.owner.id}`;
      expect(job).toEqual({ status: 'applied', user_id: w.owner.id });
      const list = r.calls.find((c) => c.method === 'GET' && c.path.startsWith('/rest/v1/jobs?'))!;
      expect(JSON.parse(list.body).map((j: { user_id: string }) => j.user_id)).toEqual([w.owner.id, w.owner.id]);
      const head = r.calls.find((c) => c.method === 'HEAD')!;
      expect(head.headers.get('content-range')).toMatch(/\/2$/); // the world's applied job and the new one
      const [skill] = await sql`select proficiency from public.user_skills where user_id = ${w.owner.id} and name = 'Go'`;
      expect(skill.proficiency.toLowerCase()).toBe('expert');
      const [state] = await sql`select (select is_default from public.resumes where id = ${w.ids.resume}) as is_default,
                                       (select is_current from public.resume_builder_data where id = ${w.ids.builder}) as is_current`;
      expect(state).toEqual({ is_default: true, is_current: true });
    },
  },
  {
    name: 'share links: create, read as anon, revoke',
    matches: (code) => code.includes("rpc('create_share_link', { generated_resume_id, expires_at: null })"),
    run: async (code) => {
      const w = await makeWorld(sql);
      const r = recorder();
      await runVerbatim(code, { supabase: r.user(w.owner.token), anon: r.anon(), generated_resume_id: w.ids.generated });
      expect(r.calls.filter((c) => c.status >= 400)).toEqual([]);
      const [read] = rpcCalls(r.calls, 'get_public_generated_resume');
      expect(JSON.parse(read.body)).toMatchObject({ title: 'Owner resume', template_slug: w.activeTemplate.slug, content: { profile: {} } });
      const [after] = await sql`select share_token from public.generated_resumes where id = ${w.ids.generated}`;
      expect(after.share_token).toBeNull();
    },
  },
  {
    name: 'the AI wizard walk',
    matches: (code) => code.includes("rpc('start_wizard_session', { template: 'modern-professional' })"),
    run: async (code) => {
      const w = await makeWorld(sql);
      const r = recorder();
      // The world's stranger: signed up, nothing in the profile lists yet, so the
      // prefilled draft has no experience or skills for the tailoring to keep.
      const walker = w.stranger;
      const supabase = r.user(walker.token);
      const other = await supabase.rpc('start_wizard_session', { template: 'clean-impact', prefill: false });
      expect(other.error).toBeNull();
      const description = 'We are hiring a Platform Engineer to run our Kubernetes clusters and build internal tooling in Go.';
      const [job] = await sql`insert into public.jobs (user_id, job_title, company, status, description)
                              values (${walker.id}, 'Platform Engineer', 'Initech', 'bookmarked', ${description}) returning id`;
      const summary = 'I build reliable internal tools. I want to grow into a Platform Engineer role.';
      model.reset();
      model.script(answer({ summary }), answer({ summary: 'I build reliable internal tools for platform teams.', experience: [], skills: [] }));
      r.calls.length = 0;
      await runVerbatim(code, {
        supabase, anon: r.anon(), jobId: job.id, otherSession: other.data, content: { profile: { fullName: 'World Owner' }, edited: true },
      });
      expect(r.calls.filter((c) => c.status >= 400).map((c) => `${c.path} ${c.status} ${c.body}`)).toEqual([]);
      expect(model.requests).toHaveLength(2);
      const [resume] = await sql`select id, current_version from public.generated_resumes where user_id = ${walker.id}`;
      expect(resume.current_version).toBe(3);
      const [shared] = rpcCalls(r.calls, 'get_public_generated_resume');
      // The newest version, the tailored one.
      expect(JSON.parse(shared.body)).toMatchObject({ template_slug: 'modern-professional', content: { profile: { summary: 'I build reliable internal tools for platform teams.' } } });
      const [abandoned] = await sql`select status from public.wizard_sessions where id = ${(other.data as { id: string }).id}`;
      expect(abandoned.status).toBe('abandoned');
    },
  },
  {
    name: 'job search: a prefix, the next page, a phrase with an exclusion and statuses',
    matches: (code) => code.includes("rpc('search_jobs', { query: 'kuber' })"),
    run: async (code) => {
      const w = await makeWorld(sql);
      await sql`insert into public.jobs (user_id, job_title, company, status, description)
                select ${w.owner.id}, 'Kubernetes Operator ' || g, 'Cluster Co ' || g, 'interviewing', 'Run clusters.'
                  from generate_series(1, 24) g`;
      await sql`insert into public.jobs (user_id, job_title, company, status, description)
                values (${w.owner.id}, 'Senior Engineer', 'Initech', 'applied', 'Platform work on Kubernetes.')`;
      const r = recorder();
      await runVerbatim(code, { supabase: r.user(w.owner.token) });
      const calls = rpcCalls(r.calls, 'search_jobs');
      expect(calls.map((c) => c.status)).toEqual([200, 200, 200]);
      const [first, second, phrase] = calls.map((c) => JSON.parse(c.body));
      expect(first.jobs).toHaveLength(20);
      expect(first.next_page_token).toEqual(expect.any(String));
      expect(second.jobs).toHaveLength(5);
      expect(second.next_page_token).toBeNull();
      expect(new Set([...first.jobs, ...second.jobs].map((j: { id: string }) => j.id)).size).toBe(25);
      expect(phrase.jobs.map((j: { company: string }) => j.company)).toEqual(['Initech']);
    },
  },
  {
    name: 'the job dashboard in the user’s time zone',
    matches: (code) => code.includes("rpc('job_dashboard', { tz: 'America/Los_Angeles' })"),
    run: async (code) => {
      const w = await makeWorld(sql);
      const r = recorder();
      await runVerbatim(code, { supabase: r.user(w.owner.token) });
      const [call] = rpcCalls(r.calls, 'job_dashboard');
      expect(call.status).toBe(200);
      const d = JSON.parse(call.body);
      expect(d).toMatchObject({ time_zone: 'America/Los_Angeles', by_status: { applied: 1, total: 1 } });
      expect(d.funnel[0]).toEqual({ stage: 'applied', jobs: 1 });
      expect(d.weekly).toHaveLength(12);
    },
  },
  {
    name: 'quotas: an insert past the per-user row cap',
    matches: (code) => code.includes("This account already holds the most jobs rows it may keep (5000)."),
    run: async (code) => {
      const w = await makeWorld(sql);
      const [{ held }] = await sql`select count(*)::int as held from public.jobs where user_id = ${w.owner.id}`;
      await sql`insert into public.jobs (user_id, job_title, company, status)
                select ${w.owner.id}, 'Filler ' || n, 'Acme', 'applied' from generate_series(1, ${5000 - held}) n`;
      const r = recorder();
      await runVerbatim(code, { supabase: r.user(w.owner.token), job_title: 'One too many', company: 'Acme' });
      expect(r.calls.map((c) => [c.method, c.path.split('?')[0], c.status])).toEqual([['POST', '/rest/v1/jobs', 400]]);
      expect(JSON.parse(r.calls[0].body)).toEqual({
        code: '23514',
        message: 'This account already holds the most jobs rows it may keep (5000).',
        details: 'The cap on jobs is 5000 rows per user; this statement would make it 5001.',
        hint: 'Delete rows you no longer need, then try again.',
      });
      const [{ after }] = await sql`select count(*)::int as after from public.jobs where user_id = ${w.owner.id}`;
      expect(after).toBe(5000);
    },
  },
  {
    name: 'export of all my data',
    matches: (code) => code.includes("rpc('export_my_data')"),
    run: async (code) => {
      const w = await makeWorld(sql);
      const r = recorder();
      await runVerbatim(code, { supabase: r.user(w.owner.token) });
      expect(r.calls.map((c) => [c.method, c.path, c.status])).toEqual([['POST', '/rest/v1/rpc/export_my_data', 200]]);
      const doc = JSON.parse(r.calls[0].body);
      expect(doc).toMatchObject({ format_version: 1, user_id: w.owner.id, account: { id: w.owner.id, email: w.owner.email } });
      expect(doc.tables.jobs.map((j: { id: string }) => j.id)).toEqual([w.ids.job]);
      expect(doc.tables.ai_usage_daily).toHaveLength(1);
    },
  },
  {
    name: 'errors from SQL: an inactive wizard session and a second job with the same URL',
    matches: (code) => code.includes("rpc('update_wizard_session', { id: inactiveSessionId"),
    run: async (code) => {
      const w = await makeWorld(sql);
      const sameUrl = `https://jobs.example/${w.marker}`;
      await sql`insert into public.jobs (user_id, job_title, company, job_url) values (${w.owner.id}, 'Engineer', 'Acme', ${sameUrl})`;
      const r = recorder();
      // The world's session is completed: no longer active. Both calls are refused on purpose.
      await runVerbatim(code, { supabase: r.user(w.owner.token), inactiveSessionId: w.ids.session, sameUrl });
      expect(r.calls.map((c) => [c.method, c.path.split('?')[0], c.status])).toEqual([
        ['POST', '/rest/v1/rpc/update_wizard_session', 409],
        ['POST', '/rest/v1/jobs', 409],
      ]);
      expect(JSON.parse(r.calls[0].body)).toMatchObject({ code: 'PT409', message: 'wizard session is not active' });
      expect(JSON.parse(r.calls[1].body)).toMatchObject({ code: '23505' });
      const [{ n }] = await sql`select count(*)::int as n from public.jobs where job_url = ${sameUrl}`;
      expect(n).toBe(1);
    },
  },
  {
    name: 'the tracker: a job with source and salary, an interview, a contact, follow-ups',
    matches: (code) => code.includes("rpc('due_follow_ups'"),
    run: async (code) => {
      const w = await makeWorld(sql);
      const r = recorder();
      await runVerbatim(code, { supabase: r.user(w.stranger.token) });
      expect(r.calls.filter((c) => c.status >= 400).map((c) => `${c.path} ${c.status} ${c.body}`)).toEqual([]);
      const [job] = await sql`select id, status, source, salary_min, salary_max, salary_currency, salary_period, follow_up_at, next_action
                                from public.jobs where user_id = ${w.stranger.id}`;
      expect(job).toMatchObject({ status: 'interviewing', source: 'referral', salary_min: '120000.00', salary_max: '150000.00',
                                  salary_currency: 'USD', salary_period: 'year', follow_up_at: null, next_action: 'Send the portfolio link' });
      const due = JSON.parse(rpcCalls(r.calls, 'due_follow_ups')[0].body);
      expect(due).toEqual([expect.objectContaining({ job_id: job.id, next_action: 'Send the portfolio link' })]);
      const [link] = await sql`select part from public.job_contacts where job_id = ${job.id}`;
      expect(link.part).toBe('recruiter');
    },
  },
  {
    name: 'the calendar feed: create, status, revoke',
    matches: (code) => code.includes("rpc('create_calendar_feed')"),
    run: async (code) => {
      const w = await makeWorld(sql);
      const r = recorder();
      await runVerbatim(code, { supabase: r.user(w.owner.token) });
      expect(r.calls.filter((c) => c.status >= 400)).toEqual([]);
      const token = JSON.parse(rpcCalls(r.calls, 'create_calendar_feed')[0].body);
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(JSON.parse(rpcCalls(r.calls, 'calendar_feed_status')[0].body)).toMatchObject({ active: true });
      expect(JSON.parse(rpcCalls(r.calls, 'revoke_calendar_feed')[0].body)).toBe(true);
      // The URL the README names, after the block's revoke.
      expect((await fetch(`${stack.apiUrl}/functions/v1/calendar/${token}.ics`)).status).toBe(404);
    },
  },
  {
    name: 'insights and the export with stage history, JSON and CSV',
    matches: (code) => code.includes("rpc('job_insights')"),
    run: async (code) => {
      const w = await makeWorld(sql);
      const r = recorder();
      await runVerbatim(code, { supabase: r.user(w.owner.token) });
      expect(r.calls.map((c) => [c.method, c.path.split('?')[0], c.status])).toEqual([
        ['POST', '/rest/v1/rpc/job_insights', 200],
        ['POST', '/rest/v1/rpc/application_history', 200],
        ['POST', '/rest/v1/rpc/application_history', 200],
      ]);
      expect(JSON.parse(r.calls[0].body)).toMatchObject({ applied: 1, by_source: [{ source: 'unknown', applied: 1 }] });
      const rows = JSON.parse(r.calls[1].body);
      expect(rows.map((row: { job_title: string; stage_history: string }) => [row.job_title, row.stage_history.split(' ')[0]])).toEqual([['Backend Engineer', 'applied']]);
      expect(r.calls[2].headers.get('content-type')).toMatch(/^text\/csv/);
      expect(r.calls[2].body.split('\n')[0]).toBe('job_id,company,job_title,source,applied_on,status,closing_reason,first_response_at,stages,stage_history');
    },
  },
  {
    name: 'an email becomes a proposed change, confirmed',
    matches: (code) => code.includes("functions.invoke('ai/read-email'"),
    run: async (code) => {
      const w = await makeWorld(sql);
      const r = recorder();
      model.reset();
      model.script(answer({
        emailKind: 'offer', summary: 'Acme makes an offer.', jobRef: 'J1', newJob: null, status: 'negotiating',
        closingReason: null, interview: null, contact: { name: 'Hank Hiring', email: 'hank@acme.example', part: 'hiring_manager' },
      }));
      await runVerbatim(code, { supabase: r.user(w.owner.token), emailText: 'Dear candidate, Acme is happy to offer you the Backend Engineer role.' });
      expect(r.calls.filter((c) => c.status >= 400).map((c) => `${c.path} ${c.status} ${c.body}`)).toEqual([]);
      const outcome = JSON.parse(rpcCalls(r.calls, 'confirm_email_proposal')[0].body);
      expect(outcome).toMatchObject({ status: 'negotiating' });
      const [job] = await sql`select status from public.jobs where id = ${outcome.job_id} and user_id = ${w.owner.id}`;
      expect(job.status).toBe('negotiating');
    },
  },
  {
    name: 'delete my account',
    matches: (code) => code.includes("functions.invoke('account', { method: 'DELETE' })"),
    run: async (code) => {
      const w = await makeWorld(sql);
      const platform = await startPlatformDouble(sql);
      try {
        platform.double.users.add(w.owner.id);
        const r = recorder();
        await runVerbatim(code, { supabase: r.user(w.owner.token) });
        expect(r.calls.map((c) => [c.method, c.path, c.status])).toEqual([['DELETE', '/functions/v1/account', 200]]);
        expect(JSON.parse(r.calls[0].body)).toMatchObject({ deleted: true, user_id: w.owner.id, user: 'deleted' });
        expect(platform.double.calls.at(-1)).toMatchObject({ method: 'DELETE', path: `/auth/v1/admin/users/${w.owner.id}` });
        expect(await sql`select id from auth.users where id = ${w.owner.id}`).toHaveLength(0);
      } finally {
        await platform.stop();
      }
    },
  },
];

describe('the README’s supabase-js examples, run verbatim against the stack', () => {
  const blocks = readmeBlocks();

  it('every example block has a doc test and every doc test its block', () => {
    for (const code of blocks) expect(examples.filter((e) => e.matches(code)).map((e) => e.name), code).toHaveLength(1);
    for (const e of examples) expect(blocks.filter((code) => e.matches(code)), e.name).toHaveLength(1);
  });

  for (const example of examples) {
    it(example.name, async () => {
      const code = blocks.find((b) => example.matches(b));
      expect(code, `README.md or a doc it links has the block for "${example.name}"`).toBeDefined();
      await example.run(code!);
    });
  }
});
