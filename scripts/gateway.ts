// The local API gateway: what the Supabase platform does in front of PostgREST and
// edge functions, and nothing more. It proxies /rest/v1/* to PostgREST (rest_proxy.ts),
// serves /functions/v1/NAME/... with the handler supabase/functions/NAME/index.ts
// builds from the environment (handlerFromEnv: what index.ts serves when the edge
// runtime starts it), checks the bearer JWT (HS256, local secret) unless config.toml
// sets verify_jwt = false, lets OPTIONS preflight through, and gives functions the
// platform's environment names. Request bodies are bounded here (body-limit.ts): 413
// beyond the bound, before PostgREST or a function processes anything.
import { jwtVerify } from "jose";
import { parse } from "smol-toml";
import { installCrashGuard } from "../supabase/functions/_shared/crash-guard.ts";
import { bodyLimitFor, boundRequestBody, payloadTooLarge } from "./body-limit.ts";
import { isRestPath, proxyRest } from "./rest_proxy.ts";
import { RestPacing, restCallerOf } from "./rest_pacing.ts";

const root = new URL("../", import.meta.url);
const functionsDir = new URL("supabase/functions/", root);

interface FunctionConfig {
  enabled: boolean;
  verifyJwt: boolean;
}

// The [functions.NAME] blocks of config.toml (the two keys the gateway needs; both
// default to true, as in the Supabase CLI).
export function readFunctionConfig(toml: string): Map<string, FunctionConfig> {
  const functions = (parse(toml).functions ?? {}) as Record<string, Record<string, unknown>>;
  const configs = new Map<string, FunctionConfig>();
  for (const [name, block] of Object.entries(functions)) {
    if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`config.toml: [functions.${name}] is not a valid function name.`);
    const flag = (key: string) => {
      const value = block[key] ?? true;
      if (typeof value !== "boolean") throw new Error(`config.toml: [functions.${name}] ${key} must be true or false.`);
      return value;
    };
    configs.set(name, { enabled: flag("enabled"), verifyJwt: flag("verify_jwt") });
  }
  return configs;
}

// An env file (supabase/functions/.env for npm start), as `supabase functions serve --env-file` reads it.
function readDotEnv(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const raw of text.split("\n")) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/.exec(raw);
    if (!match) continue;
    vars[match[1]] = match[2].replace(/^(['"])(.*)\1$/, "$2");
  }
  return vars;
}

type Handler = (req: Request) => Response | Promise<Response>;

const invalidJwt = () =>
  new Response(JSON.stringify({ msg: "Invalid JWT" }), {
    status: 401,
    headers: { "Content-Type": "application/json" },
  });

async function main() {
  // All functions share this process, as they share an instance on the edge runtime.
  installCrashGuard("gateway");
  const port = Number(Deno.env.get("GATEWAY_PORT") ?? "54321");
  const secret = Deno.env.get("JWT_SECRET");
  if (!secret) throw new Error("JWT_SECRET must be set for the gateway.");
  const postgrest = Deno.env.get("POSTGREST_URL");
  if (!postgrest) throw new Error("POSTGREST_URL must be set for the gateway.");
  const rest = {
    upstream: postgrest,
    apiKeys: [Deno.env.get("SUPABASE_ANON_KEY"), Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")].filter((k): k is string => !!k),
  };
  const key = new TextEncoder().encode(secret);

  // Only the env file the stack names (npm start: supabase/functions/.env); the test
  // stack names none, so a developer's real-model settings never reach the tests.
  const envFile = Deno.env.get("FUNCTIONS_ENV_FILE");
  if (envFile) {
    try {
      const dotEnv = readDotEnv(await Deno.readTextFile(envFile));
      for (const [name, value] of Object.entries(dotEnv)) {
        if (!name.startsWith("SUPABASE_")) Deno.env.set(name, value);
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }

  const configs = readFunctionConfig(await Deno.readTextFile(new URL("supabase/config.toml", root)));
  const handlers = new Map<string, Handler>();
  for (const [name, config] of configs) {
    if (!config.enabled) continue;
    const module = await import(new URL(`${name}/index.ts`, functionsDir).href);
    handlers.set(name, module.handlerFromEnv(Deno.env) as Handler);
  }

  Deno.serve({ hostname: "127.0.0.1", port, onListen: () => console.log(`gateway listening on ${port}`) }, async (incoming, info) => {
    const url = new URL(incoming.url);
    const restPath = isRestPath(url.pathname);
    const limit = await bodyLimitFor(incoming, key);
    const bounded = boundRequestBody(incoming, limit, restPath);
    if (bounded instanceof Response) return bounded;
    const response = await route(bounded.request, url, restPath, info.remoteAddr.hostname);
    if (!bounded.exceeded()) return response;
    await response.body?.cancel().catch(() => {});
    return payloadTooLarge(restPath, limit);
  });

  // Each caller's /rest/v1 requests beyond its fair-use share wait here (scripts/rest_pacing.ts).
  const pacing = new RestPacing();

  async function route(req: Request, url: URL, restPath: boolean, clientAddress: string): Promise<Response> {
    if (restPath) {
      const caller = req.method === "OPTIONS" ? null : await restCallerOf(req, key, clientAddress);
      return await pacing.run(caller, () => proxyRest(req, rest));
    }
    const missing = missingPlatformApi(url.pathname);
    if (missing) return missing;
    const match = /^\/functions\/v1\/([^/]+)(\/.*)?$/.exec(url.pathname);
    const name = match?.[1];
    const handler = name ? handlers.get(name) : undefined;
    if (!name || !handler) {
      return new Response(JSON.stringify({ code: "NOT_FOUND", message: "Requested function was not found" }), {
        status: 404,
        headers: { "Content-Type": "application/json" },
      });
    }
    if (req.method !== "OPTIONS" && configs.get(name)!.verifyJwt) {
      const token = /^Bearer\s+(\S+)$/i.exec(req.headers.get("Authorization") ?? "")?.[1];
      if (!token) return invalidJwt();
      try {
        await jwtVerify(token, key, { algorithms: ["HS256"] });
      } catch {
        return invalidJwt();
      }
    }
    // Functions see their own path (/NAME/...), as under the edge runtime.
    const forwarded = new Request(new URL(`/${name}${match![2] ?? ""}${url.search}`, url), req);
    return await handler(forwarded);
  }
}

// Supabase's Storage (/storage/v1) and Auth (/auth/v1) APIs do not run on this Docker-free
// stack. Their paths answer 501 with a sentence saying so, instead of the 404 of an unknown
// function, so that a caller (the account function, a client) can say what is missing.
export function missingPlatformApi(pathname: string): Response | undefined {
  const api = /^\/(storage|auth)\/v1(?:\/|$)/.exec(pathname)?.[1];
  if (!api) return undefined;
  const name = api === "storage" ? "Storage" : "Auth";
  return new Response(
    JSON.stringify({
      code: "platform_api_missing",
      message: `This local stack has no Supabase ${name} API (/${api}/v1): it runs with \`supabase start\` or on a hosted project.`,
    }),
    { status: 501, headers: { "Content-Type": "application/json", "Access-Control-Allow-Origin": "*" } },
  );
}

if (import.meta.main) await main();
