// What a database error means to the caller, for every function; the one place SQL and
// database errors are mapped (the pipeline asks databaseError()).
//
// Outages: a database that is down, restarting or out of connections is a 503 with
// Retry-After (the client retries; the function must not hang or answer a bare 500); a
// statement stopped at the role's statement_timeout is a 504 that says so; a lock not
// granted within lock_timeout, a deadlock or a serialization failure is a 503 to retry
// at once.
//
// Refusals our SQL raised, by the rule private.error_codes documents, which is
// PostgREST's own: PTxyz → xyz, 23505/23503 → 409, 42501 → 403 (401 for anon), the rest
// of classes 22 and 23 → 400. So the same condition answers the same status, and the same
// SQLSTATE (error.sqlstate), through /rest/v1 and through a function.
// tests/api/sql-errors.test.ts checks this rule against every row of private.error_codes.
//
// Anything else is a bug or an outage: not mapped, and the pipeline answers it with a
// logged 500. What a message shows (in an answer or a log line) is bounded by
// safeMessage(): quoted values cut to a short excerpt, names in schemas the API does not
// expose and server settings left out (issue 22 finding 10).
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

export function sqlErrorStatus(sqlstate: string, anonymous = false): number | undefined {
  const custom = /^PT([45]\d\d)$/.exec(sqlstate);
  if (custom) return Number(custom[1]);
  // PostgREST's custom-response form; only the fair-use pre-request raises it (429), and
  // only through /rest/v1 (the functions' own transactions never run it).
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

// How much of a quoted value (a client's input, echoed by Postgres: `invalid input
// syntax for type uuid: "..."`) a message keeps (an unquoted run without spaces keeps
// 120 characters), and how long a message may be.
export const excerptLength = 40;
export const maxMessageLength = 300;
// A log line's error text (the hosted platform keeps 10,000 characters of a log message).
export const maxLoggedLength = 2000;

const internalName = /\b(?:auth|private|storage|extensions|supabase_[a-z_]+|pg_catalog|information_schema|vault|cron|net)\.("?)[A-Za-z_][A-Za-z0-9_]*\1/g;
// A value in quotes, or one whose closing quote is missing.
const quoted = /"([^"]*)(?:"|$)|'([^']*)(?:'|$)/g;
const settingPhrase = /[^.;\n]*\bconfiguration parameter\b[^.;\n]*[.;]?/gi;
const settingName = /\b(?:max_stack_depth|statement_timeout|lock_timeout|idle_in_transaction_session_timeout|work_mem|maintenance_work_mem|max_connections|search_path)\b/gi;

const unbroken = /[^\s"']{121,}/g;

const cut = (text: string, length: number) => (text.length > length ? `${text.slice(0, length)}…` : text);

// A database message as a client or a log may see it.
export function safeMessage(text: string, length = maxMessageLength): string {
  // Quoted values first, over the whole text: a value may be longer than any bound below.
  const excerpted = text.replace(quoted, (whole, double, single) => {
    const value = double ?? single ?? "";
    const mark = double !== undefined ? '"' : "'";
    return value.length > excerptLength ? `${mark}${cut(value, excerptLength)}${mark}` : whole;
  });
  const bounded = excerpted.slice(0, Math.max(length * 4, 4096))
    .replace(settingPhrase, "")
    .replace(settingName, "a server setting")
    .replace(internalName, "an internal table")
    // Input that is not quoted (a stack line, a path) is cut where no word breaks it.
    .replace(unbroken, (run) => cut(run, 120))
    .trim();
  return cut(bounded, length);
}

// Our RAISE messages are written for the client ("wizard session is not active"); they
// are shown as a sentence, through safeMessage. 5xx codes are never mapped here.
export function sqlError(error: unknown, anonymous = false): HttpError | undefined {
  if (!(error instanceof Error) || error.name !== "PostgresError") return undefined;
  const sqlstate = (error as { code?: unknown }).code;
  if (typeof sqlstate !== "string") return undefined;
  const status = sqlErrorStatus(sqlstate, anonymous);
  if (status === undefined || status >= 500) return undefined;
  const text = safeMessage(error.message.trim());
  const message = text.charAt(0).toUpperCase() + text.slice(1) + (/[.!?…]$/.test(text) ? "" : ".");
  return new HttpError(status, codeNames[status] ?? `http_${status}`, message, {}, sqlstate);
}

// Every database error the pipeline can answer as more than a generic 500.
export const databaseError = (error: unknown): HttpError | undefined => databaseFailure(error) ?? sqlError(error);

// An unexpected error as its one log line shows it: the stack, bounded like a message.
export const loggedError = (error: unknown): string =>
  safeMessage(String((error as Error)?.stack ?? error), maxLoggedLength);
