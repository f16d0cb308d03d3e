// Bench part "capacity": what the app's own request mix sustains, RLS only. 32 and then
// 128 concurrent users for 60 s each (8 for 5 s with --quick), each a closed loop with no
// pause, on the full data set, every user signed in as a sampled data-set user:
//   jobs list, jobs by status, dashboard counts (3 HEAD requests), profile (5 requests),
//   the share page's RPC (anon), search (search_jobs), through the data set's PostgREST
//   exactly as supabase-js sends them (bench/client-queries.mjs), and the AI admission
//   (the ai function's three transactions for one model call) on a pool of the function
//   login's connections,
// in a fixed mix per 20 actions (see `mix`). Reported per concurrency: actions and
// requests per second, p50 and p99 per action and over all, errors. A figure, not a
// target; errors fail the run (a wrong answer is not slowness).
//
// Search reads job_search_documents, which the data set's generator does not write (the
// job-search part writes them for every job: about 40 minutes at full size on a loaded
// two-core machine). This part writes, as the sync trigger would, the documents of the
// users who search here (the first `searchers` sampled users, about 200 jobs each) when
// they have none, and flushes the search indexes as every writer does.
//
// Fair use (docs/fair-use.md) answers a request beyond a caller's share `429` with
// `Retry-After`; the app's client module (clients/live-app/src/fair-use.ts) sends it again
// after that wait (jittered in its last half), at most 3 times, and only then shows the 429.
// Each simulated user does the same, and is its own anonymous client on the share page (its
// own address, as distinct visitors are); all anonymous clients together still share 3
// requests at once. A 429 sent again is counted apart from errors: errors are what the
// user would see.
import postgres from 'postgres';
import { clientQueries, httpHeaders } from '../client-queries.mjs';
import { perform, percentile } from '../measure.mjs';
import { searchDocumentInsert } from './job-search.mjs';
import { liveAppFairUse } from '../client-module.mjs';
import * as words from '../vocabulary.mjs';

const shapes = { full: [{ users: 32, seconds: 60 }, { users: 128, seconds: 60 }], quick: [{ users: 8, seconds: 5 }] };
// Weights per 20 actions: the tracker pages a signed-in user opens most, the public page
// the recruiters they send it to open, and one AI action.
export const mix = [
  ['jobs_list', 6], ['jobs_by_status', 3], ['dashboard_counts', 2], ['profile_bundle', 2], ['share_rpc', 3], ['search', 3], ['ai_admission', 1],
];
// The AI admission's connections, as one edge-function instance's pool.
const functionPoolSize = 10;
const searchers = 100;

async function writeSearchDocuments(adminUrl, userIds) {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [made] = await sql.unsafe(`
      with written as (
        ${searchDocumentInsert}
         where j.user_id = any($1::uuid[])
           and not exists (select 1 from public.job_search_documents d where d.job_id = j.id)
        returning 1)
      select count(*)::int as rows from written`, [userIds]);
    await sql.unsafe('select private.flush_job_search_index()');
    await sql.unsafe('analyze public.job_search_documents');
    return made.rows;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

const byKey = Object.fromEntries(clientQueries.map((q) => [q.key, q]));
const schedule = mix.flatMap(([key, weight]) => Array(weight).fill(key));

function searchRequest(ctx, n) {
  const query = n % 2 ? words.companies[n % words.companies.length] : words.jobTitles[n % words.jobTitles.length].split(' ').at(-1);
  return [{
    method: 'POST',
    path: '/rpc/search_jobs',
    headers: httpHeaders(ctx.token, { json: true }),
    body: JSON.stringify({ query, page_size: 20 }),
  }];
}

// One request as the app's client sends it, through the client module's own fairUseFetch
// (bench/client-module.mjs): a 429 with a usable Retry-After is sent again after it, as
// often as the module does; `retried` counts those 429s (the 429 a user is finally shown,
// if any, is not one of them).
export async function fetchAsClient(url, init, { fetchImpl = fetch } = {}) {
  const { fairUseFetch } = await liveAppFairUse();
  let refused = 0;
  const counted = async (input, options) => {
    const res = await fetchImpl(input, options);
    if (res.status === 429) refused += 1;
    return res;
  };
  const res = await fairUseFetch(counted)(url, init);
  const body = await res.text();
  return { res, body, retried: refused - (res.status === 429 ? 1 : 0) };
}

async function httpGroup(baseUrl, requests, headers = {}) {
  let requestsMade = 0;
  let retried429 = 0;
  for (const r of requests) {
    const { res, body, retried } = await fetchAsClient(`${baseUrl}${r.path}`, {
      method: r.method, headers: { ...r.headers, ...headers }, body: r.body, signal: AbortSignal.timeout(30_000),
    });
    requestsMade += 1 + retried;
    retried429 += retried;
    if (res.status >= 400) return { requests: requestsMade, retried429, error: `${res.status} ${body.slice(0, 120)}` };
    if (r.path === '/rpc/search_jobs') return { requests: requestsMade, retried429, empty: !JSON.parse(body)?.jobs?.length };
  }
  return { requests: requestsMade, retried429 };
}

async function admission(pool, ctx) {
  const earlier = [];
  for (const request of byKey.ai_admission.requests(ctx, 'rls')) await perform(pool, request, earlier);
  const refused = earlier[0]?.[0]?.refusal ?? earlier[1]?.[0]?.refusal;
  return { requests: 3, refused: refused ?? undefined };
}

async function drive({ dataSet, pool, users, seconds }) {
  const kinds = new Map();
  const errors = [];
  let emptySearches = 0;
  let refusals = 0;
  const record = (kind, ms, outcome) => {
    if (!kinds.has(kind)) kinds.set(kind, { ms: [], requests: 0, errors: 0, retried429: 0 });
    const k = kinds.get(kind);
    k.ms.push(ms);
    k.requests += outcome.requests ?? 0;
    k.retried429 += outcome.retried429 ?? 0;
    if (outcome.error) {
      k.errors++;
      if (errors.length < 10) errors.push(`${kind}: ${outcome.error}`);
    }
  };
  const contexts = dataSet.contexts;
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(Array.from({ length: users }, async (_, u) => {
    for (let n = 0; performance.now() < end; n++) {
      const kind = schedule[(n + u * 7) % schedule.length];
      const ctx = contexts[(u * 97 + n) % contexts.length];
      const t0 = performance.now();
      let outcome;
      try {
        if (kind === 'ai_admission') {
          outcome = await admission(pool, ctx);
          if (outcome.refused) refusals++;
        } else if (kind === 'search') {
          outcome = await httpGroup(dataSet.restUrl, searchRequest(contexts[(u * 97 + n) % searchers], n + u));
          if (outcome.empty) emptySearches++;
        } else if (kind === 'share_rpc') {
          // Each simulated user a visitor of its own (TEST-NET-2 addresses, docs/fair-use.md: locally
          // an anonymous client is its x-forwarded-for).
          outcome = await httpGroup(dataSet.restUrl, byKey[kind].http(ctx, 'rls'), { 'x-forwarded-for': `198.51.${100 + (u >> 8)}.${u & 255}` });
        } else {
          outcome = await httpGroup(dataSet.restUrl, byKey[kind].http(ctx, 'rls'));
        }
      } catch (error) {
        outcome = { error: String(error?.message ?? error) };
      }
      record(kind, performance.now() - t0, outcome);
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  const rows = mix.map(([kind]) => {
    const k = kinds.get(kind) ?? { ms: [], requests: 0, errors: 0, retried429: 0 };
    return { kind, actions: k.ms.length, requests: k.requests, perSecond: k.ms.length / elapsed, p50: percentile(k.ms, 0.5), p99: percentile(k.ms, 0.99), errors: k.errors, retried429: k.retried429 };
  });
  const all = [...kinds.values()].flatMap((k) => k.ms);
  const total = {
    actions: all.length,
    requests: rows.reduce((s, r) => s + r.requests, 0),
    errors: rows.reduce((s, r) => s + r.errors, 0),
    retried429: rows.reduce((s, r) => s + r.retried429, 0),
    p50: percentile(all, 0.5),
    p99: percentile(all, 0.99),
  };
  return { users, seconds, elapsed, rows, total, errors, emptySearches, refusals };
}

const fmt = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');

export default {
  name: 'capacity',
  title: "the app's request mix from 32 and 128 concurrent users, RLS only",
  async run(ctx) {
    const dataSet = ctx.dataSets.find((d) => d.name === 'full') ?? ctx.dataSets.at(-1);
    const url = dataSet.db.adminUrl.replace(/\/\/[^@]+@/, '//postgres:postgres@');
    const pool = postgres(url, { max: functionPoolSize, prepare: false, onnotice: () => {}, connection: { application_name: 'jobstalker-bench-capacity (edge function statements)' } });
    const results = [];
    const written = await writeSearchDocuments(dataSet.db.adminUrl, dataSet.contexts.slice(0, searchers).map((c) => c.user.id));
    console.log(`  search documents written for the ${searchers} searching users: ${written} (0 when the job-search part wrote every job's)`);
    try {
      for (const shape of ctx.quick ? shapes.quick : shapes.full) {
        console.log(`  ${shape.users} users for ${shape.seconds} s against ${dataSet.restUrl} (${dataSet.name} data set)`);
        const r = await drive({ dataSet, pool, ...shape });
        console.log(`    ${fmt(r.total.actions / r.elapsed)} actions/s, ${fmt(r.total.requests / r.elapsed)} requests/s, p50 ${fmt(r.total.p50)} ms, p99 ${fmt(r.total.p99)} ms, ${r.total.errors} errors, ${r.total.retried429} 429s sent again`);
        results.push(r);
      }
    } finally {
      await pool.end({ timeout: 5 });
    }
    const failures = [];
    for (const r of results) {
      if (r.total.errors) failures.push(`${r.users} users: ${r.total.errors} of ${r.total.actions} actions failed (${r.errors.join('; ')})`);
      const searches = r.rows.find((x) => x.kind === 'search').actions;
      if (searches && r.emptySearches === searches) failures.push(`${r.users} users: every search answered no job`);
    }
    const verdicts = results.map((r) => ({ target: `capacity, ${r.users} users: no errors`, value: r.total.errors, pass: r.total.errors === 0 }));
    const { retriesAfter429 } = await liveAppFairUse();
    const markdown = [
      '## Setup',
      '',
      `Closed loops with no pause, each user signed in as a sampled data-set user (RLS: the user's access token, no user filter), on the ${dataSet.name} data set`,
      'served by its own PostgREST 12 (default pool of 10 connections). The mix, per 20 actions:',
      mix.map(([kind, weight]) => `${weight} ${kind === 'search' ? 'search (`search_jobs`, a company or a title word, 20 a page)' : `${byKey[kind].title.toLowerCase()}`}`).join(', ') + '.',
      `An action is what the page sends: one request, or the 3 HEAD requests of the dashboard and the 5 of the profile, one after another;`,
      `the AI admission is the ai function's three transactions for one model call on a pool of ${functionPoolSize} connections as the function's login (no model call).`,
      'The share page is its RPC as anon (the share function\'s HTML rendering is the load part\'s), each simulated user a visitor with an address of its own.',
      `Fair use's \`429\` is sent again after its \`Retry-After\` (jittered in the wait's last half), at most ${retriesAfter429} times, as the app's client module does`,
      '(clients/live-app/src/fair-use.ts): "429s sent again" counts those, and an action is an error only when the user would see one.',
      'An action\'s time includes its waits; "requests" includes the ones sent again.',
      `Searches are made by the first ${searchers} sampled users, whose search documents this part writes unless the job-search part wrote every job's`,
      `(this run: ${written.toLocaleString('en-US')} written here); with documents for only these users the search indexes are smaller than a live database's.`,
      '',
      '## Results',
      '',
      ...results.flatMap((r) => [
        `### ${r.users} concurrent users, ${r.seconds} s`,
        '',
        `**${fmt(r.total.actions / r.elapsed)} actions/s, ${fmt(r.total.requests / r.elapsed)} requests/s** (HTTP requests and admission transactions); all actions p50 ${fmt(r.total.p50)} ms, **p99 ${fmt(r.total.p99)} ms**; ${r.total.errors} errors; ${r.total.retried429} fair-use 429s sent again after \`Retry-After\`.`,
        '',
        '| action | count | per second | requests | p50 ms | p99 ms | 429s sent again | errors |',
        '|---|---:|---:|---:|---:|---:|---:|---:|',
        ...r.rows.map((x) => `| ${x.kind} | ${x.actions} | ${fmt(x.perSecond)} | ${x.requests} | ${fmt(x.p50)} | ${fmt(x.p99)} | ${x.retried429} | ${x.errors} |`),
        '',
        `Searches that found no job: ${r.emptySearches}; AI admissions refused by the limits: ${r.refusals}.`,
        '',
      ]),
    ];
    return { verdicts, markdown, failures, data: { results: results.map(({ errors, ...r }) => r) } };
  },
};
