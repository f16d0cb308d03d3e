// npm test's closing summary is honest: a suite that fails to load, a setup that fails
// and a test that never ran are counted as failed or never-run, never as passed. The
// counts are read from each runner's output: pg_prove's and deno's in the format real
// runs print (the first pg_prove text is a real run's), and a real vitest run over a
// few fixture files.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countDeno, countPgProve, runVitest } from '../../scripts/lib/suites.mjs';
import { summarise } from '../../scripts/lib/summary.mjs';

// A file that died at its first assertion (bad plan), beside a file that passed.
const pgProveDiedEarly = `psql:supabase/tests/database/06-platform-baseline.sql:18: ERROR:  could not determine which collation to use for string comparison
supabase/tests/database/06-platform-baseline.sql .. 
Dubious, test returned 3 (wstat 768, 0x300)
Failed 26/26 subtests 
supabase/tests/database/20-wizard.sql ............. ok

Test Summary Report
-------------------
supabase/tests/database/06-platform-baseline.sql (Wstat: 768 (exited 3) Tests: 0 Failed: 0)
  Non-zero exit status: 3
  Parse errors: Bad plan.  You planned 26 tests but ran 0.
Files=2, Tests=71,  0 wallclock secs ( 0.02 usr  0.01 sys +  0.05 cusr  0.02 csys =  0.10 CPU)
Result: FAIL
`;

// Two assertions failed in one file; another stopped after its first test.
const pgProveFailures = `supabase/tests/database/11-schema-security.sql ...... 1/22 
# Failed test 21: "A table created later in public is granted to no API role until its migration grants it."
# Failed test 22: "A function created later in public is executable by no API role (nor PUBLIC) until granted."
# Looks like you failed 2 tests of 22
supabase/tests/database/11-schema-security.sql ...... Failed 2/22 subtests 
supabase/tests/database/12-storage.sql .............. Dubious, test returned 3 (wstat 768, 0x300)
Failed 25/26 subtests 

Test Summary Report
-------------------
supabase/tests/database/11-schema-security.sql (Wstat: 0 Tests: 22 Failed: 2)
  Failed tests:  21-22
supabase/tests/database/12-storage.sql (Wstat: 768 (exited 3) Tests: 1 Failed: 0)
  Non-zero exit status: 3
  Parse errors: Bad plan.  You planned 26 tests but ran 1.
Files=2, Tests=23,  1 wallclock secs ( 0.02 usr  0.01 sys +  0.01 cusr  0.02 csys =  0.06 CPU)
Result: FAIL
`;

describe('pgTAP counts', () => {
  it('count the planned tests of a file that died as never run, not as passed', () => {
    expect(countPgProve(1, pgProveDiedEarly)).toEqual({ passed: 71, failed: 0, notRun: 26 });
  });

  it('count failed assertions and the rest of a stopped file', () => {
    expect(countPgProve(1, pgProveFailures)).toEqual({ passed: 21, failed: 2, notRun: 25 });
  });

  it('count a clean run as all passed', () => {
    const clean = 'supabase/tests/database/01-schema-tables.sql ........ ok\nAll tests successful.\nFiles=15, Tests=1049,  2 wallclock secs\nResult: PASS\n';
    expect(countPgProve(0, clean)).toEqual({ passed: 1049, failed: 0, notRun: 0 });
  });
});

describe('Deno test counts', () => {
  it('read passed, failed and ignored from the closing line', () => {
    expect(countDeno(0, '\x1b[32mok\x1b[0m | 135 passed | 0 failed (12s)\n')).toEqual({ passed: 135, failed: 0, notRun: 0 });
    expect(countDeno(1, 'FAILED | 10 passed | 2 failed | 1 ignored (3s)\n')).toEqual({ passed: 10, failed: 2, notRun: 1 });
  });

  it('count a module that does not load as a failure', () => {
    expect(countDeno(1, 'error: Module not found "file:///x/handler.ts".\n')).toEqual({ passed: 0, failed: 1, notRun: 0 });
  });
});

describe('vitest counts, from a real run', () => {
  it('count a file that fails to load as failed and tests skipped by a failed setup as never run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'summary-fixtures-'));
    try {
      writeFileSync(join(dir, 'vitest.config.mjs'), "export default { test: { include: ['*.test.js'], globals: true } };\n");
      writeFileSync(join(dir, 'good.test.js'), "it('adds', () => expect(1 + 1).toBe(2));\nit('subtracts', () => expect(2 - 1).toBe(1));\n");
      writeFileSync(join(dir, 'broken.test.js'), "import './does-not-exist.js';\nit('never loads', () => {});\n");
      writeFileSync(
        join(dir, 'setup.test.js'),
        "describe('a suite whose setup fails', () => {\n  beforeAll(() => { throw new Error('no stack'); });\n" +
          "  it('a', () => {}); it('b', () => {}); it('c', () => {});\n});\n",
      );
      const result = await runVitest({}, { args: ['--root', dir, '--config', join(dir, 'vitest.config.mjs')], cwd: dir, quiet: true });
      // broken.test.js failed to load; setup.test.js failed in beforeAll and skipped its three tests.
      expect(result).toEqual({ suite: 'vitest', passed: 2, failed: 2, notRun: 3 });
      const { lines, failed } = summarise([result]);
      expect(lines).toEqual([
        '  ✗ vitest: 2 passed, 2 failed, 3 never ran',
        '3 test(s) never ran and count as failed.',
        '2 passed, 5 failed',
      ]);
      expect(failed).toBe(5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
