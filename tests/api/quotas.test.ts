// Quotas through the data API: supabase-js → the gateway → PostgREST → Postgres, as a
// client would hit them. Threats covered: a burst of parallel inserts racing past a row
// cap (check-then-act); an oversized value; the answer a client gets (status and body).
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userClient } from '../support/clients';
import { newUser, stack } from '../support/stack';

const sql = postgres(stack.adminUrl, { max: 2, onnotice: () => {} });
afterAll(() => sql.end());

let owner: Awaited<ReturnType<typeof newUser>>;
beforeAll(async () => {
  owner = await newUser('quota');
});

const jobsOf = async (userId: string) =>
  (await sql`select count(*)::int as n from public.jobs where user_id = ${userId}`)[0].n as number;

describe('per-user row caps', () => {
  it('lets exactly as many of 24 parallel inserts through as the cap has room for', async () => {
    await sql`insert into public.jobs (user_id, job_title, company, status)
              select ${owner.id}, 'Job ' || n, 'Acme', 'applied' from generate_series(1, 4994) n`;
    const client = userClient(owner.token);
    const results = await Promise.all(Array.from({ length: 24 }, (_, n) =>
      client.from('jobs').insert({ job_title: `Burst ${n}`, company: 'Acme', status: 'applied' })));

    const accepted = results.filter((r) => r.error === null);
    const refused = results.filter((r) => r.error !== null);
    expect(accepted.length).toBe(6);
    expect(refused.length).toBe(18);
    for (const r of refused) {
      expect(r.status).toBe(400);
      expect(r.error).toMatchObject({
        code: '23514',
        message: 'This account already holds the most jobs rows it may keep (5000).',
        hint: 'Delete rows you no longer need, then try again.',
      });
    }
    expect(await jobsOf(owner.id)).toBe(5000);
    const [usage] = await sql`select used from private.row_quota_usage where user_id = ${owner.id} and scope = 'jobs'`;
    expect(usage.used).toBe(5000);
  });

  it('makes room again when the owner deletes rows', async () => {
    const client = userClient(owner.token);
    const { error: deleteError } = await client.from('jobs').delete().like('job_title', 'Burst %');
    expect(deleteError).toBeNull();
    const { error } = await client.from('jobs').insert({ job_title: 'After cleanup', company: 'Acme', status: 'applied' });
    expect(error).toBeNull();
    expect(await jobsOf(owner.id)).toBe(4995);
  });
});

describe('size limits', () => {
  it('answers 400 with check_violation for a job description over 32 KB, and stores nothing', async () => {
    const user = await newUser('quota-size');
    const { error, status } = await userClient(user.token).from('jobs')
      .insert({ job_title: 'Huge', company: 'Acme', status: 'applied', description: 'x'.repeat(32 * 1024 + 1) });
    expect(status).toBe(400);
    expect(error).toMatchObject({ code: '23514' });
    expect(error?.message).toContain('jobs_description_size');
    expect(await jobsOf(user.id)).toBe(0);
    const atCap = await userClient(user.token).from('jobs')
      .insert({ job_title: 'Long', company: 'Acme', status: 'applied', description: 'x'.repeat(32 * 1024) });
    expect(atCap.status, atCap.error?.message).toBe(201);
  });

  it('answers 400 with check_violation for a resume version over 32 KB, and stores nothing', async () => {
    const user = await newUser('quota-version-size');
    const client = userClient(user.token);
    const [template] = await sql`select id from public.templates where is_active order by slug limit 1`;
    const resume = await client.from('generated_resumes').insert({ template_id: template.id, title: 'Long' }).select('id').single();
    expect(resume.error).toBeNull();
    const { error, status } = await client.from('generated_resume_versions')
      .insert({ generated_resume_id: resume.data!.id, content_json: { profile: { summary: 'x'.repeat(32 * 1024) } } });
    expect(status).toBe(400);
    expect(error).toMatchObject({ code: '23514' });
    expect(error?.message).toContain('generated_resume_versions_content_json_size');
    const [{ n }] = await sql`select count(*)::int as n from public.generated_resume_versions where generated_resume_id = ${resume.data!.id}`;
    expect(n).toBe(0);
  });
});
