// The AI usage ledger: every step that admits, reserves, records and settles AI usage,
// over the SQL ledger private.ai_admissions (migration 20261201115000) and ai_events.
//   admit   before any work: a slot in the caller's per-minute window, or 429 with
//           Retry-After when the window or the day's token budget is full (ai_budget_busy
//           and seconds when only calls in flight fill it), or 401 when
//           the caller's account no longer exists; atomic in SQL under a per-user lock.
//   reserve before each model call: its prompt is measured against the model's context
//           (413 when it cannot fit) and its token estimate held against the budget.
//   record  after each model call has ended (for a streamed call: after its last chunk,
//           whether or not the client still listens): one ai_events row as the caller,
//           and in the same transaction the call's estimate settled with its real usage,
//           so the log and the budget never disagree.
// The ledger is server-written only, so nothing a client inserts changes what is admitted.
import type { CallerClaims } from "../_shared/auth.ts";
import type { TablesInsert } from "../_shared/table-types.ts";
import { asCaller, type Sql } from "../_shared/db.ts";
import type { Env } from "../_shared/env.ts";
import { HttpError } from "../_shared/http.ts";
import { type CallLedger, type ChatRequest, LlmError, type ModelCall } from "./llm.ts";

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

function promptBytes(request: Pick<ChatRequest, "messages">): number {
  let bytes = 0;
  for (const message of request.messages) bytes += encoder.encode(message.content).byteLength + 16;
  return bytes;
}

// Whether a prompt fits the model's context: the typical cost above.
export function estimateTokens(request: Pick<ChatRequest, "messages">): number {
  return Math.ceil(promptBytes(request) / bytesPerToken);
}

// What the day's budget holds for a prompt: the most it can cost. A byte-level BPE token
// (OpenAI's tokenizers) covers at least one byte, so a prompt costs at most its bytes
// (16 per message for the framing). Holding the typical bytes / 3 let text that tokenizes
// badly (rare scripts, random strings) cost up to three times what was held, and parallel
// calls then ended the day far above budget. With the answer bounded by max_completion_tokens
// (the reservation's output part), a call's real usage never exceeds what it reserved.
export function maxPromptTokens(request: Pick<ChatRequest, "messages">): number {
  return promptBytes(request);
}

export type AiEvent = Required<
  Pick<
    TablesInsert<"ai_events">,
    | "user_id"
    | "wizard_session_id"
    | "provider"
    | "model"
    | "input_tokens"
    | "output_tokens"
    | "latency_ms"
    | "status"
    | "error"
  >
>;

const maxRecordedError = 500;

// wizardSessionId is set only after the session was read as the caller, so it is known to be theirs.
export function aiEvent(claims: CallerClaims, call: ModelCall, wizardSessionId: string | null): AiEvent {
  return {
    user_id: claims.sub,
    wizard_session_id: wizardSessionId,
    provider: call.provider,
    model: call.model,
    input_tokens: call.inputTokens,
    output_tokens: call.outputTokens,
    latency_ms: call.latencyMs,
    status: call.error === null ? "success" : "error",
    error: call.error === null ? null : call.error.slice(0, maxRecordedError),
  };
}

// The tokens a call used, as settled: null when the model reported none (the
// reservation's estimate is booked instead, so a call that failed midway still counts).
export function usedTokens(event: Pick<AiEvent, "input_tokens" | "output_tokens">): number | null {
  if (event.input_tokens === null && event.output_tokens === null) return null;
  return (event.input_tokens ?? 0) + (event.output_tokens ?? 0);
}

export interface Admission {
  // This request's model calls, each logged with the wizard session it worked on.
  calls(wizardSessionId: string | null): CallLedger;
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
    case "ai_budget_busy":
      return new HttpError(
        429,
        "ai_budget_busy",
        `Today's AI allowance is taken up by requests still running. Try again in ${retryAfter["Retry-After"]} s.`,
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
  let calls = 0;

  async function reserve(request: ChatRequest): Promise<number> {
    const outputTokens = request.maxTokens ?? 4096;
    const inputTokens = estimateTokens(request);
    const estimate = inputTokens + outputTokens;
    const reservation = maxPromptTokens(request) + outputTokens;
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
          from private.reserve_ai_call(${admissionId}, ${reservation}, ${config.perMinute}, ${config.dailyTokens})`);
    if (row?.refusal) throw refused(row, config);
    return reservation;
  }

  // Each row gets its own transaction, so the log survives when the action's own work
  // rolls back, and a failed call is logged like a successful one.
  async function record(call: ModelCall, estimate: number, wizardSessionId: string | null): Promise<void> {
    const event = aiEvent(claims, call, wizardSessionId);
    await asCaller(sql, claims, async (tx) => {
      await tx`insert into public.ai_events
           (user_id, wizard_session_id, provider, model, input_tokens, output_tokens, latency_ms, status, error)
         values (${event.user_id}, ${event.wizard_session_id}, ${event.provider}, ${event.model},
                 ${event.input_tokens}, ${event.output_tokens}, ${event.latency_ms}, ${event.status}, ${event.error})`;
      await tx`select private.settle_ai_call(${admissionId}, ${estimate}, ${usedTokens(event)})`;
    });
  }

  return {
    calls: (wizardSessionId) => ({
      async reserve(request) {
        const estimate = await reserve(request);
        let recorded = false;
        return {
          async record(call) {
            // A call is booked once; its settlement must never release an estimate twice.
            if (recorded) throw new Error("This model call was already recorded.");
            recorded = true;
            await record(call, estimate, wizardSessionId);
          },
        };
      },
    }),
  };
}
