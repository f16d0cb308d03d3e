import assert from "node:assert/strict";
import { isDriverWriteFault, reconnectBackoffSeconds } from "./db.ts";

Deno.test("db: reconnects are retried within half a second however often they failed", () => {
  assert.equal(reconnectBackoffSeconds(0), 0.05);
  assert.equal(reconnectBackoffSeconds(2), 0.2);
  for (const failures of [4, 10, 100]) assert.equal(reconnectBackoffSeconds(failures), 0.5);
});

Deno.test("db: the postgres.js write-after-close fault is recognised, other errors are not", () => {
  const fault = new TypeError("Cannot read properties of null (reading 'write')");
  fault.stack = `${fault.message}\n    at Immediate.nextWrite (file:///deno/npm/registry.npmjs.org/postgres/3.4.9/src/connection.js:255:22)`;
  assert.equal(isDriverWriteFault(fault), true);
  assert.equal(isDriverWriteFault(new TypeError("x is not a function")), false);
  assert.equal(isDriverWriteFault(new Error(fault.stack)), false);
  assert.equal(isDriverWriteFault(undefined), false);
});
