// Fakes for the ai handler's dependencies (database, model, clock, token check), so
// Deno tests run the real handler and actions with no network and no Postgres.
import assert from "node:assert/strict";
import { AuthError, type CallerClaims } from "../_shared/auth.ts";
import type { Sql } from "../_shared/db.ts";
import type { ChatModel, ChatRequest, ChatResult, CompletionOptions } from "./llm.ts";
import { type AiConfig, createAiHandler } from "./handler.ts";

export const userId = "11111111-1111-4111-8111-111111111111";
export const claims: CallerClaims = { sub: userId, role: "authenticated", aud: "authenticated" };
export const goodToken = "Bearer good-token";

export interface RecordedQuery {
  text: string;
  values: unknown[];
  transaction: number;
}

// Answers each query with the first responder whose pattern matches its SQL text;
// anything unmatched returns no rows. A responder may return an Error to fail the query.
export type Responder = [RegExp, (values: unknown[]) => unknown[] | Error];

export function fakeDatabase(responders: Responder[] = []) {
  const queries: RecordedQuery[] = [];
  let transactions = 0;
  const sql = {
    async begin<T>(work: (tx: unknown) => Promise<T>): Promise<T> {
      const transaction = ++transactions;
      const tx = (strings: TemplateStringsArray, ...values: unknown[]) => {
        const text = strings.join("$?").replace(/\s+/g, " ").trim();
        queries.push({ text, values, transaction });
        const responder = responders.find(([pattern]) => pattern.test(text));
        const rows = responder ? responder[1](values) : [];
        return rows instanceof Error ? Promise.reject(rows) : Promise.resolve(rows);
      };
      return await work(tx);
    },
  };
  return {
    sql: sql as unknown as Sql,
    queries,
    // The queries a test cares about: everything but the role/claims preamble and admission.
    statements: () =>
      queries.filter((query) => !query.text.startsWith("select set_config") && !/private\.\w+_ai_/.test(query.text)),
    events: () => queries.filter((query) => query.text.includes("insert into public.ai_events")),
  };
}

// What postgres.js throws when SQL refuses (a RAISE with errcode, a constraint).
export function sqlRefusal(message: string, code: string): Error {
  return Object.assign(new Error(message), { name: "PostgresError", code });
}

// An answer, a failure, or a function that plays the call itself (and may stream pieces).
export type Scripted = ChatResult | Error | ((options?: CompletionOptions) => Promise<ChatResult>);

export function reply(content: unknown, inputTokens = 100, outputTokens = 20): ChatResult {
  return { content: typeof content === "string" ? content : JSON.stringify(content), inputTokens, outputTokens };
}

// Asked to stream, the fake sends a scripted answer in this many pieces, a macrotask apart.
export const streamedPieces = 5;

export function fakeModel(...script: Scripted[]) {
  const requests: ChatRequest[] = [];
  const model: ChatModel = {
    provider: "fake-provider",
    model: "fake-model",
    async complete(request, options) {
      requests.push(structuredClone(request));
      const next = script.shift();
      if (next === undefined) throw new Error("The fake model has no scripted answer left.");
      if (next instanceof Error) throw next;
      if (typeof next === "function") return await next(options);
      if (options?.onContent && next.content) {
        const size = Math.ceil(next.content.length / streamedPieces);
        for (let at = 0; at < next.content.length; at += size) {
          options.onContent(next.content.slice(at, at + size));
          await new Promise((resolve) => setTimeout(resolve, 0));
        }
      }
      return next;
    },
  };
  return { model, requests };
}

// Each reading moves time on by `stepMs`, so latencies are predictable.
export function fakeClock(start = Date.parse("2026-03-01T12:00:00Z"), stepMs = 25) {
  let now = start;
  return {
    now: () => {
      const date = new Date(now);
      now += stepMs;
      return date;
    },
  };
}

export const testConfig: AiConfig = {
  limits: { perMinute: 30, dailyTokens: 1_000_000, contextTokens: 128_000 },
  maxBodyBytes: 64 * 1024,
};

export const admissionId = "adad0000-0000-4000-8000-000000000001";

// The admission ledger admits every request and call unless a test's responder says otherwise.
export const admitEverything: Responder[] = [
  [/from private\.admit_ai_request/, () => [{ admission_id: admissionId, refusal: null, retry_after_seconds: null }]],
  [/from private\.reserve_ai_call/, () => [{ refusal: null, retry_after_seconds: null }]],
];

export function harness(
  options: { responders?: Responder[]; script?: Scripted[]; llm?: "none"; config?: AiConfig } = {},
) {
  const db = fakeDatabase([...(options.responders ?? []), ...admitEverything]);
  const fake = fakeModel(...(options.script ?? []));
  let databaseOpened = 0;
  const handle = createAiHandler({
    verifyCaller: (authorization) => {
      if (authorization === goodToken) return Promise.resolve(claims);
      return Promise.reject(new AuthError("The access token is invalid or expired."));
    },
    database: () => {
      databaseOpened++;
      return db.sql;
    },
    llm: options.llm === "none" ? null : fake.model,
    clock: fakeClock(),
    config: options.config ?? testConfig,
  });
  return {
    db,
    requests: fake.requests,
    databaseOpened: () => databaseOpened,
    // The response as the handler returns it, its body unread: for event streams.
    send(action: string, body: unknown, headers: Record<string, string> = {}) {
      return handle(
        new Request(`http://functions.local/ai/${action}`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: goodToken, ...headers },
          body: JSON.stringify(body),
        }),
      );
    },
    async call(
      action: string,
      body: unknown,
      init: { method?: string; token?: string | null; raw?: string; headers?: Record<string, string> } = {},
    ) {
      const headers = new Headers({ "Content-Type": "application/json", ...init.headers });
      const token = init.token === undefined ? goodToken : init.token;
      if (token) headers.set("Authorization", token);
      const method = init.method ?? "POST";
      const response = await handle(
        new Request(`http://functions.local/ai/${action}`, {
          method,
          headers,
          body: method === "GET" || method === "OPTIONS" ? undefined : init.raw ?? JSON.stringify(body),
        }),
      );
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Non-JSON bodies (the preflight's "ok") stay text.
      }
      // deno-lint-ignore no-explicit-any
      return { status: response.status, headers: response.headers, body: parsed as any };
    },
  };
}

// A call refused before the model: its status, error code (and Retry-After when given);
// no model request made and no call logged.
export async function assertRefusedBeforeModel(
  h: ReturnType<typeof harness>,
  call: [action: string, body: unknown],
  refusal: { status: number; code: string; retryAfter?: string },
) {
  const res = await h.call(...call);
  assert.equal(res.status, refusal.status);
  assert.equal(res.body.error.code, refusal.code);
  if (refusal.retryAfter) assert.equal(res.headers.get("retry-after"), refusal.retryAfter);
  assert.equal(h.requests.length, 0, "the model is not called");
  assert.equal(h.db.events().length, 0, "no call is logged");
  return res;
}

export function promptOf(request: ChatRequest): string {
  return request.messages.map((message) => message.content).join("\n");
}

export interface ServerSentEvent {
  event: string;
  // deno-lint-ignore no-explicit-any
  data: any;
}

// The events of a text/event-stream body (comments, such as heartbeats, are left out).
export function parseEvents(text: string): ServerSentEvent[] {
  return text.split("\n\n").filter((block) => block.startsWith("event: ")).map((block) => {
    const [eventLine, dataLine] = block.split("\n");
    return { event: eventLine.slice("event: ".length), data: JSON.parse(dataLine.slice("data: ".length)) };
  });
}
