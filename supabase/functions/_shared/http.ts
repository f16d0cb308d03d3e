// JSON responses and errors in the shape the app reads: {error: {code, message}, detail}.
// 5xx bodies stay generic; the cause goes to the log (and to ai_events for model calls).
import { corsHeaders } from "./cors.ts";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...corsHeaders, "Content-Type": "application/json", ...headers },
  });
}

export function errorResponse(status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return json({ error: { code, message }, detail: message }, status, headers);
}

// Turns anything thrown by a handler into a response; unknown errors become a bare 500.
export function toErrorResponse(error: unknown, requestId: string): Response {
  const headers = { "X-Request-Id": requestId };
  if (error instanceof HttpError) {
    return errorResponse(error.status, error.code, error.message, { ...headers, ...error.headers });
  }
  console.error(JSON.stringify({ requestId, error: String((error as Error)?.stack ?? error) }));
  return errorResponse(500, "internal_error", "Something went wrong on our side. Try again later.", headers);
}
