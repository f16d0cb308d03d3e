// Typed SQL errors: private.error_codes is the one list of the SQLSTATEs our SQL answers
// with. Every RAISE in our functions and triggers (read from pg_proc) must carry an
// explicit errcode from it; the edge functions' mapping must give each code the status
// the table gives it; the README's table must say the same; and one condition answers
// the same status and SQLSTATE through PostgREST and through a function.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/profiles.mjs';
import { sqlErrorStatus } from '../../supabase/functions/_shared/sql-errors.ts';
import { invokeAi } from '../support/ai-client';
import { rpc } from '../support/as-caller';
import { userClient } from '../support/clients';
import { newUser, stack } from '../support/stack';

const admin = postgres(stack.dbUrl, { max: 1, onnotice: () => {} });
afterAll(() => admin.end());

// The RAISE statements of one plpgsql body, with comments skipped and string literals
// (quoted, E'', dollar-quoted) kept whole, so a ';' inside a message does not end one.
export function raiseStatements(source: string): string[] {
  const statements: string[] = [];
  let current: string | null = null;
  let i = 0;
  const emit = (text: string) => {
    if (current !== null) current += text;
  };
  while (i < source.length) {
    const rest = source.slice(i);
    if (rest.startsWith('--')) {
      const end = source.indexOf('\n', i);
      i = end === -1 ? source.length : end;
      continue;
    }
    if (rest.startsWith('/*')) {
      const end = source.indexOf('*/', i + 2);
      i = end === -1 ? source.length : end + 2;
      continue;
    }
    const dollar = /^\$([A-Za-z_]*)\$/.exec(rest);
    if (dollar) {
      const end = source.indexOf(dollar[0], i + dollar[0].length);
      const stop = end === -1 ? source.length : end + dollar[0].length;
      emit(source.slice(i, stop));
      i = stop;
      continue;
    }
    if (source[i] === "'") {
      const escaped = /[eE]$/.test(source.slice(Math.max(0, i - 1), i));
      let j = i + 1;
      while (j < source.length) {
        if (escaped && source[j] === '\\') j += 2;
        else if (source[j] === "'" && source[j + 1] === "'") j += 2;
        else if (source[j] === "'") break;
        else j += 1;
      }
      emit(source.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    if (current === null && /^raise\b/i.test(rest) && !/[A-Za-z0-9_.]$/.test(source.slice(0, i))) {
      current = '';
    }
    if (current !== null && source[i] === ';') {
      statements.push(current.replace(/\s+/g, ' ').trim());
      current = null;
      i += 1;
      continue;
    }
    emit(source[i]);
    i += 1;
  }
  return statements;
}

// null: not an error (a notice, or a bare re-raise); otherwise the explicit SQLSTATE, or '' when none.
export function raisedSqlstate(statement: string): string | null {
  if (/^raise\s+(notice|warning|info|log|debug)\b/i.test(statement) || /^raise$/i.test(statement)) return null;
  const named = /\berrcode\s*=\s*'([^']*)'/i.exec(statement) ?? /^raise\s+(?:exception\s+)?sqlstate\s+'([^']*)'/i.exec(statement);
  return named ? named[1] : '';
}

type Code = { sqlstate: string; http_status: number; meaning: string };
let codes: Code[] = [];
beforeAll(async () => {
  codes = [...await admin<Code[]>`select sqlstate, http_status, meaning from private.error_codes order by sqlstate`];
});

describe('the RAISE scanner', () => {
  it('finds each RAISE with its errcode, skipping notices, comments and semicolons inside messages', () => {
    const body = `begin
      -- raise exception 'in a comment';
      raise notice 'counting; still counting';
      raise exception using errcode = 'PT409', message = 'a; b', detail = format('x; %s', y);
      raise exception 'no code here';
      raise sqlstate 'PT404';
      perform praise(1);
      raise exception $m$dollar; quoted$m$ using errcode = '22023';
      raise;
    end`;
    expect(raiseStatements(body).map(raisedSqlstate)).toEqual([null, 'PT409', '', 'PT404', '22023', null]);
  });
});

describe('private.error_codes', () => {
  it('lists codes, each with an HTTP status, and never P0001', () => {
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.map((c) => c.sqlstate)).not.toContain('P0001');
  });

  it('every RAISE in public and private functions and triggers carries an explicit SQLSTATE from the table', async () => {
    const functions = await admin<{ name: string; source: string }[]>`
      select p.oid::regprocedure::text as name, p.prosrc as source
        from pg_catalog.pg_proc p
        join pg_catalog.pg_namespace n on n.oid = p.pronamespace
        join pg_catalog.pg_language l on l.oid = p.prolang
       where n.nspname in ('public', 'private') and l.lanname = 'plpgsql'
         and not exists (select 1 from pg_catalog.pg_depend d
                          where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')`;
    const known = new Set(codes.map((c) => c.sqlstate));
    const found: string[] = [];
    const offending: string[] = [];
    for (const fn of functions) {
      for (const statement of raiseStatements(fn.source)) {
        const sqlstate = raisedSqlstate(statement);
        if (sqlstate === null) continue;
        found.push(`${fn.name}: ${sqlstate}`);
        if (!known.has(sqlstate)) offending.push(`${fn.name}: ${sqlstate || 'no errcode'} in «${statement.slice(0, 120)}»`);
      }
    }
    expect(found.length, 'the scan found the RAISEs of the wizard RPCs').toBeGreaterThan(20);
    expect(offending, 'RAISEs without an errcode from private.error_codes').toEqual([]);
  });

  it('the edge functions map every code to the status the table gives it (supabase/functions/_shared/sql-errors.ts)', () => {
    for (const code of codes) expect(sqlErrorStatus(code.sqlstate), code.sqlstate).toBe(code.http_status);
    expect(sqlErrorStatus('42501', true), '42501 for anon, as PostgREST').toBe(401);
    expect(sqlErrorStatus('42P01'), 'an unlisted code is a bug: unmapped (500)').toBeUndefined();
  });

  it('the README’s "Errors a client sees" gives every code of the table the table’s status', () => {
    const readme = readFileSync(join(repoRoot, 'docs', 'api.md'), 'utf8');
    const section = readme.split('### Errors a client sees')[1]?.split(/\n#{2,3} /)[0] ?? '';
    const statusOf = new Map(codes.map((c) => [c.sqlstate, c.http_status]));
    const rows = [...section.matchAll(/^\|.*\| `([0-9A-Z]{5})` \| (\d{3}) \|$/gm)].filter((m) => statusOf.has(m[1]));
    expect(rows.length).toBeGreaterThan(5);
    for (const [line, code, status] of rows) {
      // PostgREST answers 42501 with 401 to anon, as the table's meaning says.
      if (code === '42501' && status === '401') continue;
      expect(Number(status), line).toBe(statusOf.get(code));
    }
  });

  it('the README lists exactly the table', () => {
    const readme = readFileSync(join(repoRoot, 'docs', 'api.md'), 'utf8');
    const section = /<!-- error-codes:start -->([\s\S]*?)<!-- error-codes:end -->/.exec(readme)?.[1] ?? '';
    const rows = section.split('\n')
      .map((line) => /^\|\s*`([0-9A-Z]{5})`\s*\|\s*(\d{3})\s*\|\s*(.+?)\s*\|$/.exec(line.trim()))
      .filter((match) => match !== null)
      .map((match) => ({ sqlstate: match![1], http_status: Number(match![2]), meaning: match![3] }));
    expect(rows).toEqual(codes);
  });
});

describe('one condition, one status and SQLSTATE, through PostgREST and through a function', () => {
  it('an inactive wizard session is 409 PT409 from /rest/v1/rpc and from ai/wizard-summary', async () => {
    const user = await newUser('sql-errors-wizard');
    const [session] = await rpc(admin, user, 'start_wizard_session', { template: 'modern-professional', prefill: false });
    await rpc(admin, user, 'abandon_wizard_session', { id: session.id });

    const rest = await userClient(user.token).rpc('update_wizard_session', { id: session.id, draft_patch: { a: 1 } });
    expect(rest.status).toBe(409);
    expect(rest.error?.code).toBe('PT409');

    const viaFunction = await invokeAi('wizard-summary', { wizardSessionId: session.id }, user.token);
    expect(viaFunction.status, JSON.stringify(viaFunction.body)).toBe(409);
    expect(viaFunction.body.error.sqlstate).toBe('PT409');
  });

  it('a second job with the same job_url is 409 23505 through PostgREST; another URL or user is fine', async () => {
    const owner = await newUser('sql-errors-jobs');
    const other = await newUser('sql-errors-jobs-other');
    const job = { job_title: 'Engineer', company: 'Acme', job_url: `https://jobs.example/${crypto.randomUUID()}` };
    expect((await userClient(owner.token).from('jobs').insert(job)).status).toBe(201);
    const again = await userClient(owner.token).from('jobs').insert({ ...job, job_title: 'Same posting' });
    expect(again.status).toBe(409);
    expect(again.error?.code).toBe('23505');
    expect((await userClient(other.token).from('jobs').insert(job)).status).toBe(201);
    expect((await userClient(owner.token).from('jobs').insert({ ...job, job_url: null })).status).toBe(201);
    expect((await userClient(owner.token).from('jobs').insert({ ...job, job_url: null })).status).toBe(201);
  });
});
