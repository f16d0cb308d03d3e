// The pdf bench part's measurement, run in a Deno process of its own (as an edge
// function instance is): the share function's real handler against the bench database,
// asked for the PDF of a prepared 3-page resume. Writes one JSON object to RESULT_FILE
// (stdout carries V8's --trace-gc lines, which the part reads too).
//   SUPABASE_DB_URL   the bench data set's database
//   SHARE_TOKEN       a live share link to the 3-page resume
//   RUNS, WARMUP      timed and untimed renders
//   BURST             renders of the same resume requested at once, after the timed ones
//   RESULT_FILE       where the JSON goes
import { connectDatabase } from "../supabase/functions/_shared/db.ts";
import { createResumeRenderer } from "../supabase/functions/_shared/resume/formats.ts";
import { renderResumePdf } from "../supabase/functions/_shared/resume/pdf.ts";
import { createShareHandler } from "../supabase/functions/share/handler.ts";

const token = Deno.env.get("SHARE_TOKEN")!;
const runs = Number(Deno.env.get("RUNS") ?? "40");
const warmup = Number(Deno.env.get("WARMUP") ?? "3");
const burst = Number(Deno.env.get("BURST") ?? "8");
const sql = connectDatabase(Deno.env.get("SUPABASE_DB_URL"));
const anonymous = () => Promise.reject(new Error("anonymous visitor"));

// The peak resident set of this process so far (Linux VmHWM), in MB.
function peakRssMb(): number {
  const status = Deno.readTextFileSync("/proc/self/status");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

const url = (query: string) => `http://bench.local/share/${token}${query}`;

// Drawn inline, as on hosted Supabase: its edge runtime has no Web Worker, so the renderer
// draws on the instance's own isolate (pdf-pool.ts), the isolate whose heap the runtime
// limits and this probe measures. Under plain Deno the default is the instance's PDF worker
// thread: its heap is another isolate's (not in Deno.memoryUsage()), and the idle worker
// keeps the process alive after the last render, so the probe never exited (the part's
// 3-minute timeout then killed it with SIGTERM).
const draw = renderResumePdf;

// Uncached: a renderer whose cache holds nothing, so every request draws the PDF.
const uncached = createShareHandler({
  database: () => sql,
  verifyCaller: anonymous,
  renderer: createResumeRenderer({ cacheBytes: 0, draw }),
});
const samples: number[] = [];
let pages = 0;
let bytes = 0;
// Peaks over every sample, in MB. `limit` is what Supabase's edge runtime counts
// against a worker's memory limit: V8's used heap plus external memory (buffers);
// `committed` is the heap V8 has reserved (heapTotal) plus external, an upper bound.
const peak = { limit: 0, committed: 0, external: 0 };
const MB = 1024 * 1024;
function sample() {
  const memory = Deno.memoryUsage();
  peak.limit = Math.max(peak.limit, (memory.heapUsed + memory.external) / MB);
  peak.committed = Math.max(peak.committed, (memory.heapTotal + memory.external) / MB);
  peak.external = Math.max(peak.external, memory.external / MB);
}
// The edge runtime also checks after every turn of the worker's event loop: sample on
// every macrotask while the probe runs, not only between renders.
const sampler = setInterval(sample, 1);
for (let i = 0; i < warmup + runs; i++) {
  const started = performance.now();
  const response = await uncached(new Request(url("?format=pdf")));
  const body = new Uint8Array(await response.arrayBuffer());
  const elapsed = performance.now() - started;
  if (response.status !== 200) throw new Error(`share answered ${response.status}`);
  pages = Number(response.headers.get("X-Page-Count"));
  bytes = body.byteLength;
  sample();
  if (i >= warmup) samples.push(elapsed);
}
// A burst: the same resume requested by several visitors at once. The renderer keeps no
// cache here, so each request is drawn; two at a time, the rest wait their turn
// (RenderGate), which keeps the peak independent of the burst's size.
const burstStarted = performance.now();
await Promise.all(Array.from({ length: burst }, async () => {
  const response = await uncached(new Request(url("?format=pdf")));
  if (response.status !== 200) throw new Error(`share answered ${response.status} in the burst`);
  await response.arrayBuffer();
  sample();
}));
const burstMs = performance.now() - burstStarted;
samples.sort((a, b) => a - b);
const quantile = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];

// Cached: the share function as deployed, asked twice for the same version.
const cached = createShareHandler({ database: () => sql, verifyCaller: anonymous, renderer: createResumeRenderer({ draw }) });
const first = await cached(new Request(url("?format=pdf")));
await first.body?.cancel();
const etag = first.headers.get("ETag") ?? "";
const cachedSamples: number[] = [];
let second: Response | undefined;
for (let i = 0; i < Math.max(5, Math.min(runs, 40)); i++) {
  const started = performance.now();
  second = await cached(new Request(url("?format=pdf")));
  await second.arrayBuffer();
  cachedSamples.push(performance.now() - started);
}
cachedSamples.sort((a, b) => a - b);
const pinned = await cached(new Request(url(`?format=pdf&paper=a4&v=${etag.slice(1, -1)}`)));
await pinned.body?.cancel();
const revalidated = await cached(new Request(url("?format=pdf"), { headers: { "If-None-Match": etag } }));

clearInterval(sampler);
sample();
await Deno.writeTextFile(
  Deno.env.get("RESULT_FILE")!,
  JSON.stringify({
    runs: samples.length,
    p50: quantile(0.5),
    p95: quantile(0.95),
    pages,
    bytes,
    peakRssMb: peakRssMb(),
    limitPeakMb: peak.limit,
    committedPeakMb: peak.committed,
    externalPeakMb: peak.external,
    burst: { renders: burst, ms: burstMs },
    cached: {
      p50: cachedSamples[Math.floor(cachedSamples.length / 2)],
      etag,
      sameEtag: second?.headers.get("ETag") === etag,
      cacheHit: second?.headers.get("X-Render-Cache") === "hit",
      cacheControl: second?.headers.get("Cache-Control"),
      pinnedCacheControl: pinned.headers.get("Cache-Control"),
      pinnedStatus: pinned.status,
      revalidatedStatus: revalidated.status,
    },
  }),
);
await sql.end({ timeout: 5 });
