// The scripted OpenAI-compatible model server (scripts/lib/model-server.mjs, shared with
// the load benchmark), with the types the suites use.
import * as server from '../../scripts/lib/model-server.mjs';

export type Usage = { prompt_tokens: number; completion_tokens: number };
// How an answer to a request with "stream": true travels (see scripts/lib/model-server.mjs).
export type Pacing = { pieces?: number; intervalMs?: number; until?: Promise<unknown> };
export type Behaviour =
  | { kind: 'answer'; content: unknown; usage?: Usage; delayMs?: number; pacing?: Pacing }
  | { kind: 'status'; status: number; retryAfter?: number }
  | { kind: 'malformed' }
  | { kind: 'html' }
  | { kind: 'cut' }
  | { kind: 'respond'; reply: (body: any) => unknown; delayMs?: number }
  | { kind: 'never' };

export interface RecordedRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

export interface ModelServer {
  port: number;
  baseUrl: string;
  requests: RecordedRequest[];
  script(...behaviours: Behaviour[]): void;
  setDefault(behaviour: Behaviour): void;
  inFlight(): number;
  reset(): void;
  stop(): Promise<void>;
}

export const defaultModelServerPort: number = server.defaultModelServerPort;
export const answer: (content: unknown, usage?: Usage) => Behaviour = server.answer;
export const streamedAnswer: (content: unknown, pacing?: Pacing, usage?: Usage) => Behaviour = server.streamedAnswer;
export const slowAnswer: (content: unknown, delayMs: number, usage?: Usage) => Behaviour = server.slowAnswer;
export const httpStatus: (status: number, retryAfter?: number) => Behaviour = server.httpStatus;
export const malformed: () => Behaviour = server.malformed;
export const htmlPage: () => Behaviour = server.htmlPage;
export const cutMidBody: () => Behaviour = server.cutMidBody;
export const never: () => Behaviour = server.never;
export const respond: (reply: (body: any) => unknown, delayMs?: number) => Behaviour = server.respond;
export const startModelServer: (port?: number) => Promise<ModelServer> = server.startModelServer as any;
