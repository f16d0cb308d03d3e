// The stack a vitest run talks to: the throwaway one `npm test` builds (it passes
// JOBSTALKER_STACK and the ports), or any running stack named the same way.
import { stackProfile } from '../../scripts/lib/profiles.mjs';
import { anonKey, jwtSecret, serviceRoleKey, signAccessToken } from '../../scripts/lib/keys.mjs';
import { ensureUser } from '../../scripts/lib/users.mjs';

export const stack = stackProfile(process.env.JOBSTALKER_STACK ?? 'test');
export { anonKey, jwtSecret, serviceRoleKey };

// A new signed-in user (auth.users row + access token), unique per call.
export async function newUser(prefix = 'user', options?: { expiresInSeconds?: number; secret?: string }) {
  const email = `${prefix}-${crypto.randomUUID().slice(0, 8)}@example.test`;
  const id = ensureUser(stack, email);
  const token = await signAccessToken({ id, email }, options);
  return { id, email, token };
}
