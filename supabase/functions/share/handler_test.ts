// The share handler with a stand-in database. Threats covered:
// - reading with a privileged role → every lookup runs as anon through the public RPC;
// - telling unknown, revoked, expired and malformed tokens apart → one 404 page;
// - token guessing costing database work → malformed tokens never reach the database;
// - the page being framed, sniffed, indexed or cached by proxies → strict headers;
// - a protected link told apart from an unknown one → the same 404 page (with the
//   password form); a wrong password and an unknown link → the same 401;
// - the grant leaking to other links or scripts → one HttpOnly cookie per link;
// - a database error leaking internals → generic 500, detail only in the log.
import assert from "node:assert/strict";
import type { Sql } from "../_shared/db.ts";
import { loadSeededTemplates } from "../_shared/resume/testdata/seeded-templates.ts";
import { accessCookieName, createShareHandler, type ShareDeps, type SharedResume } from "./handler.ts";

const templates = await loadSeededTemplates();

const token = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";
const shared: SharedResume = {
  title: "Ada Lovelace",
  template_slug: "modern-professional",
  updated_at: "2026-11-20T10:00:00+00:00",
  content: { profile: { fullName: "Ada <Lovelace>", summary: "<script>alert(1)</script>" } },
};

// A stand-in for postgres.js recording each statement and its bound values; the RPC
// answers `resume`, and a failing database rejects the transaction.
function fakeDatabase(resume: SharedResume | null, failure?: Error, unlocked: Record<string, unknown> = {}) {
  const statements: { text: string; values: unknown[] }[] = [];
  let transactions = 0;
  const tx = (strings: TemplateStringsArray, ...values: unknown[]) => {
    const text = strings.join("?");
    statements.push({ text, values });
    if (text.includes("set_config")) return Promise.resolve([]);
    if (text.includes("public.get_template_layout")) {
      return Promise.resolve([{ schema: templates[String(values[0])] ?? null }]);
    }
    if (text.includes("unlock_share_link")) return Promise.resolve([{ answer: unlocked }]);
    if (text.includes("response.headers")) {
      return Promise.resolve([{ headers: unlocked.code === "too_many_attempts" ? '[{"Retry-After": "420"}]' : null }]);
    }
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

// Anonymous visitors: no token verifies.
const anonymousOnly = () => Promise.reject(new Error("no token"));
const createHandler = (deps: Partial<ShareDeps> & Pick<ShareDeps, "database">) =>
  createShareHandler({ verifyCaller: anonymousOnly, ...deps });

function assertPageHeaders(response: Response, formAction = "'none'") {
  assert.equal(
    response.headers.get("Content-Security-Policy"),
    `default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; base-uri 'none'; form-action ${formAction}; frame-ancestors 'none'`,
  );
  assert.equal(response.headers.get("X-Content-Type-Options"), "nosniff");
  assert.equal(response.headers.get("Referrer-Policy"), "no-referrer");
  assert.equal(response.headers.get("X-Robots-Tag"), "noindex");
  assert.equal(response.headers.get("Access-Control-Allow-Methods"), "GET, HEAD, POST, OPTIONS");
  assert.ok(response.headers.get("X-Request-Id"));
}

Deno.test("a live token renders the page, read as anon through the public RPC", async () => {
  const db = fakeDatabase(shared);
  const handler = createHandler({ database: () => db.sql });
  const response = await handler(request(`/share/${token}`));
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("Content-Type"), "text/html; charset=utf-8");
  assert.equal(response.headers.get("Cache-Control"), "private, max-age=60");
  assertPageHeaders(response);
  const html = await response.text();
  assert.match(html, /<h1>Ada &lt;Lovelace&gt;<\/h1>/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.doesNotMatch(html, /<script>/);

  assert.equal(db.statements.length, 4);
  assert.match(db.statements[0].text, /set_config\('role', \?, true\), set_config\('request\.jwt\.claims', \?, true\)/);
  // The role, its claims, then the lock_timeout default and the role whose timeouts apply.
  assert.deepEqual(db.statements[0].values, ["anon", JSON.stringify({ role: "anon" }), "2s", "anon", null]);
  assert.match(db.statements[1].text, /set_config\('request\.method', \?, true\), set_config\('request\.headers', \?, true\)/);
  assert.equal(db.statements[1].values[0], "GET");
  // The RPC's definer body, as anon: no grant, counted as a view.
  assert.match(db.statements[2].text, /select private\.get_public_generated_resume\(\?, \?, \?\)/);
  assert.deepEqual(db.statements[2].values, [token, null, "view"]);
  // The layout comes from the template the RPC names, read as the same reader.
  assert.match(db.statements[3].text, /select public\.get_template_layout\(\?\) as schema/);
  assert.deepEqual(db.statements[3].values, ["modern-professional"]);
});

// What the RPC needs to count a view once per viewer per hour, never for HEAD or the owner.
const publishedHeaders = (db: ReturnType<typeof fakeDatabase>) => JSON.parse(String(db.statements[1].values[1]));

Deno.test("the client's headers are published as PostgREST publishes them; SQL derives the viewer", async () => {
  const headers = {
    "x-forwarded-for": "203.0.113.7, 10.0.0.1",
    "user-agent": "Firefox/1.0",
    "cf-connecting-ip": "203.0.113.7",
    cookie: "session=secret",
    authorization: "Bearer forged",
    "x-share-viewer": "aa".repeat(32),
  };
  const db = fakeDatabase(shared);
  const response = await createHandler({ database: () => db.sql })(request(`/share/${token}`, { headers }));
  await response.body?.cancel();
  // Only what private.share_client reads: no cookie, no authorization, no viewer of the client's choosing.
  assert.deepEqual(publishedHeaders(db), {
    "cf-connecting-ip": "203.0.113.7",
    "x-forwarded-for": "203.0.113.7, 10.0.0.1",
    "user-agent": "Firefox/1.0",
  });
});

Deno.test("HEAD is published as HEAD, so the RPC does not count it", async () => {
  const db = fakeDatabase(shared);
  const response = await createHandler({ database: () => db.sql })(request(`/share/${token}`, { method: "HEAD" }));
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
    const response = await createHandler({ database: () => db.sql, verifyCaller })(
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
    const response = await createHandler({ database: () => db.sql })(request(path));
    assert.equal(response.status, 200, path);
    await response.body?.cancel();
    assert.deepEqual(db.statements[2].values, [token, null, "view"]);
  }
});

Deno.test("an unknown, revoked or expired token (the RPC answers null) gets the 404 page, not cached", async () => {
  const db = fakeDatabase(null);
  const response = await createHandler({ database: () => db.sql })(request(`/share/${token}`));
  assert.equal(response.status, 404);
  assert.equal(response.headers.get("Content-Type"), "text/html; charset=utf-8");
  assert.equal(response.headers.get("Cache-Control"), "no-store");
  // The page carries the password form, which may post to the page itself only.
  assertPageHeaders(response, "'self'");
  const html = await response.text();
  assert.match(html, /This share link is not available/);
  assert.match(html, /<form method="post">/);
  assert.match(html, /<input id="share-password" name="password" type="password"/);
  assert.equal(db.transactions(), 1);
});

Deno.test("a malformed token gets the same 404 page without touching the database", async () => {
  const found = await createHandler({ database: () => fakeDatabase(null).sql })(request(`/share/${token}`));
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
    const handler = createHandler({
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

Deno.test("GET and HEAD read, POST takes a password; OPTIONS is a CORS preflight; anything else is 405", async () => {
  const db = fakeDatabase(shared);
  const handler = createHandler({ database: () => db.sql });

  const preflight = await handler(request(`/share/${token}`, { method: "OPTIONS" }));
  assert.equal(preflight.status, 200);
  assert.equal(preflight.headers.get("Access-Control-Allow-Origin"), "*");
  assert.equal(preflight.headers.get("Access-Control-Allow-Methods"), "GET, HEAD, POST, OPTIONS");
  await preflight.body?.cancel();

  for (const method of ["PUT", "PATCH", "DELETE"]) {
    const response = await handler(request(`/share/${token}`, { method }));
    assert.equal(response.status, 405, method);
    assert.equal(response.headers.get("Allow"), "GET, HEAD, POST, OPTIONS");
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

const form = (password: string, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
  body: new URLSearchParams({ password }).toString(),
});
const grant = {
  access: "1796646000.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ",
  expires_at: new Date(Date.now() + 3600_000).toISOString(),
};

Deno.test("a right password in the form: the database's grant goes into a per-link HttpOnly cookie, back to the page", async () => {
  const db = fakeDatabase(null, undefined, grant);
  const response = await createHandler({ database: () => db.sql })(
    request(`/functions/v1/share/${token}?format=pdf`, form("open sesame", { "x-forwarded-for": "203.0.113.7" })),
  );
  assert.equal(response.status, 303);
  assert.equal(response.headers.get("Location"), `${token}?format=pdf`);
  assert.equal(response.headers.get("Cache-Control"), "no-store");
  const cookie = response.headers.get("Set-Cookie") ?? "";
  assert.match(
    cookie,
    new RegExp(
      `^${await accessCookieName(token)}=${
        grant.access.replace(".", "\\.")
      }; Max-Age=3[0-9]{3}; HttpOnly; SameSite=Lax$`,
    ),
  );
  assert.notEqual(
    await accessCookieName(token),
    await accessCookieName(token.replace("A", "B")),
    "each link has its own cookie",
  );
  // The password goes to the database as a bound value, with the client's headers published.
  const call = db.statements.find((s) => s.text.includes("unlock_share_link"))!;
  assert.match(call.text, /select private\.unlock_share_link\(\?, \?\) as answer/);
  assert.deepEqual(call.values, [token, "open sesame"]);
  assert.deepEqual(publishedHeaders(db), { "x-forwarded-for": "203.0.113.7" });

  // The cookie (or X-Share-Access) is the grant the next read passes on.
  const cookieName = await accessCookieName(token);
  const sent: Record<string, string>[] = [{ cookie: `other=1; ${cookieName}=${grant.access}` }, {
    "x-share-access": grant.access,
  }];
  for (const headers of sent) {
    const read = fakeDatabase(shared);
    const page = await createHandler({ database: () => read.sql })(request(`/share/${token}?format=pdf`, { headers }));
    await page.body?.cancel();
    assert.deepEqual(read.statements[2].values, [token, grant.access, "pdf"]);
  }
  const jsonResume = fakeDatabase(shared);
  await (await createHandler({ database: () => jsonResume.sql })(request(`/share/${token}?format=jsonresume`))).body
    ?.cancel();
  assert.deepEqual(
    jsonResume.statements[2].values,
    [token, null, "jsonresume"],
    "a JSON Resume download counts as one",
  );
});

Deno.test("a JSON password gets the grant as JSON; a wrong one and an unknown link the same 401; too many guesses 429", async () => {
  const post = (answer: Record<string, unknown>, body: unknown, path = `/share/${token}`) =>
    createHandler({ database: () => fakeDatabase(null, undefined, answer).sql })(
      request(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    );
  const right = await post(grant, { password: "open sesame" });
  assert.equal(right.status, 200);
  assert.deepEqual(await right.json(), grant);
  assert.ok(right.headers.get("Set-Cookie"));

  const wrong = { code: "invalid_password", message: "from the database" };
  const answers = [];
  for (
    const response of [
      await post(wrong, { password: "nope" }),
      await post(wrong, { password: "nope" }, `/share/${"Z".repeat(32)}`),
    ]
  ) {
    assert.equal(response.status, 401);
    assert.equal(response.headers.get("Set-Cookie"), null);
    answers.push(await response.text());
  }
  assert.equal(answers[0], answers[1]);
  assert.equal(JSON.parse(answers[0]).error.code, "invalid_password");

  const limited = await post({ code: "too_many_attempts", message: "wait" }, { password: "nope" });
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get("Retry-After"), "420");
  assert.equal((await limited.json()).error.code, "too_many_attempts");

  const html = await createHandler({ database: () => fakeDatabase(null, undefined, wrong).sql })(
    request(`/share/${token}`, form("nope")),
  );
  assert.equal(html.status, 401);
  assertPageHeaders(html, "'self'");
  assert.match(await html.text(), /This password does not open the link[\s\S]*<form method="post">/);
  const htmlLimited = await createHandler({
    database: () => fakeDatabase(null, undefined, { code: "too_many_attempts" }).sql,
  })(
    request(`/share/${token}`, form("nope")),
  );
  assert.equal(htmlLimited.status, 429);
  assert.match(await htmlLimited.text(), /wait 7 minutes/);
});

Deno.test("a POST without a password is 422 and a malformed token 404, both without the database", async () => {
  let touched = false;
  const handler = createHandler({
    database: () => {
      touched = true;
      return fakeDatabase(null).sql;
    },
  });
  for (
    const init of [form(""), form("nul\u0000byte"), {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    }]
  ) {
    const response = await handler(request(`/share/${token}`, init));
    assert.equal(response.status, 422);
    await response.body?.cancel();
  }
  const tooLarge = await handler(request(`/share/${token}`, form("x".repeat(5000))));
  assert.equal(tooLarge.status, 413);
  await tooLarge.body?.cancel();
  const malformed = await handler(request("/share/short", form("guess")));
  assert.equal(malformed.status, 404);
  await malformed.body?.cancel();
  assert.equal(touched, false);
});

Deno.test("?format=json returns the RPC's JSON with the same headers, and JSON errors", async () => {
  const found = await createHandler({ database: () => fakeDatabase(shared).sql })(
    request(`/share/${token}?format=json`),
  );
  assert.equal(found.status, 200);
  assert.equal(found.headers.get("Content-Type"), "application/json");
  assert.equal(found.headers.get("Cache-Control"), "private, max-age=60");
  assertPageHeaders(found);
  assert.deepEqual(await found.json(), shared);

  const missing = await createHandler({ database: () => fakeDatabase(null).sql })(
    request(`/share/${token}?format=json`),
  );
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get("Cache-Control"), "no-store");
  assert.deepEqual(await missing.json(), {
    error: { code: "not_found", message: "This share link is not available." },
    detail: "This share link is not available.",
  });

  const malformed = await createHandler({ database: () => fakeDatabase(shared).sql })(
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
      const handler = createHandler({ database: () => fakeDatabase(shared, cause).sql });
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
    const handler = createHandler({
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

const polyglot: SharedResume = {
  title: "Zoë",
  template_slug: "clean-impact",
  updated_at: "2026-11-20",
  content: {
    profile: {
      fullName: "Zoë Łukasiewicz-Παπαδοπούλου",
      headline: "Engineer",
      email: "zoe@example.test",
      socialLinks: [{ platform: "github", url: "https://github.com/zoe" }],
    },
    experience: [{
      title: "Engineer",
      company: "Ἀκρόπολις",
      startDate: "2020-01",
      isCurrent: true,
      description: "Built 中 things",
    }],
    skills: ["Go"],
    languages: [{ name: "Greek", proficiency: "Native" }],
  },
};

Deno.test("?format=pdf renders the template's PDF with an ETag, counted missing glyphs and Letter on request", async () => {
  const handler = createHandler({ database: () => fakeDatabase(polyglot).sql });
  const a4 = await handler(request(`/share/${token}?format=pdf`));
  assert.equal(a4.status, 200);
  assert.equal(a4.headers.get("Content-Type"), "application/pdf");
  assert.equal(a4.headers.get("Cache-Control"), "private, no-cache");
  assert.match(a4.headers.get("ETag") ?? "", /^"[0-9a-f]{32}"$/);
  assert.equal(a4.headers.get("X-Missing-Glyphs"), "1");
  assert.equal(a4.headers.get("X-Page-Count"), "1");
  assert.equal(
    a4.headers.get("Content-Disposition"),
    `inline; filename="resume.pdf"; filename*=UTF-8''${
      encodeURIComponent("Zoë Łukasiewicz-Παπαδοπούλου - Resume.pdf")
    }`,
  );
  assertPageHeaders(a4);
  const bytes = new Uint8Array(await a4.arrayBuffer());
  assert.equal(new TextDecoder().decode(bytes.slice(0, 5)), "%PDF-");

  const letter = await handler(request(`/share/${token}?format=pdf&paper=letter`));
  assert.notEqual(letter.headers.get("ETag"), a4.headers.get("ETag"), "each paper size is its own rendering");
  await letter.body?.cancel();

  const bad = await handler(request(`/share/${token}?format=pdf&paper=a3`));
  assert.equal(bad.status, 422);
  assert.match(await bad.text(), /paper must be a4 or letter/);
  const unknown = await handler(request(`/share/${token}?format=docx`));
  assert.equal(unknown.status, 422);
  await unknown.body?.cancel();
});

Deno.test("a cached version: If-None-Match is 304 without rendering, the second render is a cache hit, a pinned URL is immutable", async () => {
  const handler = createHandler({ database: () => fakeDatabase(polyglot).sql });
  const first = await handler(request(`/share/${token}?format=pdf`));
  const etag = first.headers.get("ETag")!;
  assert.equal(first.headers.get("X-Render-Cache"), "miss");
  await first.body?.cancel();

  const again = await handler(request(`/share/${token}?format=pdf`));
  assert.equal(again.headers.get("ETag"), etag, "the same version has the same ETag");
  assert.equal(again.headers.get("X-Render-Cache"), "hit");
  await again.body?.cancel();

  const revalidated = await handler(request(`/share/${token}?format=pdf`, { headers: { "If-None-Match": etag } }));
  assert.equal(revalidated.status, 304);
  assert.equal(revalidated.headers.get("ETag"), etag);
  assert.equal(revalidated.body, null);

  // The page links its PDF pinned to this version; that URL may be cached for good.
  const html = await (await handler(request(`/share/${token}`))).text();
  const href = /<a href="([^"]+)" rel="nofollow">Download PDF<\/a>/.exec(html)?.[1].replaceAll("&amp;", "&");
  assert.equal(href, `?format=pdf&paper=a4&v=${etag.slice(1, -1)}`);
  const pinned = await handler(request(`/share/${token}${href}`));
  assert.equal(pinned.status, 200);
  assert.equal(pinned.headers.get("Cache-Control"), "private, max-age=31536000, immutable");
  assert.equal(pinned.headers.get("ETag"), etag);
  await pinned.body?.cancel();

  // Once the link shows another version, the old pinned URL is gone.
  const edited = {
    ...polyglot,
    updated_at: "2026-11-21",
    content: { ...polyglot.content as object, skills: ["Rust"] },
  };
  const stale = await createHandler({ database: () => fakeDatabase(edited).sql })(request(`/share/${token}${href}`));
  assert.equal(stale.status, 404);
  await stale.body?.cancel();
});

Deno.test("?format=jsonresume serves JSON Resume of the public view", async () => {
  const response = await createHandler({ database: () => fakeDatabase(polyglot).sql })(
    request(`/share/${token}?format=jsonresume`),
  );
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("Content-Type"), "application/json");
  assert.ok(response.headers.get("ETag"));
  const document = await response.json();
  assert.equal(document.basics.name, "Zoë Łukasiewicz-Παπαδοπούλου");
  assert.deepEqual(document.basics.profiles, [{ network: "GitHub", url: "https://github.com/zoe" }]);
  assert.deepEqual(document.skills, [{ name: "Go" }]);
  assert.equal(document.meta.lastModified, "2026-11-20");
});
