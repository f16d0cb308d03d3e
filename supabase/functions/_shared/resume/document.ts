// The resume document: the one owner of what a resume holds. The wizard's draft_json,
// a generated version's content_json, the builder's resume_data and the profile tables
// all become a ResumeDocument here, and every reader (prompts, tailoring, the share
// page, PDF, JSON Resume) works from that. Nothing else in the functions parses draft
// or content JSON.
//
// Stored JSON was written by clients through PostgREST (a shallow-merged draft can hold
// anything), so reading never fails: a field of the wrong type counts as missing, text
// is trimmed and bounded, lists are bounded. Each bound keeps one hostile document from
// costing more than a normal one (every step is linear in the bounded input).
import { z } from "zod";

export const documentLimits = {
  shortText: 300,
  summary: 5000,
  description: 10_000,
  url: 2048,
  experience: 50,
  education: 30,
  skills: 200,
  languages: 50,
  socialLinks: 20,
} as const;

// Trimmed text of a string (or a finite number), cut to max; anything else is "".
function lenientText(max: number) {
  return z.unknown().transform((value): string => {
    if (typeof value === "string") return value.trim().slice(0, max);
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
    return "";
  });
}

// A date as the app stores it (YYYY-MM, education YYYY-MM-01) or as typed; null when empty.
const lenientDate = z.unknown().transform((value): string | null => {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  const text = typeof value === "string" ? value.trim().slice(0, 40) : typeof value === "number" ? String(value) : "";
  return text || null;
});

const lenientFlag = z.unknown().transform((value) => value === true || value === "true");

// An id as the wizard stores it (a uuid string, or a number from older drafts).
const lenientId = z.unknown().transform((value): string | undefined => {
  if (typeof value === "string" && value.trim()) return value.trim().slice(0, 100);
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
});

// Each known key through its own lenient schema (a missing key reads as undefined);
// unknown keys are dropped: a document carries only what this module knows.
function lenientObject<Shape extends Record<string, z.ZodType>>(shape: Shape) {
  const keys = Object.keys(shape) as (keyof Shape)[];
  return z.unknown().transform((value) => {
    const input = isObject(value) ? value : {};
    const out = {} as { [K in keyof Shape]: z.output<Shape[K]> };
    for (const key of keys) out[key] = shape[key].parse(input[key as string]) as z.output<Shape[typeof key]>;
    return out;
  });
}

// Items that are not objects (or strings, where `fromString` accepts them) are dropped;
// at most `max` are read.
function lenientList<T>(max: number, item: (value: unknown) => T | null) {
  return z.unknown().transform((value): T[] => {
    if (!Array.isArray(value)) return [];
    const out: T[] = [];
    for (const entry of value.slice(0, max)) {
      const parsed = item(entry);
      if (parsed !== null) out.push(parsed);
    }
    return out;
  });
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

const socialLink = lenientObject({
  platform: lenientText(50),
  url: lenientText(documentLimits.url),
});

export const resumeProfileSchema = lenientObject({
  fullName: lenientText(255),
  firstName: lenientText(255),
  lastName: lenientText(255),
  email: lenientText(255),
  phone: lenientText(50),
  headline: lenientText(255),
  location: lenientText(255),
  summary: lenientText(documentLimits.summary),
  socialLinks: lenientList(documentLimits.socialLinks, (entry) => {
    if (!isObject(entry)) return null;
    const link = socialLink.parse(entry);
    return link.url ? link : null;
  }),
});

const experienceEntry = lenientObject({
  id: lenientId,
  title: lenientText(255),
  company: lenientText(255),
  location: lenientText(255),
  startDate: lenientDate,
  endDate: lenientDate,
  isCurrent: lenientFlag,
  description: lenientText(documentLimits.description),
});

const educationEntry = lenientObject({
  id: lenientId,
  school: lenientText(255),
  degree: lenientText(100),
  field: lenientText(255),
  startDate: lenientDate,
  endDate: lenientDate,
});

const skillEntry = lenientObject({
  name: lenientText(100),
  proficiency: lenientText(50),
  category: lenientText(100),
});

const languageEntry = lenientObject({
  name: lenientText(100),
  proficiency: lenientText(50),
});

// Skills and languages are stored as plain names or as objects.
const named = <T extends { name: string }>(schema: z.ZodType<T>, fromName: (name: string) => unknown) =>
(entry: unknown): T | null => {
  const parsed = schema.parse(typeof entry === "string" ? fromName(entry) : isObject(entry) ? entry : {});
  return parsed.name ? parsed : null;
};

// The schema of draft_json and content_json. Parsing never throws; see above.
export const resumeDocumentSchema = lenientObject({
  profile: resumeProfileSchema,
  experience: lenientList(documentLimits.experience, (entry) => {
    if (!isObject(entry)) return null;
    const job = experienceEntry.parse(entry);
    return job.title || job.company || job.description ? job : null;
  }),
  education: lenientList(documentLimits.education, (entry) => {
    if (!isObject(entry)) return null;
    const school = educationEntry.parse(entry);
    return school.school || school.degree || school.field ? school : null;
  }),
  skills: lenientList(documentLimits.skills, named(skillEntry, (name) => ({ name }))),
  languages: lenientList(
    documentLimits.languages,
    // The builder and older drafts call a language's name `language`.
    (entry) => named(languageEntry, (name) => ({ name }))(isObject(entry) && !entry.name ? { ...entry, name: entry.language } : entry),
  ),
  targetRole: lenientText(200),
  // Where a version came from (wizard, tailored to a job...): kept as stored, never shown.
  provenance: z.unknown().transform((value) => (isObject(value) ? value : undefined)),
});

export type ResumeDocument = z.output<typeof resumeDocumentSchema>;
export type ResumeProfile = ResumeDocument["profile"];
export type ResumeExperience = ResumeDocument["experience"][number];
export type ResumeEducation = ResumeDocument["education"][number];
export type ResumeSkill = ResumeDocument["skills"][number];
export type ResumeLanguage = ResumeDocument["languages"][number];
export type SocialLink = ResumeProfile["socialLinks"][number];

// draft_json of a wizard session, or content_json of a generated version (same shape).
export function readResumeDocument(stored: unknown): ResumeDocument {
  return resumeDocumentSchema.parse(stored);
}

// The document as it is stored again (content_json of a new version). Empty optional
// parts are left out so the stored JSON stays the shape the app writes.
export function storedContent(document: ResumeDocument): Record<string, unknown> {
  const { provenance, ...rest } = document;
  return provenance ? { ...rest, provenance } : rest;
}

// resume_builder_data.resume_data: personalInfo, summary, workExperience, education,
// skills, languages (the builder's own names), plus an optional targetRole.
export function fromResumeData(data: unknown): ResumeDocument {
  const resume = isObject(data) ? data : {};
  const info = isObject(resume.personalInfo) ? resume.personalInfo : {};
  const links = [
    ...(Array.isArray(info.socialLinks) ? info.socialLinks : []),
    ...(typeof info.linkedin === "string" ? [{ platform: "linkedin", url: info.linkedin }] : []),
    ...(typeof info.github === "string" ? [{ platform: "github", url: info.github }] : []),
    ...(typeof info.website === "string" ? [{ platform: "website", url: info.website }] : []),
  ];
  return readResumeDocument({
    profile: {
      firstName: info.firstName,
      lastName: info.lastName,
      email: info.email,
      phone: info.phone,
      headline: info.jobTitle,
      location: info.location,
      summary: typeof resume.summary === "string" && resume.summary.trim() ? resume.summary : info.summary,
      socialLinks: links,
    },
    experience: resume.workExperience,
    education: resume.education,
    skills: resume.skills,
    languages: resume.languages,
    targetRole: typeof resume.targetRole === "string" && resume.targetRole.trim() ? resume.targetRole : info.jobTitle,
  });
}

export interface ProfileRows {
  profile?: unknown;
  skills: unknown[];
  experience: unknown[];
  education: unknown[];
  languages?: unknown[];
}

// Rows of user_profile, user_skills, user_work_experience, user_education and
// user_languages (to_jsonb of each row, column names as in the tables).
export function fromProfileRows(rows: ProfileRows): ResumeDocument {
  const profile = isObject(rows.profile) ? rows.profile : {};
  const month = (value: unknown) => (typeof value === "string" ? value.slice(0, 7) : value);
  const rowsOf = (list: unknown[]) => list.filter(isObject);
  return readResumeDocument({
    profile: {
      fullName: profile.full_name,
      firstName: profile.first_name,
      lastName: profile.last_name,
      phone: profile.phone,
      headline: profile.job_title,
      location: profile.location,
      summary: profile.professional_summary,
      socialLinks: profile.social_links,
    },
    experience: rowsOf(rows.experience).map((row) => ({
      id: row.id,
      title: row.title,
      company: row.company,
      location: row.location,
      startDate: month(row.start_date),
      endDate: row.is_current === true ? null : month(row.end_date),
      isCurrent: row.is_current,
      description: row.description,
    })),
    education: rowsOf(rows.education).map((row) => ({
      id: row.id,
      school: row.school,
      degree: row.degree,
      field: row.field,
      startDate: month(row.start_date),
      endDate: month(row.end_date),
    })),
    skills: rowsOf(rows.skills).map((row) => ({ name: row.name, proficiency: row.proficiency, category: row.category })),
    languages: rowsOf(rows.languages ?? []).map((row) => ({ name: row.language, proficiency: row.proficiency })),
  });
}

// The name a resume is headed with: fullName, else first and last name, else the fallback.
export function displayName(document: ResumeDocument, fallback = ""): string {
  const { fullName, firstName, lastName } = document.profile;
  return fullName || [firstName, lastName].filter(Boolean).join(" ") || fallback;
}

export function skillNames(document: ResumeDocument): string[] {
  return document.skills.map((skill) => skill.name);
}

// An experience entry without an id (older drafts) is known by its position.
export function experienceKey(entry: ResumeExperience, index: number): string {
  return entry.id ?? `#${index + 1}`;
}

// Descriptions are newline-separated bullets; users often type their own bullet marks.
export function bulletsOf(description: string): string[] {
  return description
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*(?:[-*•‣▪–]\s*)/, "").trim())
    .filter((line) => line !== "");
}

// Social platforms as a resume prints them; anything else keeps the user's own word.
const platformLabels: Record<string, string> = {
  linkedin: "LinkedIn",
  github: "GitHub",
  gitlab: "GitLab",
  twitter: "Twitter",
  x: "X",
  website: "Website",
  portfolio: "Portfolio",
  stackoverflow: "Stack Overflow",
  "stack overflow": "Stack Overflow",
  dribbble: "Dribbble",
  behance: "Behance",
  medium: "Medium",
  mastodon: "Mastodon",
};

export function platformLabel(platform: string, url: string): string {
  const known = platformLabels[platform.trim().toLowerCase()];
  if (known) return known;
  if (platform.trim()) return platform.trim();
  const host = safeHttpUrl(url) ? new URL(url).hostname.replace(/^www\./, "") : "";
  if (/(^|\.)linkedin\.com$/.test(host)) return "LinkedIn";
  if (/(^|\.)github\.com$/.test(host)) return "GitHub";
  return host || "Link";
}

// The href for a link, or null. Only absolute http(s) URLs qualify: javascript:, data:,
// vbscript: and friends are dropped, and so is anything the URL parser rejects.
export function safeHttpUrl(value: string): string | null {
  const raw = value.trim();
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

// What a resume shows, and nothing else: the public forms (share page, its JSON, the
// PDF, JSON Resume) are built from this. It matches what get_public_generated_resume
// allows out: no ids, no provenance, no target role, no wizard metadata, no skill
// proficiencies; only http(s) links.
export interface PublicResume {
  profile: {
    name: string;
    headline: string;
    location: string;
    email: string;
    phone: string;
    summary: string;
    links: { label: string; url: string }[];
  };
  experience: {
    title: string;
    company: string;
    location: string;
    startDate: string | null;
    endDate: string | null;
    isCurrent: boolean;
    highlights: string[];
  }[];
  education: { school: string; degree: string; field: string; startDate: string | null; endDate: string | null }[];
  // Names only: the page never showed proficiencies (the share RPC's allow-list agrees).
  skills: string[];
  languages: { name: string; proficiency: string }[];
}

export function publicResume(document: ResumeDocument, fallbackName = ""): PublicResume {
  const { profile } = document;
  return {
    profile: {
      name: displayName(document, fallbackName),
      headline: profile.headline,
      location: profile.location,
      email: profile.email,
      phone: profile.phone,
      summary: profile.summary,
      links: profile.socialLinks.flatMap((link) => {
        const url = safeHttpUrl(link.url);
        return url ? [{ label: platformLabel(link.platform, url), url }] : [];
      }),
    },
    experience: document.experience.map((job) => ({
      title: job.title,
      company: job.company,
      location: job.location,
      startDate: job.startDate,
      endDate: job.isCurrent ? null : job.endDate,
      isCurrent: job.isCurrent,
      highlights: bulletsOf(job.description),
    })),
    education: document.education.map(({ school, degree, field, startDate, endDate }) => ({
      school,
      degree,
      field,
      startDate,
      endDate,
    })),
    skills: skillNames(document),
    languages: document.languages.map(({ name, proficiency }) => ({ name, proficiency })),
  };
}

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// YYYY-MM (or YYYY-MM-DD) as "Mar 2021"; anything else as typed.
export function formatMonth(value: string | null): string {
  const raw = value ?? "";
  const match = /^(\d{4})-(\d{2})(?:-\d{2})?$/.exec(raw);
  if (!match) return raw;
  const month = Number(match[2]);
  return month >= 1 && month <= 12 ? `${months[month - 1]} ${match[1]}` : raw;
}

export function dateRange(start: string | null, end: string | null, isCurrent = false): string {
  const from = formatMonth(start);
  const to = isCurrent ? "Present" : formatMonth(end);
  if (from && to) return `${from} – ${to}`;
  return from || to;
}
