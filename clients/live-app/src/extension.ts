// The browser extension's calls on this backend, answering what the live extension reads
// (docs/extension.md):
//   verifyToken()  its token check: {valid, user_id, email}, or {valid: false, error} for a
//                  token that is expired, forged or missing (never a throw: the extension
//                  signs the user out on valid: false). A network failure or a 5xx throws,
//                  so the extension keeps its token as it does when its server is away.
//   saveJob(data)  its job capture, from the payload it builds today (the side panel's
//                  {url, canonical_url, stage, excitement, html_content, fallback_data}, or
//                  either of the old service's request bodies): the page's HTML (1-3 MB for
//                  a LinkedIn job) is reduced here to its text (at most 50,000 characters)
//                  and sent to ai/parse-job, which saves the job with its stage and
//                  excitement and answers {job_id, status: 'success' | 'duplicate',
//                  is_duplicate, message, extracted_data}.
// Built on the app's own supabase-js client: calls go out under the extension's stored
// access token (getToken) or, without one, the client's session.
import type { SupabaseClient } from '@supabase/supabase-js';
import { htmlToText } from '../../../supabase/functions/ai/page-text';

// ai/parse-job reads at most this much page text (maxPageTextChars there).
export const maxPageTextChars = 50_000;

export interface TokenCheck {
  valid: boolean;
  user_id?: string;
  email?: string | null;
  error?: string;
}

export interface FallbackData {
  job_title?: string | null;
  company?: string | null;
  location?: string | null;
  salary?: string | null;
  description?: string | null;
}

// What the extension sends: the side panel's job data or the old service's bodies.
export interface ExtensionJobPayload {
  url?: string | null;
  canonical_url?: string | null;
  source_url?: string | null;
  stage?: string | null;
  excitement?: number | null;
  html_content?: string | null;
  html?: string | null;
  text?: string | null;
  fallback_data?: FallbackData | null;
  metadata?: { fallback_data?: FallbackData | null } | null;
}

export interface ExtractedData {
  job_title: string;
  company: string;
  location: string | null;
  salary: string | null;
  job_url: string | null;
}

export interface SaveJobAnswer {
  job_id: string;
  status: 'success' | 'duplicate';
  is_duplicate: boolean;
  message: string;
  extracted_data: ExtractedData;
  [field: string]: unknown;
}

// A refused call: status and detail as the function answered them (401 means "sign in again").
export class ExtensionApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ExtensionApiError';
  }
}

export interface ExtensionApiOptions {
  // The access token the extension keeps (chrome.storage.local); when it gives none, the
  // supabase client's own session is used.
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
}

// The readable text of a page's HTML, as ai/parse-job itself reads it (scripts, styles,
// hidden <code> JSON and markup dropped), cut to what the function reads.
export function reducePage(html: string): string {
  return htmlToText(html).slice(0, maxPageTextChars);
}

// The body ai/parse-job gets: the payload's own fields, its page as text, and save.
export function saveJobBody(payload: ExtensionJobPayload): Record<string, unknown> {
  const { html_content, html, text, ...rest } = payload;
  const page = [html_content, html].find((value) => typeof value === 'string' && value.trim() !== '');
  const body: Record<string, unknown> = { ...rest, save: true };
  if (page !== undefined) body.text = reducePage(page as string);
  else if (typeof text === 'string' && text.trim() !== '') body.text = text.slice(0, maxPageTextChars);
  return body;
}

async function refusal(error: unknown): Promise<ExtensionApiError | undefined> {
  const context = (error as { context?: unknown })?.context;
  if (!(context instanceof Response)) return undefined;
  let detail = `Request failed with status ${context.status}`;
  let code: string | undefined;
  try {
    const body = await context.json();
    detail = typeof body?.detail === 'string' ? body.detail : body?.error?.message ?? detail;
    code = body?.error?.code;
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  const retryAfter = Number(context.headers.get('Retry-After') ?? '');
  return new ExtensionApiError(context.status, detail, code, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
}

export function createExtensionApi(supabase: SupabaseClient<any, any, any>, options: ExtensionApiOptions = {}) {
  async function headersFor(token?: string | null): Promise<Record<string, string>> {
    const bearer = token ?? (await options.getToken?.()) ?? undefined;
    return bearer ? { Authorization: `Bearer ${bearer}` } : {};
  }

  async function invoke<T>(name: string, init: { method: 'GET' | 'POST'; body?: unknown; token?: string | null }): Promise<T> {
    const { data, error } = await supabase.functions.invoke(name, {
      method: init.method,
      body: init.body as Record<string, unknown> | undefined,
      headers: await headersFor(init.token),
    });
    if (error) throw (await refusal(error)) ?? error;
    return data as T;
  }

  async function verifyToken(token?: string | null): Promise<TokenCheck> {
    try {
      const answer = await invoke<{ valid: boolean; user_id: string; email: string | null }>('health', {
        method: 'GET',
        token,
      });
      return { valid: answer.valid === true, user_id: answer.user_id, email: answer.email ?? null };
    } catch (error) {
      if (error instanceof ExtensionApiError && error.status === 401) return { valid: false, error: error.message };
      throw error;
    }
  }

  async function saveJob(payload: ExtensionJobPayload, token?: string | null): Promise<SaveJobAnswer> {
    return await invoke<SaveJobAnswer>('ai/parse-job', { method: 'POST', body: saveJobBody(payload), token });
  }

  return {
    verifyToken,
    saveJob,
    // The old service's two capture routes, one call here.
    scrapeLinkedIn: saveJob,
    ingestHtml: saveJob,
  };
}

export type ExtensionApi = ReturnType<typeof createExtensionApi>;
