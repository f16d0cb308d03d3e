import assert from "node:assert/strict";
import { publicResume, readResumeDocument } from "./document.ts";
import { renderResumePdf } from "./pdf.ts";
import { readTemplateLayout, type ResumeLayout } from "./template.ts";
import { longDraft, polyglotDraft, polyglotName } from "./testdata/resumes.ts";
import { loadSeededTemplates } from "./testdata/seeded-templates.ts";
import { pagePng, pdfInfo, pdfLines, pdfText, pdfUrls, savePdf } from "./testdata/poppler.ts";

const seededTemplates = await loadSeededTemplates();
const seededSlugs = Object.keys(seededTemplates);
const layoutOf = (slug: string) => readTemplateLayout(slug, seededTemplates[slug]);
const render = (draft: unknown, layout: ResumeLayout, paper: "a4" | "letter" = "a4") =>
  renderResumePdf(publicResume(readResumeDocument(draft)), layout, {
    paper,
    createdAt: new Date("2026-12-01T12:00:00Z"),
  });

// What the first long fixture takes in each template (two columns leave the sidebar's
// width empty on later pages, so they run longer).
const longFixturePages: Record<string, number> = {
  "modern-professional": 3,
  "clean-impact": 4,
  "executive-classic": 5,
};

// Section headings in reading order: the full-width top, the main column, the sidebar, the bottom.
function headingsInOrder(layout: ResumeLayout): string[] {
  return [...layout.top, ...layout.main, ...layout.sidebar, ...layout.bottom]
    .filter((spec) => spec.type !== "header" && spec.showTitle)
    .map((spec) => spec.title.toUpperCase());
}

Deno.test("seeded templates: executive-classic has two columns and a serif face, modern-professional one column", () => {
  assert.deepEqual([...seededSlugs].sort(), ["clean-impact", "executive-classic", "modern-professional"]);
  const modern = layoutOf("modern-professional");
  const clean = layoutOf("clean-impact");
  const executive = layoutOf("executive-classic");
  assert.equal(modern.twoColumns, false);
  assert.deepEqual(modern.bottom.map((s) => s.type), ["languages"]);
  assert.equal(clean.twoColumns, true);
  assert.deepEqual(clean.sidebar.map((s) => s.type), ["skills", "languages"]);
  assert.equal(executive.twoColumns, true);
  assert.equal(executive.theme.serif, true);
  assert.deepEqual(executive.main.map((s) => s.type), ["work", "education"]);
  assert.equal(executive.theme.background, "#fffdf7");
});

for (const slug of seededSlugs) {
  Deno.test(`pdf (${slug}): every section in reading order, the name exact, links clickable, metadata set, page 1 as PNG`, async () => {
    const layout = layoutOf(slug);
    const pdf = await render(polyglotDraft, layout);
    assert.equal(pdf.missingGlyphs, 0);
    const path = await savePdf(`${slug}`, pdf.bytes);
    await pagePng(path, `${slug}-page1`);

    // Lines joined: a narrow sidebar may wrap a heading.
    const text = (await pdfText(path)).replace(/\s+/g, " ");
    assert.ok(text.includes(polyglotName), `the name reads back exactly from ${text.slice(0, 200)}`);
    let at = text.indexOf(polyglotName);
    for (const heading of headingsInOrder(layout)) {
      const next = text.indexOf(heading, at);
      assert.ok(next > at, `${heading} comes after the previous section in ${slug}`);
      at = next;
    }
    for (const fact of ["Ἀκρόπολις Cloud", "Łódź Logistics", "Aristotle University of Thessaloniki", "Kubernetes", "Polish"]) {
      assert.ok(text.includes(fact), `${fact} is in the text`);
    }
    // Social links read as their platform, with the URL printed for paper.
    assert.match(text, /LinkedIn: https:\/\/www\.linkedin\.com\/in\/zoe-l/);
    assert.match(text, /GitHub: https:\/\/github\.com\/zoe-l/);
    // Private parts of the document never print.
    assert.ok(!text.includes("Principal Engineer"), "the target role is not printed");
    assert.ok(!text.includes("11111111-1111"), "no ids are printed");

    const urls = await pdfUrls(path);
    assert.deepEqual(urls.map((u) => u.url).sort(), ["https://github.com/zoe-l", "https://www.linkedin.com/in/zoe-l"]);
    const info = await pdfInfo(path);
    assert.match(info, new RegExp(`Title:\\s+${polyglotName} — Resume`));
    assert.match(info, new RegExp(`Author:\\s+${polyglotName}`));
    assert.match(info, /Creator:\s+JobStalker/);
    assert.match(info, /Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    assert.match(info, /Pages:\s+1\b/);
  });
}

Deno.test("pdf: Letter paper on request", async () => {
  const pdf = await render(polyglotDraft, layoutOf("modern-professional"), "letter");
  const info = await pdfInfo(await savePdf("modern-professional-letter", pdf.bytes));
  assert.match(info, /Page size:\s+612 x 792 pts \(letter\)/);
});

Deno.test("pdf: a character the font lacks is drawn as U+FFFD and counted, never dropped", async () => {
  const draft = { ...polyglotDraft, profile: { ...polyglotDraft.profile, fullName: "Zoë 中文 Ł" } };
  const pdf = await render(draft, layoutOf("modern-professional"));
  assert.equal(pdf.missingGlyphs, 2, "the two CJK characters of the name are counted");
  const text = await pdfText(await savePdf("missing-glyphs", pdf.bytes));
  assert.ok(text.includes("Zoë \uFFFD\uFFFD Ł"), text.slice(0, 80));
});

for (const [slug, shift] of seededSlugs.flatMap((slug) => [0, 1, 2, 3].map((shift) => [slug, shift] as const))) {
  Deno.test(`pdf (${slug}, variant ${shift}): a long resume flows over numbered pages, breaking only between lines, never after a heading or entry title`, async () => {
    const layout = layoutOf(slug);
    const pdf = await render(longDraft(14, shift), layout);
    const path = await savePdf(`${slug}-long-${shift}`, pdf.bytes);
    const lines = await pdfLines(path);
    const pages = Math.max(...lines.map((l) => l.page));
    assert.equal(pdf.pages, pages);
    assert.ok(pages >= 3, `${slug}: the long fixture takes ${pages} pages`);
    if (shift === 0) assert.equal(pages, longFixturePages[slug], `${slug}: the long fixture's page count`);
    for (let page = 1; page <= pages; page++) {
      const onPage = lines.filter((l) => l.page === page);
      const footer = onPage.find((l) => l.text === `${page} / ${pages}`);
      assert.ok(footer, `page ${page} carries its number`);
      for (const line of onPage) {
        if (line === footer) continue;
        // Inside the text area: 48 pt margins and a 20 pt footer band.
        assert.ok(line.yMin >= 47 && line.yMax <= line.pageHeight - 48 - 20 + 1, `line "${line.text}" lies within page ${page}'s text area`);
        assert.ok(line.yMax < footer.yMin, `line "${line.text}" is above the page number`);
      }
      if (page === pages) continue;
      // The lowest line of each column must not be one that belongs with the next line.
      const columns = new Map<number, typeof onPage>();
      for (const line of onPage.filter((l) => l !== footer)) {
        const key = Math.round(line.xMin / 150);
        columns.set(key, [...(columns.get(key) ?? []), line]);
      }
      for (const column of columns.values()) {
        const last = column.reduce((a, b) => (b.yMax > a.yMax ? b : a));
        assert.ok(!/^Engineer level \d+ — Company/.test(last.text), `page ${page} does not end on an entry title: ${last.text}`);
        assert.ok(!/^[A-Z][a-z]{2} \d{4} – /.test(last.text), `page ${page} does not end on a date line: ${last.text}`);
        assert.ok(!headingsInOrder(layout).includes(last.text), `page ${page} does not end on a heading: ${last.text}`);
      }
    }
    // Every bullet of every entry is there, each exactly once, in order.
    const text = await pdfText(path);
    let at = 0;
    for (let i = 1; i <= 14; i++) {
      const next = text.indexOf(`Engineer level ${i} —`, at);
      assert.ok(next >= at, `entry ${i} follows entry ${i - 1}`);
      at = next;
    }
  });
}
