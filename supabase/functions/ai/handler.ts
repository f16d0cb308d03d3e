// POST /functions/v1/ai/<action>. The shared pipeline runs the guards — CORS preflight,
// 405, 401, unknown action 404, 413, 400 (malformed JSON), 422 (schema) — then this
// module adds 503 (no model configured) and admission (401 for an account that is gone,
// 429 for the limits, atomically in SQL), and only then does the action
// read context as the caller, call the model and write as the caller. A client that
// sends Accept: text/event-stream reads the free text of the actions that write it as
// it is written (event-stream.ts); everything else about the call stays the same.
// Nothing here runs at import: index.ts reads the environment and builds the clients.
import type { CallerClaims, VerifyCaller } from "../_shared/auth.ts";
import type { Clock } from "../_shared/clock.ts";
import { asCaller, type Sql } from "../_shared/db.ts";
import { HttpError, json } from "../_shared/http.ts";
import { type Call, createPipeline, signedInCaller } from "../_shared/pipeline.ts";
import type { ActionContext, AiAction } from "./action.ts";
import coverLetter from "./actions/cover-letter.ts";
import importResume from "./actions/import-resume.ts";
import jobMatch from "./actions/job-match.ts";
import parseJob from "./actions/parse-job.ts";
import profileSummary from "./actions/profile-summary.ts";
import readEmail from "./actions/read-email.ts";
import skills from "./actions/skills.ts";
import tailorResume from "./actions/tailor-resume.ts";
import wizardSummary from "./actions/wizard-summary.ts";
import workDescription from "./actions/work-description.ts";
import { answerAsEventStream, wantsEventStream } from "./event-stream.ts";
import { type AnswerTextSink, type ChatModel, generateJson, LlmError } from "./llm.ts";
import { admitRequest, type LimitConfig, readLimitConfig } from "./usage-ledger.ts";

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
  "read-email": readEmail,
};

export interface AiConfig {
  limits: LimitConfig;
  maxBodyBytes: number;
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

function actionName(url: URL): string | undefined {
  return /^\/(?:functions\/v1\/)?ai\/([A-Za-z0-9-]+)\/?$/.exec(url.pathname)?.[1];
}

export function createAiHandler(deps: AiDeps) {
  async function run(name: string, action: AiAction<unknown>, call: Call<CallerClaims, unknown>): Promise<Response> {
    const { caller: claims, input } = call;
    const llm = deps.llm;
    const usesModel = action.usesModel?.(input) ?? true;
    if (usesModel && !llm) throw new HttpError(503, "ai_not_configured", notConfiguredMessage);
    const database = deps.database();
    // Admitted before any work, so a request that burns CPU and then fails still counts.
    // An input that needs no model (a JSON Resume import) takes no AI slot.
    const admission = usesModel ? await admitRequest(database, claims, name, deps.config.limits) : null;
    const context = (sink?: AnswerTextSink): ActionContext => ({
      claims,
      userId: claims.sub,
      asCaller: (work) => asCaller(database, claims, work),
      generate: ({ wizardSessionId, ...request }) => {
        if (!llm || !admission) throw new Error("This action declared that it calls no model.");
        return generateJson(
          { model: llm, clock: deps.clock, ledger: admission.calls(wizardSessionId ?? null), sink },
          request,
        );
      },
      model: llm?.model ?? "",
      clock: deps.clock,
    });
    if (wantsEventStream(call.request)) {
      return await answerAsEventStream((sink) => action.run(context(sink), input), call.failure);
    }
    return json(await action.run(context(), input));
  }

  return createPipeline<CallerClaims>({
    name: "ai",
    methods: ["POST"],
    caller: signedInCaller(deps.verifyCaller),
    route(url) {
      const name = actionName(url);
      const action = name && Object.hasOwn(actions, name) ? actions[name] : undefined;
      if (!action) {
        throw new HttpError(
          404,
          "unknown_action",
          `Unknown AI action. Use one of: ${Object.keys(actions).join(", ")}.`,
        );
      }
      return {
        body: { maxBytes: action.maxBodyBytes ?? deps.config.maxBodyBytes, schema: action.input },
        run: (call) => run(name!, action, call),
      };
    },
    mapError: (error) => error instanceof LlmError ? modelFailure(error) : undefined,
  });
}

export function aiConfigFromEnv(env: { get(name: string): string | undefined }): AiConfig {
  return { limits: readLimitConfig(env), maxBodyBytes: defaultMaxBodyBytes };
}
