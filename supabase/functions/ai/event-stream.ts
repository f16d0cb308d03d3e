// An AI answer as it is written, for a client that sends `Accept: text/event-stream`
// (Server-Sent Events, which supabase-js functions.invoke hands back as the Response).
//
//   event: delta     data: {"text": "Dear Ms Doe,"}       the free text, as the model writes it
//   event: restart   data: {"attempt": 2}                 a repair turn: forget the text so far
//   event: result    data: <the non-streaming answer>     last event on success
//   event: error     data: {"status", "error", "detail"}  last event on failure (the plain call's
//                                                         status and body; "retryAfter" in seconds
//                                                         where the plain call sends Retry-After)
//
// The stream begins with the action's first streamed model call, after admission, the
// caller's reads and the prompt-size and budget checks: a request refused before that
// gets the plain HTTP error (429 with Retry-After, 404, 422...), and an action that
// streams nothing (skills, match scores) its plain JSON answer. Once begun, the status
// is 200 and the outcome travels in the last event.
//
// A client that goes away does not stop the work: the model's answer is read to its
// end, so its real token usage is recorded and settled once (usage-ledger.ts), and the
// action finishes as the plain call would (the letter is saved), bounded by the same
// model timeout. Stopping the model early would leave the usage unknown and the budget
// guessing.
import { errorBody, type HttpError, json } from "../_shared/http.ts";
import type { AnswerTextSink } from "./llm.ts";

// True when the client lists text/event-stream as acceptable (any q above 0).
export function wantsEventStream(request: Request): boolean {
  for (const range of (request.headers.get("accept") ?? "").split(",")) {
    const [type, ...parameters] = range.split(";").map((part) => part.trim().toLowerCase());
    if (type !== "text/event-stream") continue;
    const q = parameters.find((parameter) => parameter.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

// A comment line now and then, so no proxy between us and the client takes a long wait
// for the model (a slow first token, a repair turn) for a dead connection.
export const defaultHeartbeatMs = 15_000;

export interface EventStreamOptions {
  heartbeatMs?: number;
}

type AnswerBody = Record<string, unknown>;

// Runs the work (an action) with a sink for its streamed text, and answers as an event
// stream from the moment the work's first streamed model call begins; until then, and
// for work that never streams, the answer is the plain one. `failure` maps an error
// after the stream began as the pipeline maps it before.
export async function answerAsEventStream(
  work: (sink: AnswerTextSink) => Promise<AnswerBody>,
  failure: (error: unknown) => HttpError,
  options: EventStreamOptions = {},
): Promise<Response> {
  let stream: EventStream | undefined;
  let signalBegun = () => {};
  const begun = new Promise<void>((resolve) => (signalBegun = resolve));
  const answer = work({
    begin(attempt) {
      if (!stream) {
        stream = openEventStream(options.heartbeatMs ?? defaultHeartbeatMs);
        signalBegun();
      }
      if (attempt > 1) stream.send("restart", { attempt });
    },
    text(piece) {
      stream?.send("delta", { text: piece });
    },
  });
  await Promise.race([answer.catch(() => {}), begun]);
  if (!stream) return json(await answer);
  const open = stream;
  keepRunning(answer.then(
    (body) => open.end("result", body),
    (error) => {
      const known = failure(error);
      const retryAfter = Number(known.headers["Retry-After"]);
      open.end("error", {
        status: known.status,
        ...errorBody(known.code, known.message, known.sqlstate),
        ...(retryAfter > 0 ? { retryAfter } : {}),
      });
    },
  ));
  return open.response;
}

interface EventStream {
  response: Response;
  send(event: string, data: unknown): void;
  end(event: string, data: unknown): void;
}

function openEventStream(heartbeatMs: number): EventStream {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  const stop = () => {
    closed = true;
    clearInterval(heartbeat);
  };
  const write = (text: string) => {
    if (closed) return;
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      stop();
    }
  };
  const heartbeat = setInterval(() => write(": keep-alive\n\n"), heartbeatMs);
  const body = new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
    },
    // The client went away: what is still written goes nowhere, the work goes on.
    cancel: stop,
  });
  // JSON.stringify escapes line breaks, so every event's data is one line.
  const send = (event: string, data: unknown) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  return {
    response: new Response(body, {
      headers: {
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-cache, no-transform",
        // Tells buffering proxies (nginx and those that follow it) to pass events on at once.
        "X-Accel-Buffering": "no",
      },
    }),
    send,
    end(event, data) {
      send(event, data);
      if (!closed) controller.close();
      stop();
    },
  };
}

// On Supabase's edge runtime, work left running after the response has ended (a client
// that went away mid-stream) is kept alive only when handed to EdgeRuntime.waitUntil.
function keepRunning(work: Promise<unknown>) {
  const runtime = (globalThis as { EdgeRuntime?: { waitUntil?(promise: Promise<unknown>): void } }).EdgeRuntime;
  runtime?.waitUntil?.(work);
}
