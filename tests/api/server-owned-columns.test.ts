// What a client may not send, through the gateway and the real PostgREST: the columns the
// server sets (version numbers, created_at, render artifacts), an id that another user's
// row holds (it must not tell that the row exists), and error details that would echo a
// long argument. supabase/tests/database/60-server-owned-columns.sql finds every
// server-owned column in the catalog; this file shows what a client sees.
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { anonKey, stack } from '../support/stack';
import { makeWorld, removeWorlds } from '../support/world';

const sql = postgres(stack.adminUrl, { max: 2, onnotice: () => {} });
afterAll(async () => {
  await removeWorlds(sql);
  await sql.end();
});

async function rest(token: string, method: string, path: string, body?: unknown, prefer = 'return=representation') {
  const response = await fetch(`${stack.apiUrl}/rest/v1/${path}`, {
    method,
    headers: { apikey: anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json', prefer },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, json: text ? JSON.parse(text) : null };
}

describe('server-owned columns', () => {
  it('refuses a version number a client sends (-1, -2147483648, 101): 403 42501, nothing stored', async () => {
    const w = await makeWorld(sql);
    const [{ versions }] = await sql`select count(*)::int as versions from public.generated_resume_versions where generated_resume_id = ${w.ids.generated}`;
    for (const version_number of [-1, -2147483648, 101]) {
      const answer = await rest(w.owner.token, 'POST', 'generated_resume_versions',
        { generated_resume_id: w.ids.generated, content_json: {}, version_number });
      expect(answer.status).toBe(403);
      expect(answer.json.code).toBe('42501');
    }
    const [after] = await sql`select count(*)::int as versions from public.generated_resume_versions where generated_resume_id = ${w.ids.generated}`;
    expect(after.versions).toBe(versions);
  });

  it('refuses a forged render_artifact_url or created_at; a version without them is numbered by the server', async () => {
    const w = await makeWorld(sql);
    for (const forged of [{ render_artifact_url: 'https://evil.example/phish.pdf' }, { created_at: '2000-01-01T00:00:00Z' }]) {
      const answer = await rest(w.owner.token, 'POST', 'generated_resume_versions',
        { generated_resume_id: w.ids.generated, content_json: {}, ...forged });
      expect(answer.status).toBe(403);
      expect(answer.json.code).toBe('42501');
    }
    expect(await sql`select 1 from public.generated_resume_versions where render_artifact_url like '%evil.example%'`).toHaveLength(0);
    const saved = await rest(w.owner.token, 'POST', 'generated_resume_versions', { generated_resume_id: w.ids.generated, content_json: { n: 1 } });
    expect(saved.status).toBe(201);
    const [{ next }] = await sql`select max(version_number) as next from public.generated_resume_versions where generated_resume_id = ${w.ids.generated}`;
    expect(saved.json[0].version_number).toBe(next);
    expect(saved.json[0].render_artifact_url).toBeNull();
    expect(Math.abs(Date.parse(saved.json[0].created_at) - Date.now())).toBeLessThan(60_000);
  });

  it('refuses a forged updated_at on an update, and a job’s first_response_at on insert', async () => {
    const w = await makeWorld(sql);
    const update = await rest(w.owner.token, 'PATCH', `jobs?id=eq.${w.ids.job}`, { updated_at: '2000-01-01T00:00:00Z' });
    expect(update.status).toBe(403);
    const insert = await rest(w.owner.token, 'POST', 'jobs', { job_title: 'QA', company: 'Umbrella', status: 'applied', first_response_at: '2020-01-01T00:00:00Z' });
    expect(insert.status).toBe(403);
    expect(insert.json.code).toBe('42501');
  });
});

describe('foreign row ids', () => {
  it('inserting another user’s job id answers 201 as a free id does (no 409 to probe), with a fresh id; the owner’s row is unchanged', async () => {
    const w = await makeWorld(sql);
    const probe = await rest(w.stranger.token, 'POST', 'jobs', { id: w.ids.job, job_title: 'Probe', company: 'X' });
    expect(probe.status).toBe(201);
    expect(probe.json[0].id).not.toBe(w.ids.job);
    const free = await rest(w.stranger.token, 'POST', 'jobs', { id: crypto.randomUUID(), job_title: 'Free', company: 'X' });
    expect(free.status).toBe(201);
    const [owner] = await sql`select user_id, job_title from public.jobs where id = ${w.ids.job}`;
    expect(owner).toEqual({ user_id: w.owner.id, job_title: 'Backend Engineer' });
  });

  it('an id of the caller’s own row still conflicts (409): only ids the caller cannot see are hidden', async () => {
    const w = await makeWorld(sql);
    const again = await rest(w.owner.token, 'POST', 'jobs', { id: w.ids.job, job_title: 'Again', company: 'Acme' });
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('23505');
  });
});

describe('error details', () => {
  it('a 100 KB template argument is not echoed back: the detail keeps a 40-character excerpt', async () => {
    const w = await makeWorld(sql);
    const answer = await rest(w.owner.token, 'POST', 'rpc/start_wizard_session', { template: 'x'.repeat(100_000) });
    expect(answer.status).toBe(404);
    expect(answer.json.code).toBe('PT404');
    expect(answer.json.details).toBe(`No active template has the slug or id ${'x'.repeat(40)}….`);
    expect(answer.text.length).toBeLessThan(500);
  });
});
