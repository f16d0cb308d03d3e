// Bench part "partitioning": should `jobs` be partitioned? The spec suggests range by
// created_at "if it grows large"; the other candidate is hash by user_id (every app
// request is per user). Two copies of the data set's jobs are built next to
// public.jobs, with the same rows, the same non-unique indexes (the primary key then
// has to include the partition key) and the same select policy, in schema
// bench_partitioning (dropped with the bench stack):
//   jobs_by_month  partition by range (created_at), one partition per month;
//   jobs_by_user   partition by hash (user_id), 16 partitions.
// Then the app's requests on jobs, in the SQL shape PostgREST sends and under RLS as
// the user, run against all three, interleaved, with one untimed run of each first:
// the jobs list, the status filter, the dashboard's three HEAD counts, and opening one
// job by id. Every answer must equal the plain table's. Partitioning is adopted only
// if a variant is at least 5% faster at p50 on every request.
import { done } from '../../lib/console.mjs';
import { clientQueries } from '../client-queries.mjs';
import { apiConnection, perform, percentile } from '../measure.mjs';

const schema = 'bench_partitioning';
const variants = [
  { key: 'plain', table: '"public"."jobs"', title: 'public.jobs (not partitioned)' },
  { key: 'by_month', table: `"${schema}"."jobs_by_month"`, title: 'range by created_at, monthly' },
  { key: 'by_user', table: `"${schema}"."jobs_by_user"`, title: 'hash by user_id, 16 partitions' },
];
const hashPartitions = 16;
const adoptBelow = 0.95;

// Copies public.jobs' non-unique, non-constraint indexes onto a partitioned copy.
const copyIndexesSql = (target) => `
  do $$
  declare
    i record;
  begin
    for i in
      select c.relname as name, pg_get_indexdef(x.indexrelid) as definition
        from pg_index x join pg_class c on c.oid = x.indexrelid
       where x.indrelid = 'public.jobs'::regclass and not x.indisprimary and not x.indisunique
    loop
      execute replace(replace(i.definition, 'ON public.jobs', 'ON ${schema}.${target}'),
                      'INDEX ' || i.name, 'INDEX ${target}_' || i.name);
    end loop;
  end
  $$;`;

const policySql = (target) => `
  alter table ${schema}.${target} enable row level security;
  create policy "Owners can view their own jobs" on ${schema}.${target}
    for select to authenticated using ((select auth.uid()) = user_id);
  grant select on ${schema}.${target} to authenticated;`;

const buildSql = `
  create schema ${schema};
  grant usage on schema ${schema} to authenticated;

  create table ${schema}.jobs_by_month (like public.jobs including defaults) partition by range (created_at);
  alter table ${schema}.jobs_by_month add primary key (id, created_at);
  do $$
  declare
    month timestamptz := date_trunc('month', (select min(created_at) from public.jobs));
  begin
    while month <= (select max(created_at) from public.jobs) loop
      execute format('create table ${schema}.%I partition of ${schema}.jobs_by_month for values from (%L) to (%L)',
                     'jobs_by_month_' || to_char(month, 'YYYY_MM'), month, month + interval '1 month');
      month := month + interval '1 month';
    end loop;
  end
  $$;
  create table ${schema}.jobs_by_month_default partition of ${schema}.jobs_by_month default;

  create table ${schema}.jobs_by_user (like public.jobs including defaults) partition by hash (user_id);
  alter table ${schema}.jobs_by_user add primary key (id, user_id);
  do $$
  begin
    for r in 0 .. ${hashPartitions - 1} loop
      execute format('create table ${schema}.%I partition of ${schema}.jobs_by_user for values with (modulus ${hashPartitions}, remainder %s)',
                     'jobs_by_user_' || r, r);
    end loop;
  end
  $$;

  set maintenance_work_mem = '512MB';
  insert into ${schema}.jobs_by_month select * from public.jobs;
  insert into ${schema}.jobs_by_user select * from public.jobs;
  ${copyIndexesSql('jobs_by_month')}
  ${copyIndexesSql('jobs_by_user')}
  ${policySql('jobs_by_month')}
  ${policySql('jobs_by_user')}`;

async function prepare(dataSet, { adminQuery }) {
  if (dataSet.name === 'tenth') return;
  const started = performance.now();
  await adminQuery(dataSet.db.adminUrl, buildSql);
  await adminQuery(dataSet.db.adminUrl, `vacuum analyze ${schema}.jobs_by_month`);
  await adminQuery(dataSet.db.adminUrl, `vacuum analyze ${schema}.jobs_by_user`);
  done(`two partitioned copies of jobs built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

// GET /jobs?id=eq.<id> with Accept: application/vnd.pgrst.object+json (.single()), as
// PostgREST 12 builds it; the settings and claims are those of the jobs list request.
function jobById(listRequest, jobId) {
  const qi = '"public"."jobs"';
  return {
    ...listRequest,
    text:
      `WITH pgrst_source AS ( SELECT ${qi}.* FROM ${qi}  WHERE ${qi}."id" = $1  LIMIT $2 OFFSET $3 )  SELECT null::bigint AS total_result_set, ` +
      `pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t)->0, 'null') AS body, ` +
      `nullif(current_setting('response.headers', true), '') AS response_headers, ` +
      `nullif(current_setting('response.status', true), '') AS response_status, ` +
      `'' AS response_inserted FROM ( SELECT * FROM pgrst_source ) _postgrest_t`,
    params: [jobId, '1000', '0'],
  };
}

const requestKinds = [
  ...['jobs_list', 'jobs_by_status', 'dashboard_counts'].map((key) => {
    const q = clientQueries.find((c) => c.key === key);
    return { key, title: q.title, requests: (ctx) => q.requests(ctx, 'rls') };
  }),
  {
    key: 'job_by_id',
    title: 'Open one job by id',
    requests: (ctx) => [jobById(clientQueries.find((c) => c.key === 'jobs_list').requests(ctx, 'rls')[0], ctx.jobId)],
  },
];

const onVariant = (request, variant) => ({ ...request, text: request.text.replaceAll('"public"."jobs"', variant.table) });

const answerOf = (rows) => rows.map((r) => `${r.total_result_set}|${r.page_total}|${r.body}`).join('\n');

async function run({ dataSets, profile, adminQuery, quick, runs }) {
  const dataSet = dataSets.find((d) => d.name === (quick ? 'quick' : 'full'));
  const contexts = dataSet.contexts.slice(0, 200);
  const ids = contexts.map((c) => c.user.id);
  const jobs = await adminQuery(dataSet.db.adminUrl,
    'select distinct on (user_id) user_id, id from public.jobs where user_id = any($1::uuid[]) order by user_id, created_at', [ids]);
  const jobOf = new Map(jobs.map((j) => [j.user_id, j.id]));
  const usable = contexts.filter((c) => jobOf.has(c.user.id)).map((c) => ({ ...c, jobId: jobOf.get(c.user.id) }));

  const sql = apiConnection(profile.dbPort, dataSet.database);
  const samples = Object.fromEntries(requestKinds.map((k) => [k.key, Object.fromEntries(variants.map((v) => [v.key, []]))]));
  const failures = [];
  let mismatches = 0;
  try {
    for (let i = 0; i < runs; i++) {
      const ctx = usable[i % usable.length];
      ctx.now = new Date();
      const order = variants.map((_, k) => variants[(i + k) % variants.length]);
      for (const kind of requestKinds) {
        const answers = {};
        for (const variant of order) {
          const group = kind.requests(ctx).map((r) => onVariant(r, variant));
          for (const request of group) await perform(sql, request);
          let ms = 0;
          const rows = [];
          for (const request of group) {
            const result = await perform(sql, request);
            ms += result.ms;
            rows.push(...result.rows);
          }
          samples[kind.key][variant.key].push(ms);
          answers[variant.key] = answerOf(rows);
        }
        for (const variant of variants) {
          if (answers[variant.key] !== answers.plain) {
            mismatches += 1;
            if (mismatches <= 3) failures.push(`${kind.key} on ${variant.key} answered differently from public.jobs for user ${ctx.user.id}`);
          }
        }
      }
    }
  } finally {
    await sql.end({ timeout: 5 });
  }

  const [sizes] = await adminQuery(dataSet.db.adminUrl, `
    select pg_total_relation_size('public.jobs') as plain,
           (select sum(pg_total_relation_size(relid)) from pg_partition_tree('${schema}.jobs_by_month')) as by_month,
           (select sum(pg_total_relation_size(relid)) from pg_partition_tree('${schema}.jobs_by_user')) as by_user,
           (select count(*) from pg_partition_tree('${schema}.jobs_by_month') where isleaf) as months,
           (select count(*) from public.jobs) as rows`);
  const p50 = (kind, variant) => percentile(samples[kind][variant], 0.5);
  const p95 = (kind, variant) => percentile(samples[kind][variant], 0.95);
  const ratios = Object.fromEntries(variants.slice(1).map((v) => [v.key, Object.fromEntries(requestKinds.map((k) => [k.key, p50(k.key, v.key) / p50(k.key, 'plain')]))]));
  const winners = variants.slice(1).filter((v) => requestKinds.every((k) => ratios[v.key][k.key] <= adoptBelow));
  const decision = winners.length
    ? `adopt ${winners[0].title}: at least ${Math.round((1 - adoptBelow) * 100)}% faster at p50 on every request`
    : `keep public.jobs unpartitioned: neither variant is ${Math.round((1 - adoptBelow) * 100)}% faster at p50 on every request`;
  for (const k of requestKinds) {
    done(`${k.key.padEnd(17)} p50 ms  plain ${p50(k.key, 'plain').toFixed(3)}  by_month ${p50(k.key, 'by_month').toFixed(3)} (${ratios.by_month[k.key].toFixed(2)})  by_user ${p50(k.key, 'by_user').toFixed(3)} (${ratios.by_user[k.key].toFixed(2)})`);
  }
  done(`decision: ${decision}`);
  const mb = (bytes) => `${(Number(bytes) / 1024 / 1024).toFixed(0)} MB`;
  return {
    verdicts: [],
    markdown: [
      `## Decision: ${decision}`,
      '',
      `${Number(sizes.rows).toLocaleString('en-US')} jobs, ${runs} runs per request and layout (after one untimed run each), under RLS as the user, layouts interleaved; times are the statement's round trip in ms (p50 / p95), ratio = p50 / plain p50. A layout is adopted only below ${adoptBelow.toFixed(2)} on every request. ${mismatches} answers differed from public.jobs.`,
      '',
      `| request | plain | ${variants[1].title} | ratio | ${variants[2].title} | ratio |`,
      '|---|---:|---:|---:|---:|---:|',
      ...requestKinds.map((k) =>
        `| ${k.title} | ${p50(k.key, 'plain').toFixed(3)} / ${p95(k.key, 'plain').toFixed(3)} | ${p50(k.key, 'by_month').toFixed(3)} / ${p95(k.key, 'by_month').toFixed(3)} | ${ratios.by_month[k.key].toFixed(2)} | ${p50(k.key, 'by_user').toFixed(3)} / ${p95(k.key, 'by_user').toFixed(3)} | ${ratios.by_user[k.key].toFixed(2)} |`),
      '',
      `Size on disk with indexes: plain ${mb(sizes.plain)}, by month ${mb(sizes.by_month)} (${sizes.months} partitions), by user ${mb(sizes.by_user)} (${hashPartitions} partitions).`,
      '',
      'How each layout meets the requests: every request filters on the user (RLS adds `user_id = (select auth.uid())`, a value known only when the statement runs). The monthly layout cannot prune on it, so each request visits every month\'s partition and its index; the hash layout prunes to one partition at execution time; opening a job by id names no partition in either layout, so it probes every partition\'s primary key.',
    ],
    failures,
    data: { samples: Object.fromEntries(requestKinds.map((k) => [k.key, Object.fromEntries(variants.map((v) => [v.key, { p50: p50(k.key, v.key), p95: p95(k.key, v.key) }]))])), ratios, decision, sizes, mismatches },
  };
}

export default { name: 'partitioning', title: 'Partitioning jobs: range by created_at, hash by user_id, or none', prepare, run };
