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

// What the edge functions run before their own statements (supabase/functions/_shared/db.ts).
import { callerSettingsParams, callerSettingsSql, defaultLockTimeout } from '../supabase/functions/_shared/act-as-caller.js';

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
  const role = claims.role;
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
    role,
    settings: postgrestSettings,
    settingsParams: ['"public", "extensions"', claims.role, JSON.stringify(claims), method, path, JSON.stringify(headers), '{}'],
    ...statement,
  };
}

// Reads one table as the app does (rls) or as a bypassing service with the user filter (bare).
function tableRead(side, ctx, { table, filters = [], ...shape }, method = 'GET') {
  const scoped = side === 'bare' ? [...filters, ['user_id', ctx.user.id]] : filters;
  return postgrestRequest({
    side, ctx, method, path: `/${table}`, single: Boolean(shape.single), statement: postgrestRead({ table, filters: scoped, ...shape }),
  });
}

const dashboardStatuses = ['applied', 'interviewing', 'accepted'];

// The same requests over HTTP, as supabase-js 2 sends them to PostgREST: the apikey
// and bearer headers, Accept-Profile on reads and Content-Profile on writes, the
// x-client-info header, Prefer: count=exact for counts, the object Accept for .single().
// rls sends the user's access token (anon key for the share page) and no user filter;
// bare sends the service_role key plus an explicit user_id=eq.<id> filter.
export function httpHeaders(bearer, { single = false, count = false, json = false } = {}) {
  return {
    apikey: '<anon key: the gateway checks it, PostgREST ignores it>',
    authorization: `Bearer ${bearer}`,
    accept: single ? 'application/vnd.pgrst.object+json' : 'application/json',
    ...(json ? { 'content-profile': 'public', 'content-type': 'application/json' } : { 'accept-profile': 'public' }),
    ...(count ? { prefer: 'count=exact' } : {}),
    'x-client-info': 'supabase-js-node/2.119.1',
  };
}

function httpRead(side, ctx, { table, filters = [], order = [], limit, single = false, head = false, countExact = false }) {
  const scoped = side === 'bare' ? [...filters, ['user_id', ctx.user.id]] : filters;
  const query = new URLSearchParams({ select: '*' });
  for (const [column, value] of scoped) query.append(column, `eq.${value}`);
  if (order.length) query.set('order', order.map(([column, direction]) => `${column}.${direction.toLowerCase()}`).join(','));
  if (limit) query.set('limit', String(limit));
  return {
    method: head ? 'HEAD' : 'GET',
    path: `/${table}?${query}`,
    headers: httpHeaders(side === 'bare' ? ctx.keys.service : ctx.token, { single, count: countExact }),
  };
}


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
    http: (ctx, side) => [httpRead(side, ctx, { table: 'jobs', order: [['updated_at', 'DESC']], limit: 50 })],
  },
  {
    key: 'jobs_by_status',
    title: 'Jobs filtered by status',
    call: ".from('jobs').select('*').eq('status', 'applied').order('updated_at', { ascending: false }).limit(50)",
    requests: (ctx, side) => [tableRead(side, ctx, { table: 'jobs', filters: [['status', 'applied']], order: [['updated_at', 'DESC']], limit: 50 })],
    http: (ctx, side) => [httpRead(side, ctx, { table: 'jobs', filters: [['status', 'applied']], order: [['updated_at', 'DESC']], limit: 50 })],
  },
  {
    key: 'dashboard_counts',
    title: 'Dashboard counts (3 HEAD requests)',
    call: ".from('jobs').select('*', { count: 'exact', head: true }).eq('status', s) for s in applied, interviewing, accepted",
    requests: (ctx, side) => dashboardStatuses.map((status) =>
      tableRead(side, ctx, { table: 'jobs', filters: [['status', status]], head: true, countExact: true }, 'HEAD')),
    http: (ctx, side) => dashboardStatuses.map((status) =>
      httpRead(side, ctx, { table: 'jobs', filters: [['status', status]], head: true, countExact: true })),
  },
  {
    key: 'profile_bundle',
    title: 'Profile bundle (5 requests)',
    call: ".from('user_profile').select('*').single(), then user_skills, user_work_experience, user_education, user_languages .select('*').order(...)",
    requests: (ctx, side) => profileBundle.map((shape) => tableRead(side, ctx, shape)),
    http: (ctx, side) => profileBundle.map((shape) => httpRead(side, ctx, shape)),
  },
  {
    key: 'share_rpc',
    title: 'Public share page (RPC as anon)',
    call: ".rpc('get_public_generated_resume', { share_token })",
    requests: (ctx, side) => [postgrestRequest({
      side, ctx, method: 'POST', path: '/rpc/get_public_generated_resume', anonymous: true,
      statement: postgrestScalarRpc('get_public_generated_resume', { share_token: ctx.shareToken }),
    })],
    // The page's own request: anonymous on both sides (the function runs as its definer).
    http: (ctx) => [{
      method: 'POST',
      path: '/rpc/get_public_generated_resume',
      headers: httpHeaders(ctx.keys.anon, { json: true }),
      body: JSON.stringify({ share_token: ctx.shareToken }),
    }],
  },
  {
    key: 'resume_by_id',
    title: 'Generated resume by primary key',
    call: ".from('generated_resumes').select('*').eq('id', id).single()",
    // Read by the resume's owner (a random resume, so not always the iteration's user).
    requests: (ctx, side) => [tableRead(side, ctx.resume.owner, { table: 'generated_resumes', filters: [['id', ctx.resume.id]], single: true })],
    http: (ctx, side) => [httpRead(side, { ...ctx.resume.owner, keys: ctx.keys }, { table: 'generated_resumes', filters: [['id', ctx.resume.id]], single: true })],
  },
  {
    key: 'ai_admission',
    title: 'AI admission (edge function, as the caller)',
    call: 'supabase/functions/ai/usage-ledger.ts for one model call: admit_ai_request; reserve_ai_call; insert ai_events + settle_ai_call',
    requests: (ctx, side) => aiAdmission(ctx, side),
    // Admission ids differ between the two sides: compare the outcome, not the id.
    answer: (statementRows) => statementRows.map((rows) => {
      const [row] = rows;
      if (!row) return 'no row';
      if ('admission_id' in row) return row.admission_id ? 'admitted' : `refused: ${row.refusal}`;
      if ('refusal' in row) return row.refusal ? `refused: ${row.refusal}` : 'reserved';
      return 'settled';
    }).join('|'),
    answered: (statementRows) => Boolean(statementRows[0]?.[0]?.admission_id) && statementRows[1]?.[0]?.refusal === null,
  },
];

// The ai function's admission for one request with one model call, exactly the
// statements supabase/functions/ai/usage-ledger.ts runs, in its three
// transactions, on the function's own login (postgres, as SUPABASE_DB_URL names it):
//   1. private.admit_ai_request(action, per_minute, daily_tokens)        (admitRequest)
//   2. private.reserve_ai_call(admission, estimate, per_minute, daily)   (reserve, before the model call)
//   3. insert into public.ai_events ...; private.settle_ai_call(...)     (a booking's record, after the call)
// rls: as the caller, through the one act-as-caller preamble (role authenticated and the
//      user's claims), as the function runs it; the ai_events insert meets its policy.
// bare: the same statements without leaving the login role: the same preamble names
//      postgres itself (BYPASSRLS, and the owner of ai_events) with the user's claims,
//      since the ledger's definer functions name the user by auth.uid() on either side
//      (and the preamble's check that the user still exists runs on both);
//      the insert names user_id explicitly. Both sides pay the same preamble.
// Limits are readLimitConfig's defaults; the call is a job match (max 900 answer tokens).
const aiLimits = { perMinute: 30, dailyTokens: 1_000_000 };
const aiCall = { action: 'job-match', estimate: 2_900, inputTokens: 1_500, outputTokens: 400, latencyMs: 1_800 };

function aiAdmission(ctx, side) {
  const transaction = (...statements) => ({
    login: 'function',
    readOnly: false,
    role: side === 'bare' ? 'postgres' : 'authenticated',
    settings: callerSettingsSql,
    settingsParams: side === 'bare'
      ? ['postgres', JSON.stringify(ctx.claims), defaultLockTimeout, 'postgres', ctx.user.id]
      : callerSettingsParams(ctx.claims),
    statements,
  });
  // earlier: the rows of every statement the group has run so far, in order.
  const admissionId = (earlier) => earlier[0]?.[0]?.admission_id ?? null;
  return [
    transaction({
      text: 'select admission_id, refusal, retry_after_seconds from private.admit_ai_request($1, $2, $3)',
      params: [aiCall.action, aiLimits.perMinute, aiLimits.dailyTokens],
    }),
    transaction({
      text: 'select refusal, retry_after_seconds from private.reserve_ai_call($1, $2, $3, $4)',
      params: (earlier) => [admissionId(earlier), aiCall.estimate, aiLimits.perMinute, aiLimits.dailyTokens],
    }),
    transaction(
      {
        text: `insert into public.ai_events
         (user_id, wizard_session_id, provider, model, input_tokens, output_tokens, latency_ms, status, error)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        params: [ctx.user.id, null, 'openai', 'gpt-4o-mini', aiCall.inputTokens, aiCall.outputTokens, aiCall.latencyMs, 'success', null],
      },
      {
        text: 'select private.settle_ai_call($1, $2, $3)',
        params: (earlier) => [admissionId(earlier), aiCall.estimate, aiCall.inputTokens + aiCall.outputTokens],
      },
    ),
  ];
}

// The statements of one transaction of a request group, with their parameters: a
// statement may take its parameters from the rows of earlier ones (the admission id).
export function statementsOf(request) {
  return request.statements ?? [{ text: request.text, params: request.params }];
}

export function paramsOf(statement, earlier) {
  return typeof statement.params === 'function' ? statement.params(earlier) : statement.params;
}

export const statementCount = (requests) => requests.reduce((sum, r) => sum + statementsOf(r).length, 0);

// What an HTTP answer says, for comparing the two sides: status, the total count a
// HEAD reports (Content-Range after the slash), and the body.
export function httpAnswerOf({ status, contentRange, body }) {
  return `${status}|${contentRange?.split('/')[1] ?? ''}|${body}`;
}

export function httpAnsweredWithData(key, { status, contentRange, body }) {
  if (status >= 400) return false;
  if (key === 'dashboard_counts') return Boolean(contentRange?.split('/')[1]);
  if (key === 'share_rpc') return body !== 'null' && body !== '';
  return body !== '[]' && body !== '';
}

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
  if (key === 'dashboard_counts') return row.total_result_set !== null;
  return Number(row.page_total) > 0;
}
