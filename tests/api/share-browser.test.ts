// What a person sees: the share page of every seeded template, opened in headless
// Chromium (Debian's chromium, driven by playwright-core), at phone width (390 px), at
// desktop width (1200 px) and in print. Nothing may stick out sideways at either width,
// and in print the page must fit the paper's width so it prints as whole pages without
// losing text. A screenshot of each is kept in test-output/browser/ for a person.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asCaller, rpc } from '../support/as-caller';
import { newUser, stack } from '../support/stack';

const outputDir = join(import.meta.dirname, '..', 'test-output', 'browser');
const sql = postgres(stack.dbUrl, { max: 2, onnotice: () => {} });

// Long unbroken words and URLs are what make pages overflow on a phone.
const content = {
  profile: {
    fullName: 'Zoë Łukasiewicz-Παπαδοπούλου',
    email: 'zoe.lukasiewicz-papadopoulou@a-very-long-domain-name.example.test',
    phone: '+30 210 555 0100',
    headline: 'Staff Platform Engineer',
    location: 'Thessaloniki, Greece',
    summary: 'Platform engineer who builds calm, observable systems. Supercalifragilisticexpialidociousnessfullyobservableplatforms.',
    socialLinks: [
      { platform: 'linkedin', url: 'https://www.linkedin.com/in/zoe-lukasiewicz-papadopoulou-0123456789abcdef' },
      { platform: 'github', url: 'https://github.com/zoe-l' },
    ],
  },
  experience: Array.from({ length: 6 }, (_, i) => ({
    id: `e${i}`,
    title: `Engineer ${i + 1}`,
    company: 'Ἀκρόπολις Cloud',
    location: 'Thessaloniki',
    startDate: `${2010 + i}-01`,
    endDate: `${2011 + i}-01`,
    isCurrent: false,
    description: 'Led the move of 40 services to Kubernetes\nCut deploy time from 30 to 4 minutes with https://example.test/a/really/long/path/that/does/not/break/anywhere/at/all',
  })),
  education: [{ id: 'd1', school: 'Aristotle University of Thessaloniki', degree: 'MSc', field: 'Computer Science', startDate: '2012-09', endDate: '2017-06' }],
  skills: ['Go', 'Kubernetes', 'PostgreSQL', 'Observability-engineering-at-planet-scale'],
  languages: [{ name: 'Greek', proficiency: 'Native' }, { name: 'Polish', proficiency: 'Advanced' }],
};

let browser: Browser;
let slugs: string[] = [];
const tokens = new Map<string, string>();

beforeAll(async () => {
  mkdirSync(outputDir, { recursive: true });
  const owner = await newUser('browser');
  slugs = (await sql`select slug from public.templates where is_active order by slug`).map((r) => r.slug as string);
  for (const slug of slugs) {
    const [resume] = await asCaller(sql, owner, (tx) => tx`
      insert into public.generated_resumes (user_id, template_id, title)
      select ${owner.id}, t.id, 'Zoë' from public.templates t where t.slug = ${slug} returning id`);
    await rpc(sql, owner, 'save_generated_resume_version', { generated_resume_id: resume.id, content });
    const [{ create_share_link: token }] = await rpc(sql, owner, 'create_share_link', { generated_resume_id: resume.id });
    tokens.set(slug, token);
  }
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await sql.end();
});

// Elements whose right edge passes the viewport, and the page's own sideways scroll.
async function overflow(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const sticking = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
    return { scroll: document.documentElement.scrollWidth - width, sticking };
  });
}

describe('the share page in a browser', () => {
  it('seeds three templates to check', () => {
    expect(slugs).toEqual(['clean-impact', 'executive-classic', 'modern-professional']);
  });

  for (const width of [390, 1200]) {
    it(`nothing overflows at ${width} px, for every seeded template`, async () => {
      for (const slug of slugs) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        const response = await page.goto(`${stack.apiUrl}/functions/v1/share/${tokens.get(slug)}`);
        expect(response?.status()).toBe(200);
        expect(await page.locator('h1').textContent()).toBe('Zoë Łukasiewicz-Παπαδοπούλου');
        expect(await overflow(page), `${slug} at ${width}px`).toEqual({ scroll: 0, sticking: [] });
        // Links read as their platform on screen; the URL is for paper only.
        expect(await page.getByRole('link', { name: 'LinkedIn', exact: true }).isVisible()).toBe(true);
        expect(await page.getByRole('link', { name: 'GitHub', exact: true }).isVisible()).toBe(true);
        expect(await page.locator('.print-url').first().isVisible()).toBe(false);
        writeFileSync(join(outputDir, `${slug}-${width}.png`), await page.screenshot({ fullPage: true }));
        await page.close();
      }
    }, 60_000);
  }

  it('the templates differ in layout, not only in colour', async () => {
    const shapes: Record<string, unknown> = {};
    for (const slug of slugs) {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      await page.goto(`${stack.apiUrl}/functions/v1/share/${tokens.get(slug)}`);
      shapes[slug] = await page.evaluate(() => {
        const box = (selector: string) => document.querySelector(selector)?.getBoundingClientRect();
        const work = box('section.experience')!;
        const skills = box('section.skills')!;
        return {
          skillsBesideWork: skills.left > work.right,
          headerCentred: getComputedStyle(document.querySelector('header')!).textAlign === 'center',
          // The first family of the stack: Georgia (serif) or system-ui (sans).
          serif: getComputedStyle(document.body).fontFamily.split(',')[0].trim() === 'Georgia',
        };
      });
      await page.close();
    }
    expect(shapes).toEqual({
      'clean-impact': { skillsBesideWork: true, headerCentred: false, serif: false },
      'executive-classic': { skillsBesideWork: true, headerCentred: true, serif: true },
      'modern-professional': { skillsBesideWork: false, headerCentred: false, serif: false },
    });
  }, 60_000);

  it('in print it fits the paper and prints as whole pages with every section and the URLs', async () => {
    for (const slug of slugs) {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      await page.goto(`${stack.apiUrl}/functions/v1/share/${tokens.get(slug)}`);
      await page.emulateMedia({ media: 'print' });
      // A4 less the page's 16 mm margins, in CSS pixels (96 per inch).
      await page.setViewportSize({ width: Math.floor(((210 - 32) / 25.4) * 96), height: 1000 });
      expect(await overflow(page), `${slug} in print`).toEqual({ scroll: 0, sticking: [] });
      expect(await page.locator('.print-url').first().isVisible()).toBe(true);
      const file = join(outputDir, `${slug}-print.pdf`);
      writeFileSync(file, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      const [, width, height] = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)!;
      expect(Math.abs(Number(width) - 595.28)).toBeLessThan(1);
      expect(Math.abs(Number(height) - 841.89)).toBeLessThan(1);
      const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
      expect(pages).toBeGreaterThanOrEqual(1);
      expect(pages).toBeLessThanOrEqual(4);
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      // The name may wrap at its hyphen, which pdftotext then joins.
      expect(text).toMatch(/Zoë Łukasiewicz-?\s?Παπαδοπούλου/);
      expect(text).toContain('https://github.com/zoe-l');
      for (let i = 1; i <= 6; i++) expect(text).toContain(`Engineer ${i}`);
      expect(text).toContain('Aristotle University of Thessaloniki');
      await page.close();
    }
  }, 90_000);
});
