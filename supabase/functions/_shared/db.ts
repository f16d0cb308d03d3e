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
export function connectDatabase(url: string | undefined): Sql {
  if (!url) throw new Error("SUPABASE_DB_URL is not set.");
  return postgres(url, { prepare: false, max: 4, idle_timeout: 20, connect_timeout: 10, onnotice: () => {} });
}

// One pool per function instance, opened on first use (index.ts builds the getter).
export function databaseFromEnv(env: Env): () => Sql {
  let pool: Sql | undefined;
  return () => (pool ??= connectDatabase(env.get("SUPABASE_DB_URL")));
}

export async function asCaller<T>(sql: Sql, claims: CallerClaims, work: (tx: Transaction) => Promise<T>): Promise<T> {
  const role = String(claims.role);
  if (!apiRoles.has(role)) throw new Error(`Refusing to act as role ${role}.`);
  return await sql.begin(async (tx) => {
    await tx`select set_config('role', ${role}, true), set_config('request.jwt.claims', ${
      JSON.stringify(claims)
    }, true)`;
    return await work(tx);
  }) as T;
}
