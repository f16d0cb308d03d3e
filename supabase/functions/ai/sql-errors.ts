// SQLSTATEs raised by the wizard and version RPCs when a row changed between the read
// and the write (deleted, completed, abandoned): they become the same 404/409 the
// action gives when it sees that state up front, not a bare 500.
import { HttpError } from "../_shared/http.ts";

export function rpcRefusal(error: unknown, notFound: string): HttpError | undefined {
  const code = (error as { code?: unknown })?.code;
  if (code === "PT404") return new HttpError(404, "not_found", notFound);
  if (code === "P0001") {
    return new HttpError(409, "conflict", "This item changed while the AI model was working. Reload it and try again.");
  }
  return undefined;
}
