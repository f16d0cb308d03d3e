// Plans of the statements PostgREST itself sends, captured with auto_explain: for the
// duration of the capture the role PostgREST logs in as (authenticator) loads
// auto_explain in the data set's database (ALTER ROLE ... IN DATABASE ... SET, so
// the timed PostgREST, started earlier, is untouched), a PostgREST of its own serves
// each request once per side, and the plans are read back from the server log as
// EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON), with the statements run inside functions
// (log_nested_statements), e.g. the share RPC's SECURITY DEFINER body.
import { existsSync, openSync, readSync, statSync, closeSync } from 'node:fs';
import net from 'node:net';
import { startPostgrest, stopPostgrest } from '../scripts/lib/postgrest-process.mjs';
import { bigSeqScans, keyLines, parseAutoExplain, relationSizes, savePlans } from './plans.mjs';
import { performHttp } from './measure.mjs';

const settings = {
  session_preload_libraries: 'auto_explain',
  'auto_explain.log_min_duration': '0',
  'auto_explain.log_analyze': 'on',
  'auto_explain.log_buffers': 'on',
  'auto_explain.log_timing': 'on',
  'auto_explain.log_triggers': 'on',
  'auto_explain.log_nested_statements': 'on',
  'auto_explain.log_format': 'json',
  // The stack logs warnings and up (log_min_messages = warning).
  'auto_explain.log_level': 'warning',
};

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function readFrom(file, offset) {
  const size = statSync(file).size;
  if (size <= offset) return { text: '', size };
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(size - offset);
    readSync(fd, buffer, 0, buffer.length, offset);
    return { text: buffer.toString('utf8'), size };
  } finally {
    closeSync(fd);
  }
}

// Log entries start with the default log_line_prefix's timestamp.
function plansIn(logText) {
  return logText.split(/\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)/)
    .map((entry) => { try { return parseAutoExplain(entry); } catch { return null; } })
    .filter(Boolean)
    // PostgREST's per-request set_config statement is the same on both sides.
    .filter((plan) => !String(plan['Query Text']).includes("set_config('search_path'"))
    // PostgREST's own bookkeeping on a new pool connection.
    .filter((plan) => !/pg_timezone_names/.test(String(plan['Query Text'])));
}

export async function captureHttpPlans({ profile, dataSet, queries, resultsDir, adminQuery }) {
  const role = `alter role authenticator in database ${dataSet.database}`;
  await adminQuery(profile.adminUrl, `load 'auto_explain'`);
  for (const [name, value] of Object.entries(settings)) await adminQuery(profile.adminUrl, `${role} set ${name} = '${value}'`);
  const instance = { database: dataSet.database, port: await freePort(), tag: `plans-${dataSet.name}` };
  const url = `http://127.0.0.1:${instance.port}`;
  const results = {};
  try {
    await startPostgrest(profile, instance);
    const sizes = await relationSizes(dataSet.db.adminUrl);
    const ctx = dataSet.contexts[1 % dataSet.contexts.length];
    for (const q of queries.filter((query) => query.http)) {
      results[q.key] = {};
      for (const side of ['rls', 'bare']) {
        const captured = [];
        for (const request of q.http(ctx, side)) {
          let offset = existsSync(profile.logFile) ? statSync(profile.logFile).size : 0;
          const answer = await performHttp(url, request);
          // The backend writes the plans before it answers; give the log a moment.
          let plans = [];
          for (let i = 0; i < 20 && !plans.length; i++) {
            await new Promise((resolve) => setTimeout(resolve, 50));
            const read = readFrom(profile.logFile, offset);
            plans = plans.concat(plansIn(read.text));
            offset = read.size;
          }
          captured.push({ method: request.method, path: request.path, status: answer.status, plans });
        }
        const plans = captured.flatMap((c) => c.plans);
        const file = savePlans(resultsDir, `${dataSet.name}-http`, q.key, side, captured);
        results[q.key][side] = { file, keyLines: keyLines(plans), seqScans: bigSeqScans(plans, sizes), plans: plans.length };
      }
    }
  } finally {
    stopPostgrest(profile, instance);
    await adminQuery(profile.adminUrl, `${role} reset all`);
  }
  return results;
}
