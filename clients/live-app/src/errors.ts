// Errors thrown as the live app's request helper throws them: a plain Error whose message
// the pages show as it is. The app reads only `message`; `status` and `code` (the HTTP
// status and the PostgREST / SQLSTATE / function error code) are extra, for callers that
// want to tell cases apart.

export class LiveAppError extends Error {
  constructor(message: string, readonly status?: number, readonly code?: string) {
    super(message);
    this.name = 'LiveAppError';
  }
}

export const messages = {
  authFailed: 'Authentication failed. Please log in again.',
  authRequired: 'Authentication required. Please log in again.',
  checkInput: 'Please check your input and try again',
  rateLimited: (limit: string) =>
    `Rate limit exceeded. You can make up to ${limit} AI requests per minute. Please wait a moment before trying again.`,
  unreachable: (what: string) =>
    `Unable to connect to server. Please check if the backend is running and your network connection. Endpoint: ${what}`,
};

/** What supabase-js returns for a failed from() / rpc() call. */
export interface PostgrestFailure {
  message: string;
  code?: string;
  details?: string | null;
  hint?: string | null;
}

/**
 * A PostgREST failure → the Error the live helper would have thrown for that endpoint.
 * 401 (no or an expired session) is always the helper's "Authentication failed" message;
 * otherwise `prefix: message` as the old service's 400s read ("Failed to add skill: ...").
 */
export function restError(error: PostgrestFailure, status: number, prefix?: string): LiveAppError {
  if (status === 401) return new LiveAppError(messages.authFailed, 401, error.code);
  if (status === 0 || /fetch failed|Failed to fetch|NetworkError/i.test(error.message ?? '')) {
    return new LiveAppError(messages.unreachable(prefix ?? 'the data API'), 0, error.code);
  }
  const text = error.message || `HTTP error! status: ${status}`;
  return new LiveAppError(prefix ? `${prefix}: ${text}` : text, status, error.code);
}

export function notFound(what: string): LiveAppError {
  return new LiveAppError(`${what} not found`, 404, 'PT404');
}

/**
 * A failed functions.invoke → the Error the live helper throws for the same status:
 * 401 its fixed message, 422 the `detail` (or the generic sentence), 429 the live
 * service's rate-limit sentence with the limit, anything else `detail` or
 * "HTTP error! status: N". `notFoundMessage` replaces the function's 404 text with the
 * live one ("Job not found").
 */
export async function functionError(
  error: unknown,
  endpoint: string,
  notFoundMessage?: string,
): Promise<LiveAppError> {
  const context = (error as { context?: unknown } | null)?.context;
  if (!(context instanceof Response)) {
    const text = error instanceof Error ? error.message : String(error);
    return new LiveAppError(messages.unreachable(endpoint), 0, text);
  }
  let body: any = {};
  try {
    body = await context.clone().json();
  } catch {
    body = {};
  }
  const detail: string | undefined =
    typeof body?.detail === 'string'
      ? body.detail
      : typeof body?.error?.message === 'string'
        ? body.error.message
        : typeof body?.error === 'string'
          ? body.error
          : undefined;
  const code: string | undefined = typeof body?.error?.code === 'string' ? body.error.code : undefined;
  const status = context.status;
  if (status === 401) return new LiveAppError(messages.authFailed, 401, code);
  if (status === 404 && notFoundMessage) return new LiveAppError(notFoundMessage, 404, code);
  if (status === 422) return new LiveAppError(detail ?? messages.checkInput, 422, code);
  if (status === 429) {
    // The per-minute limit reads as the live service said it; a new kind of 429 (the
    // daily token budget) keeps this backend's own sentence.
    if (code && code !== 'rate_limited' && detail) return new LiveAppError(detail, 429, code);
    const limit =
      context.headers.get('X-RateLimit-Limit') ?? /at most (\d+) per minute/.exec(detail ?? '')?.[1] ?? '30';
    return new LiveAppError(messages.rateLimited(limit), 429, code);
  }
  return new LiveAppError(detail ?? `HTTP error! status: ${status}`, status, code);
}
