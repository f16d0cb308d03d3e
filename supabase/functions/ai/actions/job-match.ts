// POST /ai/job-match {jobId}: scores one of the caller's saved jobs against their
// profile. Everything is read as the caller, so another user's job is as invisible
// as a job that does not exist: both answer the same 404.
import { z } from "zod";
import { type AiAction, defineAction } from "../action.ts";
import { candidateFromProfileRows } from "../candidate.ts";
import { describedJob, jobNotFound, readJobForModel } from "../job-for-model.ts";
import { readProfileRows } from "../profile-rows.ts";
import { buildJobMatchPrompt } from "../prompts/job-match.ts";

export const jobMatchInput = z.object({ jobId: z.uuid() });

export type JobMatchInput = z.infer<typeof jobMatchInput>;

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
      const job = await readJobForModel(tx, input.jobId);
      if (!job) return { job: undefined, rows: undefined };
      return { job, rows: await readProfileRows(tx, context.userId, { experienceLimit: 5 }) };
    });
    if (!job || !rows) throw jobNotFound();
    const target = describedJob(job, "score");
    const candidate = candidateFromProfileRows(rows);
    const { system, user } = buildJobMatchPrompt(target, candidate);
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
