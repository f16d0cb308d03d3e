// The one language-model client: the openai SDK against any OpenAI-compatible server,
// configured from the environment. Answers are requested as JSON against a schema
// derived from a zod schema, validated with that same schema, and an invalid answer
// gets exactly one repair attempt. Every call is reported to `onCall` (ai-events.ts
// turns the report into the ai_events row) with its usage, latency and outcome,
// whether it succeeded or not.
import OpenAI from "openai";
import { z } from "zod";
import type { Clock } from "../_shared/clock.ts";
import { describeIssues } from "../_shared/http.ts";
import type { Env } from "../_shared/env.ts";

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

// What the handler depends on; tests inject a scripted fake.
export interface ChatModel {
  provider: string;
  model: string;
  complete(request: ChatRequest): Promise<ChatResult>;
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
    async complete(request) {
      try {
        const completion = await client.chat.completions.create({
          model: config.model,
          messages: request.messages,
          max_completion_tokens: request.maxTokens,
          response_format: {
            type: "json_schema",
            json_schema: { name: request.schemaName, schema: request.jsonSchema, strict: false },
          },
        });
        // A 200 that is not a chat completion (a proxy's HTML page, another API's JSON)
        // is the server failing, not the model answering badly: no repair turn for it.
        if (!completion || typeof completion !== "object" || !Array.isArray(completion.choices)) {
          throw new LlmError(
            "upstream",
            "The model server answered HTTP 200 with something that is not a chat completion.",
          );
        }
        return {
          content: completion.choices[0]?.message?.content ?? null,
          inputTokens: completion.usage?.prompt_tokens ?? null,
          outputTokens: completion.usage?.completion_tokens ?? null,
        };
      } catch (error) {
        throw redact(toLlmError(error, config.timeoutMs), apiKey);
      }
    },
  };
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

// What happened in one model call; ai-events.ts makes the ai_events row of it.
export interface ModelCall {
  provider: string;
  model: string;
  inputTokens: number | null;
  outputTokens: number | null;
  latencyMs: number;
  // null on success; otherwise safe to store (no prompt, answer body or key).
  error: string | null;
}

export interface JsonGeneration<T> {
  schemaName: string;
  system: string;
  user: string;
  answer: z.ZodType<T>;
  // A check beyond the schema: the facts the answer must not invent. Its problems get the
  // same one repair turn; twice unfaithful is an UnfaithfulAnswerError.
  check?: (answer: T) => string[];
  maxTokens?: number;
}

export interface GenerationDeps {
  model: ChatModel;
  clock: Clock;
  // Before each call, with exactly what will be sent: may refuse it by throwing (the
  // admission's prompt-size check and token reservation). A refused call is not made
  // and not reported to onCall.
  beforeCall?: (request: ChatRequest) => Promise<void>;
  onCall: (call: ModelCall) => Promise<void>;
}

// Asks for a JSON answer, validates it, and repairs once. Each model call is reported
// exactly once through onCall before this function returns or throws.
export async function generateJson<T>(deps: GenerationDeps, request: JsonGeneration<T>): Promise<T> {
  const jsonSchema = answerJsonSchema(request.answer);
  const messages: ChatMessage[] = [
    { role: "system", content: request.system },
    { role: "user", content: request.user },
  ];
  const now = () => deps.clock.now().getTime();
  for (let attempt = 1;; attempt++) {
    const chatRequest: ChatRequest = {
      messages: [...messages],
      schemaName: request.schemaName,
      jsonSchema,
      maxTokens: request.maxTokens,
    };
    await deps.beforeCall?.(chatRequest);
    const started = now();
    const report = (result: ChatResult | null, error: string | null) =>
      deps.onCall({
        provider: deps.model.provider,
        model: deps.model.model,
        inputTokens: result?.inputTokens ?? null,
        outputTokens: result?.outputTokens ?? null,
        latencyMs: Math.max(0, Math.round(now() - started)),
        error,
      });
    let result: ChatResult;
    try {
      result = await deps.model.complete(chatRequest);
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
