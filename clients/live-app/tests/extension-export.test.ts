// The package index offers the browser extension's module as it offers the app's:
// createExtensionApi, imported from '../src/index.ts', checks a token against the stack.
import { createClient } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { anonKey, newUser, stack } from '../../../tests/support/stack';
import { createExtensionApi, ExtensionApiError, reducePage } from '../src/index.ts';

describe('createExtensionApi from the package index', () => {
  it('checks a real token as valid and a forged one as not, through the health function', async () => {
    const user = await newUser('ext-index');
    const supabase = createClient(stack.apiUrl, anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
    const api = createExtensionApi(supabase, { getToken: async () => user.token });
    expect(await api.verifyToken()).toEqual({ valid: true, user_id: user.id, email: user.email });
    const forged = await api.verifyToken('not-a-token');
    expect(forged.valid).toBe(false);
    expect(typeof ExtensionApiError).toBe('function');
    expect(reducePage('<html><body><script>x()</script><p>Staff Engineer</p></body></html>')).toContain('Staff Engineer');
  });
});
