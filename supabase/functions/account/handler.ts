// DELETE /functions/v1/account: the signed-in user deletes their account — their files
// through the Storage API, then their auth user through the Auth admin API, which
// cascades to every row in the database (see delete-account.ts). The guards are the
// pipeline's (CORS → 405 → 401 → 404 → work). A call that stops part way answers 502
// and is safe to repeat; the user is only ever the one the verified token names.
import { type CallerWithToken, callerWithToken, type VerifyCaller } from "../_shared/auth.ts";
import { safeMessage } from "../_shared/database-errors.ts";
import type { Env } from "../_shared/env.ts";
import { HttpError, json } from "../_shared/http.ts";
import { createPipeline } from "../_shared/pipeline.ts";
import { deleteAccount, DeletionIncomplete } from "./delete-account.ts";
import { type AuthAdminApi, authAdminApi, type Fetch, PlatformApiError, type StorageApi, storageApi } from "./platform-apis.ts";

export interface AccountDeps {
  verifyCaller: VerifyCaller;
  // The platform APIs, acting for the caller whose access token this is.
  platformFor(userToken: string): { storage: StorageApi; auth: AuthAdminApi };
}

export function createAccountHandler(deps: AccountDeps) {
  return createPipeline<CallerWithToken>({
    name: "account",
    methods: ["DELETE"],
    // Storage is called with the caller's own token.
    caller: callerWithToken(deps.verifyCaller),
    route(url) {
      if (!/^\/(?:functions\/v1\/)?account\/?$/.test(url.pathname)) {
        throw new HttpError(404, "not_found", "Unknown path: use DELETE /functions/v1/account.");
      }
      return {
        async run({ caller }) {
          const result = await deleteAccount(caller.claims.sub, deps.platformFor(caller.token));
          return json({ deleted: true, user_id: caller.claims.sub, files: result.files, user: result.user });
        },
      };
    },
    mapError(error) {
      if (!(error instanceof DeletionIncomplete)) return undefined;
      const missing = missingApi(error.cause);
      if (missing) return missing;
      // The cause (which API, which status) goes to the log only.
      console.error(JSON.stringify({ function: "account", error: safeMessage(String((error.cause as Error)?.message ?? error.cause)) }));
      return new HttpError(502, "deletion_incomplete", "Deleting your account stopped part way. Nothing is lost: call DELETE again to finish.");
    },
  });
}

// A stack without Supabase's Storage or Auth API (the Docker-free local stack: its gateway
// answers their paths 501) cannot delete an account, and a retry would not help: say
// which API is missing and where one runs. Storage is called first, so when it is the one
// missing nothing was deleted.
function missingApi(cause: unknown): HttpError | undefined {
  if (!(cause instanceof PlatformApiError) || cause.status !== 501) return undefined;
  const storage = cause.call.startsWith("storage");
  return new HttpError(
    501,
    "platform_api_missing",
    storage
      ? "This stack has no Supabase Storage API, which account deletion needs (with the Auth API): run it on `supabase start` or a hosted project. Nothing was deleted."
      : "This stack has no Supabase Auth API, which account deletion needs: run it on `supabase start` or a hosted project. Your files were deleted; your account was not.",
  );
}

// Where the Storage and Auth APIs live: the project URL on Supabase. PLATFORM_API_URL
// overrides it (the tests point it at their recording double). Read per request.
export function platformFromEnv(env: Env, fetch: Fetch = globalThis.fetch) {
  return (userToken: string) => {
    const url = env.get("PLATFORM_API_URL") || env.get("SUPABASE_URL");
    const anonKey = env.get("SUPABASE_ANON_KEY");
    const serviceRoleKey = env.get("SUPABASE_SERVICE_ROLE_KEY");
    if (!url || !anonKey || !serviceRoleKey) {
      throw new HttpError(503, "not_configured", "Account deletion needs SUPABASE_URL, SUPABASE_ANON_KEY and SUPABASE_SERVICE_ROLE_KEY.");
    }
    const keys = { url, anonKey, serviceRoleKey, fetch, timeoutMs: 15_000 };
    return { storage: storageApi({ ...keys, userToken }), auth: authAdminApi(keys) };
  };
}
