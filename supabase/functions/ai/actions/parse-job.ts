// POST /ai/parse-job: extracts a job posting from a page and, when the caller asks to
// store it, bookmarks it as the caller. Two kinds of caller send it:
//   - {text | html, url?, save?}: the original call (a preview unless save is true);
//   - the browser extension's two save payloads, as it builds them today (docs/extension.md):
//     LinkedIn {url, canonical_url, stage, excitement, html_content, fallback_data} and
//     other sites {html, source_url, url, canonical_url, stage, excitement, fallback_data}.
//     Sending any of its save fields (stage, excitement, fallback_data, html_content,
//     source_url) asks for the job to be stored; an explicit "save": false still previews.
// Everything about the request is checked before the model is called (the schema runs in
// the pipeline, before admission): a URL the jobs table would refuse, a stage outside the
// pipeline or an excitement outside 0-5 is a 422 that spends no slot and no tokens.
// Only the validated extraction fields reach the row; owner, status, excitement and URL
// come from the request and the verified token, never from the model.
import { z } from "zod";
import { HttpError } from "../../_shared/http.ts";
import type { Transaction } from "../../_shared/db.ts";
import { type ActionContext, type AiAction, defineAction } from "../action.ts";
import { htmlToText } from "../page-text.ts";
import { buildParseJobPrompt } from "../prompts/parse-job.ts";
import { jobStatuses } from "../job-statuses.ts";

export const maxPageTextChars = 50_000;
// A job page's whole outerHTML is commonly 1-3 MB; clients/live-app reduces it to its text
// before sending (a few KB). Raw HTML is accepted up to 512 KB: reducing it is linear, but a
// larger bound lets one user's worst pages slow other users' calls (tests/resilience/isolation.test.ts).
export const maxParseJobBodyBytes = 512 * 1024;
export const maxJobUrlBytes = 2048;

// The jobs table's own rule (jobs_job_url_check, jobs_job_url_size), so a URL it would
// refuse is refused here, before the model is called.
const jobUrlPattern = /^https?:\/\/[^\s/?#]+\S*$/i;
const encoder = new TextEncoder();

export function jobUrlProblem(url: string): string | null {
  if (!jobUrlPattern.test(url)) return "must be an absolute http(s) URL without spaces";
  if (encoder.encode(url).byteLength > maxJobUrlBytes) return `must be at most ${maxJobUrlBytes} bytes`;
  try {
    new URL(url);
  } catch {
    return "must be an absolute http(s) URL";
  }
  return null;
}

// The extension sends "" or null for a field it has no value for.
const emptyIsUnset = (value: unknown) =>
  value === null || (typeof value === "string" && value.trim() === "") ? undefined : value;
const optionalText = (max?: number) =>
  z.preprocess(
    (value) => {
      const unset = emptyIsUnset(value);
      return typeof unset === "string" ? unset.trim() : unset;
    },
    (max ? z.string().max(max) : z.string()).optional(),
  );

// The extension's placeholders for "not found on the page" are not data.
const placeholders = new Set(["unknown job title", "unknown company", "login_required"]);
const fallbackText = (max: number) =>
  z.preprocess((value) => {
    const unset = emptyIsUnset(value);
    if (typeof unset !== "string") return unset;
    const text = unset.trim();
    return placeholders.has(text.toLowerCase()) ? undefined : text;
  }, z.string().max(max).optional());

export const fallbackData = z.object({
  job_title: fallbackText(255),
  company: fallbackText(255),
  location: fallbackText(255),
  salary: fallbackText(255),
  description: fallbackText(20_000),
});
export type FallbackData = z.infer<typeof fallbackData>;

// The eight pipeline statuses, in any case (the extension sends Title Case: "Bookmarked").
export const jobStages = jobStatuses;

// Fields only the extension's save calls send: their presence asks for the job to be stored.
const saveFields = ["stage", "excitement", "fallback_data", "html_content", "source_url"] as const;

const requestFields = z.object({
  text: optionalText(maxPageTextChars),
  html: optionalText(),
  html_content: optionalText(),
  url: optionalText(),
  canonical_url: optionalText(),
  source_url: optionalText(),
  save: z.boolean().optional(),
  stage: z.preprocess(
    (value) => {
      const unset = emptyIsUnset(value);
      return typeof unset === "string" ? unset.trim().toLowerCase() : unset;
    },
    z.enum(jobStages).optional(),
  ),
  // 0 is the extension's "not picked": stored as no excitement.
  excitement: z.preprocess(emptyIsUnset, z.number().int().min(0).max(5).optional()),
  fallback_data: z.preprocess(emptyIsUnset, fallbackData.optional()),
  // The old ingest call also read fallback_data from here.
  metadata: z.preprocess(
    emptyIsUnset,
    z.object({ fallback_data: z.preprocess(emptyIsUnset, fallbackData.optional()) }).optional(),
  ),
  // Set below from which keys the body has (a client's own value is overwritten).
  sentSaveFields: z.boolean(),
});

export const parseJobInput = z.preprocess(
  (raw) =>
    raw !== null && typeof raw === "object" && !Array.isArray(raw)
      ? { ...raw, sentSaveFields: saveFields.some((name) => Object.hasOwn(raw, name)) }
      : raw,
  requestFields,
).superRefine((body, context) => {
  const pages = [body.text, body.html, body.html_content].filter((page) => page !== undefined);
  if (pages.length > 1) {
    context.addIssue({ code: "custom", message: "Send one of text, html or html_content." });
  }
  const fallback = body.fallback_data ?? body.metadata?.fallback_data;
  if (pages.length === 0 && !fallback?.job_title) {
    context.addIssue({ code: "custom", message: "Send either text or html (or fallback_data with a job_title)." });
  }
  for (const name of ["url", "canonical_url", "source_url"] as const) {
    const value = body[name];
    const problem = value === undefined ? null : jobUrlProblem(value);
    if (problem) context.addIssue({ code: "custom", path: [name], message: `${name} ${problem}.` });
  }
}).transform((body) => {
  const wantsSave = body.save ?? body.sentSaveFields;
  return {
    text: body.text,
    html: body.html ?? body.html_content,
    url: effectiveJobUrl(body),
    save: wantsSave,
    stage: body.stage ?? "bookmarked",
    excitement: body.excitement ? body.excitement : null,
    fallback: body.fallback_data ?? body.metadata?.fallback_data ?? {},
  };
});

export type ParseJobInput = z.infer<typeof parseJobInput>;

// The job's address: url, or canonical_url when url is empty, or source_url. A LinkedIn
// search page that shows one job (?currentJobId=...) stands for that job's own page, so
// the same job saved from the list and from its page is one job, as the old service did.
export function effectiveJobUrl(body: { url?: string; canonical_url?: string; source_url?: string }) {
  const url = body.url ?? body.canonical_url ?? body.source_url;
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    const jobId = parsed.searchParams.get("currentJobId");
    if (/(^|\.)linkedin\.com$/i.test(parsed.hostname) && jobId && /^\d{1,20}$/.test(jobId)) {
      return `https://www.linkedin.com/jobs/view/${jobId}`;
    }
  } catch {
    // Checked by the schema already.
  }
  return url;
}

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

// A 512 KB page is reduced once per request, though both the admission check and the run read it.
const pageTexts = new WeakMap<object, string>();

export function pageTextOf(input: ParseJobInput): string {
  let text = pageTexts.get(input);
  if (text === undefined) {
    text = (input.html !== undefined ? htmlToText(input.html) : input.text ?? "").trim().slice(0, maxPageTextChars);
    pageTexts.set(input, text);
  }
  return text;
}

// Below this the page holds no posting to read; the fallback (or a 422) answers instead.
const minPageTextChars = 20;

// What the page itself yields when there is no text to read: the extension's fallback_data.
// A posting known by its title and company alone.
export function bareJob(job_title: string, company: string): ParsedJob {
  return {
    job_title,
    company,
    location: null,
    salary: null,
    description: null,
    job_type: null,
    experience_level: null,
    remote_work: null,
    benefits: [],
    requirements: [],
    skills: [],
  };
}

function fromFallback(fallback: FallbackData): ParsedJob {
  return {
    ...bareJob(fallback.job_title!, fallback.company ?? "Unknown Company"),
    location: fallback.location ?? null,
    salary: fallback.salary ?? null,
    description: fallback.description ?? null,
  };
}

export const parseJob: AiAction<ParseJobInput> = {
  input: parseJobInput,
  maxBodyBytes: maxParseJobBodyBytes,
  // A save with no page at all (the extension sends html_content: null when it could not
  // read the tab) is made from its fallback_data: no model, no AI slot. HTML always takes
  // a slot, even when it turns out to hold no text: reducing it is the work being limited.
  usesModel: (input) =>
    input.html !== undefined || pageTextOf(input).length >= minPageTextChars || !input.fallback.job_title,
  async run(context, input) {
    const pageText = pageTextOf(input);
    const url = input.url ?? null;
    const save = (job: ParsedJob) => saveJob(context, input, job, url);

    if (pageText.length < minPageTextChars) {
      if (!input.fallback.job_title) {
        throw new HttpError(422, "empty_page", "The page has too little text to read a job posting from.");
      }
      const job = fromFallback(input.fallback);
      return input.save ? await save(job) : preview(job, url);
    }

    // A URL the caller saved already is answered before any tokens are spent.
    if (input.save && url) {
      const existing = await context.asCaller((tx) => existingJob(tx, context.userId, url));
      if (existing) return duplicateAnswer(existing, url);
    }

    const { system, user } = buildParseJobPrompt(pageText, input.url);
    const extracted = await context.generate({
      schemaName: "job_posting",
      system,
      user,
      answer: parseJobAnswer,
      maxTokens: 4000,
    });
    // What the model did not find, the page's own fallback_data may have.
    const job: ParsedJob = {
      ...extracted,
      location: extracted.location ?? input.fallback.location ?? null,
      salary: extracted.salary ?? input.fallback.salary ?? null,
      description: extracted.description ?? input.fallback.description ?? null,
    };
    return input.save ? await save(job) : preview(job, url);
  },
};

function preview(job: ParsedJob, url: string | null) {
  return { ...job, job_url: url, saved: false, duplicate: false, jobId: null };
}

interface SavedJob {
  id: string;
  job_title: string;
  company: string;
  location: string | null;
  salary: string | null;
}

async function existingJob(tx: Transaction, userId: string, url: string): Promise<SavedJob | undefined> {
  const [existing] = await tx<SavedJob[]>`
    select id, job_title, company, location, salary from public.jobs where user_id = ${userId} and job_url = ${url}`;
  return existing;
}

// The answer the extension reads (job_id, status, is_duplicate, extracted_data, message)
// beside this function's own (saved, duplicate, jobId): a duplicate never reads as saved.
function duplicateAnswer(existing: SavedJob, url: string) {
  const { id, ...fields } = existing;
  return {
    ...fields,
    job_url: url,
    saved: false,
    duplicate: true,
    jobId: id,
    job_id: id,
    status: "duplicate",
    is_duplicate: true,
    message: "Job already exists in your dashboard",
    extracted_data: { ...fields, job_url: url },
  };
}

async function saveJob(
  context: ActionContext,
  input: ParseJobInput,
  job: ParsedJob,
  url: string | null,
) {
  // The model call is over before this transaction opens, so no transaction is held
  // open while waiting on the model; ai_events rows are already written separately.
  const outcome = await context.asCaller(async (tx) => {
    // One job per URL per user is the unique index jobs_one_per_user_and_url: a second
    // save of the same URL (two clicks at once included) inserts nothing, and the job
    // already saved is the answer.
    const [created] = await tx<{ id: string }[]>`
      insert into public.jobs (user_id, job_title, company, location, salary, job_url, status, excitement_level, description)
      values (${context.userId}, ${job.job_title}, ${job.company}, ${job.location}, ${job.salary}, ${url},
              ${input.stage}, ${input.excitement}, ${job.description})
      on conflict (user_id, job_url) where job_url is not null do nothing
      returning id`;
    if (created) return { created: created.id };
    return { existing: await existingJob(tx, context.userId, url!) };
  });
  if (outcome.existing) return duplicateAnswer(outcome.existing, url!);
  const id = outcome.created!;
  return {
    ...job,
    job_url: url,
    saved: true,
    duplicate: false,
    jobId: id,
    job_id: id,
    status: "success",
    is_duplicate: false,
    message: "Job saved",
    extracted_data: {
      job_title: job.job_title,
      company: job.company,
      location: job.location,
      salary: job.salary,
      job_url: url,
    },
  };
}

export default defineAction(parseJob);
