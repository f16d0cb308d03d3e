// The browser extension's token check against the running stack. The live extension asks
// GET /api/auth/verify and reads {valid, user_id, email}; anything else signs the user out.
// Here: GET /functions/v1/health answers {valid: true, user_id, email} for a good token,
// 401 for an expired, forged or garbage one, and clients/live-app's verifyToken() turns
// that into {valid: false, error}, never a throw.
import { createClient } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { createExtensionApi } from '../../clients/live-app/src/extension';
import { anonKey, newUser, stack } from '../support/stack';

const supabase = () => createClient(stack.apiUrl, anonKey, { auth: { persistSession: false, autoRefreshToken: false } });

// The extension's own request: its endpoint swapped for health, its headers as they are.
async function verifyAsTheExtension(token: string) {
  const response = await fetch(`${stack.apiUrl}/functions/v1/health`, {
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
  });
  return { status: response.status, ok: response.ok, body: await response.json() };
}

describe('the extension\'s token check', () => {
  it('a good token: {valid: true, user_id, email}, straight from health and through the module', async () => {
    const user = await newUser('ext-token');
    const direct = await verifyAsTheExtension(user.token);
    expect(direct.ok).toBe(true);
    expect(direct.body).toMatchObject({ valid: true, user_id: user.id, email: user.email });

    const api = createExtensionApi(supabase(), { getToken: () => user.token });
    expect(await api.verifyToken()).toEqual({ valid: true, user_id: user.id, email: user.email });
    // A token passed to the call wins over the stored one.
    const other = await newUser('ext-token-other');
    expect(await api.verifyToken(other.token)).toEqual({ valid: true, user_id: other.id, email: other.email });
  });

  it('an expired, forged or garbage token: 401 straight, {valid: false} through the module, never a throw', async () => {
    const expired = await newUser('ext-expired', { expiresInSeconds: -60 });
    const forged = await newUser('ext-forged', { secret: 'not-the-project-secret-at-least-32-characters' });
    for (const token of [expired.token, forged.token, 'test-token']) {
      const direct = await verifyAsTheExtension(token);
      expect(direct.status).toBe(401);
      expect(direct.body.valid).not.toBe(true);
      const check = await createExtensionApi(supabase()).verifyToken(token);
      expect(check.valid).toBe(false);
      expect(check.error).toEqual(expect.any(String));
      expect(check.user_id).toBeUndefined();
    }
  });

  it('no token at all (only the anon key): {valid: false}', async () => {
    expect((await createExtensionApi(supabase(), { getToken: () => null }).verifyToken()).valid).toBe(false);
  });
});
