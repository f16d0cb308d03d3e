// GET /functions/v1/share/<token>: the public page of a shared resume, served without
// a JWT (verify_jwt = false). The resume is read as anon through the one function anon
// may execute, get_public_generated_resume, exactly as /rest/v1/rpc would run it; this
// function never uses a privileged role, so a bug here cannot show more than that RPC
// already shows to anyone. The shared pipeline runs the guards: CORS preflight → 405 →
// (no JWT: the caller is anon) → token format as the route (404 without touching the
// database) → lookup. `?format=json` returns the RPC's JSON; errors are HTML pages
// otherwise, in the pipeline's one error shape.
//
// View counting (the RPC counts a view at most once per viewer per hour, never for HEAD
// or the owner) needs three facts, published for the RPC the way PostgREST publishes
// them: `request.method`, and in `request.headers` only `x-share-viewer`, a SHA-256 of
// the client's address and User-Agent, so no personal data reaches the database. A
// request carrying the owner's valid access token is read as that user, so the owner's
// own visits are recognised; any other token, or none, reads as anon.
import type { CallerClaims, VerifyCaller } from "../_shared/auth.ts";
import { asCaller, type Sql } from "../_shared/db.ts";
import { errorResponse, HttpError, json } from "../_shared/http.ts";
import { createPipeline } from "../_shared/pipeline.ts";
import {
  renderErrorPage,
  renderMethodNotAllowedPage,
  renderNotFoundPage,
  renderSharePage,
  type SharedResume,
} from "./render.ts";

export interface ShareDeps {
  database: () => Sql;
  // Recognises the owner's token; without it every visitor reads as anon.
  verifyCaller?: VerifyCaller;
}

// The shape create_share_link produces (32 base64url characters) with the range the
// RPC itself accepts, so a malformed token costs no database round trip.
const tokenPattern = /^[A-Za-z0-9_-]{22,128}$/;

// PostgREST publishes the anon key's claims; only the role matters to the database.
const anonClaims = { role: "anon" } as CallerClaims;

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

// The caller guard of a public page: a signed-in user's verified claims, or anon's. A
// bad or anon token is no error here.
async function readerClaims(verify: VerifyCaller | undefined, authorization: string | null): Promise<CallerClaims> {
  if (!authorization || !verify) return anonClaims;
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

// Unknown, revoked, expired and malformed tokens all get this same answer.
const notAvailable = () => new HttpError(404, "not_found", "This share link is not available.");

const wantsJson = (url: URL) => url.searchParams.get("format") === "json";

const page = (status: number, html: string, cache: string) =>
  new Response(html, { status, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": cache } });

export function createShareHandler(deps: ShareDeps) {
  return createPipeline<CallerClaims>({
    name: "share",
    methods: ["GET", "HEAD"],
    caller: (request) => readerClaims(deps.verifyCaller, request.headers.get("authorization")),
    headers: pageSecurityHeaders,
    route(url) {
      const token = tokenFrom(url.pathname);
      if (!token) throw notAvailable();
      return {
        async run({ caller, request }) {
          const published = JSON.stringify({ "x-share-viewer": await viewerKey(request.headers) });
          const [row] = await asCaller(deps.database(), caller, async (tx) => {
            await tx`select set_config('request.method', ${request.method}, true), set_config('request.headers', ${published}, true)`;
            return await tx<
              { resume: SharedResume | null }[]
            >`select public.get_public_generated_resume(${token}) as resume`;
          });
          const resume = row?.resume ?? null;
          if (!resume) throw notAvailable();
          if (wantsJson(url)) return json(resume, 200, { "Cache-Control": cacheFound });
          return page(200, renderSharePage(resume), cacheFound);
        },
      };
    },
    // The pipeline logs a 500's cause (never the token: it is a bearer secret, and only
    // the error is logged); the visitor gets a generic page.
    renderError(error, url) {
      if (wantsJson(url)) {
        return errorResponse(error.status, error.code, error.message, { "Cache-Control": cacheNever });
      }
      const html = error.status === 404
        ? renderNotFoundPage()
        : error.status === 405
        ? renderMethodNotAllowedPage()
        : renderErrorPage();
      return page(error.status, html, cacheNever);
    },
  });
}
