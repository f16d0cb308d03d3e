// The one request pipeline every edge function goes through. The guards run here, in
// this order, and nowhere else:
//   CORS preflight → method (405) → caller (401) → route (404) → the route's methods
//   (405) → body size (413) → JSON (400) → schema (422) → the endpoint's work.
// Every response, error or not, carries the function's CORS headers and X-Request-Id;
// errors have one shape ({error: {code, message}, detail}, or the function's own
// rendering of it, such as the share page's HTML); anything unexpected becomes a generic
// 500 and exactly one log line. HEAD answers carry no body.
import type { z } from "zod";
import { AccountGoneError } from "./act-as-caller.js";
import { AuthError } from "./auth.ts";
import { corsHeaders } from "./cors.ts";
import { databaseError, loggedError } from "./database-errors.ts";
import { describeIssues, errorResponse, HttpError, internalError, parseJsonBody, readBodyText } from "./http.ts";

export type Handler = (request: Request) => Promise<Response>;

export interface Call<Caller, Input> {
  request: Request;
  url: URL;
  requestId: string;
  caller: Caller;
  input: Input;
  // What this function answers for an error: for an endpoint that reports errors after
  // its response has begun (an event stream), so they map and log as the pipeline's do.
  failure(error: unknown): HttpError;
}

export interface Endpoint<Caller, Input = unknown> {
  // The methods this route answers, when fewer than the function's (405 for the others).
  methods?: readonly string[];
  // The body is read, size-checked, parsed and validated only when an endpoint takes one.
  body?: { maxBytes: number; schema: z.ZodType<Input> };
  run(call: Call<Caller, Input>): Promise<Response>;
}

// Keeps an endpoint's input typed by its schema where a route returns it.
export function endpoint<Caller, Input>(definition: Endpoint<Caller, Input>): Endpoint<Caller> {
  return definition as Endpoint<Caller>;
}

export interface FunctionPipeline<Caller> {
  // Names the function in the 500 log line.
  name: string;
  // The methods answered besides OPTIONS; the first is the one a 405 suggests.
  methods: readonly string[];
  // Who is calling: verifies the JWT (throwing AuthError → 401), or names the anonymous caller.
  caller(request: Request): Promise<Caller>;
  // The endpoint the path names; throws an HttpError (404) for none.
  route(url: URL): Endpoint<Caller>;
  // Headers every response of this function carries (a page's security headers, say).
  headers?: Record<string, string>;
  // Turns what the function's own modules throw (model failures, say) into HttpErrors;
  // Database errors and SQL refusals are mapped for every function by database-errors.ts.
  mapError?(error: unknown): HttpError | undefined;
  // How an error looks to this function's callers; JSON by default.
  renderError?(error: HttpError, url: URL): Response;
}

// The caller guard of functions that need a signed-in user.
export function signedInCaller<Claims>(verify: (authorization: string | null) => Promise<Claims>) {
  return (request: Request) => verify(request.headers.get("Authorization"));
}

const renderJsonError = (error: HttpError) =>
  errorResponse(error.status, error.code, error.message, {}, error.sqlstate);

export function createPipeline<Caller>(fn: FunctionPipeline<Caller>): Handler {
  const cors = corsHeaders(fn.methods);
  const allow = [...fn.methods, "OPTIONS"].join(", ");

  async function guardedRun(request: Request, url: URL, requestId: string): Promise<Response> {
    if (!fn.methods.includes(request.method)) {
      throw new HttpError(405, "method_not_allowed", `Use ${fn.methods[0]}.`, { Allow: allow });
    }
    let caller: Caller;
    try {
      caller = await fn.caller(request);
    } catch (error) {
      if (error instanceof AuthError) throw new HttpError(401, "unauthorized", error.message);
      throw error;
    }
    const endpoint = fn.route(url);
    if (endpoint.methods && !endpoint.methods.includes(request.method)) {
      throw new HttpError(405, "method_not_allowed", `Use ${endpoint.methods[0]} here.`, {
        Allow: [...endpoint.methods, "OPTIONS"].join(", "),
      });
    }
    let input: unknown = undefined;
    if (endpoint.body) {
      const text = await readBodyText(request, endpoint.body.maxBytes);
      const parsed = endpoint.body.schema.safeParse(parseJsonBody(text));
      if (!parsed.success) {
        throw new HttpError(422, "invalid_request", `Invalid request: ${describeIssues(parsed.error)}`);
      }
      input = parsed.data;
    }
    return await endpoint.run({
      request,
      url,
      requestId,
      caller,
      input,
      failure: (error) => knownFailure(error, requestId),
    });
  }

  // A database that is down, busy or past its time limit means the same to every
  // function; so does a refusal our SQL raised (private.error_codes).
  function knownFailure(error: unknown, requestId: string): HttpError {
    const known = error instanceof HttpError
      ? error
      // A deleted account's token, still valid until it expires, met where the function
      // first acts as its user (act-as-caller.js): the same 401 as a bad token.
      : error instanceof AccountGoneError
      ? new HttpError(401, "unauthorized", error.message)
      : fn.mapError?.(error) ?? databaseError(error);
    if (known) return known;
    // The one log line of a 500; the caller sees only a generic body.
    console.error(JSON.stringify({ requestId, function: fn.name, error: loggedError(error) }));
    return internalError();
  }

  function failure(error: unknown, url: URL, requestId: string): Response {
    const known = knownFailure(error, requestId);
    const response = (fn.renderError ?? renderJsonError)(known, url);
    for (const [name, value] of Object.entries(known.headers)) response.headers.set(name, value);
    return response;
  }

  return async (request) => {
    const requestId = crypto.randomUUID();
    const url = new URL(request.url);
    let response: Response;
    if (request.method === "OPTIONS") {
      response = new Response("ok");
    } else {
      try {
        response = await guardedRun(request, url, requestId);
      } catch (error) {
        response = failure(error, url, requestId);
      }
    }
    // The function's and the response's own headers win over the defaults.
    const headers = new Headers({ ...cors, ...fn.headers, "X-Request-Id": requestId });
    response.headers.forEach((value, name) => headers.set(name, value));
    const body = request.method === "HEAD" ? null : response.body;
    if (body === null) await response.body?.cancel();
    return new Response(body, { status: response.status, headers });
  };
}
