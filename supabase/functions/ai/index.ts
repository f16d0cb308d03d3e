// The ai function as the edge runtime starts it. The environment is read and the
// clients are built here, once per function instance, and only when this file is the
// entry point: importing it (the local gateway does, tests do) has no side effects.
import { createCallerVerifier } from "../_shared/auth.ts";
import { systemClock } from "../_shared/clock.ts";
import { databaseFromEnv } from "../_shared/db.ts";
import { type Env, isEntryPoint } from "../_shared/env.ts";
import { aiConfigFromEnv, createAiHandler } from "./handler.ts";
import { createOpenAiChatModel, readLlmConfig } from "./llm.ts";

export function handlerFromEnv(env: Env) {
  return createAiHandler({
    verifyCaller: createCallerVerifier(env),
    database: databaseFromEnv(env, "ai"),
    llm: createOpenAiChatModel(readLlmConfig(env)),
    clock: systemClock,
    config: aiConfigFromEnv(env),
  });
}

if (isEntryPoint(import.meta)) Deno.serve(handlerFromEnv(Deno.env));
