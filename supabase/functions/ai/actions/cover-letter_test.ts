import assert from "node:assert/strict";
import { harness, parseEvents, promptOf, reply, type Responder, userId } from "../test-doubles.ts";
import { coverLetterAnswer, coverLetterInput } from "./cover-letter.ts";
import { wordCount } from "./text-rules.ts";

const jobId = "33333333-3333-4333-8333-333333333333";
const resumeId = "44444444-4444-4444-8444-444444444444";
const posting = "We want a backend engineer fluent in Go and PostgreSQL, with 5 years of API work.";
const content = {
  profile: { fullName: "Ada Lovelace", headline: "Backend engineer" },
  experience: [{
    id: "e1",
    title: "Backend Engineer",
    company: "Acme Logistics",
    startDate: "2021-03",
    isCurrent: true,
  }],
  skills: ["Go", "PostgreSQL"],
};
// 307 words, no numbers.
const letter = "Dear hiring team,\n\n" +
  "I build reliable backend services in Go at Acme Logistics. ".repeat(30).trim() +
  "\n\nKind regards,\nAda Lovelace";

function rows(description = posting): Responder[] {
  return [
    [
      /from public\.jobs where id/,
      (values) =>
        values[0] === jobId ? [{ id: jobId, job_title: "Backend Engineer", company: "Initech", description }] : [],
    ],
    [
      /generated_resume_versions v on/,
      (values) => values[0] === resumeId ? [{ version_number: 3, content_json: content }] : [],
    ],
    [/from public\.user_profile/, () => [{ row: { full_name: "Grace Hopper", job_title: "Compiler engineer" } }]],
    [/from public\.user_skills/, () => [{ row: { name: "COBOL" } }]],
    [
      /from public\.user_work_experience/,
      () => [{ row: { title: "Engineer", company: "Remington Rand", start_date: "1949-01-01" } }],
    ],
    [/from public\.user_education/, () => []],
    [/insert into public\.cover_letters/, (values) => [{
      id: "c1",
      job_id: values[1],
      generated_resume_id: values[2],
      resume_version: values[3],
      content: values[4],
      // The database's trigger computes it; the function does not send it.
      word_count: wordCount(String(values[4])),
    }]],
  ];
}

const inserts = (h: ReturnType<typeof harness>) =>
  h.db.statements().filter((q) => q.text.includes("insert into public.cover_letters"));

Deno.test("cover-letter: from a resume's newest version, stored with the job, resume, version and model", async () => {
  const h = harness({ script: [reply({ content: letter })], responders: rows() });
  const res = await h.call("cover-letter", { jobId, generatedResumeId: resumeId });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const prompt = promptOf(h.requests[0]);
  assert.match(prompt, /Job: Backend Engineer at Initech/);
  assert.match(prompt, /5 years of API work/);
  assert.match(prompt, /Backend Engineer at Acme Logistics/);
  assert.match(prompt, /Between 250 and 400 words/);
  assert.equal(h.db.statements().filter((q) => q.text.includes("user_profile")).length, 0);
  const [insert] = inserts(h);
  assert.deepEqual(insert.values, [userId, jobId, resumeId, 3, letter, "fake-model"]);
  assert.doesNotMatch(insert.text, /word_count\b.*values/s, "word_count is left to the database's trigger");
  assert.deepEqual(res.body, {
    coverLetter: {
      id: "c1",
      job_id: jobId,
      generated_resume_id: resumeId,
      resume_version: 3,
      content: letter,
      word_count: 307,
    },
  });
});

Deno.test("cover-letter: without a resume, the profile tables are the source", async () => {
  const h = harness({
    script: [reply({ content: letter.replaceAll("Acme Logistics", "Remington Rand") })],
    responders: rows(),
  });
  const res = await h.call("cover-letter", { jobId });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const prompt = promptOf(h.requests[0]);
  assert.match(prompt, /Engineer at Remington Rand/);
  assert.match(prompt, /Skills: COBOL/);
  const [insert] = inserts(h);
  assert.deepEqual(insert.values.slice(2, 4), [null, null]);
});

Deno.test("cover-letter: a letter outside 250–400 words is repaired once, then 502 with two error rows and no insert", async () => {
  const short = { content: "Dear team, I like Go. Regards, Ada" };
  const h = harness({ script: [reply(short), reply(short)], responders: rows() });
  const res = await h.call("cover-letter", { jobId, generatedResumeId: resumeId });
  assert.equal(res.status, 502);
  assert.equal(res.body.error.code, "invalid_model_answer");
  assert.match(promptOf(h.requests[1]), /must be 250 to 400 words/);
  assert.deepEqual(h.db.events().map((e) => e.values[7]), ["error", "error"]);
  assert.equal(inserts(h).length, 0);
});

Deno.test("cover-letter: a model failure is 502, one error row, no insert", async () => {
  const h = harness({ script: [new Error("boom")], responders: rows() });
  const res = await h.call("cover-letter", { jobId });
  assert.equal(res.status, 502);
  assert.equal(h.db.events().length, 1);
  assert.equal(inserts(h).length, 0);
});

Deno.test("cover-letter: unknown or foreign job or resume is 404 with no model call", async () => {
  for (const body of [{ jobId: crypto.randomUUID() }, { jobId, generatedResumeId: crypto.randomUUID() }]) {
    const h = harness({ script: [reply({ content: letter })], responders: rows() });
    const res = await h.call("cover-letter", body);
    assert.equal(res.status, 404, JSON.stringify(body));
    assert.equal(h.requests.length, 0);
  }
});

Deno.test("cover-letter: a short posting is 422 with no model call", async () => {
  const h = harness({ script: [reply({ content: letter })], responders: rows("Code.") });
  const res = await h.call("cover-letter", { jobId });
  assert.equal(res.status, 422);
  assert.equal(h.requests.length, 0);
});

Deno.test("cover-letter: answer rules — word range, no placeholders, no numbers absent from resume and posting", () => {
  const answer = coverLetterAnswer(`Backend Engineer at Acme Logistics\n${posting}`);
  assert.equal(answer.safeParse({ content: letter }).success, true);
  assert.equal(answer.safeParse({ content: "word ".repeat(249) }).success, false);
  assert.equal(answer.safeParse({ content: "word ".repeat(401) }).success, false);
  assert.equal(answer.safeParse({ content: `${letter} I have 5 years of API work.` }).success, true);
  assert.equal(answer.safeParse({ content: `${letter} I grew revenue 40%.` }).success, false);
  assert.equal(answer.safeParse({ content: `${letter} [Your address]` }).success, false);
  assert.equal(coverLetterInput.safeParse({ jobId, generatedResumeId: "x" }).success, false);
});

Deno.test("cover-letter, streamed: the letter arrives as it is written; the result is the plain call's answer, saved once", async () => {
  const plain = await harness({ script: [reply({ content: letter })], responders: rows() })
    .call("cover-letter", { jobId, generatedResumeId: resumeId });
  const h = harness({ script: [reply({ content: letter })], responders: rows() });
  const response = await h.send("cover-letter", { jobId, generatedResumeId: resumeId }, {
    Accept: "text/event-stream",
  });
  const events = parseEvents(await response.text());
  assert.equal(events.filter((e) => e.event === "delta").map((e) => e.data.text).join(""), letter);
  assert.deepEqual(events.at(-1), { event: "result", data: plain.body });
  assert.equal(inserts(h).length, 1);
});
