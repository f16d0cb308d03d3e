// The live app's client module (clients/live-app/src/fair-use.ts) for the benchmark, which
// runs under plain Node and cannot import TypeScript: bundled with esbuild (as
// clients/live-app/scripts/build.mjs bundles it for the extension) once per process, and
// imported from memory. The capacity part's users then retry exactly as the app's client
// does, with no copy of its rules here.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../clients/live-app/src/fair-use.ts', import.meta.url));
let loaded;

/** The module's exports: fairUseFetch, retriesAfter429, userShare. */
export function liveAppFairUse() {
  loaded ??= build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'neutral', write: false, logLevel: 'silent' })
    .then(({ outputFiles: [bundle] }) => import(`data:text/javascript;base64,${Buffer.from(bundle.text).toString('base64')}`));
  return loaded;
}
