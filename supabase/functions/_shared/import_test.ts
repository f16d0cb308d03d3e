// No work at import: every module of every function, index.ts included, is imported in
// a Deno process with no permissions at all. Reading the environment, opening a socket
// or serving at import would need a permission and fail the import; only an entry point
// started by Deno or the edge runtime reads env and serves.
import assert from "node:assert/strict";

const functionsDir = new URL("../", import.meta.url);

async function modulesUnder(dir: URL): Promise<URL[]> {
  const found: URL[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) found.push(...await modulesUnder(url));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) found.push(url);
  }
  return found;
}

Deno.test("importing any function module, index.ts included, reads no env, opens nothing and serves nothing", async () => {
  const modules = await modulesUnder(functionsDir);
  assert.ok(modules.some((url) => url.pathname.endsWith("/ai/index.ts")), "the walk found the ai entry point");
  assert.ok(modules.some((url) => url.pathname.endsWith("/ai/handler.ts")), "the walk found the ai handler");
  const dir = await Deno.makeTempDir();
  try {
    const script = `${dir}/import-all.ts`;
    await Deno.writeTextFile(
      script,
      modules.map((url) => `await import(${JSON.stringify(url.href)});`).join("\n") + '\nconsole.log("imported");\n',
    );
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        "--quiet",
        "--config",
        new URL("../../../deno.json", import.meta.url).pathname,
        script,
      ],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assert.equal(output.code, 0, `an import did work it had no permission for:\n${stderr.slice(0, 2000)}`);
    assert.equal(new TextDecoder().decode(output.stdout).trim(), "imported");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("each function's index.ts exports the factory the local gateway builds its handler with", async () => {
  for await (const entry of Deno.readDir(functionsDir)) {
    if (!entry.isDirectory || entry.name.startsWith("_")) continue;
    const module = await import(new URL(`${entry.name}/index.ts`, functionsDir).href);
    assert.equal(typeof module.handlerFromEnv, "function", `${entry.name}/index.ts exports handlerFromEnv(env)`);
  }
});
