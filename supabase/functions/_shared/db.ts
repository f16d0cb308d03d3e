// Database access that acts as the caller, exactly as PostgREST does per request:
// one transaction that first switches to the JWT's role and publishes its claims,
// so row-level security bounds every read and write that follows.
import postgres from "postgres";
import type { CallerClaims } from "./auth.ts";
import type { Env } from "./env.ts";
import { asCaller as actAsCaller } from "./act-as-caller.js";

export type Sql = postgres.Sql;
export type Transaction = postgres.TransactionSql;

// Supabase's pooler runs in transaction mode: no prepared statements, few connections.
export function connectDatabase(url: string | undefined): Sql {
  if (!url) throw new Error("SUPABASE_DB_URL is not set.");
  return postgres(url, { prepare: false, max: 4, idle_timeout: 20, connect_timeout: 10, onnotice: () => {} });
}

// One pool per function instance, opened on first use (index.ts builds the getter).
export function databaseFromEnv(env: Env): () => Sql {
  let pool: Sql | undefined;
  return () => (pool ??= connectDatabase(env.get("SUPABASE_DB_URL")));
}

// The preamble itself is act-as-caller.js, shared with the vitest suites and the benchmark.
export async function asCaller<T>(sql: Sql, claims: CallerClaims, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return await actAsCaller(sql, claims, work as (tx: unknown) => Promise<T>);
}
