// Database access that acts as the caller, exactly as PostgREST does per request:
// one transaction that first switches to the JWT's role and publishes its claims,
// so row-level security bounds every read and write that follows.
import postgres from "postgres";
import type { CallerClaims } from "./auth.ts";
import type { Env } from "./env.ts";

export type Sql = postgres.Sql;
export type Transaction = postgres.TransactionSql;

const apiRoles = new Set(["anon", "authenticated", "service_role"]);

// Supabase's pooler runs in transaction mode: no prepared statements, few connections.
// While the database is away, a request must fail fast with a 503, not queue behind a
// reconnect: postgres.js waits up to 20 s between attempts by default (3^n / 100 s after
// n failures, shared by the pool), so the wait is capped at half a second, and a server
// that accepts the connection but never answers is given up on after 5 s.
export const reconnectBackoffSeconds = (failures: number) => Math.min(0.05 * 2 ** failures, 0.5);

export function connectDatabase(url: string | undefined): Sql {
  if (!url) throw new Error("SUPABASE_DB_URL is not set.");
  return postgres(url, {
    prepare: false,
    max: 4,
    idle_timeout: 20,
    connect_timeout: 5,
    backoff: reconnectBackoffSeconds,
    onnotice: () => {},
  });
}

// postgres.js (3.4.9) can throw from a queued write after the server closed the
// connection (porsager/postgres#1154): the throw skips the line that resets the
// connection's write timer, so that connection never flushes a write again and every
// query given to it waits out connect_timeout. When that error surfaces (the crash
// guard keeps the instance alive), the pool is replaced; the old one ends in the background.
export function isDriverWriteFault(error: unknown): boolean {
  const stack = String((error as Error)?.stack ?? "");
  return error instanceof TypeError && stack.includes("nextWrite") && stack.includes("postgres");
}

// One pool per function instance, opened on first use (index.ts builds the getter).
export function databaseFromEnv(env: Env): () => Sql {
  let pool: Sql | undefined;
  globalThis.addEventListener("error", (event) => {
    if (!isDriverWriteFault((event as ErrorEvent).error)) return;
    const broken = pool;
    pool = undefined;
    broken?.end({ timeout: 1 }).catch(() => {});
  });
  return () => (pool ??= connectDatabase(env.get("SUPABASE_DB_URL")));
}

// A lock wait ends here unless the role sets its own lock_timeout: every transaction
// of ours is short, so a lock held longer is contention to report, not to wait out.
export const defaultLockTimeout = "2s";

// The preamble also gives the transaction its role's statement_timeout and lock_timeout
// (on Supabase: authenticated 8s, anon 3s). Postgres applies a role's settings only to
// sessions that log in as it; we log in as postgres and switch with set_config('role'),
// so without this an expensive statement would run unbounded. A role without a setting
// keeps the session's own value.
export async function asCaller<T>(sql: Sql, claims: CallerClaims, work: (tx: Transaction) => Promise<T>): Promise<T> {
  const role = String(claims.role);
  if (!apiRoles.has(role)) throw new Error(`Refusing to act as role ${role}.`);
  return await withinConnectionWait(sql, async (tx) => {
    await tx`
      select set_config('role', ${role}, true), set_config('request.jwt.claims', ${JSON.stringify(claims)}, true),
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
               ${defaultLockTimeout}), true)
        from (select oid from pg_catalog.pg_roles where rolname = ${role}) r,
             (select oid from pg_catalog.pg_database where datname = current_database()) d`;
    return await work(tx);
  });
}

// How long a transaction may wait for a connection and its BEGIN. A pool of four serves
// bursts in well under a second; waiting longer means the database is away (a
// connection stuck reconnecting after a restart waits out connect_timeout), and the
// caller gets a 503 instead. A transaction that starts after its caller gave up does
// no work: it rolls back at once, so nothing is written behind the 503.
export const connectionWaitMs = 3000;

export class ConnectionWaitError extends Error {
  readonly code = "CONNECTION_WAIT_TIMEOUT";
  constructor() {
    super(`No database connection within ${connectionWaitMs} ms.`);
    this.name = "ConnectionWaitError";
  }
}

function withinConnectionWait<T>(sql: Sql, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let began = false;
    let abandoned = false;
    const timer = setTimeout(() => {
      if (began) return;
      abandoned = true;
      reject(new ConnectionWaitError());
    }, connectionWaitMs);
    sql.begin(async (tx) => {
      began = true;
      clearTimeout(timer);
      if (abandoned) throw new ConnectionWaitError();
      return await work(tx);
    }).then((result) => resolve(result as T), reject).finally(() => clearTimeout(timer));
  });
}
