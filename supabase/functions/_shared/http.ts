// JSON responses and errors in the shape the app reads: {error: {code, message}, detail}.
// 5xx bodies stay generic; the cause goes to the log (and to ai_events for model calls).
// CORS and X-Request-Id are added by the pipeline (pipeline.ts) to every response.
import type { z } from "zod";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    // The SQLSTATE when the refusal came from SQL (private.error_codes), as PostgREST reports it.
    readonly sqlstate?: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

// The one error shape, in a response and in an event stream's error event.
export function errorBody(code: string, message: string, sqlstate?: string) {
  return { error: sqlstate ? { code, message, sqlstate } : { code, message }, detail: message };
}

export function errorResponse(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
  sqlstate?: string,
) {
  return json(errorBody(code, message, sqlstate), status, headers);
}

export const internalError = () =>
  new HttpError(500, "internal_error", "Something went wrong on our side. Try again later.");

// Reads at most maxBytes of the request body. Content-Length is checked first so an
// honest oversized upload is refused before it is read; the stream is counted too,
// because chunked requests carry no length.
export async function readBodyText(req: Request, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    new HttpError(413, "payload_too_large", `The request body is larger than ${Math.floor(maxBytes / 1024)} KB.`);
  const declared = Number(req.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, "invalid_body", "The request body is not valid UTF-8.");
  }
}

export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "invalid_json", "The request body must be a JSON object.");
  }
}

// Names paths and rules, never the offending values (they may echo a prompt or a secret).
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`)
    .join("; ");
}
