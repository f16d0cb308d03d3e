// DELETE /account against the recording double of the Storage and Auth APIs. Covers:
// the exact calls, in order, with the right key on each; the retry paths (files gone but
// user still there; user gone but files still there; a storage failure half-way);
// 401 without a user token and no platform call; another user's files never touched.
import assert from "node:assert/strict";
import { SignJWT } from "jose";
import { createCallerVerifier } from "../_shared/auth.ts";
import { createAccountHandler, platformFromEnv } from "./handler.ts";
import { platformDouble } from "./platform-double.ts";
import type { Fetch } from "./platform-apis.ts";

const secret = "super-secret-jwt-token-with-at-least-32-characters-long";
const anonKey = "anon-key-for-the-double";
const serviceRoleKey = "service-role-key-for-the-double";
const owner = "0a000016-0000-4000-8000-000000000001";
const stranger = "0b000016-0000-4000-8000-000000000002";

const env = (values: Record<string, string>) => ({ get: (name: string) => values[name] });

async function tokenFor(sub: string, role = "authenticated") {
  return await new SignJWT({ role, email: `${sub}@example.test` })
    .setProtectedHeader({ alg: "HS256" }).setSubject(sub).setIssuedAt().setExpirationTime("1h")
    .sign(new TextEncoder().encode(secret));
}

function setup(wrap: (fetch: Fetch) => Fetch = (fetch) => fetch) {
  const double = platformDouble({ serviceRoleKey, buckets: ["avatars", "resumes"] });
  double.users.add(owner).add(stranger);
  double.objects.get("resumes")!.add(`${owner}/resumes/a.pdf`).add(`${owner}/resumes/b.pdf`).add(`${stranger}/resumes/s.pdf`);
  double.objects.get("avatars")!.add(`${owner}/profile-pictures/me.png`).add(`${stranger}/profile-pictures/them.png`);
  const handler = createAccountHandler({
    verifyCaller: createCallerVerifier(env({ JWT_SECRET: secret })),
    platformFor: platformFromEnv(
      env({ SUPABASE_URL: "http://platform.test", SUPABASE_ANON_KEY: anonKey, SUPABASE_SERVICE_ROLE_KEY: serviceRoleKey }),
      wrap(double.fetch),
    ),
  });
  const call = async (token: string | null, method = "DELETE", path = "/account") =>
    await handler(new Request(`http://127.0.0.1${path}`, { method, headers: token ? { Authorization: `Bearer ${token}` } : {} }));
  return { double, call };
}

// The owner's account deletion with the platform failing once at `route`: 502.
async function deleteOnceFailing(route: string, status: number) {
  const { double, call } = setup();
  const token = await tokenFor(owner);
  double.failNext(route, status);
  const first = await call(token);
  assert.equal(first.status, 502);
  return { double, call, token, first };
}

const ownerFiles = (double: ReturnType<typeof setup>["double"]) =>
  [...double.objects.values()].flatMap((s) => [...s]).filter((p) => p.startsWith(owner)).length;

const shape = (calls: { method: string; path: string; apikey: string | null; bearer: string | null; body: unknown }[], token: string) =>
  calls.map((c) => ({
    call: `${c.method} ${c.path}`,
    as: c.bearer === serviceRoleKey && c.apikey === serviceRoleKey ? "service_role" : c.bearer === token && c.apikey === anonKey ? "caller" : "other",
    body: c.body,
  }));

const list = (prefix: string) => ({ prefix, limit: 100, offset: 0, sortBy: { column: "name", order: "asc" } });

Deno.test("deletes the caller's files bucket by bucket, then the auth user, with exactly these calls", async () => {
  const { double, call } = setup();
  const token = await tokenFor(owner);
  const response = await call(token);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { deleted: true, user_id: owner, files: 3, user: "deleted" });
  assert.deepEqual(shape(double.calls, token), [
    { call: "GET /storage/v1/bucket", as: "service_role", body: undefined },
    { call: "POST /storage/v1/object/list/avatars", as: "caller", body: list(`${owner}/`) },
    { call: "POST /storage/v1/object/list/avatars", as: "caller", body: list(`${owner}/profile-pictures/`) },
    { call: "DELETE /storage/v1/object/avatars", as: "caller", body: { prefixes: [`${owner}/profile-pictures/me.png`] } },
    { call: "POST /storage/v1/object/list/resumes", as: "caller", body: list(`${owner}/`) },
    { call: "POST /storage/v1/object/list/resumes", as: "caller", body: list(`${owner}/resumes/`) },
    { call: "DELETE /storage/v1/object/resumes", as: "caller", body: { prefixes: [`${owner}/resumes/a.pdf`, `${owner}/resumes/b.pdf`] } },
    { call: "DELETE /auth/v1/admin/users/" + owner, as: "service_role", body: { should_soft_delete: false } },
  ]);
  assert.deepEqual([...double.users], [stranger]);
  assert.deepEqual([...double.objects.get("resumes")!], [`${stranger}/resumes/s.pdf`]);
  assert.deepEqual([...double.objects.get("avatars")!], [`${stranger}/profile-pictures/them.png`]);
});

Deno.test("files gone but the user still there (the Auth API failed): 502, and a retry deletes the user", async () => {
  const { double, call, token, first } = await deleteOnceFailing("DELETE /auth/v1/admin/users/", 500);
  assert.equal((await first.json()).error.code, "deletion_incomplete");
  assert.equal(ownerFiles(double), 0);
  assert.ok(double.users.has(owner));

  double.calls.length = 0;
  const retry = await call(token);
  assert.equal(retry.status, 200);
  assert.deepEqual(await retry.json(), { deleted: true, user_id: owner, files: 0, user: "deleted" });
  assert.ok(!double.users.has(owner));
  assert.ok(!double.calls.some((c) => c.method === "DELETE" && c.path.startsWith("/storage/")), "the retry deletes no file");
});

Deno.test("the user gone but files still there: a retry with the same token removes the files; the Auth API's 404 counts as done", async () => {
  const { double, call } = setup();
  const token = await tokenFor(owner);
  double.users.delete(owner);
  const response = await call(token);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { deleted: true, user_id: owner, files: 3, user: "already_deleted" });
  assert.equal(ownerFiles(double), 0);
});

Deno.test("a storage failure half-way answers 502, keeps the user, and a retry finishes", async () => {
  const { double, call, token } = await deleteOnceFailing("DELETE /storage/v1/object/resumes", 503);
  assert.ok(double.users.has(owner), "the user is not deleted while files remain");
  assert.ok(!double.objects.get("avatars")!.has(`${owner}/profile-pictures/me.png`));
  assert.ok(double.objects.get("resumes")!.has(`${owner}/resumes/a.pdf`));
  const retry = await call(token);
  assert.equal(retry.status, 200);
  assert.equal((await retry.json()).files, 2);
  assert.ok(!double.users.has(owner));
});

Deno.test("401 without a token, with the anon key or a service_role token; no platform call", async () => {
  const { double, call } = setup();
  for (const token of [null, await tokenFor("", "anon"), await tokenFor(owner, "service_role"), "not-a-jwt"]) {
    const response = await call(token);
    assert.equal(response.status, 401);
    assert.equal((await response.json()).error.code, "unauthorized");
  }
  assert.deepEqual(double.calls, []);
});

Deno.test("only /account is answered: another path is 404, calling no API", async () => {
  const { double, call } = setup();
  const token = await tokenFor(owner);
  assert.equal((await call(token, "DELETE", "/account/everyone")).status, 404);
  assert.deepEqual(double.calls, []);
  assert.ok(double.users.has(owner));
});

Deno.test("a listing that names paths outside one folder level is not followed (no ../ or nested names)", async () => {
  const ownerToken = await tokenFor(owner);
  const { double, call } = setup((fetch) => async (input, init) => {
    if (input.includes("/object/list/resumes") && JSON.parse(String(init?.body)).prefix === `${owner}/`) {
      return new Response(JSON.stringify([{ name: "..", id: null }, { name: `../${stranger}/resumes/s.pdf`, id: "x" }]));
    }
    return await fetch(input, init);
  });
  const response = await call(ownerToken);
  assert.equal(response.status, 200);
  assert.ok(!double.calls.some((c) => c.method === "DELETE" && JSON.stringify(c.body ?? "").includes(stranger)));
  assert.ok(double.objects.get("resumes")!.has(`${stranger}/resumes/s.pdf`));
});

Deno.test("on a stack without Supabase's Storage and Auth APIs (the local gateway answers 501) it says what is missing, not to retry", async () => {
  const { missingPlatformApi } = await import("../../../scripts/gateway.ts");
  const local: Fetch = (input) => Promise.resolve(missingPlatformApi(new URL(input).pathname) ?? new Response("{}", { status: 404 }));
  const { call } = setup(() => local);
  const response = await call(await tokenFor(owner));
  assert.equal(response.status, 501);
  const body = await response.json();
  assert.equal(body.error.code, "platform_api_missing");
  assert.match(body.error.message, /no Supabase Storage API.*`supabase start` or a hosted project\. Nothing was deleted\./);
  assert.doesNotMatch(body.error.message, /again|retry/i);

  // Storage there, Auth missing: the files are gone, the account stays, and it says so.
  const { double, call: callHalf } = setup((fetch) => (input, init) =>
    new URL(input).pathname.startsWith("/auth/") ? Promise.resolve(missingPlatformApi("/auth/v1/admin/users")!) : fetch(input, init));
  const half = await callHalf(await tokenFor(owner));
  assert.equal(half.status, 501);
  assert.match((await half.json()).error.message, /no Supabase Auth API.*Your files were deleted; your account was not\./);
  assert.ok(double.users.has(owner));
});
