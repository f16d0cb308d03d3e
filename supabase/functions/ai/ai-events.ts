// One ai_events row per model call, written as the caller (RLS: a user may insert only
// their own rows). Each row gets its own transaction, so the log survives when the
// action's own work rolls back, and a failed call is logged like a successful one.
import type { CallerClaims } from "../_shared/auth.ts";
import { asCaller, type Sql } from "../_shared/db.ts";
import type { CallRecord } from "./llm.ts";

export interface AiEvent extends CallRecord {
  wizardSessionId?: string | null;
}

export async function recordAiEvent(sql: Sql, claims: CallerClaims, event: AiEvent): Promise<void> {
  await asCaller(sql, claims, (tx) =>
    tx`insert into public.ai_events
         (user_id, wizard_session_id, provider, model, input_tokens, output_tokens, latency_ms, status, error)
       values (${claims.sub}, ${event.wizardSessionId ?? null}, ${event.provider}, ${event.model},
               ${event.inputTokens}, ${event.outputTokens}, ${event.latencyMs}, ${event.status}, ${event.error})`);
}
