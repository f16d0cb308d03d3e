// Fuzzing every RPC through the data API: POST /rest/v1/rpc/<name> via the gateway and
// the real PostgREST, as anon and as a signed-in user, with generated arguments. The
// list of RPCs comes from the database (every function in public that anon or
// authenticated may execute), so a new RPC is fuzzed without touching this file.
// Arguments are shaped by each parameter's type (own and other users' ids, hostile text,
// arbitrary JSON, extreme numbers and dates), sometimes of the wrong type, missing, or
// joined by an unknown argument. Properties:
// - never a 5xx;
// - every 4xx is PostgREST's documented error body {code, message, details, hint};
// - no row is written on any 4xx: the rows of both users in every table of public and
//   private that names a user (plus versions and share views through their resume) are
//   byte for byte the same before and after.
// fast-check runs with a fixed seed and a bounded number of runs per RPC (FUZZ_SEED and
// FUZZ_RUNS override them), so a failure reproduces from the seed and shrunk arguments
// in its message. The function actions are fuzzed in tests/resilience/fuzz-functions.test.ts.
import fc from 'fast-check';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rpc } from '../support/as-caller';
import { anonKey, newUser, stack } from '../support/stack';

const seed = Number(process.env.FUZZ_SEED ?? 20261201);
const runsPerRpc = Number(process.env.FUZZ_RUNS ?? 30);

const admin = postgres(stack.adminUrl, { max: 2, onnotice: () => {} });
afterAll(() => admin.end());

type User = Awaited<ReturnType<typeof newUser>>;
type Parameter = { name: string; type: string; optional: boolean };
type Rpc = { name: string; parameters: Parameter[] };

let owner: User;
let stranger: User;
let rpcs: Rpc[] = [];
let fingerprintSql = '';
// Ids worth guessing: the owner's own rows (deep code paths) and the stranger's.
const ids = { own: [] as string[], theirs: [] as string[], tokens: [] as string[] };

// Every table in public or private with a user_id column, and the child tables that
// reach a user through their generated resume.
async function buildFingerprintSql() {
  const tables = await admin<{ schema: string; table: string }[]>`
    select c.table_schema as schema, c.table_name as table
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
     where c.table_schema in ('public', 'private') and c.column_name = 'user_id' and t.table_type = 'BASE TABLE'
     order by 1, 2`;
  const parts = tables.map(({ schema, table }) =>
    `select '${schema}.${table}' as t, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h
       from ${schema}.${table} x where x.user_id = any($1::uuid[])`);
  parts.push(`select 'generated_resume_versions', md5(coalesce(string_agg(v::text, '|' order by v::text), ''))
       from public.generated_resume_versions v join public.generated_resumes g on g.id = v.generated_resume_id
      where g.user_id = any($1::uuid[])`);
  const [{ exists }] = await admin`select to_regclass('private.share_views') is not null as exists`;
  if (exists) {
    parts.push(`select 'private.share_views', md5(coalesce(string_agg(s::text, '|' order by s::text), ''))
         from private.share_views s join public.generated_resumes g on g.id = s.generated_resume_id
        where g.user_id = any($1::uuid[])`);
  }
  return `select string_agg(t || '=' || h, ' ' order by t) as fingerprint from (${parts.join(' union all ')}) f`;
}

// Prepared once (a union over every owned table: planning it cost more than running it).
async function fingerprint(): Promise<string> {
  const [row] = await admin.unsafe(fingerprintSql, [[owner.id, stranger.id]], { prepare: true });
  return row.fingerprint;
}

async function seedRows(user: User, into: string[]) {
  const [job] = await admin`insert into public.jobs (user_id, job_title, company, status, description)
                            values (${user.id}, 'Engineer', 'Acme', 'applied', ${'We build APIs in Go. '.repeat(5)}) returning id`;
  const [session] = await rpc(admin, user, 'start_wizard_session', { template: 'modern-professional' });
  const [other] = await rpc(admin, user, 'start_wizard_session', { template: 'clean-impact' });
  const [resume] = await rpc(admin, user, 'complete_wizard_session', { id: other.id });
  const [{ create_share_link: token }] = await rpc(admin, user, 'create_share_link', { generated_resume_id: resume.id });
  const [builder] = await admin`insert into public.resume_builder_data (user_id, template_id, resume_data)
                                values (${user.id}, 'modern-professional', '{}') returning id`;
  const [file] = await admin`insert into public.resumes (user_id, filename, file_url, file_size)
                             values (${user.id}, 'cv.pdf', ${`${user.id}/resumes/cv.pdf`}, 1000) returning id`;
  into.push(job.id, session.id, other.id, resume.id, builder.id, file.id);
  ids.tokens.push(token);
}

async function discoverRpcs(): Promise<Rpc[]> {
  const rows = await admin<{ name: string; args: string[]; types: string[]; defaults: number }[]>`
    select p.proname as name,
           coalesce(p.proargnames[1:p.pronargs], '{}') as args,
           array(select format_type(t, null) from unnest(p.proargtypes) t) as types,
           p.pronargdefaults::int as defaults
      from pg_proc p
     where p.pronamespace = 'public'::regnamespace
       and p.prorettype <> 'trigger'::regtype
       and (has_function_privilege('authenticated', p.oid, 'EXECUTE') or has_function_privilege('anon', p.oid, 'EXECUTE'))
     order by p.proname`;
  return rows.map((r) => ({
    name: r.name,
    parameters: r.args.map((name, i) => ({ name, type: r.types[i], optional: i >= r.args.length - r.defaults })),
  }));
}

// Generated values --------------------------------------------------------------------

const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', "'; drop table public.jobs; --", '\u0000', 'null', 'NaN', '../../etc/passwd',
    '%2e%2e/%2e%2e', '<script>alert(1)</script>', 'A'.repeat(20_000), '🙂'.repeat(2_000), 'modern-professional',
    'ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ', '{"a":1}', '[]', '1e309', '-0'),
);
const anyJson = fc.jsonValue({ maxDepth: 4 });
const uuidArg = () => fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ids.own) },
  { weight: 2, arbitrary: fc.constantFrom(...ids.theirs) },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: hostileText },
);
const intArg = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -2, max: 10 }) },
  { weight: 1, arbitrary: fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e308, 0.5, -0.0) },
  { weight: 1, arbitrary: anyJson },
);
const dateArg = fc.oneof(
  fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('infinity', '-infinity', 'epoch', 'now', '2026-13-45', 'tomorrow', '99999-01-01'),
  hostileText,
  anyJson,
);
// Objects shaped like what the JSON parameters expect (profiles, drafts, patches), with
// hostile leaves, as well as arbitrary JSON.
const shapedJson = fc.record({
  contact: fc.option(fc.dictionary(fc.constantFrom('fullName', 'email', 'phone', 'socialLinks'), fc.oneof(hostileText, anyJson))),
  profile: fc.option(fc.dictionary(fc.constantFrom('fullName', 'summary', 'email', 'headline'), fc.oneof(hostileText, anyJson))),
  skills: fc.option(fc.array(fc.oneof(hostileText, fc.record({ name: fc.oneof(hostileText, anyJson), proficiency: hostileText })), { maxLength: 8 })),
  experience: fc.option(fc.array(fc.dictionary(fc.constantFrom('title', 'company', 'startDate', 'endDate', 'isCurrent', 'description'), fc.oneof(hostileText, anyJson)), { maxLength: 4 })),
  education: fc.option(fc.array(fc.dictionary(fc.constantFrom('school', 'degree', 'startDate'), fc.oneof(hostileText, anyJson)), { maxLength: 3 })),
  languages: fc.option(fc.array(fc.oneof(hostileText, anyJson), { maxLength: 3 })),
  targetRole: fc.option(hostileText),
  step1: fc.option(fc.boolean()),
}, { requiredKeys: [] });

function valueFor(parameter: Parameter): fc.Arbitrary<unknown> {
  switch (parameter.type) {
    case 'uuid': return uuidArg();
    case 'text':
    case 'character varying':
      return parameter.name.includes('token')
        ? fc.oneof(fc.constantFrom(...ids.tokens), hostileText)
        : fc.oneof(fc.constantFrom('modern-professional', 'clean-impact', 'retired-template'), hostileText);
    case 'jsonb':
    case 'json':
      return fc.oneof({ weight: 2, arbitrary: shapedJson }, { weight: 2, arbitrary: anyJson }, { weight: 1, arbitrary: hostileText });
    case 'integer':
    case 'bigint':
    case 'smallint':
      return intArg;
    case 'boolean': return fc.oneof(fc.boolean(), anyJson);
    case 'timestamp with time zone':
    case 'date':
      return dateArg;
    default: return fc.oneof(anyJson, hostileText);
  }
}

function argumentsFor(fn: Rpc): fc.Arbitrary<Record<string, unknown>> {
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const parameter of fn.parameters) fields[parameter.name] = valueFor(parameter);
  // Mostly every parameter; sometimes some missing; sometimes an unknown one as well.
  const required = fn.parameters.filter((p) => !p.optional).map((p) => p.name);
  return fc.tuple(
    fc.oneof({ weight: 4, arbitrary: fc.record(fields, { requiredKeys: required }) },
             { weight: 1, arbitrary: fc.record(fields, { requiredKeys: [] }) }),
    fc.option(fc.dictionary(fc.constantFrom('extra', 'user_id', 'role', ''), anyJson, { maxKeys: 2 }), { freq: 5 }),
  ).map(([args, extra]) => ({ ...args, ...(extra ?? {}) }));
}

// The request and what must hold of its answer ----------------------------------------

async function call(fn: string, caller: 'owner' | 'anon', args: Record<string, unknown>) {
  const token = caller === 'owner' ? owner.token : anonKey;
  const response = await fetch(`${stack.restUrl}/rpc/${fn}`, {
    method: 'POST',
    headers: { apikey: anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(args),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // left as text: a 4xx must be JSON, and the check below says so
  }
  return { status: response.status, body };
}

// PostgREST's documented error body: https://docs.postgrest.org/en/v12/references/errors.html
function isPostgrestError(body: unknown): boolean {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const b = body as Record<string, unknown>;
  return typeof b.code === 'string' && b.code !== '' && typeof b.message === 'string'
    && (b.details === null || typeof b.details === 'string') && (b.hint === null || typeof b.hint === 'string')
    && Object.keys(b).every((key) => ['code', 'message', 'details', 'hint'].includes(key));
}

beforeAll(async () => {
  owner = await newUser('fuzz-rpc-owner');
  stranger = await newUser('fuzz-rpc-stranger');
  await seedRows(owner, ids.own);
  await seedRows(stranger, ids.theirs);
  rpcs = await discoverRpcs();
  fingerprintSql = await buildFingerprintSql();
}, 60_000);

describe('fuzzing every RPC through PostgREST', () => {
  it('finds the RPCs to fuzz in the database', () => {
    const names = rpcs.map((r) => r.name);
    for (const known of ['get_public_generated_resume', 'start_wizard_session', 'update_wizard_session', 'merge_imported_profile']) {
      expect(names).toContain(known);
    }
  });

  it('never answers 5xx, answers every 4xx in PostgREST\'s error shape, and writes no row on a 4xx', async () => {
    const failures: string[] = [];
    // The rows as the last call left them: only the calls write the two users' rows, so
    // the fingerprint after one call is the one before the next (one query per call, not two).
    let current = await fingerprint();
    for (const fn of rpcs) {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom<'owner' | 'anon'>('owner', 'owner', 'anon'), argumentsFor(fn), async (caller, args) => {
          const before = current;
          const { status, body } = await call(fn.name, caller, args);
          current = await fingerprint();
          const shown = JSON.stringify(body).slice(0, 300);
          if (status >= 500) throw new Error(`${fn.name} as ${caller} answered ${status}: ${shown}`);
          if (status >= 400) {
            if (!isPostgrestError(body)) throw new Error(`${fn.name} as ${caller}: ${status} body not in PostgREST's shape: ${shown}`);
            if (current !== before) throw new Error(`${fn.name} as ${caller}: ${status} (${shown}) but rows changed`);
          }
        }),
        { seed, numRuns: runsPerRpc, endOnFailure: true },
      ).catch((error: Error) => failures.push(`${fn.name}: ${error.message.split('\n').slice(0, 12).join('\n')}`));
    }
    expect(failures).toEqual([]);
  }, 240_000);
});
