import assert from "node:assert/strict";
import { harness, promptOf, reply, userId } from "../test-doubles.ts";
import { profileSummaryAnswer, profileSummaryInput } from "./profile-summary.ts";

const sessionId = "22222222-2222-4222-8222-222222222222";
const summary = { summary: "I build payment systems and want to lead a platform team." };

Deno.test("profile-summary: a wizard session is read as the caller and its id is logged", async () => {
  const draft = {
    profile: { fullName: "Ada Lovelace", headline: "Backend engineer" },
    targetRole: "Engineering Manager",
    experience: [{ title: "Lead", company: "Analytical Engines", startDate: "2021-01", isCurrent: true }],
    skills: ["Go", { name: "Mentoring" }],
  };
  const h = harness({
    script: [reply(summary)],
    responders: [[
      /from public\.wizard_sessions/,
      (values) => values[0] === sessionId ? [{ id: sessionId, draft_json: draft }] : [],
    ]],
  });
  const res = await h.call("profile-summary", { wizardSessionId: sessionId, promptHints: { tone: "warm" } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body, summary);
  const prompt = promptOf(h.requests[0]);
  assert.match(prompt, /Target role: Engineering Manager/);
  assert.match(prompt, /first person, under 150 words/);
  assert.match(prompt, /Lead at Analytical Engines \(2021-01 to present\)/);
  assert.match(prompt, /Skills: Go, Mentoring/);
  assert.match(prompt, /tone: warm/);
  const [event] = h.db.events();
  assert.equal(event.values[0], userId);
  assert.equal(event.values[1], sessionId);
  const read = h.db.statements().find((q) => q.text.includes("wizard_sessions"))!;
  assert.notEqual(read.transaction, event.transaction);
});

Deno.test("profile-summary: a session the caller cannot see is 404 and no model call", async () => {
  const h = harness({ script: [reply(summary)] });
  const res = await h.call("profile-summary", { wizardSessionId: sessionId });
  assert.equal(res.status, 404);
  assert.equal(h.requests.length, 0);
  assert.equal(h.db.events().length, 0);
});

Deno.test("profile-summary: resumeData needs no database read and falls back to the job title as target", async () => {
  const h = harness({ script: [reply(summary)] });
  const res = await h.call("profile-summary", {
    resumeData: { personalInfo: { firstName: "Ada", jobTitle: "Staff Engineer" }, skills: [{ id: "1", name: "Rust" }] },
  });
  assert.equal(res.status, 200);
  assert.match(promptOf(h.requests[0]), /Target role: Staff Engineer/);
  assert.equal(h.db.statements().filter((q) => q.text.includes("wizard_sessions")).length, 0);
  assert.equal(h.db.events()[0].values[1], null);
});

Deno.test("profile-summary: an empty profile is 422 without a model call", async () => {
  const h = harness({ script: [reply(summary)] });
  const res = await h.call("profile-summary", { resumeData: { personalInfo: {} } });
  assert.equal(res.status, 422);
  assert.equal(res.body.error.code, "not_enough_context");
  assert.equal(h.requests.length, 0);
});

Deno.test("profile-summary: exactly one of resumeData and wizardSessionId", () => {
  assert.equal(profileSummaryInput.safeParse({}).success, false);
  assert.equal(profileSummaryInput.safeParse({ resumeData: {}, wizardSessionId: sessionId }).success, false);
  assert.equal(profileSummaryInput.safeParse({ wizardSessionId: "not-a-uuid" }).success, false);
  assert.equal(profileSummaryInput.safeParse({ wizardSessionId: sessionId }).success, true);
});

Deno.test("profile-summary: answers of 150 words or more, or with bullets, are rejected", () => {
  assert.equal(profileSummaryAnswer.safeParse(summary).success, true);
  assert.equal(profileSummaryAnswer.safeParse({ summary: "word ".repeat(150) }).success, false);
  assert.equal(profileSummaryAnswer.safeParse({ summary: "- I code.\n- I lead." }).success, false);
});
