// Who holds a port, asked the way a person would (`ss -ltnp`), and whether anything
// answers on it. The stack judges "running" by connecting, never by a pid alone: a pid
// says a process exists, not that it serves the port the status block names.
import net from 'node:net';
import { StackError } from './console.mjs';
import { run } from './processes.mjs';

export function portAnswers(port, { host = '127.0.0.1', timeoutMs = 1000 } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (answer) => { socket.destroy(); resolve(answer); };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

// "deno (pid 123)" from ss's users:(("deno",pid=123,fd=20)), or undefined when ss
// shows no process (not installed, or the process belongs to another user).
export function portHolder(port) {
  const result = run('ss', ['-ltnpH', `sport = :${port}`]);
  if (!result.ok) return undefined;
  const holders = [...result.stdout.matchAll(/\("([^"]+)",pid=(\d+)/g)].map((m) => `${m[1]} (pid ${m[2]})`);
  return holders.length ? [...new Set(holders)].join(', ') : undefined;
}

export function portTakenError(port, purpose) {
  const holder = portHolder(port);
  return new StackError(
    `Port ${port} (${purpose}) is taken by ${holder ?? 'another program (ss shows no process; it may belong to another user)'}, ` +
      'so the stack cannot start. Stop that program, or move this stack with JOBSTALKER_DB_PORT / JOBSTALKER_API_PORT / ' +
      `JOBSTALKER_REST_PORT. See it with: ss -ltnp 'sport = :${port}'`,
  );
}
