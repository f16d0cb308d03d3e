import assert from "node:assert/strict";
import type { CallerClaims } from "../_shared/auth.ts";
import type { Sql } from "../_shared/db.ts";
import { HttpError } from "../_shared/http.ts";
import { enforceAiLimits, readLimitConfig } from "./limits.ts";

const claims: CallerClaims = { sub: "11111111-1111-4111-8111-111111111111", role: "authenticated" };
const now = new Date("2026-03-01T23:59:30Z");

function usageDatabase(row: Record<string, unknown>) {
  const queries: unknown[][] = [];
  const sql = {
    begin: async <T>(work: (tx: unknown) => Promise<T>) =>
      await work((_strings: TemplateStringsArray, ...values: unknown[]) => {
        queries.push(values);
        return Promise.resolve([row]);
      }),
  };
  return { sql: sql as unknown as Sql, queries };
}

Deno.test("limits: defaults 30 per minute and a daily token budget; 0 turns a limit off", () => {
  const get = (vars: Record<string, string>) => ({ get: (name: string) => vars[name] });
  assert.deepEqual(readLimitConfig(get({})), { perMinute: 30, dailyTokens: 1_000_000 });
  assert.deepEqual(readLimitConfig(get({ AI_RATE_LIMIT_PER_MINUTE: "5", AI_DAILY_TOKEN_BUDGET: "0" })), {
    perMinute: 5,
    dailyTokens: 0,
  });
  assert.equal(readLimitConfig(get({ AI_RATE_LIMIT_PER_MINUTE: "-1" })).perMinute, 30);
});

Deno.test("limits: under both limits passes, counting only the caller's rows", async () => {
  const db = usageDatabase({ recent: 29, oldest_recent: null, tokens_today: "999999" });
  await enforceAiLimits(db.sql, claims, { perMinute: 30, dailyTokens: 1_000_000 }, now);
  assert.equal(db.queries[1].at(-2), claims.sub);
});

Deno.test("limits: the 30th call in a minute is refused until the oldest leaves the window", async () => {
  const db = usageDatabase({ recent: 30, oldest_recent: new Date("2026-03-01T23:58:45Z"), tokens_today: 0 });
  const error = await enforceAiLimits(db.sql, claims, { perMinute: 30, dailyTokens: 0 }, now).catch((e) => e);
  assert.ok(error instanceof HttpError);
  assert.equal(error.status, 429);
  assert.equal(error.headers["Retry-After"], "15");
});

Deno.test("limits: a spent budget is refused until midnight UTC", async () => {
  const db = usageDatabase({ recent: 0, oldest_recent: null, tokens_today: "1000000" });
  const error = await enforceAiLimits(db.sql, claims, { perMinute: 30, dailyTokens: 1_000_000 }, now).catch((e) => e);
  assert.equal(error.status, 429);
  assert.equal(error.code, "daily_budget_exhausted");
  assert.equal(error.headers["Retry-After"], "30");
});

Deno.test("limits: both off means no query at all", async () => {
  const db = usageDatabase({});
  await enforceAiLimits(db.sql, claims, { perMinute: 0, dailyTokens: 0 }, now);
  assert.equal(db.queries.length, 0);
});
