import { installCrashGuard } from "../_shared/crash-guard.ts";
import { handleRequest } from "./handler.ts";

installCrashGuard("share");
Deno.serve(handleRequest);
