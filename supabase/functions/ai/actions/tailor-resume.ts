// POST /ai/tailor-resume {generatedResumeId, jobId}: a new version of one of the
// caller's generated resumes, tailored to one of their saved jobs. The model rewrites
// the summary and the experience bullets and orders the skills by relevance; the
// deterministic check in ../tailoring-check.ts then rejects any invented employer,
// title, date, degree, school, number or skill.
//
// A rejected rewrite is treated like any invalid answer: the check is the generation's
// `check`, so the call is logged to ai_events as an error and the model gets the one
// repair turn the llm layer gives every action (told which rule it broke, never the
// text). A second unfaithful answer is an UnfaithfulAnswerError: 502
// `unfaithful_tailoring`, and nothing is saved.
import { z } from "zod";
import { HttpError } from "../../_shared/http.ts";
import { UnfaithfulAnswerError } from "../llm.ts";
import { type AiAction, defineAction } from "../action.ts";
import { describedJob, jobNotFound, readJobForModel } from "../job-for-model.ts";
import { readNewestVersion } from "../newest-version.ts";
import { buildTailorResumePrompt } from "../prompts/tailor-resume.ts";
import {
  experienceKey,
  readResumeDocument,
  type ResumeSkill,
  storedContent,
} from "../../_shared/resume/document.ts";
import {
  checkTailoring,
  type TailoredAnswer,
  type TailoringSource,
  tailoringSource,
} from "../tailoring-check.ts";
import { hasBullets, wordCount } from "./text-rules.ts";

export const tailorResumeInput = z.object({
  generatedResumeId: z.uuid(),
  jobId: z.uuid(),
});

export type TailorResumeInput = z.infer<typeof tailorResumeInput>;

export const tailorResumeAnswer = z.object({
  summary: z.string().trim().min(1).max(1200)
    .refine((text) => wordCount(text) < 150, "must be under 150 words")
    .refine((text) => !hasBullets(text), "must not contain bullets"),
  experience: z.array(z.object({
    id: z.string().min(1).max(100),
    title: z.string().max(255),
    company: z.string().max(255),
    startDate: z.string().max(20).nullable(),
    endDate: z.string().max(20).nullable(),
    description: z.string().trim().max(4000),
  })).max(50),
  skills: z.array(z.string().trim().min(1).max(100)).max(200),
});

// The source document with only the rewritten parts replaced; everything else (contact,
// education, languages, target role, each entry's other fields) is kept as it was.
// Skills are reordered as the answer orders them, each keeping its proficiency and category.
export function tailoredContent(content: unknown, answer: TailoredAnswer, provenance: Record<string, unknown>) {
  const document = readResumeDocument(content);
  const byId = new Map(answer.experience.map((entry) => [entry.id, entry]));
  const pool = new Map<string, ResumeSkill[]>();
  for (const skill of document.skills) {
    const key = skill.name.toLowerCase();
    pool.set(key, [...(pool.get(key) ?? []), skill]);
  }
  const skills = answer.skills.map((name) =>
    pool.get(name.trim().toLowerCase())?.shift() ?? { name: name.trim(), proficiency: "", category: "" }
  );
  return storedContent({
    ...document,
    profile: { ...document.profile, summary: answer.summary },
    experience: document.experience.map((entry, index) => {
      const rewritten = byId.get(experienceKey(entry, index));
      return rewritten ? { ...entry, description: rewritten.description } : entry;
    }),
    skills,
    provenance,
  });
}

export function tailoringDiff(source: TailoringSource, answer: TailoredAnswer) {
  const after = new Map(answer.experience.map((entry) => [entry.id, entry.description]));
  return {
    summary: { before: source.summary || null, after: answer.summary },
    experience: source.experience
      .filter((entry) => after.has(entry.id) && after.get(entry.id) !== entry.description)
      .map((entry) => ({ id: entry.id, before: entry.description, after: after.get(entry.id)! })),
    skills: { before: source.skills, after: answer.skills },
  };
}

export const tailorResume: AiAction<TailorResumeInput> = {
  input: tailorResumeInput,
  async run(context, input) {
    const { version, job } = await context.asCaller(async (tx) => {
      const version = await readNewestVersion(tx, input.generatedResumeId);
      const job = await readJobForModel(tx, input.jobId);
      return { version, job };
    });
    // RLS hides other users' rows: theirs and missing ones both answer 404.
    if (!version) throw new HttpError(404, "not_found", "Generated resume not found.");
    if (!job) throw jobNotFound();
    const target = describedJob(job, "tailor to");
    const source = tailoringSource(version.content_json);
    if (!source.summary && source.experience.length === 0 && source.skills.length === 0) {
      throw new HttpError(
        422,
        "not_enough_context",
        "This resume has no summary, experience or skills to tailor yet.",
      );
    }
    const { system, user } = buildTailorResumePrompt(source, target);
    let answer: TailoredAnswer;
    try {
      answer = await context.generate({
        schemaName: "tailored_resume",
        system,
        user,
        answer: tailorResumeAnswer,
        // Invented facts get the model's one repair turn; twice is an UnfaithfulAnswerError.
        check: (tailored) => checkTailoring(source, tailored, { allowedText: target.job_title }),
        maxTokens: 3000,
        // The summary is the rewrite a reader follows; bullets and skills arrive with the result.
        streamField: "summary",
      });
    } catch (error) {
      if (error instanceof UnfaithfulAnswerError) {
        throw new HttpError(
          502,
          "unfaithful_tailoring",
          "The AI model's tailored resume added facts that are not in your resume, so it was not saved. Try again.",
        );
      }
      throw error;
    }
    const provenance = {
      kind: "tailored",
      sourceVersion: version.version_number,
      jobId: job.id,
      jobTitle: job.job_title,
      company: job.company,
      tailoredAt: context.clock.now().toISOString(),
    };
    const content = tailoredContent(version.content_json, answer, provenance);
    // Sent as text and cast in SQL: postgres.js would JSON-encode a string bound to a jsonb
    // parameter a second time, storing a JSON string instead of the object.
    const [saved] = await context.asCaller((tx) =>
      tx<{ version: Record<string, unknown> }[]>`
        select to_jsonb(v) as version
          from public.save_generated_resume_version(
                 generated_resume_id => ${input.generatedResumeId},
                 content => ${JSON.stringify(content)}::text::jsonb
               ) v`
    );
    return { version: saved.version, diff: tailoringDiff(source, answer), provenance };
  },
};

export default defineAction(tailorResume);
