// Calls the database the way PostgREST does for one request: one transaction that switches to the JWT's role and
// publishes its claims (set_config(..., true) = local to the transaction), then the
// statement. RLS, grants and auth.uid() therefore see exactly what they would see
// behind /rest/v1, for a signed-in user or for anon.
import type postgres from 'postgres';
import { asCaller as actAsCaller } from '../../supabase/functions/_shared/act-as-caller.js';

export type Caller = { id: string; email?: string } | 'anon';

export function claimsOf(caller: Caller): Record<string, unknown> {
  if (caller === 'anon') return { role: 'anon' };
  return { sub: caller.id, email: caller.email, role: 'authenticated', aud: 'authenticated' };
}

// The preamble is the functions' own (supabase/functions/_shared/act-as-caller.js).
export async function asCaller<T>(
  sql: postgres.Sql,
  caller: Caller,
  work: (tx: postgres.TransactionSql) => Promise<T>,
): Promise<T> {
  return await actAsCaller(sql, claimsOf(caller), work);
}

const identifier = /^[a-z_][a-z0-9_]*$/;

// POST /rest/v1/rpc/<fn> with a JSON body of named arguments. Postgres resolves each
// parameter's type from the function, and postgres.js then serialises objects and
// arrays bound to jsonb parameters as JSON, as PostgREST passes them.
// Returns the rows of `select * from public.<fn>(...)`; a scalar result is in column <fn>.
export async function rpc<Row = Record<string, any>>(
  sql: postgres.Sql,
  caller: Caller,
  fn: string,
  args: Record<string, unknown> = {},
): Promise<Row[]> {
  const names = Object.keys(args);
  for (const name of [fn, ...names]) {
    if (!identifier.test(name)) throw new Error(`Not a plain SQL identifier: ${name}`);
  }
  const values = names.map((name) => args[name]);
  const list = names.map((name, index) => `${name} => $${index + 1}`).join(', ');
  return await asCaller(sql, caller, async (tx) =>
    (await tx.unsafe(`select * from public.${fn}(${list})`, values as any[])) as unknown as Row[]);
}
