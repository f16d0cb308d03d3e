// POST /ai/job-match {jobId}: scores one of the caller's saved jobs against their
// profile. Everything is read as the caller, so another user's job is as invisible
// as a job that does not exist: both answer the same 404.
import { z } from "zod";
import { HttpError } from "../../_shared/http.ts";
import { type AiAction, defineAction } from "../action.ts";
import { candidateFromProfileRows } from "../candidate.ts";
import { readProfileRows } from "../profile-rows.ts";
import { buildJobMatchPrompt, type MatchJob } from "../prompts/job-match.ts";

export const jobMatchInput = z.object({ jobId: z.uuid() });

export type JobMatchInput = z.infer<typeof jobMatchInput>;

export const minimumDescriptionLength = 50;
const maxDescriptionForPrompt = 20_000;

const shortList = (max: number) => z.array(z.string().trim().min(1).max(300)).max(max);

export const jobMatchAnswer = z.object({
  matchScore: z.number().int().min(0).max(100),
  strengths: shortList(10),
  improvements: shortList(10),
  missingSkills: shortList(40),
  matchedSkills: shortList(40),
});

export const jobMatch: AiAction<JobMatchInput> = {
  input: jobMatchInput,
  async run(context, input) {
    const { job, rows } = await context.asCaller(async (tx) => {
      const [job] = await tx<MatchJob[]>`
        select job_title, company, coalesce(description, '') as description
          from public.jobs where id = ${input.jobId}`;
      if (!job) return { job: undefined, rows: undefined };
      return { job, rows: await readProfileRows(tx, context.userId, { experienceLimit: 5 }) };
    });
    if (!job || !rows) throw new HttpError(404, "not_found", "Job not found.");
    const description = job.description.trim();
    if (description.length < minimumDescriptionLength) {
      throw new HttpError(
        422,
        "description_too_short",
        `This job's description is too short to score (at least ${minimumDescriptionLength} characters). ` +
          "Paste the job posting into the description first.",
      );
    }
    const candidate = candidateFromProfileRows(rows);
    const { system, user } = buildJobMatchPrompt(
      { ...job, description: description.slice(0, maxDescriptionForPrompt) },
      candidate,
    );
    const answer = await context.generate({
      schemaName: "job_match",
      system,
      user,
      answer: jobMatchAnswer,
      maxTokens: 900,
    });
    return answer;
  },
};

export default defineAction(jobMatch);
