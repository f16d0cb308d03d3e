// The RLS matrix from outside: every table in public × select / insert / update /
// delete × owner / stranger / anon / service_role, sent with supabase-js through the
// gateway to the real PostgREST, asserting the HTTP status and body a client gets and
// what the database holds afterwards. The list of tables comes from the catalog, so a
// new table without cells here fails the coverage test. Plus embedded resources and
// on_conflict upserts aimed at another user's rows. (supabase/tests/database/
// 10-rls-matrix.sql is the same matrix at the SQL level.)
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { anonClient, type Client, serviceClient, userClient } from './support/clients';
import { stack } from './support/stack';
import { makeWorld, removeWorlds, type World } from './support/world';

const sql = postgres(stack.adminUrl, { max: 2, onnotice: () => {} });
afterAll(async () => {
  await removeWorlds(sql);
  await sql.end();
});

type Actor = 'owner' | 'stranger' | 'anon' | 'service_role';
type Command = 'select' | 'insert' | 'update' | 'delete';
// ok: the request succeeds and touches `rows` of the world's rows; filtered: it succeeds
// and touches none (RLS filters silently); denied: 42501 (401 for anon, 403 otherwise).
type Outcome = { kind: 'ok'; rows: number } | { kind: 'filtered' } | { kind: 'denied' };
type Filter = [column: string, values: unknown[]];
type Row = Record<string, unknown>;

interface Cells {
  // Which of the world's rows select / update / delete address.
  key: (w: World, command: Exclude<Command, 'insert'>) => Filter;
  insert: (w: World) => Row;
  // Columns that find the inserted row afterwards.
  inserted: (w: World) => Row;
  patch: (w: World) => Row;
  // Runs before the insert cells only (as postgres).
  beforeInsert?: (w: World) => Promise<void>;
  expected: Record<Command, Record<Actor, Outcome>>;
}

const ok = (rows = 1): Outcome => ({ kind: 'ok', rows });
const filtered: Outcome = { kind: 'filtered' };
const denied: Outcome = { kind: 'denied' };
const byId = (name: string) => (w: World): Filter => ['id', [w.ids[name]]];

// Owner tables: the owner does everything, a stranger sees and changes nothing and
// cannot insert rows naming the owner, anon has no grant, service_role bypasses RLS.
const ownerTable = {
  select: { owner: ok(), stranger: filtered, anon: denied, service_role: ok() },
  insert: { owner: ok(), stranger: denied, anon: denied, service_role: ok() },
  update: { owner: ok(), stranger: filtered, anon: denied, service_role: ok() },
  delete: { owner: ok(), stranger: filtered, anon: denied, service_role: ok() },
};
// Append-only logs: the owner reads and adds, nobody but service_role rewrites.
const appendOnly = {
  ...ownerTable,
  insert: { owner: ok(), stranger: denied, anon: denied, service_role: ok() },
  update: { owner: denied, stranger: denied, anon: denied, service_role: ok() },
  delete: { owner: denied, stranger: denied, anon: denied, service_role: ok() },
};
const serviceOnlyWrites = { owner: denied, stranger: denied, anon: denied, service_role: ok() };

const cells: Record<string, Cells> = {
  user_profile: {
    key: (w) => ['user_id', [w.owner.id]],
    // One profile per user, made at sign-up: remove it so the insert cells can add one.
    beforeInsert: async (w) => { await sql`delete from public.user_profile where user_id = ${w.owner.id}`; },
    insert: (w) => ({ user_id: w.owner.id, full_name: 'World Owner' }),
    inserted: (w) => ({ user_id: w.owner.id }),
    patch: (w) => ({ job_title: `Tester ${w.marker}` }),
    expected: ownerTable,
  },
  user_skills: {
    key: byId('skill'),
    insert: (w) => ({ user_id: w.owner.id, name: `Skill ${w.marker}` }),
    inserted: (w) => ({ name: `Skill ${w.marker}` }),
    patch: (w) => ({ category: `Databases ${w.marker}` }),
    expected: ownerTable,
  },
  user_work_experience: {
    key: byId('experience'),
    insert: (w) => ({ user_id: w.owner.id, title: 'Intern', company: `Initech ${w.marker}` }),
    inserted: (w) => ({ company: `Initech ${w.marker}` }),
    patch: (w) => ({ description: `Built things ${w.marker}.` }),
    expected: ownerTable,
  },
  user_education: {
    key: byId('education'),
    insert: (w) => ({ user_id: w.owner.id, school: `Night School ${w.marker}` }),
    inserted: (w) => ({ school: `Night School ${w.marker}` }),
    patch: (w) => ({ field: `Mathematics ${w.marker}` }),
    expected: ownerTable,
  },
  user_languages: {
    key: byId('language'),
    insert: (w) => ({ user_id: w.owner.id, language: `Lang ${w.marker}` }),
    inserted: (w) => ({ language: `Lang ${w.marker}` }),
    patch: () => ({ proficiency: 'native' }),
    expected: ownerTable,
  },
  jobs: {
    key: byId('job'),
    insert: (w) => ({ user_id: w.owner.id, job_title: 'SRE', company: `Globex ${w.marker}`, status: 'bookmarked' }),
    inserted: (w) => ({ company: `Globex ${w.marker}` }),
    patch: (w) => ({ salary: `$100k ${w.marker}` }),
    expected: ownerTable,
  },
  job_status_events: {
    // Written by the jobs trigger only: one 'applied' event for the world's job.
    key: (w) => ['job_id', [w.ids.job]],
    insert: (w) => ({ job_id: w.ids.job, user_id: w.owner.id, to_status: 'accepted' }),
    inserted: (w) => ({ job_id: w.ids.job, to_status: 'accepted' }),
    patch: () => ({ to_status: 'accepted' }),
    expected: {
      select: { owner: ok(), stranger: filtered, anon: denied, service_role: ok() },
      insert: serviceOnlyWrites,
      update: serviceOnlyWrites,
      delete: serviceOnlyWrites,
    },
  },
  resumes: {
    key: byId('resume'),
    insert: (w) => ({ user_id: w.owner.id, filename: 'cv2.pdf', file_url: `${w.owner.id}/resumes/${w.marker}.pdf`, file_size: 2000 }),
    inserted: (w) => ({ file_url: `${w.owner.id}/resumes/${w.marker}.pdf` }),
    patch: (w) => ({ filename: `renamed-${w.marker}.pdf` }),
    expected: ownerTable,
  },
  resume_builder_data: {
    key: byId('builder'),
    insert: (w) => ({ user_id: w.owner.id, template_id: w.activeTemplate.slug, resume_data: { summary: 'x' }, title: `Builder ${w.marker}` }),
    inserted: (w) => ({ title: `Builder ${w.marker}` }),
    patch: (w) => ({ title: `Renamed ${w.marker}` }),
    expected: ownerTable,
  },
  templates: {
    // Both templates are asked for: signed-in users see the active one only.
    key: (w, command) =>
      command === 'select' ? ['slug', [w.activeTemplate.slug, w.retiredTemplate.slug]]
        : command === 'update' ? ['slug', [w.activeTemplate.slug]] : ['slug', [w.retiredTemplate.slug]],
    insert: (w) => ({ name: `World New ${w.marker}`, slug: `world-new-${w.marker}`, schema: {} }),
    inserted: (w) => ({ slug: `world-new-${w.marker}` }),
    patch: (w) => ({ name: `World Active 2 ${w.marker}` }),
    expected: {
      select: { owner: ok(1), stranger: ok(1), anon: denied, service_role: ok(2) },
      insert: serviceOnlyWrites,
      update: serviceOnlyWrites,
      delete: serviceOnlyWrites,
    },
  },
  wizard_sessions: {
    key: byId('session'),
    insert: (w) => ({ user_id: w.owner.id, template_id: w.activeTemplate.id }),
    inserted: (w) => ({ user_id: w.owner.id, status: 'active' }),
    // The world's session is completed: unlinking its resume is the one change its lifecycle allows.
    patch: () => ({ generated_resume_id: null }),
    expected: ownerTable,
  },
  generated_resumes: {
    key: byId('generated'),
    insert: (w) => ({ user_id: w.owner.id, template_id: w.activeTemplate.id, title: `Second ${w.marker}` }),
    inserted: (w) => ({ title: `Second ${w.marker}` }),
    patch: (w) => ({ title: `Renamed ${w.marker}` }),
    expected: ownerTable,
  },
  generated_resume_versions: {
    key: (w, command) => (command === 'select' ? ['generated_resume_id', [w.ids.generated]] : ['id', [w.ids.version]]),
    insert: (w) => ({ generated_resume_id: w.ids.generated, content_json: { v: w.marker } }),
    inserted: (w) => ({ generated_resume_id: w.ids.generated, version_number: 2 }),
    patch: (w) => ({ render_artifact_url: `x-${w.marker}.pdf` }),
    expected: appendOnly,
  },
  ai_events: {
    key: byId('event'),
    insert: (w) => ({ user_id: w.owner.id, wizard_session_id: w.ids.session, provider: 'openai', model: `model-${w.marker}`, status: 'error' }),
    inserted: (w) => ({ model: `model-${w.marker}` }),
    patch: (w) => ({ error: `rewritten ${w.marker}` }),
    expected: appendOnly,
  },
  cover_letters: {
    key: byId('letter'),
    insert: (w) => ({ user_id: w.owner.id, job_id: w.ids.job, generated_resume_id: w.ids.generated, resume_version: 1, content: `A second letter ${w.marker}.` }),
    inserted: (w) => ({ content: `A second letter ${w.marker}.` }),
    patch: (w) => ({ content: `Rewritten by hand ${w.marker}.` }),
    expected: ownerTable,
  },
};

function clientFor(actor: Actor, w: World): Client {
  if (actor === 'owner') return userClient(w.owner.token);
  if (actor === 'stranger') return userClient(w.stranger.token);
  if (actor === 'anon') return anonClient();
  return serviceClient();
}

// How many rows of `table` match every column = value (null-safe).
async function countWhere(table: string, where: Row) {
  const columns = Object.keys(where);
  const text = `select count(*)::int as n from public.${table} where ` +
    columns.map((c, i) => `${c} is not distinct from $${i + 1}`).join(' and ');
  const params = columns.map((c) => (where[c] !== null && typeof where[c] === 'object' ? JSON.stringify(where[c]) : where[c]));
  const [{ n }] = await sql.unsafe(text, params as never[]);
  return n as number;
}

async function request(client: Client, table: string, command: Command, spec: Cells, w: World) {
  const from = client.from(table as never) as any;
  if (command === 'insert') return await from.insert(spec.insert(w)).select();
  const [column, values] = spec.key(w, command);
  if (command === 'select') return await from.select('*').in(column, values);
  if (command === 'update') return await from.update(spec.patch(w)).in(column, values).select();
  return await from.delete().in(column, values).select();
}

// What the database holds after the cell, as a number that differs between allowed and not.
async function afterwards(table: string, command: Command, spec: Cells, w: World) {
  if (command === 'insert') return await countWhere(table, spec.inserted(w));
  if (command === 'select') return 0;
  const [column, values] = spec.key(w, command);
  let n = 0;
  for (const value of values) {
    n += await countWhere(table, command === 'update' ? { [column]: value, ...spec.patch(w) } : { [column]: value });
  }
  return n;
}

describe('the RLS matrix over HTTP', () => {
  it('has cells for exactly the tables in public (from the catalog), 16 each', async () => {
    const tables = (await sql`select tablename::text as name from pg_tables where schemaname = 'public' order by 1`).map((r) => r.name);
    expect(Object.keys(cells).sort()).toEqual(tables);
    for (const spec of Object.values(cells)) {
      for (const command of ['select', 'insert', 'update', 'delete'] as const) {
        expect(Object.keys(spec.expected[command]).sort()).toEqual(['anon', 'owner', 'service_role', 'stranger']);
      }
    }
  });

  for (const [table, spec] of Object.entries(cells)) {
    for (const command of ['select', 'insert', 'update', 'delete'] as const) {
      for (const actor of ['owner', 'stranger', 'anon', 'service_role'] as const) {
        const outcome = spec.expected[command][actor];
        const label = outcome.kind === 'ok' ? `is allowed (${outcome.rows} row${outcome.rows > 1 ? 's' : ''})`
          : outcome.kind === 'filtered' ? 'touches none of the owner’s rows (200, [])' : `is refused: 42501, ${actor === 'anon' ? 401 : 403}`;
        it(`${actor}: ${command} on ${table} ${label}`, async () => {
          const w = await makeWorld(sql);
          if (command === 'insert') await spec.beforeInsert?.(w);
          const before = await afterwards(table, command, spec, w);
          const { data, error, status } = await request(clientFor(actor, w), table, command, spec, w);
          const after = await afterwards(table, command, spec, w);
          if (outcome.kind === 'denied') {
            expect(status).toBe(actor === 'anon' ? 401 : 403);
            expect(error).toMatchObject({ code: '42501' });
            expect(after).toBe(before);
            return;
          }
          expect(error).toBeNull();
          expect(status).toBe(command === 'insert' ? 201 : 200);
          const rows = outcome.kind === 'ok' ? outcome.rows : 0;
          expect(data).toHaveLength(rows);
          if (command === 'insert') expect(after).toBe(before + rows);
          if (command === 'update') expect(after).toBe(before + rows);
          if (command === 'delete') expect(after).toBe(before - rows);
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
