// What functions read their settings from: Deno.env in index.ts, a plain object in tests.
export interface Env {
  get(name: string): string | undefined;
}

// True when the module is the function's entry point: Deno's main module, or under the
// Supabase edge runtime (which defines EdgeRuntime and starts index.ts itself). Only then
// does index.ts read the environment and serve; importing it does nothing.
export function isEntryPoint(meta: ImportMeta): boolean {
  return meta.main || "EdgeRuntime" in globalThis;
}
