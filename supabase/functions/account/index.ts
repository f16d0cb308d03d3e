// The account function as the edge runtime starts it: the environment is read here, and
// only when this file is the entry point (importing it has no side effects).
import { createCallerVerifier } from "../_shared/auth.ts";
import { type Env, isEntryPoint } from "../_shared/env.ts";
import { createAccountHandler, platformFromEnv } from "./handler.ts";

export function handlerFromEnv(env: Env) {
  return createAccountHandler({ verifyCaller: createCallerVerifier(env), platformFor: platformFromEnv(env) });
}

if (isEntryPoint(import.meta)) Deno.serve(handlerFromEnv(Deno.env));
