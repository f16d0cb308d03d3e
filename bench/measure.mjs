// Timing the client requests: row-level security versus the bare query, full size versus
// one tenth, all interleaved in one loop so that a noisy neighbour on a two-core machine
// slows every variant alike.
//
// Per iteration, per query, per data set: one untimed request for the iteration's user
// (so both timed sides find that user's rows in shared buffers; otherwise whichever side
// ran first would pay the cache misses), then the rls and bare requests, in alternating
// order. The time recorded is the main statement's round trip (Parse/Bind/Execute of
// the statement PostgREST sends) summed over a request group (3 HEAD requests, 5
// profile requests; the AI admission's four statements in its three transactions);
// BEGIN, the set_config statement and COMMIT are the same on both sides and are left
// out so that the ratio shows what RLS adds.
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { SignJWT } from 'jose';
import postgres from 'postgres';
import { anonKey, jwtSecret, serviceRoleKey } from '../scripts/lib/keys.mjs';
import { answerOf, answeredWithData, httpAnswerOf, httpAnsweredWithData, paramsOf, statementsOf, userClaims } from './client-queries.mjs';

const secret = new TextEncoder().encode(jwtSecret);
// A user's access token carrying exactly the claims the SQL-level requests publish.
export const signClaims = (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret);

// PostgREST logs in as authenticator and switches role per request. Like Supabase's
// pooler (and the edge functions), no named prepared statements: every execution is
// planned with its own parameter values.
export function apiConnection(port, database) {
  return postgres(`postgresql://authenticator:postgres@127.0.0.1:${port}/${database}`, {
    max: 1, prepare: false, onnotice: () => {}, connection: { application_name: 'jobstalker-bench (PostgREST 12 shapes)' },
  });
}

export async function sampleContexts(adminUrl, count) {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const users = await sql.unsafe(
      `select u.id, u.email, u.raw_user_meta_data ->> 'full_name' as full_name
         from auth.users u where u.email like '%@example.com' order by random() limit $1`, [count]);
    const tokens = await sql.unsafe(
      `select share_token from public.generated_resumes
        where share_token is not null and (share_expires_at is null or share_expires_at > now() + interval '1 day')
        order by random() limit $1`, [count]);
    const resumes = await sql.unsafe(
      `select r.id, u.id as user_id, u.email, u.raw_user_meta_data ->> 'full_name' as full_name
         from public.generated_resumes r join auth.users u on u.id = r.user_id
        where u.email like '%@example.com' order by random() limit $1`, [count]);
    if (!users.length || !tokens.length || !resumes.length) {
      throw new Error('the data set has no users, share links or resumes to sample');
    }
    const person = async (row) => {
      const user = { id: row.id ?? row.user_id, email: row.email, fullName: row.full_name, sessionId: randomUUID() };
      const claims = userClaims(user);
      return { user, claims, token: await signClaims(claims) };
    };
    const keys = { anon: anonKey, service: serviceRoleKey };
    return await Promise.all(users.map(async (row, i) => {
      const resume = resumes[i % resumes.length];
      return {
        ...(await person(row)),
        keys,
        shareToken: tokens[i % tokens.length].share_token,
        resume: { id: resume.id, owner: await person({ user_id: resume.user_id, email: resume.email, full_name: resume.full_name }) },
        now: new Date(),
      };
    }));
  } finally {
    await sql.end({ timeout: 5 });
  }
}

// What the edge functions log in as (SUPABASE_DB_URL names postgres): they switch to
// the caller's role per transaction, with the same pooler settings.
export function functionConnection(port, database) {
  return postgres(`postgresql://postgres:postgres@127.0.0.1:${port}/${database}`, {
    max: 1, prepare: false, onnotice: () => {}, connection: { application_name: 'jobstalker-bench (edge function statements)' },
  });
}

// ms: the request's own statements; wholeMs: the whole transaction (BEGIN to COMMIT).
// earlier collects the rows of every statement run so far in the request group.
export async function perform(sql, request, earlier = []) {
  const mode = request.readOnly ? 'isolation level read committed read only' : 'isolation level read committed';
  const begin = performance.now();
  const result = await sql.begin(mode, async (tx) => {
    await tx.unsafe(request.settings, request.settingsParams);
    let ms = 0;
    let first;
    for (const statement of statementsOf(request)) {
      const params = paramsOf(statement, earlier);
      const start = performance.now();
      const rows = await tx.unsafe(statement.text, params);
      ms += performance.now() - start;
      earlier.push(rows);
      first ??= rows;
    }
    return { ms, rows: first };
  });
  return { ...result, wholeMs: performance.now() - begin };
}

// connections: { api, function }: a request with login 'function' goes as the edge functions do.
async function performGroup(connections, q, requests) {
  let ms = 0;
  let wholeMs = 0;
  const answers = [];
  const rowsList = [];
  const earlier = [];
  for (const request of requests) {
    const result = await perform(request.login === 'function' ? connections.function : connections.api, request, earlier);
    ms += result.ms;
    wholeMs += result.wholeMs;
    answers.push(answerOf(result.rows));
    rowsList.push(result.rows);
  }
  return {
    ms,
    wholeMs,
    answer: q.answer ? q.answer(earlier) : answers.join('\n'),
    withData: q.answered ? q.answered(earlier) : rowsList.every((rows) => answeredWithData(q.key, rows)),
  };
}

// dataSets: [{ name, sql, functionSql, contexts }]. Returns samples[dataSet][query][side] = ms[].
export async function measure(dataSets, queries, { runs, warmup, onProgress = () => {} }) {
  const samples = {};
  const mismatches = [];
  const withData = {};
  for (const d of dataSets) {
    samples[d.name] = Object.fromEntries(queries.map((q) => [q.key, { rls: [], bare: [], rlsWhole: [], bareWhole: [] }]));
    withData[d.name] = Object.fromEntries(queries.map((q) => [q.key, 0]));
  }
  const total = warmup + runs;
  for (let i = 0; i < total; i++) {
    const timed = i >= warmup;
    const order = i % 2 === 0 ? ['rls', 'bare'] : ['bare', 'rls'];
    const dataSetOrder = i % 2 === 0 ? dataSets : [...dataSets].reverse();
    for (const q of queries) {
      for (const d of dataSetOrder) {
        const ctx = d.contexts[i % d.contexts.length];
        ctx.now = new Date();
        const connections = { api: d.sql, function: d.functionSql };
        await performGroup(connections, q, q.requests(ctx, order[1]));
        const result = {};
        for (const side of order) result[side] = await performGroup(connections, q, q.requests(ctx, side));
        if (result.rls.answer !== result.bare.answer) {
          mismatches.push({ dataSet: d.name, query: q.key, user: ctx.user.id, rls: result.rls.answer.slice(0, 300), bare: result.bare.answer.slice(0, 300) });
        }
        if (result.rls.withData) withData[d.name][q.key] += 1;
        if (timed) {
          samples[d.name][q.key].rls.push(result.rls.ms);
          samples[d.name][q.key].bare.push(result.bare.ms);
          samples[d.name][q.key].rlsWhole.push(result.rls.wholeMs);
          samples[d.name][q.key].bareWhole.push(result.bare.wholeMs);
        }
      }
    }
    onProgress(i + 1, total);
  }
  return { samples, mismatches, withData };
}

export function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (sorted.length - 1) * p;
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export function summarise(values) {
  return { p50: percentile(values, 0.5), p95: percentile(values, 0.95), runs: values.length };
}

// One HTTP request to PostgREST, timed from sending it to having read the whole body.
export async function performHttp(baseUrl, request) {
  const start = performance.now();
  const response = await fetch(`${baseUrl}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
  const body = await response.text();
  return { ms: performance.now() - start, status: response.status, contentRange: response.headers.get('content-range'), body };
}

async function performHttpGroup(baseUrl, requests) {
  let ms = 0;
  const answers = [];
  const results = [];
  for (const request of requests) {
    const result = await performHttp(baseUrl, request);
    ms += result.ms;
    answers.push(httpAnswerOf(result));
    results.push(result);
  }
  return { ms, answer: answers.join('\n'), results };
}

// The whole-request timing over HTTP: the same interleaving as measure(), each data set
// with its own PostgREST (dataSet.restUrl). Queries without an `http` shape (the edge
// function's AI admission, which is SQL inside a function) are left out.
export async function measureHttp(dataSets, queries, { runs, warmup, onProgress = () => {} }) {
  const httpQueries = queries.filter((q) => q.http);
  const samples = {};
  const mismatches = [];
  const withData = {};
  const failures = [];
  for (const d of dataSets) {
    samples[d.name] = Object.fromEntries(httpQueries.map((q) => [q.key, { rls: [], bare: [] }]));
    withData[d.name] = Object.fromEntries(httpQueries.map((q) => [q.key, 0]));
  }
  const total = warmup + runs;
  for (let i = 0; i < total; i++) {
    const timed = i >= warmup;
    const order = i % 2 === 0 ? ['rls', 'bare'] : ['bare', 'rls'];
    const dataSetOrder = i % 2 === 0 ? dataSets : [...dataSets].reverse();
    for (const q of httpQueries) {
      for (const d of dataSetOrder) {
        const ctx = d.contexts[i % d.contexts.length];
        await performHttpGroup(d.restUrl, q.http(ctx, order[1]));
        const result = {};
        for (const side of order) result[side] = await performHttpGroup(d.restUrl, q.http(ctx, side));
        for (const side of order) {
          for (const r of result[side].results) {
            if (r.status >= 400 && failures.length < 5) failures.push(`${q.key} (${side}, ${d.name}) answered ${r.status}: ${r.body.slice(0, 200)}`);
          }
        }
        if (result.rls.answer !== result.bare.answer) {
          mismatches.push({ dataSet: d.name, query: q.key, user: ctx.user.id, rls: result.rls.answer.slice(0, 300), bare: result.bare.answer.slice(0, 300) });
        }
        if (result.rls.results.every((r) => httpAnsweredWithData(q.key, r))) withData[d.name][q.key] += 1;
        if (timed) {
          samples[d.name][q.key].rls.push(result.rls.ms);
          samples[d.name][q.key].bare.push(result.bare.ms);
        }
      }
    }
    onProgress(i + 1, total);
  }
  return { samples, mismatches, withData, failures };
}

// Throughput with `connections` concurrent clients, each request for a random sampled
// user (autocannon, keep-alive connections), in alternating rounds per side so that a
// noisy neighbour slows both alike. Returns requests/s and latency p99 (ms) per side.
export async function measureThroughput(dataSet, query, { connections = 32, seconds = 5, rounds = 3 } = {}) {
  const sides = { rls: [], bare: [] };
  const errors = { rls: 0, bare: 0 };
  for (let round = 0; round < rounds; round++) {
    for (const side of round % 2 === 0 ? ['rls', 'bare'] : ['bare', 'rls']) {
      let next = 0;
      const result = await autocannon({
        url: dataSet.restUrl,
        connections,
        duration: seconds,
        requests: [{
          setupRequest: (request) => {
            const ctx = dataSet.contexts[next++ % dataSet.contexts.length];
            const [http] = query.http(ctx, side);
            return { ...request, method: http.method, path: http.path, headers: http.headers, body: http.body };
          },
        }],
      });
      errors[side] += result.errors + result.non2xx;
      sides[side].push({ rps: result.requests.average, p99: result.latency.p99, requests: result.requests.total });
    }
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const summary = (side) => ({
    rps: median(sides[side].map((r) => r.rps)),
    p99: median(sides[side].map((r) => r.p99)),
    requests: sides[side].reduce((sum, r) => sum + r.requests, 0),
    errors: errors[side],
    rounds: sides[side],
  });
  return { connections, seconds, rounds, rls: summary('rls'), bare: summary('bare') };
}
