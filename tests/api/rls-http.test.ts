// The RLS matrix from outside: every table in public × select / insert / update /
// delete × owner / stranger / anon / service_role, sent with supabase-js through the
// gateway to the real PostgREST, asserting the HTTP status and body a client gets and
// what the database holds afterwards. The list of tables comes from the catalog, so a
// new table without cells here fails the coverage test. Plus embedded resources and
// on_conflict upserts aimed at another user's rows. (supabase/tests/database/
// 10-rls-matrix.sql is the same matrix at the SQL level.)
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { anonClient, type Client, serviceClient, userClient } from '../support/clients';
import { actors, checkCell, commands, countWhere as countRows, describeOutcome, matrixCells } from '../support/rls-cells';
import { stack } from '../support/stack';
import { makeWorld, removeWorlds } from '../support/world';

const sql = postgres(stack.adminUrl, { max: 2, onnotice: () => {} });
afterAll(async () => {
  await removeWorlds(sql);
  await sql.end();
});

const cells = matrixCells(sql);
const clients = { user: userClient, anon: anonClient, service: serviceClient };
const countWhere = (table: string, where: Record<string, unknown>) => countRows(sql, table, where);

describe.concurrent('the RLS matrix over HTTP', () => {
  it('has cells for exactly the tables in public (from the catalog), 16 each', async () => {
    const tables = (await sql`select tablename::text as name from pg_tables where schemaname = 'public' order by 1`).map((r) => r.name);
    expect(Object.keys(cells).sort()).toEqual(tables);
    for (const spec of Object.values(cells)) {
      for (const command of commands) {
        expect(Object.keys(spec.expected[command]).sort()).toEqual(['anon', 'owner', 'service_role', 'stranger']);
      }
    }
  });

  for (const [table, spec] of Object.entries(cells)) {
    for (const command of commands) {
      for (const actor of actors) {
        it(`${actor}: ${command} on ${table} ${describeOutcome(actor, spec.expected[command][actor])}`, async () => {
          expect(await checkCell(sql, clients, table, command, actor)).toEqual([]);
        });
      }
    }
  }
});

describe('embedded resources under RLS', () => {
  it('the owner gets a resume with its versions embedded; a stranger gets nothing; anon is refused', async () => {
    const w = await makeWorld(sql);
    const query = (client: Client) => client.from('generated_resumes').select('*, generated_resume_versions(*)').eq('id', w.ids.generated);
    const mine = await query(userClient(w.owner.token));
    expect(mine.status).toBe(200);
    expect(mine.data).toHaveLength(1);
    expect(mine.data![0].generated_resume_versions.map((v) => v.id)).toEqual([w.ids.version]);
    const theirs = await query(userClient(w.stranger.token));
    expect(theirs.status).toBe(200);
    expect(theirs.data).toEqual([]);
    const anon = await query(anonClient());
    expect(anon.status).toBe(401);
    expect(anon.error).toMatchObject({ code: '42501' });
  });

  it('a stranger embedding from their own rows into the owner’s sees no foreign rows', async () => {
    const w = await makeWorld(sql);
    const s = userClient(w.stranger.token);
    // The stranger's own resume, made through the API, embedding versions and cover letters.
    const own = await s.from('generated_resumes').insert({ template_id: w.activeTemplate.id, title: 'Mine' }).select('id').single();
    expect(own.error).toBeNull();
    const { data, error } = await s.from('generated_resumes').select('id, generated_resume_versions(id), cover_letters(id), wizard_sessions(id)');
    expect(error).toBeNull();
    expect(data).toEqual([{ id: own.data!.id, generated_resume_versions: [], cover_letters: [], wizard_sessions: [] }]);
    // From the owner's job's side: the stranger cannot reach it to embed anything.
    const jobs = await s.from('jobs').select('id, cover_letters(id), job_status_events(id)').eq('id', w.ids.job);
    expect(jobs.data).toEqual([]);
    // An inner join to the owner's resume from cover letters returns nothing either.
    const letters = await s.from('cover_letters').select('id, generated_resumes!inner(id)').eq('generated_resumes.id', w.ids.generated);
    expect(letters.error).toBeNull();
    expect(letters.data).toEqual([]);
  });
});

describe('upserts aimed at another user’s unique key', () => {
  it('on_conflict=user_id,name naming the owner is refused (42501, 403) and the owner’s skill is unchanged', async () => {
    const w = await makeWorld(sql);
    const { error, status } = await userClient(w.stranger.token)
      .from('user_skills').upsert({ user_id: w.owner.id, name: 'PostgreSQL', category: 'Hijacked' }, { onConflict: 'user_id,name' });
    expect(status).toBe(403);
    expect(error).toMatchObject({ code: '42501' });
    expect(await countWhere('user_skills', { id: w.ids.skill, category: 'Technical' })).toBe(1);
  });

  it('on_conflict=id with the owner’s row id is refused even when the stranger names themself as owner', async () => {
    const w = await makeWorld(sql);
    const { error, status } = await userClient(w.stranger.token)
      .from('jobs').upsert({ id: w.ids.job, user_id: w.stranger.id, job_title: 'Taken', company: 'Hijack Co', status: 'applied' }, { onConflict: 'id' });
    expect(status).toBe(403);
    expect(error).toMatchObject({ code: '42501' });
    expect(await countWhere('jobs', { id: w.ids.job, user_id: w.owner.id, company: 'Acme' })).toBe(1);
  });

  it('ignore-duplicates (ON CONFLICT DO NOTHING) aimed at the owner’s language is refused too', async () => {
    const w = await makeWorld(sql);
    const { error, status } = await userClient(w.stranger.token)
      .from('user_languages').upsert({ user_id: w.owner.id, language: 'English' }, { onConflict: 'user_id,language', ignoreDuplicates: true });
    expect(status).toBe(403);
    expect(error).toMatchObject({ code: '42501' });
    expect(await countWhere('user_languages', { user_id: w.owner.id })).toBe(1);
  });

  it('the owner’s own upsert on the same key, sent without user_id (it defaults to the caller), updates in place', async () => {
    const w = await makeWorld(sql);
    const { data, error, status } = await userClient(w.owner.token)
      .from('user_skills').upsert({ name: 'PostgreSQL', category: 'Databases' }, { onConflict: 'user_id,name' }).select('id, category');
    expect(error).toBeNull();
    expect(status).toBe(200); // PostgREST 12: 200 when the upsert updated, 201 when it inserted
    expect(data).toEqual([{ id: w.ids.skill, category: 'Databases' }]);
  });

  it('an upsert that sends user_id is refused even for the owner: ON CONFLICT DO UPDATE would set it, and user_id is not updatable', async () => {
    const w = await makeWorld(sql);
    const { error, status } = await userClient(w.owner.token)
      .from('user_skills').upsert({ user_id: w.owner.id, name: 'PostgreSQL', category: 'Databases' }, { onConflict: 'user_id,name' });
    expect(status).toBe(403);
    expect(error).toMatchObject({ code: '42501', message: 'permission denied for table user_skills' });
  });
});
