// Verifying the caller's access token. Identity comes only from verified claims.
// Local stack / legacy projects: HS256 with JWT_SECRET. Projects with asymmetric keys:
// the JWKS from SUPABASE_JWKS, else from <SUPABASE_URL>/auth/v1/.well-known/jwks.json.
import { createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, type JWTPayload, jwtVerify } from "jose";
import type { Env } from "./env.ts";

export interface CallerClaims extends JWTPayload {
  sub: string;
  role: string;
  email?: string;
  [claim: string]: unknown;
}

export class AuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuthError";
  }
}

export type VerifyCaller = (authorization: string | null) => Promise<CallerClaims>;

export function bearerToken(authorization: string | null): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match) throw new AuthError("Missing bearer token in the Authorization header.");
  return match[1];
}

// PostgREST publishes the anon key's claims; only the role matters to the database.
export const anonClaims = { role: "anon" } as CallerClaims;

// A reader of public pages (a share link, a calendar feed): a signed-in user's verified
// claims, else anon's; a missing, bad or anon token is no error.
export function readerClaims(verifyCaller: VerifyCaller | undefined) {
  return async (request: Request): Promise<CallerClaims> => {
    const authorization = request.headers.get("Authorization");
    if (!authorization || !verifyCaller) return anonClaims;
    try {
      return await verifyCaller(authorization);
    } catch {
      return anonClaims;
    }
  };
}

// A caller whose requests go on to a platform API (Storage, Auth) with their own access
// token: the verified claims and that token.
export interface CallerWithToken {
  claims: CallerClaims;
  token: string;
}

export function callerWithToken(verifyCaller: VerifyCaller) {
  return async (request: Request): Promise<CallerWithToken> => {
    const authorization = request.headers.get("Authorization");
    const claims = await verifyCaller(authorization);
    return { claims, token: bearerToken(authorization) };
  };
}

// deno-lint-ignore no-explicit-any
type KeySource = any;

export function createCallerVerifier(env: Env): VerifyCaller {
  let jwks: KeySource | undefined;
  const keysFor = (alg: string): KeySource => {
    if (alg.startsWith("HS")) {
      const secret = env.get("JWT_SECRET");
      if (!secret) throw new AuthError("This token is signed with a shared secret, but JWT_SECRET is not set.");
      return new TextEncoder().encode(secret);
    }
    if (!jwks) {
      const inline = env.get("SUPABASE_JWKS");
      const url = env.get("SUPABASE_URL");
      if (inline) jwks = createLocalJWKSet(JSON.parse(inline));
      else if (url) jwks = createRemoteJWKSet(new URL("/auth/v1/.well-known/jwks.json", url));
      else throw new AuthError("No SUPABASE_JWKS or SUPABASE_URL to verify this token against.");
    }
    return jwks;
  };

  return async (authorization) => {
    const token = bearerToken(authorization);
    let alg: string;
    try {
      alg = decodeProtectedHeader(token).alg ?? "";
    } catch {
      throw new AuthError("The bearer token is not a JWT.");
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keysFor(alg), { algorithms: [alg] }));
    } catch (error) {
      if (error instanceof AuthError) throw error;
      throw new AuthError("The access token is invalid or expired.");
    }
    if (payload.role !== "authenticated" || typeof payload.sub !== "string" || payload.sub === "") {
      throw new AuthError("This endpoint needs a signed-in user's access token.");
    }
    return payload as CallerClaims;
  };
}
