// Supabase's well-known local JWT secret and the keys signed with it, so that tools,
// docs and tests match what `supabase start` prints.
import { SignJWT } from 'jose';
import { stackProfile } from './profiles.mjs';

export const jwtSecret = 'super-secret-jwt-token-with-at-least-32-characters-long';
const secretKey = new TextEncoder().encode(jwtSecret);

// The exact anon and service_role keys the Supabase CLI prints locally.
export const anonKey =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';
export const serviceRoleKey =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU';

// Who issues a stack's tokens: its Auth URL (<API URL>/auth/v1), as GoTrue sets iss.
export function issuerOf(profile) {
  return `${profile.apiUrl}/auth/v1`;
}

// The stack the environment selects (JOBSTALKER_STACK, dev when unset), on the ports it
// was started with; the CLI's default when that stack has no valid ports.
function currentIssuer() {
  try {
    return issuerOf(stackProfile(process.env.JOBSTALKER_STACK ?? 'dev'));
  } catch {
    return 'http://127.0.0.1:54321/auth/v1';
  }
}

// The claims Supabase Auth puts in a user's access token.
export async function signAccessToken(user, { expiresInSeconds = 3600, secret = secretKey, now = Math.floor(Date.now() / 1000), issuer = currentIssuer() } = {}) {
  const claims = {
    sub: user.id,
    email: user.email ?? '',
    phone: user.phone ?? '',
    role: 'authenticated',
    aud: 'authenticated',
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: user.user_metadata ?? {},
    aal: 'aal1',
    amr: [{ method: 'password', timestamp: now }],
    session_id: crypto.randomUUID(),
    is_anonymous: false,
  };
  return await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + expiresInSeconds)
    .sign(typeof secret === 'string' ? new TextEncoder().encode(secret) : secret);
}
