// Runs the data set's load plan against one database: users first, then two lanes side
// by side (one connection, and so one core, each), then VACUUM ANALYZE.
//
// The plain (non-constraint) indexes of the four big tables are dropped before the
// lanes and rebuilt after them, from their saved definitions: one sorted build per
// index instead of millions of random insertions. The rebuilt definitions are compared
// with the saved ones, so the schema ends exactly as the migrations left it.
import postgres from 'postgres';
import { StackError, done } from '../scripts/lib/console.mjs';
import { consistencyChecks, loadPlan, vacuumLanes } from './dataset.mjs';

const deferredIndexTables = ['public.jobs', 'public.job_status_events', 'public.ai_events', 'public.generated_resume_versions'];
const laneTables = [['public.jobs', 'public.job_status_events'], ['public.ai_events', 'public.generated_resume_versions']];

function connect(adminUrl) {
  return postgres(adminUrl, { max: 1, onnotice: () => {}, connection: { application_name: 'jobstalker-bench-load' } });
}

async function loadSession(sql) {
  await sql.unsafe(`set synchronous_commit = off;
                    set work_mem = '256MB';
                    set maintenance_work_mem = '512MB';
                    select setseed(0.4242)`);
}

const seconds = (start) => (performance.now() - start) / 1000;

async function timed(label, work) {
  const start = performance.now();
  try {
    await work();
  } catch (error) {
    throw new StackError(`Loading the benchmark data failed at "${label}": ${error.message}. Fix the generator in bench/dataset.mjs (or the migration it disagrees with) and run again.`);
  }
  done(`${seconds(start).toFixed(1).padStart(6)} s  ${label}`);
}

async function indexDefinitions(sql, tables) {
  return sql.unsafe(
    `select format('%I.%I', n.nspname, c.relname) as name, format('%I.%I', tn.nspname, t.relname) as table_name,
            pg_get_indexdef(i.indexrelid) as definition
       from pg_index i
       join pg_class c on c.oid = i.indexrelid
       join pg_namespace n on n.oid = c.relnamespace
       join pg_class t on t.oid = i.indrelid
       join pg_namespace tn on tn.oid = t.relnamespace
      where i.indrelid = any($1::regclass[])
        and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
      order by 1`,
    [tables],
  );
}

export async function loadDataSet(adminUrl, size) {
  const lanes = [connect(adminUrl), connect(adminUrl)];
  const plan = loadPlan(size);
  const start = performance.now();
  try {
    await Promise.all(lanes.map(loadSession));
    const [first] = lanes;
    for (const step of plan.first) await timed(step.label, () => first.unsafe(step.sql));

    const saved = await indexDefinitions(first, deferredIndexTables);
    await timed(`dropping ${saved.length} plain indexes of ${deferredIndexTables.join(', ')} until the rows are in`, () =>
      first.unsafe(saved.map((i) => `drop index ${i.name};`).join('\n')));

    await Promise.all(plan.lanes.map(async (steps, lane) => {
      const sql = lanes[lane];
      for (const step of steps) await timed(step.label, () => sql.unsafe(step.sql));
      const mine = saved.filter((i) => laneTables[lane].includes(i.table_name));
      await timed(`rebuilding ${mine.length} indexes on ${laneTables[lane].join(', ')}`, () =>
        sql.unsafe(mine.map((i) => `${i.definition};`).join('\n')));
    }));

    const rebuilt = await indexDefinitions(first, deferredIndexTables);
    const same = JSON.stringify(rebuilt.map((i) => [i.name, i.definition])) === JSON.stringify(saved.map((i) => [i.name, i.definition]));
    if (!same) throw new StackError('The rebuilt indexes differ from the ones the migrations created; see bench/load.mjs.');
    await first.unsafe('drop schema bench_load cascade');
    const loadSeconds = seconds(start);

    await Promise.all(vacuumLanes.map((tables, lane) =>
      timed(`vacuum analyze ${tables.join(', ')}`, () => lanes[lane].unsafe(`vacuum (analyze) ${tables.join(', ')}`))));
    await timed('analyze (everything else)', () => first.unsafe('analyze'));
    return { loadSeconds, totalSeconds: seconds(start) };
  } finally {
    await Promise.all(lanes.map((sql) => sql.end({ timeout: 5 })));
  }
}

// What the skipped triggers and foreign keys would have guaranteed; any row counted
// here means the generator is wrong.
export async function checkConsistency(adminUrl) {
  const sql = connect(adminUrl);
  try {
    await sql.unsafe(`set work_mem = '256MB'`);
    const broken = [];
    for (const [label, query] of consistencyChecks) {
      const [row] = await sql.unsafe(query);
      if (Number(row.count) !== 0) broken.push(`${row.count} ${label}`);
    }
    return broken;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function tableCounts(adminUrl) {
  const sql = connect(adminUrl);
  try {
    const rows = await sql.unsafe(`
      select 'auth.users' as name, count(*)::bigint as rows from auth.users
      union all select 'user_skills', count(*) from public.user_skills
      union all select 'user_work_experience', count(*) from public.user_work_experience
      union all select 'user_education', count(*) from public.user_education
      union all select 'user_languages', count(*) from public.user_languages
      union all select 'jobs', count(*) from public.jobs
      union all select 'job_status_events', count(*) from public.job_status_events
      union all select 'wizard_sessions', count(*) from public.wizard_sessions
      union all select 'generated_resumes', count(*) from public.generated_resumes
      union all select 'shared resumes', count(*) from public.generated_resumes where share_token is not null
      union all select 'generated_resume_versions', count(*) from public.generated_resume_versions
      union all select 'ai_events', count(*) from public.ai_events`);
    const [{ size }] = await sql.unsafe('select pg_size_pretty(pg_database_size(current_database())) as size');
    return { rows: Object.fromEntries(rows.map((r) => [r.name, Number(r.rows)])), size };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
