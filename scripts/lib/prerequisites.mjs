// What the local stack needs from the machine, and installing it when we may.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { StackError, done, step } from './console.mjs';
import { isRoot, run } from './processes.mjs';
import { repoRoot } from './profiles.mjs';

export const postgresBin = '/usr/lib/postgresql/15/bin';
const extensionDir = '/usr/share/postgresql/15/extension';

// Debian package → a file that proves it is installed.
const debianPackages = [
  ['postgresql-15', join(postgresBin, 'postgres')],
  ['postgresql-15-pgtap', join(extensionDir, 'pgtap.control')],
  ['postgresql-15-plpgsql-check', join(extensionDir, 'plpgsql_check.control')],
  ['postgresql-15-cron', join(extensionDir, 'pg_cron.control')],
  ['libtap-parser-sourcehandler-pgtap-perl', '/usr/bin/pg_prove'],
  // The resume tests read rendered PDFs back (pdftotext, pdfinfo, pdftoppm) and open the
  // share page in headless Chromium (driven by playwright-core), with a font it can use.
  ['poppler-utils', '/usr/bin/pdftotext'],
  ['chromium', '/usr/bin/chromium'],
  ['fonts-dejavu-core', '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'],
];

function missingPackages(packages = debianPackages) {
  return packages.filter(([, file]) => !existsSync(file)).map(([name]) => name);
}

export function ensureNodeModules() {
  const needed = ['supabase', 'deno', 'vitest'].map((bin) => join(repoRoot, 'node_modules', '.bin', bin));
  if (needed.every((file) => existsSync(file))) return;
  step('Installing npm dependencies (npm ci)');
  const result = run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: repoRoot, stdio: 'inherit' });
  if (!result.ok) throw new StackError('npm ci failed; check the network access to the npm registry and run `npm ci` by hand to see why.');
}

// `packages` and `root` are parameters so a test can stage a machine without them.
export function ensureSystemPackages({ packages = debianPackages, root = isRoot() } = {}) {
  const missing = missingPackages(packages);
  if (missing.length === 0) return;
  if (!root) {
    throw new StackError(
      `Postgres 15, its test tools or the document tools are missing. Install them with: sudo apt-get install -y ${missing.join(' ')}` +
        ' (Debian/Ubuntu; add the PostgreSQL apt repository on Ubuntu releases without postgresql-15), then run npm start again.',
    );
  }
  step(`Installing Debian packages: ${missing.join(', ')}`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const update = run('apt-get', ['update', '-qq'], { env });
  if (!update.ok) throw new StackError('apt-get update failed; is the Debian package mirror reachable?', update.stderr);
  const install = run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
  if (!install.ok) throw new StackError(`apt-get could not install ${missing.join(' ')}.`, install.stderr);
  // The Debian package starts its own cluster on 5432; we do not use it.
  run('sh', ['-c', 'command -v pg_ctlcluster >/dev/null && pg_ctlcluster 15 main stop || true']);
  const still = missingPackages(packages);
  if (still.length) throw new StackError(`These packages are still missing after apt-get: ${still.join(' ')}.`);
  done('installed');
}
