// GET /functions/v1/share/<token>: the public page of a shared resume, served without
// a JWT (verify_jwt = false). The resume is read as anon through the one function anon
// may execute, get_public_generated_resume, exactly as /rest/v1/rpc would run it; this
// function never uses a privileged role, so a bug here cannot show more than that RPC
// already shows to anyone. Guards in order: CORS preflight → 405 → token format (404
// without touching the database) → lookup. `?format=json` returns the RPC's JSON.
//
// View counting (the RPC counts a view at most once per viewer per hour, never for HEAD
// or the owner) needs three facts, published for the RPC the way PostgREST publishes
// them: `request.method`, and in `request.headers` only `x-share-viewer`, a SHA-256 of
// the client's address and User-Agent, so no personal data reaches the database. A
// request carrying the owner's valid access token is read as that user, so the owner's
// own visits are recognised; any other token, or none, reads as anon.
import { type CallerClaims, createCallerVerifier, type VerifyCaller } from "../_shared/auth.ts";
import { corsHeaders } from "../_shared/cors.ts";
import { asCaller, sharedDatabase, type Sql } from "../_shared/db.ts";
import { errorResponse, json } from "../_shared/http.ts";
import {
  renderErrorPage,
  renderMethodNotAllowedPage,
  renderNotFoundPage,
  renderSharePage,
  type SharedResume,
} from "./render.ts";

export interface ShareDeps {
  database: () => Sql;
  verifyCaller?: VerifyCaller;
}

// The shape create_share_link produces (32 base64url characters) with the range the
// RPC itself accepts, so a malformed token costs no database round trip.
const tokenPattern = /^[A-Za-z0-9_-]{22,128}$/;

// PostgREST publishes the anon key's claims; only the role matters to the database.
const anonClaims = { role: "anon" } as CallerClaims;

// The shared CORS headers, advertising only the methods this function answers.
const shareCorsHeaders: Record<string, string> = {
  ...corsHeaders,
  "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
};

// The page's content is untrusted: no scripts, no external loads, no framing, no forms.
const pageSecurityHeaders: Record<string, string> = {
  "Content-Security-Policy":
    "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Robots-Tag": "noindex",
};

// A found page may be cached briefly by the visitor's browser only (it is personal
// data and can be revoked); anything else must not be cached at all.
const cacheFound = "private, max-age=60";
const cacheNever = "no-store";

// The client as this function sees it: the address the platform's proxy reports and the
// User-Agent, hashed. The same rule as private.share_viewer_key() for PostgREST calls.
export async function viewerKey(headers: Headers): Promise<string> {
  const address = headers.get("cf-connecting-ip") || headers.get("x-real-ip") ||
    (headers.get("x-forwarded-for") ?? "").split(",")[0].trim();
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(`${address}\n${headers.get("user-agent") ?? ""}`),
  );
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// A signed-in user's verified claims, or anon's: a bad or anon token is no error here.
async function readerClaims(verify: VerifyCaller, authorization: string | null): Promise<CallerClaims> {
  if (!authorization) return anonClaims;
  try {
    return await verify(authorization);
  } catch {
    return anonClaims;
  }
}

function tokenFrom(pathname: string): string | null {
  // Under the edge runtime and the local gateway alike the path is /share/<token>.
  const match = /\/share\/([^/]*)\/?$/.exec(pathname);
  const token = match?.[1] ?? "";
  return tokenPattern.test(token) ? token : null;
}

export function createShareHandler(deps: ShareDeps) {
  const verifyCaller = deps.verifyCaller ?? createCallerVerifier();
  return async (req: Request): Promise<Response> => {
    const requestId = crypto.randomUUID();
    if (req.method === "OPTIONS") return new Response("ok", { headers: shareCorsHeaders });

    const url = new URL(req.url);
    const wantsJson = url.searchParams.get("format") === "json";
    const headOnly = req.method === "HEAD";

    const respond = (status: number, html: string, cache: string, extra: Record<string, string> = {}) =>
      new Response(headOnly ? null : html, {
        status,
        headers: {
          ...shareCorsHeaders,
          ...pageSecurityHeaders,
          "Content-Type": "text/html; charset=utf-8",
          "Cache-Control": cache,
          "X-Request-Id": requestId,
          ...extra,
        },
      });
    const respondJson = (response: Response, cache: string) => {
      const headers = new Headers(response.headers);
      for (const [name, value] of Object.entries({ ...shareCorsHeaders, ...pageSecurityHeaders })) {
        headers.set(name, value);
      }
      headers.set("Cache-Control", cache);
      headers.set("X-Request-Id", requestId);
      return new Response(headOnly ? null : response.body, { status: response.status, headers });
    };
    const notFound = () =>
      wantsJson
        ? respondJson(errorResponse(404, "not_found", "This share link is not available."), cacheNever)
        : respond(404, renderNotFoundPage(), cacheNever);

    if (req.method !== "GET" && !headOnly) {
      const allow = { Allow: "GET, HEAD, OPTIONS" };
      if (wantsJson) {
        return respondJson(errorResponse(405, "method_not_allowed", "Use GET.", allow), cacheNever);
      }
      return respond(405, renderMethodNotAllowedPage(), cacheNever, allow);
    }

    const token = tokenFrom(url.pathname);
    if (!token) return notFound();

    let resume: SharedResume | null;
    try {
      const claims = await readerClaims(verifyCaller, req.headers.get("authorization"));
      const published = JSON.stringify({ "x-share-viewer": await viewerKey(req.headers) });
      const [row] = await asCaller(deps.database(), claims, async (tx) => {
        await tx`select set_config('request.method', ${req.method}, true), set_config('request.headers', ${published}, true)`;
        return await tx<{ resume: SharedResume | null }[]>`select public.get_public_generated_resume(${token}) as resume`;
      });
      resume = row?.resume ?? null;
    } catch (error) {
      // The cause (connection, permission, SQL) stays in the log; the visitor gets a
      // generic page. The token is not logged: it is a bearer secret.
      console.error(JSON.stringify({ requestId, function: "share", error: String((error as Error)?.stack ?? error) }));
      return wantsJson
        ? respondJson(
          errorResponse(500, "internal_error", "Something went wrong on our side. Try again later."),
          cacheNever,
        )
        : respond(500, renderErrorPage(), cacheNever);
    }

    if (!resume) return notFound();
    if (wantsJson) return respondJson(json(resume), cacheFound);
    return respond(200, renderSharePage(resume), cacheFound);
  };
}

export const handleRequest = createShareHandler({ database: sharedDatabase });
