// One picture of the candidate, whichever way the app describes them: the resume
// builder's resume_data, a wizard session's draft_json, or the profile tables. Input
// is read defensively (any field may be missing or of the wrong type) and trimmed to
// what a prompt needs.
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

type Json = Record<string, unknown>;

const maxExperience = 8;
const maxDescription = 1200;

function text(value: unknown, max = 300): string | undefined {
  if (typeof value === "number") return String(value);
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed ? trimmed.slice(0, max) : undefined;
}

function record(value: unknown): Json {
  return value && typeof value === "object" && !Array.isArray(value) ? value as Json : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function dateText(value: unknown): string | undefined {
  if (value instanceof Date) return value.toISOString().slice(0, 7);
  return text(value, 20);
}

function experienceFrom(items: unknown[]): CandidateExperience[] {
  return items.map(record).flatMap((item) => {
    const title = text(item.title ?? item.job_title);
    const company = text(item.company);
    if (!title && !company) return [];
    return [{
      title: title ?? "",
      company: company ?? "",
      start: dateText(item.startDate ?? item.start_date),
      end: dateText(item.endDate ?? item.end_date),
      current: Boolean(item.isCurrent ?? item.is_current) || undefined,
      description: text(item.description, maxDescription),
    }];
  }).slice(0, maxExperience);
}

function educationFrom(items: unknown[]) {
  return items.map(record).flatMap((item) => {
    const school = text(item.school);
    return school ? [{ school, degree: text(item.degree), field: text(item.field) }] : [];
  }).slice(0, 6);
}

function namesFrom(items: unknown[], key = "name"): string[] {
  const names = items.map((item) =>
    text(typeof item === "string" ? item : record(item)[key] ?? record(item).language, 80)
  );
  return [...new Set(names.filter((name): name is string => Boolean(name)))].slice(0, 60);
}

function joinName(first: unknown, last: unknown): string | undefined {
  return text([text(first), text(last)].filter(Boolean).join(" "));
}

// resume_builder_data.resume_data: personalInfo, summary, workExperience, education, skills, languages.
export function candidateFromResumeData(data: unknown): Candidate {
  const resume = record(data);
  const info = record(resume.personalInfo);
  return {
    name: joinName(info.firstName, info.lastName),
    headline: text(info.jobTitle),
    location: text(info.location),
    targetRole: text(resume.targetRole) ?? text(info.jobTitle),
    summary: text(resume.summary ?? info.summary, 1500),
    experience: experienceFrom(list(resume.workExperience)),
    education: educationFrom(list(resume.education)),
    skills: namesFrom(list(resume.skills)),
    languages: namesFrom(list(resume.languages)),
  };
}

// wizard_sessions.draft_json: profile, experience, education, skills, languages, targetRole.
export function candidateFromWizardDraft(data: unknown): Candidate {
  const draft = record(data);
  const profile = record(draft.profile);
  return {
    name: text(profile.fullName) ?? joinName(profile.firstName, profile.lastName),
    headline: text(profile.headline),
    location: text(profile.location),
    targetRole: text(draft.targetRole),
    summary: text(profile.summary, 1500),
    experience: experienceFrom(list(draft.experience)),
    education: educationFrom(list(draft.education)),
    skills: namesFrom(list(draft.skills)),
    languages: namesFrom(list(draft.languages)),
  };
}

export interface ProfileRows {
  profile?: unknown;
  skills: unknown[];
  experience: unknown[];
  education: unknown[];
}

// Rows of user_profile, user_skills, user_work_experience (newest first), user_education.
export function candidateFromProfileRows(rows: ProfileRows): Candidate {
  const profile = record(rows.profile);
  return {
    name: text(profile.full_name) ?? joinName(profile.first_name, profile.last_name),
    headline: text(profile.job_title),
    location: text(profile.location),
    summary: text(profile.professional_summary, 1500),
    experience: experienceFrom(rows.experience),
    education: educationFrom(rows.education),
    skills: namesFrom(rows.skills),
    languages: [],
  };
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
