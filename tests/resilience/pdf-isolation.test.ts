// One client fetching long shared resumes as PDF cannot slow anyone else's data API
// (issue 22 finding 3). Every function shares the gateway's one event loop (as they
// share an instance on the edge runtime), and /rest/v1 passes through it too; a PDF
// drawn on that loop held it for as long as the drawing took: another user's REST call
// through the gateway went from 5/16 ms to 94/992 ms p50/p99 while one client fetched
// 120–234-page PDFs in rotation. Now a PDF is drawn in a worker thread (pdf-pool.ts),
// and a resume longer than the page bound is refused before it is drawn (pdf.ts).
// Threats covered, fetched in rotation by two concurrent streams, every one a cache miss:
// - over-long resumes: 180 short entries, past the page bound within the 32 KB version cap
//   (generated_resume_versions_content_json_size), A4 and Letter;
// - the longest resumes that are drawn (about nine pages, just under 32 KB), each its own
//   version, A4 and Letter.
//
// Measuring, as tests/resilience/isolation.test.ts does: the victim runs in a worker thread (its own
// event loop), the machine's own p99 is measured just before each round, and a round
// passes at p99 < 250 ms (or no more than 50 ms above a baseline already above 200 ms,
// never above 500 ms); at most three rounds, so outside noise alone does not fail it.
import postgres from 'postgres';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rpc } from '../support/as-caller';
import { anonKey, newUser, stack } from '../support/stack';

const admin = postgres(stack.adminUrl, { max: 2, onnotice: () => {} });
afterAll(() => admin.end());

const targetMs = 250;
const noiseAllowanceMs = 50;
const samplesPerRound = 150;
const roundDeadlineMs = 30_000;

const words = (n: number, seed: number) => {
  const vocabulary = ['shipped', 'the', 'billing', 'service', 'with', 'care', 'and', 'tested', 'every', 'path'];
  return Array.from({ length: n }, (_, i) => vocabulary[(i + seed) % vocabulary.length]).join(' ');
};

// `jobs` entries of `wordsPerJob` words; `seed` makes every version's text its own.
const resume = (jobs: number, wordsPerJob: number, seed: number) => ({
  profile: { fullName: `Ada Rotation ${seed}`, summary: words(150, seed) },
  experience: Array.from({ length: jobs }, (_, i) => ({
    title: `Engineer ${seed}-${i}`,
    company: 'Acme Logistics',
    startDate: '2020-01',
    description: words(wordsPerJob, seed + i),
  })),
  skills: Array.from({ length: 40 }, (_, i) => `Skill ${i}`),
});

// Both stay under the 32 KB version cap (about 25 and 31 KB as stored): descriptions of
// hundreds of one-item lines run far past the page bound (a PDF draws at most 50
// experience entries, but every line of one); ten long entries are the longest resume
// that is drawn.
const overLong = (seed: number) => ({
  ...resume(0, 0, seed),
  experience: Array.from({ length: 6 }, (_, i) => ({
    title: `Engineer ${seed}-${i}`,
    company: 'Acme Logistics',
    startDate: '2020-01',
    description: Array.from({ length: 600 }, (_, k) => `- ${k}`).join('\n'),
  })),
});
const longest = (seed: number) => resume(10, 480, seed);

let victim: Awaited<ReturnType<typeof newUser>>;
const links: string[] = [];
const resumeIds: string[] = [];

beforeAll(async () => {
  victim = await newUser('pdf-victim');
  const owner = await newUser('pdf-attacker');
  const [template] = await admin`select id from public.templates where is_active order by created_at limit 1`;
  // 12 over-long resumes and 36 of nine pages: 96 distinct PDFs with both papers.
  const contents = [
    ...Array.from({ length: 12 }, (_, i) => overLong(i)),
    ...Array.from({ length: 36 }, (_, i) => longest(100 + i)),
  ];
  for (const content of contents) {
    const [row] = await admin`
      insert into public.generated_resumes (user_id, template_id, title)
      values (${owner.id}, ${template.id}, 'Rotation') returning id`;
    await admin`insert into public.generated_resume_versions (generated_resume_id, content_json)
                values (${row.id}, ${admin.json(content as any)})`;
    const [link] = await rpc(admin, owner, 'create_share_link', { generated_resume_id: row.id });
    links.push(String(link.create_share_link));
    resumeIds.push(row.id);
  }
}, 120_000);

// A new newest version of every shared resume, so a round's PDFs are never in the cache.
async function newVersions(round: number) {
  for (const [i, id] of resumeIds.entries()) {
    const content = i < 12 ? overLong(round * 1000 + i) : longest(round * 1000 + i);
    await admin`insert into public.generated_resume_versions (generated_resume_id, content_json)
                values (${id}, ${admin.json(content as any)})`;
  }
}

// The victim's REST calls, from a worker thread with its own event loop.
function probeRest(count: number, deadlineMs: number): Promise<number[]> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    (async () => {
      const { url, token, apikey, count, deadlineMs } = workerData;
      const stop = Date.now() + deadlineMs;
      const latencies = [];
      while (latencies.length < count && Date.now() < stop) {
        const started = performance.now();
        try {
          const res = await fetch(url, { headers: { apikey, Authorization: 'Bearer ' + token }, signal: AbortSignal.timeout(Math.max(1, stop - Date.now())) });
          await res.text();
          latencies.push(res.status === 200 ? performance.now() - started : Infinity);
        } catch {
          latencies.push(Infinity);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      parentPort.postMessage(latencies);
    })();`;
  const worker = new Worker(code, {
    eval: true,
    workerData: { url: `${stack.restUrl}/jobs?select=id&limit=1`, token: victim.token, apikey: anonKey, count, deadlineMs },
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (latencies) => {
      void worker.terminate();
      resolve(latencies);
    });
    worker.once('error', reject);
  });
}

function p99(latencies: number[], expected: number): number {
  const all = [...latencies, ...Array(Math.max(0, expected - latencies.length)).fill(Infinity)].sort((a, b) => a - b);
  return all[Math.ceil(all.length * 0.99) - 1];
}

// Two streams fetch the PDFs in rotation until the victim is done (each round shows new
// versions, so its first pass over the list draws every PDF).
async function attack(round: number, until: Promise<unknown>) {
  let done = false;
  const stop = new AbortController();
  void until.then(() => {
    done = true;
    stop.abort();
  });
  const statuses: Record<string, number> = {};
  let next = 0;
  const stream = async () => {
    while (!done) {
      const i = next++;
      const paper = Math.floor(i / links.length) % 2 ? 'letter' : 'a4';
      try {
        const res = await fetch(`${stack.apiUrl}/functions/v1/share/${links[i % links.length]}?format=pdf&paper=${paper}&round=${round}`, {
          signal: AbortSignal.any([stop.signal, AbortSignal.timeout(roundDeadlineMs)]),
        });
        await res.arrayBuffer();
        const key = `${res.status} ${res.headers.get('x-render-cache') ?? ''}`.trim();
        statuses[key] = (statuses[key] ?? 0) + 1;
      } catch {
        if (!done) statuses['no answer'] = (statuses['no answer'] ?? 0) + 1;
      }
    }
  };
  await Promise.all([stream(), stream()]);
  return statuses;
}

describe('PDF rendering and everyone else', () => {
  it(`another user's REST call through the gateway keeps p99 < ${targetMs} ms while one client fetches long PDFs in rotation`, async () => {
    const rounds: { baseline: number; p99: number; limit: number; attack: Record<string, number> }[] = [];
    for (let round = 0; round < 3; round++) {
      if (round > 0) await newVersions(round);
      const baseline = p99(await probeRest(100, roundDeadlineMs), 100);
      const limit = Math.min(Math.max(targetMs, baseline + noiseAllowanceMs), 500);
      const probe = probeRest(samplesPerRound, roundDeadlineMs);
      const [latencies, statuses] = await Promise.all([probe, attack(round, probe)]);
      rounds.push({ baseline, p99: p99(latencies, samplesPerRound), limit, attack: statuses });
      if (rounds.at(-1)!.p99 < limit) break;
    }
    const report = `p99 per round (baseline → under attack, limit): ${rounds
      .map((r) => `${r.baseline.toFixed(1)} → ${r.p99.toFixed(1)} ms (< ${r.limit.toFixed(0)})`)
      .join(', ')}; the last attack: ${JSON.stringify(rounds.at(-1)!.attack)}`;
    console.log(`pdf isolation: ${report}`);
    const last = rounds.at(-1)!.attack;
    // The attack really ran: PDFs were drawn (not served from the cache), over-long
    // ones were refused with 422, and nothing failed (a 503 is a draw stopped at its
    // 2 s bound on a machine this loaded: the bound holding, not a failure).
    expect(last['200 miss'] ?? 0, report).toBeGreaterThanOrEqual(2);
    expect(Object.keys(last).filter((key) => !['200 miss', '200 hit', '422', '503'].includes(key)), report).toEqual([]);
    expect(rounds.some((r) => r.p99 < r.limit), report).toBe(true);
  }, 240_000);
});
