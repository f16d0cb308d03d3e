// npm test — builds a throwaway stack (its own data folder and ports; never the one
// `npm start` uses), runs every suite against it, tears it down, and ends with
// "N passed, N failed" summed over all suites. Exits non-zero on any failure.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { portInUse } from './lib/cluster.mjs';
import { StackError, done, runMain, step } from './lib/console.mjs';
import { functionSettings, testGatewaySettings } from './lib/function-settings.mjs';
import { defaultModelServerPort } from './lib/model-server.mjs';
import { ensureNodeModules } from './lib/prerequisites.mjs';
import { repoRoot, stackProfile } from './lib/profiles.mjs';
import { stageLine, summarise } from './lib/summary.mjs';

// The scripted OpenAI-compatible server the vitest suites start on loopback. A taken
// port is said at once, before anything is built (else the AI suites time out later).
const modelServerPort = process.env.MODEL_SERVER_PORT ?? String(defaultModelServerPort);
await runMain(async () => {
  if (!/^\d+$/.test(modelServerPort) || Number(modelServerPort) < 1 || Number(modelServerPort) > 65535) {
    throw new StackError(`MODEL_SERVER_PORT=${modelServerPort} is not a port number: set it to a free port from 1 to 65535.`);
  }
  if (await portInUse(Number(modelServerPort))) {
    throw new StackError(
      `Port ${modelServerPort} (MODEL_SERVER_PORT) is taken by another program, so the tests' scripted model server cannot start. ` +
        `Find it with \`ss -ltnp 'sport = :${modelServerPort}'\` and stop it, or set MODEL_SERVER_PORT to a free port.`,
    );
  }
});

// The tests run as on a clean machine: none of the developer's model settings (exported,
// or in supabase/functions/.env, which the test gateway is never given) reach them.
for (const { name } of functionSettings) delete process.env[name];
delete process.env.FUNCTIONS_ENV_FILE;

// On a fresh clone the npm dependencies the stack modules import are not there yet.
ensureNodeModules();
const { cliUrl, databaseUrl, query } = await import('./lib/database.mjs');
const { inWorker } = await import('./lib/in-worker.mjs');
const { vitestLanes } = await import('./lib/vitest-lanes.mjs');
const { databaseFingerprint } = await import('./lib/fingerprint.mjs');
const { buildDatabase, destroyStack, ensurePrerequisites, startServices } = await import('./lib/stack.mjs');
const { runCheck, runDenoTests, runPgProve, runVitest } = await import('./lib/suites.mjs');

const dev = stackProfile('dev');
// Ports: JOBSTALKER_TEST_DB_PORT / _API_PORT / _REST_PORT (see profiles.mjs).
const test = stackProfile('test');
// The recording double of the Storage and Auth APIs the account suites start on loopback
// (tests/support/platform-double-server.ts); the functions reach it as PLATFORM_API_URL.
const platformDoublePort = process.env.PLATFORM_DOUBLE_PORT ?? String(Number(modelServerPort) - 1);
const testEnv = {
  JOBSTALKER_STACK: 'test',
  PLATFORM_DOUBLE_PORT: platformDoublePort,
  JOBSTALKER_DB_PORT: String(test.dbPort),
  JOBSTALKER_API_PORT: String(test.apiPort),
  JOBSTALKER_REST_PORT: String(test.restPort),
  MODEL_SERVER_PORT: modelServerPort,
};
const testGateway = testGatewaySettings(modelServerPort, platformDoublePort);

// Whatever answers on the dev port counts, even a stack started from another clone.
async function devFingerprint() {
  return (await portInUse(dev.dbPort)) ? databaseFingerprint(dev.adminUrl) : 'not running';
}

// The schemas holding PL/pgSQL we wrote. The CLI on its own also lints extensions
// (owned by postgres, as on Supabase), where pgTAP's functions fail plpgsql_check.
function lintedSchemas(adminUrl) {
  return query(
    adminUrl,
    `select string_agg(distinct n.nspname, ',' order by n.nspname)
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_language l on l.oid = p.prolang
      where l.lanname = 'plpgsql' and n.nspname not in ('pg_catalog', 'information_schema')
        and pg_get_userbyid(n.nspowner) <> 'supabase_admin'
        and not exists (select 1 from pg_depend d
                         where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')`,
  );
}

// The pgTAP files need nothing else: the first one (00-test-helpers.sql) creates pgTAP and
// the test-only schema `tests`, as `supabase test db` would run it.
// supabase/schemas and supabase/migrations must describe the same database: a change
// made in only one of them fails here, with the difference printed. It runs in a worker
// (its steps are synchronous commands) while the grants-off database is built.
async function driftGate(profile) {
  const report = await inWorker(new URL('./lib/declared-schema.mjs', import.meta.url), 'driftReport', profile, profile.adminUrl);
  if (report.empty) {
    done('Drift gate: supabase/schemas and supabase/migrations agree');
    return { suite: 'drift gate (schemas = migrations)', passed: 1, failed: 0 };
  }
  console.log([
    '  ✗ Drift gate: they differ. What would take the migrated database to the declared one:',
    ...report.schema, ...report.data, ...report.jobs,
    '  Change supabase/schemas and generate the migration with `npm run db:diff -- <verb_object> --why "..."`.',
  ].join('\n'));
  return { suite: 'drift gate (schemas = migrations)', passed: 0, failed: 1 };
}

// With automatic grants off only what the migrations grant explicitly exists, so the files
// about who may do what run there again: the catalog-driven matrices (every table, column,
// function and storage policy, new ones included), the platform baseline, the red team and
// the share link's public surface. The other files test behaviour that grants do not change.
const grantFiles = [
  '00-test-helpers.sql', '06-platform-baseline.sql', '10-rls-matrix.sql', '11-schema-security.sql', '12-storage.sql',
  '19-red-team.sql', '24-owner-defaults.sql', '32-share-link-privacy.sql',
];
// Each pgTAP file is one transaction that rolls back, so files run two at a time; the
// first, which creates the helpers the others use, runs before them.
const pgtapJobs = 2;
const pgtapFiles = () => readdirSync(join(repoRoot, 'supabase', 'tests', 'database')).filter((f) => f.endsWith('.sql')).sort();

// The Deno test files, those that draw PDFs (they import a PDF module or read PDF
// responses) apart from the others.
function denoTestFiles() {
  const dir = join(repoRoot, 'supabase', 'functions');
  const files = readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('_test.ts')).sort()
    .map((f) => join('supabase', 'functions', f));
  const drawsPdf = (file) => /from "[^"]*pdf[^"]*"|application\/pdf/.test(readFileSync(join(repoRoot, file), 'utf8'));
  return { pdf: files.filter(drawsPdf), other: [...files.filter((f) => !drawsPdf(f)), join('scripts', 'gateway_test.ts')] };
}

// How long each stage took, wall clock; stages that overlap are said to (CI logs show it).
const stages = [];
async function timed(stage, work) {
  const started = Date.now();
  try {
    return await work();
  } finally {
    stages.push({ stage, seconds: (Date.now() - started) / 1000 });
  }
}

await runMain(async () => {
  const started = Date.now();
  const results = [];
  let pdfResult;
  ensurePrerequisites();
  const devBefore = await devFingerprint();

  // The Deno tests need no stack (fake database, model and clock): they run from the
  // start, beside the build and the database suites, and print when they end. Those that
  // draw PDFs hold the renderer to its bound of CPU time: they run beside the last two
  // resilience files, which mostly wait (below), never beside files that measure latency.
  const { pdf: denoPdf, other: denoOther } = denoTestFiles();
  step(`Deno tests (${denoOther.length} files), beside the stack build and the database suites`);
  const deno = timed('Deno tests (beside the build and pgTAP)', () => runDenoTests({}, denoOther, { parallel: true, held: 'Deno tests' }));

  destroyStack(test);
  await timed('test database (cluster, baseline, db push, seed)', () => buildDatabase(test));
  // Before the test tools add their schema: the migrated database as `db push` left it.
  step('Drift gate (pg-delta), the grants-off database and the services, side by side');
  const [drift, strict] = await timed('drift gate ∥ grants-off database ∥ services', () => Promise.all([
    driftGate(test),
    inWorker(new URL('./lib/database.mjs', import.meta.url), 'buildGrantsOffDatabase', test, 'no_auto_grants'),
    // PostgREST behind the gateway's /rest/v1, as `npm start` runs them.
    startServices(test, testGateway.env, testGateway.options),
  ]));
  results.push(drift);

  try {
    const cli = join(repoRoot, 'node_modules', '.bin', 'supabase');
    step('pgTAP in both databases, supabase db advisors and db lint, side by side');
    const [helpers, ...rest] = pgtapFiles();
    const databaseSuites = await timed('pgTAP ×2 ∥ advisors ∥ lint', async () => {
      const first = await runPgProve(test.dbUrl, 'default privileges', [helpers]);
      // After the helpers: the lint sees the `tests` schema, as when it ran last.
      const schemas = lintedSchemas(test.adminUrl);
      const [others, strictRun, advisors, lint] = await Promise.all([
        runPgProve(test.dbUrl, 'default privileges', rest, { jobs: pgtapJobs }),
        runPgProve(strict.dbUrl, 'automatic grants off', grantFiles, { held: 'pgTAP (automatic grants off)' }),
        runCheck('supabase db advisors', cli, ['db', 'advisors', '--db-url', cliUrl(test.dbUrl), '--type', 'all', '--level', 'info', '--fail-on', 'warn'], { held: 'supabase db advisors --type all --fail-on warn' }),
        runCheck('supabase db lint', cli, ['db', 'lint', '--db-url', cliUrl(test.dbUrl), '--schema', schemas, '--level', 'warning', '--fail-on', 'warning'], { held: `supabase db lint --schema ${schemas} --fail-on warning` }),
      ]);
      const together = { suite: first.suite };
      for (const key of ['passed', 'failed', 'notRun']) together[key] = first[key] + others[key];
      return [together, strictRun, advisors, lint];
    });
    results.push(...databaseSuites);

    // vitest against the running stack, in lanes (scripts/lib/vitest-lanes.mjs): files
    // that share nothing two at a time, beside the files that share a port or the worlds
    // and templates: those that share both one at a time, then two lanes one at a time
    // each, the port lane beside the rows lane; then the resilience suites, alone.
    const lanes = vitestLanes();
    step(`vitest: ${lanes.parallel.length} files two at a time ∥ ${lanes.oneAtATime.length} files one at a time, ` +
      `then ${lanes.ports.length} (ports) ∥ ${lanes.rows.length} (worlds, templates) one at a time each`);
    // One file at a time; a lane without files runs nothing (vitest given no file runs them all).
    const lane = (files, suite) => (files.length ? runVitest(testEnv, { args: files, suite, held: suite }) : { suite, passed: 0, failed: 0, notRun: 0 });
    const oneAtATime = async () => {
      const both = await lane(lanes.oneAtATime, 'vitest (one at a time)');
      const each = await Promise.all([lane(lanes.ports, 'vitest (one at a time: ports)'), lane(lanes.rows, 'vitest (one at a time: worlds, templates)')]);
      return [both, ...each];
    };
    const [parallel, serial] = await timed('vitest: parallel lane ∥ one-at-a-time lanes', () => Promise.all([
      runVitest(testEnv, { args: ['--fileParallelism', '--maxWorkers=2', ...lanes.parallel], suite: 'vitest (two at a time)' }),
      oneAtATime(),
    ]));
    results.push(parallel, ...serial);
    step(`vitest: the ${lanes.resilienceSideBySide.length} resilience files that share nothing side by side, then the ${lanes.alone.length} others, alone`);
    // Streamed as they run (no other vitest run beside them); no files, no run.
    const streamed = (files, suite, flags = []) => (files.length ? runVitest(testEnv, { args: [...flags, ...files], suite }) : { suite, passed: 0, failed: 0, notRun: 0 });
    results.push(...await timed('vitest: resilience (fuzzers side by side, then alone)', async () => [
      await streamed(lanes.resilienceSideBySide, 'vitest (resilience, side by side)', ['--fileParallelism', '--maxWorkers=2']),
      await streamed(lanes.alone, 'vitest (resilience, alone)'),
    ]));
    // The last resilience files mostly wait; the Deno tests that draw PDFs need no stack and
    // bound each draw in the renderer's own CPU time: side by side (scripts/lib/vitest-lanes.mjs).
    step(`vitest: the ${lanes.besidePdf.length} resilience files that mostly wait, one at a time ∥ the Deno tests that draw PDFs (${denoPdf.length} files)`);
    const [waiting, pdfRun] = await timed('vitest: resilience that waits ∥ Deno PDF tests', () => Promise.all([
      streamed(lanes.besidePdf, 'vitest (resilience, beside the PDF tests)'),
      runDenoTests({}, denoPdf, { held: 'Deno tests (PDF drawing)' }),
    ]));
    results.push(waiting);
    pdfResult = { ...pdfRun, suite: 'Deno tests (PDF drawing)' };
  } finally {
    step('Tearing the test stack down');
    destroyStack(test);
  }
  results.push(await deno, pdfResult);

  const devAfter = await devFingerprint();
  const untouched = devBefore === devAfter;
  step(`The dev database (${databaseUrl(dev, 'postgres')}) is ${untouched ? 'untouched' : 'CHANGED'} (${devBefore} → ${devAfter})`);
  results.push({ suite: 'dev database untouched', passed: untouched ? 1 : 0, failed: untouched ? 0 : 1 });

  const { lines, failed } = summarise(results);
  console.log(['', stageLine(stages, (Date.now() - started) / 1000), ...lines].join('\n'));
  process.exitCode = failed ? 1 : 0;
});
