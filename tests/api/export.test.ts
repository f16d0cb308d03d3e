// "Download my data" through the real data API: supabase-js rpc('export_my_data') →
// gateway → PostgREST 12 → the invoker function under the caller's RLS. Covers what the
// app sees: the signed-in user's document (their rows and files, a stranger's never),
// 401 for anon, and service_role (no user in its token) refused.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, serviceClient, userClient } from '../support/clients';
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
