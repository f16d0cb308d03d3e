// POST /ai/read-email {email, timeZone?}: turns the text of an email from a company into
// a proposed change to the caller's tracker, stored in public.email_proposals as the
// caller. Nothing else changes until the user confirms it (confirm_email_proposal).
//
// The model picks the job from a short list of the caller's own jobs, read as the
// caller (RLS), by reference (J1, J2, ...): an answer naming any other reference is an
// invalid answer (one repair turn, then 502), so a proposal can only ever name one of
// those jobs; the insert's policy checks the same again in the database.
import { z } from "zod";
import { HttpError } from "../../_shared/http.ts";
import { type AiAction, defineAction } from "../action.ts";
import { jobStatuses } from "../job-statuses.ts";
import { buildReadEmailPrompt, type JobChoice } from "../prompts/read-email.ts";

export const maxEmailChars = 20_000;
// Jobs offered to the model: those whose company the email names, then the most recently
// touched open ones.
export const maxJobChoices = 30;

export const readEmailInput = z.object({
  // NUL carries no meaning in an email and Postgres text cannot hold it.
  email: z.string().transform((text) => text.replaceAll("\u0000", "").trim()).pipe(
    z.string().min(20).max(maxEmailChars),
  ),
  timeZone: z.string().max(64).refine(isTimeZone, "must be an IANA time zone such as Europe/Berlin").optional(),
});

export type ReadEmailInput = z.infer<typeof readEmailInput>;

export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const closingReasons = [
  "rejected_after_application",
  "rejected_after_screen",
  "rejected_after_interview",
  "rejected_after_offer",
  "position_closed",
] as const;
const interviewKinds = [
  "phone_screen",
  "technical",
  "take_home",
  "on_site",
  "panel",
  "hiring_manager",
  "hr",
  "final",
  "other",
] as const;

// A wall-clock time as written in the email; the database turns it into an instant in
// the given zone, so daylight saving is Postgres' tz database's business.
const localStart = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "must be YYYY-MM-DDTHH:MM")
  .refine((value) => !Number.isNaN(Date.parse(`${value}:00Z`)), "must be a real date and time");

export function readEmailAnswer(refs: readonly string[]) {
  return z.object({
    emailKind: z.enum(["confirmation", "rejection", "interview_invitation", "offer", "other"]),
    summary: z.string().trim().min(1).max(500),
    jobRef: z.string().nullable().refine((ref) => ref === null || refs.includes(ref), {
      message: `must be one of the listed jobs (${refs.join(", ") || "none"}) or null`,
    }),
    newJob: z.object({ jobTitle: z.string().trim().min(1).max(255), company: z.string().trim().min(1).max(255) })
      .nullable(),
    status: z.enum(jobStatuses).nullable(),
    closingReason: z.enum(closingReasons).nullable(),
    interview: z.object({
      localStart,
      timeZone: z.string().max(64).refine(isTimeZone, "must be an IANA time zone"),
      kind: z.enum(interviewKinds),
      durationMinutes: z.number().int().min(1).max(1440).nullable(),
      location: z.string().trim().max(500).nullable(),
      meetingUrl: z.url({ protocol: /^https?$/ }).max(2048).nullable(),
    }).nullable(),
    contact: z.object({
      name: z.string().trim().min(1).max(200),
      email: z.email().max(320).nullable(),
      part: z.enum(["recruiter", "hiring_manager", "interviewer", "referrer"]).nullable(),
    }).nullable(),
  })
    .refine((a) => (a.jobRef === null) || a.newJob === null, { message: "jobRef and newJob exclude each other" })
    .refine((a) => a.closingReason === null || a.status === "rejected", {
      message: "closingReason needs status rejected",
    });
}

export type ReadEmailAnswer = z.infer<ReturnType<typeof readEmailAnswer>>;

interface JobRow {
  id: string;
  job_title: string;
  company: string;
  status: string;
}

export const readEmail: AiAction<ReadEmailInput> = {
  input: readEmailInput,
  async run(context, input) {
    const { jobs, timeZone } = await context.asCaller(async (tx) => {
      // Under RLS: only the caller's own jobs can be offered.
      const jobs = await tx<JobRow[]>`
        (select id, job_title, company, status from public.jobs
          where user_id = ${context.userId}
            and strpos(lower(${input.email}), lower(company)) > 0 and char_length(company) >= 2
          order by updated_at desc limit ${maxJobChoices})
        union
        (select id, job_title, company, status from public.jobs
          where user_id = ${context.userId} and status not in ('accepted', 'rejected', 'withdrawn')
          order by updated_at desc limit ${maxJobChoices})`;
      const [settings] = await tx<{ time_zone: string }[]>`
        select time_zone from public.tracker_settings where user_id = ${context.userId}`;
      return { jobs: jobs.slice(0, maxJobChoices), timeZone: input.timeZone ?? settings?.time_zone ?? "UTC" };
    });
    const choices: JobChoice[] = jobs.map((job, i) => ({ ref: `J${i + 1}`, ...job }));
    const byRef = new Map(choices.map((choice, i) => [choice.ref, jobs[i].id]));
    const today = context.clock.now().toISOString().slice(0, 10);
    const { system, user } = buildReadEmailPrompt(input.email, choices, { today, timeZone });
    const answer = await context.generate({
      schemaName: "email_proposal",
      system,
      user,
      answer: readEmailAnswer([...byRef.keys()]),
      maxTokens: 800,
    });
    const jobId = answer.jobRef === null ? null : byRef.get(answer.jobRef)!;
    if (jobId === null && answer.newJob === null) {
      throw new HttpError(
        422,
        "no_job_found",
        "The email names none of your jobs and no new application: nothing to propose.",
      );
    }
    const interview = answer.interview;
    const [proposal] = await context.asCaller((tx) =>
      tx<Record<string, unknown>[]>`
        insert into public.email_proposals
               (user_id, email_kind, summary, job_id, new_job_title, new_job_company, proposed_status, closing_reason,
                interview_starts_at, interview_time_zone, interview_kind, interview_duration_minutes,
                interview_location, interview_meeting_url, contact_name, contact_email, contact_part, model)
        values (${context.userId}, ${answer.emailKind}, ${answer.summary}, ${jobId},
                ${answer.newJob?.jobTitle ?? null}, ${answer.newJob?.company ?? null}, ${answer.status},
                ${answer.closingReason},
                ${interview ? interview.localStart : null}::timestamp at time zone ${interview?.timeZone ?? "UTC"},
                ${interview?.timeZone ?? null}, ${interview?.kind ?? null}, ${interview?.durationMinutes ?? null},
                ${interview?.location || null}, ${interview?.meetingUrl ?? null},
                ${answer.contact?.name ?? null}, ${answer.contact?.email ?? null}, ${answer.contact?.part ?? null},
                ${context.model})
        returning *`
    );
    return { proposal };
  },
};

export default defineAction(readEmail);
