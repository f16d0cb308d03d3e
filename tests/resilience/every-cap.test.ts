// A user at every cap at once (issue 22: "search, dashboard, export, PDF/HTML
// rendering, JSON Resume, embedded reads stay within their targets ... nothing answers
// 5xx"): every row cap, 5,000 job descriptions of 32 KB and a resume version of 32 KB.
// The user is filled in SQL (tests/support/capped-user.ts); every call then goes the
// app's way, through the gateway with the user's token. Timing targets are the bench's:
// this test asserts generous bounds and prints what it measured. The same user is the
// signed-in attacker of the isolation acceptance (tests/support/isolation-probe.ts).
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userClient } from '../support/clients';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { descriptionCap, fillToEveryCap, versionCap, type CappedUser } from '../support/capped-user';
import { expectIsolated, targetMs, userAttacks } from '../support/isolation-probe';
import { exportPages } from '../support/export-pages';
import { newUser, stack } from '../support/stack';

// Two connections: the fixture builds in two transactions side by side.
const admin = postgres(stack.adminUrl, { max: 2, onnotice: () => {} });

let user: Awaited<ReturnType<typeof newUser>>;
let capped: CappedUser;
const fn = (path: string) => `${stack.apiUrl}/functions/v1/${path}`;
const get = (path: string) => fetch(fn(path), { headers: { Authorization: `Bearer ${user.token}` } });
const p50 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

beforeAll(async () => {
  user = await newUser('every-cap');
  capped = await fillToEveryCap(admin, user.id);
  console.log(`every-cap fixture built in ${Math.round(capped.buildMs)} ms: ${JSON.stringify(capped.stepsMs)}`);
}, 180_000);

// The user's 200,000 rows would weigh on the files after this one (planner statistics,
// timings): deleting the auth user cascades to them all.
afterAll(async () => {
  if (user) await admin`delete from auth.users where id = ${user.id}`;
  await admin.end();
}, 120_000);

describe('a user at every row cap at once', () => {
  it('holds every capped table at its cap', async () => {
    const rows = await admin`
      select q.table_name, q.max_rows, coalesce(u.used, 0) as used
        from private.row_quotas q
        left join private.row_quota_usage u on u.user_id = ${user.id}
             and u.scope = private.row_quota_scope(q.table_name, now())
       order by 1`;
    const short = rows.filter((r) => r.used !== r.max_rows && r.table_name !== 'user_profile');
    expect(short).toEqual([]);
    const [versions] = await admin`select count(*)::int as n, max(octet_length(v.content_json::text)) as biggest
                                     from public.generated_resume_versions v join public.generated_resumes r on r.id = v.generated_resume_id
                                    where r.user_id = ${user.id}`;
    expect(versions.n).toBe(10_000);
    expect(versions.biggest).toBeGreaterThan(versionCap - 50);
    expect(versions.biggest).toBeLessThanOrEqual(versionCap);
    const [jobs] = await admin`select min(octet_length(description)) as shortest, max(octet_length(description)) as longest
                                 from public.jobs where user_id = ${user.id}`;
    expect([jobs.shortest, jobs.longest]).toEqual([descriptionCap, descriptionCap]);
    // The search documents the fixture wrote are the ones the trigger would have.
    const [documents] = await admin`select count(*)::int as n,
                                           count(*) filter (where d.document = private.job_search_document(j.job_title, j.company, j.location, j.description)
                                                              and d.rank_document = private.job_search_document(j.job_title, j.company, j.location, left(j.description, 2000))
                                                              and d.keys = private.job_search_keys(j.user_id, d.document))::int as same
                                      from public.jobs j join public.job_search_documents d on d.job_id = j.id
                                     where j.user_id = ${user.id} and j.job_title like '% 4_'`;
    expect(documents).toEqual({ n: 10, same: 10 });
  });

  it('searches without 5xx (p50 printed; the 50 ms target is the bench\'s)', async () => {
    const client = userClient(user.token);
    const times: number[] = [];
    const perQuery: string[] = [];
    for (const query of ['engineer', 'kubernetes', 'postgresql observability', 'platform -manager', '"distributed services"', 'enginer', 'company 42', 'zzzz']) {
      const own: number[] = [];
      for (let round = 0; round < 3; round++) {
        const started = performance.now();
        const { error, status } = await client.rpc('search_jobs', { query });
        own.push(performance.now() - started);
        expect(status, `${query}: ${error?.message}`).toBe(200);
      }
      times.push(...own);
      perQuery.push(`${query} ${p50(own).toFixed(0)}`);
    }
    console.log(`every-cap search: p50 ${p50(times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms over ${times.length} calls (median ms per query: ${perQuery.join(', ')})`);
    expect(p50(times)).toBeLessThan(2000);
  });

  it('answers the dashboard and embedded reads without 5xx', async () => {
    const client = userClient(user.token);
    const dashboard = await client.rpc('job_dashboard', {});
    expect(dashboard.status, dashboard.error?.message).toBe(200);
    const jobs = await client.from('jobs').select('*, job_status_events(*), job_tags(tag_id), job_contacts(contact_id, part), interviews(*)').limit(200);
    expect(jobs.status, jobs.error?.message).toBe(200);
    expect(jobs.data).toHaveLength(200);
    const resumes = await client.from('generated_resumes').select('id, title, generated_resume_versions(version_number)').limit(100);
    expect(resumes.status, resumes.error?.message).toBe(200);
    expect(resumes.data!.reduce((n, r) => n + r.generated_resume_versions.length, 0)).toBe(10_000);
    const count = await client.from('job_status_events').select('id', { count: 'exact', head: true });
    expect(count.status).toBeLessThan(300);
    expect(count.count).toBe(50_000);
  });

  it('completes the export: the one document is refused with 413 export_too_large, the pages hold every row', async () => {
    const client = userClient(user.token);
    // About 75 MB of rows: past the single document's 32 MB, a typed 413 (never 54000 or a timeout).
    const singleStarted = performance.now();
    const single = await client.rpc('export_my_data');
    const singleMs = performance.now() - singleStarted;
    expect(single.status).toBe(413);
    expect(single.error?.code).toBe('PT413');
    expect(single.error?.details).toBe('export_too_large');
    expect(single.error?.hint).toContain('export_my_data_page');
    const started = performance.now();
    const { pages, tables, complete } = await exportPages(client);
    const ms = performance.now() - started;
    console.log(`every-cap export: the single document refused in ${Math.round(singleMs)} ms; ${pages.length} pages, ${(pages.reduce((n, p) => n + p.bytes, 0) / 1e6).toFixed(1)} MB, ` +
      `${Math.round(ms)} ms, slowest page ${Math.round(Math.max(...pages.map((p) => p.ms)))} ms, largest ${(Math.max(...pages.map((p) => p.bytes)) / 1e6).toFixed(2)} MB`);
    expect(complete).toBe(true);
    expect(pages.every((p) => p.bytes <= 8 * 1024 * 1024 + 600 * 1024)).toBe(true);
    expect(Math.max(...pages.map((p) => p.ms))).toBeLessThan(8000);
    expect(tables.jobs).toHaveLength(5000);
    expect(tables.job_status_events).toHaveLength(50_000);
    expect(tables.generated_resume_versions).toHaveLength(10_000);
    expect(tables.ai_events).toHaveLength(20_000);
    expect(tables).not.toHaveProperty('job_search_documents');
  }, 300_000);

  it('renders the version at the size cap: the PDF is drawn within the page bound (CPU measured), HTML and JSON Resume served', async () => {
    // CPU of the gateway process (every function and the PDF worker live in it) around
    // the one draw: an upper bound of the draw's own CPU. The target is 1 s (hosted
    // Supabase allows 2 s); pdf-bounds_test.ts measures the draw alone.
    const gatewayPid = Number(readFileSync(join(stack.dir, 'gateway.pid'), 'utf8').trim().split(/\s+/)[0]);
    const cpuMs = () => {
      const fields = readFileSync(`/proc/${gatewayPid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in 10 ms ticks
    };
    // The worker warmed by a one-page PDF first, as in a warm instance (pdf-bounds_test.ts
    // does the same): a cold worker's first draw also compiles pdf-lib's code.
    const short = await get(`resume-documents/${capped.resumeAtCap}?format=pdf&version=1`);
    expect(short.status).toBe(200);
    expect(short.headers.get('content-type')).toContain('application/pdf');
    const cpuBefore = cpuMs();
    const started = performance.now();
    const pdf = await get(`resume-documents/${capped.resumeAtCap}?format=pdf&version=${capped.capVersion}`);
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    const pdfMs = performance.now() - started;
    const pdfCpuMs = cpuMs() - cpuBefore;
    expect(pdf.status, new TextDecoder().decode(bytes.slice(0, 300))).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    const pages = Number(pdf.headers.get('x-page-count'));
    console.log(`every-cap PDF of the ${versionCap}-byte version: ${pdf.status}, ${pages} pages, ${bytes.length} bytes, ${Math.round(pdfMs)} ms of wall time, ${pdfCpuMs} ms of the gateway's CPU`);
    expect(pages).toBeGreaterThanOrEqual(5);
    expect(pages).toBeLessThanOrEqual(10);
    expect(pdfCpuMs).toBeLessThan(3000);
    const html = await get(`resume-documents/${capped.resumeAtCap}?format=html&version=${capped.capVersion}`);
    expect(html.status).toBe(200);
    expect(await html.text()).toContain('Cap Everywhere');
    const json = await get(`resume-documents/${capped.resumeAtCap}?format=jsonresume&version=${capped.capVersion}`);
    expect(json.status).toBe(200);
    expect((await json.json()).basics.name).toBe('Cap Everywhere');
  }, 60_000);
});

describe('isolation from a signed-in user at every cap', () => {
  let victim: Awaited<ReturnType<typeof newUser>>;

  beforeAll(async () => {
    victim = await newUser('every-cap-victim');
    await admin`insert into public.jobs (user_id, job_title, company) values (${victim.id}, 'Victim job', 'Acme')`;
  });

  it(`another user's REST and /health keep p99 ≤ ${targetMs} ms and never fail while the user at every cap runs 40 concurrent requests of each attack`, async () => {
    await expectIsolated('one signed-in user at every cap', victim.token, () => userAttacks(user.token));
  }, 240_000);
});
