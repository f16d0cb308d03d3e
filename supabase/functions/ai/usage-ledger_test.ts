// The usage ledger with a fake database: each booking settles exactly the estimate it
// reserved, in the transaction of its ai_events row, and only once.
import assert from "node:assert/strict";
import { admitRequest, estimateTokens, maxPromptTokens, usedTokens } from "./usage-ledger.ts";
import { admissionId, admitEverything, claims, fakeDatabase, testConfig } from "./test-doubles.ts";

const call = (inputTokens: number | null, outputTokens: number | null) => ({
  provider: "p",
  model: "m",
  inputTokens,
  outputTokens,
  latencyMs: 5,
  error: null,
});
const ask = (text: string, maxTokens: number) => ({
  messages: [{ role: "user" as const, content: text }],
  schemaName: "t",
  jsonSchema: {},
  maxTokens,
});

Deno.test("each booking settles its own estimate, whatever order the calls end in", async () => {
  const db = fakeDatabase(admitEverything);
  const admission = await admitRequest(db.sql, claims, "cover-letter", testConfig.limits);
  const ledger = admission.calls(null);
  const first = await ledger.reserve(ask("short", 100));
  const second = await ledger.reserve(ask("a much longer prompt ".repeat(20), 900));
  await second.record(call(50, 10));
  await first.record(call(null, null));
  const settles = db.queries.filter((query) => query.text.includes("private.settle_ai_call"));
  const reserves = db.queries.filter((query) => query.text.includes("private.reserve_ai_call"));
  assert.deepEqual(settles.map((query) => query.values), [
    [admissionId, reserves[1].values[1], 60],
    [admissionId, reserves[0].values[1], null],
  ]);
  const inserts = db.events();
  assert.deepEqual(settles.map((query) => query.transaction), inserts.map((query) => query.transaction));
});

Deno.test("a booking cannot be recorded twice: an estimate is never released twice", async () => {
  const db = fakeDatabase(admitEverything);
  const ledger = (await admitRequest(db.sql, claims, "skills", testConfig.limits)).calls("s1");
  const booking = await ledger.reserve(ask("hello", 10));
  await booking.record(call(1, 1));
  await assert.rejects(booking.record(call(1, 1)), /already recorded/);
  assert.equal(db.events().length, 1);
  assert.equal(db.events()[0].values[1], "s1");
});

Deno.test("estimates: prompt bytes / 3 plus 16 per message; usage is null only when the model reported none", () => {
  assert.equal(estimateTokens({ messages: [{ role: "user", content: "x".repeat(300) }] }), Math.ceil(316 / 3));
  assert.equal(usedTokens({ input_tokens: null, output_tokens: null }), null);
  assert.equal(usedTokens({ input_tokens: 7, output_tokens: null }), 7);
});

Deno.test("the budget holds the most a call can cost: one token per prompt byte plus the answer's max_tokens", async () => {
  const db = fakeDatabase(admitEverything);
  const ledger = (await admitRequest(db.sql, claims, "skills", testConfig.limits)).calls(null);
  // Text that tokenizes at about one token per byte (a rare script, a random string).
  const prompt = "\u{10A00}\u{16A0}q7Zx".repeat(50);
  const bytes = new TextEncoder().encode(prompt).byteLength;
  await ledger.reserve(ask(prompt, 200));
  const reserved = db.queries.find((query) => query.text.includes("private.reserve_ai_call"))!.values[1];
  assert.equal(maxPromptTokens(ask(prompt, 200)), bytes + 16);
  assert.equal(reserved, bytes + 16 + 200);
  // The context check still uses the typical cost, so real resumes keep fitting.
  assert.ok(estimateTokens(ask(prompt, 200)) < bytes / 2);
});
