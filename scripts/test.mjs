// npm test — builds a throwaway stack (its own data folder and ports; never the one
// `npm start` uses), runs every suite against it, tears it down, and ends with
// "N passed, N failed" summed over all suites. Exits non-zero on any failure.
import { join } from 'node:path';
import { runMain, step } from './lib/console.mjs';
import { ensureNodeModules } from './lib/prerequisites.mjs';
import { repoRoot, stackProfile } from './lib/profiles.mjs';

// On a fresh clone the npm dependencies the stack modules import are not there yet.
ensureNodeModules();
const { portInUse } = await import('./lib/cluster.mjs');
const { cliUrl, createScratchDatabase, databaseUrl, pushMigrationsTo, psqlFile, query } = await import('./lib/database.mjs');
const { databaseFingerprint } = await import('./lib/fingerprint.mjs');
const { buildDatabase, destroyStack, ensurePrerequisites, startServices } = await import('./lib/stack.mjs');
const { runCheck, runDenoTests, runPgProve, runVitest } = await import('./lib/suites.mjs');

const dev = stackProfile('dev');
// Ports: JOBSTALKER_TEST_DB_PORT / _API_PORT / _REST_PORT (see profiles.mjs).
const test = stackProfile('test');
// The scripted OpenAI-compatible server the vitest suites start on loopback.
const modelServerPort = process.env.MODEL_SERVER_PORT ?? '54399';
const testEnv = {
  JOBSTALKER_STACK: 'test',
  JOBSTALKER_DB_PORT: String(test.dbPort),
  JOBSTALKER_API_PORT: String(test.apiPort),
  JOBSTALKER_REST_PORT: String(test.restPort),
  MODEL_SERVER_PORT: modelServerPort,
};
const functionTestEnv = {
  OPENAI_API_KEY: 'test-key-for-the-scripted-model-server',
  OPENAI_BASE_URL: `http://127.0.0.1:${modelServerPort}/v1`,
  AI_TIMEOUT_MS: '2000',
};

// Whatever answers on the dev port counts, even a stack started from another clone.
async function devFingerprint() {
  return (await portInUse(dev.dbPort)) ? databaseFingerprint(dev.adminUrl) : 'not running';
}

function addPgTap(adminUrl) {
  query(adminUrl, 'create extension if not exists pgtap with schema extensions');
}

await runMain(async () => {
  const results = [];
  ensurePrerequisites();
  const devBefore = await devFingerprint();

  destroyStack(test);
  await buildDatabase(test);
  addPgTap(test.adminUrl);
  step('Building a second database with automatic grants to the API roles turned off');
  const strict = createScratchDatabase(test, 'no_auto_grants', { autoGrants: false });
  pushMigrationsTo(strict.dbUrl);
  const seeded = psqlFile(strict.dbUrl, join(repoRoot, 'supabase', 'seed.sql'));
  if (!seeded.ok) throw new Error(seeded.stderr);
  addPgTap(strict.adminUrl);
  // PostgREST behind the gateway's /rest/v1, as `npm start` runs them.
  await startServices(test, functionTestEnv);

  try {
    step('pgTAP (Supabase default privileges)');
    results.push(await runPgProve(test.dbUrl, 'default privileges'));
    step('pgTAP (automatic grants off)');
    results.push(await runPgProve(strict.dbUrl, 'automatic grants off'));
    step('Deno tests (supabase/functions)');
    results.push(await runDenoTests({}));
    step('vitest (tests/) against the running test stack');
    results.push(await runVitest(testEnv));
    results.push(await runCheck('benchmark --quick (plans)', process.execPath, ['scripts/bench/run.mjs', '--quick'], {}));
    const cli = join(repoRoot, 'node_modules', '.bin', 'supabase');
    step('supabase db advisors --type all --fail-on warn');
    results.push(await runCheck('supabase db advisors', cli, ['db', 'advisors', '--db-url', cliUrl(test.dbUrl), '--type', 'all', '--level', 'info', '--fail-on', 'warn']));
    step('supabase db lint --fail-on warning');
    results.push(await runCheck('supabase db lint', cli, ['db', 'lint', '--db-url', cliUrl(test.dbUrl), '--level', 'warning', '--fail-on', 'warning']));
  } finally {
    step('Tearing the test stack down');
    destroyStack(test);
  }

  const devAfter = await devFingerprint();
  const untouched = devBefore === devAfter;
  step(`The dev database (${databaseUrl(dev, 'postgres')}) is ${untouched ? 'untouched' : 'CHANGED'} (${devBefore} → ${devAfter})`);
  results.push({ suite: 'dev database untouched', passed: untouched ? 1 : 0, failed: untouched ? 0 : 1 });

  console.log('');
  for (const r of results) console.log(`  ${r.failed ? '✗' : '✓'} ${r.suite}: ${r.passed} passed, ${r.failed} failed`);
  const passed = results.reduce((s, r) => s + r.passed, 0);
  const failed = results.reduce((s, r) => s + r.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
});
