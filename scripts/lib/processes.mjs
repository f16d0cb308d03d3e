// Running external programs: synchronously for short commands, capturing output.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    ...options,
    env: { ...process.env, ...(options.env ?? {}) },
  });
  if (result.error) {
    return { ok: false, status: -1, stdout: '', stderr: String(result.error.message) };
  }
  return { ok: result.status === 0, status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

export function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export function commandExists(name) {
  return run('sh', ['-c', `command -v ${name}`]).ok;
}

// Whether this machine has procfs, where a zombie can be told from a live process.
const procfs = existsSync('/proc/self/stat');

export function pidAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A process that has exited but is not yet reaped (a zombie: its parent, or an init
  // that reaps orphans late, has not waited for it) still answers signal 0, yet holds no
  // port and runs nothing.
  if (!procfs) return true;
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] !== 'Z';
  } catch {
    return false; // gone since the signal
  }
}

// A background service's pid file: "PID PORT", so that a later command can tell the
// port it was started on from the port it is asked for now.
export function readPidFile(file) {
  if (!existsSync(file)) return undefined;
  const [pid, port] = readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
  return pidAlive(pid) ? { pid, port: Number.isInteger(port) ? port : undefined } : undefined;
}

export function writePidFile(file, pid, port) {
  writeFileSync(file, `${pid} ${port}\n`);
}
