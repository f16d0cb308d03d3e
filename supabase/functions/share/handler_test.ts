// The share handler with a stand-in database. Threats covered:
// - reading with a privileged role → every lookup runs as anon through the public RPC;
// - telling unknown, revoked, expired and malformed tokens apart → one 404 page;
// - token guessing costing database work → malformed tokens never reach the database;
// - the page being framed, sniffed, indexed or cached by proxies → strict headers;
// - a database error leaking internals → generic 500, detail only in the log.
import assert from "node:assert/strict";
import type { Sql } from "../_shared/db.ts";
import { createShareHandler, viewerKey } from "./handler.ts";
import type { SharedResume } from "./render.ts";

const token = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";
const shared: SharedResume = {
  title: "Ada Lovelace",
  template_slug: "modern-professional",
  updated_at: "2026-11-20T10:00:00+00:00",
  content: { profile: { fullName: "Ada <Lovelace>", summary: "<script>alert(1)</script>" } },
};

// A stand-in for postgres.js recording each statement and its bound values; the RPC
// answers `resume`, and a failing database rejects the transaction.
function fakeDatabase(resume: SharedResume | null, failure?: Error) {
  const statements: { text: string; values: unknown[] }[] = [];
  let transactions = 0;
  const tx = (strings: TemplateStringsArray, ...values: unknown[]) => {
    const text = strings.join("?");
    statements.push({ text, values });
    if (text.includes("set_config")) return Promise.resolve([]);
    return Promise.resolve([{ resume }]);
  };
  const sql = {
    begin: (work: (t: typeof tx) => Promise<unknown>) => {
      transactions++;
      return failure ? Promise.reject(failure) : work(tx);
    },
  } as unknown as Sql;
  return { sql, statements, transactions: () => transactions };
}

const request = (path: string, init?: RequestInit) => new Request(`http://local${path}`, init);

function assertPageHeaders(response: Response) {
  assert.equal(
    response.headers.get("Content-Security-Policy"),
    "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  );
  assert.equal(response.headers.get("X-Content-Type-Options"), "nosniff");
  assert.equal(response.headers.get("Referrer-Policy"), "no-referrer");
  assert.equal(response.headers.get("X-Robots-Tag"), "noindex");
  assert.equal(response.headers.get("Access-Control-Allow-Methods"), "GET, HEAD, OPTIONS");
  assert.ok(response.headers.get("X-Request-Id"));
}

Deno.test("a live token renders the page, read as anon through the public RPC", async () => {
  const db = fakeDatabase(shared);
  const handler = createShareHandler({ database: () => db.sql });
  const response = await handler(request(`/share/${token}`));
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("Content-Type"), "text/html; charset=utf-8");
  assert.equal(response.headers.get("Cache-Control"), "private, max-age=60");
  assertPageHeaders(response);
  const html = await response.text();
  assert.match(html, /<h1>Ada &lt;Lovelace&gt;<\/h1>/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.doesNotMatch(html, /<script>/);

  assert.equal(db.statements.length, 3);
  assert.match(db.statements[0].text, /set_config\('role', \?, true\), set_config\('request\.jwt\.claims', \?, true\)/);
  // The role, its claims, then the lock_timeout default and the role whose timeouts apply.
  assert.deepEqual(db.statements[0].values, ["anon", JSON.stringify({ role: "anon" }), "2s", "anon"]);
  assert.match(db.statements[1].text, /set_config\('request\.method', \?, true\), set_config\('request\.headers', \?, true\)/);
  assert.equal(db.statements[1].values[0], "GET");
  assert.match(db.statements[2].text, /select public\.get_public_generated_resume\(\?\)/);
  assert.deepEqual(db.statements[2].values, [token]);
});

// What the RPC needs to count a view once per viewer per hour, never for HEAD or the owner.
const publishedHeaders = (db: ReturnType<typeof fakeDatabase>) => JSON.parse(String(db.statements[1].values[1]));

Deno.test("the viewer reaches the database only as a SHA-256 of address and User-Agent", async () => {
  const headers = { "x-forwarded-for": "203.0.113.7, 10.0.0.1", "user-agent": "Firefox/1.0" };
  const db = fakeDatabase(shared);
  const response = await createShareHandler({ database: () => db.sql })(request(`/share/${token}`, { headers }));
  await response.body?.cancel();
  const published = publishedHeaders(db);
  assert.deepEqual(Object.keys(published), ["x-share-viewer"]);
  const expected = Array.from(
    new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode("203.0.113.7\nFirefox/1.0"))),
    (byte) => byte.toString(16).padStart(2, "0"),
  ).join("");
  assert.equal(published["x-share-viewer"], expected);
  assert.doesNotMatch(JSON.stringify(db.statements.map((s) => s.values)), /203\.0\.113|Firefox/);

  assert.equal(await viewerKey(new Headers(headers)), expected);
  assert.notEqual(await viewerKey(new Headers({ ...headers, "user-agent": "Chrome" })), expected);
  assert.equal(await viewerKey(new Headers({ "cf-connecting-ip": "203.0.113.7", "user-agent": "Firefox/1.0", "x-forwarded-for": "1.1.1.1" })), expected);
});

Deno.test("HEAD is published as HEAD, so the RPC does not count it", async () => {
  const db = fakeDatabase(shared);
  const response = await createShareHandler({ database: () => db.sql })(request(`/share/${token}`, { method: "HEAD" }));
  assert.equal(response.status, 200);
  assert.equal(db.statements[1].values[0], "HEAD");
});

Deno.test("the owner's valid token reads as the owner; a bad or anon token reads as anon", async () => {
  const owner = { sub: "11111111-1111-4111-8111-111111111111", role: "authenticated" };
  const verifyCaller = (authorization: string | null) =>
    authorization === "Bearer good" ? Promise.resolve(owner as never) : Promise.reject(new Error("invalid"));
  for (const [authorization, role] of [["Bearer good", "authenticated"], ["Bearer forged", "anon"], [null, "anon"]]) {
    const db = fakeDatabase(shared);
    const headers: Record<string, string> = authorization ? { authorization } : {};
    const response = await createShareHandler({ database: () => db.sql, verifyCaller })(
      request(`/share/${token}`, { headers }),
    );
    assert.equal(response.status, 200, String(authorization));
    await response.body?.cancel();
    assert.equal(db.statements[0].values[0], role, String(authorization));
  }
});

Deno.test("the same path with a trailing slash works, and so does the full platform path", async () => {
  for (const path of [`/share/${token}/`, `/functions/v1/share/${token}`]) {
    const db = fakeDatabase(shared);
    const response = await createShareHandler({ database: () => db.sql })(request(path));
    assert.equal(response.status, 200, path);
    await response.body?.cancel();
    assert.deepEqual(db.statements[2].values, [token]);
  }
});

Deno.test("an unknown, revoked or expired token (the RPC answers null) gets the 404 page, not cached", async () => {
  const db = fakeDatabase(null);
  const response = await createShareHandler({ database: () => db.sql })(request(`/share/${token}`));
  assert.equal(response.status, 404);
  assert.equal(response.headers.get("Content-Type"), "text/html; charset=utf-8");
  assert.equal(response.headers.get("Cache-Control"), "no-store");
  assertPageHeaders(response);
  assert.match(await response.text(), /This share link is not available/);
  assert.equal(db.transactions(), 1);
});

Deno.test("a malformed token gets the same 404 page without touching the database", async () => {
  const found = await createShareHandler({ database: () => fakeDatabase(null).sql })(request(`/share/${token}`));
  const notFoundPage = await found.text();
  for (
    const path of [
      "/share",
      "/share/",
      "/share/short",
      `/share/${"a".repeat(129)}`,
      `/share/${token.slice(0, 31)}!`,
      `/share/${token.slice(0, 30)}%20x`,
      `/share/${token}/extra`,
      `/share/'%20or%201=1--aaaaaaaaaaaaaaaaaa`,
    ]
  ) {
    let touched = false;
    const handler = createShareHandler({
      database: () => {
        touched = true;
        return fakeDatabase(shared).sql;
      },
    });
    const response = await handler(request(path));
    assert.equal(response.status, 404, path);
    assert.equal(response.headers.get("Cache-Control"), "no-store");
    // Byte for byte the page an unknown token gets: the cases cannot be told apart.
    assert.equal(await response.text(), notFoundPage, path);
    assert.equal(touched, false, path);
  }
});

Deno.test("only GET and HEAD read; OPTIONS is a CORS preflight; anything else is 405", async () => {
  const db = fakeDatabase(shared);
  const handler = createShareHandler({ database: () => db.sql });

  const preflight = await handler(request(`/share/${token}`, { method: "OPTIONS" }));
  assert.equal(preflight.status, 200);
  assert.equal(preflight.headers.get("Access-Control-Allow-Origin"), "*");
  assert.equal(preflight.headers.get("Access-Control-Allow-Methods"), "GET, HEAD, OPTIONS");
  await preflight.body?.cancel();

  for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
    const response = await handler(request(`/share/${token}`, { method }));
    assert.equal(response.status, 405, method);
    assert.equal(response.headers.get("Allow"), "GET, HEAD, OPTIONS");
    assert.equal(response.headers.get("Cache-Control"), "no-store");
    assertPageHeaders(response);
    await response.body?.cancel();
  }
  assert.equal(db.transactions(), 0);

  const head = await handler(request(`/share/${token}`, { method: "HEAD" }));
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("Content-Type"), "text/html; charset=utf-8");
  assert.equal(head.body, null);
  assert.equal(db.transactions(), 1);
});

Deno.test("?format=json returns the RPC's JSON with the same headers, and JSON errors", async () => {
  const found = await createShareHandler({ database: () => fakeDatabase(shared).sql })(
    request(`/share/${token}?format=json`),
  );
  assert.equal(found.status, 200);
  assert.equal(found.headers.get("Content-Type"), "application/json");
  assert.equal(found.headers.get("Cache-Control"), "private, max-age=60");
  assertPageHeaders(found);
  assert.deepEqual(await found.json(), shared);

  const missing = await createShareHandler({ database: () => fakeDatabase(null).sql })(
    request(`/share/${token}?format=json`),
  );
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get("Cache-Control"), "no-store");
  assert.deepEqual(await missing.json(), {
    error: { code: "not_found", message: "This share link is not available." },
    detail: "This share link is not available.",
  });

  const malformed = await createShareHandler({ database: () => fakeDatabase(shared).sql })(
    request("/share/nope?format=json"),
  );
  assert.equal(malformed.status, 404);
  assert.equal((await malformed.json()).error.code, "not_found");
});

Deno.test("a database failure becomes a generic 500 page; the cause goes only to the log", async () => {
  const cause = new Error('password authentication failed for user "postgres" at 10.0.0.7');
  const logged: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => logged.push(args.join(" "));
  try {
    for (const query of ["", "?format=json"]) {
      const handler = createShareHandler({ database: () => fakeDatabase(shared, cause).sql });
      const response = await handler(request(`/share/${token}${query}`));
      assert.equal(response.status, 500);
      assert.equal(response.headers.get("Cache-Control"), "no-store");
      assertPageHeaders(response);
      const body = await response.text();
      assert.match(body, /Something went wrong/);
      assert.doesNotMatch(body, /password|postgres|10\.0\.0\.7/);
      assert.ok(!body.includes(token));
    }
  } finally {
    console.error = original;
  }
  assert.equal(logged.length, 2);
  assert.match(logged[0], /password authentication failed/);
  // The token is a bearer secret: it stays out of the log too.
  assert.ok(!logged[0].includes(token));
});

Deno.test("a lookup that itself throws while connecting is handled like any database failure", async () => {
  const original = console.error;
  console.error = () => {};
  try {
    const handler = createShareHandler({
      database: () => {
        throw new Error("SUPABASE_DB_URL is not set.");
      },
    });
    const response = await handler(request(`/share/${token}`));
    assert.equal(response.status, 500);
    assert.doesNotMatch(await response.text(), /SUPABASE_DB_URL/);
  } finally {
    console.error = original;
  }
});
