// Database access that acts as the caller, exactly as PostgREST does per request:
// one transaction that first switches to the JWT's role and publishes its claims,
// so row-level security bounds every read and write that follows.
import postgres from "postgres";
import type { CallerClaims } from "./auth.ts";
import type { Env } from "./env.ts";
import { actAsCallerIn, callerSettingsParams } from "./act-as-caller.js";
import { installCrashGuard } from "./crash-guard.ts";
export { defaultLockTimeout } from "./act-as-caller.js";

export type Sql = postgres.Sql;
export type Transaction = postgres.TransactionSql;

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
// The crash guard is installed here, with the pool, for every function that has one:
// the driver's faults it catches come from this pool.
export function databaseFromEnv(env: Env, functionName: string): () => Sql {
  installCrashGuard(functionName);
  let pool: Sql | undefined;
  globalThis.addEventListener("error", (event) => {
    if (!isDriverWriteFault((event as ErrorEvent).error)) return;
    const broken = pool;
    pool = undefined;
    broken?.end({ timeout: 1 }).catch(() => {});
  });
  return () => (pool ??= connectDatabase(env.get("SUPABASE_DB_URL")));
}

// The preamble (role, claims, the role's statement_timeout and lock_timeout) is
// act-as-caller.js, shared with the vitest suites and the benchmark.
export async function asCaller<T>(sql: Sql, claims: CallerClaims, work: (tx: Transaction) => Promise<T>): Promise<T> {
  callerSettingsParams(claims);
  return await withinConnectionWait(sql, async (tx) => {
    await actAsCallerIn(tx, claims);
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
