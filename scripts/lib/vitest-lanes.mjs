// Which vitest files may run beside each other against the one test stack npm test builds.
// - alone: the resilience suites stop the stack's Postgres, measure its latency under
//   load, fuzz every RPC and function, or change settings every user shares (retention,
//   admission): nothing else runs while they do, one file at a time. Those named in
//   resilienceSharingNothing race only their own users' rows and assert what the races
//   left, never how long they took: they join the other lanes by the rules below. The two
//   fuzzers (resilienceSideBySide) run beside each other, after the lanes and before the
//   files that must be alone; the two that mostly wait (resilienceBesidePdf) run last, one
//   at a time, beside the Deno tests that draw PDFs.
// - one at a time, in two lanes that run beside each other (and beside the parallel lane),
//   each one file at a time, for the two kinds of thing files share:
//   - ports: files that listen on the fixed ports of the scripted model server or the
//     platform double, and the tooling tests (they start services, hold ports, write the
//     stacks' port files and run the docs' examples) but those named in toolingSharingNothing;
//   - rows: files that make and clear "worlds" (support/world.ts deletes every world user
//     and template when a file ends), or read or write the template list every user shares
//     (a template a test adds and deletes would come and go under another file's feet).
//   A file that shares both (oneAtATime) runs before the two lanes, one file at a time.
// - parallel: every other file makes its own users and data; two at a time.
// In each lane the files that build whole databases come first, then the rest largest
// first: a lane of two workers ends when its last file does, so one slow file started
// last keeps the other worker idle. vitest.config.ts runs files in this order (vitest's
// own order is the last run's durations, from a cache the lanes running side by side
// overwrite, or on a fresh clone the file size, which put the small file that upgrades
// seven databases near the end).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './profiles.mjs';

const roots = ['tests', join('clients', 'live-app', 'tests')];
const aloneDir = join('tests', 'resilience');
const oneAtATimeDir = join('tests', 'tooling');
// Tooling tests that only read the stack, or build scratch databases and services of
// their own on free ports.
const toolingSharingNothing = ['declared-schema', 'docs', 'paired', 'postgrest-versions', 'rls-loosened', 'summary', 'taking-turns', 'types', 'types-once']
  .map((name) => join(oneAtATimeDir, `${name}.test.ts`));
const resilienceSharingNothing = ['tracker-concurrency', 'wizard-concurrency'].map((name) => join(aloneDir, `${name}.test.ts`));
// The two fuzzers send one request at a time and wait for each answer (about one core of
// the two between them), and share nothing with each other: fuzz-functions calls
// /functions/v1 as its own users (no fair-use share, no REST pacing) and alone of the two
// holds the scripted model server's port; fuzz-rpc calls /rest/v1 as its own user and as
// anon, one request in flight (the anonymous shares are 2 per address, 3 for all), and
// checks only its two users' rows. Neither times anything, stops Postgres or changes a
// setting every user shares, so they run side by side, before the files that must be alone.
const resilienceSideBySide = ['fuzz-functions', 'fuzz-rpc'].map((name) => join(aloneDir, `${name}.test.ts`));
// These two wait most of their time (on the scripted model's hangs and slow answers, on
// statement and lock timeouts: about half a core) and bound times only seconds wide: they
// run last, one at a time, beside the Deno tests that draw PDFs (which need no stack, and
// hold each draw to a bound of the renderer's own CPU time), never beside another vitest file.
const resilienceBesidePdf = ['model-faults', 'caller-timeouts'].map((name) => join(aloneDir, `${name}.test.ts`));
// What in a file's text ties it to a shared port, or to the shared worlds and templates.
const sharedPorts = /support\/(model-server|platform-double-server)(\.ts)?['"]|startModelServer/;
const sharedRows = /support\/world(\.ts)?['"]|removeWorlds|public\.templates\b|from\('templates'\)/;

// What in a file's text says it builds whole databases (a scratch database migrated, the
// upgrade's v2.0 databases, the drift gate's declared one): the slowest files.
const buildsDatabases = /createScratchDatabase|useLiveDatabases|pushMigrationsTo|driftReport/;

function testFiles(dir) {
  const out = [];
  for (const entry of readdirSync(join(repoRoot, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...testFiles(path));
    else if (entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

// Files that build databases first, then by size, largest first; ties by name.
function slowestFirst(files, texts) {
  const cost = new Map(files.map((file) => [file, [buildsDatabases.test(texts.get(file)) ? 1 : 0, statSync(join(repoRoot, file)).size]]));
  return files.sort((a, b) => cost.get(b)[0] - cost.get(a)[0] || cost.get(b)[1] - cost.get(a)[1] || (a < b ? -1 : 1));
}

export function vitestLanes() {
  const files = roots.flatMap((dir) => testFiles(dir)).sort();
  const texts = new Map(files.map((file) => [file, readFileSync(join(repoRoot, file), 'utf8')]));
  const lanes = { parallel: [], oneAtATime: [], ports: [], rows: [], resilienceSideBySide: [], alone: [], besidePdf: [] };
  for (const file of files) {
    const text = texts.get(file);
    const ports = (file.startsWith(oneAtATimeDir + '/') && !toolingSharingNothing.includes(file)) || sharedPorts.test(text);
    const rows = sharedRows.test(text);
    if (resilienceSideBySide.includes(file)) lanes.resilienceSideBySide.push(file);
    else if (resilienceBesidePdf.includes(file)) lanes.besidePdf.push(file);
    else if (file.startsWith(aloneDir + '/') && !resilienceSharingNothing.includes(file)) lanes.alone.push(file);
    else if (ports && rows) lanes.oneAtATime.push(file);
    else if (ports) lanes.ports.push(file);
    else if (rows) lanes.rows.push(file);
    else lanes.parallel.push(file);
  }
  for (const lane of Object.values(lanes)) slowestFirst(lane, texts);
  return lanes;
}
