// POST /functions/v1/ai/<action>. Guards run in a fixed order — CORS preflight, 405,
// 401, unknown action 404, 413, 400 (malformed JSON), 422 (schema), 503 (no model
// configured), 429 (limits) — and only then does the action read context as the
// caller, call the model and write as the caller. Every response carries X-Request-Id.
import { AuthError, type CallerClaims, createCallerVerifier, type VerifyCaller } from "../_shared/auth.ts";
import { recordAiEvent } from "../_shared/ai-events.ts";
import { corsHeaders } from "../_shared/cors.ts";
import { databaseFailure } from "../_shared/database-errors.ts";
import { asCaller, sharedDatabase, type Sql } from "../_shared/db.ts";
import { HttpError, json, parseJsonBody, readBodyText, toErrorResponse } from "../_shared/http.ts";
import {
  type ChatModel,
  createOpenAiChatModel,
  describeIssues,
  generateJson,
  LlmError,
  readLlmConfig,
} from "../_shared/llm.ts";
import type { ActionContext, AiAction } from "./action.ts";
import { admitRequest, type LimitConfig, readLimitConfig } from "./admission.ts";
import coverLetter from "./actions/cover-letter.ts";
import importResume from "./actions/import-resume.ts";
import jobMatch from "./actions/job-match.ts";
import parseJob from "./actions/parse-job.ts";
import profileSummary from "./actions/profile-summary.ts";
import skills from "./actions/skills.ts";
import tailorResume from "./actions/tailor-resume.ts";
import wizardSummary from "./actions/wizard-summary.ts";
import workDescription from "./actions/work-description.ts";

export const actions: Record<string, AiAction<unknown>> = {
  "work-description": workDescription,
  "profile-summary": profileSummary,
  "skills": skills,
  "job-match": jobMatch,
  "parse-job": parseJob,
  "wizard-summary": wizardSummary,
  "tailor-resume": tailorResume,
  "cover-letter": coverLetter,
  "import-resume": importResume,
};

export interface AiConfig {
  limits: LimitConfig;
  maxBodyBytes: number;
}

export interface Clock {
  now(): Date;
}

export interface AiDeps {
  verifyCaller: VerifyCaller;
  database: () => Sql;
  // null when OPENAI_API_KEY is not set: every action then answers 503.
  llm: ChatModel | null;
  clock: Clock;
  config: AiConfig;
}

export const defaultMaxBodyBytes = 64 * 1024;

// Lets browser callers read the request id and the retry delay.
const exposeHeaders = { "Access-Control-Expose-Headers": "X-Request-Id, Retry-After" };

export const notConfiguredMessage =
  "AI features are not configured on this server: set the OPENAI_API_KEY secret for the edge functions " +
  "(and OPENAI_BASE_URL for an OpenAI-compatible server).";

// The client sees what kind of failure happened; the cause is in ai_events and the log.
function modelFailure(error: LlmError): HttpError {
  switch (error.kind) {
    case "not_configured":
      return new HttpError(503, "ai_not_configured", notConfiguredMessage);
    case "timeout":
      return new HttpError(504, "model_timeout", "The AI model took too long to answer. Try again.");
    case "rate_limited":
      return new HttpError(503, "model_busy", "The AI model is busy right now. Try again shortly.", {
        "Retry-After": String(error.retryAfterSeconds ?? 20),
      });
    case "invalid_answer":
      return new HttpError(502, "invalid_model_answer", "The AI model gave an answer we could not use. Try again.");
    default:
      return new HttpError(502, "model_error", "The AI model failed to answer. Try again later.");
  }
}

function actionName(url: string): string | undefined {
  return /^\/(?:functions\/v1\/)?ai\/([A-Za-z0-9-]+)\/?$/.exec(new URL(url).pathname)?.[1];
}

export function createAiHandler(deps: AiDeps) {
  return async (req: Request): Promise<Response> => {
    const requestId = crypto.randomUUID();
    const headers = { "X-Request-Id": requestId, ...exposeHeaders };
    if (req.method === "OPTIONS") return new Response("ok", { headers: { ...corsHeaders, ...headers } });
    try {
      if (req.method !== "POST") {
        throw new HttpError(405, "method_not_allowed", "Use POST.", { Allow: "POST, OPTIONS" });
      }
      let claims: CallerClaims;
      try {
        claims = await deps.verifyCaller(req.headers.get("Authorization"));
      } catch (error) {
        if (error instanceof AuthError) throw new HttpError(401, "unauthorized", error.message);
        throw error;
      }
      const name = actionName(req.url);
      const action = name && Object.hasOwn(actions, name) ? actions[name] : undefined;
      if (!action) {
        throw new HttpError(
          404,
          "unknown_action",
          `Unknown AI action. Use one of: ${Object.keys(actions).join(", ")}.`,
        );
      }
      const body = parseJsonBody(await readBodyText(req, action.maxBodyBytes ?? deps.config.maxBodyBytes));
      const parsed = action.input.safeParse(body);
      if (!parsed.success) {
        throw new HttpError(422, "invalid_request", `Invalid request: ${describeIssues(parsed.error)}`);
      }
      const llm = deps.llm;
      if (!llm) throw new HttpError(503, "ai_not_configured", notConfiguredMessage);

      const database = deps.database();
      // Admitted before any work, so a request that burns CPU and then fails still counts.
      const admission = await admitRequest(database, claims, name!, deps.config.limits);
      const context: ActionContext = {
        claims,
        userId: claims.sub,
        asCaller: (work) => asCaller(database, claims, work),
        generate: ({ wizardSessionId, ...request }) =>
          generateJson({
            model: llm,
            now: () => deps.clock.now().getTime(),
            beforeCall: (chatRequest) => admission.reserveCall(chatRequest),
            onCall: (call) => recordAiEvent(database, claims, { ...call, wizardSessionId }, admission.settleCall),
          }, request),
        model: llm.model,
        now: () => deps.clock.now(),
      };
      const result = await action.run(context, parsed.data);
      return json(result, 200, headers);
    } catch (error) {
      const mapped = error instanceof LlmError ? modelFailure(error) : databaseFailure(error) ?? error;
      return toErrorResponse(mapped, requestId, exposeHeaders);
    }
  };
}

export function aiConfigFromEnv(env: { get(name: string): string | undefined } = Deno.env): AiConfig {
  return { limits: readLimitConfig(env), maxBodyBytes: defaultMaxBodyBytes };
}

export const handleRequest = createAiHandler({
  verifyCaller: createCallerVerifier(),
  database: sharedDatabase,
  llm: createOpenAiChatModel(readLlmConfig()),
  clock: { now: () => new Date() },
  config: aiConfigFromEnv(),
});
