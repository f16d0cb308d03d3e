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

Deno.test("db: every function that makes a database client has the crash guard, installed with it", async () => {
  const functions = new URL("../", import.meta.url);
  const root = new URL("../../../", import.meta.url);
  for await (const entry of Deno.readDir(functions)) {
    if (!entry.isDirectory || entry.name.startsWith("_")) continue;
    const index = new URL(`${entry.name}/index.ts`, functions);
    if (!(await Deno.readTextFile(index)).includes("databaseFromEnv")) continue;
    // A process of its own per function, as an instance is: build the handler, then let
    // an error be thrown outside any request, as the driver's fault is.
    const code = `
      const { handlerFromEnv } = await import(${JSON.stringify(index.href)});
      handlerFromEnv({ get: () => undefined });
      const event = new ErrorEvent("error", { error: new Error("thrown outside any request"), cancelable: true });
      globalThis.dispatchEvent(event);
      console.log(JSON.stringify({ kept: event.defaultPrevented }));`;
    const output = await new Deno.Command(Deno.execPath(), { args: ["eval", code], cwd: root, stdout: "piped", stderr: "piped" })
      .output();
    const stdout = new TextDecoder().decode(output.stdout);
    assert.match(stdout, /\{"kept":true\}/, `${entry.name}: ${new TextDecoder().decode(output.stderr).slice(0, 500)}`);
  }
});
