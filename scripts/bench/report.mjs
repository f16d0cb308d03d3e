// docs/benchmarks.md, written from one full run's results (bench-results/results.json).
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../lib/profiles.mjs';

const fmt = (value, digits = 3) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const count = (value) => (Number.isFinite(value) ? value.toLocaleString('en-US') : 'n/a');

const partsDir = join(repoRoot, 'docs', 'benchmarks');

// docs/benchmarks/NAME.md: one part's targets and findings from the run that measured it.
export function writePartReport(result, part) {
  const m = result.machine;
  const lines = [
    `# Benchmark: ${part.title}`,
    '',
    `Written by \`npm run bench -- --only ${part.name}\` (or a run of every part) on ${result.date.slice(0, 10)}; do not edit by hand, run it again.`,
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Postgres ${m.postgres}, Node ${m.node}.`,
    '',
    '## Targets',
    '',
    ...part.verdicts.map((v) => `- ${v.pass ? 'MET' : 'MISSED'} ${v.target}: ${fmt(v.value, 2)}`),
    '',
    ...part.markdown,
    '',
  ];
  mkdirSync(partsDir, { recursive: true });
  const file = join(partsDir, `${part.name}.md`);
  writeFileSync(file, lines.join('\n'));
  return file;
}

export function writeReport(result, queries) {
  const full = result.stats.full;
  const tenth = result.stats.tenth;
  const fullSet = result.dataSets.find((d) => d.name === 'full');
  const tenthSet = result.dataSets.find((d) => d.name === 'tenth');
  const m = result.machine;
  const lines = [];
  const push = (...more) => lines.push(...more);

  push(
    '# Benchmarks: row-level security at production scale',
    '',
    `Written by \`npm run bench\` (scripts/bench/) on ${result.date.slice(0, 10)} from a full run; do not edit by hand, run it again.`,
    'Raw numbers and every plan of that run are in `bench-results/` (git-ignored).',
    '',
    '## Targets',
    '',
    ...result.verdicts.map((v) => `- ${v.pass ? 'PASS' : 'FAIL'} ${v.target}: ${fmt(v.value, 2)}`),
    `- ${result.failures.some((f) => f.includes('sequentially')) ? 'FAIL' : 'PASS'} no plan, on either data set and either side, scans a table of more than 10,000 rows sequentially`,
    `- ${result.mismatches ? 'FAIL' : 'PASS'} every request answered the same under RLS as with the explicit user filter (${result.mismatches} differences)`,
    '',
    '## Results (full data set; times in ms)',
    '',
    '| Request | RLS p50 | RLS p95 | bare p50 | bare p95 | RLS / bare | RLS cost per statement (µs) | tenth-size RLS p50 | full / tenth |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const q of queries) {
    const f = full[q.key];
    const t = tenth?.[q.key];
    const perStatement = ((f.rls.p50 - f.bare.p50) * 1000) / f.statements;
    push(`| ${q.title} | ${fmt(f.rls.p50)} | ${fmt(f.rls.p95)} | ${fmt(f.bare.p50)} | ${fmt(f.bare.p95)} | ${fmt(f.rls.p50 / f.bare.p50, 2)} | ${fmt(perStatement, 0)} | ${fmt(t?.rls.p50)} | ${fmt(t ? f.rls.p50 / t.rls.p50 : NaN, 2)} |`);
  }
  push(
    '',
    `${full[queries[0].key].rls.runs} timed runs per request and side on each data set (plus ${result.options.warmup} warm-up iterations), a random user per run.`,
    '',
    '"RLS cost per statement" is (RLS p50 − bare p50) divided by the statements in the request group. The plans of',
    'both sides are the same (same index, same buffers; see below), so this is the fixed price of the policy',
    "itself: evaluating `(select auth.uid())` once per statement (reading and parsing the claims JSON, an InitPlan)",
    'and planning the policy qual (every execution is planned, as through the pooler). It does not grow with the',
    'rows read, so the ratio is highest for the shortest statements.',
    '',
    '### The requests',
    '',
    '| Request | supabase-js call (what the app sends) |',
    '|---|---|',
    ...queries.map((q) => `| ${q.title} | \`${q.call.replaceAll('|', '\\|')}\` |`),
    '',
    '## How it is measured',
    '',
    '- **RLS** is the request as the app sends it through PostgREST: one transaction `BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY`',
    "  (read-write for the volatile share RPC), `set_config('role', 'authenticated', true)` (`anon` for the share page),",
    "  `set_config('request.jwt.claims', <the user's GoTrue claims>, true)` and the other request settings PostgREST 12 publishes,",
    '  then the statement in the shape PostgREST 12 builds for that supabase-js call (`WITH pgrst_source AS (...) SELECT ...',
    "  json_agg(_postgrest_t) ...`; `max_rows = 1000` becomes `LIMIT 1000`; HEAD requests aggregate no body; `count: 'exact'` adds",
    '  the `pgrst_source_count` CTE; RPC arguments come from the JSON body through `json_to_record`). No user filter: the',
    '  policies scope the rows. The AI rate-limit check is the query `supabase/functions/_shared/limits.ts` runs inside',
    '  `asCaller` (role and claims set the same way).',
    '- **bare** is the same statement with the `service_role` key (BYPASSRLS) plus an explicit `"user_id" = $n` filter, which',
    '  is what the old Python service did. For the share RPC both sides call the same SECURITY DEFINER function (RLS does',
    '  not apply inside it); its target compares it with the bare primary-key read of one `generated_resumes` row.',
    '- Connection as `authenticator` with the `postgres` npm package, `prepare: false` like the Supabase pooler: every',
    '  execution is planned with its own parameter values, which are sent untyped as PostgREST binds them.',
    '- The time is the round trip of the main statement (Parse/Bind/Execute), summed over a request group (3 HEAD',
    '  requests for the dashboard, 5 for the profile). BEGIN, the `set_config` statement and COMMIT cost the same on both',
    '  sides and are not counted, so the ratio shows what RLS adds.',
    '- One loop interleaves everything: per iteration and request, on each data set, one untimed request for that user',
    '  (so that both timed sides find the rows in shared buffers; otherwise whichever ran first would pay the cache',
    '  misses), then RLS and bare in alternating order. The growth ratio therefore compares plans and index depth on',
    '  warm data, not how much of each database fits in memory.',
    '- Every RLS answer is compared with the bare answer of the same iteration (same rows, same counts).',
    '- Plans are EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) captured with auto_explain while the request runs as above,',
    '  including the statements inside functions (`log_nested_statements`); a plan fails the run if it has a `Seq Scan` on',
    '  a relation with more than 10,000 rows (`pg_class.reltuples`).',
    '',
    '## Machine',
    '',
    `- ${m.cpus} CPU cores (\`nproc\`: ${m.cpus}), ${m.cpuModel}`,
    `- ${m.memoryGiB} GiB memory; ${m.platform}; Node ${m.node}`,
    `- PostgreSQL ${m.postgres}, shared_buffers ${m.sharedBuffers} (the stack's setting); max_wal_size raised to 16GB for loading`,
    '- Shared with other engineers running test suites at the same time; hence the interleaving and the ratios.',
    '',
    '## Data sets',
    '',
    '| | full | one tenth |',
    '|---|---:|---:|',
  );
  const names = Object.keys(fullSet.counts.rows);
  for (const name of names) push(`| ${name} | ${count(fullSet.counts.rows[name])} | ${count(tenthSet?.counts.rows[name])} |`);
  push(
    `| database size | ${fullSet.counts.size} | ${tenthSet?.counts.size ?? 'n/a'} |`,
    `| load time (set-based SQL, 2 connections) | ${fmt(fullSet.loadSeconds, 1)} s | ${fmt(tenthSet?.loadSeconds, 1)} s |`,
    `| load + VACUUM ANALYZE | ${fmt(fullSet.totalSeconds, 1)} s | ${fmt(tenthSet?.totalSeconds, 1)} s |`,
    '',
    'Per user: 20 skills, 5 work experiences, 2 educations, English plus a second language for 60%, 50–350 jobs',
    '(weighted), 0–9 generated resumes each made by a completed wizard session, 1–7 versions each (the profile as',
    'resume JSON), share links on every tenth resume. Jobs: the eight statuses in a tracker-like mix (25% bookmarked,',
    '30% applied, 19% rejected, ...), created over two years in time order (users interleaved, as a live table fills),',
    'descriptions of 500–2,000 characters built from a pool of paragraphs. AI events: the last 30 days, 3% errors.',
    '',
    'Sign-ups go through `auth.users` as supabase_auth_admin (the sign-up trigger creates the profiles), and the',
    'per-user lists through their normalisation triggers. The big tables are loaded with `session_replication_role =',
    'replica` and their derived rows written set-based (one `job_status_events` row per job, `current_version` = newest',
    'version); the run then checks every foreign key and derived value, and rebuilds the plain indexes it dropped for the',
    'load from their saved definitions.',
    '',
    '## Plans (full data set)',
    '',
    'Every scan and modification in each request\'s plans (`rows` = actual rows, `buffers` = shared hit + read).',
    '',
  );
  for (const q of queries) {
    const plans = result.plans.full[q.key];
    push(`### ${q.title}`, '', 'RLS:', '', '```', ...plans.rls.keyLines, '```', '', 'bare:', '', '```', ...plans.bare.keyLines, '```', '');
  }
  const partDocs = existsSync(partsDir) ? readdirSync(partsDir).filter((f) => f.endsWith('.md')).sort() : [];
  if (partDocs.length) {
    push('## Parts', '', 'Each part of the benchmark writes its own page, with its targets, when it runs at full size;',
      'the targets of the parts this run measured are repeated here:', '');
    for (const f of partDocs) {
      const name = f.replace(/\.md$/, '');
      push(`- [${name}](benchmarks/${f})`);
      const part = result.parts?.find((p) => p.name === name);
      for (const v of part?.verdicts ?? []) push(`  - ${v.pass ? 'MET' : 'MISSED'} ${v.target}: ${fmt(v.value, 2)}`);
    }
    push('');
  }
  mkdirSync(join(repoRoot, 'docs'), { recursive: true });
  const file = join(repoRoot, 'docs', 'benchmarks.md');
  writeFileSync(file, lines.join('\n'));
  return file;
}
