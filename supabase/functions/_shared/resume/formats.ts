// One resume version in the forms it is served as: the HTML page, the PDF, JSON Resume.
// The share function and the owner's resume-documents function both answer through
// this module, so a version looks the same wherever it is fetched from.
//
// A version never changes (versions are append-only), so its rendering is a function of
// the version, its template and the paper: the ETag is a hash of exactly those inputs,
// known before rendering, and a conditional request is answered 304 without rendering.
// Rendered PDFs are kept in a small in-memory cache per function instance, bounded in
// bytes, so a version fetched again is served without drawing it again. At most two PDFs
// are in flight per renderer (RenderGate); they are drawn in the instance's PDF worker
// thread, off the event loop (pdf-pool.ts), and none longer than maxPdfPages (pdf.ts).
import { HttpError } from "../http.ts";
import { toJsonResume } from "./json-resume.ts";
import { type PublicResume, publicResume, readResumeDocument } from "./document.ts";
import { maxPdfPages, type Paper, PdfTooLongError } from "./pdf.ts";
import { type DrawPdf, sharedPdfPool } from "./pdf-pool.ts";
import { readTemplateLayout } from "./template.ts";
import { renderSharePage } from "./html.ts";

export type ResumeFormat = "html" | "pdf" | "jsonresume";

// A resume's content is untrusted (typed by a user, or written by a model): its pages
// run no scripts, load nothing from elsewhere, cannot be framed and are not indexed.
export const untrustedPageHeaders: Record<string, string> = {
  "Content-Security-Policy":
    "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Robots-Tag": "noindex",
};

// Bumped whenever the renderers change what they draw, so old ETags stop matching.
export const rendererVersion = "resume-renderer-1";

export interface ResumeSource {
  title: string;
  templateSlug: string;
  templateSchema: unknown;
  content: unknown;
  // When the version was written (ISO text); the PDF's dates and JSON Resume's lastModified.
  writtenAt: string | null;
}

export interface FormatRequest {
  format: ResumeFormat;
  paper: Paper;
}

// ?format= and ?paper= of a request; `fallback` is the format when none is asked for.
export function formatRequest(url: URL, allowed: readonly ResumeFormat[], fallback: ResumeFormat): FormatRequest {
  const format = (url.searchParams.get("format") ?? fallback) as ResumeFormat;
  if (!allowed.includes(format)) {
    throw new HttpError(422, "invalid_format", `format must be one of: ${allowed.join(", ")}.`);
  }
  const paper = url.searchParams.get("paper") ?? "a4";
  if (paper !== "a4" && paper !== "letter") throw new HttpError(422, "invalid_paper", "paper must be a4 or letter.");
  return { format, paper };
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// A strong ETag (quoted) for one version in one form.
export async function resumeEtag(source: ResumeSource, request: FormatRequest): Promise<string> {
  const key = JSON.stringify([rendererVersion, request.format, request.paper, source]);
  return `"${(await sha256(key)).slice(0, 32)}"`;
}

// If-None-Match holds this ETag (a list, or *).
export function matchesEtag(req: Request, etag: string): boolean {
  const header = req.headers.get("If-None-Match");
  if (!header) return false;
  return header.trim() === "*" || header.split(",").map((tag) => tag.trim().replace(/^W\//, "")).includes(etag);
}

export interface RenderedResume {
  body: Uint8Array | string;
  contentType: string;
  headers: Record<string, string>;
}

// A byte-bounded LRU of rendered PDFs, per function instance.
class PdfCache {
  private entries = new Map<string, { bytes: Uint8Array; missing: number; pages: number }>();
  private size = 0;

  constructor(private maxBytes: number) {}

  get(key: string) {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: { bytes: Uint8Array; missing: number; pages: number }) {
    if (entry.bytes.byteLength > this.maxBytes) return;
    this.entries.set(key, entry);
    this.size += entry.bytes.byteLength;
    for (const [oldest, old] of this.entries) {
      if (this.size <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.size -= old.bytes.byteLength;
    }
  }
}

// Lets at most `max` tasks run at once; the rest wait their turn in arrival order.
// Drawing a PDF is CPU work on the instance's one thread (pdf-lib only yields between
// batches of objects while saving), so drawing more at once finishes none sooner; but
// every render in flight holds its half-built document (the bench measured about a
// quarter of a megabyte each for 3 pages). Without a bound a burst of requests would
// grow the instance's memory with the size of the burst; with it a waiting request
// holds only its small resume.
export class RenderGate {
  private active = 0;
  private waiting: (() => void)[] = [];

  constructor(private max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.max) this.active++;
    // The slot is handed over by the task that finishes (active stays counted).
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }
}

export interface RenderOptions {
  // Where the HTML page links its PDF (relative to the page).
  pdfHref?: string;
}

export interface ResumeRenderer {
  render(source: ResumeSource, request: FormatRequest, etag: string, options?: RenderOptions): Promise<RenderedResume>;
  // The public view, for callers that need the document itself (JSON answers).
  view(source: ResumeSource): PublicResume;
}

// The visitor's download is named after the person; RFC 6266 carries the UTF-8 name.
const contentDisposition = (name: string) => {
  const file = `${(name || "Resume").replace(/[\p{Cc}"\\/]/gu, "").trim().slice(0, 80) || "Resume"} - Resume.pdf`;
  return `inline; filename="resume.pdf"; filename*=UTF-8''${encodeURIComponent(file)}`;
};

export interface RendererSettings {
  // The cache of rendered PDFs, in bytes (0: none).
  cacheBytes?: number;
  // PDFs drawn at once; more wait their turn.
  concurrentRenders?: number;
  // What draws a PDF (the tests count calls through it); by default the instance's one
  // PDF worker thread (pdf-pool.ts).
  draw?: DrawPdf;
}

export const resumeTooLong = () =>
  new HttpError(
    422,
    "resume_too_long",
    `This resume is longer than ${maxPdfPages} pages as a PDF. Shorten it, or open it as HTML (format=html).`,
  );

export function createResumeRenderer(
  { cacheBytes = 16 * 1024 * 1024, concurrentRenders = 2, draw }: RendererSettings = {},
): ResumeRenderer {
  const drawPdf = draw ?? sharedPdfPool();
  const cache = new PdfCache(cacheBytes);
  // Versions known to be over the page bound (by ETag), so asking again costs nothing.
  const tooLong = new Set<string>();
  const gate = new RenderGate(concurrentRenders);
  const view = (source: ResumeSource) => publicResume(readResumeDocument(source.content), source.title);
  return {
    view,
    async render(source, request, etag, options = {}): Promise<RenderedResume> {
      const resume = view(source);
      const layout = readTemplateLayout(source.templateSlug, source.templateSchema);
      if (request.format === "html") {
        return {
          body: renderSharePage(resume, layout, { updatedAt: source.writtenAt, pdfHref: options.pdfHref }),
          contentType: "text/html; charset=utf-8",
          headers: {},
        };
      }
      if (request.format === "jsonresume") {
        const document = toJsonResume(resume, source.writtenAt ? { lastModified: source.writtenAt } : {});
        return { body: JSON.stringify(document), contentType: "application/json", headers: {} };
      }
      if (tooLong.has(etag)) throw resumeTooLong();
      let pdf = cache.get(etag);
      let cached = Boolean(pdf);
      if (!pdf) {
        const written = source.writtenAt ? new Date(source.writtenAt) : undefined;
        pdf = await gate.run(async () => {
          // The same version may have been drawn for another request while this one waited.
          const drawn = cache.get(etag);
          if (drawn) {
            cached = true;
            return drawn;
          }
          let rendered;
          try {
            rendered = await drawPdf(resume, layout, {
              paper: request.paper,
              createdAt: written && !Number.isNaN(written.getTime()) ? written : undefined,
            });
          } catch (error) {
            if (!(error instanceof PdfTooLongError)) throw error;
            if (tooLong.size >= 1000) tooLong.clear();
            tooLong.add(etag);
            throw resumeTooLong();
          }
          const entry = { bytes: rendered.bytes, missing: rendered.missingGlyphs, pages: rendered.pages };
          cache.set(etag, entry);
          return entry;
        });
      }
      return {
        body: pdf.bytes,
        contentType: "application/pdf",
        headers: {
          "Content-Disposition": contentDisposition(resume.profile.name),
          // Characters the font could not draw (shown as U+FFFD on the page).
          "X-Missing-Glyphs": String(pdf.missing),
          "X-Page-Count": String(pdf.pages),
          "X-Render-Cache": cached ? "hit" : "miss",
        },
      };
    },
  };
}
