import { handleRequest } from "./handler.ts";

Deno.serve(handleRequest);
