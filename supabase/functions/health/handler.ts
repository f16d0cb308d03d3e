// GET /functions/v1/health: proves the whole path. The token is verified here (not
// only by the gateway), then the caller's id is read back from the database inside
// a transaction that acts as the caller, the way PostgREST does. The answer is also the
// browser extension's token check ({valid, user_id, email}, as the old /api/auth/verify
// answered): an expired, forged or missing token is a 401, which the extension reads as
// "sign in again" (docs/extension.md).
import type { CallerClaims, VerifyCaller } from "../_shared/auth.ts";
import { asCaller, type Sql } from "../_shared/db.ts";
import { json } from "../_shared/http.ts";
import { createPipeline, signedInCaller } from "../_shared/pipeline.ts";

export interface HealthDeps {
  verifyCaller: VerifyCaller;
  database: () => Sql;
}

export function createHealthHandler(deps: HealthDeps) {
  return createPipeline<CallerClaims>({
    name: "health",
    methods: ["GET", "POST"],
    caller: signedInCaller(deps.verifyCaller),
    route: () => ({
      async run({ caller }) {
        const [row] = await asCaller(
          deps.database(),
          caller,
          (tx) => tx<{ user_id: string; role: string }[]>`select auth.uid() as user_id, current_user as role`,
        );
        const email = typeof caller.email === "string" && caller.email !== "" ? caller.email : null;
        return json({ status: "ok", valid: true, user_id: row.user_id, email, role: row.role });
      },
    }),
  });
}
