// Per-user limits on model calls, counted from the caller's own ai_events rows (read as
// the caller, so RLS scopes the count) and checked before any model is called.
import type { CallerClaims } from "../_shared/auth.ts";
import { asCaller, type Sql } from "../_shared/db.ts";
import { HttpError } from "../_shared/http.ts";
import type { Env } from "../_shared/env.ts";

export interface LimitConfig {
  // Model calls per user in any sliding 60-second window; 0 turns the limit off.
  perMinute: number;
  // input + output tokens per user per UTC day; 0 turns the budget off.
  dailyTokens: number;
}

function nonNegativeInteger(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  const number = Number(value);
  return Number.isInteger(number) && number >= 0 ? number : fallback;
}

export function readLimitConfig(env: Env): LimitConfig {
  return {
    perMinute: nonNegativeInteger(env.get("AI_RATE_LIMIT_PER_MINUTE"), 30),
    dailyTokens: nonNegativeInteger(env.get("AI_DAILY_TOKEN_BUDGET"), 1_000_000),
  };
}

const minuteMs = 60_000;

export async function enforceAiLimits(sql: Sql, claims: CallerClaims, config: LimitConfig, now: Date): Promise<void> {
  if (config.perMinute === 0 && config.dailyTokens === 0) return;
  const windowStart = new Date(now.getTime() - minuteMs);
  const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const since = windowStart < dayStart ? windowStart : dayStart;
  const [usage] = await asCaller(
    sql,
    claims,
    (tx) =>
      tx<{ recent: number; oldest_recent: Date | null; tokens_today: number }[]>`
      select count(*) filter (where created_at > ${windowStart})::int as recent,
             min(created_at) filter (where created_at > ${windowStart}) as oldest_recent,
             coalesce(sum(coalesce(input_tokens, 0)::bigint + coalesce(output_tokens, 0))
                        filter (where created_at >= ${dayStart}), 0)::bigint as tokens_today
        from public.ai_events
       where user_id = ${claims.sub} and created_at > ${since}`,
  );
  const recent = Number(usage?.recent ?? 0);
  if (config.perMinute > 0 && recent >= config.perMinute) {
    // The window frees a slot when its oldest call turns a minute old.
    const oldest = usage?.oldest_recent ? new Date(usage.oldest_recent).getTime() : now.getTime();
    const seconds = Math.min(60, Math.max(1, Math.ceil((oldest + minuteMs - now.getTime()) / 1000)));
    throw new HttpError(
      429,
      "rate_limited",
      `Too many AI requests: at most ${config.perMinute} per minute. Try again in ${seconds} s.`,
      { "Retry-After": String(seconds) },
    );
  }
  if (config.dailyTokens > 0 && Number(usage?.tokens_today ?? 0) >= config.dailyTokens) {
    const seconds = Math.max(1, Math.ceil((dayStart.getTime() + 24 * 3600_000 - now.getTime()) / 1000));
    throw new HttpError(
      429,
      "daily_budget_exhausted",
      "You have used today's AI allowance. It resets at midnight UTC.",
      { "Retry-After": String(seconds) },
    );
  }
}
