// POST /ai/parse-job {text | html, url?, save?}: extracts a job posting from a page
// (the browser extension's call) and, with save, bookmarks it as the caller. Only
// the validated extraction fields reach the row; owner, status and URL come from the
// request and the verified token, never from the model.
import { z } from "zod";
import { HttpError } from "../../_shared/http.ts";
import { type AiAction, defineAction } from "../action.ts";
import { htmlToText } from "../page-text.ts";
import { buildParseJobPrompt } from "../prompts/parse-job.ts";

export const maxPageTextChars = 50_000;
// HTML is mostly markup; 512 KB of it reduces to far less text.
export const maxParseJobBodyBytes = 512 * 1024;

export const parseJobInput = z.object({
  text: z.string().max(maxPageTextChars).optional(),
  html: z.string().optional(),
  url: z.url({ protocol: /^https?$/ }).max(2048).optional(),
  save: z.boolean().default(false),
}).refine((body) => (body.text === undefined) !== (body.html === undefined), {
  message: "Send either text or html.",
});

export type ParseJobInput = z.infer<typeof parseJobInput>;

const field = (max: number) => z.string().trim().max(max).nullable();
const items = (max: number) => z.array(z.string().trim().min(1).max(500)).max(max);

export const parseJobAnswer = z.object({
  job_title: z.string().trim().min(1).max(255),
  company: z.string().trim().min(1).max(255),
  location: field(255),
  salary: field(255),
  description: field(20_000),
  job_type: field(100),
  experience_level: field(100),
  remote_work: field(100),
  benefits: items(40),
  requirements: items(60),
  skills: z.array(z.string().trim().min(1).max(80)).max(40),
});

export type ParsedJob = z.infer<typeof parseJobAnswer>;

export function pageTextOf(input: ParseJobInput): string {
  const text = input.html !== undefined ? htmlToText(input.html) : input.text ?? "";
  return text.trim().slice(0, maxPageTextChars);
}

export const parseJob: AiAction<ParseJobInput> = {
  input: parseJobInput,
  maxBodyBytes: maxParseJobBodyBytes,
  async run(context, input) {
    const pageText = pageTextOf(input);
    if (pageText.length < 20) {
      throw new HttpError(422, "empty_page", "The page has too little text to read a job posting from.");
    }
    const { system, user } = buildParseJobPrompt(pageText, input.url);
    const job = await context.generate({
      schemaName: "job_posting",
      system,
      user,
      answer: parseJobAnswer,
      maxTokens: 4000,
    });
    const url = input.url ?? null;
    if (!input.save) return { ...job, job_url: url, saved: false, duplicate: false, jobId: null };

    // The model call is over before this transaction opens, so no transaction is held
    // open while waiting on the model; ai_events rows are already written separately.
    const outcome = await context.asCaller(async (tx) => {
      // One job per URL per user is the unique index jobs_one_per_user_and_url: a second
      // save of the same URL (two clicks at once included) inserts nothing, and the job
      // already saved is the answer.
      const [created] = await tx<{ id: string }[]>`
        insert into public.jobs (user_id, job_title, company, location, salary, job_url, status, description)
        values (${context.userId}, ${job.job_title}, ${job.company}, ${job.location}, ${job.salary}, ${url},
                'bookmarked', ${job.description})
        on conflict (user_id, job_url) where job_url is not null do nothing
        returning id`;
      if (created) return { jobId: created.id, duplicate: false };
      const [existing] = await tx<{ id: string }[]>`
        select id from public.jobs where user_id = ${context.userId} and job_url = ${url}`;
      return { jobId: existing.id, duplicate: true };
    });
    return { ...job, job_url: url, saved: !outcome.duplicate, duplicate: outcome.duplicate, jobId: outcome.jobId };
  },
};

export default defineAction(parseJob);
