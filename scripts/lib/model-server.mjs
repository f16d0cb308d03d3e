// A scripted OpenAI-compatible model server on loopback, for the end-to-end tests and
// the load benchmark. It implements POST /v1/chat/completions, records every request,
// and answers each one with the next scripted behaviour (or the default behaviour when
// the script is empty): normally, slowly, with an HTTP error, with malformed JSON, with
// any JSON, with an HTML page, by closing the connection mid-body, or never. A request
// with "stream": true gets the same content as a stream of chat.completion.chunk events
// (in pieces, optionally paced, optionally holding the last piece until the test says
// so), with the usage in a last chunk when stream_options.include_usage asks for it.
import { createServer } from 'node:http';

// Below Linux's ephemeral range (32768–60999 by default): the suites bind this port, and
// one below it for the Storage/Auth double, once per test file, and between two files
// any client connection (the suites open thousands) may be given a port of that range
// as its local end, and then hold it for a minute in TIME_WAIT: bind fails EADDRINUSE.
export const defaultModelServerPort = 29399;

const defaultUsage = { prompt_tokens: 120, completion_tokens: 40 };

/** @typedef {{ prompt_tokens: number, completion_tokens: number }} Usage */
/** How a streamed answer travels: its number of pieces, the pause before each, and a
 * promise the last piece and the end wait for (to hold the model "still writing").
 * @typedef {{ pieces?: number, intervalMs?: number, until?: Promise<unknown> }} Pacing */
/**
 * @typedef {{ kind: 'answer', content: unknown, usage?: Usage, delayMs?: number, pacing?: Pacing }
 *   | { kind: 'status', status: number, retryAfter?: number }
 *   | { kind: 'malformed' }
 *   | { kind: 'html', delayMs?: number }
 *   | { kind: 'cut' }
 *   | { kind: 'respond', reply: (body: any) => unknown, delayMs?: number }
 *   | { kind: 'never' }} Behaviour
 */

/** @returns {Behaviour} */
export const answer = (content, usage = defaultUsage) => ({ kind: 'answer', content, usage });
/** Streamed (to a request with "stream": true) in `pieces` pieces, `intervalMs` apart,
 * the last piece and the usage only once `until` resolves. @returns {Behaviour} */
export const streamedAnswer = (content, pacing = {}, usage = defaultUsage) => ({ kind: 'answer', content, usage, pacing });
/** @returns {Behaviour} */
export const slowAnswer = (content, delayMs, usage = defaultUsage) => ({ kind: 'answer', content, delayMs, usage });
/** @returns {Behaviour} */
export const httpStatus = (status, retryAfter) => ({ kind: 'status', status, retryAfter });
/** @returns {Behaviour} */
export const malformed = () => ({ kind: 'malformed' });
/** An HTTP 200 whose body is an HTML page (a proxy's or a captive portal's), not a completion. @returns {Behaviour} */
export const htmlPage = () => ({ kind: 'html' });
/** Headers and the first bytes of a completion, then the connection is destroyed. @returns {Behaviour} */
export const cutMidBody = () => ({ kind: 'cut' });
/** @returns {Behaviour} */
export const never = () => ({ kind: 'never' });
/** Answers with reply(request body), e.g. a valid answer per requested schema name. @returns {Behaviour} */
export const respond = (reply, delayMs = 0) => ({ kind: 'respond', reply, delayMs });

function completion(content, model, usage) {
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

function chunk(id, model, delta, finishReason = null) {
  return {
    id,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * @param {number} [port] 0 for any free port
 * @returns {Promise<{ port: number, baseUrl: string, requests: { path: string, headers: object, body: any }[],
 *   script(...behaviours: Behaviour[]): void, setDefault(behaviour: Behaviour): void, inFlight(): number,
 *   reset(): void, stop(): Promise<void> }>}
 */
export async function startModelServer(port = Number(process.env.MODEL_SERVER_PORT ?? defaultModelServerPort)) {
  const queue = [];
  const requests = [];
  const sockets = new Set();
  const timers = new Set();
  let fallback = answer({});
  let open = 0;

  const later = (ms, res, work) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!res.destroyed) work();
    }, ms);
    timers.add(timer);
  };

  const pause = (ms) => new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, ms);
    timers.add(timer);
  });

  // OpenAI's stream: a first chunk with the role, the content in pieces, a chunk with the
  // finish reason, the usage when asked for, then [DONE].
  async function streamCompletion(res, body, content, usage, pacing = {}) {
    const model = String(body.model ?? 'unknown');
    const id = `chatcmpl-${Math.random().toString(36).slice(2)}`;
    const count = Math.max(1, Math.min(pacing.pieces ?? 4, content.length || 1));
    const size = Math.ceil(content.length / count);
    const event = (data) => {
      if (!res.destroyed) res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
    };
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    event(chunk(id, model, { role: 'assistant', content: '' }));
    for (let at = 0, piece = 1; at < content.length; at += size, piece++) {
      if (pacing.intervalMs) await pause(pacing.intervalMs);
      if (piece === count && pacing.until) await pacing.until;
      event(chunk(id, model, { content: content.slice(at, at + size) }));
    }
    if (pacing.until) await pacing.until;
    event(chunk(id, model, {}, 'stop'));
    if (body.stream_options?.include_usage) {
      event({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model, choices: [], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } });
    }
    event('[DONE]');
    if (!res.destroyed) res.end();
  }

  const server = createServer((req, res) => {
    const chunks = [];
    open++;
    res.on('close', () => open--);
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        send(res, 404, { error: { message: `No route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
        return;
      }
      let body;
      try {
        body = JSON.parse(text);
      } catch {
        send(res, 400, { error: { message: 'Request body is not JSON.', type: 'invalid_request_error' } });
        return;
      }
      requests.push({ path: req.url, headers: req.headers, body });
      const behaviour = queue.shift() ?? fallback;
      const model = String(body.model ?? 'unknown');
      switch (behaviour.kind) {
        case 'answer': {
          const content = typeof behaviour.content === 'string' ? behaviour.content : JSON.stringify(behaviour.content);
          const usage = behaviour.usage ?? defaultUsage;
          const reply = body.stream === true
            ? () => streamCompletion(res, body, content, usage, behaviour.pacing)
            : () => send(res, 200, completion(content, model, usage));
          if (!behaviour.delayMs) return reply();
          return later(behaviour.delayMs, res, reply);
        }
        case 'respond': {
          const content = behaviour.reply(body);
          const text = typeof content === 'string' ? content : JSON.stringify(content);
          const reply = body.stream === true
            ? () => streamCompletion(res, body, text, defaultUsage)
            : () => send(res, 200, completion(text, model, defaultUsage));
          if (!behaviour.delayMs) return reply();
          return later(behaviour.delayMs, res, reply);
        }
        case 'status':
          return send(
            res,
            behaviour.status,
            { error: { message: `Scripted failure ${behaviour.status} (prompt was: secret prompt text)`, type: 'server_error' } },
            behaviour.retryAfter ? { 'retry-after': String(behaviour.retryAfter) } : {},
          );
        case 'malformed':
          return send(res, 200, completion('Sure! Here is the JSON you asked for: {"description": "unterminated', model, {
            prompt_tokens: 100,
            completion_tokens: 12,
          }));
        case 'html':
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          return res.end('<!doctype html><html><body><h1>502 Bad Gateway</h1><p>secret prompt text</p></body></html>');
        case 'cut': {
          if (body.stream === true) {
            res.writeHead(200, { 'content-type': 'text/event-stream' });
            res.write(`data: ${JSON.stringify(chunk('chatcmpl-cut', model, { role: 'assistant', content: '{"description": "half' }))}\n\n`);
            return later(20, res, () => res.destroy());
          }
          const whole = JSON.stringify(completion('{"description": "half an answer"}', model, defaultUsage));
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(whole)) });
          res.write(whole.slice(0, Math.floor(whole.length / 2)));
          return later(20, res, () => res.destroy());
        }
        case 'never':
          // Keep the connection open without answering; the client's timeout ends it.
          return;
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${port} is in use; stop whatever holds it or set MODEL_SERVER_PORT (and the gateway's OPENAI_BASE_URL) to a free port.`)
          : error,
      ));
    server.listen(port, '127.0.0.1', () => resolve());
  });
  // Port 0 asks the system for a free one.
  port = server.address().port;

  return {
    port,
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    script(...behaviours) {
      queue.push(...behaviours);
    },
    // What every request gets when the script is empty (an empty JSON object unless set).
    setDefault(behaviour) {
      fallback = behaviour;
    },
    // Requests received and not yet answered.
    inFlight: () => open,
    reset() {
      queue.length = 0;
      requests.length = 0;
      fallback = answer({});
    },
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
