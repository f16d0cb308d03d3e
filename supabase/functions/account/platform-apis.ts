// The two Supabase HTTP APIs account deletion calls, and exactly these requests (the
// shapes supabase-js's storage and auth-admin clients send, and that supabase/storage
// and supabase/auth answer):
//   Storage  GET    /storage/v1/bucket                    list buckets (service role)
//            POST   /storage/v1/object/list/<bucket>      {prefix, limit, offset, sortBy}: one folder level;
//                                                         folders come back with id null
//            DELETE /storage/v1/object/<bucket>           {prefixes: [paths]} → the objects deleted
//   Auth     DELETE /auth/v1/admin/users/<id>             {should_soft_delete: false} → {} (404 when gone)
// Object listing and deletion are sent with the caller's own access token, so Storage's
// row-level security confines them to the caller's folder whatever this code does;
// only the bucket list and the user deletion need the service role.

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface StorageEntry {
  name: string;
  // null for a folder (a common prefix), the object id for a file.
  id: string | null;
}

export interface StorageApi {
  listBuckets(): Promise<string[]>;
  listFolder(bucket: string, prefix: string, limit: number): Promise<StorageEntry[]>;
  removeObjects(bucket: string, paths: string[]): Promise<number>;
}

export interface AuthAdminApi {
  // "deleted", or "not_found" when the user was already gone.
  deleteUser(id: string): Promise<"deleted" | "not_found">;
}

// A platform call that failed: the status (0 when no answer came) and which call.
export class PlatformApiError extends Error {
  constructor(readonly call: string, readonly status: number, detail: string) {
    super(`${call} answered ${status || "nothing"}: ${detail.slice(0, 300)}`);
    this.name = "PlatformApiError";
  }
}

interface Keys {
  url: string;
  anonKey: string;
  serviceRoleKey: string;
  fetch: Fetch;
  timeoutMs: number;
}

async function call(keys: Keys, name: string, path: string, init: { method: string; token: string; apikey: string; body?: unknown }) {
  let response: Response;
  try {
    response = await keys.fetch(new URL(path, keys.url).toString(), {
      method: init.method,
      headers: {
        apikey: init.apikey,
        Authorization: `Bearer ${init.token}`,
        ...(init.body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(keys.timeoutMs),
    });
  } catch (error) {
    throw new PlatformApiError(name, 0, String((error as Error)?.message ?? error));
  }
  return response;
}

async function jsonOrThrow(name: string, response: Response): Promise<unknown> {
  const text = await response.text();
  if (!response.ok) throw new PlatformApiError(name, response.status, text);
  try {
    return JSON.parse(text);
  } catch {
    throw new PlatformApiError(name, response.status, `not JSON: ${text}`);
  }
}

export function storageApi(keys: Keys & { userToken: string }): StorageApi {
  return {
    async listBuckets() {
      const response = await call(keys, "storage: list buckets", "/storage/v1/bucket", {
        method: "GET", token: keys.serviceRoleKey, apikey: keys.serviceRoleKey,
      });
      const body = await jsonOrThrow("storage: list buckets", response);
      if (!Array.isArray(body)) throw new PlatformApiError("storage: list buckets", response.status, "not a list");
      return body.map((b) => String((b as { id?: unknown }).id ?? "")).filter((id) => id !== "");
    },
    async listFolder(bucket, prefix, limit) {
      const name = `storage: list ${bucket}/${prefix}`;
      const response = await call(keys, name, `/storage/v1/object/list/${encodeURIComponent(bucket)}`, {
        method: "POST", token: keys.userToken, apikey: keys.anonKey,
        body: { prefix, limit, offset: 0, sortBy: { column: "name", order: "asc" } },
      });
      const body = await jsonOrThrow(name, response);
      if (!Array.isArray(body)) throw new PlatformApiError(name, response.status, "not a list");
      return body.map((e) => ({ name: String((e as StorageEntry).name ?? ""), id: (e as StorageEntry).id ?? null }));
    },
    async removeObjects(bucket, paths) {
      const name = `storage: delete ${paths.length} object(s) in ${bucket}`;
      const response = await call(keys, name, `/storage/v1/object/${encodeURIComponent(bucket)}`, {
        method: "DELETE", token: keys.userToken, apikey: keys.anonKey, body: { prefixes: paths },
      });
      const body = await jsonOrThrow(name, response);
      return Array.isArray(body) ? body.length : 0;
    },
  };
}

export function authAdminApi(keys: Keys): AuthAdminApi {
  return {
    async deleteUser(id) {
      const name = "auth: delete user";
      const response = await call(keys, name, `/auth/v1/admin/users/${encodeURIComponent(id)}`, {
        method: "DELETE", token: keys.serviceRoleKey, apikey: keys.serviceRoleKey, body: { should_soft_delete: false },
      });
      if (response.status === 404) {
        await response.body?.cancel();
        return "not_found";
      }
      await jsonOrThrow(name, response);
      return "deleted";
    },
  };
}
