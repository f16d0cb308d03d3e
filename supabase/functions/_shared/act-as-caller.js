// The one "act as the caller" preamble, exactly what PostgREST does for a request: in
// the request's transaction, switch to the JWT's role and publish its claims (both local
// to the transaction), so RLS, grants and auth.uid() see the caller. Plain JavaScript so
// that the edge functions (Deno, through db.ts), the vitest suites and the benchmark
// (Node) all run this same statement.

export const apiRoles = ["anon", "authenticated", "service_role"];

// $1 = role, $2 = the claims as JSON.
export const callerSettingsSql =
  "select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)";

/**
 * The parameters of callerSettingsSql for these claims; refuses any role but the API roles.
 * @param {{ role?: unknown }} claims
 * @returns {[string, string]}
 */
export function callerSettingsParams(claims) {
  const role = String(claims.role);
  if (!apiRoles.includes(role)) throw new Error(`Refusing to act as role ${role}.`);
  return [role, JSON.stringify(claims)];
}

// callerSettingsSql as a tagged-template call (postgres.js binds ${} values as $n).
const templateParts = callerSettingsSql.split(/\$\d/);
const template = Object.assign([...templateParts], { raw: [...templateParts] });

/**
 * Runs `work` in one transaction of the postgres.js pool `sql`, acting as the caller.
 * @template T
 * @param {{ begin: (work: (tx: any) => Promise<any>) => Promise<any> }} sql
 * @param {{ role?: unknown }} claims
 * @param {(tx: any) => Promise<T>} work
 * @returns {Promise<T>}
 */
export async function asCaller(sql, claims, work) {
  const params = callerSettingsParams(claims);
  return await sql.begin(async (tx) => {
    await tx(template, ...params);
    return await work(tx);
  });
}
