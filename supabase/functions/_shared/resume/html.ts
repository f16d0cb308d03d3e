// A resume as an HTML page (the share page, and the owner's HTML form): the public view of a resume document, laid out as its
// template says (one or two columns, sections at the top, in the main column, in the
// sidebar or at the bottom, the theme's colours, face and sizes). Pure: no I/O.
// Everything shown was typed by a user or written by a model, so every value is
// escaped, and only http(s) URLs (checked by the resume model) become links; the
// template's colours reach the CSS only as checked hex values.
import { dateRange, type PublicResume } from "./document.ts";
import type { ResumeLayout, SectionSpec } from "./template.ts";

const htmlEntities: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => htmlEntities[char]);
}

export interface ShareMeta {
  updatedAt?: string | null;
  // A link to the same version as PDF, shown on screen only.
  pdfHref?: string;
}

const sectionIds: Record<SectionSpec["type"], string> = {
  header: "header",
  summary: "summary",
  work: "experience",
  education: "education",
  skills: "skills",
  languages: "languages",
};

function section(spec: SectionSpec, body: string): string {
  const id = sectionIds[spec.type];
  const title = spec.showTitle && spec.title ? `<h2 id="${id}">${escapeHtml(spec.title)}</h2>` : "";
  const label = title ? ` aria-labelledby="${id}"` : ` aria-label="${escapeHtml(spec.title || id)}"`;
  return `<section class="${id}"${label}>${title}${body}</section>`;
}

function joinParts(parts: string[], separator = " · "): string {
  return parts.filter((part) => part !== "").map(escapeHtml).join(separator);
}

// Links read as their platform; the URL itself is printed on paper, where no one can click.
function renderLinks(resume: PublicResume): string {
  return resume.profile.links.map((link) =>
    `<li><a href="${escapeHtml(link.url)}" rel="noopener nofollow">${escapeHtml(link.label)}</a>` +
    `<span class="print-url"> ${escapeHtml(link.url)}</span></li>`
  ).join("");
}

function renderHeader(resume: PublicResume): string {
  const { profile } = resume;
  const contacts = [profile.location, profile.email, profile.phone].filter(Boolean)
    .map((item) => `<li>${escapeHtml(item)}</li>`).join("") + renderLinks(resume);
  return `<header>` +
    `<h1>${escapeHtml(profile.name)}</h1>` +
    (profile.headline ? `<p class="headline">${escapeHtml(profile.headline)}</p>` : "") +
    (contacts ? `<ul class="contacts" aria-label="Contact">${contacts}</ul>` : "") +
    `</header>`;
}

function renderWork(resume: PublicResume): string {
  return resume.experience.map((job) => {
    const heading = job.title && job.company
      ? `${escapeHtml(job.title)} <span class="at">at</span> ${escapeHtml(job.company)}`
      : escapeHtml(job.title || job.company);
    const meta = joinParts([dateRange(job.startDate, job.endDate, job.isCurrent), job.location]);
    return `<article class="entry"><h3>${heading}</h3>` +
      (meta ? `<p class="meta">${meta}</p>` : "") +
      (job.highlights.length ? `<ul>${job.highlights.map((p) => `<li>${escapeHtml(p)}</li>`).join("")}</ul>` : "") +
      `</article>`;
  }).join("");
}

function renderEducation(resume: PublicResume): string {
  return resume.education.map((school) => {
    const degree = [school.degree, school.field].filter(Boolean).join(", ");
    const range = dateRange(school.startDate, school.endDate);
    return `<article class="entry"><h3>${escapeHtml(school.school || degree)}</h3>` +
      (school.school && degree ? `<p>${escapeHtml(degree)}</p>` : "") +
      (range ? `<p class="meta">${escapeHtml(range)}</p>` : "") +
      `</article>`;
  }).join("");
}

function renderSection(resume: PublicResume, spec: SectionSpec): string {
  switch (spec.type) {
    case "header":
      return renderHeader(resume);
    case "summary":
      return resume.profile.summary
        ? section(spec, `<p class="summary">${escapeHtml(resume.profile.summary)}</p>`)
        : "";
    case "work":
      return resume.experience.length ? section(spec, renderWork(resume)) : "";
    case "education":
      return resume.education.length ? section(spec, renderEducation(resume)) : "";
    case "skills":
      return resume.skills.length
        ? section(spec, `<ul class="tags">${resume.skills.map((name) => `<li>${escapeHtml(name)}</li>`).join("")}</ul>`)
        : "";
    case "languages":
      return resume.languages.length
        ? section(
          spec,
          `<ul class="plain">${
            resume.languages.map((l) => `<li>${joinParts([l.name, l.proficiency], " — ")}</li>`).join("")
          }</ul>`,
        )
        : "";
  }
}

// Print points (the theme's unit) as screen pixels: 10.5 pt of body text ≈ 16 px.
const px = (pt: number) => `${Math.round(pt * 16 / 10.5 * 10) / 10}px`;

function styles(layout: ResumeLayout): string {
  const { theme } = layout;
  const face = theme.serif
    ? `Georgia, "DejaVu Serif", "Times New Roman", serif`
    : `system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif`;
  const main = Math.round(layout.mainShare * 100);
  const columns = layout.sidebarSide === "left" ? `${100 - main}fr ${main}fr` : `${main}fr ${100 - main}fr`;
  return `
:root { color-scheme: light; --primary: ${theme.primary}; --secondary: ${theme.secondary}; --text: ${theme.text};
  --paper: ${theme.background}; --accent: ${theme.accent}; --border: ${theme.border}; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #f3f4f6; color: var(--text); font: ${px(theme.bodySize)}/1.5 ${face}; overflow-wrap: anywhere; }
main { max-width: ${layout.twoColumns ? 900 : 820}px; margin: 2rem auto; padding: 2.5rem; background: var(--paper); border-top: 6px solid var(--primary); }
h1 { margin: 0; font-size: ${px(theme.headingSize * 1.9)}; line-height: 1.15; color: var(--primary); }
h2 { margin: 1.5rem 0 .6rem; padding-bottom: .25rem; font-size: ${px(theme.headingSize)}; text-transform: uppercase; letter-spacing: .05em; color: var(--primary); border-bottom: 1px solid var(--border); }
h3 { margin: 0; font-size: 1.05em; }
p { margin: .25rem 0; }
a { color: var(--primary); }
.headline { font-size: 1.15em; color: var(--secondary); }
.meta { color: var(--secondary); font-size: .95em; }
.at { font-weight: normal; color: var(--secondary); }
.contacts { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; margin: .75rem 0 0; padding: 0; list-style: none; }
.print-url { display: none; }
.entry { margin-bottom: 1.1rem; }
.entry ul { margin: .4rem 0 0; padding-left: 1.25rem; }
.tags { display: flex; flex-wrap: wrap; gap: .5rem; margin: 0; padding: 0; list-style: none; }
.tags li { padding: .1rem .6rem; border: 1px solid var(--border); border-radius: 999px; background: var(--paper); }
.plain { margin: 0; padding-left: 1.25rem; }
.summary { white-space: pre-line; }
.columns { display: grid; grid-template-columns: ${columns}; gap: 2rem; }
.columns > * { min-width: 0; }
aside { padding: 0 1rem 1rem; background: var(--accent); border-radius: 4px; }
aside .tags { flex-direction: column; gap: .25rem; }
aside .tags li { border: none; padding: 0; background: none; }
aside .tags li::before { content: "• "; color: var(--primary); }
.layout-serif header { text-align: center; }
.layout-serif .contacts { justify-content: center; }
.layout-serif h2 { letter-spacing: .12em; border-bottom: 2px double var(--border); }
footer { margin-top: 2rem; color: #6b7280; font-size: .85rem; }
@media (max-width: 640px) {
  main { margin: 0; padding: 1.25rem; }
  .columns { grid-template-columns: minmax(0, 1fr); gap: 0; }
  aside { order: 2; }
}
@page { size: A4; margin: 16mm; }
@media print {
  body { background: #fff; font-size: ${theme.bodySize}pt; }
  main { margin: 0; padding: 0; max-width: none; border-top: none; }
  a { color: inherit; text-decoration: none; }
  .print-url { display: inline; }
  h2, h3 { break-after: avoid; }
  .entry { break-inside: avoid; }
  footer { display: none; }
}`;
}

export function htmlPage(title: string, css: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

export function renderSharePage(resume: PublicResume, layout: ResumeLayout, meta: ShareMeta = {}): string {
  const render = (specs: SectionSpec[]) => specs.map((spec) => renderSection(resume, spec)).join("");
  const updated = /^\d{4}-\d{2}-\d{2}/.exec(meta.updatedAt ?? "")?.[0];
  const middle = layout.twoColumns
    ? `<div class="columns">` +
      (layout.sidebarSide === "left"
        ? `<aside>${render(layout.sidebar)}</aside><div class="main">${render(layout.main)}</div>`
        : `<div class="main">${render(layout.main)}</div><aside>${render(layout.sidebar)}</aside>`) +
      `</div>`
    : render(layout.main);
  const body = `<main class="layout-${layout.twoColumns ? "two-columns" : "one-column"}` +
    `${layout.theme.serif ? " layout-serif" : ""}" data-template="${escapeHtml(layout.slug)}">` +
    render(layout.top) + middle + render(layout.bottom) +
    (updated || meta.pdfHref
      ? `<footer>` + (meta.pdfHref ? `<a href="${escapeHtml(meta.pdfHref)}" rel="nofollow">Download PDF</a> · ` : "") +
        `Shared with JobStalker${updated ? ` · updated ${escapeHtml(updated)}` : ""}</footer>`
      : "") +
    `</main>`;
  return htmlPage(`${resume.profile.name || "Resume"} — Resume`, styles(layout), body);
}
