// Draws PDFs off the event loop: a small pool of worker threads (pdf-worker.ts), each
// drawing one document at a time. Every request of a function instance (and, in the
// local gateway, of every function) shares one event loop; a PDF drawn on it blocks them
// all for as long as it takes (issue 22 finding 3: another user's REST call through the
// gateway went from 5/16 ms to 94/992 ms p50/p99 while one client fetched long PDFs).
//
// A render is also bounded in time: one that runs past renderTimeoutMs (hosted Supabase
// allows a function 2 s of CPU per request) has its worker stopped and answers 503; a
// new worker takes its place. Where the runtime has no Worker (hosted Supabase's edge
// runtime does not offer the Web Worker API) the renderer draws inline, and the page
// bound (pdf.ts, maxPdfPages) is what keeps a render short.
import { PdfTooLongError, type PdfOptions, type RenderedPdf, renderResumePdf } from "./pdf.ts";
import type { PublicResume } from "./document.ts";
import type { ResumeLayout } from "./template.ts";
import { HttpError } from "../http.ts";

export const renderTimeoutMs = 2000;

export interface PdfJob {
  id: number;
  resume: PublicResume;
  layout: ResumeLayout;
  options: PdfOptions;
}

export type PdfJobResult =
  | { id: number; ok: true; bytes: Uint8Array; pages: number; missingGlyphs: number }
  | { id: number; ok: false; tooLong: boolean; message: string };

export type DrawPdf = typeof renderResumePdf;

export const renderTimedOut = () =>
  new HttpError(503, "render_timeout", "Drawing this PDF took too long. Try again, or use format=html.", {
    "Retry-After": "5",
  });

// Whether this runtime can start a module worker (Deno can; the edge runtime cannot).
function workersAvailable(): boolean {
  return typeof Worker === "function" && !("EdgeRuntime" in globalThis);
}

// A draw function with the same signature as renderResumePdf that runs in a worker.
// At most `size` workers; further draws wait their turn in arrival order. The time bound
// counts from when a ready worker is given the document (a new worker first loads
// pdf-lib and the fonts, once).
export function createPdfPool(size = 1, timeoutMs = renderTimeoutMs): DrawPdf {
  if (!workersAvailable()) return renderResumePdf;
  const idle: Worker[] = [];
  const waiting: { resolve: (worker: Worker) => void; reject: (error: unknown) => void }[] = [];
  let started = 0;
  let nextId = 0;

  const spawn = () =>
    new Promise<Worker>((resolve, reject) => {
      const worker = new Worker(new URL("./pdf-worker.ts", import.meta.url).href, { type: "module" });
      worker.onmessage = (event) => {
        if (event.data?.ready) resolve(worker);
      };
      worker.onerror = (event) => {
        event.preventDefault();
        worker.terminate();
        started--;
        reject(new Error(`The PDF worker did not start: ${event.message}`));
      };
    });
  const take = (): Promise<Worker> => {
    const worker = idle.pop();
    if (worker) return Promise.resolve(worker);
    if (started < size) {
      started++;
      return spawn();
    }
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
  const give = (worker: Worker) => {
    const next = waiting.shift();
    if (next) next.resolve(worker);
    else idle.push(worker);
  };
  // A stopped worker's place goes to a new one, for the next in line.
  const replace = () => {
    started--;
    const next = waiting.shift();
    if (next) take().then(next.resolve, next.reject);
  };

  return async (resume, layout, options = {}) => {
    const worker = await take();
    return await new Promise<RenderedPdf>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        // A runaway render: the thread is stopped and replaced by a fresh one.
        worker.terminate();
        replace();
        reject(renderTimedOut());
      }, timeoutMs);
      worker.onmessage = (event: MessageEvent<PdfJobResult>) => {
        const result = event.data;
        if (result.id !== id) return;
        clearTimeout(timer);
        give(worker);
        if (result.ok) resolve({ bytes: result.bytes, pages: result.pages, missingGlyphs: result.missingGlyphs });
        else reject(result.tooLong ? new PdfTooLongError() : new Error(result.message));
      };
      worker.onerror = (event) => {
        event.preventDefault();
        clearTimeout(timer);
        worker.terminate();
        replace();
        reject(new Error(`The PDF worker failed: ${event.message}`));
      };
      worker.postMessage({ id, resume, layout, options } satisfies PdfJob);
    });
  };
}

// The one pool of a function instance (in the local gateway: of every function), one
// worker: PDFs then take at most one core from everything else the instance serves.
let shared: DrawPdf | undefined;
export const sharedPdfPool = (): DrawPdf => (shared ??= createPdfPool(1));
