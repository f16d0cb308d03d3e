// Fair use of the data API (issue 22, finding 1): no one caller can hold PostgREST's
// connection pool. private.check_fair_use runs as PostgREST's db-pre-request and gives a
// signed-in user 2 requests at once, an anonymous client 2, all anonymous clients 4;
// over that share the answer is 429 (PT429) with Retry-After: 1 before the query runs.
//
// 1. The share, exactly: the slots a caller's requests would hold are taken by
//    transactions of the test itself (the same advisory locks), then one more request of
//    that caller is refused and every other caller is served.
// 2. anon cannot filter template JSON (the regex that held a connection for 3 s).
// 3. Isolation (the acceptance): while one anonymous client, and then one signed-in user
//    whose descriptions are at their size limit, keep 40 concurrent requests of each
//    attack running, another user's GET /rest/v1/jobs?limit=1 and /functions/v1/health
//    keep p99 ≤ 250 ms (or, on a machine already slower than that alone, at most 50 ms
//    above its own p99 measured just before) and never fail.
import postgres from 'postgres';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCappedUser } from '../support/capped-user';
import { anonKey, newUser, stack } from '../support/stack';

const admin = postgres(stack.adminUrl, { max: 8, onnotice: () => {} });

afterAll(async () => {
  await admin.end();
});

async function rest(path: string, token: string | null, init: RequestInit & { headers?: Record<string, string> } = {}) {
  const res = await fetch(`${stack.apiUrl}/rest/v1${path}`, {
    ...init,
    headers: { apikey: anonKey, ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) },
  });
  const text = await res.text();
  let body: any = text;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, body, retryAfter: res.headers.get('retry-after') };
}

// Holds `slots` of the caller's fair-use slots in open transactions until released.
async function holdSlots(caller: string, slots: number) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => { release = resolve; });
  const held: Promise<unknown>[] = [];
  const ready: Promise<void>[] = [];
  for (let slot = 1; slot <= slots; slot++) {
    let taken!: () => void;
    ready.push(new Promise<void>((resolve) => { taken = resolve; }));
    held.push(admin.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtext(${`fair_use:${caller}`}), ${slot})`;
      taken();
      await released;
    }));
  }
  await Promise.all(ready);
  return async () => {
    release();
    await Promise.all(held);
  };
}

describe('each caller holds a bounded share of the pool', () => {
  it('a signed-in user with 2 requests in flight gets 429 with Retry-After: 1; another user is served', async () => {
    const [busy, other] = [await newUser('fair-busy'), await newUser('fair-other')];
    const release = await holdSlots(`user:${busy.id}`, 2);
    try {
      const refused = await rest('/jobs?select=id&limit=1', busy.token);
      expect(refused.status, JSON.stringify(refused.body)).toBe(429);
      expect(refused.retryAfter).toBe('1');
      expect(refused.body).toMatchObject({ code: 'PT429', message: expect.stringContaining('retry'), details: expect.stringContaining('2 requests at once per signed-in user') });
      expect((await rest('/jobs?select=id&limit=1', other.token)).status).toBe(200);
    } finally {
      await release();
    }
    expect((await rest('/jobs?select=id&limit=1', busy.token)).status).toBe(200);
  });

  it('an anonymous client gets 2 at once, by its address; all anonymous clients together 4', async () => {
    const rpc = (address: string) => rest('/rpc/get_public_generated_resume', null, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': address },
      body: JSON.stringify({ share_token: 'no-such-token-000000000000000000' }),
    });
    let release = await holdSlots('anon:203.0.113.9', 2);
    try {
      const refused = await rpc('203.0.113.9');
      expect(refused.status, JSON.stringify(refused.body)).toBe(429);
      expect(refused.retryAfter).toBe('1');
      expect((await rpc('198.51.100.7')).status).toBe(200);
    } finally {
      await release();
    }
    release = await holdSlots('anon:*', 4);
    try {
      // A forged address does not help: the share of all anonymous clients is full.
      expect((await rpc(`192.0.2.${Math.floor(Math.random() * 200)}`)).status).toBe(429);
      const user = await newUser('fair-anon-full');
      expect((await rest('/jobs?select=id&limit=1', user.token)).status).toBe(200);
    } finally {
      await release();
    }
    expect((await rpc('203.0.113.9')).status).toBe(200);
  });
});

describe('anonymous callers get only what the share page needs', () => {
  it('anon cannot read or filter templates; the layout comes from get_template_layout', async () => {
    const started = performance.now();
    const filtered = await rest(`/templates?select=id&schema->>sections=match.${encodeURIComponent('^(.*)(.*)(.*)\\1\\2\\3$')}`, null);
    expect(filtered.status).toBe(401);
    expect(filtered.body.code).toBe('42501');
    expect(performance.now() - started).toBeLessThan(1000);
    const [template] = await admin`select slug, schema from public.templates where is_active order by created_at limit 1`;
    const layout = await rest(`/rpc/get_template_layout?template_slug=${template.slug}`, null);
    expect(layout.status).toBe(200);
    expect(layout.body).toEqual(template.schema);
  });
});

// --- Isolation ------------------------------------------------------------------------

const targetMs = 250;
const noiseAllowanceMs = 50;
const samples = 150;
const roundDeadlineMs = 40_000;

// The victim's clock and requests live in a worker thread with its own event loop.
function probe(urls: { url: string; headers: Record<string, string> }[], count: number, deadlineMs: number): Promise<{ latencies: number[]; failures: string[] }> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    (async () => {
      const { urls, count, deadlineMs } = workerData;
      const stop = Date.now() + deadlineMs;
      const latencies = [], failures = [];
      for (let i = 0; latencies.length < count && Date.now() < stop; i++) {
        const { url, headers } = urls[i % urls.length];
        const started = performance.now();
        try {
          const res = await fetch(url, { headers, signal: AbortSignal.timeout(Math.max(1, stop - Date.now())) });
          await res.text();
          if (res.status === 200) latencies.push(performance.now() - started);
          else { latencies.push(Infinity); failures.push(url + ' ' + res.status); }
        } catch (error) {
          latencies.push(Infinity); failures.push(url + ' ' + error);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      parentPort.postMessage({ latencies, failures });
    })();`;
  const worker = new Worker(code, { eval: true, workerData: { urls, count, deadlineMs } });
  return new Promise((resolve, reject) => {
    worker.once('message', (result) => { void worker.terminate(); resolve(result); });
    worker.once('error', reject);
  });
}

function p99(latencies: number[], expected: number) {
  const all = [...latencies, ...Array(Math.max(0, expected - latencies.length)).fill(Infinity)].sort((a, b) => a - b);
  return all[Math.ceil(all.length * 0.99) - 1];
}

interface Attack { label: string; path: string; init?: RequestInit; token: string | null }

// 40 concurrent streams per attack, each sending its request again as soon as it is
// answered (an attacker ignores Retry-After).
async function runAttacks(attacks: Attack[], until: Promise<unknown>) {
  let done = false;
  const stop = new AbortController();
  void until.then(() => { done = true; stop.abort(); });
  const counts: Record<string, number> = {};
  const stream = async (attack: Attack) => {
    while (!done) {
      try {
        const res = await fetch(`${stack.apiUrl}/rest/v1${attack.path}`, {
          ...attack.init,
          headers: { apikey: anonKey, ...(attack.token ? { Authorization: `Bearer ${attack.token}` } : {}), ...(attack.init?.headers as Record<string, string> ?? {}) },
          signal: AbortSignal.any([stop.signal, AbortSignal.timeout(roundDeadlineMs)]),
        });
        await res.text();
        counts[`${attack.label} ${res.status}`] = (counts[`${attack.label} ${res.status}`] ?? 0) + 1;
      } catch {
        if (!done) counts[`${attack.label} no answer`] = (counts[`${attack.label} no answer`] ?? 0) + 1;
      }
    }
  };
  await Promise.all(attacks.flatMap((attack) => Array.from({ length: 40 }, () => stream(attack))));
  return counts;
}

describe('isolation of the data API between callers', () => {
  let victim: Awaited<ReturnType<typeof newUser>>;
  let attacker: Awaited<ReturnType<typeof newUser>>;
  const victimUrls = () => [
    { url: `${stack.apiUrl}/rest/v1/jobs?select=id&limit=1`, headers: { apikey: anonKey, Authorization: `Bearer ${victim.token}` } },
    { url: `${stack.apiUrl}/functions/v1/health`, headers: { Authorization: `Bearer ${victim.token}` } },
  ];

  beforeAll(async () => {
    victim = await newUser('fair-victim');
    attacker = await newUser('fair-attacker');
    // Descriptions at their size limit (100 KB): every filter on them runs to the
    // statement timeout. (The full 5,000-job cap takes minutes to build; the attack's
    // cost per request is bounded by the timeout and the share either way.)
    await buildCappedUser(admin, attacker.id, { jobs: 60, descriptionChars: 100_000 });
    await admin`insert into public.jobs (user_id, job_title, company) values (${victim.id}, 'Victim job', 'Acme')`;
  }, 300_000);

  const regex = encodeURIComponent('^(.*)(.*)(.*)\\1\\2\\3$');
  const anonAttacks = (): Attack[] => [
    { label: 'templates regex', path: `/templates?select=id&schema->>sections=match.${regex}`, token: null },
    { label: 'share rpc', path: '/rpc/get_public_generated_resume', token: null,
      init: { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ share_token: 'x'.repeat(32) }) } },
  ];
  const userAttacks = (): Attack[] => [
    { label: 'description regex', path: `/jobs?select=id&description=match.${regex}`, token: attacker.token },
    { label: 'description fts', path: `/jobs?select=id&description=fts.${encodeURIComponent('engineer & !zzz')}`, token: attacker.token },
    { label: 'search_jobs', path: '/rpc/search_jobs', token: attacker.token,
      init: { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ query: 'engineer' }) } },
    { label: 'export_my_data', path: '/rpc/export_my_data', token: attacker.token, init: { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' } },
  ];

  for (const [who, attacks] of [['one anonymous client', anonAttacks], ['one signed-in user with descriptions at the cap', userAttacks]] as const) {
    it(`another user's REST and /health keep p99 ≤ ${targetMs} ms and never fail while ${who} runs 40 concurrent requests of each attack`, async () => {
      const rounds: string[] = [];
      let passed = false;
      let lastFailures: string[] = [];
      for (let round = 0; round < 3 && !passed; round++) {
        const quiet = await probe(victimUrls(), 100, roundDeadlineMs);
        const baseline = p99(quiet.latencies, 100);
        const limit = Math.min(Math.max(targetMs, baseline + noiseAllowanceMs), 600);
        const measured = probe(victimUrls(), samples, roundDeadlineMs);
        const [result, counts] = await Promise.all([measured, runAttacks(attacks(), measured)]);
        const observed = p99(result.latencies, samples);
        rounds.push(`${baseline.toFixed(0)} → ${observed.toFixed(0)} ms (limit ${limit.toFixed(0)}), failures ${result.failures.length}, attack ${JSON.stringify(counts)}`);
        lastFailures = result.failures;
        passed = observed <= limit && result.failures.length === 0;
        // The attack really ran and was held to its share: refusals, never a 5xx but timeouts.
        expect(Object.keys(counts).some((k) => / 429$/.test(k)), rounds.at(-1)).toBe(true);
        expect(Object.keys(counts).filter((k) => / 5\d\d$/.test(k) && !/ (500|503|504)$/.test(k)), rounds.at(-1)).toEqual([]);
      }
      console.log(`fair use, ${who}: ${rounds.join(' | ')}`);
      expect(lastFailures, rounds.join(' | ')).toEqual([]);
      expect(passed, rounds.join(' | ')).toBe(true);
    }, 240_000);
  }
});

describe('counts do not reveal other users\' statistics', () => {
  it('Prefer: count=planned and count=estimated are refused with 400 22023; count=exact counts the caller\'s rows', async () => {
    const user = await newUser('fair-counts');
    for (const count of ['planned', 'estimated']) {
      const refused = await rest('/jobs?select=id&status=eq.applied', user.token, { headers: { Prefer: `count=${count}` } });
      expect(refused.status, JSON.stringify(refused.body)).toBe(400);
      expect(refused.body.code).toBe('22023');
    }
    const exact = await fetch(`${stack.apiUrl}/rest/v1/jobs?select=id&status=eq.applied`, {
      headers: { apikey: anonKey, Authorization: `Bearer ${user.token}`, Prefer: 'count=exact' },
    });
    await exact.text();
    expect(exact.status).toBe(200);
    expect(exact.headers.get('content-range')).toBe('*/0');
  });
});
