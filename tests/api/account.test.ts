// Account deletion end to end: DELETE /functions/v1/account through the gateway, the
// function calling the Storage and Auth APIs — here a recording double of exactly those
// calls on loopback (supabase/functions/account/platform-double.ts; the gateway is
// started with PLATFORM_API_URL pointing at it), which does to the database what the
// real services do: Storage deletes the objects' rows (storage.allow_delete_query),
// GoTrue deletes the auth.users row. Then a catalog-driven check: no row in any table of
// any schema refers to the user or to any of their rows; the stranger keeps everything.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformDouble } from '../../supabase/functions/account/platform-double.ts';
import { userClient } from '../support/clients';
import { startPlatformDouble } from '../support/platform-double-server';
import { anonKey, newUser, serviceRoleKey, stack } from '../support/stack';

const admin = postgres(stack.adminUrl, { max: 2, onnotice: () => {} });
let double: PlatformDouble;
let stopDouble: () => Promise<void>;

beforeAll(async () => {
  ({ double, stop: stopDouble } = await startPlatformDouble(admin));
});

afterAll(async () => {
  await stopDouble?.();
  await admin.end({ timeout: 5 });
});

const deleteAccount = (token: string | null, apikey = anonKey) =>
  fetch(`${stack.apiUrl}/functions/v1/account`, {
    method: 'DELETE',
    headers: { apikey, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });

// A user with rows in the tables the app writes, and two files.
async function userWithData(prefix: string) {
  const user = await newUser(prefix);
  double.users.add(user.id);
  const client = userClient(user.token);
  const { data: job, error } = await client.from('jobs').insert({ job_title: 'Engineer', company: `${prefix} Co`, status: 'applied' }).select().single();
  expect(error).toBeNull();
  await client.from('user_skills').insert({ name: `${prefix} SQL` });
  await client.from('resumes').insert({ filename: 'cv.pdf', file_url: `${user.id}/resumes/cv.pdf`, file_size: 10 });
  await admin`insert into public.ai_events (user_id, provider, model, status) values (${user.id}, 'openai', 'gpt-4o-mini', 'success')`;
  await admin`insert into public.ai_usage_daily (user_id, day, provider, model, calls, errors, input_tokens, output_tokens)
              values (${user.id}, '2026-01-01', 'openai', 'gpt-4o-mini', 1, 0, 1, 1)`;
  for (const [bucket, path] of [['resumes', `${user.id}/resumes/cv.pdf`], ['avatars', `${user.id}/profile-pictures/me.png`]]) {
    await admin`insert into storage.objects (bucket_id, name, owner_id, metadata) values (${bucket}, ${path}, ${user.id}, '{"size": 10}')`;
    double.objects.get(bucket)!.add(path);
  }
  return { ...user, jobId: job!.id as string };
}

// Every uuid and text-like column of every table, compared with the ids given (and, for
// text, a "<user id>/..." path); jsonb searched as text.
async function referencesTo(userId: string, ids: string[]) {
  const columns = await admin`
    select n.nspname as schema, c.relname as table, a.attname as column, format_type(a.atttypid, null) as type
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
     where c.relkind in ('r', 'p') and not c.relispartition
       and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_t%'
       and a.atttypid in ('uuid'::regtype, 'text'::regtype, 'varchar'::regtype, 'jsonb'::regtype, 'json'::regtype)`;
  const found: string[] = [];
  for (const c of columns) {
    const column = `"${c.column.replaceAll('"', '""')}"`;
    const table = `"${c.schema.replaceAll('"', '""')}"."${c.table.replaceAll('"', '""')}"`;
    const where = c.type === 'uuid'
      ? `${column}::text = any($1::text[]) and $2::text is not null`
      : c.type.startsWith('json')
        ? `${column}::text like '%' || $2::text || '%' and $1::text[] is not null`
        : `${column} = any($1::text[]) or ${column} like $2::text || '/%'`;
    const [{ n }] = await admin.unsafe(`select count(*)::int as n from ${table} where ${where}`, [ids, userId]);
    if (n > 0) found.push(`${c.schema}.${c.table}.${c.column}: ${n}`);
  }
  return found;
}

describe('DELETE /functions/v1/account', () => {
  it('deletes the caller’s files and auth user through the APIs; no row anywhere refers to them; a stranger keeps everything', async () => {
    const owner = await userWithData('account-owner');
    const stranger = await userWithData('account-stranger');
    const [{ ids }] = await admin`
      select array_agg(id::text) as ids from (
        select ${owner.id}::uuid as id
        union all select id from public.jobs where user_id = ${owner.id}
        union all select id from public.job_status_events where user_id = ${owner.id}
        union all select id from public.user_profile where user_id = ${owner.id}
        union all select id from public.user_skills where user_id = ${owner.id}
        union all select id from public.resumes where user_id = ${owner.id}
        union all select id from public.ai_events where user_id = ${owner.id}) i`;
    expect(ids.length).toBeGreaterThanOrEqual(7);
    const strangerBefore = await referencesTo(stranger.id, [stranger.id]);
    double.calls.length = 0;

    const reply = await deleteAccount(owner.token);
    expect(reply.status).toBe(200);
    expect(await reply.json()).toEqual({ deleted: true, user_id: owner.id, files: 2, user: 'deleted' });
    expect(double.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /storage/v1/bucket',
      'POST /storage/v1/object/list/avatars',
      'POST /storage/v1/object/list/avatars',
      'DELETE /storage/v1/object/avatars',
      'POST /storage/v1/object/list/resumes',
      'POST /storage/v1/object/list/resumes',
      'DELETE /storage/v1/object/resumes',
      `DELETE /auth/v1/admin/users/${owner.id}`,
    ]);
    expect(double.calls.filter((c) => c.path.startsWith('/storage/v1/object')).every((c) => c.bearer === owner.token && c.apikey === anonKey)).toBe(true);
    expect(double.calls.filter((c) => !c.path.startsWith('/storage/v1/object')).every((c) => c.bearer === serviceRoleKey && c.apikey === serviceRoleKey)).toBe(true);

    expect(await referencesTo(owner.id, ids)).toEqual([]);
    expect(await referencesTo(stranger.id, [stranger.id])).toEqual(strangerBefore);
    expect(strangerBefore.length).toBeGreaterThan(5);

    // Retried with the same token (say the answer was lost): nothing left, still 200.
    const again = await deleteAccount(owner.token);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ deleted: true, user_id: owner.id, files: 0, user: 'already_deleted' });
  });

  it('answers 401 to anon and to no token, calling no API', async () => {
    const user = await userWithData('account-anon');
    double.calls.length = 0;
    expect((await deleteAccount(null)).status).toBe(401);
    const anon = await deleteAccount(anonKey);
    expect(anon.status).toBe(401);
    expect(double.calls).toEqual([]);
    const [{ n }] = await admin`select count(*)::int as n from auth.users where id = ${user.id}`;
    expect(n).toBe(1);
  });
});

describe('on the Docker-free stack itself (no Supabase Storage or Auth API)', () => {
  it('the gateway answers the Storage and Auth paths 501 platform_api_missing, which the account function turns into a sentence naming what is missing', async () => {
    for (const [path, name] of [['/storage/v1/bucket', 'Storage'], ['/auth/v1/admin/users/x', 'Auth']]) {
      const response = await fetch(`${stack.apiUrl}${path}`, { headers: { apikey: serviceRoleKey, Authorization: `Bearer ${serviceRoleKey}` } });
      expect(response.status).toBe(501);
      expect(await response.json()).toMatchObject({ code: 'platform_api_missing', message: expect.stringContaining(`no Supabase ${name} API`) });
    }
  });
});
