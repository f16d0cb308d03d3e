// CORS through the gateway, as a browser meets it: the live web app's request helper sends
// Cache-Control, Pragma and Expires on every call, so the browser first sends a preflight
// naming them, and refuses the call unless every function's answer allows each one and
// the real response carries Access-Control-Allow-Origin. The header list itself is the
// pipeline's (proven in _shared/pipeline_test.ts); this proves nothing between the
// browser and the functions (the gateway) drops or filters it.
import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { newUser, stack } from '../support/stack';

const appHeaders = ['authorization', 'content-type', 'cache-control', 'pragma', 'expires'];
const functions = Object.keys(
  (parse(readFileSync(new URL('../../supabase/config.toml', import.meta.url), 'utf8')) as any).functions,
);
const origin = 'http://localhost:5173';

describe('CORS for the live web app\'s request headers', () => {
  it('every function answers a preflight naming Cache-Control, Pragma and Expires, allowing each', async () => {
    expect(functions.length).toBeGreaterThanOrEqual(5);
    for (const name of functions) {
      const response = await fetch(`${stack.apiUrl}/functions/v1/${name}/x`, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': appHeaders.join(','),
        },
      });
      await response.body?.cancel();
      expect(response.status, name).toBe(200);
      expect(response.headers.get('access-control-allow-origin'), name).toBe('*');
      const allowed = (response.headers.get('access-control-allow-headers') ?? '').split(',').map((h) => h.trim().toLowerCase());
      for (const header of appHeaders) expect(allowed, `${name} allows ${header}`).toContain(header);
    }
  });

  it('a call carrying those headers is answered with Access-Control-Allow-Origin', async () => {
    const user = await newUser('cors');
    const response = await fetch(`${stack.apiUrl}/functions/v1/health`, {
      method: 'GET',
      headers: {
        Origin: origin,
        Authorization: `Bearer ${user.token}`,
        'Content-Type': 'application/json',
        'Cache-Control': 'no-cache, no-store, must-revalidate',
        Pragma: 'no-cache',
        Expires: '0',
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect((await response.json()).user_id).toBe(user.id);
  });

  it('PostgREST through the gateway allows them too (it echoes what the preflight asks)', async () => {
    const response = await fetch(`${stack.apiUrl}/rest/v1/jobs`, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': ['apikey', ...appHeaders].join(','),
      },
    });
    await response.body?.cancel();
    expect(response.status).toBe(200);
    const allowed = (response.headers.get('access-control-allow-headers') ?? '').split(',').map((h) => h.trim().toLowerCase());
    for (const header of appHeaders) expect(allowed).toContain(header);
  });
});
