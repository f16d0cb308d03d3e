// Share-link passwords and daily statistics end to end: through PostgREST (/rest/v1/rpc)
// and through the share function (/functions/v1/share), as a browser and an API client
// would. Threats and cases covered:
// - set, change, remove by the owner; access granted by a password ends when it changes;
// - a protected link and an unknown one answer alike (status and body), without and
//   with a (wrong) password;
// - parallel guesses from one client: never more than 5 evaluated in the window, the
//   rest 429 with Retry-After, whatever function instance or PostgREST connection runs them;
// - the daily statistics equal a hand count of a fixture with repeat viewers, HEAD
//   requests, downloads and the owner's own views;
// - the page's password form, in headless Chromium (screenshot in test-output/browser/);
// - the supabase-js example of docs/share-links.md runs as written.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import postgres from 'postgres';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/profiles.mjs';
import { asCaller, rpc } from '../support/as-caller';
import { anonKey, newUser, stack } from '../support/stack';

type User = Awaited<ReturnType<typeof newUser>>;

const sql = postgres(stack.dbUrl, { max: 2, onnotice: () => {} });
const content = { profile: { fullName: 'Grace Hopper', headline: 'Rear Admiral' }, skills: ['COBOL'] };

const pageUrl = (token: string, query = '') => `${stack.apiUrl}/functions/v1/share/${token}${query}`;
const client = (address: string, extra: Record<string, string> = {}) => ({ 'x-forwarded-for': address, 'user-agent': 'vitest', ...extra });
const randomToken = () => Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('base64url');

// POST /rest/v1/rpc/<fn> as supabase-js sends it, anonymously or with the user's token.
async function rest(fn: string, body: unknown, user?: User, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack.apiUrl}/rest/v1/rpc/${fn}`, {
    method: 'POST',
    headers: {
      apikey: anonKey,
      authorization: `Bearer ${user ? user.token : anonKey}`,
      'content-type': 'application/json',
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text(), retryAfter: response.headers.get('retry-after') };
}

async function sharedResume(owner: User) {
  const [resume] = await asCaller(sql, owner, (tx) => tx`
    insert into public.generated_resumes (user_id, template_id, title)
    select ${owner.id}, t.id, 'Grace' from public.templates t where t.slug = 'modern-professional'
    returning id`);
  await rpc(sql, owner, 'save_generated_resume_version', { generated_resume_id: resume.id, content });
  const [{ create_share_link: token }] = await rpc(sql, owner, 'create_share_link', { generated_resume_id: resume.id });
  return { id: resume.id as string, token: token as string };
}

// How many guesses were evaluated for a link (each evaluated wrong guess holds one slot).
async function evaluatedGuesses(token: string): Promise<number> {
  const [row] = await sql`select coalesce(sum(cardinality(attempted_at)), 0)::int as n from private.share_password_attempts
                           where link_key = extensions.digest(${'share-password\n' + token}, 'sha256')`;
  return row.n;
}

let owner: User;

beforeAll(async () => {
  owner = await newUser('share-password');
});

afterAll(async () => {
  await sql.end();
});

describe('share-link passwords through PostgREST', () => {
  it('set, wrong and right attempts, change, remove; a protected link answers as an unknown one', async () => {
    const link = await sharedResume(owner);
    const set = await rest('set_share_link_password', { generated_resume_id: link.id, password: 'hunter2!' }, owner);
    expect(set.status).toBe(200);
    expect(set.text).not.toContain('$2a$');
    expect((await rest('set_share_link_password', { generated_resume_id: link.id, password: 'abc' }, owner)).status).toBe(400);
    const stranger = await newUser('share-stranger');
    expect((await rest('set_share_link_password', { generated_resume_id: link.id, password: 'takeover!' }, stranger)).status).toBe(404);
    expect((await rest('set_share_link_password', { generated_resume_id: link.id, password: 'takeover!' })).status).toBe(401);

    // Without the password: the same answer as an unknown token.
    const unknown = randomToken();
    const protectedRead = await rest('get_public_generated_resume', { share_token: link.token }, undefined, client('192.0.2.10'));
    const unknownRead = await rest('get_public_generated_resume', { share_token: unknown }, undefined, client('192.0.2.10'));
    expect(protectedRead).toEqual(unknownRead);
    expect(protectedRead.text).toBe('null');

    // A wrong password and an unknown link: the same status and body.
    const wrong = await rest('unlock_share_link', { share_token: link.token, password: 'hunter3!' }, undefined, client('192.0.2.10'));
    const wrongUnknown = await rest('unlock_share_link', { share_token: unknown, password: 'hunter3!' }, undefined, client('192.0.2.10'));
    expect(wrong.status).toBe(401);
    expect(wrong).toEqual(wrongUnknown);
    expect(JSON.parse(wrong.text).code).toBe('invalid_password');
    // The 401 still committed the count (a rollback would have undone it).
    expect(await evaluatedGuesses(link.token)).toBe(1);

    const right = await rest('unlock_share_link', { share_token: link.token, password: 'hunter2!' }, undefined, client('192.0.2.10'));
    expect(right.status).toBe(200);
    const { access, expires_at } = JSON.parse(right.text);
    expect(Date.parse(expires_at) - Date.now()).toBeGreaterThan(55 * 60_000);
    const opened = await rest('get_public_generated_resume', { share_token: link.token, access }, undefined, client('192.0.2.10'));
    expect(JSON.parse(opened.text).content.profile.fullName).toBe('Grace Hopper');

    // The owner changes it: the old grant and the old password stop working.
    expect((await rest('set_share_link_password', { generated_resume_id: link.id, password: 'correct horse' }, owner)).status).toBe(200);
    expect((await rest('get_public_generated_resume', { share_token: link.token, access }, undefined, client('192.0.2.10'))).text).toBe('null');
    expect((await rest('unlock_share_link', { share_token: link.token, password: 'hunter2!' }, undefined, client('192.0.2.11'))).status).toBe(401);
    // The owner reads their own link without a password.
    expect(JSON.parse((await rest('get_public_generated_resume', { share_token: link.token }, owner)).text).title).toBe('Grace');

    // Removed: open to anyone with the link again.
    expect((await rest('remove_share_link_password', { generated_resume_id: link.id }, owner)).status).toBe(204);
    const open = await rest('get_public_generated_resume', { share_token: link.token }, undefined, client('192.0.2.12'));
    expect(JSON.parse(open.text).title).toBe('Grace');
  });

  it('20 parallel wrong guesses from one client: 5 evaluated, 15 refused with 429 and Retry-After', async () => {
    const link = await sharedResume(owner);
    await rest('set_share_link_password', { generated_resume_id: link.id, password: 'parallel!' }, owner);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      rest('unlock_share_link', { share_token: link.token, password: `guess ${i}` }, undefined, client('198.51.100.20'))));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    for (const limited of answers.filter((a) => a.status === 429)) {
      expect(Number(limited.retryAfter)).toBeGreaterThan(0);
      expect(JSON.parse(limited.text).code).toBe('too_many_attempts');
    }
    expect(await evaluatedGuesses(link.token)).toBe(5);
  }, 60_000);
});

describe('share-link passwords through the share function', () => {
  it('a protected page answers as an unknown one, takes the password in its form and opens every form with the cookie', async () => {
    const link = await sharedResume(owner);
    await rest('set_share_link_password', { generated_resume_id: link.id, password: 'open sesame' }, owner);
    const unknown = randomToken();

    const locked = await fetch(pageUrl(link.token), { headers: client('203.0.113.30') });
    const missing = await fetch(pageUrl(unknown), { headers: client('203.0.113.30') });
    expect(locked.status).toBe(404);
    expect(missing.status).toBe(404);
    const lockedPage = await locked.text();
    expect(lockedPage).toBe(await missing.text());
    expect(lockedPage).toContain('<form method="post">');
    expect(locked.headers.get('content-security-policy')).toContain("form-action 'self'");
    for (const format of ['json', 'jsonresume', 'pdf']) {
      const a = await fetch(pageUrl(link.token, `?format=${format}`), { headers: client('203.0.113.30') });
      const b = await fetch(pageUrl(unknown, `?format=${format}`), { headers: client('203.0.113.30') });
      expect([a.status, await a.text()]).toEqual([b.status, await b.text()]);
    }

    const post = (token: string, password: string, address = '203.0.113.30') => fetch(pageUrl(token), {
      method: 'POST',
      redirect: 'manual',
      headers: { ...client(address), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ password }).toString(),
    });
    const wrong = await post(link.token, 'open says me');
    const wrongUnknown = await post(unknown, 'open says me');
    expect(wrong.status).toBe(401);
    expect(wrongUnknown.status).toBe(401);
    expect(await wrong.text()).toBe(await wrongUnknown.text());

    const right = await post(link.token, 'open sesame');
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe(link.token);
    const cookie = (right.headers.get('set-cookie') ?? '').split(';')[0];
    expect(cookie).toMatch(/^share_access_[0-9a-f]{16}=\d+\.[A-Za-z0-9_-]{43}$/);
    expect(right.headers.get('set-cookie')).toContain('HttpOnly');

    const page = await fetch(pageUrl(link.token), { headers: { ...client('203.0.113.30'), cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Grace Hopper');
    const pdf = await fetch(pageUrl(link.token, '?format=pdf'), { headers: { ...client('203.0.113.30'), cookie } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    await pdf.body?.cancel();
    const jsonResume = await fetch(pageUrl(link.token, '?format=jsonresume'), { headers: { ...client('203.0.113.30'), cookie } });
    expect((await jsonResume.json()).basics.name).toBe('Grace Hopper');

    // An API client: JSON in, the grant out, sent back as X-Share-Access.
    const api = await fetch(pageUrl(link.token), {
      method: 'POST',
      headers: { ...client('203.0.113.31'), 'content-type': 'application/json' },
      body: JSON.stringify({ password: 'open sesame' }),
    });
    expect(api.status).toBe(200);
    const { access } = await api.json();
    const viaHeader = await fetch(pageUrl(link.token, '?format=json'), { headers: { ...client('203.0.113.31'), 'x-share-access': access } });
    expect((await viaHeader.json()).title).toBe('Grace');

    // A changed password closes the page to the old cookie.
    await rest('set_share_link_password', { generated_resume_id: link.id, password: 'new sesame' }, owner);
    expect((await fetch(pageUrl(link.token), { headers: { ...client('203.0.113.30'), cookie } })).status).toBe(404);
  });

  it('parallel guesses at a protected and at an unknown link: 5 evaluated each, the rest 429, alike', async () => {
    const link = await sharedResume(owner);
    await rest('set_share_link_password', { generated_resume_id: link.id, password: 'parallel!' }, owner);
    const unknown = randomToken();
    const guess = (token: string, i: number) => fetch(pageUrl(token), {
      method: 'POST',
      headers: { ...client('198.51.100.40'), 'content-type': 'application/json' },
      body: JSON.stringify({ password: `guess ${i}` }),
    }).then(async (r) => ({ status: r.status, retryAfter: r.headers.get('retry-after'), body: await r.text() }));
    for (const token of [link.token, unknown]) {
      const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => guess(token, i)));
      expect(answers.filter((a) => a.status === 401)).toHaveLength(5);
      expect(answers.filter((a) => a.status === 429)).toHaveLength(11);
      expect(answers.filter((a) => a.status === 429).every((a) => Number(a.retryAfter) > 0)).toBe(true);
      expect(await evaluatedGuesses(token)).toBe(5);
    }
    // Once limited, even the right password is refused for this client, but not for another.
    expect((await guess(link.token, 99)).status).toBe(429);
    const elsewhere = await fetch(pageUrl(link.token), {
      method: 'POST',
      headers: { ...client('198.51.100.41'), 'content-type': 'application/json' },
      body: JSON.stringify({ password: 'parallel!' }),
    });
    expect(elsewhere.status).toBe(200);
  }, 60_000);

  it('shows the password form in Chromium and opens the resume after the right password', async () => {
    const link = await sharedResume(owner);
    await rest('set_share_link_password', { generated_resume_id: link.id, password: 'browser pw' }, owner);
    const outputDir = join(import.meta.dirname, '..', 'test-output', 'browser');
    mkdirSync(outputDir, { recursive: true });
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 700 } });
      await page.goto(pageUrl(link.token));
      await page.screenshot({ path: join(outputDir, 'share-password-form.png'), fullPage: true });
      await page.fill('input[name=password]', 'wrong pw!');
      await page.click('button[type=submit]');
      expect(await page.textContent('h1')).toBe('This password does not open the link');
      await page.screenshot({ path: join(outputDir, 'share-password-wrong.png'), fullPage: true });
      await page.fill('input[name=password]', 'browser pw');
      await page.click('button[type=submit]');
      expect(await page.textContent('h1')).toBe('Grace Hopper');
      expect(page.url()).toBe(pageUrl(link.token));
      await page.screenshot({ path: join(outputDir, 'share-password-opened.png'), fullPage: true });
      // The page's own PDF link opens with the browser's cookie.
      const href = await page.getAttribute('a[href*="format=pdf"]', 'href');
      const pdf = await page.context().request.get(new URL(href!, page.url()).toString());
      expect([pdf.status(), pdf.headers()['content-type']]).toEqual([200, 'application/pdf']);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe('daily share statistics', () => {
  it("equal a hand count of repeat viewers, HEAD requests, downloads and the owner's own views", async () => {
    const link = await sharedResume(owner);
    const get = async (address: string, query = '', init: RequestInit = {}) => {
      const response = await fetch(pageUrl(link.token, query), { ...init, headers: { ...client(address), ...(init.headers ?? {}) } });
      expect(response.status).toBe(200);
      await response.body?.cancel();
    };
    // Viewer A: 3 page views, 2 PDF downloads, the JSON          -> 1 view, 1 PDF
    for (let i = 0; i < 3; i += 1) await get('203.0.113.50');
    await get('203.0.113.50', '?format=pdf');
    await get('203.0.113.50', '?format=pdf&paper=letter');
    await get('203.0.113.50', '?format=json');
    // Viewer B: 1 page view, 2 JSON Resume downloads              -> 1 view, 1 JSON Resume
    await get('203.0.113.51');
    await get('203.0.113.51', '?format=jsonresume');
    await get('203.0.113.51', '?format=jsonresume');
    // Viewer B through PostgREST (same address and User-Agent)    -> nothing more
    expect((await rest('get_public_generated_resume', { share_token: link.token }, undefined, client('203.0.113.51'))).status).toBe(200);
    // 10 HEAD requests from 10 addresses, page and PDF            -> nothing
    for (let i = 0; i < 10; i += 1) {
      await get(`198.51.100.${60 + i}`, '', { method: 'HEAD' });
      await get(`198.51.100.${60 + i}`, '?format=pdf', { method: 'HEAD' });
    }
    // The owner: 2 page views and a PDF, with their token         -> nothing
    for (const query of ['', '', '?format=pdf']) await get('192.0.2.99', query, { headers: { authorization: `Bearer ${owner.token}` } });

    const statistics = await rest('share_link_statistics', { generated_resume_id: link.id }, owner);
    expect(statistics.status).toBe(200);
    const days = JSON.parse(statistics.text) as { day: string; views: number; pdf_downloads: number; jsonresume_downloads: number }[];
    expect(days).toHaveLength(30);
    const today = new Date().toISOString().slice(0, 10);
    expect(days.at(-1)).toEqual({ day: today, views: 2, pdf_downloads: 1, jsonresume_downloads: 1 });
    expect(days.slice(0, -1).every((d) => d.views + d.pdf_downloads + d.jsonresume_downloads === 0)).toBe(true);
    const [{ share_view_count }] = await asCaller(sql, owner, (tx) =>
      tx`select share_view_count from public.generated_resumes where id = ${link.id}`);
    expect(share_view_count).toBe(2);

    // Only the owner reads them; nothing public carries them.
    const stranger = await newUser('share-stats-stranger');
    expect((await rest('share_link_statistics', { generated_resume_id: link.id }, stranger)).status).toBe(404);
    expect((await rest('share_link_statistics', { generated_resume_id: link.id })).status).toBe(401);
    const publicAnswer = await (await fetch(pageUrl(link.token, '?format=json'), { headers: client('203.0.113.50') })).json();
    expect(Object.keys(publicAnswer).sort()).toEqual(['content', 'template_slug', 'title', 'updated_at']);

    // They are in the owner's export.
    const exported = await rest('export_my_data', {}, owner);
    const archived = JSON.parse(exported.text).archive.share_link_days as { generated_resume_id: string; views: number }[];
    expect(archived.find((d) => d.generated_resume_id === link.id)?.views).toBe(2);
  }, 60_000);
});

describe('docs/share-links.md', () => {
  const blocks = [...readFileSync(join(repoRoot, 'docs', 'share-links.md'), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1])
    .filter((code) => !code.startsWith('// Given')); // what examples.test.ts runs before it

  it('has one supabase-js example, and it runs as written', async () => {
    expect(blocks).toHaveLength(1);
    const user = await newUser('share-docs');
    const [resume] = await asCaller(sql, user, (tx) => tx`
      insert into public.generated_resumes (user_id, template_id, title)
      select ${user.id}, t.id, 'Docs' from public.templates t where t.slug = 'modern-professional' returning id`);
    await rpc(sql, user, 'save_generated_resume_version', { generated_resume_id: resume.id, content });
    const noSession = { auth: { persistSession: false, autoRefreshToken: false } };
    const supabase = createClient(stack.apiUrl, anonKey, { ...noSession, accessToken: async () => user.token });
    const anon = createClient(stack.apiUrl, anonKey, noSession);
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
    const run = new AsyncFunction('supabase', 'anon', 'generated_resume_id', `${blocks[0]}\nreturn { since, locked, error, resume, days };`);
    const outcome = await run(supabase, anon, resume.id);
    expect(outcome.since).not.toBeNull();
    expect(outcome.locked).toBeNull();
    expect(outcome.error).toBeNull();
    expect(outcome.resume.content.profile.fullName).toBe('Grace Hopper');
    expect(outcome.days).toHaveLength(30);
    expect(outcome.days.at(-1)).toMatchObject({ views: 1, pdf_downloads: 0, jsonresume_downloads: 0 });
    const [after] = await sql`select count(*)::int as n from private.share_link_passwords where generated_resume_id = ${resume.id}`;
    expect(after.n).toBe(0);
    // A wrong password through supabase-js: the documented error code.
    const { data: token } = await supabase.rpc('create_share_link', { generated_resume_id: resume.id });
    await supabase.rpc('set_share_link_password', { generated_resume_id: resume.id, password: 'correct horse' });
    const wrong = await anon.rpc('unlock_share_link', { share_token: token, password: 'wrong horse' });
    expect(wrong.data).toBeNull();
    expect(wrong.error?.code).toBe('invalid_password');
  });
});
