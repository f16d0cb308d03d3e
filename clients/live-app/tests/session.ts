// A supabase-js client signed in the way the live web app's client is: a stored session
// (what supabase-js keeps in localStorage after an OAuth sign-in), read by
// supabase.auth.getSession() without any call to /auth/v1, which this stack has not.
// The chromium check puts the same object into the browser's localStorage.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';

export interface SignedInUser {
  id: string;
  email: string;
  token: string;
}

/** The session object supabase-js stores after a sign-in. */
export function storedSession(user: SignedInUser, lifetimeSeconds = 3600) {
  const now = Math.floor(Date.now() / 1000);
  return {
    access_token: user.token,
    refresh_token: `refresh-${user.id}`,
    token_type: 'bearer',
    expires_in: lifetimeSeconds,
    expires_at: now + lifetimeSeconds,
    user: {
      id: user.id,
      aud: 'authenticated',
      role: 'authenticated',
      email: user.email,
      app_metadata: { provider: 'google', providers: ['google'] },
      user_metadata: {},
      created_at: new Date().toISOString(),
    },
  };
}

/** supabase-js's default storage key for a project URL: sb-<first label of the host>-auth-token. */
export function storageKeyFor(apiUrl: string): string {
  return `sb-${new URL(apiUrl).hostname.split('.')[0]}-auth-token`;
}

/** A client with the user's session in its storage, as the app's own client has after sign-in. */
export function sessionClient(apiUrl: string, anonKey: string, user: SignedInUser, options: { global?: { fetch?: typeof fetch } } = {}): SupabaseClient {
  const store = new Map<string, string>([[storageKeyFor(apiUrl), JSON.stringify(storedSession(user))]]);
  return createClient(apiUrl, anonKey, {
    ...options,
    auth: {
      persistSession: true,
      autoRefreshToken: false,
      detectSessionInUrl: false,
      storage: {
        getItem: (key) => store.get(key) ?? null,
        setItem: (key, value) => void store.set(key, value),
        removeItem: (key) => void store.delete(key),
      },
    },
  });
}

/** Signed out: no stored session. */
export function signedOutClient(apiUrl: string, anonKey: string): SupabaseClient {
  return createClient(apiUrl, anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
}
