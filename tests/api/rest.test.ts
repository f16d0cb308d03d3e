// The data API as the app reaches it: supabase-js → the gateway's /rest/v1 → the real
// PostgREST 12 → Postgres under RLS. Covers the gateway's part (apikey required, bearer
// forwarded or taken from the apikey, prefix stripped, headers and bodies passed
// through, CORS), owner columns defaulting to the caller, and the schema cache reload.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reloadSchemaCache } from '../../scripts/lib/postgrest-process.mjs';
import { anonClient, serviceClient, userClient } from '../support/clients';
import { anonKey, newUser, serviceRoleKey, stack } from '../support/stack';

const sql = postgres(stack.adminUrl, { max: 1, onnotice: () => {} });
afterAll(() => sql.end());

let owner: Awaited<ReturnType<typeof newUser>>;
let stranger: Awaited<ReturnType<typeof newUser>>;
beforeAll(async () => {
  owner = await newUser('rest-owner');
  stranger = await newUser('rest-stranger');
});

const rest = (path: string, init: RequestInit = {}) => fetch(`${stack.restUrl}${path}`, init);

describe('the gateway in front of PostgREST', () => {
  it('answers 401 without an apikey, and with a key that is neither anon nor service_role', async () => {
    const none = await rest('/jobs', { headers: { Authorization: `Bearer ${owner.token}` } });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ message: 'No API key found in request' });
    const forged = await rest('/jobs', { headers: { apikey: owner.token } });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ message: 'Invalid API key' });
  });

  it('runs a request with only the anon key as anon, as PostgREST answers anon', async () => {
    const jobs = await rest('/jobs?select=id', { headers: { apikey: anonKey } });
    expect(jobs.status).toBe(401);
    expect(await jobs.json()).toMatchObject({ code: '42501', message: 'permission denied for table jobs' });
    const share = await rest('/rpc/get_public_generated_resume', {
      method: 'POST',
      headers: { apikey: anonKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ share_token: 'A'.repeat(32) }),
    });
    expect(share.status).toBe(200);
    expect(await share.json()).toBeNull();
  });

  it('forwards the user’s bearer token, so RLS shows the owner only their rows', async () => {
    const { error } = await userClient(owner.token).from('jobs').insert({ job_title: 'Gateway', company: 'Own Co', status: 'applied' });
    expect(error).toBeNull();
    const mine = await rest('/jobs?select=company,user_id', { headers: { apikey: anonKey, Authorization: `Bearer ${owner.token}` } });
    expect(mine.status).toBe(200);
    expect(await mine.json()).toEqual([{ company: 'Own Co', user_id: owner.id }]);
    const theirs = await rest('/jobs?select=company', { headers: { apikey: anonKey, Authorization: `Bearer ${stranger.token}` } });
    expect(await theirs.json()).toEqual([]);
  });

  it('uses the service_role apikey as the bearer when none is sent (RLS bypassed)', async () => {
    const all = await rest(`/jobs?select=company&user_id=eq.${owner.id}`, { headers: { apikey: serviceRoleKey } });
    expect(all.status).toBe(200);
    expect(await all.json()).toEqual([{ company: 'Own Co' }]);
  });

  it('refuses planned and estimated counts (planner statistics over every user) to users and anon; exact counts and the service role are answered', async () => {
    const asOwner = { apikey: anonKey, Authorization: `Bearer ${owner.token}` };
    for (const count of ['planned', 'estimated']) {
      for (const headers of [asOwner, { apikey: anonKey }]) {
        const refused = await rest('/jobs?select=id&status=eq.applied', { headers: { ...headers, Prefer: `count=${count}` } });
        expect(refused.status, `count=${count}`).toBe(400);
        const body = await refused.json();
        expect(body.code).toBe('22023');
        expect(refused.headers.get('content-range')).toBeNull();
      }
    }
    const exact = await rest('/jobs?select=id', { headers: { ...asOwner, Prefer: 'count=exact', Range: '0-0' } });
    expect(exact.status).toBe(200);
    // The service role still gets the planner's estimate (206 when it exceeds the rows sent).
    const service = await rest(`/jobs?select=id&user_id=eq.${owner.id}`, { headers: { apikey: serviceRoleKey, Prefer: 'count=planned' } });
    expect([200, 206]).toContain(service.status);
    expect(service.headers.get('content-range')).toMatch(/^(\d+-\d+|\*)\/\d+$/);
  });

  it('passes Prefer, Range and Accept through, and Content-Range, Location and Preference-Applied back', async () => {
    const headers = { apikey: anonKey, Authorization: `Bearer ${owner.token}` };
    const counted = await rest('/jobs?select=id', { headers: { ...headers, Prefer: 'count=exact', Range: '0-0' } });
    expect(counted.status).toBe(200);
    expect(counted.headers.get('content-range')).toBe('0-0/1');
    expect(counted.headers.get('preference-applied')).toBe('count=exact');

    const csv = await rest('/jobs?select=company', { headers: { ...headers, Accept: 'text/csv' } });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await csv.text()).toBe('company\n"Own Co"');

    const created = await rest('/jobs', {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json', Prefer: 'return=headers-only' },
      body: JSON.stringify({ job_title: 'Located', company: 'Header Co', status: 'bookmarked' }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toMatch(/^\/jobs\?id=eq\.[0-9a-f-]{36}$/);
  });

  it('passes Accept-Profile and Content-Profile through (a schema that is not exposed is refused by PostgREST)', async () => {
    const headers = { apikey: anonKey, Authorization: `Bearer ${owner.token}` };
    const read = await rest('/jobs', { headers: { ...headers, 'Accept-Profile': 'private' } });
    expect(read.status).toBe(406);
    expect(await read.json()).toMatchObject({ code: 'PGRST106' });
    const write = await rest('/jobs', {
      method: 'POST',
      headers: { ...headers, 'Content-Profile': 'auth', 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(write.status).toBe(406);
    expect(await write.json()).toMatchObject({ code: 'PGRST106' });
    const ok = await rest('/jobs?select=id', { headers: { ...headers, 'Accept-Profile': 'public' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-profile')).toBe('public');
  });

  it('answers a CORS preflight as Supabase does, without an apikey, and allows any origin on responses', async () => {
    const preflight = await rest('/jobs', {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'apikey, authorization, content-type, prefer' },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('apikey, authorization, content-type, prefer');
    const answer = await rest('/rpc/get_template_layout?template_slug=modern-professional', { headers: { apikey: anonKey, Origin: 'http://localhost:3000' } });
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    const refused = await rest('/templates', { headers: { Origin: 'http://localhost:3000' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('streams a request body through unchanged (a bulk insert of 200 rows in one request)', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({ job_title: `Bulk ${i}`, company: 'Bulk Co', status: 'bookmarked' }));
    const { error, count } = await userClient(stranger.token).from('jobs').insert(rows, { count: 'exact' });
    expect(error).toBeNull();
    expect(count).toBe(200);
    const { count: stored } = await userClient(stranger.token).from('jobs').select('*', { count: 'exact', head: true }).eq('company', 'Bulk Co');
    expect(stored).toBe(200);
  });
});

describe('supabase-js through PostgREST', () => {
  it('stores the README’s insert without a user_id under the caller’s id (owner columns default to auth.uid())', async () => {
    const user = await newUser('rest-readme');
    const supabase = userClient(user.token);
    const { error } = await supabase.from('jobs').insert({ job_title: 'Engineer', company: 'Acme', status: 'Applied' });
    expect(error).toBeNull();
    const { data } = await serviceClient().from('jobs').select('user_id, status').eq('user_id', user.id);
    expect(data).toEqual([{ user_id: user.id, status: 'applied' }]);
  });

  it('refuses a forged user_id with 42501 and 403, and stores nothing', async () => {
    const { error, status } = await userClient(owner.token).from('jobs').insert({ user_id: stranger.id, job_title: 'Forged', company: 'Forged Co', status: 'applied' });
    expect(status).toBe(403);
    expect(error).toMatchObject({ code: '42501' });
    const { count } = await serviceClient().from('jobs').select('*', { count: 'exact', head: true }).eq('company', 'Forged Co');
    expect(count).toBe(0);
  });

  it('gives anon the share RPC and no table', async () => {
    const { data, error } = await anonClient().rpc('get_public_generated_resume', { share_token: 'B'.repeat(32) });
    expect(error).toBeNull();
    expect(data).toBeNull();
    const jobs = await anonClient().from('jobs').select('id');
    expect(jobs.status).toBe(401);
    expect(jobs.error).toMatchObject({ code: '42501' });
  });
});

describe('the schema cache', () => {
  it('serves a function created after PostgREST started once the stack notifies pgrst', async () => {
    await sql.unsafe(`create function public.rest_reload_probe() returns int language sql stable as 'select 42';
                      grant execute on function public.rest_reload_probe() to anon`);
    try {
      reloadSchemaCache(stack.dbUrl);
      let answer: unknown;
      for (let i = 0; i < 50 && answer !== 42; i++) {
        ({ data: answer } = await anonClient().rpc('rest_reload_probe' as never));
        if (answer !== 42) await new Promise((r) => setTimeout(r, 100));
      }
      expect(answer).toBe(42);
    } finally {
      await sql.unsafe('drop function public.rest_reload_probe()');
      reloadSchemaCache(stack.dbUrl);
    }
  });
});
