// Stores a rendered PDF in the private `renders` bucket through the Storage HTTP API,
// acting as the caller: the request carries the caller's own access token, so Storage
// checks the bucket's policies (the owner's folder, PDFs only) exactly as it would for
// the app uploading the file itself. The function never holds a key that bypasses them.
//
// The Storage API does not run on the Docker-free stack; tests use a recording double
// of this one call (method, URL, headers, body). Under `supabase start` or on a hosted
// project the same request reaches the real Storage API at SUPABASE_URL.
import { HttpError } from "../http.ts";

export const rendersBucket = "renders";

export interface StorageConfig {
  // SUPABASE_URL, e.g. http://127.0.0.1:54321.
  url: string;
  // The project's anon (publishable) key: the gateway requires an apikey; identity comes from the bearer.
  apiKey: string;
  fetch?: typeof fetch;
}

// `{user_id}/{generated_resume_id}/v{n}-{paper}.pdf`, the path record_render_artifact accepts.
export function renderPath(userId: string, generatedResumeId: string, versionNumber: number, paper: string): string {
  return `${userId}/${generatedResumeId}/v${versionNumber}-${paper}.pdf`;
}

// POST /storage/v1/object/renders/<path> with x-upsert: rendering a version twice
// replaces its file (the bucket's policies allow the owner to update their own objects).
export async function uploadRender(
  config: StorageConfig,
  callerToken: string,
  path: string,
  bytes: Uint8Array,
): Promise<void> {
  const target = new URL(
    `/storage/v1/object/${rendersBucket}/${path.split("/").map(encodeURIComponent).join("/")}`,
    config.url,
  );
  const response = await (config.fetch ?? fetch)(target, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${callerToken}`,
      apikey: config.apiKey,
      "Content-Type": "application/pdf",
      "Cache-Control": "max-age=3600",
      "x-upsert": "true",
    },
    body: bytes as BodyInit,
  });
  const detail = await response.text().catch(() => "");
  if (!response.ok) {
    // The Storage API's message goes to the log; the caller hears which side failed.
    console.error(JSON.stringify({ storage: target.pathname, status: response.status, detail: detail.slice(0, 500) }));
    if (response.status === 401 || response.status === 403) {
      throw new HttpError(403, "storage_refused", "Storage refused to store this render for you.");
    }
    throw new HttpError(502, "storage_error", "The render could not be stored. Try again later.");
  }
}
