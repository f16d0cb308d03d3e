// Admission of AI requests, atomically in the database (private.admit_ai_request and
// friends, migration 20261201115000). A request is admitted before any work: a slot in
// the caller's per-minute window, refused with 429 and Retry-After when the window or
// the day's token budget is full, or 401 when the caller's account no longer exists.
// Before each model call its prompt is measured against the model's context (413 when
// it cannot fit) and its token estimate reserved against the budget; after the call the
// estimate is settled with the real usage, in the same transaction as its ai_events row.
// The ledger is server-written only, so nothing a client inserts changes what is admitted.
import type { CallerClaims } from "../_shared/auth.ts";
import { asCaller, type Sql, type Transaction } from "../_shared/db.ts";
import { HttpError } from "../_shared/http.ts";
import { type ChatRequest, LlmError } from "./llm.ts";

type Env = { get(name: string): string | undefined };

export interface LimitConfig {
  // Model-call slots per user in any sliding 60-second window; 0 turns the limit off.
  perMinute: number;
  // input + output tokens per user per UTC day; 0 turns the budget off.
  dailyTokens: number;
  // The model's context window in tokens; every prompt plus its answer must fit in it.
  contextTokens: number;
}

function nonNegativeInteger(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  const number = Number(value);
  return Number.isInteger(number) && number >= 0 ? number : fallback;
}

// gpt-4o-mini (the default model) and gpt-4o read 128,000 tokens.
export const defaultContextTokens = 128_000;

export function readLimitConfig(env: Env): LimitConfig {
  return {
    perMinute: nonNegativeInteger(env.get("AI_RATE_LIMIT_PER_MINUTE"), 30),
    dailyTokens: nonNegativeInteger(env.get("AI_DAILY_TOKEN_BUDGET"), 1_000_000),
    contextTokens: nonNegativeInteger(env.get("AI_CONTEXT_TOKENS"), defaultContextTokens) || defaultContextTokens,
  };
}

// Tokens a text can cost, from above: tokenizers spend about four bytes of English per
// token, never fewer than one byte; three bytes per token keeps ordinary text on the
// safe side without refusing real resumes.
export const bytesPerToken = 3;
const encoder = new TextEncoder();

export function estimateTokens(request: Pick<ChatRequest, "messages">): number {
  let bytes = 0;
  for (const message of request.messages) bytes += encoder.encode(message.content).byteLength + 16;
  return Math.ceil(bytes / bytesPerToken);
}

export interface Admission {
  // Before a model call: 413 when the prompt cannot fit the context, 429 when the
  // reservation is refused; otherwise the call's estimate is held until it settles.
  reserveCall(request: ChatRequest): Promise<void>;
  // Inside the transaction that logs the call: its estimate becomes its real usage
  // (the estimate when the model reported none).
  settleCall(tx: Transaction, usedTokens: number | null): Promise<void>;
}

interface Refusal {
  refusal: string | null;
  retry_after_seconds: number | null;
}

// unknown_admission cannot happen for an admission this request made: it is a bug, a 500.
function refused(row: Refusal, config: LimitConfig): Error {
  const retryAfter = { "Retry-After": String(Math.max(1, row.retry_after_seconds ?? 1)) };
  switch (row.refusal) {
    case "unknown_user":
      return new HttpError(401, "unauthorized", "This account no longer exists. Sign in again.");
    case "rate_limited":
      return new HttpError(
        429,
        "rate_limited",
        `Too many AI requests: at most ${config.perMinute} per minute. Try again in ${retryAfter["Retry-After"]} s.`,
        retryAfter,
      );
    case "daily_budget_exhausted":
      return new HttpError(
        429,
        "daily_budget_exhausted",
        "You have used today's AI allowance. It resets at midnight UTC.",
        retryAfter,
      );
    default:
      return new Error(`AI admission refused: ${row.refusal}`);
  }
}

export async function admitRequest(
  sql: Sql,
  claims: CallerClaims,
  action: string,
  config: LimitConfig,
): Promise<Admission> {
  const [admitted] = await asCaller(sql, claims, (tx) =>
    tx<(Refusal & { admission_id: string | null })[]>`
      select admission_id, refusal, retry_after_seconds
        from private.admit_ai_request(${action}, ${config.perMinute}, ${config.dailyTokens})`);
  if (!admitted?.admission_id) {
    throw refused(admitted ?? { refusal: "unknown_user", retry_after_seconds: null }, config);
  }
  const admissionId = admitted.admission_id;
  // Calls of one request run one after another; each settles the estimate it reserved.
  const pending: number[] = [];
  let calls = 0;
  return {
    async reserveCall(request) {
      const outputTokens = request.maxTokens ?? 4096;
      const inputTokens = estimateTokens(request);
      const estimate = inputTokens + outputTokens;
      calls++;
      if (estimate > config.contextTokens && calls > 1) {
        // Only the repair turn (which carries the model's own answer) outgrew the context.
        throw new LlmError("invalid_answer", "The answer was too long to repair within the model's context.");
      }
      if (estimate > config.contextTokens) {
        throw new HttpError(
          413,
          "prompt_too_large",
          `This request's content (about ${inputTokens} tokens) does not fit the AI model's context of ` +
            `${config.contextTokens} tokens with room for its answer. Shorten it and try again.`,
        );
      }
      const [row] = await asCaller(sql, claims, (tx) =>
        tx<Refusal[]>`
          select refusal, retry_after_seconds
            from private.reserve_ai_call(${admissionId}, ${estimate}, ${config.perMinute}, ${config.dailyTokens})`);
      if (row?.refusal) throw refused(row, config);
      pending.push(estimate);
    },
    async settleCall(tx, usedTokens) {
      const estimate = pending.shift() ?? 0;
      await tx`select private.settle_ai_call(${admissionId}, ${estimate}, ${usedTokens})`;
    },
  };
}
