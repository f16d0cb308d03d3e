// The whole path through the local gateway: JWT check, the function's own check,
// and a database read made as the caller.
import { createClient, FunctionsHttpError } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { anonKey, newUser, stack } from '../support/stack';

const supabase = createClient(stack.apiUrl, anonKey, { auth: { persistSession: false } });

async function invokeHealth(token?: string) {
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : { Authorization: '' };
  const { data, error } = await supabase.functions.invoke('health', { method: 'GET', headers });
  if (error instanceof FunctionsHttpError) return { status: error.context.status, body: await error.context.json() };
  if (error) throw error;
  return { status: 200, body: data };
}

describe('health function', () => {
  it('answers a signed-in user with their id, read from the database as that user', async () => {
    const user = await newUser('health');
    const { status, body } = await invokeHealth(user.token);
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ok', valid: true, user_id: user.id, email: user.email, role: 'authenticated' });
  });

  it('is refused by the gateway without a token, as the platform does', async () => {
    const response = await fetch(`${stack.apiUrl}/functions/v1/health`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ msg: 'Invalid JWT' });
  });

  it('is refused for a token signed with another secret', async () => {
    const forged = await newUser('forged', { secret: 'another-secret-that-is-at-least-32-characters' });
    const { status, body } = await invokeHealth(forged.token);
    expect(status).toBe(401);
    expect(body).toEqual({ msg: 'Invalid JWT' });
  });

  it('is refused for an expired token', async () => {
    const expired = await newUser('expired', { expiresInSeconds: -60 });
    const { status } = await invokeHealth(expired.token);
    expect(status).toBe(401);
  });

  it('refuses the anon key itself: a signed-in user is needed', async () => {
    const { status, body } = await invokeHealth(anonKey);
    expect(status).toBe(401);
    expect(body.error.code).toBe('unauthorized');
  });

  it('lets a CORS preflight through without a token', async () => {
    const response = await fetch(`${stack.apiUrl}/functions/v1/health`, { method: 'OPTIONS' });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
    await response.body?.cancel();
  });

  it('answers 404 for a function that does not exist', async () => {
    const response = await fetch(`${stack.apiUrl}/functions/v1/no-such-function`);
    expect(response.status).toBe(404);
    await response.body?.cancel();
  });
});
