// POST /ai/cover-letter {jobId, generatedResumeId?}: a 250–400 word letter for one of
// the caller's saved jobs, written from the newest version of one of their generated
// resumes, or from their profile tables when no resume is named. Everything is read
// and the letter stored in public.cover_letters as the caller, linked to the job and
// to the resume version it was written from.
import { z } from "zod";
import type { Tables } from "../../_shared/table-types.ts";
import { HttpError } from "../../_shared/http.ts";
import { type AiAction, defineAction } from "../action.ts";
import {
  type Candidate,
  candidateFromProfileRows,
  candidateFromWizardDraft,
  describeCandidate,
  isEmptyCandidate,
} from "../candidate.ts";
import { describedJob, jobNotFound, readJobForModel } from "../job-for-model.ts";
import { readNewestVersion } from "../newest-version.ts";
import { readProfileRows } from "../profile-rows.ts";
import { buildCoverLetterPrompt } from "../prompts/cover-letter.ts";
import { inventedNumbers, wordCount } from "./text-rules.ts";

export const coverLetterInput = z.object({
  jobId: z.uuid(),
  generatedResumeId: z.uuid().optional(),
});

export type CoverLetterInput = z.infer<typeof coverLetterInput>;

export const minimumLetterWords = 250;
export const maximumLetterWords = 400;

// Facts = the resume as the prompt showed it plus the posting: a number from either is fine.
export function coverLetterAnswer(facts: string) {
  return z.object({
    content: z.string().trim().min(1).max(6000)
      .refine((text) => {
        const words = wordCount(text);
        return words >= minimumLetterWords && words <= maximumLetterWords;
      }, `must be ${minimumLetterWords} to ${maximumLetterWords} words`)
      .refine((text) => !/\[[^\]]*\]/.test(text), "must not contain bracketed placeholders")
      .refine((text) => inventedNumbers(text, facts).length === 0, "must not contain numbers absent from the resume"),
  });
}

type LetterRow = Pick<
  Tables<"cover_letters">,
  "id" | "content" | "word_count" | "job_id" | "generated_resume_id" | "resume_version"
>;

export const coverLetter: AiAction<CoverLetterInput> = {
  input: coverLetterInput,
  async run(context, input) {
    const read = await context.asCaller(async (tx) => {
      const job = await readJobForModel(tx, input.jobId);
      if (!job) return { job };
      if (input.generatedResumeId) {
        const version = await readNewestVersion(tx, input.generatedResumeId);
        return {
          job,
          version,
          candidate: version ? candidateFromWizardDraft(version.content_json) : undefined,
        };
      }
      const candidate = candidateFromProfileRows(await readProfileRows(tx, context.userId, { experienceLimit: 8 }));
      return { job, version: undefined, candidate };
    });
    // RLS hides other users' rows: theirs and missing ones both answer 404.
    const { job } = read;
    if (!job) throw jobNotFound();
    if (input.generatedResumeId && !read.version) throw new HttpError(404, "not_found", "Generated resume not found.");
    const target = describedJob(job, "write a letter for");
    const candidate = read.candidate as Candidate;
    if (isEmptyCandidate(candidate)) {
      throw new HttpError(
        422,
        "not_enough_context",
        "Add some experience or skills first: there is nothing to write a letter from yet.",
      );
    }
    const { system, user } = buildCoverLetterPrompt(target, candidate);
    const answer = await context.generate({
      schemaName: "cover_letter",
      system,
      user,
      answer: coverLetterAnswer(`${describeCandidate(candidate)}\n${target.description}\n${job.job_title}`),
      maxTokens: 1200,
      streamField: "content",
    });
    // word_count is the database's: a trigger computes it from content.
    const [letter] = await context.asCaller((tx) =>
      tx<LetterRow[]>`
        insert into public.cover_letters
               (user_id, job_id, generated_resume_id, resume_version, content, model)
        values (${context.userId}, ${job.id}, ${input.generatedResumeId ?? null},
                ${read.version?.version_number ?? null}, ${answer.content}, ${context.model})
        returning id, content, word_count, job_id, generated_resume_id, resume_version`
    );
    return { coverLetter: letter };
  },
};

export default defineAction(coverLetter);
