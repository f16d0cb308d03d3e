// EXPLAIN (ANALYZE, BUFFERS) of every request, both sides, and the rule that no plan
// scans a big table sequentially.
//
// Plans are captured with auto_explain (log_analyze, log_buffers, JSON, sent back to us
// as NOTICEs) while the request runs exactly as in the timing loop: its output is
// EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON), and with log_nested_statements it also shows
// the statements inside functions, such as the share RPC's SECURITY DEFINER body, which
// a plain EXPLAIN of the RPC call would hide.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { paramsOf, statementsOf } from './client-queries.mjs';

export const seqScanLimit = 10_000;

export function planConnection(adminUrl) {
  let collector = null;
  const sql = postgres(adminUrl, {
    max: 1,
    prepare: false,
    onnotice: (notice) => collector?.push(notice.message),
    connection: { application_name: 'jobstalker-bench-plans' },
  });
  return {
    sql,
    async prepare() {
      await sql.unsafe(`load 'auto_explain';
        set auto_explain.log_min_duration = -1;
        set auto_explain.log_analyze = on;
        set auto_explain.log_buffers = on;
        set auto_explain.log_timing = on;
        set auto_explain.log_triggers = on;
        set auto_explain.log_nested_statements = on;
        set auto_explain.log_format = 'json';
        set auto_explain.log_level = 'notice'`);
    },
    // Runs one request as the timing loop does and returns the plans of its statements
    // (and of every statement they ran inside functions), outermost last. earlier: the
    // rows of the group's statements so far, for statements that take parameters from them.
    async explain(request, earlier = []) {
      const mode = request.readOnly ? 'isolation level read committed read only' : 'isolation level read committed';
      return sql.begin(mode, async (tx) => {
        await tx.unsafe('set local auto_explain.log_min_duration = 0');
        collector = [];
        try {
          await tx.unsafe(request.settings, request.settingsParams);
          let rows;
          for (const statement of statementsOf(request)) {
            const result = await tx.unsafe(statement.text, paramsOf(statement, earlier));
            earlier.push(result);
            rows ??= result;
          }
          // auto_explain reports a statement when its portal closes, which for the
          // unnamed portal of the extended protocol is when the next statement starts.
          await tx.unsafe(`select 'closes the previous portal'`).simple();
          const plans = collector.map(parseAutoExplain)
            .filter((p) => p && p['Query Text'] !== request.settings && !String(p['Query Text']).includes('closes the previous portal'));
          return { rows, plans };
        } finally {
          collector = null;
        }
      });
    },
    end: () => sql.end({ timeout: 5 }),
  };
}

export function parseAutoExplain(message) {
  const at = message.indexOf('plan:');
  if (at < 0) return null;
  const duration = Number(/duration: ([\d.]+) ms/.exec(message)?.[1]);
  return { durationMs: duration, ...JSON.parse(message.slice(at + 'plan:'.length)) };
}

export async function relationSizes(adminUrl) {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql.unsafe(
      `select c.relname, max(c.reltuples)::bigint as reltuples
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p', 'm') and n.nspname in ('public', 'auth', 'private', 'storage')
        group by c.relname`);
    return new Map(rows.map((r) => [r.relname, Number(r.reltuples)]));
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function* nodes(plan, depth = 0) {
  yield { node: plan, depth };
  for (const child of plan.Plans ?? []) yield* nodes(child, depth + 1);
}

// Sequential scans of a relation the planner believes has more than seqScanLimit rows.
export function bigSeqScans(plans, sizes) {
  const found = [];
  for (const plan of plans) {
    for (const { node } of nodes(plan.Plan)) {
      if (node['Node Type'] !== 'Seq Scan') continue;
      const rows = sizes.get(node['Relation Name']) ?? 0;
      if (rows > seqScanLimit) found.push(`${node['Relation Name']} (${rows.toLocaleString('en-US')} rows)`);
    }
  }
  return found;
}

function describe(node) {
  const parts = [node['Node Type']];
  if (node['Index Name']) parts.push(`using ${node['Index Name']}`);
  if (node['Relation Name']) parts.push(`on ${node['Relation Name']}`);
  if (node['Subplan Name']) parts.push(`(${node['Subplan Name']})`);
  const buffers = (node['Shared Hit Blocks'] ?? 0) + (node['Shared Read Blocks'] ?? 0);
  return `${parts.join(' ')} (rows=${node['Actual Rows']} loops=${node['Actual Loops']} buffers=${buffers})`;
}

export function planText(plan) {
  const lines = [`-- ${plan.durationMs} ms: ${String(plan['Query Text']).replace(/\s+/g, ' ').slice(0, 300)}`];
  for (const { node, depth } of nodes(plan.Plan)) lines.push(`${'  '.repeat(depth)}-> ${describe(node)}`);
  return lines.join('\n');
}

// InitPlans in the plans: under RLS each scan of a protected table adds one, the
// policy's `(select auth.uid())`, so RLS count − bare count = scans that apply a policy.
export function initPlans(plans) {
  let found = 0;
  for (const plan of plans) {
    for (const { node } of nodes(plan.Plan)) if (String(node['Subplan Name'] ?? '').startsWith('InitPlan')) found++;
  }
  return found;
}

// The lines worth reading: every scan (how each table is reached) and modifications.
export function keyLines(plans) {
  const lines = [];
  for (const plan of plans) {
    for (const { node } of nodes(plan.Plan)) {
      if (/Scan|ModifyTable|Insert|Update|Delete/.test(node['Node Type']) && node['Node Type'] !== 'CTE Scan' && node['Node Type'] !== 'Subquery Scan') {
        lines.push(describe(node));
      }
    }
  }
  return [...new Set(lines)];
}

export function savePlans(dir, dataSet, queryKey, side, captured) {
  const folder = join(dir, dataSet);
  mkdirSync(folder, { recursive: true });
  const base = join(folder, `${queryKey}.${side}`);
  writeFileSync(`${base}.json`, JSON.stringify(captured, null, 2) + '\n');
  writeFileSync(`${base}.txt`, captured.map((c) => c.plans.map(planText).join('\n\n')).join('\n\n') + '\n');
  return `${base}.json`;
}
