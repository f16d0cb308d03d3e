// What a database failure means to the caller. A database that is down, restarting or
// out of connections is a 503 with Retry-After (the client retries; the function must
// not hang or answer a bare 500); a statement stopped at the role's statement_timeout
// is a 504 that says so; a lock not granted within lock_timeout, a deadlock or a
// serialization failure is a 503 to retry at once. Anything else is not a database
// outage and is left to the caller of this function (usually a generic 500).
import { HttpError } from "./http.ts";

// Postgres SQLSTATEs: class 08 (connection exception), and the shutdown/startup states.
const unavailableStates = new Set(["57P01", "57P02", "57P03", "53300", "53400", "58000", "58030"]);
const busyStates = new Set(["55P03", "40P01", "40001"]);
// What postgres.js and the socket layer report when there is no usable connection.
const connectionCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "CONNECTION_WAIT_TIMEOUT",
]);
const connectionErrorNames = new Set([
  "ConnectionRefused",
  "ConnectionReset",
  "ConnectionAborted",
  "BrokenPipe",
  "TimedOut",
]);

export const databaseRetryAfterSeconds = 5;

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" ? code : "";
}

function isConnectionFailure(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 3) return false;
  const code = codeOf(error);
  if (connectionCodes.has(code) || unavailableStates.has(code) || code.startsWith("08")) return true;
  if (connectionErrorNames.has((error as Error).name)) return true;
  return isConnectionFailure((error as { cause?: unknown }).cause, depth + 1);
}

function isStatementTimeout(error: unknown): boolean {
  return codeOf(error) === "57014" && /statement timeout/i.test(String((error as Error).message ?? ""));
}

export function databaseFailure(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return undefined;
  if (isStatementTimeout(error)) {
    return new HttpError(
      504,
      "database_timeout",
      "The database stopped this request at its time limit for your role. Try a smaller request.",
    );
  }
  if (busyStates.has(codeOf(error))) {
    return new HttpError(503, "database_busy", "The database is busy with a conflicting change. Try again.", {
      "Retry-After": "1",
    });
  }
  if (isConnectionFailure(error)) {
    return new HttpError(503, "database_unavailable", "The database is unavailable right now. Try again shortly.", {
      "Retry-After": String(databaseRetryAfterSeconds),
    });
  }
  return undefined;
}
