import assert from "node:assert/strict";
import { readFunctionConfig } from "./gateway.ts";

Deno.test("the gateway reads enabled and verify_jwt per [functions.NAME] block, defaulting to true", () => {
  const configs = readFunctionConfig(`
[api]
enabled = false

[functions.health]
verify_jwt = true # checked

[functions.share]
verify_jwt = false

[functions.old]
enabled = false
`);
  assert.deepEqual([...configs.keys()], ["health", "share", "old"]);
  assert.deepEqual(configs.get("health"), { enabled: true, verifyJwt: true });
  assert.deepEqual(configs.get("share"), { enabled: true, verifyJwt: false });
  assert.deepEqual(configs.get("old"), { enabled: false, verifyJwt: true });
});
