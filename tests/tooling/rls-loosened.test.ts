// The outside-in matrix fails when a policy or grant is loosened. A scratch database
// gets every migration, then three loosenings an innocent-looking migration could
// bring: a SELECT policy opened to every signed-in user, a table granted to anon, and
// an INSERT policy whose WITH CHECK no longer checks the owner. A second real PostgREST
// serves that database, and the same cells the main matrix runs (support/rls-cells.ts)
// must report each loosening, while an untouched cell still holds there. The SQL-level
// matrix (pgTAP, 10-rls-matrix.sql) must fail on the same database too.
import net from 'node:net';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrationFiles, createScratchDatabase, dropScratchDatabase } from '../../scripts/lib/database.mjs';
import { startPostgrest, stopPostgrest } from '../../scripts/lib/postgrest-process.mjs';
import { repoRoot } from '../../scripts/lib/profiles.mjs';
import { run } from '../../scripts/lib/processes.mjs';
import type { Client } from '../support/clients';
import { checkCell, type Clients } from '../support/rls-cells';
import { anonKey, serviceRoleKey, stack } from '../support/stack';

const database = 'rls_loosened';
let sql: postgres.Sql;
let port: number;
let clients: Clients;
const postgrest = () => ({ database, port, tag: 'loosened' });

async function freePort() {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: free } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return free;
}

// supabase-js pointed straight at the second PostgREST (no gateway: drop the prefix).
function clientFor(key: string, token?: string): Client {
  const direct: typeof fetch = (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    url.pathname = url.pathname.replace(/^\/rest\/v1/, '');
    return fetch(new Request(url, request));
  };
  return createClient(`http://127.0.0.1:${port}`, key, {
    global: { fetch: direct },
    ...(token ? { accessToken: async () => token } : { auth: { persistSession: false, autoRefreshToken: false } }),
  }) as unknown as Client;
}

beforeAll(async () => {
  const db = createScratchDatabase(stack, database);
  applyMigrationFiles(db.dbUrl, { record: false });
  sql = postgres(db.adminUrl, { max: 2, onnotice: () => {} });
  await sql.unsafe(`
    alter policy "Owners can view their own jobs" on public.jobs using (true);
    grant select on public.user_skills to anon;
    alter policy "Owners can add their own jobs" on public.jobs with check (true);
    notify pgrst, 'reload schema';`);
  port = await freePort();
  await startPostgrest(stack, postgrest());
  clients = { user: (token) => clientFor(anonKey, token), anon: () => clientFor(anonKey), service: () => clientFor(serviceRoleKey) };
}, 120_000);

afterAll(async () => {
  stopPostgrest(stack, postgrest());
  await sql?.end();
  dropScratchDatabase(stack, database);
});

describe('a loosened policy or grant', () => {
  it('still passes an untouched cell on the loosened database (the harness itself works there)', async () => {
    expect(await checkCell(sql, clients, 'jobs', 'select', 'owner')).toEqual([]);
    expect(await checkCell(sql, clients, 'user_education', 'update', 'stranger')).toEqual([]);
  });

  it('a SELECT policy opened to every signed-in user: the stranger cell reports the owner’s job in the body', async () => {
    expect(await checkCell(sql, clients, 'jobs', 'select', 'stranger')).toEqual(['rows in the body: got 1, wanted 0']);
  });

  it('a table granted to anon: the anon cell reports 200 instead of 401 42501', async () => {
    const problems = await checkCell(sql, clients, 'user_skills', 'select', 'anon');
    expect(problems).toEqual(['status: got 200, wanted 401', 'error code: got null, wanted "42501"']);
  });

  it('an INSERT policy that no longer checks the owner: the stranger cell reports the row planted under the owner’s id', async () => {
    const problems = await checkCell(sql, clients, 'jobs', 'insert', 'stranger');
    expect(problems).toEqual(['status: got 201, wanted 403', 'error code: got null, wanted "42501"', 'rows afterwards: got 1, wanted 0']);
  });

  it('the SQL-level RLS matrix fails on the same database', () => {
    const url = `postgresql://postgres:postgres@127.0.0.1:${stack.dbPort}/${database}`;
    // The first pgTAP file creates pgTAP and the test-only schema the matrix acts through.
    const files = ['00-test-helpers.sql', '10-rls-matrix.sql'].map((f) => join(repoRoot, 'supabase', 'tests', 'database', f));
    const result = run('pg_prove', ['-d', url, ...files], { env: { PGPASSWORD: 'postgres' } });
    expect(result.ok).toBe(false);
    expect(result.stdout + result.stderr).toMatch(/stranger: select on public\.jobs|Failed \d+\/\d+ subtests/);
  });
});
