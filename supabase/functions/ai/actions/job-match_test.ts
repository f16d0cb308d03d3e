import assert from "node:assert/strict";
import { harness, promptOf, reply, type Responder, userId } from "../test-doubles.ts";
import { jobMatchAnswer } from "./job-match.ts";

const jobId = "33333333-3333-4333-8333-333333333333";
const posting = "We want a backend engineer fluent in Go and PostgreSQL, with Kubernetes experience.";
const result = {
  matchScore: 72,
  strengths: ["Go"],
  improvements: ["Kubernetes"],
  missingSkills: ["Kubernetes"],
  matchedSkills: ["Go"],
};

function profile(description = posting): Responder[] {
  return [
    [
      /from public\.jobs/,
      (values) => values[0] === jobId ? [{ job_title: "Backend Engineer", company: "Initech", description }] : [],
    ],
    [
      /from public\.user_profile/,
      () => [{ row: { full_name: "Ada", job_title: "Developer", professional_summary: "I like Go." } }],
    ],
    [/from public\.user_skills/, () => [{ row: { name: "Go" } }, { row: { name: "SQL" } }]],
    [
      /from public\.user_work_experience/,
      () => [{ row: { title: "Developer", company: "Hooli", start_date: "2022-04-01", is_current: true } }],
    ],
    [/from public\.user_education/, () => [{ row: { school: "MIT", degree: "BSc", field: "CS" } }]],
  ];
}

Deno.test("job-match: the prompt holds the job and the caller's own profile, all read in one caller transaction", async () => {
  const h = harness({ script: [reply(result)], responders: profile() });
  const res = await h.call("job-match", { jobId });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body, result);
  const prompt = promptOf(h.requests[0]);
  assert.match(prompt, /Job: Backend Engineer at Initech/);
  assert.match(prompt, /Kubernetes experience/);
  assert.match(prompt, /Skills: Go, SQL/);
  assert.match(prompt, /Developer at Hooli \(2022-04 to present\)/);
  assert.match(prompt, /BSc in CS at MIT/);
  const reads = h.db.statements().filter((q) => !q.text.includes("ai_events"));
  assert.equal(new Set(reads.map((q) => q.transaction)).size, 1);
  for (const read of reads.filter((q) => !q.text.includes("public.jobs"))) assert.equal(read.values[0], userId);
});

Deno.test("job-match: a job the caller cannot see is 404, the same as a missing one, with no model call", async () => {
  const h = harness({ script: [reply(result)], responders: profile() });
  const other = await h.call("job-match", { jobId: crypto.randomUUID() });
  assert.equal(other.status, 404);
  assert.deepEqual(other.body, { error: { code: "not_found", message: "Job not found." }, detail: "Job not found." });
  assert.equal(h.requests.length, 0);
  assert.equal(h.db.events().length, 0);
});

Deno.test("job-match: a description under 50 characters is 422 with no model call", async () => {
  const h = harness({ script: [reply(result)], responders: profile("   Write Go.   ") });
  const res = await h.call("job-match", { jobId });
  assert.equal(res.status, 422);
  assert.equal(res.body.error.code, "description_too_short");
  assert.equal(h.requests.length, 0);
});

Deno.test("job-match: scores outside 0–100 or fractional are invalid answers", () => {
  assert.equal(jobMatchAnswer.safeParse(result).success, true);
  assert.equal(jobMatchAnswer.safeParse({ ...result, matchScore: 101 }).success, false);
  assert.equal(jobMatchAnswer.safeParse({ ...result, matchScore: 50.5 }).success, false);
  assert.equal(jobMatchAnswer.safeParse({ ...result, strengths: undefined }).success, false);
});
