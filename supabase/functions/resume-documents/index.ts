// The resume-documents function as the edge runtime starts it: the environment is read
// here, and only when this file is the entry point (importing it has no side effects).
import { createCallerVerifier } from "../_shared/auth.ts";
import { databaseFromEnv } from "../_shared/db.ts";
import { type Env, isEntryPoint } from "../_shared/env.ts";
import { createResumeDocumentsHandler } from "./handler.ts";

export function handlerFromEnv(env: Env) {
  return createResumeDocumentsHandler({
    verifyCaller: createCallerVerifier(env),
    database: databaseFromEnv(env, "resume-documents"),
    // Renders are stored through the project's own Storage API, as the caller.
    storage: { url: env.get("SUPABASE_URL") ?? "", apiKey: env.get("SUPABASE_ANON_KEY") ?? "" },
  });
}

if (isEntryPoint(import.meta)) Deno.serve(handlerFromEnv(Deno.env));
