// Every function goes through the one pipeline: each guard is checked here against
// every function, with the real handlers and stand-ins for the database, the model and
// the token check. A new function folder must be added to `functions` below, or the
// first test fails.
import assert from "node:assert/strict";
import { AuthError, type CallerClaims } from "./auth.ts";
import type { Sql } from "./db.ts";
import type { Handler } from "./pipeline.ts";
import { createAccountHandler } from "../account/handler.ts";
import { createAiHandler } from "../ai/handler.ts";
import { createCalendarHandler } from "../calendar/handler.ts";
import { fakeClock, fakeModel, reply, testConfig } from "../ai/test-doubles.ts";
import { createHealthHandler } from "../health/handler.ts";
import { createResumeDocumentsHandler } from "../resume-documents/handler.ts";
import { createShareHandler } from "../share/handler.ts";

const claims: CallerClaims = { sub: "11111111-1111-4111-8111-111111111111", role: "authenticated" };
const goodToken = "Bearer good-token";
const verifyCaller = (authorization: string | null) =>
  authorization === goodToken
    ? Promise.resolve(claims)
    : Promise.reject(new AuthError("The access token is invalid or expired."));

// A database that answers every statement with `row` (or fails every transaction) and
// counts transactions, so a test can tell whether a guard stopped before the database.
function database(row: Record<string, unknown>, failure?: Error) {
  let transactions = 0;
  const tx = () => Promise.resolve([row]);
  const sql = {
    begin: (work: (t: typeof tx) => Promise<unknown>) => {
      transactions++;
      return failure ? Promise.reject(failure) : work(tx);
    },
  } as unknown as Sql;
  return { sql, transactions: () => transactions };
}

interface Subject {
  handler: Handler;
  transactions: () => number;
}

interface FunctionUnderTest {
  name: string;
  // The path and method of a request that succeeds, and a body it accepts when it takes one.
  path: string;
  method: string;
  body?: unknown;
  // config.toml's verify_jwt: does the function itself require a signed-in caller?
  signedIn: boolean;
  build(options: { failure?: Error }): Subject;
}

const shareToken = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";

const functions: FunctionUnderTest[] = [
  {
    name: "account",
    path: "/account",
    method: "DELETE",
    signedIn: true,
    build({ failure }) {
      // Stand-ins for the Storage and Auth APIs: a user with no files, deleted at once.
      // "transactions" counts the calls made to them.
      let calls = 0;
      const counted = <T>(value: T) => {
        calls++;
        return Promise.resolve(value);
      };
      const handler = createAccountHandler({
        verifyCaller,
        platformFor() {
          if (failure) throw failure;
          return {
            storage: { listBuckets: () => counted([]), listFolder: () => counted([]), removeObjects: () => counted(0) },
            auth: { deleteUser: () => counted("deleted" as const) },
          };
        },
      });
      return { handler, transactions: () => calls };
    },
  },
  {
    name: "ai",
    path: "/ai/skills",
    method: "POST",
    body: { description: "We need TypeScript and PostgreSQL.", context: "job" },
    signedIn: true,
    build({ failure }) {
      // Every statement answers as the admission ledger does when it admits.
      const db = database({ admission_id: "adad0000-0000-4000-8000-000000000001", refusal: null }, failure);
      const handler = createAiHandler({
        verifyCaller,
        database: () => db.sql,
        llm: fakeModel(reply({ skills: ["TypeScript"] })).model,
        clock: fakeClock(),
        config: testConfig,
      });
      return { handler, transactions: db.transactions };
    },
  },
  {
    name: "calendar",
    path: `/calendar/${shareToken}.ics`,
    method: "GET",
    signedIn: false,
    build({ failure }) {
      const feed = { time_zone: "UTC", events: [] };
      const db = database({ feed }, failure);
      return {
        handler: createCalendarHandler({ database: () => db.sql, verifyCaller }),
        transactions: db.transactions,
      };
    },
  },
  {
    name: "health",
    path: "/health",
    method: "GET",
    signedIn: true,
    build({ failure }) {
      const db = database({ user_id: claims.sub, role: "authenticated" }, failure);
      return { handler: createHealthHandler({ verifyCaller, database: () => db.sql }), transactions: db.transactions };
    },
  },
  {
    name: "share",
    // JSON errors are asked for, so every function's error shape can be read the same way.
    path: `/share/${shareToken}?format=json`,
    method: "GET",
    signedIn: false,
    build({ failure }) {
      const resume = { title: "Ada", template_slug: "modern-professional", version_number: 1, content: {} };
      const db = database({ resume }, failure);
      return { handler: createShareHandler({ database: () => db.sql, verifyCaller }), transactions: db.transactions };
    },
  },
  {
    name: "resume-documents",
    path: "/resume-documents/44444444-4444-4444-8444-444444444444?format=jsonresume&version=1",
    method: "GET",
    signedIn: true,
    build({ failure }) {
      const version = {
        title: "Ada",
        template_slug: "modern-professional",
        template_schema: {},
        version_number: 1,
        content_json: { profile: { fullName: "Ada" } },
        created_at: "2026-11-01T00:00:00Z",
      };
      const db = database(version, failure);
      const handler = createResumeDocumentsHandler({
        verifyCaller,
        database: () => db.sql,
        storage: {
          url: "http://project.local",
          apiKey: "anon",
          fetch: () => Promise.reject(new Error("no storage here")),
        },
      });
      return { handler, transactions: db.transactions };
    },
  },
];

function send(fn: FunctionUnderTest, init: { method?: string; token?: string | null; raw?: string } = {}) {
  const method = init.method ?? fn.method;
  const headers = new Headers();
  const token = init.token === undefined ? goodToken : init.token;
  if (token) headers.set("Authorization", token);
  let body: string | undefined = init.raw;
  if (body === undefined && fn.body !== undefined) body = JSON.stringify(fn.body);
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") body = undefined;
  return new Request(`http://functions.local${fn.path}`, { method, headers, body });
}

async function assertErrorShape(response: Response, status: number, code: string, fn: string) {
  assert.equal(response.status, status, fn);
  assert.match(response.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/, `${fn}: X-Request-Id on errors`);
  assert.equal(response.headers.get("access-control-allow-origin"), "*", `${fn}: CORS on errors`);
  const body = await response.json();
  assert.equal(body.error.code, code, fn);
  assert.equal(typeof body.error.message, "string", fn);
  assert.equal(body.detail, body.error.message, fn);
}

Deno.test("every function folder is checked by these guard tests", async () => {
  const folders: string[] = [];
  for await (const entry of Deno.readDir(new URL("../", import.meta.url))) {
    if (entry.isDirectory && !entry.name.startsWith("_")) folders.push(entry.name);
  }
  assert.deepEqual(folders.sort(), functions.map((fn) => fn.name).sort());
});

Deno.test("guard 0: a well-formed request succeeds through every function", async () => {
  for (const fn of functions) {
    const subject = fn.build({});
    const response = await subject.handler(send(fn));
    assert.equal(response.status, 200, `${fn.name}: ${await response.clone().text()}`);
    assert.match(response.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/, fn.name);
    await response.body?.cancel();
  }
});

Deno.test("guard 1: OPTIONS preflight is answered first, with the function's CORS methods, without auth or database", async () => {
  for (const fn of functions) {
    const subject = fn.build({});
    const response = await subject.handler(send(fn, { method: "OPTIONS", token: null, raw: "{" }));
    assert.equal(response.status, 200, fn.name);
    assert.equal(response.headers.get("access-control-allow-origin"), "*", fn.name);
    assert.equal(
      response.headers.get("access-control-allow-headers"),
      "authorization, x-client-info, apikey, content-type, cache-control, pragma, expires",
      fn.name,
    );
    assert.match(response.headers.get("access-control-allow-methods") ?? "", new RegExp(`${fn.method}.*OPTIONS`));
    assert.match(response.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/, fn.name);
    assert.equal(await response.text(), "ok", fn.name);
    assert.equal(subject.transactions(), 0, `${fn.name}: no database work for a preflight`);
  }
});

Deno.test("guard 2: another method is 405 with Allow, before the token is looked at", async () => {
  for (const fn of functions) {
    const subject = fn.build({});
    // A method the function does not answer (account answers DELETE, so it gets PUT).
    const other = fn.method === "DELETE" ? "PUT" : "DELETE";
    const response = await subject.handler(send(fn, { method: other, token: "Bearer forged" }));
    assert.match(response.headers.get("allow") ?? "", new RegExp(`${fn.method}.*OPTIONS`), fn.name);
    await assertErrorShape(response, 405, "method_not_allowed", fn.name);
    assert.equal(subject.transactions(), 0, fn.name);
  }
});

Deno.test("guard 2b: a route that answers fewer methods than its function declares them to the pipeline: 405 with the route's Allow", async () => {
  const fn = functions.find((fn) => fn.name === "resume-documents")!;
  const id = "44444444-4444-4444-8444-444444444444";
  const cases = [
    { path: `/resume-documents/${id}/render`, method: "GET", allow: "POST, OPTIONS" },
    { path: `/resume-documents/${id}`, method: "POST", allow: "GET, HEAD, OPTIONS" },
  ];
  for (const { path, method, allow } of cases) {
    const subject = fn.build({});
    const response = await subject.handler(new Request(`http://functions.local${path}`, { method, headers: { Authorization: goodToken } }));
    assert.equal(response.headers.get("allow"), allow, path);
    await assertErrorShape(response, 405, "method_not_allowed", path);
    assert.equal(subject.transactions(), 0, `${path}: no database work`);
  }
});

Deno.test("guard 3: a missing or forged JWT is 401 where the function needs a user, before the body is read", async () => {
  for (const fn of functions) {
    for (const token of [null, "Bearer forged"]) {
      const subject = fn.build({});
      const response = await subject.handler(send(fn, { token, raw: "{".repeat(70_000) }));
      if (fn.signedIn) {
        await assertErrorShape(response, 401, "unauthorized", fn.name);
        assert.equal(subject.transactions(), 0, fn.name);
      } else {
        // verify_jwt = false: the caller is anon, and the token plays no part.
        assert.equal(response.status, 200, fn.name);
        await response.body?.cancel();
      }
    }
  }
});

Deno.test("guard 4: a body over the limit is 413 before it is parsed; functions that take no body never read one", async () => {
  for (const fn of functions) {
    const subject = fn.build({});
    const oversized = "{" + " ".repeat(600 * 1024);
    if (fn.body !== undefined) {
      await assertErrorShape(await subject.handler(send(fn, { raw: oversized })), 413, "payload_too_large", fn.name);
      assert.equal(subject.transactions(), 0, fn.name);
    } else if (fn.name === "health") {
      // health answers POST as well as GET, and ignores whatever body comes with it.
      const response = await subject.handler(send(fn, { method: "POST", raw: oversized }));
      assert.equal(response.status, 200, fn.name);
      await response.body?.cancel();
    } else if (fn.name === "share") {
      // share takes a password by POST (a form field or JSON), read up to 4 KB.
      await assertErrorShape(
        await subject.handler(send(fn, { method: "POST", raw: oversized })),
        413,
        "payload_too_large",
        fn.name,
      );
      assert.equal(subject.transactions(), 0, fn.name);
    } else {
      // resume-documents takes POST only for /render, which reads no body.
      const response = await subject.handler(send(fn, { method: "POST", raw: oversized }));
      await assertErrorShape(response, 405, "method_not_allowed", fn.name);
    }
  }
});

Deno.test("guard 5: malformed JSON is 400 invalid_json where a body is taken", async () => {
  for (const fn of functions.filter((fn) => fn.body !== undefined)) {
    const subject = fn.build({});
    await assertErrorShape(await subject.handler(send(fn, { raw: '{"description": ' })), 400, "invalid_json", fn.name);
    assert.equal(subject.transactions(), 0, fn.name);
  }
  const bodyless = functions.filter((fn) => fn.body === undefined);
  assert.deepEqual(
    bodyless.map((fn) => fn.name),
    ["account", "calendar", "health", "share", "resume-documents"],
    "the functions that take no body",
  );
});

Deno.test("guard 6: a schema-invalid body is 422 invalid_request naming the field, before any work", async () => {
  for (const fn of functions.filter((fn) => fn.body !== undefined)) {
    const subject = fn.build({});
    const response = await subject.handler(send(fn, { raw: JSON.stringify({ unexpected: true }) }));
    assert.equal(response.status, 422, fn.name);
    const body = await response.json();
    assert.equal(body.error.code, "invalid_request", fn.name);
    assert.match(body.detail, /description/, fn.name);
    // A JSON array, string or null is a 422 too, not a crash.
    for (const raw of ["[1,2]", '"text"', "null"]) {
      await assertErrorShape(await subject.handler(send(fn, { raw })), 422, "invalid_request", `${fn.name} ${raw}`);
    }
    assert.equal(subject.transactions(), 0, fn.name);
  }
});

Deno.test("an unexpected failure is a generic 500 in the one shape, with exactly one log line naming the function", async () => {
  for (const fn of functions) {
    const subject = fn.build({ failure: new Error("password authentication failed at 10.9.9.9") });
    const lines: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
    let response: Response;
    try {
      response = await subject.handler(send(fn));
    } finally {
      console.error = original;
    }
    assert.equal(lines.length, 1, `${fn.name}: one log line`);
    const logged = JSON.parse(lines[0]);
    assert.equal(logged.function, fn.name);
    assert.equal(logged.requestId, response.headers.get("x-request-id"), `${fn.name}: the line carries the request id`);
    assert.match(logged.error, /password authentication failed/);
    const text = await response.clone().text();
    assert.doesNotMatch(text, /password|10\.9\.9\.9/, fn.name);
    await assertErrorShape(response, 500, "internal_error", fn.name);
  }
});

Deno.test("a SQL refusal becomes its status through every function, with the SQLSTATE PostgREST would report", async () => {
  const refusal = Object.assign(new Error("wizard session is not active"), { name: "PostgresError", code: "PT409" });
  for (const fn of functions) {
    const subject = fn.build({ failure: refusal });
    const response = await subject.handler(send(fn));
    assert.equal(response.status, 409, fn.name);
    const body = await response.json();
    assert.deepEqual(body.error, { code: "conflict", message: "Wizard session is not active.", sqlstate: "PT409" });
  }
});

Deno.test("an unmapped SQL error (a bug, an outage) stays a logged 500", async () => {
  const bug = Object.assign(new Error('relation "public.nope" does not exist'), {
    name: "PostgresError",
    code: "42P01",
  });
  const original = console.error;
  console.error = () => {};
  try {
    for (const fn of functions) {
      const response = await fn.build({ failure: bug }).handler(send(fn));
      assert.equal(response.status, 500, fn.name);
      assert.doesNotMatch(await response.text(), /nope/, fn.name);
    }
  } finally {
    console.error = original;
  }
});

Deno.test("error answers and log lines of every function show a short excerpt of client input, no internal table and no server setting", async () => {
  const input = "x".repeat(100 * 1024);
  const echoing = Object.assign(new Error(`invalid input syntax for type json: "${input}"`), { name: "PostgresError", code: "22P02" });
  const internal = Object.assign(
    new Error('insert or update on table "user_profile" violates foreign key constraint on auth.users'),
    { name: "PostgresError", code: "23503" },
  );
  const deep = Object.assign(
    new Error(`stack depth limit exceeded: Increase the configuration parameter "max_stack_depth" (currently 2048kB); ${input} '${input}'`),
    { name: "PostgresError", code: "54001" },
  );
  for (const fn of functions) {
    for (const failure of [echoing, internal, deep]) {
      const lines: string[] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
      let text: string;
      try {
        text = await (await fn.build({ failure }).handler(send(fn))).text();
      } finally {
        console.error = original;
      }
      for (const shown of [text, ...lines]) {
        assert.ok(shown.length < 2500, `${fn.name}: ${shown.length} characters shown`);
        assert.doesNotMatch(shown, /x{121}/, `${fn.name}: the input is cut to an excerpt`);
        assert.doesNotMatch(shown, /auth\.users|max_stack_depth|configuration parameter/, `${fn.name}: ${shown.slice(0, 200)}`);
      }
    }
  }
});

Deno.test("a deleted account's still-valid token is 401 wherever a function acts as its user", async () => {
  const { AccountGoneError } = await import("./act-as-caller.js");
  for (const fn of functions.filter((fn) => fn.signedIn && fn.name !== "account")) {
    const response = await fn.build({ failure: new AccountGoneError() }).handler(send(fn));
    await assertErrorShape(response, 401, "unauthorized", fn.name);
  }
});
