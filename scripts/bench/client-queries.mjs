// The requests the app makes, as SQL in the shape PostgREST 12 sends for the matching
// supabase-js call, each in its own transaction exactly as PostgREST opens one:
//
//   BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY        (GET/HEAD; POST to a volatile RPC is READ WRITE)
//   select set_config('search_path', ...), set_config('role', <jwt role>, true),
//          set_config('request.jwt.claims', <claims json>, true), set_config('request.method', ...), ...
//   WITH pgrst_source AS ( SELECT "public"."jobs".* FROM "public"."jobs" ORDER BY ... LIMIT $n OFFSET $m )
//   SELECT null::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total,
//          coalesce(json_agg(_postgrest_t), '[]') AS body, ... FROM ( SELECT * FROM pgrst_source ) _postgrest_t
//   COMMIT
//
// (Statement shapes from PostgREST's Query/Statements.hs, QueryBuilder.hs and
// SqlFragment.hs: max_rows = 1000 becomes LIMIT 1000 on every read, HEAD requests
// aggregate no body, Prefer: count=exact adds the pgrst_source_count CTE, an RPC with
// named arguments reads them from the JSON body with json_to_record.)
//
// Each request has two sides:
//   rls  — what the app sends: role authenticated (anon for the share page) with the
//          user's claims, and no user filter; row-level security scopes the rows.
//   bare — the same statement sent with the service_role key (BYPASSRLS) and an
//          explicit user_id filter: what the old Python service did.
// Every filter value is a text parameter of unknown type, as PostgREST binds them.

const maxRows = 1000;

// A read of one table, as PostgREST 12 builds it.
function postgrestRead({ table, filters = [], order = [], limit = maxRows, single = false, head = false, countExact = false }) {
  const qi = `"public"."${table}"`;
  const params = [];
  const param = (value) => {
    params.push(String(value));
    return `$${params.length}`;
  };
  const where = () => (filters.length ? `WHERE ${filters.map(([column, value]) => `${qi}."${column}" = ${param(value)}`).join(' AND ')}` : '');
  const orderBy = order.length ? `ORDER BY ${order.map(([column, direction]) => `${qi}."${column}" ${direction}`).join(', ')}` : '';
  const source = `SELECT ${qi}.* FROM ${qi}  ${where()} ${orderBy} LIMIT ${param(Math.min(limit, maxRows))} OFFSET ${param(0)}`;
  const countCte = countExact ? `, pgrst_source_count AS (SELECT 1 FROM ${qi}  ${where()})` : '';
  const total = countExact ? '(SELECT pg_catalog.count(*) FROM pgrst_source_count)' : 'null::bigint';
  const body = head ? "''::text" : single ? "coalesce(json_agg(_postgrest_t)->0, 'null')" : "coalesce(json_agg(_postgrest_t), '[]')";
  const text =
    `WITH pgrst_source AS ( ${source} ) ${countCte} SELECT ${total} AS total_result_set, ` +
    `pg_catalog.count(_postgrest_t) AS page_total, ${body} AS body, ` +
    `nullif(current_setting('response.headers', true), '') AS response_headers, ` +
    `nullif(current_setting('response.status', true), '') AS response_status, ` +
    `'' AS response_inserted FROM ( SELECT * FROM pgrst_source ) _postgrest_t`;
  return { text, params };
}

// POST /rpc/<name> with a JSON body of named arguments, for a function returning a scalar.
function postgrestScalarRpc(name, args) {
  const columns = Object.keys(args);
  const text =
    `WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT $1::json AS json_data) pgrst_payload, ` +
    `LATERAL (SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM json_to_record(pgrst_payload.json_data) AS _(${columns.map((c) => `"${c}" text`).join(', ')}) LIMIT 1) pgrst_body , ` +
    `LATERAL (SELECT "public"."${name}"(${columns.map((c) => `"${c}" := pgrst_body."${c}"`).join(', ')}) pgrst_scalar) pgrst_call) ` +
    `SELECT null::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, ` +
    `coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, ` +
    `nullif(current_setting('response.headers', true), '') AS response_headers, ` +
    `nullif(current_setting('response.status', true), '') AS response_status, ` +
    `'' AS response_inserted FROM (SELECT "${name}".* FROM "pgrst_source" AS "${name}" ) _postgrest_t`;
  // The postgres client serialises the object as the json parameter PostgREST binds.
  return { text, params: [args] };
}

// The request-scoped settings PostgREST 12 publishes before the query.
const postgrestSettings =
  "select set_config('search_path', $1, true), set_config('role', $2, true), set_config('request.jwt.claims', $3, true), " +
  "set_config('request.method', $4, true), set_config('request.path', $5, true), set_config('request.headers', $6, true), " +
  "set_config('request.cookies', $7, true)";

// What the edge functions run before their own query (supabase/functions/_shared/db.ts).
import { callerSettingsParams, callerSettingsSql } from '../../supabase/functions/_shared/act-as-caller.js';

const anonClaims = { iss: 'supabase-demo', role: 'anon', exp: 1983812996 };
const serviceClaims = { iss: 'supabase-demo', role: 'service_role', exp: 1983812996 };

// The claims GoTrue puts in a user's access token.
export function userClaims(user, now = Math.floor(Date.now() / 1000)) {
  return {
    aud: 'authenticated',
    exp: now + 3600,
    iat: now,
    iss: 'http://127.0.0.1:54321/auth/v1',
    sub: user.id,
    email: user.email,
    phone: '',
    app_metadata: { provider: 'google', providers: ['google'] },
    user_metadata: { email: user.email, email_verified: true, full_name: user.fullName },
    role: 'authenticated',
    aal: 'aal1',
    amr: [{ method: 'oauth', timestamp: now - 600 }],
    session_id: user.sessionId,
    is_anonymous: false,
  };
}

function postgrestRequest({ side, ctx, method, path, statement, anonymous = false, single = false }) {
  const claims = side === 'bare' ? serviceClaims : anonymous ? anonClaims : ctx.claims;
  const headers = {
    accept: single ? 'application/vnd.pgrst.object+json' : 'application/json',
    'accept-profile': 'public',
    authorization: 'Bearer <jwt>',
    apikey: '<anon key>',
    'x-client-info': 'supabase-js-web/2.105.1',
    'user-agent': 'Mozilla/5.0 (JobStalker benchmark)',
    host: '127.0.0.1:54321',
  };
  return {
    readOnly: method !== 'POST',
    settings: postgrestSettings,
    settingsParams: ['"public", "extensions"', claims.role, JSON.stringify(claims), method, path, JSON.stringify(headers), '{}'],
    ...statement,
  };
}

function functionRequest({ side, ctx, statement }) {
  const claims = side === 'bare' ? serviceClaims : ctx.claims;
  return { readOnly: false, settings: callerSettingsSql, settingsParams: callerSettingsParams(claims), ...statement };
}

// Reads one table as the app does (rls) or as a bypassing service with the user filter (bare).
function tableRead(side, ctx, { table, filters = [], ...shape }, method = 'GET') {
  const scoped = side === 'bare' ? [...filters, ['user_id', ctx.user.id]] : filters;
  return postgrestRequest({
    side, ctx, method, path: `/${table}`, single: Boolean(shape.single), statement: postgrestRead({ table, filters: scoped, ...shape }),
  });
}

const dashboardStatuses = ['applied', 'interviewing', 'accepted'];

const profileBundle = [
  { table: 'user_profile', single: true },
  { table: 'user_skills', order: [['created_at', 'ASC']] },
  { table: 'user_work_experience', order: [['start_date', 'DESC']] },
  { table: 'user_education', order: [['start_date', 'DESC']] },
  { table: 'user_languages', order: [['created_at', 'ASC']] },
];

export const clientQueries = [
  {
    key: 'jobs_list',
    title: 'Jobs list, newest first',
    call: ".from('jobs').select('*').order('updated_at', { ascending: false }).limit(50)",
    requests: (ctx, side) => [tableRead(side, ctx, { table: 'jobs', order: [['updated_at', 'DESC']], limit: 50 })],
  },
  {
    key: 'jobs_by_status',
    title: 'Jobs filtered by status',
    call: ".from('jobs').select('*').eq('status', 'applied').order('updated_at', { ascending: false }).limit(50)",
    requests: (ctx, side) => [tableRead(side, ctx, { table: 'jobs', filters: [['status', 'applied']], order: [['updated_at', 'DESC']], limit: 50 })],
  },
  {
    key: 'dashboard_counts',
    title: 'Dashboard counts (3 HEAD requests)',
    call: ".from('jobs').select('*', { count: 'exact', head: true }).eq('status', s) for s in applied, interviewing, accepted",
    requests: (ctx, side) => dashboardStatuses.map((status) =>
      tableRead(side, ctx, { table: 'jobs', filters: [['status', status]], head: true, countExact: true }, 'HEAD')),
  },
  {
    key: 'profile_bundle',
    title: 'Profile bundle (5 requests)',
    call: ".from('user_profile').select('*').single(), then user_skills, user_work_experience, user_education, user_languages .select('*').order(...)",
    requests: (ctx, side) => profileBundle.map((shape) => tableRead(side, ctx, shape)),
  },
  {
    key: 'share_rpc',
    title: 'Public share page (RPC as anon)',
    call: ".rpc('get_public_generated_resume', { share_token })",
    requests: (ctx, side) => [postgrestRequest({
      side, ctx, method: 'POST', path: '/rpc/get_public_generated_resume', anonymous: true,
      statement: postgrestScalarRpc('get_public_generated_resume', { share_token: ctx.shareToken }),
    })],
  },
  {
    key: 'resume_by_id',
    title: 'Generated resume by primary key',
    call: ".from('generated_resumes').select('*').eq('id', id).single()",
    // Read by the resume's owner (a random resume, so not always the iteration's user).
    requests: (ctx, side) => [tableRead(side, ctx.resume.owner, { table: 'generated_resumes', filters: [['id', ctx.resume.id]], single: true })],
  },
  {
    key: 'ai_rate_limit',
    title: 'AI rate-limit check (edge function, as the caller)',
    call: 'supabase/functions/_shared/limits.ts enforceAiLimits: count(*) filter (last minute), min, sum(tokens today)',
    requests: (ctx, side) => {
      const now = ctx.now;
      const windowStart = new Date(now.getTime() - 60_000);
      const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
      const since = windowStart < dayStart ? windowStart : dayStart;
      return [functionRequest({
        side, ctx,
        statement: {
          text: `select count(*) filter (where created_at > $1)::int as recent,
             min(created_at) filter (where created_at > $2) as oldest_recent,
             coalesce(sum(coalesce(input_tokens, 0)::bigint + coalesce(output_tokens, 0))
                        filter (where created_at >= $3), 0)::bigint as tokens_today
        from public.ai_events
       where user_id = $4 and created_at > $5`,
          params: [windowStart, windowStart, dayStart, ctx.user.id, since],
        },
      })];
    },
  },
];

// The answer a request gave, for comparing the two sides: the same rows, the same count.
export function answerOf(rows) {
  const [row] = rows;
  if (!row) return 'no row';
  if ('body' in row) return `${row.total_result_set}|${row.page_total}|${row.body}`;
  return JSON.stringify(row);
}

// A request "ran" when it answered with data: a non-empty page, a count, a resume.
export function answeredWithData(key, rows) {
  const [row] = rows;
  if (!row) return false;
  if (key === 'share_rpc') return row.body !== 'null' && row.body !== null;
  if (key === 'ai_rate_limit') return row.recent !== undefined;
  if (key === 'dashboard_counts') return row.total_result_set !== null;
  return Number(row.page_total) > 0;
}
