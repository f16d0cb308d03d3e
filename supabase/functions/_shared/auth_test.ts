import assert from "node:assert/strict";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { AuthError, bearerToken, createCallerVerifier } from "./auth.ts";

const secret = "super-secret-jwt-token-with-at-least-32-characters-long";
const env = (vars: Record<string, string>) => ({ get: (name: string) => vars[name] });

function sign(claims: Record<string, unknown>, key: string | CryptoKey = secret, alg = "HS256", expiresIn = "1h") {
  const signingKey = typeof key === "string" ? new TextEncoder().encode(key) : key;
  return new SignJWT(claims).setProtectedHeader({ alg, kid: "test-key" }).setIssuedAt().setExpirationTime(expiresIn)
    .sign(signingKey);
}

const user = { sub: "2b7f3f0e-4d3a-4c55-9a57-5d0d8c1f0001", role: "authenticated", email: "a@example.test" };

Deno.test("a user's HS256 token is verified with JWT_SECRET and yields its claims", async () => {
  const verify = createCallerVerifier(env({ JWT_SECRET: secret }));
  const claims = await verify(`Bearer ${await sign(user)}`);
  assert.equal(claims.sub, user.sub);
  assert.equal(claims.role, "authenticated");
});

Deno.test("a token signed with another secret is refused", async () => {
  const verify = createCallerVerifier(env({ JWT_SECRET: secret }));
  const forged = await sign(user, "another-secret-that-is-at-least-32-characters");
  await assert.rejects(verify(`Bearer ${forged}`), AuthError);
});

Deno.test("an expired token is refused", async () => {
  const verify = createCallerVerifier(env({ JWT_SECRET: secret }));
  const expired = await new SignJWT(user).setProtectedHeader({ alg: "HS256" }).setExpirationTime(
    Math.floor(Date.now() / 1000) - 10,
  ).sign(new TextEncoder().encode(secret));
  await assert.rejects(verify(`Bearer ${expired}`), /invalid or expired/);
});

Deno.test("the anon key is not a signed-in user", async () => {
  const verify = createCallerVerifier(env({ JWT_SECRET: secret }));
  const anon = await sign({ role: "anon", iss: "supabase-demo" });
  await assert.rejects(verify(`Bearer ${anon}`), /signed-in user/);
});

Deno.test("a missing or malformed Authorization header is refused", async () => {
  const verify = createCallerVerifier(env({ JWT_SECRET: secret }));
  await assert.rejects(verify(null), /Missing bearer token/);
  await assert.rejects(verify("Basic abc"), /Missing bearer token/);
  await assert.rejects(verify("Bearer not-a-jwt"), /not a JWT/);
  assert.throws(() => bearerToken(""), AuthError);
});

Deno.test("an ES256 token is verified against SUPABASE_JWKS, and refused without any key source", async () => {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "test-key", alg: "ES256" };
  const token = await sign(user, privateKey, "ES256");
  const verify = createCallerVerifier(env({ SUPABASE_JWKS: JSON.stringify({ keys: [jwk] }) }));
  assert.equal((await verify(`Bearer ${token}`)).sub, user.sub);
  await assert.rejects(createCallerVerifier(env({}))(`Bearer ${token}`), /No SUPABASE_JWKS or SUPABASE_URL/);
});
