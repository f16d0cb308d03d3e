// JSON Resume (https://jsonresume.org/schema), the open standard Reactive Resume and
// most builders export and import, to and from the resume document. Export starts from
// the public view, so it carries only what the resume shows. Import is strict where the
// standard is (types, date patterns) and bounded where we must be (sizes); fields the
// standard allows but we do not store (awards, projects, extensions...) are ignored,
// as the standard's additionalProperties: true permits.
import { z } from "zod";
import {
  documentLimits,
  type PublicResume,
  readResumeDocument,
  type ResumeDocument,
  safeHttpUrl,
} from "./document.ts";

export const jsonResumeSchemaUrl =
  "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json";

// The standard's iso8601 definition: YYYY, YYYY-MM or YYYY-MM-DD.
const isoDatePattern = /^([1-2][0-9]{3}-[0-1][0-9]-[0-3][0-9]|[1-2][0-9]{3}-[0-1][0-9]|[1-2][0-9]{3})$/;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const isoDate = (value: string | null) => (value && isoDatePattern.test(value) ? value : undefined);
const present = (value: string) => (value ? value : undefined);

// Drops undefined values and empty arrays so the document holds only what is known.
function compact<T extends Record<string, unknown>>(object: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(object).filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0)),
  ) as Partial<T>;
}

export interface JsonResumeMeta {
  version?: string;
  lastModified?: string;
}

export function toJsonResume(resume: PublicResume, meta: JsonResumeMeta = {}): Record<string, unknown> {
  const { profile } = resume;
  return {
    $schema: jsonResumeSchemaUrl,
    basics: compact({
      name: present(profile.name),
      label: present(profile.headline),
      email: emailPattern.test(profile.email) ? profile.email : undefined,
      phone: present(profile.phone),
      summary: present(profile.summary),
      location: profile.location ? { city: profile.location } : undefined,
      profiles: profile.links.map((link) => ({ network: link.label, url: link.url })),
    }),
    work: resume.experience.map((job) =>
      compact({
        name: present(job.company),
        position: present(job.title),
        location: present(job.location),
        startDate: isoDate(job.startDate),
        endDate: job.isCurrent ? undefined : isoDate(job.endDate),
        highlights: job.highlights,
      })
    ),
    education: resume.education.map((school) =>
      compact({
        institution: present(school.school),
        studyType: present(school.degree),
        area: present(school.field),
        startDate: isoDate(school.startDate),
        endDate: isoDate(school.endDate),
      })
    ),
    skills: resume.skills.map((name) => ({ name })),
    languages: resume.languages.map((language) =>
      compact({ language: language.name, fluency: present(language.proficiency) })
    ),
    meta: compact({ version: meta.version, lastModified: meta.lastModified }),
  };
}

// Import: what a JSON Resume may hold, type-checked as the standard says, with bounds.
const text = (max: number) => z.string().max(max).optional();
const date = z.string().regex(isoDatePattern, "must be YYYY, YYYY-MM or YYYY-MM-DD").optional();
const strings = (maxItems: number, maxLength: number) => z.array(z.string().max(maxLength)).max(maxItems).optional();

export const jsonResumeInput = z.looseObject({
  basics: z.looseObject({
    name: text(255),
    label: text(255),
    image: text(documentLimits.url),
    email: text(255),
    phone: text(50),
    url: text(documentLimits.url),
    summary: text(documentLimits.summary),
    location: z.looseObject({
      address: text(255),
      postalCode: text(50),
      city: text(255),
      countryCode: text(10),
      region: text(255),
    }).optional(),
    profiles: z.array(z.looseObject({
      network: text(50),
      username: text(255),
      url: text(documentLimits.url),
    })).max(documentLimits.socialLinks).optional(),
  }).optional(),
  work: z.array(z.looseObject({
    name: text(255),
    position: text(255),
    location: text(255),
    description: text(1000),
    url: text(documentLimits.url),
    startDate: date,
    endDate: date,
    summary: text(documentLimits.description),
    highlights: strings(100, 2000),
  })).max(documentLimits.experience).optional(),
  education: z.array(z.looseObject({
    institution: text(255),
    url: text(documentLimits.url),
    area: text(255),
    studyType: text(100),
    startDate: date,
    endDate: date,
    score: text(50),
    courses: strings(100, 255),
  })).max(documentLimits.education).optional(),
  skills: z.array(z.looseObject({
    name: text(100),
    level: text(50),
    keywords: strings(50, 100),
  })).max(documentLimits.skills).optional(),
  languages: z.array(z.looseObject({
    language: text(100),
    fluency: text(50),
  })).max(documentLimits.languages).optional(),
});

export type JsonResumeInput = z.infer<typeof jsonResumeInput>;

// Levels as JSON Resume writers spell them, to the vocabulary the profile tables store;
// any other level is left out rather than guessed.
const skillLevels: Record<string, string> = {
  beginner: "Beginner",
  novice: "Beginner",
  basic: "Beginner",
  elementary: "Beginner",
  intermediate: "Intermediate",
  competent: "Intermediate",
  advanced: "Advanced",
  proficient: "Advanced",
  strong: "Advanced",
  expert: "Expert",
  master: "Expert",
};
const languageLevels: Record<string, string> = {
  beginner: "Beginner",
  basic: "Beginner",
  elementary: "Beginner",
  novice: "Beginner",
  intermediate: "Intermediate",
  advanced: "Advanced",
  native: "Native",
  "native speaker": "Native",
  fluent: "Native",
  bilingual: "Native",
  "mother tongue": "Native",
};
const level = (table: Record<string, string>, value: string | undefined) =>
  table[(value ?? "").trim().toLowerCase().replace(/[\s_-]+/g, " ")] ?? "";

// A validated JSON Resume as a resume document (deterministic: same input, same output).
export function fromJsonResume(input: JsonResumeInput): ResumeDocument {
  const basics = input.basics ?? {};
  const where = basics.location ?? {};
  const location = [where.address, where.city, where.region, where.postalCode, where.countryCode]
    .map((part) => part?.trim() ?? "")
    .filter(Boolean)
    .join(", ");
  const links = (basics.profiles ?? []).flatMap((profile) => {
    const url = safeHttpUrl(profile.url ?? "");
    return url ? [{ platform: profile.network ?? "", url }] : [];
  });
  const website = safeHttpUrl(basics.url ?? "");
  return readResumeDocument({
    profile: {
      fullName: basics.name,
      email: basics.email,
      phone: basics.phone,
      headline: basics.label,
      location,
      summary: basics.summary,
      socialLinks: website ? [...links, { platform: "website", url: website }] : links,
    },
    experience: (input.work ?? []).map((job) => ({
      title: job.position,
      company: job.name,
      location: job.location,
      startDate: job.startDate,
      endDate: job.endDate,
      // JSON Resume marks a current position by leaving endDate out.
      isCurrent: Boolean(job.startDate) && !job.endDate,
      description: [job.summary ?? "", ...(job.highlights ?? [])].map((line) => line.trim()).filter(Boolean).join("\n"),
    })),
    education: (input.education ?? []).map((school) => ({
      school: school.institution,
      degree: school.studyType,
      field: school.area,
      startDate: school.startDate,
      endDate: school.endDate,
    })),
    skills: (input.skills ?? []).map((skill) => ({ name: skill.name, proficiency: level(skillLevels, skill.level) })),
    languages: (input.languages ?? []).map((language) => ({
      name: language.language,
      proficiency: level(languageLevels, language.fluency),
    })),
  });
}

// The document in the shape merge_imported_profile takes (the profile import's payload).
export function importedProfileOf(document: ResumeDocument) {
  const { profile } = document;
  const orNull = (value: string) => value || null;
  return {
    contact: {
      fullName: orNull(profile.fullName),
      firstName: orNull(profile.firstName),
      lastName: orNull(profile.lastName),
      email: orNull(profile.email),
      phone: orNull(profile.phone),
      location: orNull(profile.location),
      headline: orNull(profile.headline),
      socialLinks: profile.socialLinks,
    },
    summary: orNull(profile.summary),
    skills: document.skills.map((skill) => ({
      name: skill.name,
      proficiency: orNull(skill.proficiency),
      category: orNull(skill.category),
    })),
    experience: document.experience.map((job) => ({
      title: job.title,
      company: job.company,
      location: orNull(job.location),
      startDate: job.startDate,
      endDate: job.isCurrent ? null : job.endDate,
      isCurrent: job.isCurrent,
      description: orNull(job.description),
    })),
    education: document.education.map((school) => ({
      school: school.school,
      degree: orNull(school.degree),
      field: orNull(school.field),
      startDate: school.startDate,
      endDate: school.endDate,
    })),
    languages: document.languages.map((language) => ({ name: language.name, proficiency: orNull(language.proficiency) })),
  };
}
