// The one place an ai_events row is made: one row per model call, written as the caller
// (RLS: a user may insert only their own rows). Each row gets its own transaction, so
// the log survives when the action's own work rolls back, and a failed call is logged
// like a successful one.
import type { CallerClaims } from "../_shared/auth.ts";
import type { TablesInsert } from "../_shared/database.types.ts";
import { asCaller, type Sql, type Transaction } from "../_shared/db.ts";
import type { ModelCall } from "./llm.ts";

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

// The same transaction settles the call's admission (its token estimate becomes its
// real usage), so the log and the budget can never disagree.
export async function recordAiEvent(
  sql: Sql,
  claims: CallerClaims,
  event: AiEvent,
  settle?: (tx: Transaction, usedTokens: number | null) => Promise<void>,
): Promise<void> {
  const used = event.input_tokens === null && event.output_tokens === null
    ? null
    : (event.input_tokens ?? 0) + (event.output_tokens ?? 0);
  await asCaller(sql, claims, async (tx) => {
    await tx`insert into public.ai_events
         (user_id, wizard_session_id, provider, model, input_tokens, output_tokens, latency_ms, status, error)
       values (${event.user_id}, ${event.wizard_session_id}, ${event.provider}, ${event.model},
               ${event.input_tokens}, ${event.output_tokens}, ${event.latency_ms}, ${event.status}, ${event.error})`;
    await settle?.(tx, used);
  });
}
