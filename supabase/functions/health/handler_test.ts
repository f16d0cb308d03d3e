import assert from "node:assert/strict";
import type { CallerClaims } from "../_shared/auth.ts";
import type { Sql } from "../_shared/db.ts";
import { createHealthHandler } from "./handler.ts";

const claims: CallerClaims = { sub: "11111111-1111-4111-8111-111111111111", role: "authenticated" };

// A stand-in for postgres.js that records what the handler runs inside its transaction.
function fakeDatabase() {
  const statements: string[] = [];
  const tx = (strings: TemplateStringsArray, ...values: unknown[]) => {
    statements.push(strings.join("?"));
    if (strings.join("").includes("set_config")) return Promise.resolve([]);
    return Promise.resolve([{ user_id: claims.sub, role: values.length ? values[0] : "authenticated" }]);
  };
  const sql = { begin: (work: (t: typeof tx) => Promise<unknown>) => work(tx) } as unknown as Sql;
  return { sql, statements };
}

Deno.test("health reads the caller's id inside a transaction that first acts as the caller", async () => {
  const db = fakeDatabase();
  const handler = createHealthHandler({ verifyCaller: () => Promise.resolve(claims), database: () => db.sql });
  const response = await handler(new Request("http://local/health", { headers: { Authorization: "Bearer x" } }));
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { status: "ok", valid: true, user_id: claims.sub, email: null, role: "authenticated" });
  assert.match(db.statements[0], /set_config\('role'/);
  assert.match(db.statements[1], /auth\.uid\(\)/);
  assert.ok(response.headers.get("X-Request-Id"));
});

Deno.test("health is the extension's token check: {valid, user_id, email} from the verified token", async () => {
  const db = fakeDatabase();
  const handler = createHealthHandler({
    verifyCaller: () => Promise.resolve({ ...claims, email: "ada@example.com" }),
    database: () => db.sql,
  });
  const response = await handler(new Request("http://local/health", { headers: { Authorization: "Bearer x" } }));
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.equal(body.valid, true);
  assert.equal(body.user_id, claims.sub);
  assert.equal(body.email, "ada@example.com");
});

Deno.test("a database failure becomes a generic 500 that does not echo the cause", async () => {
  const sql = { begin: () => Promise.reject(new Error("password authentication failed for user postgres")) } as unknown as Sql;
  const handler = createHealthHandler({ verifyCaller: () => Promise.resolve(claims), database: () => sql });
  const original = console.error;
  console.error = () => {};
  try {
    const response = await handler(new Request("http://local/health"));
    assert.equal(response.status, 500);
    assert.doesNotMatch(await response.text(), /password/);
  } finally {
    console.error = original;
  }
});
