// Which vitest files may run beside each other against the one test stack npm test builds.
// - alone: the resilience suites stop the stack's Postgres, measure its latency under
//   load, fuzz every RPC and function, or change settings every user shares (retention,
//   admission): nothing else runs while they do, one file at a time. Those named in
//   resilienceSharingNothing race only their own users' rows and assert what the races
//   left, never how long they took: they join the other lanes by the rules below.
// - one at a time: the tooling tests (they start services, write the stacks' port files
//   and run the docs' examples) but those named in toolingSharingNothing, and files that
//   listen on the fixed ports of the scripted model server or the platform double, make
//   and clear "worlds" (support/world.ts deletes every world user when a file ends), or
//   read or write the template list every user shares (a template a test adds and deletes
//   would come and go under another file's feet): one file at a time, beside the parallel lane.
// - parallel: every other file makes its own users and data; two at a time.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './profiles.mjs';

const roots = ['tests', join('clients', 'live-app', 'tests')];
const aloneDir = join('tests', 'resilience');
const oneAtATimeDir = join('tests', 'tooling');
// Tooling tests that only read the stack, or build scratch databases and services of
// their own on free ports.
const toolingSharingNothing = ['declared-schema', 'docs', 'paired', 'postgrest-versions', 'rls-loosened', 'summary', 'taking-turns', 'types']
  .map((name) => join(oneAtATimeDir, `${name}.test.ts`));
const resilienceSharingNothing = ['tracker-concurrency', 'wizard-concurrency'].map((name) => join(aloneDir, `${name}.test.ts`));
// What in a file's text ties it to a shared port or to the shared worlds.
const sharedResources = /support\/(model-server|platform-double-server|world)(\.ts)?['"]|startModelServer|removeWorlds|public\.templates\b|from\('templates'\)/;

function testFiles(dir) {
  const out = [];
  for (const entry of readdirSync(join(repoRoot, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...testFiles(path));
    else if (entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

export function vitestLanes() {
  const files = roots.flatMap((dir) => testFiles(dir)).sort();
  const lanes = { parallel: [], oneAtATime: [], alone: [] };
  for (const file of files) {
    if (file.startsWith(aloneDir + '/') && !resilienceSharingNothing.includes(file)) lanes.alone.push(file);
    else if ((file.startsWith(oneAtATimeDir + '/') && !toolingSharingNothing.includes(file)) || sharedResources.test(readFileSync(join(repoRoot, file), 'utf8'))) lanes.oneAtATime.push(file);
    else lanes.parallel.push(file);
  }
  return lanes;
}
