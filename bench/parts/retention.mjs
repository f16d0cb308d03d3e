// Bench part "retention": the nightly ai_events retention job at full size. Adds as
// many AI events older than the cut-off as the data set has recent ones (1,000,000 at
// full size, 20,000 with --quick), then runs the very command pg_cron runs (read from
// cron.job in the bench stack) while two connections keep logging AI calls the way the
// edge functions do (supabase/functions/ai/usage-ledger.ts: logged in as postgres through a
// pool without prepared statements, one transaction per row, the functions' own
// act-as-caller preamble, the same insert), with a 10 ms pause between. Reported: the
// job's wall time; the latency of the inserts that ran while the job did (p50/p99/max,
// over at least minInserts of them); what the inserting backends waited on, sampled
// every 20 ms (locks, WAL flushes, CPU); the WAL the job wrote and the checkpoints and
// autovacuum workers that ran meanwhile; and whether ai_usage_daily sums equal the raw
// sums it replaced.
// Targets: job ≤ 120 s for 1,000,000 events, insert p99 ≤ 100 ms, sums equal exactly.
import postgres from 'postgres';
import { done } from '../../scripts/lib/console.mjs';
import { actAsCallerIn } from '../../supabase/functions/_shared/act-as-caller.js';
import { percentile } from '../measure.mjs';
import { userClaims } from '../client-queries.mjs';

const targets = { jobSeconds: 120, insertP99Ms: 100 };
const inserters = 2;
const insertPauseMs = 10;
// A p99 over fewer inserts rests on fewer than 10 values: below this the verdict fails.
const minInserts = 1000;

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

// One AI call logged as the edge functions log it (usage-ledger.ts, a booking's record: asCaller,
// then this insert, in a transaction of its own). Only inserts that start while the job
// runs count towards the verdict; `startedAt` is on the same clock as the job's window.
// Each loop logs for users of its own (loop k takes users k, k + inserters, ...): two
// loops started together on the same list would log for the same user at the same
// moment, and the second insert would wait for the first one's commit (both count the
// user's rows of the day in private.row_quota_usage), a Lock:transactionid wait that
// the bench makes itself and that says nothing about the job.
async function insertLoop(pool, users, stop, inserts) {
  let i = 0;
  while (!stop.stopped) {
    const user = users[i++ % users.length];
    const event = { user_id: user.id, wizard_session_id: null, provider: 'openai', model: 'gpt-4o-mini',
                    input_tokens: 500, output_tokens: 120, latency_ms: 900, status: 'success', error: null };
    const startedAt = performance.now();
    await pool.begin(async (tx) => {
      await actAsCallerIn(tx, user.claims);
      await tx`insert into public.ai_events
         (user_id, wizard_session_id, provider, model, input_tokens, output_tokens, latency_ms, status, error)
       values (${event.user_id}, ${event.wizard_session_id}, ${event.provider}, ${event.model},
               ${event.input_tokens}, ${event.output_tokens}, ${event.latency_ms}, ${event.status}, ${event.error})`;
    });
    inserts.push({ startedAt, ms: performance.now() - startedAt });
    await new Promise((resolve) => setTimeout(resolve, insertPauseMs));
  }
}

// What a backend is doing in one pg_stat_activity sample: its wait event, or CPU when
// it is active and waits on nothing, or idle (waiting for its client's next statement).
const doing = (row) => (row.wait_event_type && row.wait_event_type !== 'Client' ? `${row.wait_event_type}:${row.wait_event}`
  : row.state === 'active' && !row.wait_event_type ? 'CPU' : 'client');

const topShares = (counts, total, n = 5) => Object.entries(counts).sort((a, b) => b[1] - a[1]).slice(0, n)
  .map(([what, count]) => `${what} ${((100 * count) / Math.max(total, 1)).toFixed(1)}%`).join(', ');

const walAndCheckpointsSql = `
  select (select wal_bytes from pg_stat_wal)::bigint as wal_bytes,
         (select checkpoints_timed + checkpoints_req from pg_stat_bgwriter)::bigint as checkpoints`;

async function run({ dataSets, profile, adminQuery, quick }) {
  const dataSet = dataSets.find((d) => d.name === (quick ? 'quick' : 'full'));
  const url = dataSet.db.adminUrl;
  const failures = [];
  const [job] = await adminQuery(profile.adminUrl, "select command from cron.job where jobname = 'roll-up-ai-events'");
  if (!job) return { failures: ['the bench stack has no pg_cron job roll-up-ai-events: is pg_cron installed and the retention migration applied?'] };
  const [settings] = await adminQuery(url, 'select batch_users from private.ai_events_retention');

  // A checkpoint first, as a database that has run for a while is in: building the data
  // set just wrote gigabytes of WAL with no checkpoint since (max_wal_size 16GB), so the
  // job would otherwise share the disk with that checkpoint's debt and have every WAL
  // segment it needs created and zero-filled new rather than recycled, with the
  // inserters' commits queued behind (IO:WALInitWrite, LWLock:WALWrite).
  await adminQuery(url, 'checkpoint');
  const [before] = await adminQuery(url, rawSumsSql);
  const [{ recent_before: recentBefore }] = await adminQuery(url,
    'select count(*)::bigint as recent_before from public.ai_events where created_at >= private.ai_events_cutoff(now())');
  const users = (await adminQuery(url, "select id, email from auth.users where email like '%@example.com' order by id limit 500"))
    .map((u) => ({ id: u.id, claims: userClaims({ id: u.id, email: u.email, fullName: 'Bench User', sessionId: crypto.randomUUID() }) }));
  done(`${Number(before.calls).toLocaleString('en-US')} events older than the cut-off; ${Number(recentBefore).toLocaleString('en-US')} newer`);

  // The edge functions' pool (supabase/functions/_shared/db.ts connectDatabase): the
  // database URL they are given, no prepared statements, at most 4 connections.
  const pool = postgres(dataSet.db.dbUrl, {
    max: 4, prepare: false, onnotice: () => {}, connection: { application_name: 'jobstalker-bench-ai-events' },
  });
  const watcher = postgres(url, { max: 1, onnotice: () => {} });
  const runner = postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: 'jobstalker-bench-retention' } });
  const inserts = [];
  const stop = { stopped: false };
  const inserterWaits = {};
  let inserterSamples = 0;
  let lockWaitSamples = 0;
  let samples = 0;
  const autovacuumTables = new Set();
  let jobStarted = NaN;
  let jobEnded = NaN;
  let walBefore;
  let walAfter;
  try {
    const loops = Array.from({ length: inserters }, (_, k) => insertLoop(pool, users.filter((_, i) => i % inserters === k), stop, inserts));
    const [{ pid: jobPid }] = await runner`select pg_backend_pid() as pid`;
    const sampling = (async () => {
      while (!stop.stopped) {
        const rows = await watcher`select a.backend_type, a.application_name, a.state, a.wait_event_type, a.wait_event,
                                          (select p.relid::regclass::text from pg_stat_progress_vacuum p where p.pid = a.pid) as vacuuming
                                     from pg_stat_activity a
                                    where a.application_name = 'jobstalker-bench-ai-events' or a.pid = ${jobPid}
                                       or a.backend_type = 'autovacuum worker'`;
        const now = performance.now();
        if (now >= jobStarted && !(now > jobEnded)) {
          samples += 1;
          for (const row of rows) {
            if (row.backend_type === 'autovacuum worker') {
              if (row.vacuuming) autovacuumTables.add(row.vacuuming);
            } else if (row.application_name === 'jobstalker-bench-ai-events' && row.state !== 'idle') {
              inserterSamples += 1;
              const what = doing(row);
              inserterWaits[what] = (inserterWaits[what] ?? 0) + 1;
              if (row.wait_event_type === 'Lock') lockWaitSamples += 1;
            }
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 500));
    [walBefore] = await adminQuery(url, walAndCheckpointsSql);
    jobStarted = performance.now();
    await runner.unsafe(job.command);
    jobEnded = performance.now();
    [walAfter] = await adminQuery(url, walAndCheckpointsSql);
    await new Promise((resolve) => setTimeout(resolve, 500));
    stop.stopped = true;
    await Promise.all([...loops, sampling]);
  } finally {
    stop.stopped = true;
    await Promise.all([pool, watcher, runner].map((sql) => sql.end({ timeout: 5 })));
  }
  const jobSeconds = (jobEnded - jobStarted) / 1000;
  const during = inserts.filter((x) => x.startedAt >= jobStarted && x.startedAt <= jobEnded).map((x) => x.ms);
  const walMegabytes = (Number(walAfter.wal_bytes) - Number(walBefore.wal_bytes)) / 1024 / 1024;
  const checkpoints = Number(walAfter.checkpoints) - Number(walBefore.checkpoints);

  const [after] = await adminQuery(url, dailySumsSql);
  const [{ old_left: oldLeft, recent_after: recentAfter }] = await adminQuery(url,
    `select count(*) filter (where created_at < private.ai_events_cutoff(now()))::bigint as old_left,
            count(*) filter (where created_at >= private.ai_events_cutoff(now()))::bigint as recent_after from public.ai_events`);
  const equal = ['calls', 'errors', 'input_tokens', 'output_tokens'].every((k) => String(before[k]) === String(after[k]));
  if (!equal) failures.push(`ai_usage_daily sums ${JSON.stringify(after)} differ from the raw sums they replaced ${JSON.stringify(before)}`);
  if (Number(oldLeft) !== 0) failures.push(`${oldLeft} events older than the cut-off are left after the job`);
  if (Number(recentAfter) !== Number(recentBefore) + inserts.length) {
    failures.push(`events newer than the cut-off went from ${recentBefore} to ${recentAfter} with ${inserts.length} inserted: the job touched rows it must keep`);
  }
  const p50 = percentile(during, 0.5);
  const p99 = percentile(during, 0.99);
  const max = during.length ? Math.max(...during) : NaN;
  const enough = during.length >= minInserts;
  const [{ groups, people }] = await adminQuery(url,
    'select count(*)::bigint as groups, (select count(*) from auth.users)::bigint as people from public.ai_usage_daily');
  const rate = Number(before.calls) / jobSeconds;
  const waits = topShares(inserterWaits, inserterSamples);
  done(`job ${jobSeconds.toFixed(1)} s (${Math.round(rate).toLocaleString('en-US')} events/s, ${walMegabytes.toFixed(0)} MB of WAL, ${checkpoints} checkpoints); ${during.length} inserts while it ran: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${max.toFixed(1)} ms; inserters busy in ${inserterSamples} backend samples: ${waits}; lock waits in ${lockWaitSamples}`);

  return {
    verdicts: [
      { target: `retention job rolls up and deletes ${Number(before.calls).toLocaleString('en-US')} events in ≤ ${targets.jobSeconds} s`, value: jobSeconds, pass: jobSeconds <= targets.jobSeconds },
      { target: `concurrent ai_events inserts p99 ≤ ${targets.insertP99Ms} ms while it runs (over ${during.length.toLocaleString('en-US')} inserts; at least ${minInserts.toLocaleString('en-US')} needed)`, value: p99, pass: enough && p99 <= targets.insertP99Ms },
      { target: 'ai_usage_daily sums (calls, errors, input and output tokens) equal the raw sums exactly (1 = equal)', value: equal ? 1 : 0, pass: equal },
    ],
    markdown: [
      '## What was measured',
      '',
      `The data set's ${Number(recentBefore).toLocaleString('en-US')} recent AI events (last 30 days) plus ${Number(before.calls).toLocaleString('en-US')} older than the cut-off (91–365 days old), for ${Number(people).toLocaleString('en-US')} users. The job is the command pg_cron runs (\`roll-up-ai-events\`: batches of \`batch_users\` = ${settings.batch_users} users, one commit each), on a connection of its own; meanwhile ${inserters} connections log AI calls as the edge functions do (\`supabase/functions/ai/usage-ledger.ts\`: logged in as postgres without prepared statements, the functions' act-as-caller preamble, one transaction per insert), with a ${insertPauseMs} ms pause between. Only the inserts that started while the job ran are counted.`,
      '',
      '| measure | value |',
      '|---|---:|',
      `| events rolled up and deleted | ${Number(before.calls).toLocaleString('en-US')} |`,
      `| ai_usage_daily rows written | ${Number(groups).toLocaleString('en-US')} |`,
      `| job wall time | ${jobSeconds.toFixed(1)} s |`,
      `| events per second | ${Math.round(rate).toLocaleString('en-US')} |`,
      `| WAL written while it ran | ${walMegabytes.toFixed(0)} MB |`,
      `| checkpoints while it ran | ${checkpoints} |`,
      `| tables autovacuum worked on while it ran | ${[...autovacuumTables].sort().join(', ') || 'none'} |`,
      `| inserts while it ran | ${during.length.toLocaleString('en-US')} |`,
      `| insert p50 / p99 / max | ${p50.toFixed(2)} / ${p99.toFixed(2)} / ${max.toFixed(1)} ms |`,
      `| what the inserting backends were doing (${inserterSamples.toLocaleString('en-US')} samples of a busy inserter, every 20 ms) | ${waits || 'nothing sampled'} |`,
      `| inserter lock waits sampled | ${lockWaitSamples} of ${inserterSamples} |`,
      `| raw sums (calls, errors, input, output tokens) | ${before.calls}, ${before.errors}, ${before.input_tokens}, ${before.output_tokens} |`,
      `| ai_usage_daily sums | ${after.calls}, ${after.errors}, ${after.input_tokens}, ${after.output_tokens} |`,
      `| events older than the cut-off left | ${oldLeft} |`,
      '',
      'The delete of a batch locks only the old rows it removes, which no insert touches, so the inserts never wait on a lock; what they share with the job is the two cores and the WAL: an insert\'s commit flushes all WAL written before it (IO:WALSync, LWLock:WALWrite).',
    ],
    failures,
    data: { jobSeconds, p50, p99, max, inserts: during.length, walMegabytes, checkpoints, autovacuumTables: [...autovacuumTables], inserterWaits, inserterSamples, before, after, groups: Number(groups), lockWaitSamples, samples, settings },
  };
}

export default { name: 'retention', title: 'ai_events retention: roll-up and delete under concurrent inserts', prepare, run };
