// The calendar function: the tracker's events as iCalendar (RFC 5545).
//   GET /functions/v1/calendar/<feed token>.ics  — the subscribable feed, without a JWT
//     (verify_jwt = false): read as anon through get_calendar_feed, the one RPC anon may
//     call for it, so it can never show more than that RPC does. Unknown, revoked,
//     rotated and malformed tokens all get the same 404 (malformed ones without a
//     database query).
//   GET /functions/v1/calendar/interviews/<interview id>.ics — one interview as a file
//     to download, for the signed-in owner (their access token; 401 without, 404 for
//     an interview that is not theirs).
// Guards come from the shared pipeline: CORS preflight → 405 → caller → route → work.
import { anonClaims, type CallerClaims, readerClaims, type VerifyCaller } from "../_shared/auth.ts";
import { asCaller, type Sql } from "../_shared/db.ts";
import { HttpError } from "../_shared/http.ts";
import { createPipeline } from "../_shared/pipeline.ts";
import { type CalendarDocument, renderCalendar } from "./ics.ts";

export interface CalendarDeps {
  database: () => Sql;
  verifyCaller: VerifyCaller;
}

const feedPath = /\/calendar\/([A-Za-z0-9_-]*)(?:\.ics)?\/?$/;
const interviewPath = /\/calendar\/interviews\/([0-9a-f-]{36})(?:\.ics)?\/?$/i;
const feedToken = /^[A-Za-z0-9_-]{32}$/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const notAvailable = () => new HttpError(404, "not_found", "This calendar is not available.");

// Personal data behind a secret URL: never stored by shared caches, indexed or sent on
// as a referrer; calendar apps poll it, so they revalidate each time.
const feedHeaders = {
  "Cache-Control": "private, no-cache",
  "X-Robots-Tag": "noindex",
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
};

async function etagOf(body: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body));
  return `"${Array.from(new Uint8Array(digest).slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join("")}"`;
}

async function calendarResponse(request: Request, document: CalendarDocument, filename?: string) {
  const body = renderCalendar(document);
  const etag = await etagOf(body);
  const headers: Record<string, string> = { ...feedHeaders, ETag: etag };
  if (filename) headers["Content-Disposition"] = `attachment; filename="${filename}"`;
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(body, { status: 200, headers: { ...headers, "Content-Type": "text/calendar; charset=utf-8" } });
}

export function createCalendarHandler(deps: CalendarDeps) {
  return createPipeline<CallerClaims>({
    name: "calendar",
    methods: ["GET", "HEAD"],
    caller: readerClaims(deps.verifyCaller),
    route(url) {
      const interview = interviewPath.exec(url.pathname);
      if (interview) {
        const id = interview[1];
        if (!uuid.test(id)) throw new HttpError(404, "not_found", "Interview not found.");
        return {
          async run({ request, caller }) {
            if (caller.role !== "authenticated") {
              throw new HttpError(401, "unauthorized", "Sign in to download an interview's calendar file.");
            }
            const document = await asCaller(deps.database(), caller, async (tx) => {
              const [row] = await tx<{ event: CalendarDocument }[]>`
                select public.interview_calendar_event(${id}) as event`;
              return row.event;
            });
            return calendarResponse(request, document, `interview-${id}.ics`);
          },
        };
      }
      const token = feedPath.exec(url.pathname)?.[1] ?? "";
      if (!feedToken.test(token)) throw notAvailable();
      return {
        async run({ request }) {
          // Always anon: the token is the only key; a bearer sent along changes nothing.
          const document = await asCaller(deps.database(), anonClaims, async (tx) => {
            const [row] = await tx<
              { feed: CalendarDocument | null }[]
            >`select public.get_calendar_feed(${token}) as feed`;
            return row?.feed ?? null;
          });
          if (!document) throw notAvailable();
          return calendarResponse(request, document);
        },
      };
    },
  });
}
