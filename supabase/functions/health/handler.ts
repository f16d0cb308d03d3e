// GET /functions/v1/health: proves the whole path. The token is verified here (not
// only by the gateway), then the caller's id is read back from the database inside
// a transaction that acts as the caller, the way PostgREST does.
import { AuthError, createCallerVerifier } from "../_shared/auth.ts";
import { preflight } from "../_shared/cors.ts";
import { databaseFailure } from "../_shared/database-errors.ts";
import { asCaller, sharedDatabase, type Sql } from "../_shared/db.ts";
import { HttpError, json, toErrorResponse } from "../_shared/http.ts";

export interface HealthDeps {
  verifyCaller: ReturnType<typeof createCallerVerifier>;
  database: () => Sql;
}

export function createHealthHandler(deps: HealthDeps) {
  return async (req: Request): Promise<Response> => {
    const requestId = crypto.randomUUID();
    if (req.method === "OPTIONS") return preflight();
    try {
      if (req.method !== "GET" && req.method !== "POST") {
        throw new HttpError(405, "method_not_allowed", "Use GET.");
      }
      let claims;
      try {
        claims = await deps.verifyCaller(req.headers.get("Authorization"));
      } catch (error) {
        if (error instanceof AuthError) throw new HttpError(401, "unauthorized", error.message);
        throw error;
      }
      const [row] = await asCaller(deps.database(), claims, (tx) =>
        tx<{ user_id: string; role: string }[]>`select auth.uid() as user_id, current_user as role`);
      return json({ status: "ok", user_id: row.user_id, role: row.role }, 200, { "X-Request-Id": requestId });
    } catch (error) {
      return toErrorResponse(databaseFailure(error) ?? error, requestId);
    }
  };
}

export const handleRequest = createHealthHandler({
  verifyCaller: createCallerVerifier(),
  database: sharedDatabase,
});
