// Answers as an event stream, through the real handler with fakes for the database, model
// and clock: when the stream begins, what its events are, and that the model call is
// booked exactly as a plain call's, also when the client goes away midway.
import assert from "node:assert/strict";
import { HttpError } from "../_shared/http.ts";
import { answerAsEventStream, wantsEventStream } from "./event-stream.ts";
import { type ChatResult, type CompletionOptions, LlmError } from "./llm.ts";
import { harness, parseEvents, reply, type Responder, sqlRefusal } from "./test-doubles.ts";

const streaming = { Accept: "text/event-stream" };
const input = { resumeData: { personalInfo: { firstName: "Ada", jobTitle: "Staff Engineer" }, skills: ["Rust"] } };
const summary = "I build payment systems in Rust.\nI want to lead a platform team.";

async function events(response: Response) {
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "text/event-stream; charset=utf-8");
  return parseEvents(await response.text());
}

const texts = (list: { event: string; data: { text?: string } }[]) =>
  list.filter((e) => e.event === "delta").map((e) => e.data.text).join("");

// A model call the test plays by hand: pieces go out when the test says so.
function handPlayedCall() {
  let options: CompletionOptions | undefined;
  let started = () => {};
  const begun = new Promise<void>((resolve) => (started = resolve));
  let finish: (result: ChatResult | Error) => void = () => {};
  const call = (given?: CompletionOptions) => {
    options = given;
    started();
    return new Promise<ChatResult>((resolve, reject) => {
      finish = (result) => result instanceof Error ? reject(result) : resolve(result);
    });
  };
  return {
    call,
    begun,
    piece: (text: string) => options!.onContent!(text),
    finish: (result: ChatResult | Error) => finish(result),
  };
}

Deno.test("Accept: text/event-stream is read as clients send it", () => {
  const accepts = (value: string) => wantsEventStream(new Request("http://x", { headers: { Accept: value } }));
  assert.equal(accepts("text/event-stream"), true);
  assert.equal(accepts("application/json, Text/Event-Stream;q=0.5"), true);
  assert.equal(accepts("text/event-stream;q=0"), false);
  assert.equal(accepts("application/json"), false);
  assert.equal(accepts("*/*"), false);
  assert.equal(wantsEventStream(new Request("http://x")), false);
});

Deno.test("the summary's text arrives as deltas, then the result event holds the plain call's answer", async () => {
  const script = () => [reply({ summary }, 321, 54)];
  const plain = await harness({ script: script() }).call("profile-summary", input);
  const h = harness({ script: script() });
  const list = await events(await h.send("profile-summary", input, streaming));
  assert.ok(list.filter((e) => e.event === "delta").length > 1, "the text came in several deltas");
  assert.equal(texts(list), summary);
  assert.deepEqual(list.at(-1), { event: "result", data: plain.body });
  assert.equal(list.filter((e) => e.event === "result" || e.event === "error").length, 1);
  const [event] = h.db.events();
  assert.deepEqual(event.values.slice(4, 8), [321, 54, 25, "success"]);
});

Deno.test("the first delta reaches the client while the model is still writing", async () => {
  const model = handPlayedCall();
  const h = harness({ script: [model.call] });
  const response = await h.send("profile-summary", input, streaming);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  await model.begun;
  model.piece('{"summary": "I build');
  const first = await reader.read();
  assert.deepEqual(parseEvents(first.value!), [{ event: "delta", data: { text: "I build" } }]);
  assert.equal(h.db.events().length, 0, "the call is recorded only once it has ended");
  model.piece(' payment systems. I lead."}');
  model.finish(reply({ summary: "I build payment systems. I lead." }));
  let rest = "";
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += chunk.value;
  assert.deepEqual(parseEvents(rest).map((e) => e.event), ["delta", "result"]);
  assert.equal(h.db.events().length, 1);
});

Deno.test("without the header, or for an action that streams nothing, the answer is plain JSON", async () => {
  const h = harness({ script: [reply({ summary })] });
  const plain = await h.send("profile-summary", input);
  assert.equal(plain.headers.get("content-type"), "application/json");
  assert.deepEqual(await plain.json(), { summary });
  const skills = harness({ script: [reply({ skills: ["Go"] })] });
  const structured = await skills.send(
    "skills",
    { description: "We build APIs in Go every day.", context: "job" },
    streaming,
  );
  assert.equal(structured.headers.get("content-type"), "application/json");
  assert.deepEqual(await structured.json(), { skills: ["Go"] });
});

Deno.test("refusals before the model call are the plain HTTP errors: 429 with Retry-After, 404, 422", async () => {
  const limited = harness({
    script: [reply({ summary })],
    responders: [[
      /from private\.admit_ai_request/,
      () => [{ admission_id: null, refusal: "rate_limited", retry_after_seconds: 20 }],
    ]],
  });
  const refused = await limited.call("profile-summary", input, { headers: streaming });
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get("retry-after"), "20");
  assert.equal(refused.body.error.code, "rate_limited");
  const missing = await harness().call(
    "profile-summary",
    { wizardSessionId: "22222222-2222-4222-8222-222222222222" },
    { headers: streaming },
  );
  assert.equal(missing.status, 404);
  const empty = await harness().call("profile-summary", { resumeData: { personalInfo: {} } }, { headers: streaming });
  assert.equal(empty.status, 422);
});

Deno.test("a repair turn is announced by a restart event; the result is the repaired answer", async () => {
  const h = harness({ script: [reply({ summary: "- a bullet\n- another" }), reply({ summary })] });
  const list = await events(await h.send("profile-summary", input, streaming));
  const restart = list.findIndex((e) => e.event === "restart");
  assert.deepEqual(list[restart], { event: "restart", data: { attempt: 2 } });
  assert.equal(texts(list.slice(0, restart)), "- a bullet\n- another");
  assert.equal(texts(list.slice(restart)), summary);
  assert.deepEqual(list.at(-1), { event: "result", data: { summary } });
  assert.deepEqual(h.db.events().map((e) => e.values[7]), ["error", "success"]);
});

Deno.test("a model failure after the stream began ends it with the plain call's status and body", async () => {
  const model = handPlayedCall();
  const h = harness({ script: [model.call] });
  const pending = h.send("profile-summary", input, streaming);
  await model.begun;
  model.piece('{"summary": "I bu');
  model.finish(new LlmError("rate_limited", "The model server is rate limiting us (HTTP 429).", 9));
  const list = await events(await pending);
  const plain = await harness({ script: [new LlmError("rate_limited", "HTTP 429", 9)] }).call("profile-summary", input);
  assert.equal(plain.status, 503);
  assert.deepEqual(list.at(-1), { event: "error", data: { status: 503, ...plain.body, retryAfter: 9 } });
  assert.deepEqual(h.db.events().map((e) => e.values[7]), ["error"]);
});

Deno.test("errors after the stream began map as the pipeline maps them: SQL refusals typed, the unexpected generic", async () => {
  const failures: Responder[] = [
    [/insert into public\.ai_events/, () => sqlRefusal("quota reached", "23514")],
    [/insert into public\.ai_events/, () => new Error("disk at 10.0.0.9 is full")],
  ];
  const logged: string[] = [];
  const log = console.error;
  console.error = (line: string) => logged.push(line);
  try {
    for (const failure of failures) {
      const plain = await harness({ script: [reply({ summary })], responders: [failure] }).call(
        "profile-summary",
        input,
      );
      const list = await events(
        await harness({ script: [reply({ summary })], responders: [failure] }).send(
          "profile-summary",
          input,
          streaming,
        ),
      );
      assert.deepEqual(list.at(-1), { event: "error", data: { status: plain.status, ...plain.body } });
    }
  } finally {
    console.error = log;
  }
  assert.equal(logged.length, 2, "one log line for each 500, the plain call's and the stream's");
  assert.doesNotMatch(logged.join(""), /quota reached/);
});

Deno.test("a client that goes away midway: the answer is read to its end and booked once, with its usage", async () => {
  const model = handPlayedCall();
  const h = harness({ script: [model.call] });
  const response = await h.send("profile-summary", input, streaming);
  const reader = response.body!.getReader();
  await model.begun;
  model.piece('{"summary": "I build');
  await reader.read();
  await reader.cancel();
  model.piece(' payment systems. I lead."}');
  model.finish(reply({ summary: "I build payment systems. I lead." }, 400, 60));
  for (let waited = 0; h.db.events().length === 0 && waited < 100; waited++) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const booked = h.db.events();
  assert.equal(booked.length, 1);
  assert.deepEqual(booked[0].values.slice(4, 8), [400, 60, 25, "success"]);
  const settle = h.db.queries.find((query) => query.text.includes("private.settle_ai_call"))!;
  assert.equal(settle.values[2], 460);
  assert.equal(settle.transaction, booked[0].transaction);
});

Deno.test("a comment line keeps a quiet stream alive while the model thinks", async () => {
  let release = () => {};
  const slowWork = new Promise<void>((resolve) => (release = resolve));
  const response = await answerAsEventStream(
    async (sink) => {
      sink.begin(1);
      await slowWork;
      return { done: true };
    },
    () => new HttpError(500, "internal_error", "x"),
    { heartbeatMs: 5 },
  );
  setTimeout(release, 40);
  const text = await response.text();
  assert.match(text, /^: keep-alive\n\n/m);
  assert.deepEqual(parseEvents(text), [{ event: "result", data: { done: true } }]);
});
