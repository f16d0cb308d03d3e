// The share page renders content typed by strangers. Threats covered:
// - markup or script in any text field (name, summary, bullets, skills...) runs in the
//   visitor's browser → every value is escaped;
// - a javascript:/data: URL in a social link runs on click → only http(s) links;
// - an attribute break-out through a crafted URL → hrefs are normalised and escaped;
// - a template schema smuggling CSS (a colour like `red;}</style><script>`) → only hex colours;
// - a missing or mistyped field breaks the page → it is left out instead;
// - private parts of the document (ids, target role, provenance) leak → only the public view.
import assert from "node:assert/strict";
import { publicResume, readResumeDocument, safeHttpUrl } from "./document.ts";
import { readTemplateLayout } from "./template.ts";
import { loadSeededTemplates } from "./testdata/seeded-templates.ts";
import { escapeHtml, renderSharePage } from "./html.ts";

const templates = await loadSeededTemplates();
const layoutOf = (slug: string) => readTemplateLayout(slug, templates[slug]);
const pageOf = (content: unknown, slug = "modern-professional", title = "") =>
  renderSharePage(publicResume(readResumeDocument(content), title), layoutOf(slug), {
    updatedAt: "2026-11-20T10:00:00.000Z",
  });

const complete = {
  profile: {
    fullName: "Ada Lovelace",
    email: "ada@example.test",
    phone: "+44 20 7946 0000",
    headline: "Platform Engineer",
    location: "London",
    summary: "Builds reliable systems.",
    socialLinks: [{ platform: "github", url: "https://github.com/ada" }, {
      platform: "linkedin",
      url: "https://www.linkedin.com/in/ada",
    }],
  },
  experience: [{
    id: "exp-1",
    title: "Backend Engineer",
    company: "Acme Logistics",
    location: "Remote",
    startDate: "2021-03",
    endDate: "",
    isCurrent: true,
    description: "- Cut p99 latency by 40%\n• Led the Postgres upgrade\n\n",
  }],
  education: [{
    id: "edu-1",
    school: "University of London",
    degree: "BSc",
    field: "Mathematics",
    startDate: "2014-09-01",
    endDate: "2017-06-01",
  }],
  skills: ["Postgres", { name: "Deno", proficiency: "Expert", category: "Technical" }],
  languages: [{ name: "English", proficiency: "Native" }],
  targetRole: "Staff Engineer",
  provenance: { kind: "tailored", jobTitle: "Secret Job" },
};

const textOf = (html: string) => html.replace(/<style>[\s\S]*?<\/style>/, "");

Deno.test("a complete resume renders every section with its content", () => {
  const html = pageOf(complete);
  assert.match(html, /^<!doctype html>\n<html lang="en">/);
  assert.match(html, /<title>Ada Lovelace — Resume<\/title>/);
  assert.match(html, /<h1>Ada Lovelace<\/h1>/);
  assert.match(html, /<p class="headline">Platform Engineer<\/p>/);
  assert.match(html, /London/);
  assert.match(html, /ada@example\.test/);
  assert.match(html, /Builds reliable systems\./);
  assert.match(html, /Backend Engineer <span class="at">at<\/span> Acme Logistics/);
  assert.match(html, /Mar 2021 – Present · Remote/);
  assert.match(html, /<li>Cut p99 latency by 40%<\/li><li>Led the Postgres upgrade<\/li><\/ul>/);
  assert.match(html, /University of London/);
  assert.match(html, /BSc, Mathematics/);
  assert.match(html, /Sep 2014 – Jun 2017/);
  assert.match(html, /<li>Postgres<\/li><li>Deno<\/li>/);
  assert.match(html, /English — Native/);
  for (const id of ["summary", "experience", "education", "skills", "languages"]) {
    assert.match(html, new RegExp(`<section class="${id}" aria-labelledby="${id}"><h2 id="${id}">`));
  }
});

Deno.test("social links read LinkedIn and GitHub, and print their URLs", () => {
  const html = pageOf(complete);
  assert.match(
    html,
    /<a href="https:\/\/github\.com\/ada" rel="noopener nofollow">GitHub<\/a><span class="print-url"> https:\/\/github\.com\/ada<\/span>/,
  );
  assert.match(html, />LinkedIn<\/a><span class="print-url"> https:\/\/www\.linkedin\.com\/in\/ada<\/span>/);
  assert.match(html, /\.print-url \{ display: none; \}/);
  assert.match(html, /@media print \{[\s\S]*\.print-url \{ display: inline; \}/);
});

Deno.test("the private parts of the document never reach the page", () => {
  const html = pageOf(complete);
  for (const secret of ["Staff Engineer", "Secret Job", "tailored", "exp-1", "edu-1"]) {
    assert.ok(!html.includes(secret), `${secret} is not on the page`);
  }
});

Deno.test("each template lays the page out its own way: columns, sidebar, order, titles, face, colours", () => {
  const modern = pageOf(complete, "modern-professional");
  const clean = pageOf(complete, "clean-impact");
  const executive = pageOf(complete, "executive-classic");
  // modern-professional: one column; languages at the bottom, after skills.
  assert.match(modern, /<main class="layout-one-column" data-template="modern-professional">/);
  assert.doesNotMatch(textOf(modern), /<aside>/);
  assert.ok(textOf(modern).indexOf('class="skills"') < textOf(modern).indexOf('class="languages"'));
  assert.match(modern, /--primary: #1e3a8a/);
  // clean-impact: skills and languages in a sidebar beside experience, its own titles.
  assert.match(clean, /<main class="layout-two-columns" data-template="clean-impact">/);
  assert.match(textOf(clean), /<div class="columns"><div class="main"><section class="experience"[^]*<\/div><aside><section class="skills"/);
  assert.match(clean, /<h2 id="experience">Impact<\/h2>/);
  assert.match(clean, /grid-template-columns: 67fr 33fr/);
  // executive-classic: a serif face, centred header, two columns and its own titles.
  assert.match(executive, /<main class="layout-two-columns layout-serif" data-template="executive-classic">/);
  assert.match(executive, /font: [\d.]+px\/1\.5 Georgia/);
  assert.match(executive, /<h2 id="experience">Career History<\/h2>/);
  assert.match(executive, /<h2 id="skills">Core Competencies<\/h2>/);
  assert.match(executive, /--paper: #fffdf7/);
  assert.notEqual(textOf(executive).replace(/data-template="[^"]*"/, ""), textOf(modern).replace(/data-template="[^"]*"/, ""));
});

Deno.test("a template schema cannot smuggle CSS or markup", () => {
  const layout = readTemplateLayout(`"><script>`, {
    layout: { type: "two-column", gridTemplateColumns: "1fr; } body { display:none" },
    sections: [{ type: "skills", position: "sidebar", title: "</h2><script>alert(1)</script>" }],
    theme: { primaryColor: "red;}</style><script>alert(1)</script>", fontFamily: "x;}</style>" },
  });
  const html = renderSharePage(publicResume(readResumeDocument(complete)), layout);
  assert.doesNotMatch(html, /<script/i);
  assert.match(html, /--primary: #334155/);
  assert.match(html, /&lt;\/h2&gt;&lt;script&gt;/);
});

Deno.test("hostile text in every field is rendered as text, never as markup", () => {
  const attack = `<script>alert("x")</script><img src=x onerror=alert(1)>`;
  const html = pageOf({
    profile: { fullName: attack, headline: attack, location: attack, summary: attack, email: attack, phone: attack },
    experience: [{ title: attack, company: attack, location: attack, startDate: attack, description: `${attack}\n${attack}` }],
    education: [{ school: attack, degree: attack, field: attack }],
    skills: [attack, { name: attack }],
    languages: [{ name: attack, proficiency: attack }, attack],
  }, "clean-impact", attack);
  const body = textOf(html);
  assert.doesNotMatch(body, /<script/i);
  assert.doesNotMatch(body, /<img/i);
  assert.match(body, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.match(html, /<h1>&lt;script&gt;/);
});

Deno.test("only http(s) URLs become links; javascript:, data: and broken URLs are dropped", () => {
  const html = pageOf({
    profile: {
      fullName: "Eve",
      socialLinks: [
        { platform: "Evil", url: "javascript:alert(document.cookie)" },
        { platform: "Evil2", url: " JavaScript:alert(1)" },
        { platform: "Data", url: "data:text/html,<script>alert(1)</script>" },
        { platform: "Relative", url: "//evil.example/x" },
        { platform: "Broken", url: "https://" },
        { platform: "Creds", url: "https://user:pass@evil.example/" },
        { platform: "Quote", url: 'https://example.test/"><script>alert(1)</script>' },
        { url: "http://portfolio.example.test/ada" },
        "not an object",
      ],
    },
  });
  const body = textOf(html);
  assert.doesNotMatch(body, /javascript:/i);
  assert.doesNotMatch(body, /data:/);
  assert.doesNotMatch(body, /Evil|Relative|Broken|Creds/);
  assert.doesNotMatch(body, /<script/i);
  // A quote in a URL is percent-encoded by the URL parser, so it cannot close the attribute.
  assert.match(
    body,
    /<a href="https:\/\/example\.test\/%22%3E%3Cscript%3Ealert\(1\)%3C\/script%3E" rel="noopener nofollow">Quote<\/a>/,
  );
  // A link without a platform name is labelled with its host.
  assert.match(body, /<a href="http:\/\/portfolio\.example\.test\/ada" rel="noopener nofollow">portfolio\.example\.test<\/a>/);
  assert.equal(body.match(/<a /g)?.length, 2);
});

Deno.test("safeHttpUrl accepts absolute http(s) URLs only", () => {
  assert.equal(safeHttpUrl("https://example.test/a b"), "https://example.test/a%20b");
  assert.equal(safeHttpUrl("HTTP://Example.test"), "http://example.test/");
  assert.equal(safeHttpUrl("javascript:alert(1)"), null);
  assert.equal(safeHttpUrl("vbscript:msgbox"), null);
  assert.equal(safeHttpUrl("example.test"), null);
});

Deno.test("missing or mistyped fields are left out instead of breaking the page", () => {
  for (const content of [undefined, null, "a string", [], {}, { profile: "x", experience: "x", skills: {}, languages: 3 }]) {
    const html = pageOf(content, "modern-professional", "My Resume");
    assert.match(html, /<h1>My Resume<\/h1>/);
    assert.doesNotMatch(html, /<section/);
    assert.doesNotMatch(html, /undefined|null|\[object Object\]/);
  }
  const fromParts = pageOf({ profile: { firstName: "Grace", lastName: "Hopper" } });
  assert.match(fromParts, /<h1>Grace Hopper<\/h1>/);
  // Entries with nothing to show are skipped, one with only a company still shows.
  const sparse = pageOf({
    experience: [{}, null, { company: "Initech", isCurrent: false, startDate: 2019 }],
    education: [{ startDate: "2010-01" }],
    skills: ["", "  ", { proficiency: "Expert" }, { name: 7 }, null],
    languages: [{ proficiency: "Native" }],
    targetRole: "Data Engineer",
  });
  assert.match(sparse, /<h3>Initech<\/h3><p class="meta">2019<\/p><\/article>/);
  assert.doesNotMatch(sparse, /Data Engineer/);
  assert.match(sparse, /<li>7<\/li>/);
  assert.doesNotMatch(sparse, /id="education"|id="languages"/);
  assert.doesNotMatch(sparse, /undefined|null|\[object Object\]/);
});

Deno.test("escapeHtml escapes the five HTML-significant characters", () => {
  assert.equal(
    escapeHtml(`<a href="x" title='y'>&</a>`),
    "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
  );
});
