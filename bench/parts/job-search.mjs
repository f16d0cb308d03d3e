// Bench part: search_jobs and job_dashboard, the two RPCs behind the app's search box
// and dashboard, timed as PostgREST calls them, for typical users (100–350 jobs) and
// power users (5,000 jobs), under RLS as the user and bare (service_role, which
// bypasses RLS; the functions filter on auth.uid() themselves), on both data sets.
//
// prepare() adds to each data set, with the same generator the core load uses:
//   * power users with 5,000 jobs each and typical "tracker" users with 100–350, whose
//     jobs carry a full status history (bookmarked → applied → interviewing → ...), so
//     that the dashboard aggregates several events per job, as a real tracker does;
//   * the search document of every job: the core load inserts jobs with triggers off,
//     so the documents the sync trigger would have written are written here, set-based,
//     and checked afterwards (one per job, equal to a fresh private.job_search_document).
// The added users' emails end in @search.bench, so the core timings never sample them.
import postgres from 'postgres';
import { done } from '../../scripts/lib/console.mjs';
import { apiConnection, summarise } from '../measure.mjs';
import { userClaims } from '../client-queries.mjs';
import { bigSeqScans, planConnection, relationSizes } from '../plans.mjs';
import { describeInterval, pairedRatio, pairedVerdict } from '../paired.mjs';
import * as words from '../vocabulary.mjs';

const { textArray } = words;

export const searchTargets = {
  typicalSearch: 5, typicalDashboard: 10, powerSearch: 15, powerDashboard: 40, growth: 1.5, rlsRatio: 1.10,
};

// The rows the sync trigger writes for the jobs `j` (a where clause follows): every part
// that writes search documents itself (this one, capacity) writes them so.
export const searchDocumentInsert = `insert into public.job_search_documents (job_id, user_id, document, title_company, keys, rank_document)
      select j.id, j.user_id, d.document, j.job_title || ' ' || j.company,
             private.job_search_keys(j.user_id, d.document),
             private.job_search_document(j.job_title, j.company, j.location, left(j.description, 2000))
        from public.jobs j
       cross join lateral (select private.job_search_document(j.job_title, j.company, j.location, j.description) as document) d`;

const population = {
  quick: { power: 2, typical: 20 },
  tenth: { power: 10, typical: 100 },
  full: { power: 10, typical: 100 },
};

// How much is timed, the part's own (the core's --runs / warm-up do not apply): one
// iteration is 13 calls per sampled user and side (11 searches, the first page before a
// second page, the dashboard), so at full size it costs ~15–35 s per data set. All power
// users and 40 of the 100 tracker users are timed: 8 iterations give 80 samples per
// power-user request kind and side, 320 per tracker one, and the timing of both data
// sets stays near 5 minutes on two idle cores. The budget stops the loop early (after
// whole iterations, at least 2 timed) on a slower machine, so it never runs away.
export const schedule = {
  quick: { warmup: 2, iterations: 2, typicalUsers: 20, budgetSeconds: 600 },
  sized: { warmup: 1, iterations: 8, typicalUsers: 40, budgetSeconds: 240 },
};

// History per final status: the path a job took through the pipeline.
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

function statusCase(column) {
  let cumulative = 0;
  return `case ${statusMix.map(([s, share]) => `when ${column} < ${(cumulative += share).toFixed(4)} then '${s}'`).join(' ')} else 'withdrawn' end`;
}

const pick = (array, index) => `(${textArray(array)})[1 + ${index}]`;

function addUsersSql({ power, typical }) {
  const pathCase = `case s.status ${Object.entries(paths).map(([s, p]) => `when '${s}' then ${textArray(p)}`).join(' ')} end`;
  return `
    set synchronous_commit = off;
    set work_mem = '256MB';
    select setseed(0.1414);
    create schema bench_search;
    create unlogged table bench_search.users as
    select g as n, gen_random_uuid() as id, g <= ${power} as power,
           case when g <= ${power} then 5000 else 100 + floor(random() * 251)::int end as jobs,
           now() - interval '400 days' - random() * interval '300 days' as joined
      from generate_series(1, ${power + typical}) g;
    grant usage on schema bench_search to supabase_auth_admin;
    grant select on bench_search.users to supabase_auth_admin;
    set role supabase_auth_admin;
    insert into auth.users (instance_id, id, aud, role, email, email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
    select '00000000-0000-0000-0000-000000000000', u.id, 'authenticated', 'authenticated',
           case when u.power then 'power' else 'tracker' end || u.n || '@search.bench', u.joined,
           '{"provider":"google","providers":["google"]}', jsonb_build_object('full_name', 'Search Bench ' || u.n),
           u.joined, u.joined
      from bench_search.users u order by u.n;
    reset role;

    -- Jobs in created_at order, the added users interleaved, as a live table fills.
    create unlogged table bench_search.slots as
    select s.*, ${statusCase('s.r_status')} as status
      from (select u.id as user_id, u.joined + (now() - u.joined) * random() as created_at,
                   gen_random_uuid() as id, random() as r_status, random() as r_misc,
                   floor(random() * ${words.jobTitles.length})::int as ti,
                   floor(random() * ${words.companies.length})::int as ci,
                   floor(random() * ${words.locations.length})::int as li,
                   floor(random() * ${words.paragraphs.length - 6})::int as pi,
                   2 + floor(random() * 5)::int as np,
                   1 + floor(random() * 20)::int as step_days
              from bench_search.users u cross join lateral generate_series(1, u.jobs) g) s
     order by s.created_at;

    set session_replication_role = replica;
    insert into public.jobs (id, user_id, job_title, company, location, status, date_applied, deadline, description, created_at, updated_at)
    select s.id, s.user_id, ${pick(words.jobTitles, 's.ti')}, ${pick(words.companies, 's.ci')}, ${pick(words.locations, 's.li')},
           s.status,
           case when s.status not in ('bookmarked', 'applying') then (s.created_at + s.step_days * interval '1 day')::date end,
           case when s.r_misc > 0.6 then (now() + (s.r_misc - 0.7) * interval '100 days')::date end,
           ${pick(words.companies, 's.ci')} || ' is hiring a ' || ${pick(words.jobTitles, 's.ti')}
             || ' (' || ${pick(words.locations, 's.li')} || E').\\n\\n'
             || array_to_string((${textArray(words.paragraphs)})[s.pi + 1 : s.pi + s.np], E'\\n\\n'),
           s.created_at, least(now(), s.created_at + (cardinality(${pathCase}) - 1) * s.step_days * interval '1 day')
      from bench_search.slots s
     order by s.created_at;
    -- The history the status triggers would have recorded, one event per step.
    insert into public.job_status_events (job_id, user_id, from_status, to_status, changed_at)
    select s.id, s.user_id, p.path[p.k - 1], p.path[p.k],
           least(now(), s.created_at + (p.k - 1) * s.step_days * interval '1 day')
      from bench_search.slots s
     cross join lateral (select ${pathCase} as path) h
     cross join lateral (select h.path, k from generate_series(1, cardinality(h.path)) k) p;
    set session_replication_role = origin;`;
}

async function indexDefinitions(sql) {
  return sql.unsafe(`select format('%I.%I', n.nspname, c.relname) as name, pg_get_indexdef(i.indexrelid) as definition
                       from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
                      where i.indrelid = 'public.job_search_documents'::regclass
                        and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
                      order by 1`);
}

const connect = (url) => postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: 'jobstalker-bench-search' } });

async function prepare(dataSet) {
  // Two connections: the machine has two cores, and documents and indexes split evenly.
  const lanes = [connect(dataSet.db.adminUrl), connect(dataSet.db.adminUrl)];
  const [sql] = lanes;
  const seconds = (start) => ((performance.now() - start) / 1000).toFixed(1).padStart(6);
  try {
    const counts = population[dataSet.name];
    let start = performance.now();
    await sql.unsafe(addUsersSql(counts));
    done(`${seconds(start)} s  ${counts.power} power users (5,000 jobs each) and ${counts.typical} tracker users (100–350 jobs), with status histories`);

    // One sorted build per index instead of millions of random GIN insertions.
    start = performance.now();
    const saved = await indexDefinitions(sql);
    await sql.unsafe(saved.map((i) => `drop index ${i.name};`).join('\n'));
    await Promise.all(lanes.map((lane, n) => lane.unsafe(`set synchronous_commit = off;
      ${searchDocumentInsert}
       where (hashtext(j.id::text) & 1) = ${n}
         and not exists (select 1 from public.job_search_documents d where d.job_id = j.id)
       order by j.ctid`)));
    done(`${seconds(start)} s  job_search_documents: the document the sync trigger writes, for every job`);
    start = performance.now();
    await Promise.all(lanes.map((lane, n) => lane.unsafe(`set maintenance_work_mem = '1GB';
      ${saved.filter((_, k) => k % lanes.length === n).map((i) => `${i.definition};`).join('\n')}`)));
    const rebuilt = await indexDefinitions(sql);
    if (JSON.stringify(rebuilt) !== JSON.stringify(saved)) throw new Error('the rebuilt job_search_documents indexes differ from the migrations\' ones');
    done(`${seconds(start)} s  rebuilt ${saved.length} indexes of job_search_documents`);

    start = performance.now();
    await sql.unsafe('drop schema bench_search cascade');
    await Promise.all([
      sql.unsafe('vacuum (analyze) public.job_search_documents, auth.users'),
      lanes[1].unsafe('vacuum (analyze) public.jobs, public.job_status_events'),
    ]);
    // Run beside the other lane's ANALYZE, the vacuum above leaves many of the new
    // events' pages not all-visible, and the dashboard's index-only scans would then read
    // the heap; a second pass visits only those pages.
    await sql.unsafe('vacuum public.job_status_events, public.jobs');
    // Every job has its document; a sample of 2,000 equals a freshly computed one.
    const [check] = await sql.unsafe(`
      select (select count(*) from public.jobs) - (select count(*) from public.job_search_documents) as missing,
             (select count(*) from (select d.job_id from public.job_search_documents d tablesample system (1) repeatable (7)
                                      join public.jobs j on j.id = d.job_id
                                     where d.user_id <> j.user_id
                                        or d.document <> private.job_search_document(j.job_title, j.company, j.location, j.description)
                                        or d.keys <> private.job_search_keys(d.user_id, d.document)
                                        or d.rank_document <> private.job_search_document(j.job_title, j.company, j.location, left(j.description, 2000))
                                     limit 2000) x) as wrong`);
    if (Number(check.missing) !== 0 || Number(check.wrong) !== 0) {
      throw new Error(`job_search_documents disagrees with jobs: ${check.missing} missing, ${check.wrong} wrong`);
    }
    done(`${seconds(start)} s  vacuum analyze; every job has its document, a 1% sample equal to fresh ones`);
  } finally {
    await Promise.all(lanes.map((lane) => lane.end({ timeout: 5 })));
  }
}

// The words a user would type, drawn from their first job: a company name, a title
// word, a skill in the description, a phrase, a typo, a prefix being typed, an
// exclusion, an OR, a status filter, and the next page of a broad query. "First" by
// created_at, which the seeded generator makes the same job for the same user in both
// data sets (the ids are random): so the tenth and the full data set run the same
// queries, and growth compares like with like rather than different words.
function querySet(job, skill) {
  const company = job.company.split(' ')[0];
  const titleWord = job.job_title.split(' ').at(-1);
  const typo = company.length > 4 ? company.slice(0, 2) + company.slice(3) : company + 'x';
  return [
    { kind: 'company', args: { query: company } },
    { kind: 'title word', args: { query: titleWord.toLowerCase() } },
    { kind: 'skill', args: { query: skill } },
    { kind: 'phrase', args: { query: `"${job.job_title}"` } },
    { kind: 'typo', args: { query: typo.toLowerCase() } },
    { kind: 'prefix', args: { query: skill.slice(0, Math.max(3, skill.length - 3)) } },
    { kind: 'exclusion', args: { query: `${titleWord} -${company}` } },
    { kind: 'or', args: { query: `${skill} OR ${company}` } },
    { kind: 'statuses', args: { query: titleWord, statuses: ['applied', 'interviewing'] } },
    { kind: 'second page', args: { query: titleWord }, secondPage: true },
    { kind: 'pathological', args: { query: Array.from({ length: 40 }, (_, i) => (i % 2 ? `-"${skill}` : `${company} OR`)).join(' ').slice(0, 200) } },
  ];
}

const skills = ['kubernetes', 'postgresql', 'typescript', 'react', 'python', 'terraform', 'graphql', 'docker'];

async function sampleUsers(adminUrl, typicalUsers) {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const users = await sql.unsafe(`
      select u.id, u.email, u.email like 'power%' as power,
             (select row_to_json(j) from (select job_title, company from public.jobs j where j.user_id = u.id order by j.created_at, j.id limit 1) j) as job,
             (select count(*) from public.jobs j where j.user_id = u.id)::int as jobs
        from auth.users u where u.email like '%@search.bench' order by u.email`);
    return users.map((u, i) => ({
      id: u.id, email: u.email, power: u.power, jobs: u.jobs, sessionId: crypto.randomUUID(),
      queries: querySet(u.job, skills[i % skills.length]),
    })).filter((u, i, all) => u.power || all.slice(0, i).filter((v) => !v.power).length < typicalUsers);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

const serviceClaims = { iss: 'supabase-demo', role: 'service_role', exp: 1983812996 };

// POST /rpc/<fn> as PostgREST 12 runs it: settings, then the call reading named
// arguments from the JSON body (Query/Statements.hs), in a transaction: read-write,
// as for every VOLATILE function (both RPCs are, so that the statement's two references
// to the result do not run them twice; see their migration).
function rpcRequest(fn, args, user, side) {
  const columns = Object.keys(args);
  const types = { query: 'text', statuses: 'text[]', page_size: 'integer', page_token: 'text', tz: 'text' };
  const text =
    `WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT $1::json AS json_data) pgrst_payload, ` +
    `LATERAL (SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM json_to_record(pgrst_payload.json_data) AS _(${columns.map((c) => `"${c}" ${types[c]}`).join(', ')}) LIMIT 1) pgrst_body , ` +
    `LATERAL (SELECT "public"."${fn}"(${columns.map((c) => `"${c}" := pgrst_body."${c}"`).join(', ')}) pgrst_scalar) pgrst_call) ` +
    `SELECT null::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, ` +
    `coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, ` +
    `nullif(current_setting('response.headers', true), '') AS response_headers, ` +
    `nullif(current_setting('response.status', true), '') AS response_status, ` +
    `'' AS response_inserted FROM (SELECT "${fn}".* FROM "pgrst_source" AS "${fn}" ) _postgrest_t`;
  const userSide = userClaims({ id: user.id, email: user.email, fullName: 'Search Bench', sessionId: user.sessionId });
  // bare: the service_role key (BYPASSRLS) with the user's sub, so auth.uid() still
  // names the user and the functions' own user filter is the only scope.
  const claims = side === 'rls' ? userSide : { ...serviceClaims, sub: user.id };
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

// The requests of one iteration for one user: every search of the user's query set
// (a second page continues with the first page's token) and the dashboard.
async function requestsFor(sql, user, side) {
  const out = [];
  for (const q of user.queries) {
    let args = q.args;
    if (q.secondPage) {
      const first = await perform(sql, rpcRequest('search_jobs', { ...args, page_size: 20 }, user, side));
      const token = first.body?.next_page_token;
      if (!token) continue;
      args = { ...args, page_size: 20, page_token: token };
    }
    out.push({ rpc: 'search_jobs', kind: q.kind, request: rpcRequest('search_jobs', args, user, side) });
  }
  out.push({ rpc: 'job_dashboard', kind: 'dashboard', request: rpcRequest('job_dashboard', { tz: 'America/Los_Angeles' }, user, side) });
  return out;
}

// as_of is the moment of the call, different on each side by construction.
const comparable = (rpc, body) => JSON.stringify(rpc === 'job_dashboard' && body ? { ...body, as_of: undefined } : body);

async function timeDataSet(dataSet, plan, profile) {
  const users = await sampleUsers(dataSet.db.adminUrl, plan.typicalUsers);
  const sql = apiConnection(profile.dbPort, dataSet.database);
  const samples = {};
  const mismatches = [];
  const answered = { search: 0, dashboard: 0 };
  const add = (key, side, ms) => ((samples[key] ??= { rls: [], bare: [] })[side].push(ms));
  // The same request of the same user in the same iteration, RLS and bare: a pair.
  const pairs = {};
  const addPair = (key, rls, bare) => {
    const p = (pairs[key] ??= { rls: [], bare: [] });
    p.rls.push(rls);
    p.bare.push(bare);
  };
  const started = performance.now();
  let timedIterations = 0;
  try {
    for (let i = 0; i < plan.warmup + plan.iterations; i++) {
      const timed = i >= plan.warmup;
      if (timedIterations >= 2 && performance.now() - started > plan.budgetSeconds * 1000) break;
      if (timed) timedIterations++;
      for (const user of users) {
        const cls = user.power ? 'power' : 'typical';
        const order = (i + user.jobs) % 2 ? ['rls', 'bare'] : ['bare', 'rls'];
        const bySide = {};
        for (const side of order) {
          bySide[side] = [];
          for (const r of await requestsFor(sql, user, side)) {
            const result = await perform(sql, r.request);
            bySide[side].push({ ...r, ...result });
            if (timed) {
              add(`${cls}|${r.rpc}`, side, result.ms);
              add(`${cls}|${r.rpc}|${r.kind}`, side, result.ms);
            }
          }
        }
        bySide.rls.forEach((r, k) => {
          const b = bySide.bare[k];
          if (!b || comparable(r.rpc, r.body) !== comparable(b.rpc, b.body)) {
            mismatches.push(`${r.rpc} ${r.kind} for ${user.email}`);
          } else if (timed) {
            addPair(`${cls}|${r.rpc}`, r.ms, b.ms);
          }
          if (r.rpc === 'search_jobs' && r.body?.jobs?.length) answered.search++;
          if (r.rpc === 'job_dashboard' && r.body?.by_status?.total > 0) answered.dashboard++;
        });
      }
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
  const stats = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, { rls: summarise(v.rls), bare: summarise(v.bare) }]));
  // A request with no pair (every answer differed: a failure of its own) gets an empty, undecided interval.
  for (const key of Object.keys(stats)) stats[key].paired = pairedRatio(pairs[key]?.rls ?? [], pairs[key]?.bare ?? []);
  const seconds = (performance.now() - started) / 1000;
  done(`${timedIterations} timed iterations (+${plan.warmup} warm-up) of ${users.length} users in ${seconds.toFixed(0)} s`);
  return { users, stats, mismatches, answered, timedIterations, seconds };
}

// Plans of one power user's requests (RLS side), nested statements included.
async function planCheck(dataSet, user) {
  const sizes = await relationSizes(dataSet.db.adminUrl);
  const capture = planConnection(dataSet.db.adminUrl);
  await capture.prepare();
  const seq = [];
  let statements = 0;
  try {
    for (const side of ['rls', 'bare']) {
      for (const q of user.queries.filter((x) => !x.secondPage)) {
        const { plans } = await capture.explain(rpcRequest('search_jobs', q.args, user, side));
        statements += plans.length;
        for (const s of bigSeqScans(plans, sizes)) seq.push(`search_jobs ${q.kind} (${side}): ${s}`);
      }
      const { plans } = await capture.explain(rpcRequest('job_dashboard', { tz: 'America/Los_Angeles' }, user, side));
      statements += plans.length;
      for (const s of bigSeqScans(plans, sizes)) seq.push(`job_dashboard (${side}): ${s}`);
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
    done(`timing search_jobs and job_dashboard on ${d.name}`);
    results[d.name] = await timeDataSet(d, plan, ctx.profile);
    const power = results[d.name].users.find((u) => u.power);
    const typical = results[d.name].users.find((u) => !u.power);
    const plans = { power: await planCheck(d, power), typical: await planCheck(d, typical) };
    results[d.name].plans = plans;
    for (const cls of ['power', 'typical']) {
      if (!plans[cls].statements) failures.push(`${d.name}: auto_explain captured no plan of the ${cls} user's requests`);
      failures.push(...plans[cls].seq.map((s) => `${d.name}, ${cls} user: ${s} sequentially`));
    }
    failures.push(...results[d.name].mismatches.slice(0, 5).map((m) => `${d.name}: ${m} answered differently under RLS than bare`));
    if (!results[d.name].answered.search) failures.push(`${d.name}: no search found anything`);
    if (!results[d.name].answered.dashboard) failures.push(`${d.name}: no dashboard counted a job`);
  }

  const main = results.full ?? results.quick;
  const tenth = results.tenth;
  const p50 = (r, key, side = 'rls') => r?.stats[key]?.[side].p50;
  const verdicts = [];
  const target = (label, value, limit) => verdicts.push({ target: `${label} ≤ ${limit}`, value, pass: value <= limit });
  target('typical user: search_jobs RLS p50 ms', p50(main, 'typical|search_jobs'), searchTargets.typicalSearch);
  target('typical user: job_dashboard RLS p50 ms', p50(main, 'typical|job_dashboard'), searchTargets.typicalDashboard);
  target('power user (5,000 jobs): search_jobs RLS p50 ms', p50(main, 'power|search_jobs'), searchTargets.powerSearch);
  target('power user (5,000 jobs): job_dashboard RLS p50 ms', p50(main, 'power|job_dashboard'), searchTargets.powerDashboard);
  for (const key of ['typical|search_jobs', 'typical|job_dashboard', 'power|search_jobs', 'power|job_dashboard']) {
    target(`${key.replace('|', ' ')}: full / tenth p50`, p50(main, key) / p50(tenth, key), searchTargets.growth);
  }
  // RLS against bare is judged from pairs, as the core's RLS/bare targets are (bench/README.md, "Paired verdicts").
  for (const key of ['typical|search_jobs', 'typical|job_dashboard', 'power|search_jobs', 'power|job_dashboard']) {
    verdicts.push(pairedVerdict(`${key.replace('|', ' ')}: RLS / bare ≤ ${searchTargets.rlsRatio} (statement, paired)`, main.stats[key].paired, searchTargets.rlsRatio));
  }

  const kinds = Object.keys(main.stats).filter((k) => k.split('|').length === 3).sort();
  const markdown = [
    '## What is timed',
    '',
    'Each sampled user runs, per iteration, eleven searches built from their own data (a company name, a title word,',
    'a skill, a quoted title, a company with a typo, a skill being typed, an exclusion, an OR, a status filter, the',
    'second page of a broad query, and a 200-character query of 40 operators) and the dashboard in',
    '`America/Los_Angeles`, in the SQL shape PostgREST 12 sends for `supabase.rpc(...)`: under RLS as the user, and',
    'bare (service_role, which bypasses RLS, with the user\'s `sub`: the functions\' own `auth.uid()` filter is then',
    'the only scope), alternating which side goes first.',
    '',
    `Users: ${population.full.power} power users with 5,000 jobs and ${population.full.typical} tracker users with 100–350 jobs in each data set,`,
    'added by this part with full status histories (2–5 events per job), their jobs interleaved in creation order.',
    `Timed: all ${population.full.power} power users and ${plan.typicalUsers} of the tracker users, ${plan.iterations} iterations each (+${plan.warmup} warm-up),`,
    `stopped after whole iterations once ${plan.budgetSeconds} s have passed (this part's own schedule; \`--runs\` is for the core requests).`,
    `This run: ${Object.entries(results).map(([name, r]) => `${name} ${r.timedIterations} iterations in ${r.seconds.toFixed(0)} s`).join(', ')}.`,
    '',
    '## Results (ms)',
    '',
    '| users | RPC | RLS p50 | RLS p95 | bare p50 | p50 RLS / bare | paired RLS − bare, µs (95% CI) | paired RLS / bare (95% CI) | tenth RLS p50 | full / tenth |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...['typical|search_jobs', 'typical|job_dashboard', 'power|search_jobs', 'power|job_dashboard'].map((key) => {
      const s = main.stats[key];
      const [cls, rpc] = key.split('|');
      const d = s.paired;
      return `| ${cls} | ${rpc} | ${fmt(s.rls.p50)} | ${fmt(s.rls.p95)} | ${fmt(s.bare.p50)} | ${fmt(s.rls.p50 / s.bare.p50, 2)} | ` +
        `${fmt(d.median * 1000, 0)} (${fmt(d.low * 1000, 0)} to ${fmt(d.high * 1000, 0)}) | ${describeInterval({ value: d.ratio, low: d.ratioLow, high: d.ratioHigh, n: d.n })} | ${fmt(p50(tenth, key))} | ${fmt(s.rls.p50 / p50(tenth, key), 2)} |`;
    }),
    '',
    'The RLS / bare target is judged from pairs (the same request of the same user in the same iteration, RLS and bare;',
    'bench/README.md, "Paired verdicts"). What is timed here is the RPC\'s statement alone, inside the transaction PostgREST',
    'opens, so fair use\'s pre-request (`private.check_fair_use()`, run by PostgREST before the request) is not in these',
    'figures: the difference is the statement under the tables\' policies (the `authenticated` role) against the same',
    'statement as `service_role` (which bypasses RLS; both scope themselves by `auth.uid()`). The core page times the',
    'dashboard once more over HTTP with the pre-request on and off (its section "Fair use\'s pre-request").',
    '',
    '### By kind of request (full data set, RLS)',
    '',
    '| users | request | p50 | p95 |',
    '|---|---|---:|---:|',
    ...kinds.map((k) => {
      const [cls, , kind] = k.split('|');
      return `| ${cls} | ${kind} | ${fmt(main.stats[k].rls.p50)} | ${fmt(main.stats[k].rls.p95)} |`;
    }),
    '',
    `Plans (auto_explain, nested statements included) of one power and one typical user's requests, both sides: ${failures.some((f) => f.includes('sequentially')) ? 'a big table is scanned sequentially (see failures)' : 'no sequential scan of a table over 10,000 rows'}.`,
    `RLS and bare answers compared for every request: ${Object.values(results).reduce((n, r) => n + r.mismatches.length, 0)} differences.`,
  ];
  return { verdicts, markdown, failures, data: { stats: Object.fromEntries(Object.entries(results).map(([k, r]) => [k, r.stats])) } };
}

export default {
  name: 'job-search',
  title: 'search_jobs and job_dashboard for typical and power users',
  prepare,
  run,
};
