import assert from "node:assert/strict";
import { assertRefusedBeforeModel, harness, parseEvents, promptOf, reply, type Responder, sqlRefusal } from "../test-doubles.ts";
import { readResumeDocument, storedContent } from "../../_shared/resume/document.ts";
import { tailoredContent, tailorResumeInput } from "./tailor-resume.ts";
import { acmeRole, hooliRole } from "../fixtures.ts";

// A version is stored as the resume model writes it: the canonical document shape.
const canonical = (value: unknown) => JSON.parse(JSON.stringify(storedContent(readResumeDocument(value))));

const resumeId = "44444444-4444-4444-8444-444444444444";
const jobId = "33333333-3333-4333-8333-333333333333";
const posting = "We want a backend engineer fluent in PostgreSQL and Go, who mentors others and ships APIs.";
const content = {
  profile: { fullName: "Ada Lovelace", email: "ada@example.test", summary: "I build backend systems." },
  targetRole: "Backend Engineer",
  experience: [
    {
      ...acmeRole,
      location: "Berlin",
      isCurrent: true,
      description: "Built the tracking API\nCut report time from 40 to 5 minutes",
    },
    { ...hooliRole, description: "Wrote Go jobs" },
  ],
  education: [{ id: "d1", school: "MIT", degree: "BSc" }],
  skills: ["Mentoring", { name: "Go", category: "Technical" }, "PostgreSQL"],
  provenance: { kind: "wizard" },
};
const tailored = {
  summary: "I build backend systems in Go and PostgreSQL. I want to bring that to a Platform Engineer role.",
  experience: [
    { ...acmeRole, description: "Built the tracking API in Go\nCut report time from 40 to 5 minutes" },
    { ...hooliRole, description: "Wrote Go jobs" },
  ],
  skills: ["PostgreSQL", "Go", "Mentoring"],
};
const savedVersion = { id: "v3", generated_resume_id: resumeId, version_number: 3 };

function rows(description = posting): Responder[] {
  return [
    [
      /from public\.generated_resumes gr join public\.generated_resume_versions/,
      (values) => values[0] === resumeId ? [{ id: "v2", version_number: 2, content_json: content }] : [],
    ],
    [
      /from public\.jobs where id/,
      (values) =>
        values[0] === jobId ? [{ id: jobId, job_title: "Platform Engineer", company: "Initech", description }] : [],
    ],
    [/public\.save_generated_resume_version/, () => [{ version: savedVersion }]],
  ];
}

const saves = (h: ReturnType<typeof harness>) =>
  h.db.statements().filter((q) => q.text.includes("save_generated_resume_version"));

Deno.test("tailor-resume: prompt holds the posting and the newest version; a faithful answer is saved with provenance and a diff", async () => {
  const h = harness({ script: [reply(tailored)], responders: rows() });
  const res = await h.call("tailor-resume", { generatedResumeId: resumeId, jobId });
  assert.equal(res.status, 200, JSON.stringify(res.body));

  const prompt = promptOf(h.requests[0]);
  assert.match(prompt, /Target job: Platform Engineer at Initech/);
  assert.match(prompt, /mentors others and ships APIs/);
  assert.match(prompt, /"company": "Acme Logistics"/);
  assert.match(prompt, /Never invent employers, job titles, dates, degrees, schools/);
  assert.match(prompt, /never instructions/);

  const provenance = {
    kind: "tailored",
    sourceVersion: 2,
    jobId,
    jobTitle: "Platform Engineer",
    company: "Initech",
    tailoredAt: res.body.provenance.tailoredAt,
  };
  assert.match(provenance.tailoredAt, /^2026-03-01T12:00:\d\d\.\d{3}Z$/);
  assert.deepEqual(res.body, {
    version: savedVersion,
    provenance,
    diff: {
      summary: { before: "I build backend systems.", after: tailored.summary },
      experience: [{
        id: "e1",
        before: "Built the tracking API\nCut report time from 40 to 5 minutes",
        after: "Built the tracking API in Go\nCut report time from 40 to 5 minutes",
      }],
      skills: { before: ["Mentoring", "Go", "PostgreSQL"], after: ["PostgreSQL", "Go", "Mentoring"] },
    },
  });

  const [save] = saves(h);
  assert.equal(save.values[0], resumeId);
  const stored = JSON.parse(save.values[1] as string);
  assert.deepEqual(stored, canonical({
    ...content,
    profile: { ...content.profile, summary: tailored.summary },
    experience: [{ ...content.experience[0], description: tailored.experience[0].description }, content.experience[1]],
    skills: ["PostgreSQL", { name: "Go", category: "Technical" }, "Mentoring"],
    provenance,
  }));
  assert.equal(stored.skills[1].category, "Technical", "a skill keeps its category when it moves");
  assert.equal(stored.targetRole, "Backend Engineer", "the target role is kept");
  assert.equal(stored.experience[1].company, "Hooli");
  const reads = h.db.statements().filter((q) => /generated_resume_versions v on|from public\.jobs/.test(q.text));
  assert.equal(new Set(reads.map((q) => q.transaction)).size, 1);
  assert.notEqual(reads[0].transaction, save.transaction);
});

Deno.test("tailor-resume: an answer inventing an employer is repaired once, then 502 unfaithful_tailoring with two error rows and no save", async () => {
  const invented = structuredClone(tailored);
  invented.experience[1].company = "Google";
  const h = harness({ script: [reply(invented), reply(invented)], responders: rows() });
  const res = await h.call("tailor-resume", { generatedResumeId: resumeId, jobId });
  assert.equal(res.status, 502);
  assert.equal(res.body.error.code, "unfaithful_tailoring");
  assert.doesNotMatch(JSON.stringify(res.body), /Google|experience\.1/);
  assert.equal(h.requests.length, 2);
  assert.match(promptOf(h.requests[1]), /experience\.1\.company: employer was changed/);
  const events = h.db.events();
  assert.deepEqual(events.map((e) => e.values[7]), ["error", "error"]);
  assert.match(String(events[1].values[8]), /employer was changed/);
  assert.doesNotMatch(String(events[1].values[8]), /Google/);
  assert.equal(saves(h).length, 0);
});

Deno.test("tailor-resume, streamed: the summary arrives as it is written; the result is the plain call's answer", async () => {
  const plain = await harness({ script: [reply(tailored)], responders: rows() })
    .call("tailor-resume", { generatedResumeId: resumeId, jobId });
  const h = harness({ script: [reply(tailored)], responders: rows() });
  const response = await h.send("tailor-resume", { generatedResumeId: resumeId, jobId }, { Accept: "text/event-stream" });
  const events = parseEvents(await response.text());
  assert.equal(events.filter((e) => e.event === "delta").map((e) => e.data.text).join(""), tailored.summary);
  assert.deepEqual(events.at(-1), { event: "result", data: plain.body });
  assert.equal(saves(h).length, 1);
});

Deno.test("tailor-resume, streamed: an unfaithful answer twice ends the stream with the plain call's 502, nothing saved", async () => {
  const invented = structuredClone(tailored);
  invented.experience[1].company = "Google";
  const plain = await harness({ script: [reply(invented), reply(invented)], responders: rows() })
    .call("tailor-resume", { generatedResumeId: resumeId, jobId });
  assert.equal(plain.status, 502);
  const h = harness({ script: [reply(invented), reply(invented)], responders: rows() });
  const response = await h.send("tailor-resume", { generatedResumeId: resumeId, jobId }, { Accept: "text/event-stream" });
  const events = parseEvents(await response.text());
  assert.deepEqual(events.map((e) => e.event).filter((name) => name !== "delta"), ["restart", "error"]);
  assert.deepEqual(events.at(-1)!.data, { status: 502, ...plain.body });
  assert.deepEqual(h.db.events().map((e) => e.values[7]), ["error", "error"]);
  assert.equal(saves(h).length, 0);
});

Deno.test("tailor-resume: an invented metric ('increased revenue 35%') is rejected; a faithful repair is saved", async () => {
  const invented = structuredClone(tailored);
  invented.experience[1].description = "Wrote Go jobs that increased revenue 35%";
  const h = harness({ script: [reply(invented), reply(tailored)], responders: rows() });
  const res = await h.call("tailor-resume", { generatedResumeId: resumeId, jobId });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.match(promptOf(h.requests[1]), /experience\.1\.description: contains a number or metric absent/);
  assert.deepEqual(h.db.events().map((e) => e.values[7]), ["error", "success"]);
  assert.equal(saves(h).length, 1);
});

Deno.test("tailor-resume: adding a skill is rejected like any unfaithful answer", async () => {
  const added = { ...tailored, skills: ["Kubernetes", ...tailored.skills] };
  const h = harness({ script: [reply(added), reply(added)], responders: rows() });
  const res = await h.call("tailor-resume", { generatedResumeId: resumeId, jobId });
  assert.equal(res.status, 502);
  assert.equal(res.body.error.code, "unfaithful_tailoring");
  assert.equal(saves(h).length, 0);
});

Deno.test("tailor-resume: a schema-invalid answer twice is the ordinary invalid_model_answer", async () => {
  const h = harness({ script: [reply({ summary: 1 }), reply({ summary: 2 })], responders: rows() });
  const res = await h.call("tailor-resume", { generatedResumeId: resumeId, jobId });
  assert.equal(res.status, 502);
  assert.equal(res.body.error.code, "invalid_model_answer");
  assert.equal(saves(h).length, 0);
});

Deno.test("tailor-resume: a model failure is 502 with one error row and no save", async () => {
  const h = harness({ script: [new Error("boom")], responders: rows() });
  const res = await h.call("tailor-resume", { generatedResumeId: resumeId, jobId });
  assert.equal(res.status, 502);
  assert.equal(res.body.error.code, "model_error");
  assert.equal(h.db.events().length, 1);
  assert.equal(saves(h).length, 0);
});

Deno.test("tailor-resume: unknown or foreign resume or job is 404 with no model call", async () => {
  for (
    const body of [{ generatedResumeId: crypto.randomUUID(), jobId }, {
      generatedResumeId: resumeId,
      jobId: crypto.randomUUID(),
    }]
  ) {
    const h = harness({ script: [reply(tailored)], responders: rows() });
    const res = await h.call("tailor-resume", body);
    assert.equal(res.status, 404);
    assert.equal(h.requests.length, 0);
    assert.equal(h.db.events().length, 0);
  }
});

Deno.test("tailor-resume: a posting under 50 characters is 422 with no model call", async () => {
  const h = harness({ script: [reply(tailored)], responders: rows("Write Go.") });
  await assertRefusedBeforeModel(h, ["tailor-resume", { generatedResumeId: resumeId, jobId }], {
    status: 422,
    code: "description_too_short",
  });
});

Deno.test("tailor-resume: a resume deleted while the model worked is 404, not 500", async () => {
  const gone = sqlRefusal("generated resume not found", "PT404");
  const h = harness({
    script: [reply(tailored)],
    responders: [[/public\.save_generated_resume_version/, () => gone], ...rows()],
  });
  const res = await h.call("tailor-resume", { generatedResumeId: resumeId, jobId });
  assert.equal(res.status, 404);
  assert.deepEqual(res.body.error, { code: "not_found", message: "Generated resume not found.", sqlstate: "PT404" });
});

Deno.test("tailor-resume: both ids must be uuids", () => {
  assert.equal(tailorResumeInput.safeParse({ generatedResumeId: resumeId }).success, false);
  assert.equal(tailorResumeInput.safeParse({ generatedResumeId: "x", jobId }).success, false);
  assert.equal(tailorResumeInput.safeParse({ generatedResumeId: resumeId, jobId }).success, true);
});

Deno.test("tailor-resume: entries without ids are matched by position, other fields kept", () => {
  const result = tailoredContent(
    { experience: [{ title: "A", company: "B", description: "old", location: "Oslo" }], skills: [] },
    {
      summary: "New.",
      experience: [{ id: "#1", title: "A", company: "B", startDate: null, endDate: null, description: "new" }],
      skills: [],
    },
    { kind: "tailored" },
  );
  const document = readResumeDocument(result);
  assert.deepEqual(
    document.experience.map(({ title, company, description, location }) => ({ title, company, description, location })),
    [{ title: "A", company: "B", description: "new", location: "Oslo" }],
  );
  assert.equal(document.profile.summary, "New.");
});
