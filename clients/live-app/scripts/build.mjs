// The plain ES module build of @jobstalker/live-app (for the Chrome extension and any page
// without a bundler): one file per entry in dist/, no imports left to resolve. The module
// takes the caller's supabase-js client, so supabase-js itself is not bundled.
//   node clients/live-app/scripts/build.mjs      (or: npm run build:live-app)
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist');
mkdirSync(outdir, { recursive: true });

// src/extension.ts (the extension's flows) is built beside the app's module when present.
const entries = { 'live-app': join(root, 'src', 'index.ts') };
if (existsSync(join(root, 'src', 'extension.ts'))) entries.extension = join(root, 'src', 'extension.ts');

const result = await build({
  entryPoints: entries,
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  external: ['@supabase/supabase-js'],
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
});
for (const [file, { bytes }] of Object.entries(result.metafile.outputs)) {
  if (file.endsWith('.js')) console.log(`${file} ${bytes} bytes`);
}
