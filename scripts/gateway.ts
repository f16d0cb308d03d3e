// The local functions gateway: what the Supabase platform does in front of edge
// functions, and nothing more. It serves /functions/v1/NAME/... from
// supabase/functions/NAME/handler.ts, checks the bearer JWT (HS256, local secret)
// unless config.toml sets verify_jwt = false, lets OPTIONS preflight through, and
// gives functions the platform's environment names.
import { jwtVerify } from "jose";
import { installCrashGuard } from "../supabase/functions/_shared/crash-guard.ts";

const root = new URL("../", import.meta.url);
const functionsDir = new URL("supabase/functions/", root);

interface FunctionConfig {
  enabled: boolean;
  verifyJwt: boolean;
}

// Reads the [functions.NAME] blocks of config.toml (only the two keys the gateway needs).
export function readFunctionConfig(toml: string): Map<string, FunctionConfig> {
  const configs = new Map<string, FunctionConfig>();
  let current: FunctionConfig | undefined;
  for (const raw of toml.split("\n")) {
    const line = raw.replace(/#.*$/, "").trim();
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      const name = /^functions\.([A-Za-z0-9_-]+)$/.exec(section[1])?.[1];
      current = name ? { enabled: true, verifyJwt: true } : undefined;
      if (name && current) configs.set(name, current);
      continue;
    }
    const setting = /^(enabled|verify_jwt)\s*=\s*(true|false)$/.exec(line);
    if (current && setting) {
      if (setting[1] === "enabled") current.enabled = setting[2] === "true";
      else current.verifyJwt = setting[2] === "true";
    }
  }
  return configs;
}

// supabase/functions/.env, as `supabase functions serve` loads it.
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
  const key = new TextEncoder().encode(secret);

  try {
    const dotEnv = readDotEnv(await Deno.readTextFile(new URL(".env", functionsDir)));
    for (const [name, value] of Object.entries(dotEnv)) {
      if (!name.startsWith("SUPABASE_")) Deno.env.set(name, value);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }

  const configs = readFunctionConfig(await Deno.readTextFile(new URL("supabase/config.toml", root)));
  const handlers = new Map<string, Handler>();
  for (const [name, config] of configs) {
    if (!config.enabled) continue;
    const module = await import(new URL(`${name}/handler.ts`, functionsDir).href);
    handlers.set(name, module.handleRequest as Handler);
  }

  Deno.serve({ hostname: "127.0.0.1", port, onListen: () => console.log(`gateway listening on ${port}`) }, async (req) => {
    const url = new URL(req.url);
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
  });
}

if (import.meta.main) await main();
