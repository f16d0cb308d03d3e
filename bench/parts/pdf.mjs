// Bench part `pdf`: the share function rendering a 3-page resume to PDF, in a Deno
// process of its own against the bench database (bench/pdf-probe.ts).
// Targets: p50 ≤ 300 ms per uncached render, peak memory ≤ 150 MB (Supabase gives a
// function 256 MB), and the cached version served with an ETag, revalidation
// (304) and, on its pinned URL, Cache-Control for an immutable version.
//
// Memory is measured the way Supabase's edge runtime enforces its limit
// (github.com/supabase/edge-runtime, crates/base/src/runtime/mod.rs, at b1edf453):
// - a user worker's isolate is created with `heap_limits(0, memory_limit_bytes)`
//   (the limit defaults to SUPABASE_RESOURCE_LIMIT_MEM_MB = 256, .cargo/config.toml), so
//   V8 sizes its heap, young generation included, from the limit. The probe's Deno gets
//   the same sizing from `--max-heap-size=256`; Deno's default sizes it from the
//   machine's RAM, which let the young generation grow to ~50 MB of garbage;
// - `MemCheck::check` counts `used_heap_size() + external_memory()` (plus
//   `malloced_memory()` only if EDGE_RUNTIME_INCLUDE_MALLOCED_MEMORY_ON_MEMCHECK is set)
//   and is run from a GC prologue callback (`mem_check_gc_prologue_callback_fn`) and
//   after every poll of the worker's event loop. Not the process's RSS: one edge-runtime
//   process hosts many workers, and the runtime's own code is not charged to any.
// So the judged figure is the peak of heap used + external: sampled on every macrotask
// and after every render, and taken from V8's --trace-gc lines (the used heap at the
// start of each GC, which is when the runtime's callback looks), plus the peak external.
// The committed heap + external and the whole process's peak RSS (VmHWM, which also
// holds the Deno runtime, compiled code and the database client) are reported beside it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/lib/profiles.mjs';

export const pdfTargets = { p50Ms: 300, peakMb: 150, pages: 3 };

// The memory limit the probe's heap is sized for: Supabase's default for a function.
const workerLimitMb = 256;
// The renderer's cache of PDFs per instance (supabase/functions/_shared/resume/formats.ts): at most this much more
// external memory in an instance that has served many versions.
const pdfCacheMb = 16;

// V8's --trace-gc lines: `... Scavenge 35.0 (45.1) -> 28.2 (45.4) MB, ...`. The first
// number is the heap in use when the collection starts.
export function gcStartPeakMb(trace) {
  let peak = 0;
  for (const m of trace.matchAll(/(?:Scavenge|Mark-Compact|Mark-Sweep)[^>\n]*?([\d.]+) \(([\d.]+)\) -> /g)) {
    peak = Math.max(peak, Number(m[1]));
  }
  return peak;
}

const userId = 'b3c0ffee-0000-4000-8000-0000000000f1';
const resumeId = 'b3c0ffee-0000-4000-8000-0000000000f2';
// 32 base64url characters, as create_share_link makes them.
const shareToken = 'BenchPdfShareToken0123456789abcd';

// A realistic long resume: enough experience for exactly three A4 pages in modern-professional.
export function threePageResume() {
  const bullet = (i, j) =>
    `Delivered outcome ${j + 1} of role ${i + 1}: coordinated several teams, wrote the design document, ` +
    'rolled it out region by region and measured the result against the plan agreed with stakeholders';
  return {
    profile: {
      fullName: 'Zoë Łukasiewicz-Παπαδοπούλου',
      email: 'zoe@example.test',
      phone: '+30 210 555 0100',
      headline: 'Staff Platform Engineer',
      location: 'Thessaloniki, Greece',
      summary: 'Platform engineer who builds calm, observable systems across Europe and beyond.',
      socialLinks: [
        { platform: 'linkedin', url: 'https://www.linkedin.com/in/zoe-l' },
        { platform: 'github', url: 'https://github.com/zoe-l' },
      ],
    },
    experience: Array.from({ length: 9 }, (_, i) => ({
      id: `e${i + 1}`,
      title: `Engineer level ${i + 1}`,
      company: `Company ${String.fromCharCode(65 + i)}`,
      location: 'Remote',
      startDate: `${2005 + i}-01`,
      endDate: `${2006 + i}-01`,
      isCurrent: false,
      description: Array.from({ length: 4 }, (_, j) => bullet(i, j)).join('\n'),
    })),
    education: [{ id: 'd1', school: 'Aristotle University of Thessaloniki', degree: 'MSc', field: 'Computer Science', startDate: '2000-09', endDate: '2005-06' }],
    skills: ['Go', 'Kubernetes', 'PostgreSQL', 'Terraform', 'Observability', 'Incident response'].map((name) => ({ name })),
    languages: [{ name: 'Greek', proficiency: 'Native' }, { name: 'Polish', proficiency: 'Advanced' }],
  };
}

export default {
  name: 'pdf',
  title: 'share PDF of a 3-page resume: render time, memory, cached-version headers',

  // One owner with a shared 3-page resume on the modern-professional template.
  async prepare(dataSet, { adminQuery }) {
    await adminQuery(dataSet.db.adminUrl, `
      insert into auth.users (instance_id, id, aud, role, email)
      values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', 'bench-pdf@example.test')
      on conflict (id) do nothing`, [userId]);
    await adminQuery(dataSet.db.adminUrl, `
      insert into public.generated_resumes (id, user_id, template_id, title, share_token)
      select $1, $2, t.id, 'Bench PDF', $3 from public.templates t where t.slug = 'modern-professional'
      on conflict (id) do nothing`, [resumeId, userId, shareToken]);
    await adminQuery(dataSet.db.adminUrl, `
      insert into public.generated_resume_versions (generated_resume_id, version_number, content_json)
      values ($1, 1, $2::text::jsonb) on conflict do nothing`, [resumeId, JSON.stringify(threePageResume())]);
  },

  async run({ quick, dataSets }) {
    const dataSet = dataSets[dataSets.length - 1];
    const runs = quick ? 5 : 60;
    const deno = join(repoRoot, 'node_modules', '.bin', 'deno');
    const scratch = mkdtempSync(join(tmpdir(), 'bench-pdf-'));
    const resultFile = join(scratch, 'result.json');
    const probe = spawnSync(deno, [
      'run', '-A', '--no-prompt', `--v8-flags=--max-heap-size=${workerLimitMb},--trace-gc`,
      join(repoRoot, 'bench', 'pdf-probe.ts'),
    ], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: {
        ...process.env, NO_COLOR: '1', SUPABASE_DB_URL: dataSet.db.dbUrl, SHARE_TOKEN: shareToken,
        RUNS: String(runs), WARMUP: quick ? '1' : '5', BURST: quick ? '3' : '8', RESULT_FILE: resultFile,
      },
      maxBuffer: 64 * 1024 * 1024,
      // 60 renders take seconds; a probe still running after this is a failure, not a wait.
      timeout: 3 * 60_000,
    });
    let result;
    try {
      if (probe.status !== 0) {
        // spawnSync kills the probe with SIGTERM at the timeout (error ETIMEDOUT) or when its output passes maxBuffer (ENOBUFS).
        const why = probe.error?.code === 'ETIMEDOUT' ? 'still running after 3 minutes, killed' : probe.error?.code ?? probe.signal ?? probe.status;
        return { verdicts: [], markdown: [], failures: [`the PDF probe failed (${why}): ${(probe.stderr || probe.stdout || '').slice(-1500)}`] };
      }
      result = JSON.parse(readFileSync(resultFile, 'utf8'));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    const gcStartMb = gcStartPeakMb(probe.stdout);
    if (gcStartMb === 0) {
      return { verdicts: [], markdown: [], failures: ['the PDF probe printed no --trace-gc lines: the memory peak cannot be read'] };
    }
    // What the runtime's check could have seen at its worst: the larger of the sampled
    // peak and the heap at a GC's start plus the most external memory seen.
    const limitMb = Math.max(result.limitPeakMb, gcStartMb + result.externalPeakMb);
    const c = result.cached;
    const failures = [];
    // These hold in --quick mode too: they are behaviour, not timing.
    if (result.pages !== pdfTargets.pages) failures.push(`the fixture rendered to ${result.pages} pages, not ${pdfTargets.pages}`);
    if (!/^"[0-9a-f]{32}"$/.test(c.etag) || !c.sameEtag) failures.push('the cached version is not served with a stable ETag');
    if (!c.cacheHit) failures.push('the second request for the same version was rendered again instead of served from the cache');
    if (c.cacheControl !== 'private, no-cache') failures.push(`the share PDF's Cache-Control is ${c.cacheControl}`);
    if (c.pinnedStatus !== 200 || c.pinnedCacheControl !== 'private, max-age=31536000, immutable') {
      failures.push(`the pinned version URL answered ${c.pinnedStatus} with Cache-Control ${c.pinnedCacheControl}`);
    }
    // Timing aside, an instance must stay inside the real limit even with its cache full.
    if (limitMb + pdfCacheMb > workerLimitMb) {
      failures.push(`heap used + external peaked at ${limitMb.toFixed(0)} MB: with a full PDF cache that is over the ${workerLimitMb} MB limit`);
    }
    if (c.revalidatedStatus !== 304) failures.push(`If-None-Match with the ETag answered ${c.revalidatedStatus}, not 304`);
    const verdicts = [
      { target: `3-page resume PDF through the share function: p50 ≤ ${pdfTargets.p50Ms} ms`, value: result.p50, pass: result.p50 <= pdfTargets.p50Ms },
      { target: `peak memory as the edge runtime counts it (V8 heap used + external) ≤ ${pdfTargets.peakMb} MB`, value: limitMb, pass: limitMb <= pdfTargets.peakMb },
    ];
    const ms = (v) => `${v.toFixed(1)} ms`;
    const mb = (v) => `${v.toFixed(0)} MB`;
    console.log(`  pdf: ${result.runs} renders of ${result.pages} pages (${(result.bytes / 1024).toFixed(0)} KB): p50 ${ms(result.p50)}, p95 ${ms(result.p95)}; ` +
      `heap used + external ${mb(limitMb)} (committed + external ${mb(result.committedPeakMb)}, process RSS ${mb(result.peakRssMb)}); ` +
      `${result.burst.renders} at once in ${ms(result.burst.ms)}; cached p50 ${ms(c.p50)}`);
    const markdown = [
      `A ${result.pages}-page resume (${(result.bytes / 1024).toFixed(0)} KB PDF, modern-professional, DejaVu Sans subset) requested as ` +
        '`GET /share/<token>?format=pdf` from the share function\'s real handler, in a Deno process of its own, reading the bench database as anon, ' +
        `its V8 heap sized for Supabase's ${workerLimitMb} MB function limit as the edge runtime sizes a worker's (\`--max-heap-size=${workerLimitMb}\`). ` +
        `After the timed renders, ${result.burst.renders} renders of it are requested at once.`,
      '',
      '| measure | value | target |',
      '|---|---|---|',
      `| uncached render, p50 | ${ms(result.p50)} | ≤ ${pdfTargets.p50Ms} ms |`,
      `| uncached render, p95 | ${ms(result.p95)} | |`,
      `| ${result.burst.renders} renders at once, all done | ${ms(result.burst.ms)} | |`,
      `| **peak memory as the edge runtime counts it: V8 heap used + external** | ${mb(limitMb)} | ≤ ${pdfTargets.peakMb} MB |`,
      `| … of which external (font files, PDF buffers) | ${mb(result.externalPeakMb)} | |`,
      `| … plus, at worst, the instance's PDF cache when full | + ${pdfCacheMb} MB | |`,
      `| V8 heap committed + external | ${mb(result.committedPeakMb)} | (reserved, not counted) |`,
      `| peak RSS of the whole Deno process (VmHWM) | ${mb(result.peakRssMb)} | (runtime, code and database client included) |`,
      `| cached version, p50 | ${ms(c.p50)} | |`,
      '',
      'The edge runtime checks `used_heap_size() + external_memory()` against a worker\'s limit, from a GC prologue callback and after every ' +
        'poll of its event loop (supabase/edge-runtime, crates/base/src/runtime/mod.rs, `MemCheck::check`); the process\'s RSS is not what it limits.',
      '',
      `The cached version: \`ETag: ${c.etag}\`, \`Cache-Control: ${c.cacheControl}\` on the link, ` +
        `\`${c.pinnedCacheControl}\` on the pinned URL, \`If-None-Match\` → ${c.revalidatedStatus}.`,
    ];
    return { verdicts, markdown, failures, data: result };
  },
};
