// Running each test suite and reading its pass/fail counts from the runner's output.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresBin } from './prerequisites.mjs';
import { repoRoot } from './profiles.mjs';

// Streams a command's output to ours while keeping a copy to parse.
// quiet keeps the copy only (a test running a runner on fixtures); held keeps it and
// prints it in one block when the command ends, under its label, so that suites running
// beside each other do not interleave their lines.
export function stream(command, args, { env = {}, cwd = repoRoot, quiet = false, held = null } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const forward = (target) => (chunk) => {
      output += chunk;
      if (!quiet && !held) target.write(chunk);
    };
    child.stdout.on('data', forward(process.stdout));
    child.stderr.on('data', forward(process.stderr));
    const end = (status) => {
      if (held && !quiet) process.stdout.write(`\n── ${held} ──\n${output}${output.endsWith('\n') ? '' : '\n'}── end of ${held} ──\n`);
      resolve({ status, output });
    };
    child.on('close', end);
    child.on('error', (error) => {
      output += String(error);
      end(-1);
    });
  });
}

// pg_prove ends with "Files=F, Tests=T, ..." where T counts the tests that ran; its
// Test Summary Report gives each failing file's "Tests: R Failed: F" and, for a file
// that died or stopped early, "You planned P tests but ran R".
export function countPgProve(status, output) {
  const ran = Number(/Files=\d+, Tests=(\d+)/.exec(output)?.[1] ?? 0);
  const at = output.indexOf('Test Summary Report');
  const files = at < 0 ? [] : output.slice(at).split(/\n(?=\S+\.sql \(Wstat)/).slice(1);
  let failedTests = 0;
  let failedFiles = 0;
  let notRun = 0;
  for (const file of files) {
    const failedHere = Number(/Tests: \d+ Failed: (\d+)\)/.exec(file)?.[1] ?? 0);
    const plan = /You planned (\d+) tests? but ran (\d+)/.exec(file);
    const notRunHere = plan ? Math.max(Number(plan[1]) - Number(plan[2]), 0) : 0;
    failedTests += failedHere;
    notRun += notRunHere;
    // A file that exited non-zero with no test failed or missing (say, no plan at all).
    if (!failedHere && !notRunHere) failedFiles += 1;
  }
  const failed = failedTests + failedFiles || (status === 0 ? 0 : notRun ? 0 : 1);
  return { passed: Math.max(ran - failedTests, 0), failed, notRun };
}

// files: paths under supabase/tests/database (all of them when absent, as `supabase test db`).
// jobs: files run at once (pg_prove -j; each file is one transaction, rolled back).
export async function runPgProve(dbUrl, label, files, { jobs = 1, held = null } = {}) {
  const targets = files ? files.map((f) => join('supabase', 'tests', 'database', f)) : ['-r', join('supabase', 'tests')];
  // --psql-bin: Postgres 15's psql itself, not Debian's Perl wrapper (see psql() in database.mjs).
  const { status, output } = await stream('pg_prove', ['-d', dbUrl, '--psql-bin', join(postgresBin, 'psql'), '--ext', '.sql', ...(jobs > 1 ? ['-j', String(jobs)] : []), ...targets], {
    env: { PGPASSWORD: 'postgres' },
    held,
  });
  return { suite: `pgTAP (${label})`, ...countPgProve(status, output) };
}

// deno test ends with "ok | 12 passed | 0 failed" or "FAILED | 10 passed | 2 failed |
// 1 ignored"; a module that does not load ends with an error and no such line.
export function countDeno(status, output) {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  const match = /\|\s*(\d+) passed[^|]*\|\s*(\d+) failed([^\n]*)/.exec(plain);
  const passed = Number(match?.[1] ?? 0);
  let failed = Number(match?.[2] ?? 0);
  const notRun = Number(/(\d+) ignored/.exec(match?.[3] ?? '')?.[1] ?? 0);
  if (status !== 0 && failed === 0) failed = 1;
  return { passed, failed, notRun };
}

// files: the test files to run (every function's and the gateway's when absent).
// parallel: test modules run in as many workers as the machine has cores.
export async function runDenoTests(env, files = ['supabase/functions/', 'scripts/gateway_test.ts'], { parallel = false, held = null } = {}) {
  const deno = join(repoRoot, 'node_modules', '.bin', 'deno');
  const { status, output } = await stream(deno, ['test', '-A', '--no-prompt', ...(parallel ? ['--parallel'] : []), ...files], { env, held });
  return { suite: 'Deno tests', ...countDeno(status, output) };
}

// From vitest's JSON report: a file that fails to load (or whose hooks fail) is failed
// with no failed test of its own, and counts as one failure; tests that were skipped
// (a failed beforeAll skips its suite) or are todo never ran. No report at all means
// vitest itself failed.
export function countVitest(status, report) {
  if (!report) return { passed: 0, failed: 1, notRun: 0 };
  let passed = 0;
  let failed = 0;
  let notRun = 0;
  for (const file of report.testResults ?? []) {
    const statuses = (file.assertionResults ?? []).map((a) => a.status);
    passed += statuses.filter((s) => s === 'passed').length;
    const failedHere = statuses.filter((s) => s === 'failed').length;
    failed += failedHere;
    notRun += statuses.filter((s) => s !== 'passed' && s !== 'failed').length;
    if (file.status === 'failed' && failedHere === 0) failed += 1;
  }
  if (status !== 0 && failed + notRun === 0) failed = 1;
  return { passed, failed, notRun };
}

export async function runVitest(env, { args = [], cwd = repoRoot, quiet = false, held = null, suite = 'vitest' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'vitest-'));
  const reportFile = join(dir, 'report.json');
  const vitest = join(repoRoot, 'node_modules', '.bin', 'vitest');
  const { status } = await stream(vitest, ['run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`], { env, cwd, quiet, held });
  const report = existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')) : null;
  rmSync(dir, { recursive: true, force: true });
  return { suite, ...countVitest(status, report) };
}

// A check that is a single command: passes when it exits 0.
export async function runCheck(suite, command, args, options = {}) {
  const { status } = await stream(command, args, options);
  return { suite, passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1 };
}
