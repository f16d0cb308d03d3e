// The platform baseline's loads into one cluster take turns behind a lock folder
// (scripts/lib/database.mjs). npm test's workers race for it, and CI once died
// reading the pid file of a turn that had just ended (ENOENT): these pin that a
// folder or pid file appearing or vanishing under the reader is never a crash.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockAbandoned } from '../../scripts/lib/database.mjs';
import { repoRoot } from '../../scripts/lib/profiles.mjs';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function lockIn() {
  dir = mkdtempSync(join(tmpdir(), 'turns-'));
  return { lock: join(dir, 'baseline.lock'), owner: join(dir, 'baseline.lock', 'pid') };
}

describe('the baseline lock', () => {
  it('is not abandoned while its holder lives, and is once the holder is gone', () => {
    const { lock, owner } = lockIn();
    mkdirSync(lock);
    writeFileSync(owner, String(process.pid));
    expect(lockAbandoned(lock, owner)).toBe(false);
    writeFileSync(owner, '2147483646');
    expect(lockAbandoned(lock, owner)).toBe(true);
  });

  it('is another turn starting or ending, not a crash, when its folder or pid file is not there', () => {
    const { lock, owner } = lockIn();
    expect(lockAbandoned(lock, owner)).toBe(false);
    mkdirSync(lock);
    expect(lockAbandoned(lock, owner)).toBe(false);
  });

  it('is abandoned when its folder has had no pid for ten seconds (its maker died between mkdir and write)', () => {
    const { lock, owner } = lockIn();
    mkdirSync(lock);
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(lock, longAgo, longAgo);
    expect(lockAbandoned(lock, owner)).toBe(true);
  });

  it('gives four processes taking 100 turns each one turn at a time, none crashing', async () => {
    lockIn();
    const log = join(dir, 'turns.log');
    // Each turn writes "in" and "out" around a short piece of work; an overlap shows as two "in"s in a row.
    const worker = `
      import { appendFileSync } from 'node:fs';
      import { takingTurns } from ${JSON.stringify(join(repoRoot, 'scripts', 'lib', 'database.mjs'))};
      for (let i = 0; i < 100; i++) takingTurns({ dir: ${JSON.stringify(dir)} }, () => {
        appendFileSync(${JSON.stringify(log)}, 'in\\n');
        const until = Date.now() + 1; while (Date.now() < until);
        appendFileSync(${JSON.stringify(log)}, 'out\\n');
      });`;
    const exits = await Promise.all([1, 2, 3, 4].map(() => new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', worker], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk) => { stderr += chunk; });
      child.on('exit', (code) => resolve({ code, stderr }));
    })));
    for (const exit of exits) expect(exit.code, exit.stderr).toBe(0);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(800);
    lines.forEach((line, i) => expect(line).toBe(i % 2 === 0 ? 'in' : 'out'));
  }, 120_000);
});
