// Reconciliation after an upgrade: every value the fixture put into a live-shaped database is
// found again, in its v2.1 home or in private.legacy_profile_entries with the reason (or, while
// its home does not exist yet, in private.upgrade_stash). Returns the problems, one line each;
// an empty list means every value was found.
import type postgres from 'postgres';
import type { Expectation } from './live-shape';

// JSON with sorted keys, so that equal values compare equal.
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value as object).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const timestamp = /^\d{4}-\d\d-\d\dT\d\d:\d\d/;
// Timestamps compare as instants (to_jsonb prints them in the session's time zone).
const same = (a: unknown, b: unknown) => (typeof a === 'string' && typeof b === 'string' && timestamp.test(a) && timestamp.test(b)
  ? Date.parse(a) === Date.parse(b) : canonical(a) === canonical(b));

async function exists(sql: postgres.Sql, table: string, column?: string) {
  const [row] = column
    ? await sql`select exists (select 1 from information_schema.columns where table_schema = 'public' and table_name = ${table} and column_name = ${column}) as ok`
    : await sql`select to_regclass(${`public.${table}`}) is not null as ok`;
  return row.ok as boolean;
}

export async function reconcile(sql: postgres.Sql, expectations: Expectation[]): Promise<string[]> {
  const problems: string[] = [];
  const homeRows = new Map<string, Map<string, Record<string, unknown>>>();
  const homeExists = new Map<string, boolean>();
  const homeReady = async (table: string, column: string) => {
    const key = `${table}.${column}`;
    if (!homeExists.has(key)) homeExists.set(key, await exists(sql, table, column));
    return homeExists.get(key)!;
  };
  const rowsOf = async (table: string, idColumn: string) => {
    const key = `${table}.${idColumn}`;
    if (!homeRows.has(key)) {
      const rows = await sql`select ${sql(idColumn)}::text as key, to_jsonb(t) as row from ${sql('public')}.${sql(table)} t`;
      homeRows.set(key, new Map(rows.map((r) => [r.key as string, r.row as Record<string, unknown>])));
    }
    return homeRows.get(key)!;
  };
  const archive = (await sql`select user_id::text, source, entry, reason from private.legacy_profile_entries`.catch(() => [])) as {
    user_id: string | null; source: string; entry: Record<string, unknown>; reason: string }[];
  const [{ ok: hasStash }] = await sql`select to_regclass('private.upgrade_stash') is not null as ok`;
  const stashed = hasStash
    ? (await sql`select source, row_id::text, entry from private.upgrade_stash`) as unknown as { source: string; row_id: string; entry: Record<string, unknown> }[]
    : null;

  for (const e of expectations) {
    // The home (or the archive) decides once it exists; until then the stash holds the value.
    const decided = e.stash ? await homeReady(e.stash.homeTable, e.stash.homeColumn) : true;
    if (!decided) {
      const s = e.stash!;
      const entry = stashed?.find((x) => x.source === s.source && x.row_id === s.rowId)?.entry;
      if (!entry || (s.key !== null && !same(entry[s.key], s.value))) {
        problems.push(`${e.what}: ${JSON.stringify(s.value)} is neither in its home ${s.homeTable}.${s.homeColumn} (not there yet) nor in private.upgrade_stash`);
      }
      continue;
    }
    if (e.home) {
      const h = e.home;
      const row = (await rowsOf(h.table, h.idColumn)).get(h.id);
      if (!row) problems.push(`${e.what}: no ${h.table} row with ${h.idColumn} = ${h.id}`);
      else if (!same(row[h.column], h.value)) {
        problems.push(`${e.what}: ${h.table}.${h.column} is ${JSON.stringify(row[h.column])}, expected ${JSON.stringify(h.value)}`);
      }
    }
    if (e.archive) {
      const a = e.archive;
      const hit = archive.find((x) => x.source === a.source && (e.userId === null || x.user_id === e.userId)
        && Object.entries(a.contains).every(([k, v]) => same(x.entry?.[k], v)));
      if (!hit) problems.push(`${e.what}: not in private.legacy_profile_entries (source ${a.source}, ${JSON.stringify(a.contains)})`);
      else if (!a.reason.test(hit.reason)) problems.push(`${e.what}: archived with reason "${hit.reason}", expected ${a.reason}`);
    }
  }
  return problems;
}
