import assert from "node:assert/strict";
import { assertRefusedBeforeModel, harness, parseEvents, promptOf, reply, type Responder, sqlRefusal, userId } from "../test-doubles.ts";
import { wizardSummaryAnswer, wizardSummaryInput } from "./wizard-summary.ts";

const sessionId = "22222222-2222-4222-8222-222222222222";
const draft = {
  profile: { fullName: "Ada Lovelace", headline: "Backend engineer", email: "ada@example.test" },
  targetRole: "Engineering Manager",
  experience: [{ id: "e1", title: "Lead", company: "Analytical Engines", startDate: "2021-01", isCurrent: true }],
  skills: ["Go", { name: "Mentoring" }],
};
const summary = {
  summary: "I lead backend teams at Analytical Engines. I want to grow engineers as an Engineering Manager.",
};

function session(status = "active", draftJson: unknown = draft): Responder[] {
  return [
    [
      /from public\.wizard_sessions where id/,
      (values) => values[0] === sessionId ? [{ id: sessionId, status, draft_json: draftJson }] : [],
    ],
    [/public\.update_wizard_session/, () => [{ session: { id: sessionId, draft_json: { summary: "saved" } } }]],
  ];
}

Deno.test("wizard-summary: prompt from the session's draft, event carries the session id, summary written by the RPC", async () => {
  const h = harness({ script: [reply(summary)], responders: session() });
  const res = await h.call("wizard-summary", { wizardSessionId: sessionId, promptHints: "Keep it warm." });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body, {
    summary: summary.summary,
    session: { id: sessionId, draft_json: { summary: "saved" } },
  });

  const prompt = promptOf(h.requests[0]);
  assert.match(prompt, /Target role: Engineering Manager/);
  assert.match(prompt, /2 to 3 sentences in the first person, under 150 words/);
  assert.match(prompt, /Lead at Analytical Engines/);
  assert.match(prompt, /Keep it warm\./);

  const [event] = h.db.events();
  assert.equal(event.values[0], userId);
  assert.equal(event.values[1], sessionId);
  const write = h.db.statements().find((q) => q.text.includes("update_wizard_session"))!;
  // The whole merged profile goes in the patch (shallow merge), built from the current row.
  assert.match(
    write.text,
    /draft_patch => jsonb_build_object\( 'profile', coalesce\(\(select w\.draft_json -> 'profile'/,
  );
  assert.match(write.text, /\|\| jsonb_build_object\('summary', \$\?::text\)/);
  assert.deepEqual(write.values, [sessionId, sessionId, summary.summary]);
  const read = h.db.statements().find((q) => q.text.includes("from public.wizard_sessions where id"))!;
  assert.notEqual(read.transaction, write.transaction);
  assert.notEqual(event.transaction, write.transaction);
});

Deno.test("wizard-summary, streamed: the summary arrives as it is written; the result is the plain call's answer", async () => {
  const plain = await harness({ script: [reply(summary)], responders: session() })
    .call("wizard-summary", { wizardSessionId: sessionId });
  const h = harness({ script: [reply(summary)], responders: session() });
  const response = await h.send("wizard-summary", { wizardSessionId: sessionId }, { Accept: "text/event-stream" });
  const events = parseEvents(await response.text());
  assert.equal(events.filter((e) => e.event === "delta").map((e) => e.data.text).join(""), summary.summary);
  assert.deepEqual(events.at(-1), { event: "result", data: plain.body });
  assert.equal(h.db.events()[0].values[1], sessionId);
});

Deno.test("wizard-summary: another user's or a missing session is 404 with no model call", async () => {
  const h = harness({ script: [reply(summary)], responders: session() });
  const res = await h.call("wizard-summary", { wizardSessionId: crypto.randomUUID() });
  assert.equal(res.status, 404);
  assert.equal(res.body.error.code, "not_found");
  assert.equal(h.requests.length, 0);
  assert.equal(h.db.events().length, 0);
});

Deno.test("wizard-summary: a completed session is 409 before any model call", async () => {
  const h = harness({ script: [reply(summary)], responders: session("completed") });
  const res = await h.call("wizard-summary", { wizardSessionId: sessionId });
  assert.equal(res.status, 409);
  assert.equal(res.body.error.code, "session_not_active");
  assert.equal(res.body.error.sqlstate, "PT409", "the same SQLSTATE update_wizard_session answers through PostgREST");
  assert.equal(h.requests.length, 0);
});

Deno.test("wizard-summary: an empty draft is 422 with no model call", async () => {
  const h = harness({ script: [reply(summary)], responders: session("active", { profile: { fullName: "Ada" } }) });
  await assertRefusedBeforeModel(h, ["wizard-summary", { wizardSessionId: sessionId }], { status: 422, code: "not_enough_context" });
});

Deno.test("wizard-summary: a session completed while the model worked is 409, not 500", async () => {
  const refused = sqlRefusal("wizard session is not active", "PT409");
  const h = harness({
    script: [reply(summary)],
    responders: [[/public\.update_wizard_session/, () => refused], ...session()],
  });
  const res = await h.call("wizard-summary", { wizardSessionId: sessionId });
  assert.equal(res.status, 409);
  assert.deepEqual(res.body.error, { code: "conflict", message: "Wizard session is not active.", sqlstate: "PT409" });
  assert.equal(h.db.events().length, 1);
});

Deno.test("wizard-summary: a model failure is 502, logged with the session id, and nothing is written", async () => {
  const h = harness({ script: [new Error("boom")], responders: session() });
  const res = await h.call("wizard-summary", { wizardSessionId: sessionId });
  assert.equal(res.status, 502);
  const events = h.db.events();
  assert.equal(events.length, 1);
  assert.equal(events[0].values[1], sessionId);
  assert.equal(events[0].values[7], "error");
  assert.equal(h.db.statements().filter((q) => q.text.includes("update_wizard_session")).length, 0);
});

Deno.test("wizard-summary: a broken rule gets one repair, then the answer is used", async () => {
  const h = harness({ script: [reply({ summary: "I lead teams." }), reply(summary)], responders: session() });
  const res = await h.call("wizard-summary", { wizardSessionId: sessionId });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(h.requests.length, 2);
  assert.match(promptOf(h.requests[1]), /2 to 3 sentences/);
  assert.deepEqual(h.db.events().map((e) => [e.values[1], e.values[7]]), [[sessionId, "error"], [
    sessionId,
    "success",
  ]]);
});

Deno.test("wizard-summary: input needs a uuid session id", () => {
  assert.equal(wizardSummaryInput.safeParse({}).success, false);
  assert.equal(wizardSummaryInput.safeParse({ wizardSessionId: "abc" }).success, false);
  assert.equal(
    wizardSummaryInput.safeParse({ wizardSessionId: sessionId, promptHints: { tone: "warm" } }).success,
    true,
  );
});

Deno.test("wizard-summary: answers must be 2–3 sentences, one paragraph, under 150 words, no new numbers", () => {
  const answer = wizardSummaryAnswer("Lead at Analytical Engines (2021-01 to present)");
  assert.equal(answer.safeParse(summary).success, true);
  assert.equal(answer.safeParse({ summary: "I lead teams." }).success, false);
  assert.equal(answer.safeParse({ summary: "One. Two. Three. Four." }).success, false);
  assert.equal(answer.safeParse({ summary: `${"word ".repeat(150)}. Second sentence.` }).success, false);
  assert.equal(answer.safeParse({ summary: "I lead teams.\nI grow people." }).success, false);
  assert.equal(answer.safeParse({ summary: "I led 12 engineers. I want to manage." }).success, false);
  assert.equal(
    answer.safeParse({ summary: "I have led teams since 2021. I want to manage, e.g. platform teams." }).success,
    true,
  );
});
