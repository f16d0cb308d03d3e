// The ai handler's own rules: its actions, admission before the model, the usage ledger and
// how a database failure maps. The guards every function shares are checked once, in
// _shared/pipeline_test.ts; model faults in tests/resilience/model-faults.test.ts.
import assert from "node:assert/strict";
import { assertRefusedBeforeModel, admissionId, harness, reply, testConfig, userId } from "./test-doubles.ts";
import { bareJob } from "./actions/parse-job.ts";

const facts = { job_title: "Engineer", company: "Acme", what_did_you_do: "Built the billing service." };
const description = { description: "Built the billing service at Acme." };
const uuidPattern = /^[0-9a-f-]{36}$/;

Deno.test("an unknown action is 404 and lists the actions", async () => {
  const res = await harness().call("write-my-novel", facts);
  assert.equal(res.status, 404);
  assert.match(
    res.body.detail,
    /work-description, profile-summary, skills, job-match, parse-job, wizard-summary, tailor-resume, cover-letter, import-resume/,
  );
});

Deno.test("inherited object keys are not actions", async () => {
  const res = await harness().call("constructor", facts);
  assert.equal(res.status, 404);
});

Deno.test("parse-job accepts html bodies past 64 KB but not past 512 KB", async () => {
  const posting = bareJob("Engineer", "Acme");
  const h = harness({ script: [reply(posting)] });
  const fits = await h.call("parse-job", {
    html: `<p>Engineer at Acme, building billing.</p>${"<b>x</b>".repeat(30_000)}`,
  });
  assert.equal(fits.status, 200, JSON.stringify(fits.body));
  const tooBig = await h.call("parse-job", { html: "x".repeat(513 * 1024) });
  assert.equal(tooBig.status, 413);
  assert.equal(h.requests.length, 1);
});

Deno.test("without OPENAI_API_KEY every action is 503 naming the variable, and nothing is called", async () => {
  const h = harness({ llm: "none" });
  for (
    const [action, body] of Object.entries({
      "work-description": facts,
      "skills": { description: "Twenty characters or more of text.", context: "job" },
      "job-match": { jobId: crypto.randomUUID() },
      "parse-job": { text: "A job posting with enough text in it." },
    })
  ) {
    const res = await h.call(action, body);
    assert.equal(res.status, 503, action);
    assert.equal(res.body.error.code, "ai_not_configured");
    assert.match(res.body.detail, /set the OPENAI_API_KEY/);
  }
  assert.equal(h.databaseOpened(), 0);
});

Deno.test("admission is asked before the model: a refusal is 429 with Retry-After and no call", async () => {
  const h = harness({
    script: [reply(description)],
    responders: [[
      /from private\.admit_ai_request/,
      () => [{ admission_id: null, refusal: "rate_limited", retry_after_seconds: 20 }],
    ]],
  });
  await assertRefusedBeforeModel(h, ["work-description", facts], { status: 429, code: "rate_limited", retryAfter: "20" });
  const admit = h.db.queries.find((query) => query.text.includes("private.admit_ai_request"))!;
  assert.deepEqual(admit.values, ["work-description", 30, 1_000_000]);
});

Deno.test("a caller whose account is gone is 401 before the model", async () => {
  const h = harness({
    script: [reply(description)],
    responders: [[/from private\.admit_ai_request/, () => [{ admission_id: null, refusal: "unknown_user" }]]],
  });
  await assertRefusedBeforeModel(h, ["work-description", facts], { status: 401, code: "unauthorized" });
});

Deno.test("a spent budget on the call's reservation is 429, the call is not made or logged", async () => {
  const h = harness({
    script: [reply(description)],
    responders: [[
      /from private\.reserve_ai_call/,
      () => [{ refusal: "daily_budget_exhausted", retry_after_seconds: 3600 }],
    ]],
  });
  await assertRefusedBeforeModel(h, ["work-description", facts], {
    status: 429,
    code: "daily_budget_exhausted",
    retryAfter: "3600",
  });
});

Deno.test("a prompt that cannot fit the model's context is 413 before the model, not reserved", async () => {
  const h = harness({
    script: [reply({ skills: ["Go"] })],
    config: { ...testConfig, limits: { ...testConfig.limits, contextTokens: 1000 } },
  });
  await assertRefusedBeforeModel(h, ["skills", { description: "Go and PostgreSQL. ".repeat(200), context: "job" }], {
    status: 413,
    code: "prompt_too_large",
  });
  assert.equal(h.db.queries.filter((query) => query.text.includes("reserve_ai_call")).length, 0);
});

Deno.test("each call reserves its estimate and settles it with the real usage in the logging transaction", async () => {
  const h = harness({ script: [reply(description, 321, 54)] });
  const res = await h.call("work-description", facts);
  assert.equal(res.status, 200);
  const reserve = h.db.queries.find((query) => query.text.includes("private.reserve_ai_call"))!;
  const [id, estimate] = reserve.values as [string, number];
  assert.equal(id, admissionId);
  assert.ok(estimate > 400, "the estimate covers the prompt and the answer's max_tokens");
  const settle = h.db.queries.find((query) => query.text.includes("private.settle_ai_call"))!;
  assert.deepEqual(settle.values, [admissionId, estimate, 375]);
  assert.equal(settle.transaction, h.db.events()[0].transaction);
});

Deno.test("a success logs one ai_events row as the caller, in its own transaction", async () => {
  const h = harness({ script: [reply(description, 321, 54)] });
  const res = await h.call("work-description", facts);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, description);
  assert.match(res.headers.get("x-request-id") ?? "", uuidPattern);
  const events = h.db.events();
  assert.equal(events.length, 1);
  assert.deepEqual(events[0].values, [userId, null, "fake-provider", "fake-model", 321, 54, 25, "success", null]);
  const preamble = h.db.queries.find((q) => q.transaction === events[0].transaction);
  assert.match(preamble!.text, /set_config\('role'/);
  assert.deepEqual(preamble!.values.slice(0, 1), ["authenticated"]);
});

Deno.test("an unexpected database error is a bare 500 that echoes nothing", async () => {
  const h = harness({
    responders: [[/from private\.admit_ai_request/, () => new Error("relation ai_admissions at 10.1.1.1 is broken")]],
  });
  const res = await h.call("work-description", facts);
  assert.equal(res.status, 500);
  assert.equal(res.body.error.code, "internal_error");
  assert.doesNotMatch(JSON.stringify(res.body), /10\.1\.1\.1|relation/);
  assert.match(res.headers.get("x-request-id") ?? "", uuidPattern);
});

Deno.test("a database that cannot be reached is 503 database_unavailable with Retry-After, not a 500", async () => {
  const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
  const h = harness({ script: [reply(description)], responders: [[/from private\.admit_ai_request/, () => refused]] });
  const res = await h.call("work-description", facts);
  assert.equal(res.status, 503);
  assert.equal(res.body.error.code, "database_unavailable");
  assert.equal(res.headers.get("retry-after"), "5");
  assert.doesNotMatch(JSON.stringify(res.body), /127\.0\.0\.1|ECONNREFUSED/);
  assert.equal(h.requests.length, 0);
});
