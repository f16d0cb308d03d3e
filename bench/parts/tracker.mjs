// Bench part: the tracker's two read-heavy RPCs, timed as PostgREST runs them:
//   get_calendar_feed(feed_token)  as anon (a calendar app polling the secret URL; the
//                                  calendar function calls exactly this, then renders),
//   job_insights()                 as the user under RLS, and bare (service_role with the
//                                  user's sub: the function's own auth.uid() filter is
//                                  then the only scope),
// for power users (5,000 jobs, 500 interviews) and typical users (100–350 jobs, 5–25
// interviews), on both data sets. Targets (issue acceptance): feed p50 ≤ 50 ms and
// insights p50 ≤ 40 ms for a power user, ≤ 10 ms each for a typical user, full / tenth
// ≤ 1.5; no sequential scan of a table over 10,000 rows.
//
// prepare() adds the users (emails end in @tracker.bench, so no other part samples
// them) with jobs and status histories, sources, follow-ups and deadlines, interviews
// (a tenth cancelled) with participants, contacts, one generated resume in three versions
// sent with half the applied jobs, and a calendar feed whose token is derived from the
// user's number (the hash is what the database keeps).
import postgres from 'postgres';
import { done } from '../../scripts/lib/console.mjs';
import { userClaims } from '../client-queries.mjs';
import { apiConnection, summarise } from '../measure.mjs';
import { bigSeqScans, planConnection, relationSizes } from '../plans.mjs';

export const trackerTargets = { powerFeed: 50, powerInsights: 40, typicalFeed: 10, typicalInsights: 10, growth: 1.5 };

const population = {
  quick: { power: 1, typical: 10 },
  tenth: { power: 5, typical: 50 },
  full: { power: 5, typical: 50 },
};

// The part's own schedule, as job-search keeps one: every sampled user runs the feed and
// insights (both sides) per iteration; the budget stops after whole iterations.
export const schedule = {
  quick: { warmup: 1, iterations: 2, typicalUsers: 10, budgetSeconds: 300 },
  sized: { warmup: 2, iterations: 10, typicalUsers: 30, budgetSeconds: 180 },
};

// A feed token as create_calendar_feed makes them: 32 base64url characters.
const feedToken = (n) => `trackerbench${String(n).padStart(20, '0')}`;

const paths = {
  bookmarked: ['bookmarked'],
  applying: ['bookmarked', 'applying'],
  applied: ['bookmarked', 'applied'],
  interviewing: ['bookmarked', 'applied', 'interviewing'],
  negotiating: ['bookmarked', 'applied', 'interviewing', 'negotiating'],
  accepted: ['bookmarked', 'applied', 'interviewing', 'negotiating', 'accepted'],
  rejected: ['bookmarked', 'applied', 'interviewing', 'rejected'],
  withdrawn: ['bookmarked', 'applied', 'withdrawn'],
};
const statusMix = [
  ['bookmarked', 0.25], ['applying', 0.08], ['applied', 0.30], ['interviewing', 0.10],
  ['negotiating', 0.02], ['accepted', 0.02], ['rejected', 0.19], ['withdrawn', 0.04],
];
const sources = ['linkedin', 'company_site', 'job_board', 'referral', 'recruiter_outreach', 'browser_extension', 'other'];
const kinds = ['phone_screen', 'technical', 'take_home', 'on_site', 'panel', 'hiring_manager', 'hr', 'final', 'other'];
const zones = ['America/Los_Angeles', 'Europe/Berlin', 'America/New_York', 'Europe/London', 'Asia/Tokyo', 'UTC'];
const textArray = (values) => `array[${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')}]::text[]`;

function statusCase(column) {
  let cumulative = 0;
  return `case ${statusMix.map(([s, share]) => `when ${column} < ${(cumulative += share).toFixed(4)} then '${s}'`).join(' ')} else 'withdrawn' end`;
}

function addUsersSql({ power, typical }, template) {
  const pathCase = `case s.status ${Object.entries(paths).map(([s, p]) => `when '${s}' then ${textArray(p)}`).join(' ')} end`;
  return `
    set synchronous_commit = off;
    set work_mem = '256MB';
    select setseed(0.2718);
    create schema bench_tracker;
    create unlogged table bench_tracker.users as
    select g as n, gen_random_uuid() as id, g <= ${power} as power,
           case when g <= ${power} then 5000 else 100 + floor(random() * 251)::int end as jobs,
           case when g <= ${power} then 500 else 5 + floor(random() * 21)::int end as interviews,
           now() - interval '400 days' - random() * interval '300 days' as joined
      from generate_series(1, ${power + typical}) g;
    grant usage on schema bench_tracker to supabase_auth_admin;
    grant select on bench_tracker.users to supabase_auth_admin;
    set role supabase_auth_admin;
    insert into auth.users (instance_id, id, aud, role, email, email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
    select '00000000-0000-0000-0000-000000000000', u.id, 'authenticated', 'authenticated',
           case when u.power then 'power' else 'tracker' end || u.n || '@tracker.bench', u.joined,
           '{"provider":"google","providers":["google"]}', jsonb_build_object('full_name', 'Tracker Bench ' || u.n),
           u.joined, u.joined
      from bench_tracker.users u order by u.n;
    reset role;
    set session_replication_role = replica;
    insert into public.user_profile (user_id, full_name) select u.id, 'Tracker Bench ' || u.n from bench_tracker.users u;
    create unlogged table bench_tracker.slots as
    select s.*, ${statusCase('s.r_status')} as status
      from (select u.id as user_id, u.n, u.joined + (now() - u.joined) * random() as created_at,
                   gen_random_uuid() as id, random() as r_status, random() as r_misc, g as k,
                   1 + floor(random() * 20)::int as step_days
              from bench_tracker.users u cross join lateral generate_series(1, u.jobs) g) s
     order by s.created_at;
    insert into public.jobs (id, user_id, job_title, company, status, source, date_applied, deadline, follow_up_at,
                             next_action, created_at, updated_at)
    select s.id, s.user_id, 'Engineer ' || s.k, 'Company ' || (s.k % 900), s.status,
           case when s.r_misc < 0.85 then (${textArray(sources)})[1 + (s.k % ${sources.length})] end,
           case when s.status not in ('bookmarked', 'applying') then (s.created_at + s.step_days * interval '1 day')::date end,
           case when s.r_misc > 0.6 then (now() + (s.r_misc - 0.7) * interval '100 days')::date end,
           case when s.status = 'applied' and s.r_misc < 0.5 then now() + (s.r_misc - 0.25) * interval '40 days' end,
           case when s.status = 'applied' and s.r_misc < 0.5 then 'Write to the recruiter' end,
           s.created_at, least(now(), s.created_at + (cardinality(${pathCase}) - 1) * s.step_days * interval '1 day')
      from bench_tracker.slots s order by s.created_at;
    insert into public.job_status_events (job_id, user_id, from_status, to_status, changed_at)
    select s.id, s.user_id, p.path[p.k - 1], p.path[p.k], least(now(), s.created_at + (p.k - 1) * s.step_days * interval '1 day')
      from bench_tracker.slots s
     cross join lateral (select ${pathCase} as path) h
     cross join lateral (select h.path, k from generate_series(1, cardinality(h.path)) k) p;
    -- Contacts, one generated resume in three versions, sent with half the applied jobs.
    insert into public.contacts (user_id, name, email, role)
    select u.id, 'Contact ' || g, 'contact' || g || '@company.bench', 'Recruiter' from bench_tracker.users u, generate_series(1, 50) g;
    insert into public.generated_resumes (id, user_id, template_id, title, current_version)
    select gen_random_uuid(), u.id, '${template}', 'Bench resume', 3 from bench_tracker.users u;
    insert into public.generated_resume_versions (generated_resume_id, version_number, content_json)
    select gr.id, v, jsonb_build_object('v', v) from public.generated_resumes gr
      join bench_tracker.users u on u.id = gr.user_id, generate_series(1, 3) v;
    insert into public.job_materials (job_id, user_id, generated_resume_id, resume_version, frozen_at, sent_resume_title)
    select s.id, s.user_id, gr.id, 1 + (s.k % 3), s.created_at, 'Bench resume'
      from bench_tracker.slots s join public.generated_resumes gr on gr.user_id = s.user_id
     where s.status not in ('bookmarked', 'applying') and s.k % 2 = 0;
    -- Interviews on the jobs that got that far (the first ones of each user), spread from
    -- 60 days back to 120 ahead.
    insert into public.interviews (user_id, job_id, round, kind, starts_at, time_zone, duration_minutes, meeting_url, outcome, created_at, updated_at)
    select x.user_id, x.id, 1 + (x.r % 3), (${textArray(kinds)})[1 + (x.r % ${kinds.length})],
           date_trunc('hour', now() - interval '60 days' + random() * interval '180 days'),
           (${textArray(zones)})[1 + (x.r % ${zones.length})], 45, 'https://meet.bench/' || x.r,
           case when x.r % 10 = 0 then 'cancelled' else 'scheduled' end, x.created_at, x.created_at
      from (select s.*, u.interviews, row_number() over (partition by s.user_id order by s.k) as r
              from bench_tracker.slots s join bench_tracker.users u on u.id = s.user_id
             where s.status in ('interviewing', 'negotiating', 'accepted', 'rejected')) x
     where x.r <= x.interviews;
    insert into public.interview_participants (user_id, interview_id, contact_id)
    select i.user_id, i.id, (select c.id from public.contacts c where c.user_id = i.user_id order by c.name limit 1)
      from public.interviews i join bench_tracker.users u on u.id = i.user_id
     where hashtext(i.id::text) % 2 = 0;
    insert into private.calendar_feeds (user_id, token_hash)
    select u.id, private.calendar_feed_token_hash('trackerbench' || lpad(u.n::text, 20, '0')) from bench_tracker.users u;
    set session_replication_role = origin;`;
}

const connect = (url) => postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: 'jobstalker-bench-tracker' } });

async function prepare(dataSet) {
  const sql = connect(dataSet.db.adminUrl);
  const seconds = (start) => ((performance.now() - start) / 1000).toFixed(1).padStart(6);
  try {
    const counts = population[dataSet.name];
    let start = performance.now();
    const [template] = await sql`select id from public.templates order by slug limit 1`;
    await sql.unsafe(addUsersSql(counts, template.id));
    const [made] = await sql.unsafe(`select (select count(*) from public.interviews i join bench_tracker.users u on u.id = i.user_id and u.power) as power_interviews,
                                            (select count(*) from public.jobs j join bench_tracker.users u on u.id = j.user_id and u.power) as power_jobs`);
    done(`${seconds(start)} s  ${counts.power} power users (${made.power_jobs} jobs, ${made.power_interviews} interviews) and ${counts.typical} tracker users, with histories, contacts, what was sent and a feed each`);
    start = performance.now();
    await sql.unsafe('drop schema bench_tracker cascade');
    await sql.unsafe('select private.recount_row_quota_usage()');
    await sql.unsafe('vacuum (analyze) public.jobs, public.job_status_events, public.interviews, public.interview_participants, public.contacts, public.job_materials, private.calendar_feeds');
    done(`${seconds(start)} s  row quotas recounted, vacuum analyze`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function sampleUsers(adminUrl, typicalUsers) {
  const sql = connect(adminUrl);
  try {
    const users = await sql.unsafe(`
      select u.id, u.email, u.email like 'power%' as power, substring(u.email from '[0-9]+')::int as n,
             (select count(*) from public.jobs j where j.user_id = u.id)::int as jobs,
             (select count(*) from public.interviews i where i.user_id = u.id)::int as interviews
        from auth.users u where u.email like '%@tracker.bench' order by u.email`);
    return users
      .map((u) => ({ ...u, token: feedToken(u.n), sessionId: crypto.randomUUID() }))
      .filter((u, i, all) => u.power || all.slice(0, i).filter((v) => !v.power).length < typicalUsers);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

const serviceClaims = { iss: 'supabase-demo', role: 'service_role', exp: 1983812996 };
const anonClaims = { iss: 'supabase-demo', role: 'anon', exp: 1983812996 };

// POST /rpc/<fn> as PostgREST 12 runs it (see job-search.mjs): settings, then the call
// reading named arguments from the JSON body. Both RPCs are VOLATILE (so that the call
// runs once, see 29-job-search-requests.sql): PostgREST runs a POST to them read-write.
function rpcRequest(fn, args, user, side) {
  const columns = Object.keys(args);
  const call = columns.length
    ? `FROM (SELECT $1::json AS json_data) pgrst_payload, LATERAL (SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM json_to_record(pgrst_payload.json_data) AS _(${columns.map((c) => `"${c}" text`).join(', ')}) LIMIT 1) pgrst_body , LATERAL (SELECT "public"."${fn}"(${columns.map((c) => `"${c}" := pgrst_body."${c}"`).join(', ')}) pgrst_scalar) pgrst_call`
    : `FROM (SELECT $1::json AS json_data) pgrst_payload, LATERAL (SELECT "public"."${fn}"() pgrst_scalar) pgrst_call`;
  const text =
    `WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar ${call}) ` +
    `SELECT null::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, ` +
    `coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, ` +
    `nullif(current_setting('response.headers', true), '') AS response_headers, ` +
    `nullif(current_setting('response.status', true), '') AS response_status, ` +
    `'' AS response_inserted FROM (SELECT "${fn}".* FROM "pgrst_source" AS "${fn}" ) _postgrest_t`;
  const claims = side === 'anon'
    ? anonClaims
    : side === 'rls'
    ? userClaims({ id: user.id, email: user.email, fullName: 'Tracker Bench', sessionId: user.sessionId })
    : { ...serviceClaims, sub: user.id };
  return {
    settings: "select set_config('search_path', $1, true), set_config('role', $2, true), set_config('request.jwt.claims', $3, true), set_config('request.method', 'POST', true), set_config('request.path', $4, true)",
    settingsParams: ['"public", "extensions"', claims.role, JSON.stringify(claims), `/rpc/${fn}`],
    text,
    params: [args],
    readOnly: false,
  };
}

async function perform(sql, request) {
  return sql.begin(request.readOnly ? 'isolation level read committed read only' : 'isolation level read committed', async (tx) => {
    await tx.unsafe(request.settings, request.settingsParams);
    const start = performance.now();
    const rows = await tx.unsafe(request.text, request.params);
    return { ms: performance.now() - start, body: rows[0].body };
  });
}

const requestsFor = (user) => [
  { key: 'feed', side: 'anon', request: rpcRequest('get_calendar_feed', { feed_token: user.token }, user, 'anon') },
  { key: 'insights', side: 'rls', request: rpcRequest('job_insights', {}, user, 'rls') },
  { key: 'insights', side: 'bare', request: rpcRequest('job_insights', {}, user, 'bare') },
];

const comparableInsights = (body) => JSON.stringify(body ? { ...body, as_of: undefined } : body);

async function timeDataSet(dataSet, plan, profile) {
  const users = await sampleUsers(dataSet.db.adminUrl, plan.typicalUsers);
  const sql = apiConnection(profile.dbPort, dataSet.database);
  const samples = {};
  const problems = [];
  const add = (key, ms) => (samples[key] ??= []).push(ms);
  const started = performance.now();
  let timedIterations = 0;
  try {
    for (let i = 0; i < plan.warmup + plan.iterations; i++) {
      const timed = i >= plan.warmup;
      if (timedIterations >= 2 && performance.now() - started > plan.budgetSeconds * 1000) break;
      if (timed) timedIterations++;
      for (const user of users) {
        const cls = user.power ? 'power' : 'typical';
        const requests = requestsFor(user);
        if ((i + user.n) % 2) requests.reverse();
        const answers = {};
        for (const r of requests) {
          const result = await perform(sql, r.request);
          answers[`${r.key}|${r.side}`] = result.body;
          if (timed) add(`${cls}|${r.key}|${r.side}`, result.ms);
        }
        if (i === 0) {
          const feed = answers['feed|anon'];
          const interviews = feed?.events?.filter((e) => e.kind === 'interview').length ?? 0;
          if (!feed || interviews === 0) problems.push(`the feed of ${user.email} holds no interview`);
          if (answers['insights|rls']?.applied === undefined || answers['insights|rls'].applied === 0) problems.push(`insights of ${user.email} count no application`);
          if (comparableInsights(answers['insights|rls']) !== comparableInsights(answers['insights|bare'])) {
            problems.push(`insights of ${user.email} differ under RLS and bare`);
          }
        }
      }
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
  const stats = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarise(v)]));
  const seconds = (performance.now() - started) / 1000;
  done(`${timedIterations} timed iterations (+${plan.warmup} warm-up) of ${users.length} users in ${seconds.toFixed(0)} s`);
  return { users, stats, problems, timedIterations, seconds };
}

async function planCheck(dataSet, user) {
  const sizes = await relationSizes(dataSet.db.adminUrl);
  const capture = planConnection(dataSet.db.adminUrl);
  await capture.prepare();
  const seq = [];
  let statements = 0;
  try {
    for (const r of requestsFor(user)) {
      const { plans } = await capture.explain(r.request);
      statements += plans.length;
      for (const s of bigSeqScans(plans, sizes)) seq.push(`${r.key} (${r.side}): ${s}`);
    }
  } finally {
    await capture.end();
  }
  return { seq, statements };
}

const fmt = (v, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');

async function run(ctx) {
  const failures = [];
  const results = {};
  const plan = ctx.quick ? schedule.quick : schedule.sized;
  for (const d of ctx.dataSets) {
    done(`timing get_calendar_feed and job_insights on ${d.name}`);
    results[d.name] = await timeDataSet(d, plan, ctx.profile);
    failures.push(...results[d.name].problems.slice(0, 5).map((p) => `${d.name}: ${p}`));
    for (const cls of ['power', 'typical']) {
      const user = results[d.name].users.find((u) => u.power === (cls === 'power'));
      const plans = await planCheck(d, user);
      if (!plans.statements) failures.push(`${d.name}: auto_explain captured no plan of the ${cls} user's requests`);
      failures.push(...plans.seq.map((s) => `${d.name}, ${cls} user: ${s} sequentially`));
    }
  }
  const main = results.full ?? results.quick;
  const tenth = results.tenth;
  const p50 = (r, key) => r?.stats[key]?.p50;
  const verdicts = [];
  const target = (label, value, limit) => verdicts.push({ target: `${label} ≤ ${limit}`, value, pass: value <= limit });
  target('power user (5,000 jobs, 500 interviews): calendar feed p50 ms', p50(main, 'power|feed|anon'), trackerTargets.powerFeed);
  target('power user: job_insights RLS p50 ms', p50(main, 'power|insights|rls'), trackerTargets.powerInsights);
  target('typical user: calendar feed p50 ms', p50(main, 'typical|feed|anon'), trackerTargets.typicalFeed);
  target('typical user: job_insights RLS p50 ms', p50(main, 'typical|insights|rls'), trackerTargets.typicalInsights);
  for (const key of ['power|feed|anon', 'power|insights|rls', 'typical|feed|anon', 'typical|insights|rls']) {
    target(`${key.split('|').slice(0, 2).join(' ')}: full / tenth p50`, p50(main, key) / p50(tenth, key), trackerTargets.growth);
  }
  const rows = ['power|feed|anon', 'power|insights|rls', 'power|insights|bare', 'typical|feed|anon', 'typical|insights|rls', 'typical|insights|bare'];
  const markdown = [
    '## What is timed',
    '',
    'Per iteration, each sampled user\'s calendar feed (`get_calendar_feed` as anon, as the calendar function calls it for a',
    'subscribing calendar app) and `job_insights` (as the user under RLS, and bare with the service_role key and the user\'s',
    '`sub`), in the SQL shape PostgREST 12 sends for `supabase.rpc(...)`, alternating the order. The feed\'s rendering to',
    'iCalendar text in the function is not in these figures.',
    '',
    `Users: ${population.full.power} power users with 5,000 jobs and 500 interviews and ${population.full.typical} tracker users with 100–350 jobs and`,
    '5–25 interviews in each data set, added by this part (status histories, sources, follow-ups, deadlines, contacts,',
    'interview participants, one generated resume in three versions sent with half the applied jobs, a feed each).',
    `This run: ${Object.entries(results).map(([name, r]) => `${name} ${r.timedIterations} iterations in ${r.seconds.toFixed(0)} s`).join(', ')}.`,
    '',
    '## Results (ms)',
    '',
    '| users | request | side | p50 | p95 | tenth p50 | full / tenth |',
    '|---|---|---|---:|---:|---:|---:|',
    ...rows.map((key) => {
      const [cls, what, side] = key.split('|');
      const s = main.stats[key];
      return `| ${cls} | ${what === 'feed' ? 'get_calendar_feed' : 'job_insights'} | ${side} | ${fmt(s?.p50)} | ${fmt(s?.p95)} | ${fmt(p50(tenth, key))} | ${fmt(s?.p50 / p50(tenth, key), 2)} |`;
    }),
    '',
    `Plans (auto_explain, nested statements included) of one power and one typical user's requests: ${failures.some((f) => f.includes('sequentially')) ? 'a big table is scanned sequentially (see failures)' : 'no sequential scan of a table over 10,000 rows'}.`,
  ];
  return { verdicts, markdown, failures, data: { stats: Object.fromEntries(Object.entries(results).map(([k, r]) => [k, r.stats])) } };
}

export default {
  name: 'tracker',
  title: 'the calendar feed and job_insights for typical and power users',
  prepare,
  run,
};
