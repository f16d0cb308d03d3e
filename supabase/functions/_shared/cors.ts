// The CORS headers Supabase recommends for browser callers of edge functions, with the
// methods each function actually answers (the pipeline adds them to every response).
// Besides supabase-js's own headers, the live web app's request helper sends
// Cache-Control, Pragma and Expires on every call; a browser refuses the call unless the
// preflight allows them.
export const allowedRequestHeaders = [
  "authorization",
  "x-client-info",
  "apikey",
  "content-type",
  "cache-control",
  "pragma",
  "expires",
] as const;

export function corsHeaders(methods: readonly string[]): Record<string, string> {
  return {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": allowedRequestHeaders.join(", "),
    "Access-Control-Allow-Methods": [...methods, "OPTIONS"].join(", "),
    // Lets browser callers read the request id and the retry delay.
    "Access-Control-Expose-Headers": "X-Request-Id, Retry-After",
  };
}
