// The public share page end to end through the gateway, with no token at all. The
// owner's rows are written as the owner, the way PostgREST would (support/as-caller.ts).
// Threats and cases covered:
// - a visitor without an account opens a live link → 200 HTML, hostile content escaped,
//   strict headers, the view counted;
// - ?format=json → exactly the documented allow-list: no ids, provenance, targetRole,
//   proficiencies or version count, the day rather than the time of the last edit;
// - inflating the view count: the same viewer within the hour, HEAD requests, the owner
//   and a burst of parallel requests each count at most once;
// - a revoked link, a random token and a malformed token → the same 404 page;
// - writing through the page → 405.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asCaller, rpc } from '../support/as-caller';
import { newUser, stack } from '../support/stack';

type User = Awaited<ReturnType<typeof newUser>>;

const sql = postgres(stack.dbUrl, { max: 2, onnotice: () => {} });

const content = {
  profile: {
    fullName: 'Ada <Lovelace>',
    email: 'ada@example.test',
    headline: 'Platform Engineer',
    location: 'London',
    summary: '<script>alert("owned")</script> Builds reliable systems.',
    socialLinks: [
      { platform: 'GitHub', url: 'https://github.com/ada' },
      { platform: 'Trap', url: 'javascript:alert(1)' },
    ],
  },
  experience: [
    {
      id: 'exp-1',
      title: 'Backend Engineer',
      company: 'Acme Logistics',
      location: 'Remote',
      startDate: '2021-03',
      endDate: '',
      isCurrent: true,
      description: 'Cut p99 latency by 40%\nLed the Postgres upgrade',
    },
  ],
  education: [{ id: 'edu-1', school: 'University of London', degree: 'BSc', field: 'Mathematics', startDate: '2014-09-01', endDate: '2017-06-01' }],
  skills: ['Postgres', { name: 'Deno', proficiency: 'Expert', category: 'Technical' }],
  languages: [{ name: 'English', proficiency: 'Native' }],
  targetRole: 'Staff Engineer',
  provenance: { kind: 'tailored', jobId: '7a000000-0000-4000-8000-000000000001', jobTitle: 'Staff Engineer', company: 'Secret Corp', tailoredAt: '2026-11-30T10:00:00Z' },
  wizard: { sessionId: '5e000000-0000-4000-8000-000000000001', step: 8 },
};

// What get_public_generated_resume documents for that content: the rendered fields only.
const publicContent = {
  profile: {
    fullName: 'Ada <Lovelace>', firstName: '', lastName: '', email: 'ada@example.test', phone: '',
    headline: 'Platform Engineer', location: 'London',
    summary: '<script>alert("owned")</script> Builds reliable systems.',
    socialLinks: [{ platform: 'GitHub', url: 'https://github.com/ada' }],
  },
  experience: [{
    title: 'Backend Engineer', company: 'Acme Logistics', location: 'Remote', startDate: '2021-03', endDate: '',
    isCurrent: true, description: 'Cut p99 latency by 40%\nLed the Postgres upgrade',
  }],
  education: [{ school: 'University of London', degree: 'BSc', field: 'Mathematics', startDate: '2014-09-01', endDate: '2017-06-01' }],
  skills: ['Postgres', 'Deno'],
  languages: [{ name: 'English', proficiency: 'Native' }],
};

// Each test visitor is a distinct client as the share function sees it.
const visitor = (address: string) => ({ 'x-forwarded-for': address, 'user-agent': 'vitest' });

const pageUrl = (token: string, query = '') => `${stack.apiUrl}/functions/v1/share/${token}${query}`;

async function sharedResume(owner: User) {
  const [resume] = await asCaller(sql, owner, (tx) => tx`
    insert into public.generated_resumes (user_id, template_id, title)
    select ${owner.id}, t.id, 'Ada Lovelace' from public.templates t where t.slug = 'modern-professional'
    returning id`);
  await rpc(sql, owner, 'save_generated_resume_version', { generated_resume_id: resume.id, content });
  const [{ create_share_link: token }] = await rpc(sql, owner, 'create_share_link', { generated_resume_id: resume.id });
  return { id: resume.id as string, token: token as string };
}

async function viewCount(owner: User, resumeId: string): Promise<number> {
  const [row] = await asCaller(sql, owner, (tx) =>
    tx`select share_view_count from public.generated_resumes where id = ${resumeId}`);
  return row.share_view_count;
}

let owner: User;
let resume: { id: string; token: string };

beforeAll(async () => {
  owner = await newUser('share');
  resume = await sharedResume(owner);
});

afterAll(async () => {
  await sql.end();
});

describe('the public share page', () => {
  it('shows a live link to a visitor without any token, escaped, with strict headers, and counts the view', async () => {
    expect(await viewCount(owner, resume.id)).toBe(0);

    const response = await fetch(pageUrl(resume.token), { headers: visitor('203.0.113.1') });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-robots-tag')).toBe('noindex');
    expect(response.headers.get('cache-control')).toBe('private, max-age=60');

    const html = await response.text();
    expect(html).toContain('<h1>Ada &lt;Lovelace&gt;</h1>');
    expect(html).toContain('&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; Builds reliable systems.');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<a href="https://github.com/ada" rel="noopener nofollow">GitHub</a>');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('<li>Led the Postgres upgrade</li>');
    expect(html).toContain('University of London');
    expect(html).toContain('English — Native');

    expect(await viewCount(owner, resume.id)).toBe(1);
  });

  it('returns exactly the documented allow-list as JSON with ?format=json, counting another viewer', async () => {
    const response = await fetch(pageUrl(resume.token, '?format=json'), { headers: visitor('203.0.113.2') });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = await response.json();
    expect(Object.keys(body).sort()).toEqual(['content', 'template_slug', 'title', 'updated_at']);
    expect(body.title).toBe('Ada Lovelace');
    expect(body.template_slug).toBe('modern-professional');
    expect(body.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(body.content).toEqual(publicContent);
    const text = JSON.stringify(body);
    for (const secret of ['Secret Corp', '7a000000', 'exp-1', 'edu-1', 'Staff Engineer', '5e000000', 'Expert', owner.id, owner.email]) {
      expect(text).not.toContain(secret);
    }
    expect(await viewCount(owner, resume.id)).toBe(2);
  });

  it('counts a viewer once per hour: repeats, HEAD requests, the owner and a parallel burst add nothing more', async () => {
    for (let i = 0; i < 5; i += 1) {
      const again = await fetch(pageUrl(resume.token), { headers: visitor('203.0.113.1') });
      expect(again.status).toBe(200);
      await again.body?.cancel();
    }
    for (let i = 0; i < 20; i += 1) {
      const head = await fetch(pageUrl(resume.token), { method: 'HEAD', headers: visitor(`198.51.100.${i}`) });
      expect(head.status).toBe(200);
    }
    const mine = await fetch(pageUrl(resume.token), { headers: { ...visitor('192.0.2.50'), authorization: `Bearer ${owner.token}` } });
    expect(mine.status).toBe(200);
    await mine.body?.cancel();
    expect(await viewCount(owner, resume.id)).toBe(2);

    const burst = await Promise.all(Array.from({ length: 12 }, () => fetch(pageUrl(resume.token), { headers: visitor('203.0.113.3') })));
    for (const response of burst) {
      expect(response.status).toBe(200);
      await response.body?.cancel();
    }
    expect(await viewCount(owner, resume.id)).toBe(3);
  });

  it('writes nothing for a viewer already counted this hour: no row lock, so the read commits as a read', async () => {
    // xmax moves whenever a transaction locks or updates the viewer's row; the counting
    // upsert locks it even when it updates nothing.
    const rowsOf = () => sql`select viewer_hash, xmax::text as xmax, counted_at from private.share_views
                              where generated_resume_id = ${resume.id} order by viewer_hash`;
    const before = await rowsOf();
    expect(before.length).toBe(3);
    for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
      const again = await fetch(pageUrl(resume.token), { headers: visitor(address) });
      expect(again.status).toBe(200);
      await again.body?.cancel();
    }
    expect(await rowsOf()).toEqual(before);
    expect(await viewCount(owner, resume.id)).toBe(3);
  });

  it('answers 404 for a random token and for a malformed one, with the same page', async () => {
    const random = Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('base64url');
    const unknown = await fetch(pageUrl(random));
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('cache-control')).toBe('no-store');
    const unknownPage = await unknown.text();
    expect(unknownPage).toContain('This share link is not available');

    const malformed = await fetch(pageUrl('not-a-token'));
    expect(malformed.status).toBe(404);
    expect(await malformed.text()).toBe(unknownPage);
    expect(await viewCount(owner, resume.id)).toBe(3);
  });

  it('refuses to be written to', async () => {
    const response = await fetch(pageUrl(resume.token), { method: 'POST', body: '{}', headers: visitor('203.0.113.4') });
    expect(response.status).toBe(405);
    await response.body?.cancel();
    expect(await viewCount(owner, resume.id)).toBe(3);
  });

  it('answers 404 once the owner revokes the link', async () => {
    await rpc(sql, owner, 'revoke_share_link', { generated_resume_id: resume.id });
    const response = await fetch(pageUrl(resume.token));
    expect(response.status).toBe(404);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toContain('This share link is not available');
  });
});
