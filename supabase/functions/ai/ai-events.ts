// The one place an ai_events row is made: one row per model call, written as the caller
// (RLS: a user may insert only their own rows). Each row gets its own transaction, so
// the log survives when the action's own work rolls back, and a failed call is logged
// like a successful one.
import type { CallerClaims } from "../_shared/auth.ts";
import type { TablesInsert } from "../_shared/database.types.ts";
import { asCaller, type Sql } from "../_shared/db.ts";
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

export async function recordAiEvent(sql: Sql, claims: CallerClaims, event: AiEvent): Promise<void> {
  await asCaller(sql, claims, (tx) =>
    tx`insert into public.ai_events
         (user_id, wizard_session_id, provider, model, input_tokens, output_tokens, latency_ms, status, error)
       values (${event.user_id}, ${event.wizard_session_id}, ${event.provider}, ${event.model},
               ${event.input_tokens}, ${event.output_tokens}, ${event.latency_ms}, ${event.status}, ${event.error})`);
}
