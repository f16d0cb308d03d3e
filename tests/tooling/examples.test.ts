// Every shell and JS example of README.md and docs/ runs, in document order, against the
// test stack (whose ports are not the defaults: the examples find the stack through
// `npm run -s status`, as a reader in a second shell does). How a document becomes one
// program: tests/support/doc-examples.ts. The AI actions answer from the scripted model
// server with the local demo model's canned answers (what `npm start` gives a newcomer
// without a key). The seeded demo is left as it was: its share page still opens and its
// jobs are the four the seed made.
import { spawn, spawnSync } from 'node:child_process';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAnswer } from '../../scripts/lib/demo-model.mjs';
import { repoRoot } from '../../scripts/lib/profiles.mjs';
import { demoUser } from '../../scripts/lib/users.mjs';
import { blocksOf, documents, namedErrorStatuses, programOf, workDirFor, writeProgram } from '../support/doc-examples';
import { respond, startModelServer, type ModelServer } from '../support/model-server';
import { startPlatformDouble } from '../support/platform-double-server';
import { stack } from '../support/stack';

const sql = postgres(stack.adminUrl, { max: 1, onnotice: () => {} });
let model: ModelServer;
// The Storage and Auth APIs account deletion calls, as under `supabase start` (the test
// stack's functions reach this recording double; the Docker-free dev stack has neither).
let platform: Awaited<ReturnType<typeof startPlatformDouble>>;
beforeAll(async () => {
  model = await startModelServer();
  model.setDefault(respond((body) => demoAnswer(body)));
  platform = await startPlatformDouble(sql);
  // GoTrue knows every auth.users row; the double knows only the users it is told of, and
  // the documents make theirs with `npm run token`: here every user is one it knows.
  platform.double.users.has = () => true;
});
afterAll(async () => {
  await model?.stop();
  await platform?.stop();
  await sql.end();
});

// What the seed gave the demo user, as the documents must leave it.
async function demoState() {
  const jobs = await sql`select id, company, status, updated_at from public.jobs where user_id = ${demoUser.id} order by id`;
  const resumes = await sql`select id, share_token, share_expires_at, current_version, updated_at from public.generated_resumes where user_id = ${demoUser.id} order by id`;
  const [counts] = await sql`select (select count(*)::int from public.wizard_sessions where user_id = ${demoUser.id}) as wizard_sessions,
                                    (select count(*)::int from public.cover_letters where user_id = ${demoUser.id}) as cover_letters,
                                    (select count(*)::int from public.user_skills where user_id = ${demoUser.id}) as skills,
                                    (select count(*)::int from auth.users where id = ${demoUser.id}) as account`;
  return { jobs: [...jobs], resumes: [...resumes], counts };
}
let demoBefore: Awaited<ReturnType<typeof demoState>> | undefined;

const env = { ...process.env, JOBSTALKER_STACK: stack.name, NODE_OPTIONS: '' };

// A document's program, run without blocking this process: the scripted model server and
// the Storage/Auth double the examples reach answer from this process's event loop.
function runProgram(file: string, cwd: string, timeoutMs: number): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (status) => { clearTimeout(timer); resolve({ status, stderr }); });
  });
}

describe('the runner', () => {
  it('reads blocks, their markers and the error statuses a block names', () => {
    const text = ['```sh', 'echo one', '```', '<!-- not run: needs Docker -->', '', '```bash', 'docker ps', '```',
      '<!-- not run -->', '```ts', 'x()', '```', '```sql', 'select 1;', '```'].join('\n');
    const { blocks, unexplained } = blocksOf('x.md', text);
    expect(blocks.map((b) => [b.line, b.lang, b.notRun])).toEqual([[1, 'sh', null], [6, 'sh', 'needs Docker'], [10, 'js', '']]);
    expect(unexplained).toEqual([{ file: 'x.md', line: 10, reason: '' }]);
    expect(namedErrorStatuses('# → 401, then 422 (not 200)')).toEqual([401, 422]);
  });

  it('fails a document whose block fails, whose curl gets an error it does not name, or whose JS gets one', () => {
    const cases = [
      ['```sh', 'false', '```'],
      ['```sh', `curl -s ${stack.restUrl}/jobs`, '```'],
      ['```js', `await fetch('${stack.restUrl}/jobs');`, '```'],
      ['```sh', 'X=1', '```', '```sh', 'echo "$Y"', '```'],
    ];
    for (const lines of cases) {
      const { blocks } = blocksOf('docs/case.md', lines.join('\n'));
      const dir = workDirFor(stack.dir, `case-${cases.indexOf(lines)}`);
      const run = spawnSync(process.execPath, [writeProgram(dir, blocks)], { cwd: dir, env, encoding: 'utf8' });
      expect(run.status, lines.join('\n')).not.toBe(0);
    }
    // Named: the 401 is the example's point; variables carry over, shell to JS as exported.
    const named = ['```sh', `curl -s ${stack.restUrl}/jobs  # 401`, 'export X=1', 'declare -a H=(-s -o /dev/null)', '```',
      '```sh', `test "$X" = 1 && curl "\${H[@]}" ${stack.apiUrl}/functions/v1/health/none-such || true`, '```',
      '```js', 'const n = Number(process.env.X);', '```', '```js', 'if (n !== 1) throw new Error("no carry-over");', '```'];
    const { blocks } = blocksOf('docs/named.md', named.join('\n'));
    const dir = workDirFor(stack.dir, 'named');
    expect(programOf(blocks, dir)).toContain('var n = ');
    const run = spawnSync(process.execPath, [writeProgram(dir, blocks)], { cwd: dir, env, encoding: 'utf8' });
    expect(run.stderr).not.toMatch(/failed|Error/);
    expect(run.status).toBe(0);
  });
});

describe('the documents’ examples', () => {
  const all = documents().map((file) => ({ file, ...blocksOf(file) }));
  // DOC_EXAMPLES=docs/ai.md (comma-separated) runs only those documents, while editing them.
  const only = process.env.DOC_EXAMPLES?.split(',');

  it('mark a block as not run only with a reason', () => {
    expect(all.flatMap((d) => d.unexplained)).toEqual([]);
  });

  it('run as written, each document in order, as a reader in a second shell would', async () => {
    demoBefore = await demoState();
    const failures: string[] = [];
    for (const doc of all) {
      if (!doc.blocks.some((b) => b.notRun === null) || (only && !only.includes(doc.file))) continue;
      const dir = workDirFor(stack.dir, doc.file);
      const started = Date.now();
      const run = await runProgram(writeProgram(dir, doc.blocks), dir, 90_000);
      console.log(`${doc.file}: ${Date.now() - started} ms`);
      if (run.status !== 0) failures.push(`${doc.file} (exit ${run.status}):\n${run.stderr.slice(-3000)}`);
    }
    expect(failures.join('\n\n')).toBe('');
    // docs/account.md deleted the users it made for the purpose (where the Storage and Auth
    // APIs answer: the test stack's double; the Docker-free dev stack answers 501).
    if (stack.name === 'test' && (!only || only.includes('docs/account.md'))) {
      const left = await sql`select email from auth.users where email in ('leaving@example.com', 'leaving-by-curl@example.com')`;
      expect(left).toEqual([]);
    }
  }, 240_000);

  it('leave the seeded demo as it was: its rows unchanged, its share page open', async () => {
    expect(demoBefore, 'the demo was read before the documents ran').toBeDefined();
    expect(await demoState()).toEqual(demoBefore);
    expect(demoBefore!.jobs.map((j) => j.company).sort()).toEqual(['Acme Cloud', 'Greenfield Energy', 'Oldcorp', 'Paperplane']);
    const status = spawnSync('npm', ['run', '-s', 'status'], { cwd: repoRoot, env, encoding: 'utf8' });
    const page = /Demo share page: (\S+)/.exec(status.stdout)?.[1];
    expect(page).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/functions\/v1\/share\//);
    expect((await fetch(page!)).status).toBe(200);
  });
});
