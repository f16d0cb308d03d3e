// "Download my data" through the real data API: supabase-js rpc('export_my_data') →
// gateway → PostgREST 12 → the invoker function under the caller's RLS. Covers what the
// app sees: the signed-in user's document (their rows and files, a stranger's never),
// 401 for anon, and service_role (no user in its token) refused. The paged form
// (export_my_data_page) walked to its end holds exactly the same rows.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, serviceClient, userClient } from '../support/clients';
import { exportPages } from '../support/export-pages';
import { newUser, stack } from '../support/stack';

const sql = postgres(stack.adminUrl, { max: 1, onnotice: () => {} });
afterAll(() => sql.end());

let owner: Awaited<ReturnType<typeof newUser>>;
let stranger: Awaited<ReturnType<typeof newUser>>;
beforeAll(async () => {
  owner = await newUser('export-owner');
  stranger = await newUser('export-stranger');
  for (const [user, company] of [[owner, 'Owner Export Co'], [stranger, 'Stranger Export Co']] as const) {
    const { error } = await userClient(user.token).from('jobs').insert({ job_title: 'Engineer', company, status: 'applied' });
    expect(error).toBeNull();
    await sql`insert into storage.objects (bucket_id, name, owner_id, metadata)
              values ('resumes', ${`${user.id}/resumes/cv.pdf`}, ${user.id}, ${sql.json({ size: 2048, mimetype: 'application/pdf' })})`;
  }
});

describe('export_my_data through PostgREST', () => {
  it('gives the signed-in user one document with their rows and files, and nothing of a stranger', async () => {
    const { data, error, status } = await userClient(owner.token).rpc('export_my_data');
    expect(error).toBeNull();
    expect(status).toBe(200);
    const doc = data as any;
    expect(doc.format_version).toBe(1);
    expect(Date.parse(doc.generated_at)).toBeGreaterThan(Date.now() - 60_000);
    expect(doc.user_id).toBe(owner.id);
    expect(doc.account.email).toBe(owner.email);
    expect(doc.tables.jobs.map((j: any) => j.company)).toEqual(['Owner Export Co']);
    expect(doc.tables.job_status_events).toHaveLength(1);
    // Derived rows are left out: the search documents and the row-quota counters.
    expect(doc.tables).not.toHaveProperty('job_search_documents');
    expect(doc.archive).not.toHaveProperty('row_quota_usage');
    expect(doc.tables.user_profile).toHaveLength(1);
    expect(doc.storage_objects).toEqual([
      expect.objectContaining({ bucket: 'resumes', path: `${owner.id}/resumes/cv.pdf`, size: 2048, content_type: 'application/pdf' }),
    ]);
    const text = JSON.stringify(doc);
    expect(text).not.toContain(stranger.id);
    expect(text).not.toContain('Stranger Export Co');
  });

  it('answers 401 to anon (no EXECUTE grant: 42501)', async () => {
    const { data, error, status } = await anonClient().rpc('export_my_data');
    expect(data).toBeNull();
    expect(status).toBe(401);
    expect(error?.code).toBe('42501');
  });

  it('refuses service_role, whose token names no user', async () => {
    const { data, error, status } = await serviceClient().rpc('export_my_data');
    expect(data).toBeNull();
    expect(status).toBe(403);
    expect(error?.code).toBe('42501');
  });
});

describe('export_my_data_page through PostgREST', () => {
  beforeAll(async () => {
    // More than one page: 1,200 AI events (a page holds at most 1,000 rows).
    const { error } = await userClient(owner.token)
      .from('ai_events')
      .insert(Array.from({ length: 1200 }, () => ({ provider: 'openai', model: 'gpt-4o-mini', status: 'success' })));
    expect(error).toBeNull();
  });

  it('pages the signed-in user; the pages together are exactly the single export', async () => {
    const client = userClient(owner.token);
    const { pages, tables, complete } = await exportPages(client);
    expect(complete).toBe(true);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages.every((p) => p.status === 200)).toBe(true);
    expect(pages.every((p) => Object.values(p.page.tables).reduce((n, rows) => n + rows.length, 0) <= 1000)).toBe(true);
    const { data: single, error } = await client.rpc('export_my_data');
    expect(error).toBeNull();
    const doc = single as any;
    expect(tables).toEqual(doc.tables);
    expect(tables.ai_events).toHaveLength(1200);
    const first = pages[0].page as any;
    expect(first.user_id).toBe(owner.id);
    expect(first.account).toEqual(doc.account);
    expect(first.archive).toEqual(doc.archive);
    expect(first.storage_objects).toEqual(doc.storage_objects);
    expect(pages.slice(1).every((p) => !('account' in p.page))).toBe(true);
    const text = JSON.stringify(pages.map((p) => p.page));
    expect(text).not.toContain(stranger.id);
    expect(text).not.toContain('Stranger Export Co');
  });

  it('answers 400 to a cursor it did not give', async () => {
    const { error, status } = await userClient(owner.token).rpc('export_my_data_page', { after: '{"table":"share_views"}' });
    expect(status).toBe(400);
    expect(error?.code).toBe('22023');
  });

  it('answers 400 to a forged cursor whose key is missing or holds a null, instead of ending the walk', async () => {
    for (const after of ['{"table":"jobs"}', '{"table":"jobs","key":[null]}', '{"table":"jobs","key":[]}']) {
      const { data, error, status } = await userClient(owner.token).rpc('export_my_data_page', { after });
      expect(status, `${after}: ${JSON.stringify(data)}`).toBe(400);
      expect(error?.code).toBe('22023');
      expect(error?.message).toContain('not a cursor');
    }
  });

  it('answers 401 to anon and refuses service_role', async () => {
    const anon = await anonClient().rpc('export_my_data_page', {});
    expect(anon.status).toBe(401);
    expect(anon.error?.code).toBe('42501');
    const service = await serviceClient().rpc('export_my_data_page', {});
    expect(service.status).toBe(403);
    expect(service.error?.code).toBe('42501');
  });
});
