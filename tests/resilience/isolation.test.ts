// One user cannot slow another: while an attacker sends the worst input we can build
// to every AI action, another user's /functions/v1/health keeps a p99 under 200 ms.
// All functions share one event loop in the gateway (as they share an instance on the
// edge runtime), so a quadratic algorithm or an unbounded prompt on one request stalls
// every other user: on the old code a 217 KB resume held the loop for 19 s and a page
// of unclosed "<!--" for 15 s. Threats covered, each as one request of the attack:
// - parse-job pages of half a megabyte of unclosed comments, scripts, tags and "<";
// - tailor-resume on the longest version the database stores (the 32 KB cap, which
//   always fits the model's context) and on one of half that, with a model answer of the
//   largest allowed size;
// - job-match and cover-letter on the largest job description, import-resume on the
//   longest paste, wizard-summary on a huge draft, the other actions at their limits.
//
// Measuring on a shared, loaded 2-core machine: the victim runs in a worker thread (its
// own event loop, so the attacker's client work does not delay its clock), sends 200
// sequential requests per round, and a round passes at p99 < 200 ms (or, when the
// machine alone already measures a p99 above 150 ms just before the round, at no more
// than 50 ms above it, and never above 500 ms). A round that fails only from outside noise is repeated with a
// fresh attacker, at most three rounds; a real stall (seconds) fails every round.
import postgres from 'postgres';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ModelServer, respond } from '../support/model-server';
import { startModelServerForGateway } from '../support/ai-client';
import { newUser, stack } from '../support/stack';

const admin = postgres(stack.adminUrl, { max: 2, onnotice: () => {} });
let model: ModelServer;
let templateId: string;

const targetMs = 200;
// When the machine alone is already slow (other work on a shared 2-core box), the attack
// may add at most this much to the p99 it measured just before.
const noiseAllowanceMs = 50;
const samplesPerRound = 200;
const roundDeadlineMs = 25_000;

const words = (n: number) => {
  const vocabulary = ['shipped', 'the', 'billing', 'service', 'with', 'care', 'and', 'tested', 'every', 'path'];
  return Array.from({ length: n }, (_, i) => vocabulary[i % vocabulary.length]).join(' ');
};

// A resume of about `kilobytes` KB: 50 entries whose descriptions carry the bulk.
function resumeContent(kilobytes: number) {
  const perEntry = Math.floor((kilobytes * 1024) / 50 / 6);
  return {
    profile: { fullName: 'Ada Attacker', summary: words(100) },
    experience: Array.from({ length: 50 }, (_, i) => ({
      id: `exp-${i}`,
      title: 'Engineer',
      company: 'Acme Logistics',
      startDate: '2020-01',
      endDate: null,
      description: words(perEntry),
    })),
    skills: Array.from({ length: 200 }, (_, i) => `Skill${i}`),
  };
}

// The largest answer each schema allows, for the actions whose checks read the answer.
function worstAnswer(body: any): unknown {
  const schema = body?.response_format?.json_schema?.name;
  if (schema === 'tailored_resume') {
    return {
      summary: words(140),
      experience: Array.from({ length: 50 }, (_, i) => ({
        id: `exp-${i}`,
        title: 'Engineer',
        company: 'Acme Logistics',
        startDate: '2020-01',
        endDate: null,
        // An invented employer at the end: the check reads all of it, rejects, and repairs once.
        description: `${words(640)} at Initech`.slice(-4000),
      })),
      skills: Array.from({ length: 200 }, (_, i) => `Skill${i}`),
    };
  }
  return {};
}

interface Attacker {
  token: string;
  requests: { label: string; action: string; body: unknown }[];
}

async function prepareAttacker(): Promise<Attacker> {
  const user = await newUser('isolation-attacker');
  // The longest description the database stores (jobs_description_size, 32 KB).
  const [job] = await admin`
    insert into public.jobs (user_id, job_title, company, status, description)
    values (${user.id}, 'Engineer', 'Globex', 'bookmarked', ${words(18_000).slice(0, 32 * 1024)}) returning id`;
  const resumeIds: string[] = [];
  // The longest version the database stores (about 31 KB as stored, under the 32 KB cap of
  // generated_resume_versions_content_json_size), and one of half that.
  for (const kilobytes of [20, 10]) {
    const [resume] = await admin`
      insert into public.generated_resumes (user_id, template_id, title)
      values (${user.id}, ${templateId}, 'Attack') returning id`;
    await admin`insert into public.generated_resume_versions (generated_resume_id, content_json)
                values (${resume.id}, ${admin.json(resumeContent(kilobytes) as any)})`;
    resumeIds.push(resume.id);
  }
  const [session] = await admin`
    insert into public.wizard_sessions (user_id, template_id, draft_json)
    values (${user.id}, ${templateId}, ${admin.json(resumeContent(500) as any)}) returning id`;
  // Under parse-job's 512 KB body limit once JSON-encoded (no character here needs escaping).
  const page = (unit: string) => 'Job'.padEnd(500 * 1024, unit);
  return {
    token: user.token,
    requests: [
      { label: 'tailor-resume of half the cap', action: 'tailor-resume', body: { generatedResumeId: resumeIds[1], jobId: job.id } },
      { label: 'parse-job unclosed comments', action: 'parse-job', body: { html: page('<!--') } },
      { label: 'tailor-resume at the version cap', action: 'tailor-resume', body: { generatedResumeId: resumeIds[0], jobId: job.id } },
      { label: 'parse-job unclosed scripts', action: 'parse-job', body: { html: page('<script>') } },
      { label: 'parse-job stray <', action: 'parse-job', body: { html: page('<') } },
      { label: 'parse-job unclosed tags', action: 'parse-job', body: { html: page('<li') } },
      { label: 'parse-job tags and entities', action: 'parse-job', body: { html: page('<p a=x>&amp;') } },
      { label: 'cover-letter', action: 'cover-letter', body: { jobId: job.id, generatedResumeId: resumeIds[1] } },
      { label: 'job-match', action: 'job-match', body: { jobId: job.id } },
      { label: 'import-resume', action: 'import-resume', body: { text: words(8_000).slice(0, 50_000) } },
      { label: 'wizard-summary', action: 'wizard-summary', body: { wizardSessionId: session.id } },
      { label: 'parse-job text', action: 'parse-job', body: { text: words(8_000).slice(0, 50_000) } },
      { label: 'skills', action: 'skills', body: { description: words(3_000).slice(0, 20_000), context: 'job' } },
      { label: 'work-description', action: 'work-description', body: { job_title: 'x'.repeat(200), company: 'y'.repeat(200), what_did_you_do: words(600).slice(0, 4000) } },
      { label: 'profile-summary', action: 'profile-summary', body: { resumeData: { summary: words(800).slice(0, 5000), workExperience: Array.from({ length: 50 }, () => ({ title: words(100), company: 'Acme' })) } } },
    ],
  };
}

// The victim's clock and requests live in a worker thread with its own event loop.
function probeHealth(token: string, count: number, deadlineMs: number): Promise<number[]> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    (async () => {
      const { url, token, count, deadlineMs } = workerData;
      const stop = Date.now() + deadlineMs;
      const latencies = [];
      while (latencies.length < count && Date.now() < stop) {
        const started = performance.now();
        try {
          const res = await fetch(url, { headers: { Authorization: 'Bearer ' + token }, signal: AbortSignal.timeout(Math.max(1, stop - Date.now())) });
          await res.text();
          latencies.push(res.status === 200 ? performance.now() - started : Infinity);
        } catch {
          latencies.push(Infinity);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      parentPort.postMessage(latencies);
    })();`;
  const worker = new Worker(code, { eval: true, workerData: { url: `${stack.apiUrl}/functions/v1/health`, token, count, deadlineMs } });
  return new Promise((resolve, reject) => {
    worker.once('message', (latencies) => {
      void worker.terminate();
      resolve(latencies);
    });
    worker.once('error', reject);
  });
}

// p99 over the samples asked for: a sample never taken (the deadline passed) is infinite.
function p99(latencies: number[], expected: number): number {
  const all = [...latencies, ...Array(Math.max(0, expected - latencies.length)).fill(Infinity)].sort((a, b) => a - b);
  return all[Math.ceil(all.length * 0.99) - 1];
}

async function attack(attacker: Attacker, until: Promise<unknown>) {
  let done = false;
  // When the victim is done, requests still running are dropped, so a stalled gateway
  // cannot keep the round open.
  const stop = new AbortController();
  void until.then(() => {
    done = true;
    stop.abort();
  });
  const statuses: string[] = [];
  const stream = async (offset: number) => {
    for (let i = offset; !done; i++) {
      const { label, action, body } = attacker.requests[i % attacker.requests.length];
      try {
        const res = await fetch(`${stack.apiUrl}/functions/v1/ai/${action}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${attacker.token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.any([stop.signal, AbortSignal.timeout(roundDeadlineMs)]),
        });
        await res.text();
        statuses.push(`${label} ${res.status}`);
      } catch {
        if (!done) statuses.push(`${label} no answer`);
      }
    }
  };
  await Promise.all([stream(0), stream(1)]);
  return statuses;
}

beforeAll(async () => {
  model = await startModelServerForGateway();
  model.setDefault(respond(worstAnswer));
  const [template] = await admin`select id from public.templates order by created_at limit 1`;
  templateId = template.id;
});

afterAll(async () => {
  await model?.stop();
  await admin.end();
});

describe('isolation between users', () => {
  it(`another user's /health stays under ${targetMs} ms p99 while one user sends the worst input to every action`, async () => {
    const victim = await newUser('isolation-victim');
    const rounds: { baseline: number; p99: number; limit: number; attack: Record<string, number> }[] = [];
    for (let round = 0; round < 3; round++) {
      // The machine's own noise right now, without any attack.
      const baseline = p99(await probeHealth(victim.token, 100, roundDeadlineMs), 100);
      // Never above 500 ms: a gateway still stalled by an earlier round must not relax the bound.
      const limit = Math.min(Math.max(targetMs, baseline + noiseAllowanceMs), 500);
      const attacker = await prepareAttacker();
      const probe = probeHealth(victim.token, samplesPerRound, roundDeadlineMs);
      const [latencies, statuses] = await Promise.all([probe, attack(attacker, probe)]);
      const counts: Record<string, number> = {};
      for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
      rounds.push({ baseline, p99: p99(latencies, samplesPerRound), limit, attack: counts });
      if (rounds.at(-1)!.p99 < limit) break;
    }
    const report = `p99 per round (baseline → under attack, limit): ${rounds
      .map((r) => `${r.baseline.toFixed(1)} → ${r.p99.toFixed(1)} ms (< ${r.limit.toFixed(0)})`)
      .join(', ')}; the last attack: ${JSON.stringify(rounds.at(-1)!.attack)}`;
    console.log(`isolation: ${report}`);
    // The attack really ran: the version at the cap went to the model (the scripted worst
    // answer ends in 502) or was rate limited, never refused as too large for the model's context
    // (a version at the 32 KB cap with a job at the 32 KB cap always fits); every request was
    // answered, and none crashed.
    const last = Object.entries(rounds.at(-1)!.attack);
    expect(last.filter(([key]) => key.startsWith('tailor-resume at the version cap ')), report).not.toEqual([]);
    expect(last.filter(([key]) => key.startsWith('tailor-resume at the version cap') && !/ (200|429|502)$/.test(key)), report).toEqual([]);
    expect(last.filter(([key]) => / (5\d\d|no answer)$/.test(key) && !/ (502|503|504)$/.test(key)), report).toEqual([]);
    expect(rounds.some((r) => r.p99 < r.limit), report).toBe(true);
  }, 150_000);
});
