// SQL refusals become HTTP errors here, for every function, by the rule
// private.error_codes documents, which is PostgREST's own: PTxyz → xyz, 23505/23503 →
// 409, 42501 → 403 (401 for anon), the rest of classes 22 and 23 → 400. So the same
// condition answers the same status, and the same SQLSTATE (error.sqlstate), through
// /rest/v1 and through a function. Any other SQL error is a bug or an outage: it is not
// mapped, and the pipeline answers it with a logged 500.
// tests/sql-errors.test.ts checks this rule against every row of private.error_codes.
import { HttpError } from "./http.ts";

export function sqlErrorStatus(sqlstate: string, anonymous = false): number | undefined {
  const custom = /^PT([45]\d\d)$/.exec(sqlstate);
  if (custom) return Number(custom[1]);
  // PostgREST's custom-response form; only the fair-use pre-request raises it (429).
  if (sqlstate === "PGRST") return 429;
  if (sqlstate === "23505" || sqlstate === "23503") return 409;
  if (sqlstate === "42501") return anonymous ? 401 : 403;
  if (/^2[23][0-9A-Z]{3}$/.test(sqlstate)) return 400;
  return undefined;
}

const codeNames: Record<number, string> = {
  400: "invalid_input",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
};

// Our RAISE messages are written for the client ("wizard session is not active"); they
// are shown as a sentence. 5xx codes are never mapped here, so no internal detail leaks.
export function sqlError(error: unknown, anonymous = false): HttpError | undefined {
  if (!(error instanceof Error) || error.name !== "PostgresError") return undefined;
  const sqlstate = (error as { code?: unknown }).code;
  if (typeof sqlstate !== "string") return undefined;
  const status = sqlErrorStatus(sqlstate, anonymous);
  if (status === undefined || status >= 500) return undefined;
  const text = error.message.trim();
  const message = text.charAt(0).toUpperCase() + text.slice(1) + (/[.!?]$/.test(text) ? "" : ".");
  return new HttpError(status, codeNames[status] ?? `http_${status}`, message, {}, sqlstate);
}
