// GET /functions/v1/share/<token>: the public page of a shared resume, served without
// a JWT (verify_jwt = false), as HTML (default), `?format=json` (the RPC's answer),
// `?format=jsonresume` (JSON Resume) or `?format=pdf` (`&paper=letter` for US Letter).
// The resume is read through the one function anon may execute,
// get_public_generated_resume, exactly as /rest/v1/rpc would run it, and the template's
// layout of its active template (get_template_layout); this function never uses a privileged
// role, so it cannot show more than that RPC already shows to anyone. Every form is
// built from the resume model's public view of the RPC's answer. The shared pipeline
// runs the guards: CORS preflight → 405 → token format as the route (404 without
// touching the database) → lookup.
//
// Caching: every form carries a strong ETag (a hash of the version, its template and
// the form) and a matching If-None-Match is answered 304 without rendering. The link
// itself always shows the newest version and can be revoked, so its answers are cached
// briefly (HTML, JSON) or revalidated (PDF). The page's PDF link pins the version
// (`&v=<etag>`): that URL names one immutable rendering and is cached for a year.
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
  createResumeRenderer,
  formatRequest,
  matchesEtag,
  type ResumeFormat,
  type ResumeRenderer,
  resumeEtag,
  type ResumeSource,
  untrustedPageHeaders,
} from "../_shared/resume/formats.ts";
import { renderBadRequestPage, renderErrorPage, renderMethodNotAllowedPage, renderNotFoundPage } from "./render.ts";

export interface ShareDeps {
  database: () => Sql;
  // Recognises the owner's token; without it every visitor reads as anon.
  verifyCaller?: VerifyCaller;
  renderer?: ResumeRenderer;
}

// What get_public_generated_resume answers: only what the resume shows.
export interface SharedResume {
  title?: unknown;
  template_slug?: unknown;
  content?: unknown;
  updated_at?: unknown;
}

// The shape create_share_link produces (32 base64url characters) with the range the
// RPC itself accepts, so a malformed token costs no database round trip.
const tokenPattern = /^[A-Za-z0-9_-]{22,128}$/;

// PostgREST publishes the anon key's claims; only the role matters to the database.
const anonClaims = { role: "anon" } as CallerClaims;

// A found page may be cached briefly by the visitor's browser only (it is personal
// data and can be revoked); anything else must not be cached at all.
export const cacheFound = "private, max-age=60";
export const cacheRevalidate = "private, no-cache";
export const cacheImmutable = "private, max-age=31536000, immutable";
const cacheNever = "no-store";

const formats: readonly (ResumeFormat | "json")[] = ["html", "json", "jsonresume", "pdf"];

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

const wantsJsonErrors = (url: URL) => ["json", "jsonresume"].includes(url.searchParams.get("format") ?? "");

const page = (status: number, html: string, cache: string) =>
  new Response(html, { status, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": cache } });

const text = (value: unknown) => (typeof value === "string" ? value : "");

export function createShareHandler(deps: ShareDeps) {
  const renderer = deps.renderer ?? createResumeRenderer();
  return createPipeline<CallerClaims>({
    name: "share",
    methods: ["GET", "HEAD"],
    caller: (request) => readerClaims(deps.verifyCaller, request.headers.get("authorization")),
    headers: untrustedPageHeaders,
    route(url) {
      const token = tokenFrom(url.pathname);
      if (!token) throw notAvailable();
      const format = url.searchParams.get("format") ?? "html";
      if (!formats.includes(format as ResumeFormat)) {
        throw new HttpError(422, "invalid_format", `format must be one of: ${formats.join(", ")}.`);
      }
      return {
        async run({ request, caller }) {
          const published = JSON.stringify({ "x-share-viewer": await viewerKey(request.headers) });
          const { resume, template } = await asCaller(deps.database(), caller, async (tx) => {
            await tx`select set_config('request.method', ${request.method}, true), set_config('request.headers', ${published}, true)`;
            const [row] = await tx<{ resume: SharedResume | null }[]>`
              select public.get_public_generated_resume(${token}) as resume`;
            const resume = row?.resume ?? null;
            if (!resume) return { resume: null, template: null };
            // Active templates only (anon reads a layout by slug, nothing else of templates);
            // an inactive one falls back to the default layout.
            const [template] = await tx<{ schema: unknown }[]>`
              select public.get_template_layout(${text(resume.template_slug)}) as schema`;
            return { resume, template: template?.schema ?? null };
          });
          if (!resume) throw notAvailable();
          if (format === "json") return json(resume, 200, { "Cache-Control": cacheFound });

          const source: ResumeSource = {
            title: text(resume.title),
            templateSlug: text(resume.template_slug),
            templateSchema: template,
            content: resume.content,
            writtenAt: text(resume.updated_at) || null,
          };
          const wanted = formatRequest(url, ["html", "jsonresume", "pdf"], "html");
          const etag = await resumeEtag(source, wanted);
          let cache = format === "pdf" ? cacheRevalidate : cacheFound;
          const pinned = url.searchParams.get("v");
          if (pinned !== null) {
            // A pinned URL names one rendering; once the link shows another version it is gone.
            if (`"${pinned}"` !== etag) throw notAvailable();
            cache = cacheImmutable;
          }
          const headers = { ETag: etag, "Cache-Control": cache, "Access-Control-Expose-Headers": exposed };
          if (matchesEtag(request, etag)) return new Response(null, { status: 304, headers });
          const pdfEtag = await resumeEtag(source, { format: "pdf", paper: wanted.paper });
          const rendered = await renderer.render(source, wanted, etag, {
            pdfHref: `?format=pdf&paper=${wanted.paper}&v=${pdfEtag.slice(1, -1)}`,
          });
          return new Response(rendered.body as BodyInit, {
            status: 200,
            headers: { ...headers, "Content-Type": rendered.contentType, ...rendered.headers },
          });
        },
      };
    },
    // The pipeline logs a 500's cause (never the token: it is a bearer secret, and only
    // the error is logged); the visitor gets a generic page.
    renderError(error, url) {
      if (wantsJsonErrors(url)) {
        return errorResponse(error.status, error.code, error.message, { "Cache-Control": cacheNever }, error.sqlstate);
      }
      const html = error.status === 404
        ? renderNotFoundPage()
        : error.status === 405
        ? renderMethodNotAllowedPage()
        : error.status === 422
        ? renderBadRequestPage(error.message)
        : renderErrorPage();
      return page(error.status, html, cacheNever);
    },
  });
}

// Browser callers may read these alongside the body.
const exposed = "X-Request-Id, Retry-After, ETag, X-Missing-Glyphs, X-Page-Count";
