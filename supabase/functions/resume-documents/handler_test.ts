// The owner's resume documents with a stand-in database and a recording double of the
// Storage API (the one upload call; no server). Threats covered:
// - reading another user's resume → every read runs as the caller under RLS (404);
// - storing a render as someone else, or with a privileged key → the upload carries the
//   caller's own token and the anon key, nothing else;
// - a render recorded although Storage refused it → record_render_artifact is not called;
// - stale caches → ETags per version and form, immutable only for an explicit version.
import assert from "node:assert/strict";
import { AuthError, type CallerClaims } from "../_shared/auth.ts";
import type { Sql } from "../_shared/db.ts";
import { loadSeededTemplates } from "../_shared/resume/testdata/seeded-templates.ts";
import { polyglotDraft } from "../_shared/resume/testdata/resumes.ts";
import { createResumeDocumentsHandler } from "./handler.ts";

const templates = await loadSeededTemplates();
const userId = "11111111-1111-4111-8111-111111111111";
const resumeId = "44444444-4444-4444-8444-444444444444";
const claims = { sub: userId, role: "authenticated", aud: "authenticated" } as CallerClaims;
const callerToken = "caller.jwt.token";

interface Statement {
  text: string;
  values: unknown[];
}

function fakeDatabase(versions: Record<number, unknown> = { 1: { profile: { fullName: "Old" } }, 2: polyglotDraft }) {
  const statements: Statement[] = [];
  const tx = (strings: TemplateStringsArray, ...values: unknown[]) => {
    const text = strings.join("?").replace(/\s+/g, " ").trim();
    statements.push({ text, values });
    if (text.includes("set_config")) return Promise.resolve([]);
    if (text.includes("record_render_artifact")) {
      return Promise.resolve([{ version: { version_number: values[1], render_artifact_url: values[2] } }]);
    }
    if (text.includes("from public.generated_resumes gr")) {
      if (values[0] !== resumeId) return Promise.resolve([]);
      const wanted = values[1] as number | null;
      const number = wanted ?? Math.max(...Object.keys(versions).map(Number));
      const content = versions[number];
      if (content === undefined) return Promise.resolve([]);
      return Promise.resolve([{
        title: "Zoë",
        template_slug: "executive-classic",
        template_schema: templates["executive-classic"],
        version_number: number,
        content_json: content,
        created_at: `2026-11-0${number}T10:00:00Z`,
      }]);
    }
    return Promise.resolve([]);
  };
  const sql = { begin: (work: (t: typeof tx) => Promise<unknown>) => work(tx) } as unknown as Sql;
  return { sql, statements, calls: (pattern: RegExp) => statements.filter((s) => pattern.test(s.text)) };
}

// Records each call to the Storage API and answers with `status`.
function storageDouble(status = 200) {
  const calls: { url: string; method: string; headers: Headers; body: Uint8Array }[] = [];
  const fetch = (input: string | URL | Request, init?: RequestInit) => {
    calls.push({
      url: String(input),
      method: init?.method ?? "GET",
      headers: new Headers(init?.headers),
      body: new Uint8Array(init?.body as Uint8Array),
    });
    return Promise.resolve(
      new Response(status === 200 ? JSON.stringify({ Key: "renders/x" }) : '{"error":"Unauthorized"}', { status }),
    );
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

function handlerWith(db = fakeDatabase(), storage = storageDouble()) {
  const handler = createResumeDocumentsHandler({
    verifyCaller: (authorization) =>
      authorization === `Bearer ${callerToken}`
        ? Promise.resolve(claims)
        : Promise.reject(new AuthError("The access token is invalid or expired.")),
    database: () => db.sql,
    storage: { url: "http://project.local", apiKey: "anon-key", fetch: storage.fetch },
  });
  const call = (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token !== null) headers.set("Authorization", `Bearer ${init.token ?? callerToken}`);
    return handler(new Request(`http://functions.local/resume-documents/${path}`, { ...init, headers }));
  };
  return { call, db, storage };
}

Deno.test("resume-documents: an explicit version as PDF, cached for good, with an ETag; If-None-Match is 304", async () => {
  const { call, db } = handlerWith();
  const response = await call(`${resumeId}?format=pdf&version=2`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("Content-Type"), "application/pdf");
  assert.equal(response.headers.get("Cache-Control"), "private, max-age=31536000, immutable");
  assert.equal(response.headers.get("X-Version-Number"), "2");
  assert.equal(response.headers.get("X-Missing-Glyphs"), "0");
  const etag = response.headers.get("ETag")!;
  assert.match(etag, /^"[0-9a-f]{32}"$/);
  assert.equal(new TextDecoder().decode(new Uint8Array(await response.arrayBuffer()).slice(0, 5)), "%PDF-");
  // Read as the caller: role and claims first, then the version of this resume.
  assert.deepEqual(db.statements[0].values.slice(0, 2), ["authenticated", JSON.stringify(claims)]);
  assert.deepEqual(db.calls(/from public\.generated_resumes gr/)[0].values, [resumeId, 2, 2]);

  const again = await call(`${resumeId}?format=pdf&version=2`, { headers: { "If-None-Match": etag } });
  assert.equal(again.status, 304);
  assert.equal(again.headers.get("ETag"), etag);

  const older = await call(`${resumeId}?format=pdf&version=1`);
  assert.notEqual(older.headers.get("ETag"), etag, "each version has its own ETag");
  await older.body?.cancel();
});

Deno.test("resume-documents: without a version the newest is served and revalidated; HTML and JSON Resume too", async () => {
  const { call } = handlerWith();
  const html = await call(`${resumeId}?format=html`);
  assert.equal(html.status, 200);
  assert.equal(html.headers.get("Cache-Control"), "private, no-cache");
  assert.equal(html.headers.get("X-Version-Number"), "2");
  assert.match(html.headers.get("Content-Security-Policy") ?? "", /default-src 'none'/);
  const page = await html.text();
  assert.match(page, /<main class="layout-two-columns layout-serif" data-template="executive-classic">/);
  assert.match(page, /Zoë Łukasiewicz-Παπαδοπούλου/);
  assert.doesNotMatch(page, /Principal Engineer/);

  const resume = await (await call(`${resumeId}?format=jsonresume&version=1`)).json();
  assert.equal(resume.basics.name, "Old");
  assert.equal(resume.meta.lastModified, "2026-11-01T10:00:00.000Z");

  const pdf = await call(resumeId);
  assert.equal(pdf.headers.get("Content-Type"), "application/pdf", "PDF is the default form");
  await pdf.body?.cancel();
});

Deno.test("resume-documents: 401 without a token, 404 for a resume or version that is not yours, 422 for bad options", async () => {
  const { call, db } = handlerWith();
  assert.equal((await call(resumeId, { token: null })).status, 401);
  assert.equal((await call(resumeId, { token: "forged" })).status, 401);
  const missing = await call("55555555-5555-4555-8555-555555555555?format=pdf");
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).error.code, "not_found");
  assert.equal((await call(`${resumeId}?version=9`)).status, 404);
  const before = db.statements.length;
  assert.equal((await call("not-a-uuid")).status, 404);
  assert.equal(db.statements.length, before, "a malformed id costs no query");
  for (const query of ["version=0", "version=abc", "format=docx", "paper=a3"]) {
    const response = await call(`${resumeId}?${query}`);
    assert.equal(response.status, 422, query);
    await response.body?.cancel();
  }
});

Deno.test("resume-documents: render stores the PDF through the Storage API as the caller, then records its path", async () => {
  const { call, db, storage } = handlerWith();
  const response = await call(`${resumeId}/render?version=2&paper=letter`, { method: "POST" });
  assert.equal(response.status, 201, await response.clone().text());
  const path = `${userId}/${resumeId}/v2-letter.pdf`;
  assert.deepEqual(await response.json(), {
    version: { version_number: 2, render_artifact_url: path },
    bucket: "renders",
    path,
    pages: 1,
    missingGlyphs: 0,
  });

  assert.equal(storage.calls.length, 1);
  const [upload] = storage.calls;
  assert.equal(upload.method, "POST");
  assert.equal(upload.url, `http://project.local/storage/v1/object/renders/${path}`);
  assert.equal(upload.headers.get("Authorization"), `Bearer ${callerToken}`, "acting as the caller");
  assert.equal(upload.headers.get("apikey"), "anon-key", "never a privileged key");
  assert.equal(upload.headers.get("Content-Type"), "application/pdf");
  assert.equal(upload.headers.get("x-upsert"), "true");
  assert.equal(new TextDecoder().decode(upload.body.slice(0, 5)), "%PDF-");

  const [recorded] = db.calls(/record_render_artifact/);
  assert.deepEqual(recorded.values, [resumeId, 2, path]);
});

Deno.test("resume-documents: when Storage refuses the upload nothing is recorded", async () => {
  for (const [status, expected] of [[403, 403], [500, 502]]) {
    const original = console.error;
    console.error = () => {};
    try {
      const { call, db, storage } = handlerWith(fakeDatabase(), storageDouble(status));
      const response = await call(`${resumeId}/render`, { method: "POST" });
      assert.equal(response.status, expected);
      assert.equal(storage.calls.length, 1);
      assert.equal(storage.calls[0].url, `http://project.local/storage/v1/object/renders/${userId}/${resumeId}/v2-a4.pdf`);
      assert.equal(db.calls(/record_render_artifact/).length, 0);
      await response.body?.cancel();
    } finally {
      console.error = original;
    }
  }
});
