// Bench part `pdf`: the share function rendering a 3-page resume to PDF, in a Deno
// process of its own against the bench database (scripts/bench/pdf-probe.ts).
// Targets: p50 ≤ 300 ms per uncached render, peak memory ≤ 150 MB (Supabase gives a
// function 256 MB), and the cached version served with an ETag, revalidation
// (304) and, on its pinned URL, Cache-Control for an immutable version.
// Memory is the isolate's: the V8 heap as committed (heapTotal, not just what is in use)
// plus external buffers, sampled after every render; that is what an edge function's
// memory limit counts. The process's peak RSS (VmHWM) is reported beside it: it also
// holds the Deno runtime itself and compiled code (about 80 MB before any request).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../lib/profiles.mjs';

export const pdfTargets = { p50Ms: 300, peakMb: 150, pages: 3 };

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
    const probe = spawnSync(deno, ['run', '-A', '--no-prompt', join(repoRoot, 'scripts', 'bench', 'pdf-probe.ts')], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', SUPABASE_DB_URL: dataSet.db.dbUrl, SHARE_TOKEN: shareToken, RUNS: String(runs), WARMUP: quick ? '1' : '5' },
      timeout: 10 * 60_000,
    });
    if (probe.status !== 0) {
      return { verdicts: [], markdown: [], failures: [`the PDF probe failed: ${(probe.stderr || probe.stdout).slice(-1500)}`] };
    }
    const result = JSON.parse(probe.stdout.trim().split('\n').pop());
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
    if (c.revalidatedStatus !== 304) failures.push(`If-None-Match with the ETag answered ${c.revalidatedStatus}, not 304`);
    const verdicts = [
      { target: `3-page resume PDF through the share function: p50 ≤ ${pdfTargets.p50Ms} ms`, value: result.p50, pass: result.p50 <= pdfTargets.p50Ms },
      { target: `peak memory (V8 heap committed + external) ≤ ${pdfTargets.peakMb} MB`, value: result.heapPeakMb, pass: result.heapPeakMb <= pdfTargets.peakMb },
    ];
    const ms = (v) => `${v.toFixed(1)} ms`;
    console.log(`  pdf: ${result.runs} renders of ${result.pages} pages (${(result.bytes / 1024).toFixed(0)} KB): p50 ${ms(result.p50)}, p95 ${ms(result.p95)}; ` +
      `heap + external ${result.heapPeakMb.toFixed(0)} MB (process RSS ${result.peakRssMb.toFixed(0)} MB); cached p50 ${ms(c.p50)}`);
    const markdown = [
      `A ${result.pages}-page resume (${(result.bytes / 1024).toFixed(0)} KB PDF, modern-professional, DejaVu Sans subset) requested as ` +
        '`GET /share/<token>?format=pdf` from the share function\'s real handler, in a Deno process of its own, reading the bench database as anon.',
      '',
      '| measure | value | target |',
      '|---|---|---|',
      `| uncached render, p50 | ${ms(result.p50)} | ≤ ${pdfTargets.p50Ms} ms |`,
      `| uncached render, p95 | ${ms(result.p95)} | |`,
      `| peak memory: V8 heap committed + external | ${result.heapPeakMb.toFixed(0)} MB | ≤ ${pdfTargets.peakMb} MB |`,
      `| peak RSS of the whole Deno process (VmHWM) | ${result.peakRssMb.toFixed(0)} MB | (runtime and code included) |`,
      `| cached version, p50 | ${ms(c.p50)} | |`,
      '',
      `The cached version: \`ETag: ${c.etag}\`, \`Cache-Control: ${c.cacheControl}\` on the link, ` +
        `\`${c.pinnedCacheControl}\` on the pinned URL, \`If-None-Match\` → ${c.revalidatedStatus}.`,
    ];
    return { verdicts, markdown, failures, data: result };
  },
};
