// A scripted OpenAI-compatible model server on loopback for end-to-end tests. It
// implements POST /v1/chat/completions, records every request, and answers each one
// with the next scripted behaviour (or the default answer when the script is empty):
// normally, slowly, with an HTTP error, with malformed JSON, with any JSON, or never.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export const defaultModelServerPort = 54399;

export type Behaviour =
  | { kind: 'answer'; content: unknown; usage?: { prompt_tokens: number; completion_tokens: number }; delayMs?: number }
  | { kind: 'status'; status: number; retryAfter?: number }
  | { kind: 'malformed' }
  | { kind: 'never' };

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
}

export const answer = (content: unknown, usage = { prompt_tokens: 120, completion_tokens: 40 }): Behaviour => ({
  kind: 'answer',
  content,
  usage,
});
export const slowAnswer = (content: unknown, delayMs: number): Behaviour => ({ kind: 'answer', content, delayMs });
export const httpStatus = (status: number, retryAfter?: number): Behaviour => ({ kind: 'status', status, retryAfter });
export const malformed = (): Behaviour => ({ kind: 'malformed' });
export const never = (): Behaviour => ({ kind: 'never' });

export interface ModelServer {
  port: number;
  baseUrl: string;
  requests: RecordedRequest[];
  script(...behaviours: Behaviour[]): void;
  reset(): void;
  stop(): Promise<void>;
}

function completion(content: string, model: string, usage: { prompt_tokens: number; completion_tokens: number }) {
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startModelServer(port = Number(process.env.MODEL_SERVER_PORT ?? defaultModelServerPort)): Promise<ModelServer> {
  const queue: Behaviour[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        send(res, 404, { error: { message: `No route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
        return;
      }
      let body: any;
      try {
        body = JSON.parse(text);
      } catch {
        send(res, 400, { error: { message: 'Request body is not JSON.', type: 'invalid_request_error' } });
        return;
      }
      requests.push({ path: req.url, headers: req.headers, body });
      const behaviour = queue.shift() ?? answer({});
      const model = String(body.model ?? 'unknown');
      switch (behaviour.kind) {
        case 'answer': {
          const content = typeof behaviour.content === 'string' ? behaviour.content : JSON.stringify(behaviour.content);
          const reply = () => send(res, 200, completion(content, model, behaviour.usage ?? { prompt_tokens: 120, completion_tokens: 40 }));
          if (!behaviour.delayMs) return reply();
          const timer = setTimeout(() => {
            timers.delete(timer);
            if (!res.destroyed) reply();
          }, behaviour.delayMs);
          timers.add(timer);
          return;
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

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${port} is in use; stop whatever holds it or set MODEL_SERVER_PORT (and the gateway's OPENAI_BASE_URL) to a free port.`)
          : error,
      ));
    server.listen(port, '127.0.0.1', () => resolve());
  });

  return {
    port,
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    script(...behaviours) {
      queue.push(...behaviours);
    },
    reset() {
      queue.length = 0;
      requests.length = 0;
    },
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
