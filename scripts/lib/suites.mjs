// Running each test suite and reading its pass/fail counts from the runner's output.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './profiles.mjs';

// Streams a command's output to ours while keeping a copy to parse.
export function stream(command, args, { env = {}, cwd = repoRoot } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const forward = (target) => (chunk) => {
      output += chunk;
      target.write(chunk);
    };
    child.stdout.on('data', forward(process.stdout));
    child.stderr.on('data', forward(process.stderr));
    child.on('close', (status) => resolve({ status, output }));
    child.on('error', (error) => resolve({ status: -1, output: String(error) }));
  });
}

// pg_prove ends with "Files=F, Tests=T, ..." and lists "Failed N/M subtests" per failing file.
export async function runPgProve(dbUrl, label) {
  const { status, output } = await stream('pg_prove', ['-d', dbUrl, '--ext', '.sql', '-r', join('supabase', 'tests')], {
    env: { PGPASSWORD: 'postgres' },
  });
  const total = Number(/Files=\d+, Tests=(\d+)/.exec(output)?.[1] ?? 0);
  const failedSubtests = [...output.matchAll(/Failed (\d+)\/\d+ subtests/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  // A file that dies before its plan completes counts as at least one failure.
  const failed = status === 0 ? 0 : Math.max(failedSubtests, 1);
  return { suite: `pgTAP (${label})`, passed: Math.max(total - failedSubtests, 0), failed };
}

// deno test (functions and the gateway) ends with "ok | 12 passed | 0 failed" (or "FAILED | ...").
export async function runDenoTests(env) {
  const deno = join(repoRoot, 'node_modules', '.bin', 'deno');
  const { status, output } = await stream(deno, ['test', '-A', '--no-prompt', 'supabase/functions/', 'scripts/gateway_test.ts'], { env });
  const match = /\|\s*(\d+) passed[^|]*\|\s*(\d+) failed/.exec(output.replace(/\x1b\[[0-9;]*m/g, ''));
  const passed = Number(match?.[1] ?? 0);
  const failed = Number(match?.[2] ?? 0);
  return { suite: 'Deno tests', passed, failed: status === 0 ? failed : Math.max(failed, 1) };
}

export async function runVitest(env) {
  const dir = mkdtempSync(join(tmpdir(), 'vitest-'));
  const report = join(dir, 'report.json');
  const vitest = join(repoRoot, 'node_modules', '.bin', 'vitest');
  const { status } = await stream(vitest, ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], { env });
  let passed = 0;
  let failed = 0;
  if (existsSync(report)) {
    const result = JSON.parse(readFileSync(report, 'utf8'));
    passed = result.numPassedTests;
    failed = result.numFailedTests + (result.numRuntimeErrorTestSuites ?? 0);
  }
  rmSync(dir, { recursive: true, force: true });
  return { suite: 'vitest', passed, failed: status === 0 ? failed : Math.max(failed, 1) };
}

// A check that is a single command: passes when it exits 0.
export async function runCheck(suite, command, args, options) {
  const { status } = await stream(command, args, options);
  return { suite, passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1 };
}
