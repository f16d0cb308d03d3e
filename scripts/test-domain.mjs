// npm run test:domain -- <domain> [vitest files...] — the inner loop: one domain's pgTAP files
// and the Deno tests of its function modules, against the stack `npm start` runs (no stack is
// built or torn down). The domains, and which files belong to each, are the README's domain
// table: the table is the one list, so a new pgTAP file is run here once the table names it.
// Extra arguments are vitest files, run against the same stack (JOBSTALKER_STACK=dev).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StackError, runMain, step } from './lib/console.mjs';
import { portInUse } from './lib/cluster.mjs';
import { repoRoot, stackProfile } from './lib/profiles.mjs';
import { runDenoTests, runPgProve, runVitest } from './lib/suites.mjs';
import { stageLine, summarise } from './lib/summary.mjs';

// The rows of the README's domain table: the domain's first word, its pgTAP files and its
// function modules (files, or folders ending in /).
export function domainTable(readme) {
  const table = readme.slice(readme.indexOf('| domain |'), readme.indexOf('### Changing the schema'));
  return table.split('\n').filter((line) => line.startsWith('|')).slice(2).map((row) => {
    const cells = row.split(' | ');
    const ticks = (cell) => [...(cell ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    const name = cells[0].replace(/^\|\s*/, '').split(/[:,\s]/)[0];
    const pgtap = ticks(cells[2]).filter((f) => f.endsWith('.sql'));
    // "`50-tracker-salary.sql` … `58-…`" names a range: every file between the two numbers.
    if (cells[2]?.includes('…') && pgtap.length === 2) {
      const [from, to] = pgtap.map((f) => Number(f.split('-')[0]));
      const all = readdirSync(join(repoRoot, 'supabase', 'tests', 'database'));
      pgtap.splice(0, 2, ...all.filter((f) => Number(f.split('-')[0]) >= from && Number(f.split('-')[0]) <= to).sort());
    }
    return { name, pgtap, modules: ticks(cells[3]) };
  });
}

// The Deno test files of a domain's modules: `x.ts` → `x_test.ts`, a folder → its *_test.ts.
function denoTestsOf(modules) {
  const tests = new Set();
  for (const module of modules) {
    const path = join('supabase', 'functions', module);
    if (!existsSync(join(repoRoot, path))) continue;
    if (statSync(join(repoRoot, path)).isDirectory()) {
      for (const f of readdirSync(join(repoRoot, path), { recursive: true }).map(String)) if (f.endsWith('_test.ts')) tests.add(join(path, f));
    } else if (existsSync(join(repoRoot, path.replace(/\.ts$/, '_test.ts')))) {
      tests.add(path.replace(/\.ts$/, '_test.ts'));
    }
  }
  return [...tests].sort();
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  await runMain(async () => {
    const [wanted, ...vitestFiles] = process.argv.slice(2);
    const domains = domainTable(readFileSync(join(repoRoot, 'README.md'), 'utf8'));
    const domain = domains.find((d) => d.name === wanted);
    if (!domain) {
      throw new StackError(`Name a domain of the README's table: npm run test:domain -- <${domains.map((d) => d.name).join('|')}> [tests/…test.ts]`);
    }
    const dev = stackProfile('dev');
    if (!(await portInUse(dev.dbPort))) throw new StackError(`No stack answers on port ${dev.dbPort}: run \`npm start\` first.`);
    const started = Date.now();
    const stages = [];
    const timed = async (stage, work) => {
      const at = Date.now();
      try {
        return await work();
      } finally {
        stages.push({ stage, seconds: (Date.now() - at) / 1000 });
      }
    };
    const results = [];
    // The Deno tests need no database: they run beside the pgTAP files, which run two at
    // a time once the first file has put the helpers in place.
    const deno = denoTestsOf(domain.modules);
    step(`pgTAP of ${domain.name}: ${domain.pgtap.join(', ')}`);
    if (deno.length) step(`Deno tests of ${domain.name}'s modules, beside it: ${deno.join(', ')}`);
    const denoRun = deno.length ? timed('Deno tests', () => runDenoTests({}, deno, { held: 'Deno tests' })) : null;
    const helpers = await runPgProve(dev.dbUrl, domain.name, ['00-test-helpers.sql']);
    const files = await timed('pgTAP', () => runPgProve(dev.dbUrl, domain.name, domain.pgtap, { jobs: 2 }));
    results.push({ suite: files.suite, passed: helpers.passed + files.passed, failed: helpers.failed + files.failed, notRun: helpers.notRun + files.notRun });
    if (denoRun) results.push(await denoRun);
    if (vitestFiles.length) {
      step(`vitest against the running stack: ${vitestFiles.join(', ')}`);
      results.push(await timed('vitest', () => runVitest({ JOBSTALKER_STACK: 'dev' }, { args: vitestFiles })));
    }
    const { lines, failed } = summarise(results);
    console.log(['', stageLine(stages, (Date.now() - started) / 1000), ...lines].join('\n'));
    process.exitCode = failed ? 1 : 0;
  });
}
