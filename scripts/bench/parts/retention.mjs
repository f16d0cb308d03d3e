// Bench part "retention": the nightly ai_events retention job at full size. Adds as
// many AI events older than the cut-off as the data set has recent ones (1,000,000 at
// full size, 20,000 with --quick), then runs the very command pg_cron runs (read from
// cron.job in the bench stack) while two connections keep inserting AI events the way
// the edge functions do (as the caller, one transaction each, every 10 ms). Reported:
// the job's wall time, the inserts' latency (p50/p99/max) and the lock waits sampled
// meanwhile, and whether ai_usage_daily sums equal the raw sums it replaced.
// Targets: job ≤ 120 s for 1,000,000 events, insert p99 ≤ 100 ms, sums equal exactly.
import postgres from 'postgres';
import { done } from '../../lib/console.mjs';
import { apiConnection, percentile } from '../measure.mjs';
import { userClaims } from '../client-queries.mjs';

const targets = { jobSeconds: 120, insertP99Ms: 100 };
const inserters = 2;
const insertPauseMs = 10;

// The old events, set-based like the core data set (triggers and foreign-key checks
// skipped; every user exists): spread over the 275 days before the cut-off, 10% on a
// second model, 3% errors, a few without latency or tokens.
function oldEventsSql(count) {
  return `
    set session_replication_role = replica;
    insert into public.ai_events (user_id, provider, model, input_tokens, output_tokens, latency_ms, status, error, created_at)
    select u.id, 'openai',
           case when e.r2 < 0.9 then 'gpt-4o-mini' else 'gpt-4o' end,
           case when e.r3 < 0.01 then null else 300 + floor(e.r3 * 2700)::int end,
           case when e.r4 < 0.01 then null else 40 + floor(e.r4 * 700)::int end,
           case when e.r5 < 0.02 then null else 350 + floor(e.r5 * 5000)::int end,
           case when e.r6 < 0.03 then 'error' else 'success' end,
           case when e.r6 < 0.03 then 'The model did not answer in time.' end,
           now() - interval '91 days' - e.r1 * interval '274 days'
      from (select g, floor(random() * (select count(*) from auth.users))::int as un,
                   random() as r1, random() as r2, random() as r3, random() as r4, random() as r5, random() as r6
              from generate_series(1, ${count}) g offset 0) e
      join (select id, (row_number() over (order by id) - 1)::int as un from auth.users) u using (un);
    set session_replication_role = origin;`;
}

const rawSumsSql = `
  select count(*)::bigint as calls, count(*) filter (where status = 'error')::bigint as errors,
         coalesce(sum(input_tokens), 0)::bigint as input_tokens, coalesce(sum(output_tokens), 0)::bigint as output_tokens
    from public.ai_events where created_at < private.ai_events_cutoff(now())`;
const dailySumsSql = `
  select coalesce(sum(calls), 0)::bigint as calls, coalesce(sum(errors), 0)::bigint as errors,
         coalesce(sum(input_tokens), 0)::bigint as input_tokens, coalesce(sum(output_tokens), 0)::bigint as output_tokens
    from public.ai_usage_daily`;

async function prepare(dataSet, { adminQuery }) {
  if (dataSet.name === 'tenth') return;
  const count = dataSet.size.aiEvents;
  const started = performance.now();
  await adminQuery(dataSet.db.adminUrl, oldEventsSql(count));
  await adminQuery(dataSet.db.adminUrl, 'vacuum analyze public.ai_events');
  done(`${count.toLocaleString('en-US')} AI events older than the cut-off added in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

// One AI call logged as the edge functions log it (supabase/functions: asCaller + insert).
async function insertLoop(sql, users, stopAt, latencies) {
  let i = 0;
  while (!stopAt.stopped) {
    const user = users[i++ % users.length];
    const started = performance.now();
    await sql.begin(async (tx) => {
      await tx.unsafe("select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)", [JSON.stringify(user.claims)]);
      await tx.unsafe(
        `insert into public.ai_events (user_id, provider, model, input_tokens, output_tokens, latency_ms, status, error)
         values ($1, 'openai', 'gpt-4o-mini', 500, 120, 900, 'success', null)`,
        [user.id],
      );
    });
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, insertPauseMs));
  }
}

async function run({ dataSets, profile, adminQuery, quick }) {
  const dataSet = dataSets.find((d) => d.name === (quick ? 'quick' : 'full'));
  const url = dataSet.db.adminUrl;
  const failures = [];
  const [job] = await adminQuery(profile.adminUrl, "select command from cron.job where jobname = 'roll-up-ai-events'");
  if (!job) return { failures: ['the bench stack has no pg_cron job roll-up-ai-events: is pg_cron installed and the retention migration applied?'] };

  const [before] = await adminQuery(url, rawSumsSql);
  const [{ recent_before: recentBefore }] = await adminQuery(url,
    'select count(*)::bigint as recent_before from public.ai_events where created_at >= private.ai_events_cutoff(now())');
  const users = (await adminQuery(url, "select id, email from auth.users where email like '%@example.com' order by id limit 500"))
    .map((u) => ({ id: u.id, claims: userClaims({ id: u.id, email: u.email, fullName: 'Bench User', sessionId: crypto.randomUUID() }) }));
  done(`${Number(before.calls).toLocaleString('en-US')} events older than the cut-off; ${Number(recentBefore).toLocaleString('en-US')} newer`);

  const connections = Array.from({ length: inserters }, () => apiConnection(profile.dbPort, dataSet.database));
  const watcher = postgres(url, { max: 1, onnotice: () => {} });
  const runner = postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: 'jobstalker-bench-retention' } });
  const latencies = [];
  const stop = { stopped: false };
  let lockWaitSamples = 0;
  let samples = 0;
  let jobSeconds = NaN;
  try {
    const pids = await Promise.all(connections.map(async (sql) => (await sql`select pg_backend_pid() as pid`)[0].pid));
    const loops = connections.map((sql) => insertLoop(sql, users, stop, latencies));
    const sampling = (async () => {
      while (!stop.stopped) {
        const [{ waiting }] = await watcher`select count(*)::int as waiting from pg_stat_activity
                                             where pid = any(${pids}) and wait_event_type = 'Lock'`;
        samples += 1;
        lockWaitSamples += waiting;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const started = performance.now();
    await runner.unsafe(job.command);
    jobSeconds = (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 500));
    stop.stopped = true;
    await Promise.all([...loops, sampling]);
  } finally {
    stop.stopped = true;
    await Promise.all([...connections, watcher, runner].map((sql) => sql.end({ timeout: 5 })));
  }

  const [after] = await adminQuery(url, dailySumsSql);
  const [{ old_left: oldLeft, recent_after: recentAfter }] = await adminQuery(url,
    `select count(*) filter (where created_at < private.ai_events_cutoff(now()))::bigint as old_left,
            count(*) filter (where created_at >= private.ai_events_cutoff(now()))::bigint as recent_after from public.ai_events`);
  const equal = ['calls', 'errors', 'input_tokens', 'output_tokens'].every((k) => String(before[k]) === String(after[k]));
  if (!equal) failures.push(`ai_usage_daily sums ${JSON.stringify(after)} differ from the raw sums they replaced ${JSON.stringify(before)}`);
  if (Number(oldLeft) !== 0) failures.push(`${oldLeft} events older than the cut-off are left after the job`);
  if (Number(recentAfter) !== Number(recentBefore) + latencies.length) {
    failures.push(`events newer than the cut-off went from ${recentBefore} to ${recentAfter} with ${latencies.length} inserted: the job touched rows it must keep`);
  }
  const p50 = percentile(latencies, 0.5);
  const p99 = percentile(latencies, 0.99);
  const max = Math.max(...latencies);
  const [{ groups, people }] = await adminQuery(url,
    'select count(*)::bigint as groups, (select count(*) from auth.users)::bigint as people from public.ai_usage_daily');
  const rate = Number(before.calls) / jobSeconds;
  done(`job ${jobSeconds.toFixed(1)} s (${Math.round(rate).toLocaleString('en-US')} events/s); ${latencies.length} concurrent inserts p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${max.toFixed(1)} ms; lock waits seen in ${lockWaitSamples} of ${samples} samples`);

  return {
    verdicts: [
      { target: `retention job rolls up and deletes ${Number(before.calls).toLocaleString('en-US')} events in ≤ ${targets.jobSeconds} s`, value: jobSeconds, pass: jobSeconds <= targets.jobSeconds },
      { target: `concurrent ai_events inserts p99 ≤ ${targets.insertP99Ms} ms while it runs`, value: p99, pass: p99 <= targets.insertP99Ms },
      { target: 'ai_usage_daily sums (calls, errors, input and output tokens) equal the raw sums exactly (1 = equal)', value: equal ? 1 : 0, pass: equal },
    ],
    markdown: [
      '## What was measured',
      '',
      `The data set's ${Number(recentBefore).toLocaleString('en-US')} recent AI events (last 30 days) plus ${Number(before.calls).toLocaleString('en-US')} older than the cut-off (91–365 days old), for ${Number(people).toLocaleString('en-US')} users. The job is the command pg_cron runs (\`roll-up-ai-events\`, batches of \`batch_users\` = 200 users, one commit each), on a connection of its own; meanwhile ${inserters} connections log AI calls as the edge functions do (role authenticated with the caller's claims, one transaction per insert, a ${insertPauseMs} ms pause between).`,
      '',
      '| measure | value |',
      '|---|---:|',
      `| events rolled up and deleted | ${Number(before.calls).toLocaleString('en-US')} |`,
      `| ai_usage_daily rows written | ${Number(groups).toLocaleString('en-US')} |`,
      `| job wall time | ${jobSeconds.toFixed(1)} s |`,
      `| events per second | ${Math.round(rate).toLocaleString('en-US')} |`,
      `| concurrent inserts | ${latencies.length.toLocaleString('en-US')} |`,
      `| insert p50 / p99 / max | ${p50.toFixed(2)} / ${p99.toFixed(2)} / ${max.toFixed(1)} ms |`,
      `| inserter lock waits sampled (every 20 ms) | ${lockWaitSamples} of ${samples} samples |`,
      `| raw sums (calls, errors, input, output tokens) | ${before.calls}, ${before.errors}, ${before.input_tokens}, ${before.output_tokens} |`,
      `| ai_usage_daily sums | ${after.calls}, ${after.errors}, ${after.input_tokens}, ${after.output_tokens} |`,
      `| events older than the cut-off left | ${oldLeft} |`,
      '',
      'The delete of a batch locks only the old rows it removes, which no insert touches, so the inserts never wait on a lock; what they share with the job is the two cores and the disk.',
    ],
    failures,
    data: { jobSeconds, p50, p99, max, inserts: latencies.length, before, after, groups: Number(groups), lockWaitSamples, samples },
  };
}

export default { name: 'retention', title: 'ai_events retention: roll-up and delete under concurrent inserts', prepare, run };
