// supabase-js clients for the running stack, made the way the app makes them: the
// project URL and the anon key, with a signed-in user's access token passed through
// `accessToken` (as a third-party-auth app does) for userClient. Requests go through
// the gateway's /rest/v1 to the real PostgREST, so RLS, grants and PostgREST's own
// error mapping all apply. serviceClient() uses the service_role key (bypasses RLS),
// as a trusted server would.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { fairUseFetch } from '../../clients/live-app/src/fair-use.ts';
import type { Database } from '../../supabase/functions/_shared/database.types.ts';
import { anonKey, serviceRoleKey, stack } from './stack';

export type Client = SupabaseClient<Database>;

const noSession = { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } };

// Fair use (docs/fair-use.md): a caller with more requests in flight than its share gets
// 429 with Retry-After. These clients behave as the live app's module does (at most the
// share in flight, the rest queued; a 429 from another client of the same caller sent
// again after Retry-After), with more patience, so suites that burst stay correct. Only
// /rest/v1 is paced: a function's own 429 (the AI limits) is an answer the tests read.
export function retryingFetch(): typeof fetch {
  const paced = fairUseFetch(fetch, { retries: 20 });
  return (input, init) => (String(input instanceof Request ? input.url : input).includes('/rest/v1/') ? paced : fetch)(input, init);
}
const retrying = () => ({ global: { fetch: retryingFetch() } });

// Signed out: PostgREST runs the request as anon.
export function anonClient(): Client {
  return createClient<Database>(stack.apiUrl, anonKey, { ...noSession, ...retrying() });
}

// Signed in as the user whose access token this is (see newUser() in ./stack).
export function userClient(token: string): Client {
  return createClient<Database>(stack.apiUrl, anonKey, { accessToken: async () => token, ...retrying() });
}

// The service_role key as both apikey and bearer: RLS is bypassed.
export function serviceClient(): Client {
  return createClient<Database>(stack.apiUrl, serviceRoleKey, noSession);
}
