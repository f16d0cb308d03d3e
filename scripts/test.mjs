// npm test — builds a throwaway stack (its own data folder and ports; never the one
// `npm start` uses), runs every suite against it, tears it down, and ends with
// "N passed, N failed" summed over all suites. Exits non-zero on any failure.
import { join } from 'node:path';
import { portInUse } from './lib/cluster.mjs';
import { StackError, done, runMain, step } from './lib/console.mjs';
import { functionSettings, testGatewaySettings } from './lib/function-settings.mjs';
import { defaultModelServerPort } from './lib/model-server.mjs';
import { ensureNodeModules } from './lib/prerequisites.mjs';
import { repoRoot, stackProfile } from './lib/profiles.mjs';
import { summarise } from './lib/summary.mjs';

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
const { cliUrl, createScratchDatabase, databaseUrl, pushMigrationsTo, psqlFile, query } = await import('./lib/database.mjs');
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
// made in only one of them fails here, with the difference printed.
async function driftGate(profile) {
  step('Drift gate: a database built from supabase/schemas against the migrated one (pg-delta)');
  const { driftReport } = await import('./lib/declared-schema.mjs');
  const report = await driftReport(profile, profile.adminUrl);
  if (report.empty) {
    done('supabase/schemas and supabase/migrations agree');
    return { suite: 'drift gate (schemas = migrations)', passed: 1, failed: 0 };
  }
  console.log([
    '  ✗ They differ. What would take the migrated database to the declared one:',
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

await runMain(async () => {
  const results = [];
  ensurePrerequisites();
  const devBefore = await devFingerprint();

  destroyStack(test);
  await buildDatabase(test);
  // Before the test tools add their schema: the migrated database as `db push` left it.
  results.push(await driftGate(test));
  step('Building a second database with automatic grants to the API roles turned off');
  const strict = createScratchDatabase(test, 'no_auto_grants', { autoGrants: false });
  pushMigrationsTo(strict.dbUrl);
  const seeded = psqlFile(strict.dbUrl, join(repoRoot, 'supabase', 'seed.sql'));
  if (!seeded.ok) throw new Error(seeded.stderr);
  // PostgREST behind the gateway's /rest/v1, as `npm start` runs them.
  await startServices(test, testGateway.env, testGateway.options);

  try {
    step('pgTAP (Supabase default privileges)');
    results.push(await runPgProve(test.dbUrl, 'default privileges'));
    step('pgTAP (automatic grants off)');
    results.push(await runPgProve(strict.dbUrl, 'automatic grants off', grantFiles));
    step('Deno tests (supabase/functions)');
    results.push(await runDenoTests({}));
    step('vitest (tests/) against the running test stack');
    results.push(await runVitest(testEnv));
    const cli = join(repoRoot, 'node_modules', '.bin', 'supabase');
    step('supabase db advisors --type all --fail-on warn');
    results.push(await runCheck('supabase db advisors', cli, ['db', 'advisors', '--db-url', cliUrl(test.dbUrl), '--type', 'all', '--level', 'info', '--fail-on', 'warn']));
    const schemas = lintedSchemas(test.adminUrl);
    step(`supabase db lint --schema ${schemas} --fail-on warning`);
    results.push(await runCheck('supabase db lint', cli, ['db', 'lint', '--db-url', cliUrl(test.dbUrl), '--schema', schemas, '--level', 'warning', '--fail-on', 'warning']));
  } finally {
    step('Tearing the test stack down');
    destroyStack(test);
  }

  const devAfter = await devFingerprint();
  const untouched = devBefore === devAfter;
  step(`The dev database (${databaseUrl(dev, 'postgres')}) is ${untouched ? 'untouched' : 'CHANGED'} (${devBefore} → ${devAfter})`);
  results.push({ suite: 'dev database untouched', passed: untouched ? 1 : 0, failed: untouched ? 0 : 1 });

  const { lines, failed } = summarise(results);
  console.log(['', ...lines].join('\n'));
  process.exitCode = failed ? 1 : 0;
});
