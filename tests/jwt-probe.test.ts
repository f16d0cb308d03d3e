// scripts/bench/jwt-probe.mjs, the README's account of the HTTP RLS / bare gap, runs
// against a live stack: it must start its second PostgREST (without a JWT cache; the stack's own caches), get the
// same rows for both tokens from both servers, print the three differences, and leave
// no PostgREST of its own behind.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { postgrestBin } from '../scripts/lib/postgrest-process.mjs';

function postgrestProcesses(): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps.stdout.split('\n').filter((line) => line.includes(postgrestBin) && line.includes('jobstalker-jwt-probe-'));
}

describe('jwt-probe', () => {
  it('times one RLS request with a GoTrue-shaped and a minimal token, with and without a JWT cache', () => {
    const run = spawnSync(process.execPath, ['scripts/bench/jwt-probe.mjs', '--runs', '20'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toMatch(/GoTrue's claims over a minimal token, no cache: -?\d+ µs/);
    expect(run.stdout).toMatch(/Validating the access token on each request \(no cache − cache\): -?\d+ µs/);
    expect(run.stdout).toMatch(/GoTrue's claims over a minimal token, with the cache: -?\d+ µs/);
    expect(postgrestProcesses()).toEqual([]);
  }, 90_000);
});
