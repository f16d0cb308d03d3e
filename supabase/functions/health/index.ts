// The health function as the edge runtime starts it: the environment is read here, and
// only when this file is the entry point (importing it has no side effects).
import { createCallerVerifier } from "../_shared/auth.ts";
import { databaseFromEnv } from "../_shared/db.ts";
import { type Env, isEntryPoint } from "../_shared/env.ts";
import { createHealthHandler } from "./handler.ts";

export function handlerFromEnv(env: Env) {
  return createHealthHandler({ verifyCaller: createCallerVerifier(env), database: databaseFromEnv(env, "health") });
}

if (isEntryPoint(import.meta)) Deno.serve(handlerFromEnv(Deno.env));
