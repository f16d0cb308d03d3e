// The CORS headers Supabase recommends for browser callers of edge functions, with the
// methods each function actually answers (the pipeline adds them to every response).
export function corsHeaders(methods: readonly string[]): Record<string, string> {
  return {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "authorization, x-client-info, apikey, content-type",
    "Access-Control-Allow-Methods": [...methods, "OPTIONS"].join(", "),
    // Lets browser callers read the request id and the retry delay.
    "Access-Control-Expose-Headers": "X-Request-Id, Retry-After",
  };
}
