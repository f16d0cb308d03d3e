// One of the caller's saved jobs, read for a prompt: the same columns, trim and bound
// for every action that sends a job to the model (job-match, cover-letter,
// tailor-resume), and the same 422 when its description is too short to work from.
import type { Tables } from "../_shared/table-types.ts";
import type { Transaction } from "../_shared/db.ts";
import { HttpError } from "../_shared/http.ts";

export type JobForModel = Pick<Tables<"jobs">, "id" | "job_title" | "company"> & { description: string };

// What a prompt shows of a job.
export type JobPosting = Omit<JobForModel, "id">;

export const minimumDescriptionLength = 50;
const maxDescriptionForPrompt = 20_000;

// Read as the caller, so another user's job is as absent as one that does not exist.
export async function readJobForModel(tx: Transaction, jobId: string): Promise<JobForModel | undefined> {
  const [job] = await tx<JobForModel[]>`
    select id, job_title, company, coalesce(description, '') as description
      from public.jobs where id = ${jobId}`;
  return job;
}

export const jobNotFound = () => new HttpError(404, "not_found", "Job not found.");

// The job as the prompt gets it; `purpose` ends the sentence "too short to …".
export function describedJob(job: JobForModel, purpose: string): JobForModel {
  const description = job.description.trim();
  if (description.length < minimumDescriptionLength) {
    throw new HttpError(
      422,
      "description_too_short",
      `This job's description is too short to ${purpose} (at least ${minimumDescriptionLength} characters). ` +
        "Paste the job posting into the description first.",
    );
  }
  return { ...job, description: description.slice(0, maxDescriptionForPrompt) };
}
