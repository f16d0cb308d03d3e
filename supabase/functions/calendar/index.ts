// The calendar function as the edge runtime starts it: the environment is read here, and
// only when this file is the entry point (importing it has no side effects).
import { createCallerVerifier } from "../_shared/auth.ts";
import { databaseFromEnv } from "../_shared/db.ts";
import { type Env, isEntryPoint } from "../_shared/env.ts";
import { createCalendarHandler } from "./handler.ts";

export function handlerFromEnv(env: Env) {
  return createCalendarHandler({ database: databaseFromEnv(env, "calendar"), verifyCaller: createCallerVerifier(env) });
}

if (isEntryPoint(import.meta)) Deno.serve(handlerFromEnv(Deno.env));
