// How large a request body the gateway lets through to PostgREST or a function.
// Beyond the bound the answer is 413 and nothing is processed: a declared
// Content-Length over it is refused before a byte is read, and a body without one
// (chunked) is counted as it streams through, never buffered here; the moment the
// count passes the bound the stream fails, so PostgREST or the function never gets a
// complete body to parse, and the gateway answers 413 in place of whatever came back.
//
// Two bounds, by who is calling (docs/limits.md):
// - signed-in users and the service role: 16 MB, which admits a supabase-js insert of
//   5,000 realistic jobs in one request (9.9 MB measured by tests/api/body-limit.test.ts);
// - anonymous callers (the anon key, or a token that does not verify): 1 MB, far more
//   than the share page's and the calendar feed's calls need. A 50 MB anonymous body
//   held PostgREST at 1.2 GB (issue 22, finding 4).
import { jwtVerify } from "jose";
import { errorBody, HttpError } from "../supabase/functions/_shared/http.ts";

export const signedInBodyLimit = 16 * 1024 * 1024;
export const anonymousBodyLimit = 1024 * 1024;

// The bound for this request: the larger one only for a bearer token that verifies
// against the project's secret and names a signed-in user or the service role.
export async function bodyLimitFor(req: Request, secret: Uint8Array): Promise<number> {
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.get("Authorization") ?? "")?.[1];
  if (!token) return anonymousBodyLimit;
  try {
    const { payload } = await jwtVerify(token, secret, { algorithms: ["HS256"] });
    return payload.role === "authenticated" || payload.role === "service_role" ? signedInBodyLimit : anonymousBodyLimit;
  } catch {
    return anonymousBodyLimit;
  }
}

const megabytes = (bytes: number) => `${bytes / (1024 * 1024)} MB`;

// The 413 in the shape of the path's API: PostgREST's {message, hint} under /rest/v1,
// the functions' {error: {code, message}, detail} elsewhere.
export function payloadTooLarge(rest: boolean, limit: number): Response {
  const message = `The request body is larger than ${megabytes(limit)}.`;
  const body = rest
    ? { code: "payload_too_large", message, hint: "Send fewer rows per request (docs/limits.md)." }
    : errorBody("payload_too_large", message);
  return new Response(JSON.stringify(body), {
    status: 413,
    headers: { "Content-Type": "application/json", "Access-Control-Allow-Origin": "*", Connection: "close" },
  });
}

export interface BoundedRequest {
  request: Request;
  // True once more than the bound was read from the body.
  exceeded(): boolean;
}

// The request with its body counted as it streams, or a 413 for a declared length over the bound.
export function boundRequestBody(req: Request, limit: number, rest: boolean): BoundedRequest | Response {
  const declared = Number(req.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > limit) {
    void req.body?.cancel().catch(() => {});
    return payloadTooLarge(rest, limit);
  }
  if (!req.body) return { request: req, exceeded: () => false };
  let seen = 0;
  let over = false;
  const counted = req.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) {
          over = true;
          // A function reading its body gets the same 413 the gateway answers.
          controller.error(new HttpError(413, "payload_too_large", `The request body is larger than ${megabytes(limit)}.`));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  return { request: new Request(req, { body: counted }), exceeded: () => over };
}
