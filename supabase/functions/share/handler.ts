// /functions/v1/share/<token>: the public page of a shared resume, served without a JWT
// (verify_jwt = false). GET (or HEAD) answers HTML (default), `?format=json` (the RPC's
// answer), `?format=jsonresume` (JSON Resume) or `?format=pdf` (`&paper=letter` for US
// Letter). POST takes the password of a protected link (a form field or JSON
// `{"password"}`) and answers an access grant, kept in a cookie for the browser.
// The resume is read through get_public_generated_resume's definer body, exactly as
// /rest/v1/rpc would run it (the one extra argument names the download served, for the
// statistics), and the layout of its active template through get_template_layout; this
// function never uses a privileged role, so it cannot show more than that RPC already
// shows to anyone. Every form is built from the resume model's public view of the RPC's
// answer. The shared pipeline runs the guards: CORS preflight → 405 → token format as
// the route (404 without touching the database) → lookup.
//
// Caching: every form carries a strong ETag (a hash of the version, its template and
// the form) and a matching If-None-Match is answered 304 without rendering. The link
// itself always shows the newest version and can be revoked, so its answers are cached
// briefly (HTML, JSON) or revalidated (PDF). The page's PDF link pins the version
// (`&v=<etag>`): that URL names one immutable rendering and is cached for a year.
//
// View counting and password guesses are the database's: this function publishes
// `request.method` and, in `request.headers`, the client's headers the rules read
// (address and User-Agent), as PostgREST publishes a request's headers; SQL derives the
// viewer key (private.share_viewer_key) and the guessing client from them. A request
// carrying the owner's valid access token is read as that user, so the owner's own
// visits are recognised (and need no password); any other token, or none, reads as anon.
//
// Passwords: a protected link without a valid grant answers exactly as an unknown link
// does (the 404 page, which carries the password form). A wrong password and a password
// for an unknown link get the same 401; too many wrong guesses from one client at one
// link (5 in 10 minutes, counted in the database) get 429 with Retry-After.
import { type CallerClaims, readerClaims, type VerifyCaller } from "../_shared/auth.ts";
import { asCaller, type Sql } from "../_shared/db.ts";
import { errorResponse, HttpError, json, readBodyText } from "../_shared/http.ts";
import { createPipeline } from "../_shared/pipeline.ts";
import {
  createResumeRenderer,
  formatRequest,
  matchesEtag,
  resumeEtag,
  type ResumeFormat,
  type ResumeRenderer,
  type ResumeSource,
  untrustedPageHeaders,
} from "../_shared/resume/formats.ts";
import {
  renderBadRequestPage,
  renderErrorPage,
  renderMethodNotAllowedPage,
  renderNotFoundPage,
  renderTooManyAttemptsPage,
  renderWrongPasswordPage,
} from "./render.ts";

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

// A found page may be cached briefly by the visitor's browser only (it is personal
// data and can be revoked); anything else must not be cached at all.
export const cacheFound = "private, max-age=60";
export const cacheRevalidate = "private, no-cache";
export const cacheImmutable = "private, max-age=31536000, immutable";
const cacheNever = "no-store";

const formats: readonly (ResumeFormat | "json")[] = ["html", "json", "jsonresume", "pdf"];

// The client's headers the database's rules read (private.share_client), published as
// PostgREST publishes request.headers; nothing else of the request (cookies, the
// authorization header) reaches the database.
const clientHeaderNames = ["cf-connecting-ip", "x-real-ip", "x-forwarded-for", "user-agent"] as const;

export function publishedClientHeaders(headers: Headers): string {
  const published: Record<string, string> = {};
  for (const name of clientHeaderNames) {
    const value = headers.get(name);
    if (value !== null) published[name] = value;
  }
  return JSON.stringify(published);
}

// The page keeps a link's grant in a cookie named after (a hash of) its token, so each
// link has its own; API clients send it as X-Share-Access instead.
export async function accessCookieName(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return `share_access_${
    Array.from(new Uint8Array(digest).slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("")
  }`;
}

function cookieValue(request: Request, name: string): string | null {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return null;
}

async function accessOf(request: Request, token: string): Promise<string | null> {
  return request.headers.get("x-share-access") ?? cookieValue(request, await accessCookieName(token));
}

// What the database answers for a password (private.unlock_share_link).
interface Unlock {
  access?: string;
  expires_at?: string;
  code?: string;
  message?: string;
  details?: string | null;
}

function retryAfterOf(headers: string | null): string | null {
  try {
    const list = JSON.parse(headers ?? "[]") as Record<string, string>[];
    return list.map((h) => h["Retry-After"]).find((v) => /^[0-9]+$/.test(v ?? "")) ?? null;
  } catch {
    return null;
  }
}

// A password in a form post or a JSON body: at most 4 KB, one string.
async function passwordFrom(request: Request): Promise<{ password: string; json: boolean }> {
  const body = await readBodyText(request, 4096);
  const json = (request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json");
  let password: unknown;
  if (json) {
    try {
      password = (JSON.parse(body) as { password?: unknown } | null)?.password;
    } catch {
      throw new HttpError(400, "invalid_json", "The body is not valid JSON.");
    }
  } else {
    password = new URLSearchParams(body).get("password");
  }
  if (typeof password !== "string" || password === "") {
    throw new HttpError(422, "invalid_request", "Invalid request: password is required.");
  }
  // Postgres text holds no NUL character; no password of the owner's can contain one.
  if (password.includes("\u0000")) {
    throw new HttpError(422, "invalid_request", "Invalid request: password must not contain a NUL character.");
  }
  return { password, json };
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

// Pages that carry the password form may post it to themselves; every other page posts nowhere.
const formPageHeaders = {
  "Content-Security-Policy": untrustedPageHeaders["Content-Security-Policy"].replace(
    "form-action 'none'",
    "form-action 'self'",
  ),
};

// What each form counts as in the link's statistics.
const countedAs = (format: string) => (format === "pdf" ? "pdf" : format === "jsonresume" ? "jsonresume" : "view");

const page = (status: number, html: string, cache: string) =>
  new Response(html, { status, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": cache } });

const text = (value: unknown) => (typeof value === "string" ? value : "");

export function createShareHandler(deps: ShareDeps) {
  const renderer = deps.renderer ?? createResumeRenderer();

  // POST: the password, traded by the database for a grant (private.unlock_share_link).
  async function unlock(request: Request, url: URL, token: string, caller: CallerClaims): Promise<Response> {
    const { password, json: wantsJson } = await passwordFrom(request);
    const answer = await asCaller(deps.database(), caller, async (tx) => {
      await tx`select set_config('request.method', ${request.method}, true), set_config('request.headers', ${
        publishedClientHeaders(request.headers)
      }, true)`;
      const [row] = await tx<{ answer: Unlock }[]>`select private.unlock_share_link(${token}, ${password}) as answer`;
      // Where PostgREST reads the headers a function sets (Retry-After when limited).
      const [set] = await tx<{ headers: string | null }[]>`select current_setting('response.headers', true) as headers`;
      return { ...row?.answer, retryAfter: retryAfterOf(set?.headers ?? null) };
    });
    const noStore = { "Cache-Control": cacheNever };
    if (answer.access) {
      const maxAge = Math.max(0, Math.floor((Date.parse(answer.expires_at ?? "") - Date.now()) / 1000));
      const secure = url.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
      const cookie = `${await accessCookieName(token)}=${answer.access}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${
        secure ? "; Secure" : ""
      }`;
      if (wantsJson) {
        return json({ access: answer.access, expires_at: answer.expires_at }, 200, {
          ...noStore,
          "Set-Cookie": cookie,
        });
      }
      // Back to the page (or the download) the form was posted from; relative, so it
      // holds under /functions/v1 on the platform and /share locally alike.
      const back = url.pathname.endsWith("/") ? `./${url.search}` : `${token}${url.search}`;
      return new Response(null, { status: 303, headers: { ...noStore, "Set-Cookie": cookie, Location: back } });
    }
    if (answer.code === "too_many_attempts") {
      const retryAfter = answer.retryAfter ?? "600";
      if (wantsJson) {
        return errorResponse(429, "too_many_attempts", answer.message ?? "Too many wrong passwords.", {
          ...noStore,
          "Retry-After": retryAfter,
        });
      }
      return new Response(renderTooManyAttemptsPage(Number(retryAfter)), {
        status: 429,
        headers: { "Content-Type": "text/html; charset=utf-8", ...noStore, "Retry-After": retryAfter },
      });
    }
    const message = "This password does not open this share link, or the link is not available.";
    if (wantsJson) return errorResponse(401, "invalid_password", message, noStore);
    return new Response(renderWrongPasswordPage(), {
      status: 401,
      headers: { "Content-Type": "text/html; charset=utf-8", ...noStore, ...formPageHeaders },
    });
  }

  return createPipeline<CallerClaims>({
    name: "share",
    methods: ["GET", "HEAD", "POST"],
    caller: readerClaims(deps.verifyCaller),
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
          if (request.method === "POST") return await unlock(request, url, token, caller);
          const access = await accessOf(request, token);
          const { resume, template } = await asCaller(deps.database(), caller, async (tx) => {
            await tx`select set_config('request.method', ${request.method}, true), set_config('request.headers', ${
              publishedClientHeaders(request.headers)
            }, true)`;
            const [row] = await tx<{ resume: SharedResume | null }[]>`
              select private.get_public_generated_resume(${token}, ${access}, ${countedAs(format)}) as resume`;
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
      const response = page(error.status, html, cacheNever);
      if (error.status === 404) {
        response.headers.set("Content-Security-Policy", formPageHeaders["Content-Security-Policy"]);
      }
      return response;
    },
  });
}

// Browser callers may read these alongside the body.
const exposed = "X-Request-Id, Retry-After, ETag, X-Missing-Glyphs, X-Page-Count";
