// One ai_events row per model call, written as the caller (RLS: a user may insert only
// their own rows). Each row gets its own transaction, so the log survives when the
// action's own work rolls back, and a failed call is logged like a successful one. The
// same transaction settles the call's admission (its token estimate becomes its real
// usage), so the log and the budget can never disagree.
import type { CallerClaims } from "./auth.ts";
import { asCaller, type Sql, type Transaction } from "./db.ts";
import type { CallRecord } from "./llm.ts";

export interface AiEvent extends CallRecord {
  wizardSessionId?: string | null;
}

export async function recordAiEvent(
  sql: Sql,
  claims: CallerClaims,
  event: AiEvent,
  settle?: (tx: Transaction, usedTokens: number | null) => Promise<void>,
): Promise<void> {
  const used = event.inputTokens === null && event.outputTokens === null
    ? null
    : (event.inputTokens ?? 0) + (event.outputTokens ?? 0);
  await asCaller(sql, claims, async (tx) => {
    await tx`insert into public.ai_events
         (user_id, wizard_session_id, provider, model, input_tokens, output_tokens, latency_ms, status, error)
       values (${claims.sub}, ${event.wizardSessionId ?? null}, ${event.provider}, ${event.model},
               ${event.inputTokens}, ${event.outputTokens}, ${event.latencyMs}, ${event.status}, ${event.error})`;
    await settle?.(tx, used);
  });
}
