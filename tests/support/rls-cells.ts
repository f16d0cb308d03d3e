// The cells of the outside-in RLS matrix: for each table in public, what a
// select / insert / update / delete aimed at a fresh world's rows must give each actor
// over HTTP, and a checker that sends the request with supabase-js and compares status,
// body and the rows afterwards. Used by tests/api/rls-http.test.ts against the test stack,
// and by tests/tooling/rls-loosened.test.ts against a database whose policies were loosened.
import type postgres from 'postgres';
import type { Client } from './clients';
import { makeWorld, type World } from './world';

export interface Clients {
  user(token: string): Client;
  anon(): Client;
  service(): Client;
}

export type Actor = 'owner' | 'stranger' | 'anon' | 'service_role';
export type Command = 'select' | 'insert' | 'update' | 'delete';
// ok: the request succeeds and touches `rows` of the world's rows; filtered: it succeeds
// and touches none (RLS filters silently); denied: 42501 (401 for anon, 403 otherwise).
export type Outcome = { kind: 'ok'; rows: number } | { kind: 'filtered' } | { kind: 'denied' };
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
// Links and proposals: like owner tables, but a link is deleted and made again rather
// than changed, and a proposal is decided by RPC only.
const noUpdates = { ...ownerTable, update: serviceOnlyWrites };

export const commands = ['select', 'insert', 'update', 'delete'] as const;
export const actors = ['owner', 'stranger', 'anon', 'service_role'] as const;

export function matrixCells(sql: postgres.Sql): Record<string, Cells> {
  return {
  user_profile: {
    key: (w) => ['user_id', [w.owner.id]],
    // One profile per user, made at sign-up: remove it so the insert cells can add one.
    beforeInsert: async (w) => { await sql`delete from public.user_profile where user_id = ${w.owner.id}`; },
    insert: (w) => ({ user_id: w.owner.id, full_name: 'World Owner' }),
    inserted: (w) => ({ user_id: w.owner.id }),
    patch: (w) => ({ job_title: `Tester ${w.marker}` }),
    expected: ownerTable,
  },
  application_form_answers: {
    // One row per user (user_id is the key): remove it so the insert cells can add one.
    key: (w) => ['user_id', [w.owner.id]],
    beforeInsert: async (w) => { await sql`delete from public.application_form_answers where user_id = ${w.owner.id}`; },
    insert: (w) => ({ user_id: w.owner.id, current_location: `City ${w.marker}` }),
    inserted: (w) => ({ current_location: `City ${w.marker}` }),
    patch: (w) => ({ current_location: `Town ${w.marker}` }),
    expected: ownerTable,
  },
  subscriptions: {
    // Stripe's subscription: the owner reads their own; only service_role writes.
    key: (w) => ['user_id', [w.owner.id]],
    beforeInsert: async (w) => { await sql`delete from public.subscriptions where user_id = ${w.owner.id}`; },
    insert: (w) => ({ user_id: w.owner.id, stripe_customer_id: `cus_new_${w.marker}`, tier: 'pro', status: 'active' }),
    inserted: (w) => ({ stripe_customer_id: `cus_new_${w.marker}` }),
    patch: (w) => ({ stripe_price_id: `price_${w.marker}` }),
    expected: {
      select: { owner: ok(), stranger: filtered, anon: denied, service_role: ok() },
      insert: serviceOnlyWrites,
      update: serviceOnlyWrites,
      delete: serviceOnlyWrites,
    },
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
    // Both templates are asked for: signed-in users see the active one only; anon none
    // (the share page reads one layout through get_template_layout).
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
  ai_usage_daily: {
    // Written only by the retention job (as the table owner): read-only for every API role.
    key: (w) => ['user_id', [w.owner.id]],
    insert: (w) => ({ user_id: w.owner.id, day: '2026-01-16', provider: 'openai', model: 'gpt-4o-mini', calls: 1, errors: 0, input_tokens: 10, output_tokens: 10 }),
    inserted: (w) => ({ user_id: w.owner.id, day: '2026-01-16' }),
    patch: () => ({ calls: 7 }),
    expected: {
      select: { owner: ok(), stranger: filtered, anon: denied, service_role: ok() },
      insert: { owner: denied, stranger: denied, anon: denied, service_role: denied },
      update: { owner: denied, stranger: denied, anon: denied, service_role: denied },
      delete: { owner: denied, stranger: denied, anon: denied, service_role: denied },
    },
  },
  job_search_documents: {
    // Derived from jobs by trigger (the world's job has one): the owner reads, nobody writes.
    key: (w) => ['job_id', [w.ids.job]],
    insert: (w) => ({ job_id: w.ids.job, user_id: w.owner.id, document: 'planted', title_company: `Planted ${w.marker}` }),
    inserted: (w) => ({ title_company: `Planted ${w.marker}` }),
    patch: (w) => ({ title_company: `Planted ${w.marker}` }),
    expected: {
      select: { owner: ok(), stranger: filtered, anon: denied, service_role: ok() },
      insert: { owner: denied, stranger: denied, anon: denied, service_role: denied },
      update: { owner: denied, stranger: denied, anon: denied, service_role: denied },
      delete: { owner: denied, stranger: denied, anon: denied, service_role: denied },
    },
  },
  cover_letters: {
    key: byId('letter'),
    insert: (w) => ({ user_id: w.owner.id, job_id: w.ids.job, generated_resume_id: w.ids.generated, resume_version: 1, content: `A second letter ${w.marker}.` }),
    inserted: (w) => ({ content: `A second letter ${w.marker}.` }),
    patch: (w) => ({ content: `Rewritten by hand ${w.marker}.` }),
    expected: ownerTable,
  },
  tracker_settings: {
    key: (w) => ['user_id', [w.owner.id]],
    beforeInsert: async (w) => { await sql`delete from public.tracker_settings where user_id = ${w.owner.id}`; },
    insert: (w) => ({ user_id: w.owner.id, follow_up_days: 5 }),
    inserted: (w) => ({ user_id: w.owner.id, follow_up_days: 5 }),
    patch: () => ({ ghosted_after_days: 20 }),
    expected: ownerTable,
  },
  contacts: {
    key: byId('contact'),
    insert: (w) => ({ user_id: w.owner.id, name: `Hank ${w.marker}` }),
    inserted: (w) => ({ name: `Hank ${w.marker}` }),
    patch: (w) => ({ notes: `Met at a meetup ${w.marker}.` }),
    expected: ownerTable,
  },
  job_contacts: {
    key: byId('jobContact'),
    insert: (w) => ({ user_id: w.owner.id, job_id: w.ids.job, contact_id: w.ids.contact, part: 'referrer' }),
    inserted: (w) => ({ job_id: w.ids.job, part: 'referrer' }),
    patch: () => ({ part: 'referrer' }),
    expected: noUpdates,
  },
  interviews: {
    key: byId('interview'),
    insert: (w) => ({ user_id: w.owner.id, job_id: w.ids.job, starts_at: '2027-03-20T09:00:00Z', time_zone: 'Europe/Berlin', notes: `Round two ${w.marker}` }),
    inserted: (w) => ({ notes: `Round two ${w.marker}` }),
    patch: (w) => ({ notes: `Bring a laptop ${w.marker}.` }),
    expected: ownerTable,
  },
  interview_participants: {
    key: byId('participant'),
    beforeInsert: async (w) => { await sql`delete from public.interview_participants where id = ${w.ids.participant}`; },
    insert: (w) => ({ user_id: w.owner.id, interview_id: w.ids.interview, contact_id: w.ids.contact }),
    inserted: (w) => ({ interview_id: w.ids.interview, contact_id: w.ids.contact }),
    patch: () => ({ created_at: '2027-01-01T00:00:00+00:00' }),
    expected: noUpdates,
  },
  tags: {
    key: byId('tag'),
    insert: (w) => ({ user_id: w.owner.id, name: `Urgent ${w.marker}` }),
    inserted: (w) => ({ name: `Urgent ${w.marker}` }),
    patch: (w) => ({ name: `Remote first ${w.marker}` }),
    expected: ownerTable,
  },
  job_tags: {
    key: (w) => ['tag_id', [w.ids.tag]],
    beforeInsert: async (w) => { await sql`delete from public.job_tags where tag_id = ${w.ids.tag}`; },
    insert: (w) => ({ user_id: w.owner.id, job_id: w.ids.job, tag_id: w.ids.tag }),
    inserted: (w) => ({ tag_id: w.ids.tag }),
    patch: () => ({ created_at: '2027-01-01T00:00:00+00:00' }),
    expected: noUpdates,
  },
  job_materials: {
    // Frozen (its job is applied): unlinking the file is the one change it takes.
    key: (w) => ['job_id', [w.ids.job]],
    beforeInsert: async (w) => { await sql`delete from public.job_materials where job_id = ${w.ids.job}`; },
    insert: (w) => ({ user_id: w.owner.id, job_id: w.ids.job, resume_id: w.ids.resume }),
    inserted: (w) => ({ job_id: w.ids.job }),
    patch: () => ({ resume_id: null }),
    expected: ownerTable,
  },
  email_proposals: {
    key: byId('proposal'),
    insert: (w) => ({ user_id: w.owner.id, email_kind: 'confirmation', summary: `Acme got it ${w.marker}.`, job_id: w.ids.job }),
    inserted: (w) => ({ summary: `Acme got it ${w.marker}.` }),
    patch: () => ({ state: 'dismissed', decided_at: '2027-01-01T00:00:00+00:00' }),
    expected: noUpdates,
  },
};
}

function clientFor(clients: Clients, actor: Actor, w: World): Client {
  if (actor === 'owner') return clients.user(w.owner.token);
  if (actor === 'stranger') return clients.user(w.stranger.token);
  if (actor === 'anon') return clients.anon();
  return clients.service();
}

// How many rows of `table` match every column = value (null-safe).
export async function countWhere(sql: postgres.Sql, table: string, where: Row) {
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
async function afterwards(sql: postgres.Sql, table: string, command: Command, spec: Cells, w: World) {
  if (command === 'insert') return await countWhere(sql, table, spec.inserted(w));
  if (command === 'select') return 0;
  const [column, values] = spec.key(w, command);
  let n = 0;
  for (const value of values) {
    n += await countWhere(sql, table, command === 'update' ? { [column]: value, ...spec.patch(w) } : { [column]: value });
  }
  return n;
}


export function describeOutcome(actor: Actor, outcome: Outcome) {
  if (outcome.kind === 'ok') return `is allowed (${outcome.rows} row${outcome.rows > 1 ? 's' : ''})`;
  if (outcome.kind === 'filtered') return 'touches none of the owner’s rows (200, [])';
  return `is refused: 42501, ${actor === 'anon' ? 401 : 403}`;
}

// Runs one cell on a fresh world made through `sql` and returns what differed from the
// expected outcome (nothing when the cell holds).
export async function checkCell(sql: postgres.Sql, clients: Clients, table: string, command: Command, actor: Actor): Promise<string[]> {
  const spec = matrixCells(sql)[table];
  const outcome = spec.expected[command][actor];
  const w = await makeWorld(sql);
  if (command === 'insert') await spec.beforeInsert?.(w);
  const before = await afterwards(sql, table, command, spec, w);
  const { data, error, status } = await request(clientFor(clients, actor, w), table, command, spec, w);
  const after = await afterwards(sql, table, command, spec, w);
  const problems: string[] = [];
  const differs = (what: string, got: unknown, wanted: unknown) => {
    if (JSON.stringify(got) !== JSON.stringify(wanted)) problems.push(`${what}: got ${JSON.stringify(got)}, wanted ${JSON.stringify(wanted)}`);
  };
  if (outcome.kind === 'denied') {
    differs('status', status, actor === 'anon' ? 401 : 403);
    differs('error code', error?.code ?? null, '42501');
    differs('rows afterwards', after, before);
    return problems;
  }
  const rows = outcome.kind === 'ok' ? outcome.rows : 0;
  differs('error', error, null);
  differs('status', status, command === 'insert' ? 201 : 200);
  differs('rows in the body', Array.isArray(data) ? data.length : data, rows);
  if (command === 'insert' || command === 'update') differs('rows afterwards', after, before + rows);
  if (command === 'delete') differs('rows afterwards', after, before - rows);
  return problems;
}
