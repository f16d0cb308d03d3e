// The browser extension's job capture against the running stack, with the bodies the live
// extension builds (tests/support/extension-page.ts) from a generated LinkedIn job page of
// realistic size (1.6 MB of outerHTML):
// - through clients/live-app's createExtensionApi, which reduces the page to its text;
// - straight to ai/parse-job, as the extension's background worker sends it (fetch, its
//   two headers, JSON.stringify of its payload), for pages up to the 512 KB bound, and the
//   413 beyond it.
// Each save keeps the stage and excitement sent (0 is unset), reads the URL the extension
// sent (an empty url falls back to canonical_url), and answers {job_id, status,
// is_duplicate, extracted_data}; a second save is a duplicate that the side panel shows as
// "Already in dashboard", never as saved. A save URL the jobs table would refuse is a 422
// before the model, the AI slot or any ai_events row (issue 22, finding 10).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createClient } from '@supabase/supabase-js';
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createExtensionApi } from '../../clients/live-app/src/extension';
import { startModelServerForGateway } from '../support/ai-client';
import { backgroundPayload, linkedInJobPage, sidePanelJobData } from '../support/extension-page';
import { answer, type ModelServer } from '../support/model-server';
import { anonKey, newUser, stack } from '../support/stack';

const admin = postgres(stack.adminUrl, { max: 2, onnotice: () => {} });
let model: ModelServer;

const jobsOf = (userId: string) =>
  admin`select id, job_title, company, location, salary, job_url, status, excitement_level, description
          from public.jobs where user_id = ${userId} order by created_at`;
const eventsOf = (userId: string) => admin`select status from public.ai_events where user_id = ${userId}`;
const admissionsOf = async (userId: string) =>
  (await admin`select count(*)::int as n from private.ai_admissions where user_id = ${userId}`)[0].n as number;

const page = linkedInJobPage();
const extracted = {
  job_title: page.title,
  company: page.company,
  location: page.location,
  salary: '€85,000 - €105,000',
  description: `${page.company} moves two million parcels a day across Europe.`,
  job_type: 'Full-time',
  experience_level: 'Senior',
  remote_work: 'Hybrid',
  benefits: ['30 days of holiday'],
  requirements: ['6+ years running production systems on Kubernetes'],
  skills: ['Kubernetes', 'Terraform', 'Go'],
};
const fallback = { job_title: page.title, company: page.company, location: page.location, salary: null, description: null };

// The side panel's "is this a duplicate" reading, as the live extension does it.
const readsAsDuplicate = (data: any) => data.is_duplicate === true || data.status === 'duplicate';

// An extension whose supabase-js client records what it sends.
function extensionFor(token: string) {
  const sent: { url: string; bytes: number }[] = [];
  const supabase = createClient(stack.apiUrl, anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    global: {
      fetch: async (input: any, init?: any) => {
        const body = init?.body;
        sent.push({ url: String(input), bytes: typeof body === 'string' ? Buffer.byteLength(body) : 0 });
        return fetch(input, init);
      },
    },
  });
  return { api: createExtensionApi(supabase, { getToken: () => token }), sent };
}

// The background worker's own request: its endpoint swapped for ai/parse-job, nothing else.
async function sendAsTheExtension(payload: unknown, token: string) {
  const response = await fetch(`${stack.apiUrl}/functions/v1/ai/parse-job`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(payload),
  });
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  model = await startModelServerForGateway();
});
beforeEach(() => model.reset());
afterAll(async () => {
  await model?.stop();
  await admin.end();
});

describe('the extension saves a LinkedIn job through clients/live-app', () => {
  it('a 1.6 MB page goes out as its text; the job is saved with its stage and excitement; the second save is a duplicate', async () => {
    const user = await newUser('ext-linkedin');
    const { api, sent } = extensionFor(user.token);
    expect(page.html.length).toBeGreaterThan(1_500_000);
    const jobData = sidePanelJobData(page, { stage: 'Interviewing', rating: 4, fallback });
    model.script(answer(extracted));

    const data = await api.saveJob(jobData);
    expect(data).toMatchObject({
      status: 'success',
      is_duplicate: false,
      job_id: expect.any(String),
      extracted_data: { job_title: page.title, company: page.company, location: page.location, salary: extracted.salary, job_url: page.canonicalUrl },
    });
    expect(readsAsDuplicate(data)).toBe(false);
    // The page travelled as its text: a few kilobytes, not 1.6 MB.
    expect(sent.at(-1)!.bytes).toBeLessThan(60_000);
    const prompt = model.requests[0].body.messages[1].content;
    expect(prompt).toContain(page.descriptionMarker);
    expect(prompt).not.toContain(page.hiddenMarker);

    const [job] = await jobsOf(user.id);
    expect(job).toMatchObject({
      id: data.job_id,
      job_title: page.title,
      company: page.company,
      job_url: page.canonicalUrl,
      status: 'interviewing',
      excitement_level: 4,
    });

    const again = await api.saveJob(sidePanelJobData(page, { stage: 'Applied', rating: 5, fallback }));
    expect(readsAsDuplicate(again)).toBe(true);
    expect(again).toMatchObject({ status: 'duplicate', is_duplicate: true, job_id: data.job_id, saved: false });
    expect(model.requests).toHaveLength(1);
    expect(await jobsOf(user.id)).toHaveLength(1);
    expect((await jobsOf(user.id))[0]).toMatchObject({ status: 'interviewing', excitement_level: 4 });
  });

  it('a page the content script could not read (html_content null) is saved from fallback_data, without the model', async () => {
    const user = await newUser('ext-fallback');
    const { api } = extensionFor(user.token);
    const jobData = sidePanelJobData({ html: null, canonicalUrl: 'https://www.linkedin.com/jobs/view/4019999999/' }, { stage: 'Applying', rating: 2, fallback });
    const data = await api.saveJob(jobData);
    expect(data).toMatchObject({ status: 'success', is_duplicate: false, extracted_data: { job_title: page.title, company: page.company } });
    expect(model.requests).toHaveLength(0);
    expect(await admissionsOf(user.id)).toBe(0);
    expect((await jobsOf(user.id))[0]).toMatchObject({ job_title: page.title, status: 'applying', excitement_level: 2, location: page.location });
  });

  it('a refused save throws with the status and detail the background worker reads (401 means sign in again)', async () => {
    const { api } = extensionFor('not-a-jwt');
    await expect(api.saveJob(sidePanelJobData(page, { fallback }))).rejects.toMatchObject({ status: 401, message: expect.any(String) });
  });
});

describe('the extension\'s own requests, sent straight to ai/parse-job', () => {
  it('the other-site body saves with no save flag: empty url → canonical_url, excitement 0 is unset, the stage kept', async () => {
    const user = await newUser('ext-other');
    const other = linkedInJobPage({ targetBytes: 400_000, canonical: false, seed: 11 });
    const canonical = `https://boards.example.com/globex/jobs/${crypto.randomUUID()}`;
    // A page off LinkedIn whose form has no link, only a canonical URL the side panel missed.
    const jobData = { ...sidePanelJobData({ html: other.html, canonicalUrl: null }, { stage: 'Applied', rating: 0, fallback }), url: '', canonical_url: canonical };
    const payload = backgroundPayload(jobData);
    expect(payload).toMatchObject({ url: canonical, source_url: canonical, html: other.html, excitement: 0 });
    model.script(answer(extracted));
    const reply = await sendAsTheExtension(payload, user.token);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body).toMatchObject({ status: 'success', is_duplicate: false, job_id: expect.any(String) });
    expect((await jobsOf(user.id))[0]).toMatchObject({ job_url: canonical, status: 'applied', excitement_level: null });

    // The LinkedIn body with an empty url falls back to its canonical_url.
    const linkedIn = { url: '', canonical_url: page.canonicalUrl, stage: 'Bookmarked', excitement: 3, html_content: other.html, fallback_data: fallback };
    model.script(answer(extracted));
    const second = await sendAsTheExtension(linkedIn, user.token);
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body.extracted_data.job_url).toBe(page.canonicalUrl);
    expect((await jobsOf(user.id))[1]).toMatchObject({ job_url: page.canonicalUrl, status: 'bookmarked', excitement_level: 3 });

    const duplicate = await sendAsTheExtension(payload, user.token);
    expect(duplicate.status).toBe(200);
    expect(readsAsDuplicate(duplicate.body)).toBe(true);
    expect(duplicate.body.job_id).toBe(reply.body.job_id);
  });

  it('a whole 1.6 MB outerHTML sent raw is a clear 413 naming the bound, before the model', async () => {
    const user = await newUser('ext-raw');
    const payload = backgroundPayload(sidePanelJobData(page, { stage: 'Bookmarked', rating: 1, fallback }));
    const reply = await sendAsTheExtension(payload, user.token);
    expect(reply.status).toBe(413);
    expect(reply.body.detail).toBe('The request body is larger than 512 KB.');
    expect(model.requests).toHaveLength(0);
    expect(await jobsOf(user.id)).toHaveLength(0);
  });

  it('a save URL the jobs table would refuse is 422 before the model: no AI slot, no ai_events row, no job', async () => {
    const user = await newUser('ext-badurl');
    for (const url of ['https://jobs.example.com/a b', 'https:/jobs.example.com/1', 'chrome://newtab/', `https://jobs.example.com/${'é'.repeat(1100)}`]) {
      const payload = { url, canonical_url: null, stage: 'Bookmarked', excitement: 1, html_content: `<p>${'Senior engineer wanted. '.repeat(20)}</p>`, fallback_data: fallback };
      const reply = await sendAsTheExtension(payload, user.token);
      expect(reply.status, `${url}: ${JSON.stringify(reply.body)}`).toBe(422);
      const viaText = await sendAsTheExtension({ text: 'Senior engineer wanted. '.repeat(20), url, save: true }, user.token);
      expect(viaText.status, url).toBe(422);
    }
    expect(model.requests).toHaveLength(0);
    expect(await admissionsOf(user.id)).toBe(0);
    expect(await eventsOf(user.id)).toHaveLength(0);
    expect(await jobsOf(user.id)).toHaveLength(0);
  });
});

describe('docs/extension.md', () => {
  it('its "Try it" commands run as written against the stack and answer as the page says', async () => {
    const user = await newUser('ext-docs');
    const doc = readFileSync(new URL('../../docs/extension.md', import.meta.url), 'utf8');
    const block = /## Try it[\s\S]*?```sh\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBeDefined();
    const script = block!
      .replace(/^TOKEN=.*$/m, `TOKEN=${user.token}`)
      .replaceAll('http://127.0.0.1:54321', stack.apiUrl);
    const run = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const [health, forged, saved, duplicate, badUrl] = run.stdout.trim().split('\n');
    expect(JSON.parse(health)).toMatchObject({ valid: true, user_id: user.id, email: user.email });
    expect(forged).toBe('401');
    expect(JSON.parse(saved)).toMatchObject({ status: 'success', is_duplicate: false, extracted_data: { job_title: 'Staff Engineer' } });
    expect(JSON.parse(duplicate)).toMatchObject({ status: 'duplicate', is_duplicate: true, job_id: JSON.parse(saved).job_id });
    expect(badUrl).toBe('422');
    expect((await jobsOf(user.id))[0]).toMatchObject({ status: 'interviewing', excitement_level: 4, company: 'Initech' });
    expect(model.requests).toHaveLength(0);
  });
});
