// DELETE /functions/v1/account: the signed-in user deletes their account — their files
// through the Storage API, then their auth user through the Auth admin API, which
// cascades to every row in the database (see delete-account.ts). Guards in the fixed
// order: CORS preflight → 405 → 401 → 404 → work. A call that stops part way answers
// 502 and is safe to repeat; the user is identified only by their verified token.
import { AuthError, bearerToken, createCallerVerifier, type VerifyCaller } from "../_shared/auth.ts";
import { corsHeaders } from "../_shared/cors.ts";
import { HttpError, json, toErrorResponse } from "../_shared/http.ts";
import { deleteAccount, DeletionIncomplete } from "./delete-account.ts";
import { type AuthAdminApi, authAdminApi, type Fetch, type StorageApi, storageApi } from "./platform-apis.ts";

export interface AccountDeps {
  verifyCaller: VerifyCaller;
  // The platform APIs, acting for the caller whose access token this is.
  platformFor(userToken: string): { storage: StorageApi; auth: AuthAdminApi };
}

const cors = { ...corsHeaders, "Access-Control-Allow-Methods": "DELETE, OPTIONS" };

export function createAccountHandler(deps: AccountDeps) {
  return async (req: Request): Promise<Response> => {
    const requestId = crypto.randomUUID();
    if (req.method === "OPTIONS") return new Response("ok", { headers: cors });
    try {
      if (req.method !== "DELETE") throw new HttpError(405, "method_not_allowed", "Use DELETE.", { Allow: "DELETE, OPTIONS" });
      let userId: string;
      let token: string;
      try {
        const claims = await deps.verifyCaller(req.headers.get("Authorization"));
        userId = claims.sub;
        token = bearerToken(req.headers.get("Authorization"));
      } catch (error) {
        if (error instanceof AuthError) throw new HttpError(401, "unauthorized", error.message);
        throw error;
      }
      if (!/^\/(?:functions\/v1\/)?account\/?$/.test(new URL(req.url).pathname)) {
        throw new HttpError(404, "not_found", "Unknown path: use DELETE /functions/v1/account.");
      }
      const result = await deleteAccount(userId, deps.platformFor(token));
      return json({ deleted: true, user_id: userId, files: result.files, user: result.user }, 200, { ...cors, "X-Request-Id": requestId });
    } catch (error) {
      if (error instanceof DeletionIncomplete) {
        console.error(JSON.stringify({ requestId, function: "account", error: String((error.cause as Error)?.message ?? error.cause) }));
        return toErrorResponse(
          new HttpError(502, "deletion_incomplete", "Deleting your account stopped part way. Nothing is lost: call DELETE again to finish."),
          requestId,
          cors,
        );
      }
      return toErrorResponse(error, requestId, cors);
    }
  };
}

type Env = { get(name: string): string | undefined };

// Where the Storage and Auth APIs live: the project URL on Supabase. PLATFORM_API_URL
// overrides it (the tests point it at their recording double).
export function platformFromEnv(env: Env = Deno.env, fetch: Fetch = globalThis.fetch) {
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

export const handleRequest = createAccountHandler({ verifyCaller: createCallerVerifier(), platformFor: platformFromEnv() });
