// Keeps a function instance serving when a library throws outside any request's reach.
// postgres.js (3.4.9) can throw from a setImmediate write after the database closed the
// connection (porsager/postgres#1154, #1208): uncaught, that ends the process and every
// other caller's request with it, although the query it belonged to was already
// rejected. Such an error is logged once, as one line, and the instance carries on.
import { loggedError } from "./database-errors.ts";

let installed = false;

export function installCrashGuard(functionName: string): void {
  if (installed) return;
  installed = true;
  const log = (kind: string, error: unknown) =>
    console.error(JSON.stringify({ function: functionName, [kind]: loggedError(error) }));
  globalThis.addEventListener("error", (event) => {
    event.preventDefault();
    log("uncaughtError", (event as ErrorEvent).error ?? (event as ErrorEvent).message);
  });
  globalThis.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    log("unhandledRejection", (event as PromiseRejectionEvent).reason);
  });
}
