// npm run bench — builds a throwaway stack (profile `bench`, ports 54342/54341/54346,
// folder .stack/bench), generates the full-size and one-tenth data sets in two databases
// of their own, each served by its own real PostgREST, times the app's requests under
// row-level security against the bare query (at the SQL level for the policy's cost per
// statement, over HTTP through PostgREST for the whole request, and with 32 concurrent
// clients for the jobs list), captures the plans of what PostgREST sends (auto_explain),
// checks the targets, writes bench/reports/benchmarks.md and tears the stack down. Exits non-zero on a missed target, a big sequential scan, or an answer
// that differs between the two sides.
//
//   node bench/run.mjs            full run (10,000 users / 2,000,000 jobs + one tenth)
//   node bench/run.mjs --quick    200 users / 20,000 jobs, 20 runs: checks plans, not timings
//   options: --runs N (timed iterations), --keep (leave the stack running for inspection),
//            --only core,NAME,... (time only the core requests and/or the named parts)
// A full-size run writes bench/reports/benchmarks.md (core) and bench/reports/NAME.md per part run.
//
// Parts (bench/parts.mjs) add measurements of their own on the same data sets:
// each may `prepare(dataSet, opts)` extra rows right after a data set is loaded, and
// `run(ctx)` after the core timings, returning { verdicts, markdown, failures }.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { StackError, done, runMain, step } from '../scripts/lib/console.mjs';
import { clusterRunning } from '../scripts/lib/cluster.mjs';
import { createScratchDatabase, psqlFile, pushMigrationsTo } from '../scripts/lib/database.mjs';
import { pidAlive } from '../scripts/lib/processes.mjs';
import { repoRoot, stackProfile } from '../scripts/lib/profiles.mjs';
import { startPostgrest, stopEveryPostgrest, stopPostgrest } from '../scripts/lib/postgrest-process.mjs';
import { buildDatabase, destroyStack, ensurePrerequisites } from '../scripts/lib/stack.mjs';
import { clientQueries, paramsOf, statementCount, statementsOf } from './client-queries.mjs';
import { dataSetSizes } from './dataset.mjs';
import { checkConsistency, loadDataSet, tableCounts } from './load.mjs';
import { captureHttpPlans } from './http-plans.mjs';
import { apiConnection, functionConnection, measure, measureHttp, measureThroughput, sampleContexts, summarise } from './measure.mjs';
import { bigSeqScans, initPlans, keyLines, planConnection, relationSizes, savePlans } from './plans.mjs';
import { benchParts } from './parts.mjs';
import { dashboardRequest, describePreRequest, measurePreRequest } from './prerequest.mjs';
import { describeInterval, outcomeLabel, pairedDifference, pairedRatio, pairedVerdict } from './paired.mjs';
import { writePartReport, writeReport } from './report.mjs';

// wholeRequest: RLS / bare p50 of the whole request (over HTTP through PostgREST; for the
// edge function's SQL check, its whole transaction); rlsMicroseconds: the policy's cost
// per statement at the SQL level; throughput: 32-client requests/s under RLS vs bare.
export const targets = { wholeRequest: 1.05, rlsMicroseconds: 100, growthRatio: 1.5, shareVersusPrimaryKey: 2, throughput: 0.95 };
const concurrentClients = 32;

function options(argv) {
  const quick = argv.includes('--quick');
  const runsAt = argv.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : quick ? 20 : 400;
  if (!Number.isInteger(runs) || runs < 1) throw new StackError('--runs takes a positive whole number, e.g. --runs 400.');
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? new Set(String(argv[onlyAt + 1] ?? '').split(',').filter(Boolean)) : undefined;
  const known = new Set(['core', ...benchParts.map((p) => p.name)]);
  for (const name of only ?? []) {
    if (!known.has(name)) throw new StackError(`--only: no part named "${name}"; the parts are ${[...known].join(', ')}.`);
  }
  return { quick, runs, warmup: quick ? 2 : 20, keep: argv.includes('--keep'), only };
}

const profile = stackProfile('bench');
const lockFile = join(repoRoot, '.stack', 'bench.lock');
const resultsDir = join(repoRoot, 'bench-results');

// One benchmark at a time: `npm test` runs the quick mode on the same ports, so a
// second run waits for the first (a full run takes about 15 minutes).
async function takeLock({ waitMinutes = 30 } = {}) {
  mkdirSync(join(repoRoot, '.stack'), { recursive: true });
  const deadline = Date.now() + waitMinutes * 60_000;
  let announced = false;
  for (;;) {
    const holder = existsSync(lockFile) ? Number(readFileSync(lockFile, 'utf8')) : 0;
    if (!holder || holder === process.pid || !pidAlive(holder)) break;
    if (Date.now() > deadline) {
      throw new StackError(
        `Another benchmark (pid ${holder}) has held the bench stack on port ${profile.dbPort} for over ${waitMinutes} minutes. ` +
          'If it is stuck, stop it by its pid and run again.',
      );
    }
    if (!announced) step(`Waiting for the benchmark already running (pid ${holder}) to finish with the bench stack`);
    announced = true;
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
  writeFileSync(lockFile, String(process.pid));
}

function releaseLock() {
  if (existsSync(lockFile) && Number(readFileSync(lockFile, 'utf8')) === process.pid) rmSync(lockFile, { force: true });
}

async function adminQuery(url, text, params = []) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await sql.unsafe(text, params);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function buildStack() {
  if (clusterRunning(profile)) done('Removing the bench stack a previous run left behind');
  // A --keep run leaves its PostgRESTs running; their pid files go with the stack's folder.
  stopEveryPostgrest(profile);
  destroyStack(profile);
  await buildDatabase(profile, { seed: true });
  // Loading writes gigabytes of WAL: without room for it, checkpoints would dominate.
  // Query-time settings stay what the stack gives every database.
  await adminQuery(profile.adminUrl, "alter system set max_wal_size = '16GB'");
  await adminQuery(profile.adminUrl, "alter system set checkpoint_timeout = '30min'");
  await adminQuery(profile.adminUrl, 'select pg_reload_conf()');
}

async function prepareDataSet(name, database, size) {
  step(`Creating database ${database} (platform baseline, migrations through the Supabase CLI, seed)`);
  const db = createScratchDatabase(profile, database);
  pushMigrationsTo(db.dbUrl);
  const seeded = psqlFile(db.dbUrl, join(repoRoot, 'supabase', 'seed.sql'));
  if (!seeded.ok) throw new StackError(`supabase/seed.sql failed to load into ${database}.`, seeded.stderr);
  step(`Generating the ${name} data set in ${database}: ${Object.entries(size).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ')}`);
  const { loadSeconds, totalSeconds } = await loadDataSet(db.adminUrl, size);
  done(`loaded in ${loadSeconds.toFixed(1)} s; with vacuum analyze ${totalSeconds.toFixed(1)} s`);
  step(`Checking that ${database} holds what the skipped triggers and foreign keys guarantee`);
  const broken = await checkConsistency(db.adminUrl);
  if (broken.length) throw new StackError(`The generated data is inconsistent: ${broken.join('; ')}. Fix bench/dataset.mjs.`);
  const counts = await tableCounts(db.adminUrl);
  done(`consistent; ${counts.size} on disk`);
  return { name, database, size, db, loadSeconds, totalSeconds, counts };
}

// One PostgREST per data set (each serves one database): the full or quick set on the
// bench stack's REST port, the tenth on a free one. Logged in as authenticator, with
// config.toml [api], exactly as `npm start` runs it.
async function freePort() {
  const net = await import('node:net');
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const postgrestOf = (dataSet) => ({ database: dataSet.database, port: dataSet.restPort, tag: dataSet.name });

async function startDataSetPostgrest(dataSet) {
  dataSet.restPort = dataSet.name === 'tenth' ? await freePort() : profile.restPort;
  dataSet.restUrl = `http://127.0.0.1:${dataSet.restPort}`;
  step(`Starting PostgREST 12 for ${dataSet.database} on ${dataSet.restUrl}`);
  await startPostgrest(profile, postgrestOf(dataSet));
}

async function capturePlans(dataSet, contexts) {
  const sizes = await relationSizes(dataSet.db.adminUrl);
  const capture = planConnection(dataSet.db.adminUrl);
  await capture.prepare();
  const results = {};
  try {
    const ctx = contexts[0];
    ctx.now = new Date();
    for (const q of clientQueries) {
      results[q.key] = {};
      for (const side of ['rls', 'bare']) {
        const captured = [];
        const earlier = [];
        for (const request of q.requests(ctx, side)) {
          const statements = statementsOf(request);
          const params = statements.map((statement) => paramsOf(statement, earlier));
          const { plans } = await capture.explain(request, earlier);
          captured.push({ statements: statements.map((statement, i) => ({ text: statement.text, params: params[i] })), role: request.role, plans });
        }
        const plans = captured.flatMap((c) => c.plans);
        const file = savePlans(resultsDir, dataSet.name, q.key, side, captured);
        results[q.key][side] = { file, keyLines: keyLines(plans), seqScans: bigSeqScans(plans, sizes), plans: plans.length, initPlans: initPlans(plans) };
      }
    }
  } finally {
    await capture.end();
  }
  return results;
}

const ms = (value) => (Number.isFinite(value) ? value.toFixed(3) : 'n/a');

// The machine's 1-minute load average, sampled every 15 s while the run lasts: a shared
// machine's report says how loaded it was.
function loadSampler() {
  const samples = [os.loadavg()[0]];
  const timer = setInterval(() => samples.push(os.loadavg()[0]), 15_000);
  timer.unref();
  return () => {
    clearInterval(timer);
    samples.push(os.loadavg()[0]);
    const s = [...samples].sort((a, b) => a - b);
    return { samples: s.length, min: s[0], median: s[Math.floor(s.length / 2)], max: s.at(-1) };
  };
}

function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: (os.totalmem() / 1024 ** 3).toFixed(1),
    platform: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}

// Times every client request on every data set, captures the plans, and turns the
// samples into per-request statistics.
async function timeCoreRequests(dataSets, opts) {
  let phaseStart = performance.now();
  const phaseDone = (what) => {
    done(`${what} in ${((performance.now() - phaseStart) / 1000).toFixed(1)} s`);
    phaseStart = performance.now();
  };
  step(`Timing ${clientQueries.length} client requests: ${opts.runs} runs (+${opts.warmup} warm-up) per data set, RLS and bare interleaved`);
  const connections = dataSets.flatMap((d) => [
    (d.sql = apiConnection(profile.dbPort, d.database)),
    (d.functionSql = functionConnection(profile.dbPort, d.database)),
  ]);
  let measured;
  try {
    measured = await measure(dataSets, clientQueries, {
      runs: opts.runs,
      warmup: opts.warmup,
      onProgress: (i, total) => { if (i % 100 === 0 || i === total) done(`${i}/${total} iterations`); },
    });
  } finally {
    await Promise.all(connections.map((sql) => sql.end({ timeout: 5 })));
  }
  phaseDone('SQL level timed');
  step(`Timing the same requests over HTTP through PostgREST: ${opts.runs} runs (+${opts.warmup} warm-up) per data set, RLS (user JWT) and bare (service_role + user_id filter) interleaved`);
  const http = await measureHttp(dataSets, clientQueries, {
    runs: opts.runs,
    warmup: opts.warmup,
    onProgress: (i, total) => { if (i % 100 === 0 || i === total) done(`${i}/${total} iterations`); },
  });
  phaseDone('HTTP timed');
  const main = dataSets.find((d) => d.name !== 'tenth');
  const jobsList = clientQueries.find((q) => q.key === 'jobs_list');
  // How much of the RLS − bare difference is fair use's pre-request (bench/prerequest.mjs).
  const preRequestQueries = [jobsList, clientQueries.find((q) => q.key === 'resume_by_id'), dashboardRequest];
  step(`Fair use's pre-request: ${preRequestQueries.map((q) => q.key).join(', ')} on ${main.name} as ${opts.runs} RLS/bare pairs with the check on, off and on again`);
  let preRequest;
  try {
    preRequest = await measurePreRequest({
      dataSet: main, queries: preRequestQueries, adminQuery, adminUrls: dataSets.map((d) => d.db.adminUrl), pairs: opts.runs, warmup: opts.warmup,
    });
    for (const q of preRequestQueries) {
      done(`${q.key}: RLS − bare µs (95% CI), ratio: ${Object.keys(preRequest.states).map((state) => `check ${state} ${describePreRequest(preRequest, q.key, state)}`).join('; ')}`);
    }
    done(`private.check_fair_use() calls per state: ${Object.entries(preRequest.checkCalls).map(([state, n]) => `${state} ${n}`).join(', ')}`);
    preRequest.keys = preRequestQueries.map((q) => q.key);
    preRequest.pairs = opts.runs;
  } catch (error) {
    // The core timings stand without it; the run fails and says why.
    console.log(`  the pre-request measurement stopped: ${error.message}`);
    preRequest = { problems: [`stopped: ${error.message}`] };
  }
  phaseDone('pre-request measured');
  step(`Throughput: ${jobsList.key} with ${concurrentClients} concurrent clients (autocannon), RLS and bare in alternating rounds on ${main.name}`);
  // Enough paired rounds for a 95% sign-test interval (10 pairs: the 2nd to the 9th difference).
  const throughput = await measureThroughput(main, jobsList, { connections: concurrentClients, seconds: opts.quick ? 1 : 3, rounds: opts.quick ? 1 : 10 });
  throughput.paired = pairedRatio(throughput.rls.rounds.map((r) => r.rps), throughput.bare.rounds.map((r) => r.rps));
  done(`RLS ${throughput.rls.rps.toFixed(0)} req/s (p99 ${throughput.rls.p99} ms), bare ${throughput.bare.rps.toFixed(0)} req/s (p99 ${throughput.bare.p99} ms); paired RLS / bare ${describeInterval({ value: throughput.paired.ratio, low: throughput.paired.ratioLow, high: throughput.paired.ratioHigh, n: throughput.paired.n })}`);
  phaseDone('throughput measured');
  step(`Capturing EXPLAIN (ANALYZE, BUFFERS) of every request into ${resultsDir}: SQL level, and what PostgREST sends (auto_explain)`);
  for (const d of dataSets) d.plans = await capturePlans(d, d.contexts);
  for (const d of dataSets) d.httpPlans = await captureHttpPlans({ profile, dataSet: d, queries: clientQueries, resultsDir, adminQuery });
  phaseDone('plans captured');
  const stats = {};
  for (const d of dataSets) {
    stats[d.name] = {};
    for (const q of clientQueries) {
      const s = measured.samples[d.name][q.key];
      const h = http.samples[d.name][q.key];
      const statements = statementCount(q.requests(d.contexts[0], 'rls'));
      // Scans that apply a policy, per group: the policy InitPlans the RLS side adds.
      const policyScans = d.plans[q.key].rls.initPlans - d.plans[q.key].bare.initPlans;
      stats[d.name][q.key] = {
        rls: summarise(s.rls), bare: summarise(s.bare),
        rlsWhole: summarise(s.rlsWhole), bareWhole: summarise(s.bareWhole),
        http: h ? { rls: summarise(h.rls), bare: summarise(h.bare) } : undefined,
        statements,
        policyScans,
        // The pairs of each iteration: the whole request (HTTP, or the function's
        // transactions) as a ratio of bare, and the statements' own difference in ms.
        paired: {
          whole: h ? pairedRatio(h.rls, h.bare) : pairedRatio(s.rlsWhole, s.bareWhole),
          statement: pairedDifference(s.rls, s.bare),
        },
      };
    }
  }
  // The share page against a primary-key read: timed in the same iterations, so paired too.
  for (const d of dataSets) {
    const h = http.samples[d.name];
    stats[d.name].shareVersusPrimaryKey = pairedRatio(h.share_rpc.rls, h.resume_by_id.bare);
  }
  return { measured, http, throughput, stats, preRequest };
}

// Checks that hold in both modes: no big sequential scan, data returned, equal answers.
function planAndAnswerFailures(dataSets, measured, http, throughput) {
  const failures = [];
  for (const d of dataSets) {
    for (const q of clientQueries) {
      for (const side of ['rls', 'bare']) {
        for (const scan of d.plans[q.key][side].seqScans) failures.push(`${q.key} (${side}, ${d.name}) scans ${scan} sequentially`);
        for (const scan of d.httpPlans[q.key]?.[side].seqScans ?? []) failures.push(`${q.key} through PostgREST (${side}, ${d.name}) scans ${scan} sequentially`);
        if (q.http && !d.httpPlans[q.key]?.[side].plans) failures.push(`${q.key} through PostgREST (${side}, ${d.name}): auto_explain captured no plan`);
      }
      if (measured.withData[d.name][q.key] === 0) failures.push(`${q.key} never returned data on the ${d.name} data set`);
      if (q.http && http.withData[d.name][q.key] === 0) failures.push(`${q.key} through PostgREST never returned data on the ${d.name} data set`);
    }
  }
  for (const m of [...measured.mismatches, ...http.mismatches].slice(0, 5)) {
    failures.push(`${m.query} (${m.dataSet}) answered differently under RLS than with the explicit filter for user ${m.user}`);
  }
  failures.push(...http.failures);
  for (const side of ['rls', 'bare']) {
    if (throughput[side].errors) failures.push(`throughput (${side}): ${throughput[side].errors} requests failed or answered non-2xx`);
  }
  return failures;
}

// Per request: the whole request as a client sees it (HTTP through PostgREST; the
// function's transaction for the SQL-only check), and the SQL-level statement cost.
export function coreRows(stats) {
  const main = stats.full ?? stats.quick;
  return clientQueries.map((q) => {
    const full = main[q.key];
    const tenth = stats.tenth?.[q.key];
    const whole = full.http ?? { rls: full.rlsWhole, bare: full.bareWhole };
    const tenthWhole = tenth ? tenth.http ?? { rls: tenth.rlsWhole, bare: tenth.bareWhole } : undefined;
    return {
      q, full, tenth, whole, over: full.http ? 'HTTP' : 'SQL transaction',
      ratio: whole.rls.p50 / whole.bare.p50,
      paired: full.paired.whole,
      // The policy's cost per statement: the median paired difference (and its interval).
      microseconds: (full.paired.statement.median * 1000) / full.statements,
      microsecondsLow: (full.paired.statement.low * 1000) / full.statements,
      microsecondsHigh: (full.paired.statement.high * 1000) / full.statements,
      // The same difference per scan that applies a policy (two per dashboard count statement).
      policyScans: full.policyScans,
      perPolicyScan: full.policyScans > 0 ? (full.paired.statement.median * 1000) / full.policyScans : NaN,
      growth: tenthWhole ? whole.rls.p50 / tenthWhole.rls.p50 : NaN,
    };
  });
}

function printCoreTable(stats) {
  const rows = coreRows(stats);
  console.log('');
  console.log('request               whole RLS p50/p95 ms   whole bare p50/p95 ms  ratio  paired (95% CI)   RLS µs/stmt  stmts  policy scans  µs/scan  growth  over');
  for (const r of rows) {
    console.log(
      `${r.q.key.padEnd(20)}  ${`${ms(r.whole.rls.p50)} / ${ms(r.whole.rls.p95)}`.padEnd(21)}  ${`${ms(r.whole.bare.p50)} / ${ms(r.whole.bare.p95)}`.padEnd(21)}` +
        `  ${r.ratio.toFixed(2).padStart(5)}  ${`${r.paired.ratio.toFixed(2)} (${r.paired.ratioLow.toFixed(2)}–${r.paired.ratioHigh.toFixed(2)})`.padEnd(16)}  ${r.microseconds.toFixed(0).padStart(11)}  ${String(r.full.statements).padStart(5)}  ${String(r.policyScans).padStart(12)}` +
        `  ${Number.isFinite(r.perPolicyScan) ? r.perPolicyScan.toFixed(0).padStart(7) : '    n/a'}  ${Number.isFinite(r.growth) ? r.growth.toFixed(2).padStart(6) : '   n/a'}  ${r.over}`,
    );
  }
  console.log('');
  return rows;
}

// The RLS-against-bare targets are judged from paired differences (bench/paired.mjs):
// met when the 95% interval lies within the target, missed when it lies beyond it,
// otherwise undecided at this noise. Growth compares two data sets' p50s.
function coreVerdicts(rows, main, throughput) {
  const verdicts = [];
  for (const r of rows) {
    verdicts.push(pairedVerdict(`${r.q.key}: whole-request RLS / bare ≤ ${targets.wholeRequest.toFixed(2)} (${r.over}, paired)`, r.paired, targets.wholeRequest));
  }
  for (const r of rows) {
    verdicts.push(pairedVerdict(
      `${r.q.key}: RLS cost per statement ≤ ${targets.rlsMicroseconds} µs (SQL level, paired)`,
      { value: r.microseconds, low: r.microsecondsLow, high: r.microsecondsHigh, n: r.full.paired.statement.n, coverage: r.full.paired.statement.coverage },
      targets.rlsMicroseconds,
      { value: 'value', low: 'low', high: 'high', unit: 'µs' },
    ));
  }
  for (const r of rows) {
    verdicts.push({ target: `${r.q.key}: full / tenth p50 ≤ ${targets.growthRatio.toFixed(2)} (${r.over})`, value: r.growth, pass: r.growth <= targets.growthRatio });
  }
  verdicts.push(pairedVerdict(
    `share_rpc via /rest/v1/rpc ≤ ${targets.shareVersusPrimaryKey}× primary-key read via /rest/v1/generated_resumes?id=eq. (paired by iteration)`,
    main.shareVersusPrimaryKey,
    targets.shareVersusPrimaryKey,
  ));
  verdicts.push(pairedVerdict(
    `jobs_list with ${concurrentClients} concurrent clients: RLS requests/s ≥ ${targets.throughput} × bare (paired rounds)`,
    throughput.paired,
    targets.throughput,
    { atMost: false },
  ));
  return verdicts;
}

function printVerdicts(verdicts, failures) {
  for (const v of verdicts) {
    const value = describeInterval(v, v.unit === 'µs' ? 0 : 2);
    const label = outcomeLabel(v);
    console.log(`  ${label === 'MET' ? 'PASS' : label === 'MISSED' ? 'FAIL' : 'UNDECIDED'}  ${v.target}  (${value})`);
    if (!v.pass) failures.push(`target missed: ${v.target} (${value})`);
  }
}

async function runCore(dataSets, opts, failures) {
  const { measured, http, throughput, stats, preRequest } = await timeCoreRequests(dataSets, opts);
  failures.push(...planAndAnswerFailures(dataSets, measured, http, throughput));
  failures.push(...preRequest.problems.map((p) => `fair use's pre-request: ${p}`));
  const rows = printCoreTable(stats);
  const verdicts = opts.quick ? [] : coreVerdicts(rows, stats.full ?? stats.quick, throughput);
  printVerdicts(verdicts, failures);
  for (const d of dataSets) {
    const seq = clientQueries.flatMap((q) => ['rls', 'bare'].flatMap((side) => [...d.plans[q.key][side].seqScans, ...(d.httpPlans[q.key]?.[side].seqScans ?? [])]));
    console.log(`  ${seq.length ? 'FAIL' : 'PASS'}  ${d.name}: no plan (SQL level or sent by PostgREST) scans a table of more than 10,000 rows sequentially`);
  }
  const differences = measured.mismatches.length + http.mismatches.length;
  console.log(`  ${differences ? 'FAIL' : 'PASS'}  every RLS answer equals the bare answer (${measured.mismatches.length} differences in SQL, ${http.mismatches.length} over HTTP)`);
  return { stats, verdicts, measured, http, throughput, preRequest };
}

// The extra parts, each on the same data sets; their verdicts count like the core ones.
async function runParts(parts, dataSets, opts, failures) {
  const results = [];
  for (const part of parts) {
    step(`Part ${part.name}: ${part.title}`);
    // A part that throws fails the run but loses nothing the others measured: every
    // report is still written.
    let outcome;
    try {
      outcome = await part.run({ ...opts, profile, dataSets, resultsDir, adminQuery });
    } catch (error) {
      console.log(`  ${part.name} stopped: ${error.message}`);
      outcome = { verdicts: [], markdown: [`The part stopped: ${error.message}`], failures: [`stopped: ${error.message}`] };
    }
    const verdicts = opts.quick ? [] : outcome.verdicts ?? [];
    printVerdicts(verdicts, failures);
    failures.push(...(outcome.failures ?? []).map((f) => `${part.name}: ${f}`));
    results.push({ name: part.name, title: part.title, verdicts, markdown: outcome.markdown ?? [], data: outcome.data });
  }
  return results;
}

await runMain(async () => {
  const opts = options(process.argv.slice(2));
  const selected = (name) => !opts.only || opts.only.has(name);
  const parts = benchParts.filter((p) => selected(p.name));
  await takeLock();
  const startedPostgrests = [];
  const teardown = () => {
    if (!opts.keep) {
      for (const instance of startedPostgrests) stopPostgrest(profile, instance);
      destroyStack(profile);
    }
    releaseLock();
  };
  process.once('SIGINT', () => {
    process.stderr.write('\nInterrupted: tearing the bench stack down.\n');
    teardown();
    process.exit(130);
  });

  const failures = [];
  try {
    ensurePrerequisites();
    step(`Building the bench stack in ${profile.dir} (Postgres on 127.0.0.1:${profile.dbPort})`);
    await buildStack();
    const [{ server_version: version }] = await adminQuery(profile.adminUrl, 'show server_version');
    const [{ shared_buffers: sharedBuffers }] = await adminQuery(profile.adminUrl, 'show shared_buffers');

    const plan = opts.quick
      ? [['quick', 'bench_quick', dataSetSizes.quick]]
      : [['tenth', 'bench_tenth', dataSetSizes.tenth], ['full', 'bench_full', dataSetSizes.full]];
    const dataSets = [];
    for (const [name, database, size] of plan) {
      const dataSet = await prepareDataSet(name, database, size);
      for (const part of parts) {
        if (part.prepare) {
          step(`Part ${part.name}: preparing its data in ${database}`);
          await part.prepare(dataSet, { ...opts, adminQuery });
        }
      }
      dataSets.push(dataSet);
    }

    rmSync(resultsDir, { recursive: true, force: true });
    mkdirSync(resultsDir, { recursive: true });

    step('Sampling users, share tokens and resumes');
    for (const d of dataSets) d.contexts = await sampleContexts(d.db.adminUrl, 1000);
    for (const d of dataSets) {
      await startDataSetPostgrest(d);
      startedPostgrests.push(postgrestOf(d));
    }

    const stopSampling = loadSampler();
    const core = selected('core') ? await runCore(dataSets, opts, failures) : undefined;
    const partResults = await runParts(parts, dataSets, opts, failures);
    const load = stopSampling();
    step(`Machine load while timing (1-minute average): median ${load.median.toFixed(1)}, ${load.min.toFixed(1)}–${load.max.toFixed(1)} on ${os.cpus().length} cores`);

    const result = {
      date: new Date().toISOString(),
      machine: { ...machine(), postgres: version, sharedBuffers, load },
      options: { ...opts, only: opts.only ? [...opts.only] : undefined },
      targets,
      dataSets: dataSets.map((d) => ({ name: d.name, database: d.database, size: d.size, loadSeconds: d.loadSeconds, totalSeconds: d.totalSeconds, counts: d.counts })),
      stats: core?.stats,
      verdicts: core?.verdicts ?? [],
      plans: core ? Object.fromEntries(dataSets.map((d) => [d.name, d.plans])) : undefined,
      mismatches: core?.measured.mismatches.length,
      httpMismatches: core?.http.mismatches.length,
      throughput: core?.throughput,
      preRequest: core?.preRequest,
      httpPlans: core ? Object.fromEntries(dataSets.map((d) => [d.name, d.httpPlans])) : undefined,
      withData: core?.measured.withData,
      parts: partResults,
      failures,
    };
    writeFileSync(join(resultsDir, 'results.json'), JSON.stringify(result, null, 2) + '\n');
    if (!opts.quick) {
      for (const part of partResults) step(`Wrote ${writePartReport(result, part)}`);
      if (selected('core')) step(`Wrote ${writeReport(result, clientQueries, coreRows(result.stats))}`);
    }
  } finally {
    step(opts.keep ? `Leaving the bench stack running on port ${profile.dbPort} (--keep)` : 'Tearing the bench stack down');
    teardown();
  }

  console.log('');
  if (failures.length) {
    for (const f of failures) console.log(`✗ ${f}`);
    console.log(`\nbenchmark: ${failures.length} problem(s). Fix the schema, policy or index (a new migration), not the benchmark; plans are in bench-results/.`);
    process.exitCode = 1;
  } else {
    console.log(`benchmark${opts.quick ? ' --quick' : ''}: all checks passed`);
  }
});
