// What every AI action is: a request schema, an optional body limit, and the work,
// which gets the caller's identity, database access as the caller, and one way to
// call the model (validated, repaired once, booked in the usage ledger per call; a
// generation that names its free-text field streams it to a client that asks).
import type { z } from "zod";
import type { CallerClaims } from "../_shared/auth.ts";
import type { Clock } from "../_shared/clock.ts";
import type { Transaction } from "../_shared/db.ts";
import type { JsonGeneration } from "./llm.ts";

export interface Generation<T> extends JsonGeneration<T> {
  // Set only after the session was read as the caller, so the id is known to be theirs.
  wizardSessionId?: string | null;
}

export interface ActionContext {
  claims: CallerClaims;
  userId: string;
  asCaller<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  generate<T>(request: Generation<T>): Promise<T>;
  // The configured model's name, for rows that record which model wrote them (cover_letters.model).
  model: string;
  // The function's clock, so timestamps written into content are testable.
  clock: Clock;
}

export interface AiAction<Input> {
  input: z.ZodType<Input>;
  // Bytes; the handler's default (64 KB) applies when unset.
  maxBodyBytes?: number;
  // False when this input needs no model (a deterministic path, such as importing a
  // JSON Resume): the action then runs without OPENAI_API_KEY and outside the AI limits,
  // and any call to generate() fails.
  usesModel?(input: Input): boolean;
  run(context: ActionContext, input: Input): Promise<Record<string, unknown>>;
}

// Erases the input type so actions with different inputs share one registry.
export function defineAction<Input>(action: AiAction<Input>): AiAction<unknown> {
  return action as unknown as AiAction<unknown>;
}
