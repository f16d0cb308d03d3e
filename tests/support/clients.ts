// supabase-js clients for the running stack, made the way the app makes them: the
// project URL and the anon key, with a signed-in user's access token passed through
// `accessToken` (as a third-party-auth app does) for userClient. Requests go through
// the gateway's /rest/v1 to the real PostgREST, so RLS, grants and PostgREST's own
// error mapping all apply. serviceClient() uses the service_role key (bypasses RLS),
// as a trusted server would.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '../../supabase/functions/_shared/database.types.ts';
import { anonKey, serviceRoleKey, stack } from './stack';

export type Client = SupabaseClient<Database>;

const noSession = { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } };

// Signed out: PostgREST runs the request as anon.
export function anonClient(): Client {
  return createClient<Database>(stack.apiUrl, anonKey, noSession);
}

// Signed in as the user whose access token this is (see newUser() in ./stack).
export function userClient(token: string): Client {
  return createClient<Database>(stack.apiUrl, anonKey, { accessToken: async () => token });
}

// The service_role key as both apikey and bearer: RLS is bypassed.
export function serviceClient(): Client {
  return createClient<Database>(stack.apiUrl, serviceRoleKey, noSession);
}
