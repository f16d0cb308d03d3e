// POST /ai/import-resume {text, save?}: pasted resume text to a structured profile,
// returned for review. With save: true the profile is merged into the caller's profile
// tables by the SQL function merge_imported_profile (which owns the no-duplicates
// rule), as the caller. The model only copies: employers, schools, the email and every
// number must occur in the pasted text, or the answer is invalid.
//
// POST /ai/import-resume {jsonResume, save?}: a JSON Resume document (the open standard
// builders export) is mapped by the resume model, deterministically: no model call, no
// ai_events row, no AI limits. Its types are checked as the standard says (422 for a
// wrong type, nothing written); fields the standard allows but the profile does not
// hold are ignored.
import { z } from "zod";
import { fromJsonResume, importedProfileOf, jsonResumeInput } from "../../_shared/resume/json-resume.ts";
import { type AiAction, defineAction } from "../action.ts";
import { buildImportResumePrompt } from "../prompts/import-resume.ts";
import { inventedNumbers } from "./text-rules.ts";

export const minimumResumeChars = 50;
export const maximumResumeChars = 50_000;
// 50,000 characters can take four bytes each, plus JSON escaping.
export const maxImportResumeBodyBytes = 256 * 1024;

export const importResumeInput = z.object({
  text: z.string().trim()
    .min(minimumResumeChars, `Paste at least ${minimumResumeChars} characters of your resume.`)
    .max(maximumResumeChars)
    .optional(),
  jsonResume: jsonResumeInput.optional(),
  save: z.boolean().default(false),
}).refine((body) => (body.text === undefined) !== (body.jsonResume === undefined), {
  message: "Send either text (a pasted resume) or jsonResume (a JSON Resume document).",
});

export type ImportResumeInput = z.infer<typeof importResumeInput>;

const text = (max: number) => z.string().trim().max(max).nullable();
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be YYYY-MM").nullable();

export const importedProfile = z.object({
  contact: z.object({
    fullName: text(255),
    firstName: text(255),
    lastName: text(255),
    email: text(255),
    phone: text(50),
    location: text(255),
    headline: text(255),
    socialLinks: z.array(z.object({
      platform: z.string().trim().min(1).max(50),
      url: z.string().trim().regex(/^https?:\/\/\S+$/, "must be an http(s) URL").max(2048),
    })).max(20),
  }),
  summary: text(5000),
  skills: z.array(z.object({
    name: z.string().trim().min(1).max(100),
    proficiency: z.enum(["Beginner", "Intermediate", "Expert"]).nullable().optional(),
    category: text(100).optional(),
  })).max(200),
  experience: z.array(z.object({
    title: z.string().trim().min(1).max(255),
    company: z.string().trim().min(1).max(255),
    location: text(255).optional(),
    startDate: month,
    endDate: month,
    isCurrent: z.boolean(),
    description: text(10_000),
  })).max(50),
  education: z.array(z.object({
    school: z.string().trim().min(1).max(255),
    degree: text(100).optional(),
    field: text(255).optional(),
    startDate: month,
    endDate: month,
  })).max(30),
  languages: z.array(z.object({
    name: z.string().trim().min(1).max(100),
    proficiency: z.enum(["Beginner", "Intermediate", "Advanced", "Native"]).nullable().optional(),
  })).max(50),
});

export type ImportedProfile = z.infer<typeof importedProfile>;

const squeeze = (value: string) => value.replace(/\s+/g, " ").trim().toLowerCase();

// The extraction rules, bound to the pasted text: what it names must be in it.
export function importResumeAnswer(source: string) {
  const haystack = squeeze(source);
  const present = (value: string | null | undefined) => !value || haystack.includes(squeeze(value));
  return importedProfile.superRefine((profile, issues) => {
    const problem = (path: (string | number)[], message: string) =>
      issues.addIssue({ code: "custom", path, message, input: undefined });
    if (!present(profile.contact.email)) problem(["contact", "email"], "not found in the resume text");
    profile.experience.forEach((job, index) => {
      if (!present(job.company)) problem(["experience", index, "company"], "not found in the resume text");
    });
    profile.education.forEach((school, index) => {
      if (!present(school.school)) problem(["education", index, "school"], "not found in the resume text");
    });
    const prose = [profile.summary, ...profile.experience.map((job) => job.description)].filter(Boolean).join("\n");
    if (inventedNumbers(prose, source).length) problem([], "contains numbers absent from the resume text");
  });
}

export const importResume: AiAction<ImportResumeInput> = {
  input: importResumeInput,
  maxBodyBytes: maxImportResumeBodyBytes,
  usesModel: (input) => input.jsonResume === undefined,
  async run(context, input) {
    let profile: unknown;
    if (input.jsonResume) {
      profile = importedProfileOf(fromJsonResume(input.jsonResume));
    } else {
      const text = input.text!;
      const { system, user } = buildImportResumePrompt(text);
      profile = await context.generate({
        schemaName: "imported_profile",
        system,
        user,
        answer: importResumeAnswer(text),
        maxTokens: 6000,
      });
    }
    if (!input.save) return { profile, saved: false };
    // After the model call, so no transaction waits on the model.
    // Sent as text and cast in SQL: postgres.js would JSON-encode a string bound to a jsonb
    // parameter a second time, storing a JSON string instead of the object.
    const [merged] = await context.asCaller((tx) =>
      tx<{ merge: unknown }[]>`
        select public.merge_imported_profile(profile => ${JSON.stringify(profile)}::text::jsonb) as merge`
    );
    return { profile, saved: true, merge: merged.merge };
  },
};

export default defineAction(importResume);
