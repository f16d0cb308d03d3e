// `npm stop` stops every PostgREST its stack started: its own, and the tagged ones the
// benchmark serves its data sets with, which `npm run bench -- --keep` leaves running
// (they used to outlive `JOBSTALKER_STACK=bench npm stop`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { stopEveryPostgrest } from '../../scripts/lib/postgrest-process.mjs';
import { pidAlive, writePidFile } from '../../scripts/lib/processes.mjs';

let dir: string;
const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  rmSync(dir, { recursive: true, force: true });
});

// A stand-in process in a session of its own and not this process's child, as PostgREST
// is once the `npm start` that started it has exited (a child of ours would linger as a
// zombie until this process reaps it).
function detachedSleeper(): number {
  const pid = Number(spawnSync('sh', ['-c', 'setsid sleep 60 > /dev/null 2>&1 & echo $!'], { encoding: 'utf8' }).stdout.trim());
  started.push(pid);
  return pid;
}

function profileIn(folder: string) {
  return { dir: folder, postgrestPidFile: join(folder, 'postgrest.pid'), restPort: 1 };
}

it('stops the stack’s own PostgREST and every tagged one, and removes their pid files', () => {
  dir = mkdtempSync(join(tmpdir(), 'stop-every-postgrest-'));
  const profile = profileIn(dir);
  const own = detachedSleeper();
  const kept = [detachedSleeper(), detachedSleeper()];
  writePidFile(profile.postgrestPidFile, own, 54346);
  writePidFile(join(dir, 'postgrest-quick.pid'), kept[0], 54347);
  writePidFile(join(dir, 'postgrest-tenth.pid'), kept[1], 54348);

  expect(stopEveryPostgrest(profile)).toBe(true);
  for (const pid of [own, ...kept]) expect(pidAlive(pid)).toBe(false);
  for (const file of ['postgrest.pid', 'postgrest-quick.pid', 'postgrest-tenth.pid']) expect(existsSync(join(dir, file))).toBe(false);
});

it('says nothing was running when no PostgREST of the stack is alive', () => {
  dir = mkdtempSync(join(tmpdir(), 'stop-every-postgrest-'));
  expect(stopEveryPostgrest(profileIn(dir))).toBe(false);
  expect(stopEveryPostgrest(profileIn(join(dir, 'never-made')))).toBe(false);
});
