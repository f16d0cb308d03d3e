// The eight pipeline statuses of public.jobs (its status check, 20_jobs.sql), as the
// actions that read or propose a job's status accept them.
export const jobStatuses = [
  "bookmarked",
  "applying",
  "applied",
  "interviewing",
  "negotiating",
  "accepted",
  "rejected",
  "withdrawn",
] as const;
