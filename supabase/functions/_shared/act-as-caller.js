// The one "act as the caller" preamble, what PostgREST does for a request: in the
// request's transaction, switch to the JWT's role and publish its claims (both local to
// the transaction), so RLS, grants and auth.uid() see the caller. It also gives the
// transaction its role's statement_timeout and lock_timeout (on Supabase: authenticated
// 8s, anon 3s): Postgres applies a role's settings only to sessions that log in as it,
// and we log in as postgres and switch with set_config('role'), so without this an
// expensive statement would run unbounded. A role without a setting keeps the session's
// statement_timeout, and the lock_timeout default below. Plain JavaScript so that the
// edge functions (Deno, through db.ts), the vitest suites and the benchmark (Node) all
// run this same statement.

export const apiRoles = ["anon", "authenticated", "service_role"];

// A lock wait ends here unless the role sets its own lock_timeout: every transaction
// of ours is short, so a lock held longer is contention to report, not to wait out.
export const defaultLockTimeout = "2s";

// $1 = role, $2 = the claims as JSON, $3 = the default lock_timeout, $4 = the role again,
// $5 = the signed-in user's id (null for anon and service_role). The same statement says
// whether that user still exists (column live): a deleted account's token stays valid
// until it expires, and must be refused (issue 22 finding 9). It reads auth.users with
// the session's privileges (postgres), checked before the role is switched.
export const callerSettingsSql = `
      select set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
             set_config('statement_timeout', coalesce(
               (select substr(c, length('statement_timeout=') + 1)
                  from pg_catalog.pg_db_role_setting s, unnest(s.setconfig) c
                 where s.setrole = r.oid and s.setdatabase in (0, d.oid) and c like 'statement_timeout=%'
                 order by s.setdatabase desc limit 1),
               current_setting('statement_timeout')), true),
             set_config('lock_timeout', coalesce(
               (select substr(c, length('lock_timeout=') + 1)
                  from pg_catalog.pg_db_role_setting s, unnest(s.setconfig) c
                 where s.setrole = r.oid and s.setdatabase in (0, d.oid) and c like 'lock_timeout=%'
                 order by s.setdatabase desc limit 1),
               $3), true),
             gone.user_id is null as live
        from (select oid from pg_catalog.pg_roles where rolname = $4) r
             cross join (select oid from pg_catalog.pg_database where datname = current_database()) d
             left join lateral (select c.user_id from (select $5::uuid as user_id) c
                                 where c.user_id is not null
                                   and not exists (select 1 from auth.users u where u.id = c.user_id and u.deleted_at is null)) gone on true`;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The parameters of callerSettingsSql for these claims; refuses any role but the API roles.
 * @param {{ role?: unknown, sub?: unknown }} claims
 * @returns {[string, string, string, string, string | null]}
 */
export function callerSettingsParams(claims) {
  const role = String(claims.role);
  if (!apiRoles.includes(role)) throw new Error(`Refusing to act as role ${role}.`);
  const user = role === "authenticated" && typeof claims.sub === "string" && uuidPattern.test(claims.sub) ? claims.sub : null;
  return [role, JSON.stringify(claims), defaultLockTimeout, role, user];
}

// What a deleted account's still-valid token meets wherever it acts as its user: the
// functions answer it 401 (the pipeline maps this name, as it maps AuthError).
export class AccountGoneError extends Error {
  constructor() {
    super("This account no longer exists. Sign in again.");
    this.name = "AccountGoneError";
  }
}

// callerSettingsSql as a tagged-template call (postgres.js binds ${} values as $n).
const templateParts = callerSettingsSql.split(/\$\d/);
const template = Object.assign([...templateParts], { raw: [...templateParts] });

/**
 * Runs the preamble in an open postgres.js transaction.
 * @param {any} tx
 * @param {{ role?: unknown }} claims
 */
export async function actAsCallerIn(tx, claims) {
  const [settings] = await tx(template, ...callerSettingsParams(claims));
  if (settings?.live === false) throw new AccountGoneError();
}

/**
 * Runs `work` in one transaction of the postgres.js pool `sql`, acting as the caller.
 * @template T
 * @param {{ begin: (work: (tx: any) => Promise<any>) => Promise<any> }} sql
 * @param {{ role?: unknown }} claims
 * @param {(tx: any) => Promise<T>} work
 * @returns {Promise<T>}
 */
export async function asCaller(sql, claims, work) {
  callerSettingsParams(claims);
  return await sql.begin(async (tx) => {
    await actAsCallerIn(tx, claims);
    return await work(tx);
  });
}
