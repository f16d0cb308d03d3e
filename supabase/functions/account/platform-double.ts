// A recording double of exactly the Storage and Auth API calls account deletion makes
// (see platform-apis.ts), for tests: it answers from an in-memory bucket list, object
// list and user list the way supabase/storage and supabase/auth answer, enforces what
// their RLS and service-role checks would (a user token lists and deletes only under
// its own folder; the admin route needs the service role), and records every request.
// It can be told to fail a given call once, to test the retry paths.
import { decodeJwt } from "jose";
import type { Fetch } from "./platform-apis.ts";

export interface RecordedCall {
  method: string;
  path: string;
  apikey: string | null;
  bearer: string | null;
  body: unknown;
}

export interface PlatformDouble {
  fetch: Fetch;
  calls: RecordedCall[];
  // bucket → object paths
  objects: Map<string, Set<string>>;
  users: Set<string>;
  // The next call whose "METHOD path" starts with this answers with this status, once.
  failNext(callPrefix: string, status: number): void;
  // Called when the double deletes a user, as GoTrue deletes the auth.users row.
  onUserDeleted?: (id: string) => Promise<void>;
  onObjectsDeleted?: (bucket: string, paths: string[]) => Promise<void>;
}

const jsonResponse = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

export function platformDouble(options: { serviceRoleKey: string; buckets: string[] }): PlatformDouble {
  const objects = new Map(options.buckets.map((b) => [b, new Set<string>()]));
  const users = new Set<string>();
  const calls: RecordedCall[] = [];
  const failures: { prefix: string; status: number }[] = [];

  const roleOf = (bearer: string | null): { role: string; sub?: string } => {
    if (!bearer) return { role: "none" };
    if (bearer === options.serviceRoleKey) return { role: "service_role" };
    try {
      const claims = decodeJwt(bearer);
      return { role: String(claims.role), sub: typeof claims.sub === "string" ? claims.sub : undefined };
    } catch {
      return { role: "invalid" };
    }
  };

  const double: PlatformDouble = {
    calls,
    objects,
    users,
    failNext(prefix, status) {
      failures.push({ prefix, status });
    },
    fetch: async (input, init = {}) => {
      const url = new URL(input);
      const method = (init.method ?? "GET").toUpperCase();
      const headers = new Headers(init.headers);
      const bearer = /^Bearer (.+)$/.exec(headers.get("Authorization") ?? "")?.[1] ?? null;
      const body = typeof init.body === "string" ? JSON.parse(init.body) : undefined;
      calls.push({ method, path: url.pathname, apikey: headers.get("apikey"), bearer, body });
      const failure = failures.findIndex((f) => `${method} ${url.pathname}`.startsWith(f.prefix));
      if (failure >= 0) {
        const [{ status }] = failures.splice(failure, 1);
        return jsonResponse({ statusCode: String(status), error: "injected", message: "injected failure" }, status);
      }
      const caller = roleOf(bearer);
      if (!headers.get("apikey")) return jsonResponse({ message: "No API key found in request" }, 401);

      if (method === "GET" && url.pathname === "/storage/v1/bucket") {
        // Buckets are visible to the service role (no select policy for users).
        if (caller.role !== "service_role") return jsonResponse([]);
        return jsonResponse([...objects.keys()].map((id) => ({ id, name: id, public: false })));
      }
      let match = /^\/storage\/v1\/object\/list\/([^/]+)$/.exec(url.pathname);
      if (method === "POST" && match) {
        const bucket = decodeURIComponent(match[1]);
        const prefix = String(body?.prefix ?? "");
        const limit = Number(body?.limit ?? 100);
        const visible = [...(objects.get(bucket) ?? [])]
          .filter((path) => caller.role === "service_role" || (caller.sub && path.startsWith(`${caller.sub}/`)))
          .filter((path) => path.startsWith(prefix))
          .map((path) => path.slice(prefix.length));
        const level = new Map<string, string | null>();
        for (const rest of visible) {
          const [first, ...more] = rest.split("/");
          level.set(first, more.length ? null : crypto.randomUUID());
        }
        const entries = [...level.entries()].sort(([a], [b]) => a.localeCompare(b)).slice(0, limit)
          .map(([name, id]) => ({ name, id, metadata: id ? { size: 1 } : null }));
        return jsonResponse(entries);
      }
      match = /^\/storage\/v1\/object\/([^/]+)$/.exec(url.pathname);
      if (method === "DELETE" && match) {
        const bucket = decodeURIComponent(match[1]);
        const set = objects.get(bucket) ?? new Set();
        const deleted = (body?.prefixes as string[] ?? []).filter((path) =>
          set.has(path) && (caller.role === "service_role" || (caller.sub && path.startsWith(`${caller.sub}/`)))
        );
        for (const path of deleted) set.delete(path);
        if (deleted.length) await double.onObjectsDeleted?.(bucket, deleted);
        return jsonResponse(deleted.map((name) => ({ name, bucket_id: bucket })));
      }
      match = /^\/auth\/v1\/admin\/users\/([^/]+)$/.exec(url.pathname);
      if (method === "DELETE" && match) {
        if (caller.role !== "service_role") {
          return jsonResponse({ code: 403, error_code: "not_admin", msg: "User not allowed" }, 403);
        }
        const id = decodeURIComponent(match[1]);
        if (!users.has(id)) return jsonResponse({ code: 404, error_code: "user_not_found", msg: "User not found" }, 404);
        users.delete(id);
        await double.onUserDeleted?.(id);
        return jsonResponse({});
      }
      return jsonResponse({ message: `the double does not know ${method} ${url.pathname}` }, 501);
    },
  };
  return double;
}
