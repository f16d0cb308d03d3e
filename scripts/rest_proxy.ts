// /rest/v1/* → PostgREST, as Supabase's API gateway (Kong: cors, key-auth with
// hidden credentials) serves it:
// - an `apikey` header holding the anon or service_role key is required (401 without);
// - the Authorization bearer goes through when sent, else the apikey becomes the bearer
//   (so PostgREST runs the request as the key's role);
// - the /rest/v1 prefix is stripped; every other request and response header (Prefer,
//   Range, Accept, Accept-Profile, Content-Profile / Content-Range, Location, ...) and
//   both bodies pass through unchanged and streamed, so limits are PostgREST's own;
// - CORS as Kong's cors plugin with its defaults: preflight answered here (before the
//   key check), `Access-Control-Allow-Origin: *` on every response.

export interface RestProxyOptions {
  upstream: string; // e.g. http://127.0.0.1:54326
  apiKeys: string[]; // the anon and service_role keys
}

export const restPrefix = "/rest/v1";

const corsMethods = "GET,HEAD,PUT,PATCH,POST,DELETE,OPTIONS,TRACE,CONNECT";

// Connection-level headers are the proxy's own business, never forwarded (RFC 9110 7.6.1).
const hopByHop = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "host"];

function json(status: number, body: unknown, headers: HeadersInit = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Access-Control-Allow-Origin": "*", ...headers },
  });
}

function preflight(req: Request) {
  const headers = new Headers({
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": corsMethods,
    "Content-Length": "0",
  });
  const requested = req.headers.get("Access-Control-Request-Headers");
  if (requested) headers.set("Access-Control-Allow-Headers", requested);
  return new Response(null, { status: 200, headers });
}

export function isRestPath(pathname: string) {
  return pathname === restPrefix || pathname.startsWith(`${restPrefix}/`);
}

export async function proxyRest(req: Request, options: RestProxyOptions): Promise<Response> {
  const url = new URL(req.url);
  if (req.method === "OPTIONS" && req.headers.has("Access-Control-Request-Method")) return preflight(req);

  const apiKey = req.headers.get("apikey");
  if (!apiKey) {
    return json(401, { message: "No API key found in request", hint: "No `apikey` request header or url param was found." });
  }
  if (!options.apiKeys.includes(apiKey)) {
    return json(401, { message: "Invalid API key", hint: "Double check your Supabase `anon` or `service_role` API key." });
  }

  const headers = new Headers(req.headers);
  for (const name of hopByHop) headers.delete(name);
  headers.delete("apikey"); // key-auth's hide_credentials
  if (!headers.has("Authorization")) headers.set("Authorization", `Bearer ${apiKey}`);
  headers.set("X-Forwarded-Host", url.host);
  headers.set("X-Forwarded-Proto", url.protocol.replace(":", ""));
  headers.set("X-Forwarded-Prefix", restPrefix);

  const target = new URL(`${url.pathname.slice(restPrefix.length) || "/"}${url.search}`, options.upstream);
  const hasBody = req.body !== null && req.method !== "GET" && req.method !== "HEAD";
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: req.method,
      headers,
      body: hasBody ? req.body : undefined,
      redirect: "manual",
      signal: req.signal,
    });
  } catch (error) {
    if (req.signal.aborted) throw error;
    return json(502, { message: "An invalid response was received from the upstream server" });
  }
  const responseHeaders = new Headers(upstream.headers);
  for (const name of hopByHop) responseHeaders.delete(name);
  responseHeaders.set("Access-Control-Allow-Origin", "*");
  return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers: responseHeaders });
}
