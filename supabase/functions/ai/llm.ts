// The one language-model client: the openai SDK against any OpenAI-compatible server,
// configured from the environment. Answers are requested as JSON against a schema
// derived from a zod schema, validated with that same schema, and an invalid answer
// gets exactly one repair attempt. Every call is booked in the caller's ledger
// (usage-ledger.ts: reserved before it, recorded with its usage, latency and outcome
// after it), whether it succeeded or not. A call may be streamed: the answer's text
// then reaches a sink as it is written, and is validated exactly as a whole answer.
import OpenAI from "openai";
import { z } from "zod";
import type { Clock } from "../_shared/clock.ts";
import { describeIssues } from "../_shared/http.ts";
import type { Env } from "../_shared/env.ts";
import { AnswerTextReader } from "./answer-text.ts";

export interface LlmConfig {
  apiKey?: string;
  baseURL?: string;
  model: string;
  provider: string;
  timeoutMs: number;
}

export function readLlmConfig(env: Env): LlmConfig {
  const timeout = Number(env.get("AI_TIMEOUT_MS") ?? "");
  return {
    apiKey: env.get("OPENAI_API_KEY") || undefined,
    baseURL: env.get("OPENAI_BASE_URL") || undefined,
    model: env.get("AI_MODEL") || "gpt-4o-mini",
    provider: env.get("AI_PROVIDER") || "openai",
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : 30_000,
  };
}

export type LlmErrorKind = "not_configured" | "timeout" | "rate_limited" | "upstream" | "invalid_answer";

// `message` is safe to store in ai_events: it never holds a prompt, an answer body or a key.
export class LlmError extends Error {
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "LlmError";
  }
}

// The answer passed the schema but its check (JsonGeneration.check) found invented facts,
// also after the repair turn. `problems` name rules and paths, never the text.
export class UnfaithfulAnswerError extends LlmError {
  constructor(readonly problems: string[]) {
    super("invalid_answer", `Unfaithful answer after a repair attempt: ${problems.slice(0, 5).join("; ")}`);
    this.name = "UnfaithfulAnswerError";
  }
}

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  schemaName: string;
  jsonSchema: Record<string, unknown>;
  maxTokens?: number;
}

export interface ChatResult {
  content: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
}

export interface CompletionOptions {
  // Given: the answer is streamed, and each piece of its content is passed here as it
  // arrives. The result is the same whole answer, with the usage the server reported.
  onContent?: (piece: string) => void;
}

// What the handler depends on; tests inject a scripted fake.
export interface ChatModel {
  provider: string;
  model: string;
  complete(request: ChatRequest, options?: CompletionOptions): Promise<ChatResult>;
}

// `fetch` is injectable so tests can see the exact request without a network.
export function createOpenAiChatModel(config: LlmConfig, fetch?: typeof globalThis.fetch): ChatModel | null {
  if (!config.apiKey) return null;
  const apiKey = config.apiKey;
  // Retries are off: a retry is a second model call that would need its own ai_events row,
  // and the caller (the app) already retries on 429/503 with Retry-After.
  const client = new OpenAI({ apiKey, baseURL: config.baseURL, timeout: config.timeoutMs, maxRetries: 0, fetch });
  return {
    provider: config.provider,
    model: config.model,
    async complete(request, options) {
      const body = {
        model: config.model,
        messages: request.messages,
        max_completion_tokens: request.maxTokens,
        response_format: {
          type: "json_schema" as const,
          json_schema: { name: request.schemaName, schema: request.jsonSchema, strict: false },
        },
      };
      try {
        if (options?.onContent) return await streamCompletion(client, body, options.onContent, config.timeoutMs);
        return readCompletion(await client.chat.completions.create(body));
      } catch (error) {
        throw redact(toLlmError(error, config.timeoutMs), apiKey);
      }
    },
  };
}

type CompletionBody = Omit<OpenAI.ChatCompletionCreateParamsNonStreaming, "stream">;

// A 200 that is not a chat completion (a proxy's HTML page, another API's JSON) is the
// server failing, not the model answering badly: no repair turn for it.
function readCompletion(completion: unknown): ChatResult {
  const answer = completion as OpenAI.ChatCompletion | null;
  if (!answer || typeof answer !== "object" || !Array.isArray(answer.choices)) {
    throw new LlmError("upstream", "The model server answered HTTP 200 with something that is not a chat completion.");
  }
  return {
    content: answer.choices[0]?.message?.content ?? null,
    inputTokens: answer.usage?.prompt_tokens ?? null,
    outputTokens: answer.usage?.completion_tokens ?? null,
  };
}

// The same request with stream: true; usage comes in the last chunk (include_usage).
// The SDK's timeout ends when the response headers arrive, and an answer sent at once
// arrives whole with them; a streamed answer must likewise be whole within the timeout,
// so a server that trickles or stalls is given up on as one that never answers.
async function streamCompletion(
  client: OpenAI,
  body: CompletionBody,
  onContent: (piece: string) => void,
  timeoutMs: number,
): Promise<ChatResult> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  const timedOut = () => new LlmError("timeout", `The model did not answer within ${timeoutMs} ms.`);
  try {
    const { data: stream, response } = await client.chat.completions
      .create({ ...body, stream: true, stream_options: { include_usage: true } }, { signal: deadline.signal })
      .withResponse();
    const type = response.headers.get("content-type") ?? "";
    // A server that does not stream answers with the whole completion: one piece.
    if (type.startsWith("application/json")) {
      const result = readCompletion(await response.json());
      if (result.content) onContent(result.content);
      return result;
    }
    if (!type.startsWith("text/event-stream")) {
      throw new LlmError(
        "upstream",
        "The model server answered HTTP 200 with something that is not a chat completion.",
      );
    }
    const pieces: string[] = [];
    let finished = false;
    let usage: OpenAI.CompletionUsage | undefined;
    // The SDK ends the iteration quietly when the request is aborted, hence the checks after it.
    for await (const chunk of stream) {
      const choice = chunk?.choices?.[0];
      const piece = choice?.delta?.content;
      if (typeof piece === "string" && piece !== "") {
        pieces.push(piece);
        onContent(piece);
      }
      if (choice?.finish_reason) finished = true;
      if (chunk?.usage) usage = chunk.usage;
    }
    if (deadline.signal.aborted) throw timedOut();
    if (!finished) throw new LlmError("upstream", "The model server ended the stream before the answer was complete.");
    const content = pieces.join("");
    return {
      content: content === "" ? null : content,
      inputTokens: usage?.prompt_tokens ?? null,
      outputTokens: usage?.completion_tokens ?? null,
    };
  } catch (error) {
    if (deadline.signal.aborted) throw timedOut();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

// Maps SDK failures to the typed errors. Messages name the category and status only:
// an upstream error body may quote the prompt, so it is never copied.
export function toLlmError(error: unknown, timeoutMs: number): LlmError {
  if (error instanceof LlmError) return error;
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new LlmError("timeout", `The model did not answer within ${timeoutMs} ms.`);
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return new LlmError("upstream", "Could not connect to the model server.");
  }
  if (error instanceof OpenAI.APIError) {
    const status = error.status;
    if (status === 429) {
      return new LlmError(
        "rate_limited",
        "The model server is rate limiting us (HTTP 429).",
        retryAfter(error.headers),
      );
    }
    return new LlmError("upstream", `The model server answered HTTP ${status ?? "error"}.`);
  }
  return new LlmError("upstream", `The model call failed (${(error as Error)?.name ?? "unknown error"}).`);
}

function retryAfter(headers: Headers | undefined): number | undefined {
  const value = Number(headers?.get("retry-after"));
  return Number.isFinite(value) && value > 0 ? Math.ceil(value) : undefined;
}

function redact(error: LlmError, secret: string): LlmError {
  if (!secret || !error.message.includes(secret)) return error;
  return new LlmError(error.kind, error.message.replaceAll(secret, "[redacted]"), error.retryAfterSeconds);
}

// The JSON schema sent to the model. `$schema` is dropped because some
// OpenAI-compatible servers reject unknown top-level keywords.
export function answerJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  return rest;
}

// What happened in one model call; the usage ledger makes the ai_events row of it.
export interface ModelCall {
  provider: string;
  model: string;
  inputTokens: number | null;
  outputTokens: number | null;
  latencyMs: number;
  // null on success; otherwise safe to store (no prompt, answer body or key).
  error: string | null;
}

// Where model calls are booked (usage-ledger.ts in the function, a list in tests).
// reserve gets exactly what will be sent and may refuse it by throwing (the prompt-size
// check, the token reservation): a refused call is not made and not recorded. A call
// that was made is recorded once, after it ended, whether it succeeded or not.
export interface CallLedger {
  reserve(request: ChatRequest): Promise<CallBooking>;
}

export interface CallBooking {
  record(call: ModelCall): Promise<void>;
}

type TextField<T> = { [K in keyof T]: T[K] extends string ? K : never }[keyof T] & string;

export interface JsonGeneration<T> {
  schemaName: string;
  system: string;
  user: string;
  answer: z.ZodType<T>;
  // A check beyond the schema: the facts the answer must not invent. Its problems get the
  // same one repair turn; twice unfaithful is an UnfaithfulAnswerError.
  check?: (answer: T) => string[];
  maxTokens?: number;
  // The answer's free text (a letter, a summary): what a client reading the answer as it
  // is written sees arrive. Generations without one are never streamed.
  streamField?: TextField<T>;
}

// A streamed generation's text, as it is written (the handler's event stream).
export interface AnswerTextSink {
  // A model call starts; attempt 2 is the repair turn, whose text replaces attempt 1's.
  begin(attempt: number): void;
  text(piece: string): void;
}

export interface GenerationDeps {
  model: ChatModel;
  clock: Clock;
  ledger: CallLedger;
  // Set when the client reads the answer as it is written.
  sink?: AnswerTextSink;
}

// Asks for a JSON answer, validates it, and repairs once. Each model call is recorded
// exactly once in the ledger before this function returns or throws. A streamed call
// differs only in how the answer travels: the same content is validated the same way.
export async function generateJson<T>(deps: GenerationDeps, request: JsonGeneration<T>): Promise<T> {
  const jsonSchema = answerJsonSchema(request.answer);
  const messages: ChatMessage[] = [
    { role: "system", content: request.system },
    { role: "user", content: request.user },
  ];
  const sink = request.streamField ? deps.sink : undefined;
  const now = () => deps.clock.now().getTime();
  for (let attempt = 1;; attempt++) {
    const chatRequest: ChatRequest = {
      messages: [...messages],
      schemaName: request.schemaName,
      jsonSchema,
      maxTokens: request.maxTokens,
    };
    const booking = await deps.ledger.reserve(chatRequest);
    let options: CompletionOptions | undefined;
    if (sink) {
      const reader = new AnswerTextReader(request.streamField!);
      options = {
        onContent: (piece) => {
          const text = reader.read(piece);
          if (text) sink.text(text);
        },
      };
      sink.begin(attempt);
    }
    const started = now();
    const report = (result: ChatResult | null, error: string | null) =>
      booking.record({
        provider: deps.model.provider,
        model: deps.model.model,
        inputTokens: result?.inputTokens ?? null,
        outputTokens: result?.outputTokens ?? null,
        latencyMs: Math.max(0, Math.round(now() - started)),
        error,
      });
    let result: ChatResult;
    try {
      result = await deps.model.complete(chatRequest, options);
    } catch (error) {
      const failure = toLlmError(error, 0);
      await report(null, failure.message);
      throw failure;
    }
    const checked = validateAnswer(result.content, request.answer);
    const unfaithful = checked.ok ? request.check?.(checked.value) ?? [] : [];
    if (checked.ok && unfaithful.length === 0) {
      await report(result, null);
      return checked.value;
    }
    const problem = checked.ok ? unfaithful.slice(0, 5).join("; ") : checked.problem;
    await report(result, `${checked.ok ? "Unfaithful" : "Invalid"} answer: ${problem}`);
    if (attempt >= 2) {
      if (checked.ok) throw new UnfaithfulAnswerError(unfaithful);
      throw new LlmError("invalid_answer", `Invalid answer after a repair attempt: ${problem}`);
    }
    // The repair turn shows the model its own answer and what was wrong with it.
    messages.push(
      { role: "assistant", content: result.content ?? "" },
      {
        role: "user",
        content: `That answer was not valid (${problem}). Reply again with only a JSON object ` +
          `that matches the schema exactly, following every rule above.`,
      },
    );
  }
}

type Validation<T> = { ok: true; value: T } | { ok: false; problem: string };

// Problems name paths and rules, never the offending values (they may echo the prompt).
export function validateAnswer<T>(content: string | null, schema: z.ZodType<T>): Validation<T> {
  if (content === null || content.trim() === "") return { ok: false, problem: "empty answer" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripCodeFence(content));
  } catch {
    return { ok: false, problem: "not valid JSON" };
  }
  const result = schema.safeParse(parsed);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problem: describeIssues(result.error) };
}

// Some compatible servers wrap JSON in a markdown fence even in JSON mode.
function stripCodeFence(text: string): string {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(text);
  return fenced ? fenced[1] : text;
}
