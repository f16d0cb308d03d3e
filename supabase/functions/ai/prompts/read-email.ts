// Read an email from a company: which of the user's jobs it is about, and what it means
// for the tracker. The email is third-party text, fenced as data; the jobs are named by
// short references (J1, J2, ...) so the model never sees or names a job id.
import { fenced, newFence, untrustedRule } from "./untrusted.ts";

export interface JobChoice {
  ref: string;
  job_title: string;
  company: string;
  status: string;
}

export function buildReadEmailPrompt(
  email: string,
  jobs: JobChoice[],
  context: { today: string; timeZone: string },
  fence = newFence(),
) {
  const system = [
    "You read an email a job seeker received from a company (an application confirmation, a rejection, " +
    "an interview invitation, an offer, or something else) and propose how their job tracker should change.",
    "Rules:",
    "- jobRef: the reference (J1, J2, ...) of the listed job the email is about, or null when none of them fits. " +
    "Use only references from the list.",
    "- newJob: only when jobRef is null and the email is clearly about an application: {jobTitle, company} from the email; otherwise null.",
    "- status: the status the job should move to (applied for a confirmation, interviewing for an invitation, " +
    "negotiating for an offer, rejected for a rejection), or null when the email changes nothing.",
    "- closingReason: with status rejected only: rejected_after_application, rejected_after_screen, " +
    "rejected_after_interview, rejected_after_offer or position_closed; otherwise null.",
    '- interview: only for an invitation with a fixed time: {localStart: "YYYY-MM-DDTHH:MM" as written in the email, ' +
    "timeZone: the IANA zone the email's time is in (America/Los_Angeles, Europe/Berlin, ...; use the user's " +
    "zone when the email names none), kind, durationMinutes or null, location or null, meetingUrl (http/https) or null}; otherwise null.",
    "- contact: the person who wrote or whom to contact: {name, email or null, part: recruiter, hiring_manager, " +
    "interviewer or referrer, or null}; null when the email names nobody.",
    "- summary: one sentence saying what the email says and what you propose.",
    "- Never invent a time, a person or a job the email does not contain.",
    untrustedRule(fence),
    'Answer with a JSON object: {"emailKind": "confirmation|rejection|interview_invitation|offer|other", ' +
    '"summary": "", "jobRef": null, "newJob": null, "status": null, "closingReason": null, "interview": null, "contact": null}.',
  ].join("\n");
  const list = jobs.length
    ? jobs.map((job) => `${job.ref}: ${job.job_title} at ${job.company} (${job.status})`).join("\n")
    : "(no jobs yet)";
  const user = [
    `Today is ${context.today}; the user's time zone is ${context.timeZone}.`,
    `The user's jobs:\n${fenced(fence, "jobs", list)}`,
    `Email:\n${fenced(fence, "email", email)}`,
  ].join("\n\n");
  return { system, user };
}
