// The handler's guards, their order, and how every failure maps to a status, with the
// real actions and fakes for the database, model, clock and token check.
import assert from "node:assert/strict";
import { readBodyText } from "../_shared/http.ts";
import { LlmError } from "./llm.ts";
import { admissionId, harness, reply, testConfig, userId } from "./test-doubles.ts";

const facts = { job_title: "Engineer", company: "Acme", what_did_you_do: "Built the billing service." };
const description = { description: "Built the billing service at Acme." };
const uuidPattern = /^[0-9a-f-]{36}$/;

Deno.test("OPTIONS preflight answers with CORS headers and a request id, without auth", async () => {
  const h = harness();
  const res = await h.call("work-description", undefined, { method: "OPTIONS", token: null });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("access-control-allow-origin"), "*");
  assert.match(res.headers.get("x-request-id") ?? "", uuidPattern);
  assert.equal(h.databaseOpened(), 0);
});

Deno.test("a method other than POST is 405 before the token is even looked at", async () => {
  const h = harness();
  const res = await h.call("work-description", undefined, { method: "GET", token: null });
  assert.equal(res.status, 405);
  assert.equal(res.body.error.code, "method_not_allowed");
  assert.equal(res.headers.get("allow"), "POST, OPTIONS");
});

Deno.test("a bad token is 401 even when the body is also malformed and oversized", async () => {
  const h = harness();
  const res = await h.call("work-description", undefined, { token: "Bearer forged", raw: "{".repeat(70_000) });
  assert.equal(res.status, 401);
  assert.equal(res.body.error.code, "unauthorized");
  assert.equal(typeof res.body.detail, "string");
  assert.match(res.headers.get("x-request-id") ?? "", uuidPattern);
  assert.equal(h.databaseOpened(), 0);
});

Deno.test("a missing token is 401", async () => {
  const res = await harness().call("work-description", facts, { token: null });
  assert.equal(res.status, 401);
});

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

Deno.test("a body over 64 KB is 413 before it is parsed", async () => {
  const h = harness({ script: [reply(description)] });
  const res = await h.call("work-description", undefined, { raw: "{" + " ".repeat(65 * 1024) });
  assert.equal(res.status, 413);
  assert.equal(h.requests.length, 0);
});

Deno.test("a chunked body without Content-Length is still cut off at the limit", async () => {
  const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ < 10) controller.enqueue(chunk);
      else controller.close();
    },
  });
  await assert.rejects(
    readBodyText(new Request("http://x/ai/skills", { method: "POST", body: stream }), 64 * 1024),
    (error: { status?: number }) => error.status === 413,
  );
  assert.ok(sent < 10, "reading stopped before the whole stream was pulled");
});

Deno.test("parse-job accepts html bodies past 64 KB but not past 512 KB", async () => {
  const posting = {
    job_title: "Engineer",
    company: "Acme",
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
  const h = harness({ script: [reply(posting)] });
  const fits = await h.call("parse-job", {
    html: `<p>Engineer at Acme, building billing.</p>${"<b>x</b>".repeat(30_000)}`,
  });
  assert.equal(fits.status, 200, JSON.stringify(fits.body));
  const tooBig = await h.call("parse-job", { html: "x".repeat(513 * 1024) });
  assert.equal(tooBig.status, 413);
  assert.equal(h.requests.length, 1);
});

Deno.test("malformed JSON is 400", async () => {
  const res = await harness().call("work-description", undefined, { raw: '{"job_title": ' });
  assert.equal(res.status, 400);
  assert.equal(res.body.error.code, "invalid_json");
});

Deno.test("invalid UTF-8 is 400", async () => {
  await assert.rejects(
    readBodyText(new Request("http://x", { method: "POST", body: new Uint8Array([0x7b, 0xff, 0xfe]) }), 1024),
    (error: { status?: number }) => error.status === 400,
  );
});

Deno.test("a schema-invalid body is 422 naming the field, and nothing is touched", async () => {
  const h = harness();
  const res = await h.call("work-description", { ...facts, job_title: 5 });
  assert.equal(res.status, 422);
  assert.match(res.body.detail, /job_title/);
  assert.equal(h.databaseOpened(), 0);
  assert.equal(h.requests.length, 0);
});

Deno.test("a JSON array or string body is 422, not a crash", async () => {
  const h = harness();
  assert.equal((await h.call("skills", [1, 2])).status, 422);
  assert.equal((await h.call("skills", "text")).status, 422);
  assert.equal((await h.call("skills", null)).status, 422);
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
  const res = await h.call("work-description", facts);
  assert.equal(res.status, 429);
  assert.equal(res.body.error.code, "rate_limited");
  assert.equal(res.headers.get("retry-after"), "20");
  assert.equal(h.requests.length, 0);
  assert.equal(h.db.events().length, 0);
  const admit = h.db.queries.find((query) => query.text.includes("private.admit_ai_request"))!;
  assert.deepEqual(admit.values, ["work-description", 30, 1_000_000]);
});

Deno.test("a caller whose account is gone is 401 before the model", async () => {
  const h = harness({
    script: [reply(description)],
    responders: [[/from private\.admit_ai_request/, () => [{ admission_id: null, refusal: "unknown_user" }]]],
  });
  const res = await h.call("work-description", facts);
  assert.equal(res.status, 401);
  assert.equal(res.body.error.code, "unauthorized");
  assert.equal(h.requests.length, 0);
});

Deno.test("a spent budget on the call's reservation is 429, the call is not made or logged", async () => {
  const h = harness({
    script: [reply(description)],
    responders: [[
      /from private\.reserve_ai_call/,
      () => [{ refusal: "daily_budget_exhausted", retry_after_seconds: 3600 }],
    ]],
  });
  const res = await h.call("work-description", facts);
  assert.equal(res.status, 429);
  assert.equal(res.body.error.code, "daily_budget_exhausted");
  assert.equal(res.headers.get("retry-after"), "3600");
  assert.equal(h.requests.length, 0);
  assert.equal(h.db.events().length, 0);
});

Deno.test("a prompt that cannot fit the model's context is 413 before the model, not reserved", async () => {
  const h = harness({
    script: [reply({ skills: ["Go"] })],
    config: { ...testConfig, limits: { ...testConfig.limits, contextTokens: 1000 } },
  });
  const res = await h.call("skills", { description: "Go and PostgreSQL. ".repeat(200), context: "job" });
  assert.equal(res.status, 413);
  assert.equal(res.body.error.code, "prompt_too_large");
  assert.equal(h.requests.length, 0);
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

const failures: [string, Error, number, string][] = [
  ["timeout", new LlmError("timeout", "The model did not answer within 30000 ms."), 504, "model_timeout"],
  [
    "upstream 429",
    new LlmError("rate_limited", "The model server is rate limiting us (HTTP 429).", 9),
    503,
    "model_busy",
  ],
  ["upstream 500", new LlmError("upstream", "The model server answered HTTP 500."), 502, "model_error"],
  ["a non-SDK exception", new TypeError("socket hang up at 10.0.0.3 with key sk-secret"), 502, "model_error"],
];
for (const [name, error, status, code] of failures) {
  Deno.test(`model failure (${name}) → ${status} ${code}, one error row, generic body`, async () => {
    const h = harness({ script: [error] });
    const res = await h.call("work-description", facts);
    assert.equal(res.status, status);
    assert.equal(res.body.error.code, code);
    assert.doesNotMatch(JSON.stringify(res.body), /sk-secret|10\.0\.0\.3|HTTP 500|30000/);
    const events = h.db.events();
    assert.equal(events.length, 1);
    assert.equal(events[0].values[7], "error");
    assert.doesNotMatch(String(events[0].values[8]), /sk-secret|Billing|billing service/);
    if (code === "model_busy") assert.equal(res.headers.get("retry-after"), "9");
  });
}

Deno.test("an answer still invalid after the repair is 502, with one error row per call", async () => {
  const h = harness({ script: [reply("not json at all"), reply({ description: "" })] });
  const res = await h.call("work-description", facts);
  assert.equal(res.status, 502);
  assert.equal(res.body.error.code, "invalid_model_answer");
  const events = h.db.events();
  assert.deepEqual(events.map((e) => e.values[7]), ["error", "error"]);
  assert.match(String(events[0].values[8]), /not valid JSON/);
  assert.match(String(events[1].values[8]), /description/);
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
