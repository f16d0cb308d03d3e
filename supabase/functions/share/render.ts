// The public share page as HTML, from what get_public_generated_resume returns (its
// documented allow-list: title, template_slug, updated_at and content {profile,
// experience, education, skills, languages}; nothing here may need more). Pure:
// no I/O, so it is tested on its own. Everything in the content was typed by a user
// (or written by a model), so every value is treated as untrusted: text is escaped,
// only http(s) URLs become links, and a field of the wrong type counts as missing
// rather than breaking the page.

export interface SharedResume {
  title?: unknown;
  template_slug?: unknown;
  content?: unknown;
  updated_at?: unknown;
}

// One accent colour per template we ship (their seeded theme colours); the page keeps
// one simple printable layout for all of them.
const accentByTemplate: Record<string, string> = {
  "modern-professional": "#1e3a8a",
  "clean-impact": "#0f766e",
  "executive-classic": "#92400e",
};
const defaultAccent = "#334155";

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

type Dict = Record<string, unknown>;

function asDict(value: unknown): Dict {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value as Dict : {};
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

// Trimmed text of a string or number field; anything else is "".
function text(value: unknown): string {
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return "";
}

// The href for a link, or null. Only absolute http(s) URLs qualify: javascript:, data:,
// vbscript: and friends are dropped, and so is anything the URL parser rejects.
export function safeHttpUrl(value: unknown): string | null {
  const raw = text(value);
  if (!/^https?:\/\//i.test(raw)) return null;
  try {
    const url = new URL(raw);
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    if (url.username || url.password) return null;
    return url.href;
  } catch {
    return null;
  }
}

function link(href: string, label: string): string {
  return `<a href="${escapeHtml(href)}" rel="noopener nofollow">${escapeHtml(label)}</a>`;
}

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// The app stores month dates as YYYY-MM (education as YYYY-MM-01); show "Mar 2021".
// Anything else is shown as typed.
function formatMonth(value: unknown): string {
  const raw = text(value);
  const match = /^(\d{4})-(\d{2})(?:-\d{2})?$/.exec(raw);
  if (!match) return raw;
  const month = Number(match[2]);
  return month >= 1 && month <= 12 ? `${months[month - 1]} ${match[1]}` : raw;
}

function dateRange(start: unknown, end: unknown, isCurrent = false): string {
  const from = formatMonth(start);
  const to = isCurrent ? "Present" : formatMonth(end);
  if (from && to) return `${from} – ${to}`;
  return from || to;
}

// Descriptions are newline-separated bullets; users often type their own bullet marks.
function bullets(value: unknown): string[] {
  return text(value)
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*(?:[-*•‣▪–]\s*)/, "").trim())
    .filter((line) => line !== "");
}

function section(id: string, title: string, body: string): string {
  return `<section aria-labelledby="${id}"><h2 id="${id}">${escapeHtml(title)}</h2>${body}</section>`;
}

function joinParts(parts: string[], separator = " · "): string {
  return parts.filter((part) => part !== "").map(escapeHtml).join(separator);
}

function displayName(profile: Dict, title: string): string {
  return text(profile.fullName) ||
    [text(profile.firstName), text(profile.lastName)].filter(Boolean).join(" ") ||
    title ||
    "Resume";
}

function renderContacts(profile: Dict): string {
  const items: string[] = [];
  const email = text(profile.email);
  if (email) items.push(`<li>${escapeHtml(email)}</li>`);
  const phone = text(profile.phone);
  if (phone) items.push(`<li>${escapeHtml(phone)}</li>`);
  for (const entry of asList(profile.socialLinks)) {
    const social = asDict(entry);
    const href = safeHttpUrl(social.url);
    if (!href) continue;
    const label = text(social.platform) || new URL(href).hostname;
    items.push(`<li>${link(href, label)}</li>`);
  }
  return items.length ? `<ul class="contacts" aria-label="Contact">${items.join("")}</ul>` : "";
}

function renderExperience(content: Dict): string {
  const entries = asList(content.experience).map(asDict).map((job) => {
    const role = text(job.title);
    const company = text(job.company);
    if (!role && !company && !text(job.description)) return "";
    const heading = role && company
      ? `${escapeHtml(role)} <span class="at">at</span> ${escapeHtml(company)}`
      : escapeHtml(role || company);
    const meta = joinParts([dateRange(job.startDate, job.endDate, job.isCurrent === true), text(job.location)]);
    const points = bullets(job.description);
    return `<article class="entry"><h3>${heading}</h3>` +
      (meta ? `<p class="meta">${meta}</p>` : "") +
      (points.length ? `<ul>${points.map((point) => `<li>${escapeHtml(point)}</li>`).join("")}</ul>` : "") +
      `</article>`;
  }).filter(Boolean);
  return entries.length ? section("experience", "Experience", entries.join("")) : "";
}

function renderEducation(content: Dict): string {
  const entries = asList(content.education).map(asDict).map((school) => {
    const name = text(school.school);
    const degree = [text(school.degree), text(school.field)].filter(Boolean).join(", ");
    if (!name && !degree) return "";
    const range = dateRange(school.startDate, school.endDate);
    return `<article class="entry"><h3>${escapeHtml(name || degree)}</h3>` +
      (name && degree ? `<p>${escapeHtml(degree)}</p>` : "") +
      (range ? `<p class="meta">${escapeHtml(range)}</p>` : "") +
      `</article>`;
  }).filter(Boolean);
  return entries.length ? section("education", "Education", entries.join("")) : "";
}

// Skills come as plain names or as {name, proficiency, category} objects.
function renderSkills(content: Dict): string {
  const names = asList(content.skills)
    .map((skill) => typeof skill === "string" ? text(skill) : text(asDict(skill).name))
    .filter(Boolean);
  if (!names.length) return "";
  return section(
    "skills",
    "Skills",
    `<ul class="tags">${names.map((name) => `<li>${escapeHtml(name)}</li>`).join("")}</ul>`,
  );
}

function renderLanguages(content: Dict): string {
  const items = asList(content.languages).map((entry) => {
    if (typeof entry === "string") return escapeHtml(text(entry));
    const language = asDict(entry);
    // A proficiency without a language name says nothing.
    if (!text(language.name)) return "";
    return joinParts([text(language.name), text(language.proficiency)], " — ");
  }).filter(Boolean);
  if (!items.length) return "";
  return section(
    "languages",
    "Languages",
    `<ul class="plain">${items.map((item) => `<li>${item}</li>`).join("")}</ul>`,
  );
}

function styles(accent: string): string {
  return `
:root { color-scheme: light; --accent: ${accent}; }
* { box-sizing: border-box; }
body { margin: 0; background: #f3f4f6; color: #1f2937; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 820px; margin: 2rem auto; padding: 2.5rem; background: #fff; border-top: 6px solid var(--accent); }
h1 { margin: 0; font-size: 2rem; line-height: 1.2; color: var(--accent); }
h2 { margin: 1.75rem 0 .75rem; padding-bottom: .25rem; font-size: 1.1rem; text-transform: uppercase; letter-spacing: .05em; color: var(--accent); border-bottom: 1px solid #e5e7eb; }
h3 { margin: 0; font-size: 1.05rem; }
p { margin: .25rem 0; }
a { color: var(--accent); }
.headline { font-size: 1.15rem; color: #374151; }
.meta { color: #4b5563; font-size: .95rem; }
.at { font-weight: normal; color: #4b5563; }
.contacts { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; margin: .75rem 0 0; padding: 0; list-style: none; }
.entry { margin-bottom: 1.25rem; }
.entry ul { margin: .5rem 0 0; padding-left: 1.25rem; }
.tags { display: flex; flex-wrap: wrap; gap: .5rem; margin: 0; padding: 0; list-style: none; }
.tags li { padding: .15rem .65rem; border: 1px solid #d1d5db; border-radius: 999px; }
.plain { margin: 0; padding-left: 1.25rem; }
.summary { white-space: pre-line; }
footer { margin-top: 2rem; color: #6b7280; font-size: .85rem; }
@media (max-width: 640px) { main { margin: 0; padding: 1.25rem; } }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { margin: 0; padding: 0; max-width: none; border-top: none; }
  a { color: inherit; text-decoration: none; }
  .entry { break-inside: avoid; }
  footer { display: none; }
}`;
}

function page(title: string, accent: string, body: string, robots = "noindex"): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="${robots}">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${styles(accent)}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

export function renderSharePage(resume: SharedResume): string {
  const content = asDict(resume.content);
  const profile = asDict(content.profile);
  const name = displayName(profile, text(resume.title));
  const accent = accentByTemplate[text(resume.template_slug)] ?? defaultAccent;
  const headline = text(profile.headline);
  const location = text(profile.location);
  const summary = text(profile.summary);
  const updated = /^\d{4}-\d{2}-\d{2}/.exec(text(resume.updated_at))?.[0];

  const header = `<header>` +
    `<h1>${escapeHtml(name)}</h1>` +
    (headline ? `<p class="headline">${escapeHtml(headline)}</p>` : "") +
    (location ? `<p class="meta">${escapeHtml(location)}</p>` : "") +
    renderContacts(profile) +
    `</header>`;
  const body = `<main>` + header +
    (summary ? section("summary", "Summary", `<p class="summary">${escapeHtml(summary)}</p>`) : "") +
    renderExperience(content) +
    renderEducation(content) +
    renderSkills(content) +
    renderLanguages(content) +
    (updated ? `<footer>Shared with JobStalker · updated ${escapeHtml(updated)}</footer>` : "") +
    `</main>`;
  return page(`${name} — Resume`, accent, body);
}

const notice = (heading: string, message: string) =>
  page(heading, defaultAccent, `<main><h1>${escapeHtml(heading)}</h1><p>${escapeHtml(message)}</p></main>`);

// One page for unknown, revoked, expired and malformed tokens: a visitor (or someone
// guessing tokens) cannot tell which case applies.
export function renderNotFoundPage(): string {
  return notice(
    "This share link is not available",
    "The link may be mistyped, or its owner may have revoked it or let it expire. Ask them for a new one.",
  );
}

export function renderErrorPage(): string {
  return notice("Something went wrong", "We could not load this page. Please try again in a moment.");
}

export function renderMethodNotAllowedPage(): string {
  return notice("Method not allowed", "This page can only be read (GET or HEAD).");
}
