// Deleting an account, in the one order that can be retried: first every file the user
// has in every bucket (through the Storage API, which also removes the bytes; Supabase
// refuses plain deletes of storage.objects rows for that reason), then the auth user
// (through the Auth admin API); deleting the auth.users row cascades to every table.
//
// Retry-safe both ways: after "files gone, user still there" a second call finds no
// files and deletes the user; after "user gone, files still there" (a file uploaded
// while the first call ran, say) the caller's token still verifies until it expires,
// the files are found and removed, and the Auth API's 404 counts as already deleted.
import type { AuthAdminApi, StorageApi } from "./platform-apis.ts";

export interface DeletionResult {
  files: number;
  user: "deleted" | "already_deleted";
}

export class DeletionIncomplete extends Error {
  constructor(override readonly cause: unknown) {
    super("deletion stopped part way");
    this.name = "DeletionIncomplete";
  }
}

// Bounds on one call's work; a user past them gets an error and finishes with a retry.
export const limits = { pageSize: 100, maxListCalls: 500, maxDepth: 8 };

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// A name from a folder listing is one path segment; anything else is not followed.
const isSegment = (name: string) => name !== "" && name !== "." && name !== ".." && !name.includes("/");

export async function deleteAccount(userId: string, apis: { storage: StorageApi; auth: AuthAdminApi }): Promise<DeletionResult> {
  if (!uuidPattern.test(userId)) throw new Error(`not a user id: ${userId}`);
  const root = `${userId}/`;
  let listCalls = 0;
  let files = 0;

  // Empties one folder (and its subfolders) of one bucket. Listing always starts at
  // offset 0: what the previous page held is deleted by then.
  const purge = async (bucket: string, prefix: string, depth: number): Promise<void> => {
    if (depth > limits.maxDepth) return;
    for (;;) {
      if (++listCalls > limits.maxListCalls) throw new Error(`more than ${limits.maxListCalls} folder listings`);
      const entries = await apis.storage.listFolder(bucket, prefix, limits.pageSize);
      const paths = entries.filter((e) => e.id !== null && isSegment(e.name)).map((e) => prefix + e.name);
      const folders = entries.filter((e) => e.id === null && isSegment(e.name)).map((e) => `${prefix}${e.name}/`);
      if (paths.length) files += await apis.storage.removeObjects(bucket, paths);
      for (const folder of folders) await purge(bucket, folder, depth + 1);
      if (entries.length < limits.pageSize || (paths.length === 0 && folders.length === 0)) return;
    }
  };

  try {
    for (const bucket of await apis.storage.listBuckets()) await purge(bucket, root, 1);
    const outcome = await apis.auth.deleteUser(userId);
    return { files, user: outcome === "deleted" ? "deleted" : "already_deleted" };
  } catch (error) {
    throw new DeletionIncomplete(error);
  }
}
