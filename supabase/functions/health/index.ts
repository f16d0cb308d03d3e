import { installCrashGuard } from "../_shared/crash-guard.ts";
import { handleRequest } from "./handler.ts";

installCrashGuard("health");
Deno.serve(handleRequest);
