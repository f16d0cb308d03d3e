// The model client: request shape, typed errors, no retries, timeout, validation and repair.
import assert from "node:assert/strict";
import OpenAI from "openai";
import { z } from "zod";
import {
  type ChatModel,
  createOpenAiChatModel,
  generateJson,
  LlmError,
  type ModelCall,
  readLlmConfig,
  toLlmError,
  UnfaithfulAnswerError,
  validateAnswer,
} from "./llm.ts";

const env = (vars: Record<string, string>) => ({ get: (name: string) => vars[name] });
const answer = z.object({ title: z.string().min(1) });

Deno.test("config: defaults and overrides from the environment", () => {
  assert.deepEqual(readLlmConfig(env({})), {
    apiKey: undefined,
    baseURL: undefined,
    model: "gpt-4o-mini",
    provider: "openai",
    timeoutMs: 30_000,
  });
  const custom = readLlmConfig(env({
    OPENAI_API_KEY: "k",
    OPENAI_BASE_URL: "http://127.0.0.1:11434/v1",
    AI_MODEL: "llama3.1",
    AI_PROVIDER: "ollama",
    AI_TIMEOUT_MS: "5000",
  }));
  assert.equal(custom.model, "llama3.1");
  assert.equal(custom.provider, "ollama");
  assert.equal(custom.timeoutMs, 5000);
  assert.equal(readLlmConfig(env({ AI_TIMEOUT_MS: "soon" })).timeoutMs, 30_000);
});

Deno.test("no API key: no client at all", () => {
  assert.equal(createOpenAiChatModel(readLlmConfig(env({}))), null);
});

function recordingFetch(respond: (init: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; body: Record<string, unknown>; headers: Headers }[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(input), body: JSON.parse(String(init?.body)), headers: new Headers(init?.headers) });
    return await respond(init ?? {});
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const completion = (content: string) =>
  new Response(
    JSON.stringify({
      id: "c1",
      object: "chat.completion",
      created: 0,
      model: "m",
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
      usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
    }),
    { status: 200, headers: { "content-type": "application/json" } },
  );

const config = {
  apiKey: "sk-test-secret",
  baseURL: "http://model.local/v1",
  model: "gpt-4o-mini",
  provider: "openai",
  timeoutMs: 200,
};

Deno.test("openai client: JSON schema response format from zod, the key as bearer, usage read back", async () => {
  const { fetch, calls } = recordingFetch(() => completion('{"title":"x"}'));
  const model = createOpenAiChatModel(config, fetch)!;
  const result = await model.complete({
    messages: [{ role: "user", content: "hi" }],
    schemaName: "thing",
    jsonSchema: { type: "object", properties: { title: { type: "string" } } },
    maxTokens: 50,
  });
  assert.deepEqual(result, { content: '{"title":"x"}', inputTokens: 11, outputTokens: 7 });
  assert.equal(calls.length, 1);
  assert.equal(calls[0].url, "http://model.local/v1/chat/completions");
  assert.equal(calls[0].headers.get("authorization"), "Bearer sk-test-secret");
  assert.equal(calls[0].body.model, "gpt-4o-mini");
  assert.deepEqual(calls[0].body.response_format, {
    type: "json_schema",
    json_schema: {
      name: "thing",
      schema: { type: "object", properties: { title: { type: "string" } } },
      strict: false,
    },
  });
});

Deno.test("openai client: a 429 is rate_limited with Retry-After, and is not retried", async () => {
  const { fetch, calls } = recordingFetch(() =>
    new Response(JSON.stringify({ error: { message: "slow down, sk-test-secret" } }), {
      status: 429,
      headers: { "content-type": "application/json", "retry-after": "12" },
    })
  );
  const model = createOpenAiChatModel(config, fetch)!;
  const error = await model.complete({ messages: [], schemaName: "t", jsonSchema: {} }).catch((e) => e);
  assert.ok(error instanceof LlmError);
  assert.equal(error.kind, "rate_limited");
  assert.equal(error.retryAfterSeconds, 12);
  assert.doesNotMatch(error.message, /sk-test-secret|slow down/);
  assert.equal(calls.length, 1);
});

Deno.test("openai client: a 500 is an upstream error that does not copy the body", async () => {
  const { fetch, calls } = recordingFetch(() =>
    new Response('{"error":{"message":"prompt was: secret"}}', { status: 500 })
  );
  const error = await createOpenAiChatModel(config, fetch)!.complete({ messages: [], schemaName: "t", jsonSchema: {} })
    .catch((e) => e);
  assert.equal(error.kind, "upstream");
  assert.equal(error.message, "The model server answered HTTP 500.");
  assert.equal(calls.length, 1);
});

Deno.test("openai client: no answer within the timeout is a timeout error", async () => {
  const { fetch } = recordingFetch((init) =>
    new Promise<Response>((_, reject) => {
      init.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
    })
  );
  const started = Date.now();
  const error = await createOpenAiChatModel(config, fetch)!.complete({ messages: [], schemaName: "t", jsonSchema: {} })
    .catch((e) => e);
  assert.equal(error.kind, "timeout");
  assert.match(error.message, /within 200 ms/);
  assert.ok(Date.now() - started < 5_000);
});

// A streamed completion as OpenAI sends it: one SSE event per chunk, then [DONE]; each
// event after `pauseMs`. Like a real fetch, the body ends with an AbortError on abort.
function eventStream(chunks: unknown[], init: RequestInit, pauseMs = 0) {
  const encoder = new TextEncoder();
  const events = [...chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`), "data: [DONE]\n\n"];
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (pauseMs) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      if (init.signal?.aborted) return controller.error(new DOMException("aborted", "AbortError"));
      const next = events.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(encoder.encode(next));
    },
  });
  return new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });
}

const chunk = (content: string | null, finish: string | null = null) => ({
  id: "c1",
  object: "chat.completion.chunk",
  created: 0,
  model: "m",
  choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }],
});
const usageChunk = {
  id: "c1",
  object: "chat.completion.chunk",
  created: 0,
  model: "m",
  choices: [],
  usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
};
const ask = { messages: [{ role: "user" as const, content: "hi" }], schemaName: "t", jsonSchema: {} };

Deno.test("openai client, streamed: asks for usage, hands out each piece, returns the whole answer with its usage", async () => {
  const { fetch, calls } = recordingFetch((init) =>
    eventStream([chunk('{"title"'), chunk(':"x"}'), chunk(null, "stop"), usageChunk], init)
  );
  const pieces: string[] = [];
  const result = await createOpenAiChatModel(config, fetch)!.complete(ask, {
    onContent: (piece) => pieces.push(piece),
  });
  assert.deepEqual(pieces, ['{"title"', ':"x"}']);
  assert.deepEqual(result, { content: '{"title":"x"}', inputTokens: 11, outputTokens: 7 });
  assert.equal(calls[0].body.stream, true);
  assert.deepEqual(calls[0].body.stream_options, { include_usage: true });
  assert.equal((calls[0].body.response_format as { type: string }).type, "json_schema");
});

Deno.test("openai client, streamed: a server that answers at once instead is one piece, the same result", async () => {
  const { fetch } = recordingFetch(() => completion('{"title":"x"}'));
  const pieces: string[] = [];
  const result = await createOpenAiChatModel(config, fetch)!.complete(ask, {
    onContent: (piece) => pieces.push(piece),
  });
  assert.deepEqual(pieces, ['{"title":"x"}']);
  assert.deepEqual(result, { content: '{"title":"x"}', inputTokens: 11, outputTokens: 7 });
});

Deno.test("openai client, streamed: a stream that stops before its end, or an HTML page, is an upstream error", async () => {
  const cut = recordingFetch((init) => eventStream([chunk('{"title"')], init));
  const stopped = await createOpenAiChatModel(config, cut.fetch)!.complete(ask, { onContent: () => {} }).catch((e) =>
    e
  );
  assert.equal(stopped.kind, "upstream");
  assert.match(stopped.message, /ended the stream before the answer was complete/);
  const html = recordingFetch(() => new Response("<html>502</html>", { headers: { "content-type": "text/html" } }));
  const page = await createOpenAiChatModel(config, html.fetch)!.complete(ask, { onContent: () => {} }).catch((e) => e);
  assert.equal(page.kind, "upstream");
  assert.match(page.message, /not a chat completion/);
});

Deno.test("openai client, streamed: an answer still trickling in at the timeout is a timeout error", async () => {
  const pieces = Array.from({ length: 100 }, () => chunk("x"));
  const { fetch } = recordingFetch((init) => eventStream(pieces, init, 20));
  const started = Date.now();
  const error = await createOpenAiChatModel(config, fetch)!.complete(ask, { onContent: () => {} }).catch((e) => e);
  assert.ok(error instanceof LlmError);
  assert.equal(error.kind, "timeout");
  assert.match(error.message, /within 200 ms/);
  assert.ok(Date.now() - started < 1_500, "given up at the timeout, not after the whole answer");
});

Deno.test("error mapping covers connection failures and unknown throws", () => {
  assert.equal(toLlmError(new OpenAI.APIConnectionError({ message: "refused" }), 1).kind, "upstream");
  assert.equal(toLlmError(new OpenAI.APIConnectionTimeoutError(), 1).kind, "timeout");
  assert.equal(toLlmError(new Error("boom"), 1).kind, "upstream");
  assert.equal(toLlmError(new Error("boom"), 1).message, "The model call failed (Error).");
});

function scripted(...answers: (string | Error)[]) {
  const records: ModelCall[] = [];
  let tick = 0;
  const model: ChatModel = {
    provider: "p",
    model: "m",
    complete: () => {
      const next = answers.shift()!;
      if (next instanceof Error) return Promise.reject(next);
      return Promise.resolve({ content: next, inputTokens: 3, outputTokens: 4 });
    },
  };
  const clock = { now: () => new Date(tick += 10) };
  const ledger = {
    reserve: () => Promise.resolve({ record: (r: ModelCall) => Promise.resolve(void records.push(r)) }),
  };
  const deps = { model, clock, ledger };
  return { deps, records };
}

const request = { schemaName: "t", system: "sys", user: "usr", answer };

Deno.test("generateJson: a valid answer is one success record with usage and latency", async () => {
  const { deps, records } = scripted('{"title":"ok","extra":1}');
  assert.deepEqual(await generateJson(deps, request), { title: "ok" });
  assert.deepEqual(records, [{
    provider: "p",
    model: "m",
    inputTokens: 3,
    outputTokens: 4,
    latencyMs: 10,
    error: null,
  }]);
});

Deno.test("generateJson: one repair; two bad answers are invalid_answer with two error records", async () => {
  const { deps, records } = scripted("nope", '{"title":""}');
  const error = await generateJson(deps, request).catch((e) => e);
  assert.ok(error instanceof LlmError);
  assert.equal(error.kind, "invalid_answer");
  assert.ok(records.every((r) => r.error !== null), "both calls are reported as failed");
  assert.equal(records[0].error, "Invalid answer: not valid JSON");
  assert.match(records[1].error!, /^Invalid answer: title: /);
});

Deno.test("generateJson: a check's problems get the one repair; twice unfaithful is an UnfaithfulAnswerError", async () => {
  const { deps, records } = scripted('{"title":"Invented"}', '{"title":"Invented again"}');
  const check = (value: { title: string }) => value.title.startsWith("Invented") ? ["title: invents a fact"] : [];
  const error = await generateJson(deps, { ...request, check }).catch((e) => e);
  assert.ok(error instanceof UnfaithfulAnswerError);
  assert.equal(error.kind, "invalid_answer");
  assert.deepEqual(error.problems, ["title: invents a fact"]);
  assert.deepEqual(records.map((r) => r.error), [
    "Unfaithful answer: title: invents a fact",
    "Unfaithful answer: title: invents a fact",
  ]);
});

Deno.test("generateJson: a faithful repair after an unfaithful answer succeeds", async () => {
  const { deps, records } = scripted('{"title":"Invented"}', '{"title":"Kept"}');
  const check = (value: { title: string }) => value.title.startsWith("Invented") ? ["title: invents a fact"] : [];
  assert.deepEqual(await generateJson(deps, { ...request, check }), { title: "Kept" });
  assert.deepEqual(records.map((r) => r.error), ["Unfaithful answer: title: invents a fact", null]);
});

Deno.test("generateJson: a thrown model error is recorded once and rethrown typed", async () => {
  const { deps, records } = scripted(new LlmError("timeout", "The model did not answer within 5 ms."));
  const error = await generateJson(deps, request).catch((e) => e);
  assert.equal(error.kind, "timeout");
  assert.equal(records.length, 1);
  assert.equal(records[0].inputTokens, null);
  assert.equal(records[0].error, "The model did not answer within 5 ms.");
});

Deno.test("validateAnswer: code fences are tolerated, values are never quoted in problems", () => {
  assert.deepEqual(validateAnswer('```json\n{"title":"a"}\n```', answer), { ok: true, value: { title: "a" } });
  const bad = validateAnswer('{"title": 12345678}', answer);
  assert.equal(bad.ok, false);
  assert.doesNotMatch(JSON.stringify(bad), /12345678/);
  assert.deepEqual(validateAnswer(null, answer), { ok: false, problem: "empty answer" });
});
