// One picture of the candidate for a prompt, whichever way the app describes them: the
// resume builder's resume_data, a wizard session's draft_json, or the profile tables.
// Reading those is the resume model's job (_shared/resume/document.ts); this module only
// trims the document to what a prompt needs and writes it as lines.
import {
  displayName,
  fromProfileRows,
  fromResumeData,
  type ProfileRows,
  readResumeDocument,
  type ResumeDocument,
  skillNames,
} from "../_shared/resume/document.ts";

export type { ProfileRows };

export interface CandidateExperience {
  title: string;
  company: string;
  start?: string;
  end?: string;
  current?: boolean;
  description?: string;
}

export interface Candidate {
  name?: string;
  headline?: string;
  location?: string;
  targetRole?: string;
  summary?: string;
  experience: CandidateExperience[];
  education: { school: string; degree?: string; field?: string }[];
  skills: string[];
  languages: string[];
}

const maxExperience = 8;
const maxDescription = 1200;
const maxEducation = 6;
const maxNames = 60;

const optional = (value: string, max = 300) => value.slice(0, max) || undefined;

// The document trimmed to what a prompt needs: the most recent entries, short texts,
// each skill and language once.
export function candidateFromDocument(document: ResumeDocument): Candidate {
  const { profile } = document;
  const names = (items: string[]) => [...new Set(items.map((name) => name.slice(0, 80)).filter(Boolean))].slice(0, maxNames);
  return {
    name: optional(displayName(document)),
    headline: optional(profile.headline),
    location: optional(profile.location),
    targetRole: optional(document.targetRole),
    summary: optional(profile.summary, 1500),
    experience: document.experience.filter((job) => job.title || job.company).slice(0, maxExperience).map((job) => ({
      title: job.title,
      company: job.company,
      start: job.startDate ?? undefined,
      end: job.endDate ?? undefined,
      current: job.isCurrent || undefined,
      description: optional(job.description, maxDescription),
    })),
    education: document.education.filter((school) => school.school).slice(0, maxEducation).map((school) => ({
      school: school.school,
      degree: optional(school.degree),
      field: optional(school.field),
    })),
    skills: names(skillNames(document)),
    languages: names(document.languages.map((language) => language.name)),
  };
}

// resume_builder_data.resume_data (the builder's shape).
export function candidateFromResumeData(data: unknown): Candidate {
  return candidateFromDocument(fromResumeData(data));
}

// wizard_sessions.draft_json, or a version's content_json.
export function candidateFromWizardDraft(data: unknown): Candidate {
  return candidateFromDocument(readResumeDocument(data));
}

// Rows of user_profile, user_skills, user_work_experience (newest first), user_education.
export function candidateFromProfileRows(rows: ProfileRows): Candidate {
  return candidateFromDocument(fromProfileRows(rows));
}

export function isEmptyCandidate(candidate: Candidate): boolean {
  return !candidate.targetRole && !candidate.headline && !candidate.summary && candidate.experience.length === 0 &&
    candidate.skills.length === 0 && candidate.education.length === 0;
}

// The candidate as plain lines for a prompt.
export function describeCandidate(candidate: Candidate): string {
  const lines: string[] = [];
  if (candidate.name) lines.push(`Name: ${candidate.name}`);
  if (candidate.headline) lines.push(`Current title: ${candidate.headline}`);
  if (candidate.location) lines.push(`Location: ${candidate.location}`);
  if (candidate.summary) lines.push(`Existing summary: ${candidate.summary}`);
  if (candidate.experience.length) {
    lines.push("Experience (most recent first):");
    for (const job of candidate.experience) {
      const period = [job.start, job.current ? "present" : job.end].filter(Boolean).join(" to ");
      lines.push(`- ${job.title} at ${job.company}${period ? ` (${period})` : ""}`);
      if (job.description) lines.push(`  ${job.description.replaceAll("\n", " ")}`);
    }
  }
  if (candidate.education.length) {
    lines.push("Education:");
    for (const school of candidate.education) {
      lines.push(`- ${[school.degree, school.field].filter(Boolean).join(" in ") || "Studies"} at ${school.school}`);
    }
  }
  if (candidate.skills.length) lines.push(`Skills: ${candidate.skills.join(", ")}`);
  if (candidate.languages.length) lines.push(`Languages: ${candidate.languages.join(", ")}`);
  return lines.join("\n");
}
