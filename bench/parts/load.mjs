// Bench part "load": concurrent users through the functions gateway, for a figure of
// what the service sustains. 32 users for 60 s (8 for 5 s with --quick), each in a
// closed loop of public share-page reads, plus one AI request (skills, work-description,
// parse-job, job-match in turn) every 2.5 s: 24 a minute, inside the 30-a-minute limit,
// so a 429 is an error like any other. The model is the scripted server answering each
// schema validly after 200 ms. Reported per kind: requests, requests/s, p50, p99,
// errors. Targets: no errors, share page p99 ≤ 1 s.
import { startGateway, stopGateway } from '../../scripts/lib/gateway-process.mjs';
import { signAccessToken } from '../../scripts/lib/keys.mjs';
import { respond, startModelServer } from '../../scripts/lib/model-server.mjs';
import { percentile } from '../measure.mjs';

const shapes = { full: { users: 32, seconds: 60 }, quick: { users: 8, seconds: 5 } };
const modelLatencyMs = 200;
const aiIntervalMs = 2500;
const targets = { shareP99Ms: 1000 };

const posting = 'Senior Backend Engineer at Acme Logistics in Berlin. You will build APIs in Go and PostgreSQL and run them on Kubernetes.';

// A valid answer for each schema the load asks for.
function answerFor(body) {
  switch (body?.response_format?.json_schema?.name) {
    case 'skills':
      return { skills: ['Go', 'PostgreSQL', 'Kubernetes'] };
    case 'work_description':
      return { description: 'Built the billing service in Go and ran it for the whole team.' };
    case 'job_posting':
      return {
        job_title: 'Senior Backend Engineer', company: 'Acme Logistics', location: 'Berlin', salary: null,
        description: 'Build APIs in Go and PostgreSQL.', job_type: null, experience_level: 'Senior', remote_work: null,
        benefits: [], requirements: [], skills: ['Go', 'PostgreSQL', 'Kubernetes'],
      };
    case 'job_match':
      return { matchScore: 72, strengths: ['Go'], improvements: ['Kubernetes'], missingSkills: [], matchedSkills: ['Go'] };
    default:
      return {};
  }
}

function aiRequests(user) {
  const requests = [
    { action: 'skills', body: { description: posting, context: 'job' } },
    { action: 'work-description', body: { job_title: 'Engineer', company: 'Acme', what_did_you_do: 'Built the billing service in Go.' } },
    { action: 'parse-job', body: { text: posting } },
  ];
  if (user.job_id) requests.push({ action: 'job-match', body: { jobId: user.job_id } });
  return requests;
}

async function timedFetch(url, init) {
  const started = performance.now();
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
    await res.arrayBuffer();
    return { ms: performance.now() - started, status: res.status };
  } catch (error) {
    return { ms: performance.now() - started, status: 0, error: String(error?.name ?? error) };
  }
}

async function driveLoad({ apiUrl, users, shareTokens, seconds }) {
  const samples = new Map();
  const errors = [];
  const record = (kind, outcome) => {
    if (!samples.has(kind)) samples.set(kind, { ms: [], errors: 0 });
    const entry = samples.get(kind);
    entry.ms.push(outcome.ms);
    if (outcome.status < 200 || outcome.status >= 300) {
      entry.errors++;
      if (errors.length < 10) errors.push(`${kind}: ${outcome.status || outcome.error}`);
    }
  };
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(users.map(async (user, i) => {
    const token = await signAccessToken({ id: user.id, email: user.email }, { expiresInSeconds: 3600 });
    const requests = aiRequests(user);
    let nextAi = started + (i * aiIntervalMs) / users.length;
    for (let n = 0; performance.now() < end; n++) {
      if (performance.now() >= nextAi) {
        const { action, body } = requests[Math.floor(nextAi / aiIntervalMs + i) % requests.length];
        nextAi += aiIntervalMs;
        record(`ai/${action}`, await timedFetch(`${apiUrl}/functions/v1/ai/${action}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        }));
      } else {
        const shareToken = shareTokens[(i * 7 + n) % shareTokens.length];
        record('share page', await timedFetch(`${apiUrl}/functions/v1/share/${shareToken}`, {}));
      }
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  return { samples, errors, elapsed };
}

const fmt = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

export default {
  name: 'load',
  title: 'concurrent users against the share page and the AI actions, through the functions gateway',
  async run(ctx) {
    const dataSet = ctx.dataSets.find((d) => d.name === 'full') ?? ctx.dataSets.at(-1);
    const shape = ctx.quick ? shapes.quick : shapes.full;
    const users = await ctx.adminQuery(dataSet.db.adminUrl, `
      select u.id, u.email,
             (select j.id from public.jobs j where j.user_id = u.id and char_length(j.description) >= 50 limit 1) as job_id
        from auth.users u where u.email like '%@example.com' order by random() limit $1`, [shape.users]);
    const shareTokens = (await ctx.adminQuery(dataSet.db.adminUrl, `
      select share_token from public.generated_resumes
       where share_token is not null and (share_expires_at is null or share_expires_at > now() + interval '1 day')
       order by random() limit 500`)).map((row) => row.share_token);
    if (users.length < shape.users || !shareTokens.length) {
      return { failures: [`the ${dataSet.name} data set has too few users or share links for ${shape.users} users`] };
    }

    const model = await startModelServer(0);
    model.setDefault(respond(answerFor, modelLatencyMs));
    stopGateway(ctx.profile);
    // Isolated like the test gateway: nothing of the developer's model settings or env file.
    await startGateway(ctx.profile, {
      SUPABASE_DB_URL: dataSet.db.dbUrl,
      OPENAI_API_KEY: 'bench-key-for-the-scripted-model',
      OPENAI_BASE_URL: model.baseUrl,
    }, { envFile: null, isolated: true });
    let outcome;
    try {
      console.log(`  ${shape.users} users for ${shape.seconds} s against ${ctx.profile.apiUrl} (${dataSet.name} data set, model latency ${modelLatencyMs} ms)`);
      outcome = await driveLoad({ apiUrl: ctx.profile.apiUrl, users, shareTokens, seconds: shape.seconds });
    } finally {
      stopGateway(ctx.profile);
      await model.stop();
    }

    const rows = [...outcome.samples.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([kind, s]) => ({
      kind,
      requests: s.ms.length,
      perSecond: s.ms.length / outcome.elapsed,
      p50: percentile(s.ms, 0.5),
      p99: percentile(s.ms, 0.99),
      errors: s.errors,
    }));
    const total = rows.reduce((sum, r) => ({ requests: sum.requests + r.requests, errors: sum.errors + r.errors }), { requests: 0, errors: 0 });
    for (const r of rows) {
      console.log(`  ${r.kind.padEnd(22)} ${String(r.requests).padStart(6)} requests  ${fmt(r.perSecond).padStart(7)}/s  p50 ${fmt(r.p50).padStart(7)} ms  p99 ${fmt(r.p99).padStart(7)} ms  ${r.errors} errors`);
    }
    const share = rows.find((r) => r.kind === 'share page');
    const verdicts = [
      { target: 'load: no errors (every request 2xx, none refused, none timed out)', value: total.errors, pass: total.errors === 0 },
      { target: `load: share page p99 ≤ ${targets.shareP99Ms} ms`, value: share?.p99 ?? NaN, pass: (share?.p99 ?? Infinity) <= targets.shareP99Ms },
    ];
    const markdown = [
      '## Setup',
      '',
      `${shape.users} concurrent users for ${shape.seconds} s through the functions gateway (one Deno process, as one edge-runtime instance), on the ${dataSet.name} data set.`,
      'Each user loops over share-page reads (`GET /functions/v1/share/<token>`, HTML, as anon) and every',
      `${aiIntervalMs / 1000} s sends one AI request (skills, work-description, parse-job, job-match in turn; 24 a minute, under the limit of 30),`,
      `signed in as a data-set user. The model is the scripted OpenAI-compatible server answering after ${modelLatencyMs} ms.`,
      '',
      '## Results',
      '',
      '| Requests | count | per second | p50 ms | p99 ms | errors |',
      '|---|---:|---:|---:|---:|---:|',
      ...rows.map((r) => `| ${r.kind} | ${r.requests} | ${fmt(r.perSecond)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.errors} |`),
      `| all | ${total.requests} | ${fmt(total.requests / outcome.elapsed)} | | | ${total.errors} |`,
      '',
      ...(outcome.errors.length ? ['First errors: ' + outcome.errors.join('; '), ''] : []),
    ];
    // Errors are wrong answers, not slowness: they fail --quick runs too.
    const failures = total.errors ? [`${total.errors} of ${total.requests} requests failed (${outcome.errors.join('; ')})`] : [];
    return { verdicts, markdown, failures, data: { rows, elapsed: outcome.elapsed } };
  },
};
