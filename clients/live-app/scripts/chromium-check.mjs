// The live JobStalker2 web app, unchanged except for its src/lib/api.ts (replaced by
// clients/live-app/app/api.ts, which only builds its exports with createLiveAppApi), built
// with Vite and driven in headless Chromium against a running stack of this backend:
//
//   dashboard and kanban show the user's jobs in their columns; moving a card changes the
//   status; a new job can be added; job detail runs the AI match; the profile page adds and
//   edits experience with month dates; skills and languages keep their proficiency labels.
//
// Usage (a running dev stack whose functions reach the scripted model server this script
// starts on MODEL_SERVER_PORT, default 29399):
//   OPENAI_API_KEY=test OPENAI_BASE_URL=http://127.0.0.1:${MODEL_SERVER_PORT:-29399}/v1 npm start
//   node clients/live-app/scripts/chromium-check.mjs <live checkout> [--out <dir>] [--port <n>]
//
// <live checkout> is a clone of the public JobStalker2 repository (its frontend/ folder is
// used; `npm ci` is run there when node_modules is missing). Nothing in it is changed: the
// frontend is copied to <out>/app (node_modules linked) and built there. Screenshots and a
// summary (summary.json) go to <out> (default test-output/live-app-chromium). Exits non-zero
// when a check fails.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { chromium } from 'playwright-core';
import { anonKey, signAccessToken } from '../../../scripts/lib/keys.mjs';
import { answer, defaultModelServerPort, startModelServer } from '../../../scripts/lib/model-server.mjs';
import { repoRoot, stackProfile } from '../../../scripts/lib/profiles.mjs';
import { ensureUser } from '../../../scripts/lib/users.mjs';

// ------------------------------------------------------------------ arguments
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : fallback;
};
const out = resolve(option('--out', join(repoRoot, 'test-output', 'live-app-chromium')));
const port = Number(option('--port', process.env.SCRATCH_PORT_BASE ?? 4173));
const live = args[0] && resolve(args[0]);
if (!live || !existsSync(join(live, 'frontend', 'src', 'lib', 'api.ts'))) {
  console.error('Usage: node clients/live-app/scripts/chromium-check.mjs <checkout of the JobStalker2 repository> [--out dir] [--port n]');
  process.exit(2);
}
const stack = stackProfile(process.env.JOBSTALKER_STACK ?? 'dev');
const modelPort = Number(process.env.MODEL_SERVER_PORT ?? defaultModelServerPort);
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Any call still aimed at the old Python service is caught here (nothing listens there).
const oldApi = 'http://127.0.0.1:9';

mkdirSync(out, { recursive: true });
const log = (line) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

// ------------------------------------------------------------------ build the app
function run(command, argv, cwd) {
  const result = spawnSync(command, argv, { cwd, stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '' } });
  if (result.status !== 0) throw new Error(`${command} ${argv.join(' ')} failed in ${cwd}`);
}

const frontend = join(live, 'frontend');
if (!existsSync(join(frontend, 'node_modules', '.bin', 'vite'))) {
  log(`npm ci in ${frontend}`);
  run('npm', ['ci', '--no-audit', '--no-fund'], frontend);
}
const app = join(out, 'app');
rmSync(app, { recursive: true, force: true });
cpSync(frontend, app, { recursive: true, filter: (src) => !/[/\\](node_modules|dist)$/.test(src) });
symlinkSync(join(frontend, 'node_modules'), join(app, 'node_modules'), 'dir');

// The one change to the app: its api.ts.
cpSync(join(repoRoot, 'clients', 'live-app', 'app', 'api.ts'), join(app, 'src', 'lib', 'api.ts'));
writeFileSync(
  join(app, '.env.production.local'),
  [`VITE_SUPABASE_URL=${stack.apiUrl}`, `VITE_SUPABASE_ANON_KEY=${anonKey}`, `VITE_API_BASE_URL=${oldApi}`, ''].join('\n'),
);
// The app's own Vite setup (React, Tailwind, the "@" alias) plus where the package is.
writeFileSync(
  join(app, 'vite.live-app.config.mjs'),
  `import path from 'node:path';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
export default defineConfig({
  plugins: [react(), tailwindcss()],
  resolve: { alias: { '@jobstalker/live-app': ${JSON.stringify(join(repoRoot, 'clients', 'live-app', 'src', 'index.ts'))}, '@': path.resolve(import.meta.dirname, 'src') } },
  build: { outDir: 'dist', minify: false, sourcemap: false, chunkSizeWarningLimit: 10000 },
  logLevel: 'warn',
});
`,
);
log('vite build (the live frontend with the replaced api.ts)');
run(join(app, 'node_modules', '.bin', 'vite'), ['build', '--config', 'vite.live-app.config.mjs'], app);

// ------------------------------------------------------------------ serve it
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.ico': 'image/x-icon', '.txt': 'text/plain', '.xml': 'application/xml', '.webmanifest': 'application/manifest+json' };
const dist = join(app, 'dist');
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let file = join(dist, path);
  if (!file.startsWith(dist) || !existsSync(file) || !extname(file)) file = join(dist, 'index.html');
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((ok, fail) => server.listen(port, '127.0.0.1', ok).on('error', fail));
const appUrl = `http://127.0.0.1:${port}`;
log(`serving the built app on ${appUrl}`);

// ------------------------------------------------------------------ a user with data
const admin = postgres(stack.adminUrl, { max: 2, onnotice: () => {} });
const email = `live-app-${Date.now()}@example.test`;
const userId = ensureUser(stack, email, { full_name: 'Ada Lovelace' });
const token = await signAccessToken({ id: userId, email }, { expiresInSeconds: 3 * 3600 });
const posting =
  'We are hiring a Senior Backend Engineer to build our logistics platform. You will design APIs in TypeScript, ' +
  'model data in PostgreSQL and run services on Kubernetes. Experience with Kafka is a plus.';
const seeded = {};
for (const [title, company, status, description] of [
  ['Frontend Developer', 'Bookmark Co', 'bookmarked', null],
  ['Data Engineer', 'Applied Ltd', 'applied', null],
  ['Senior Backend Engineer', 'Acme Logistics', 'interviewing', posting],
]) {
  const [row] = await admin`insert into public.jobs (user_id, job_title, company, status, description, excitement_level)
                            values (${userId}, ${title}, ${company}, ${status}, ${description}, 3) returning id`;
  seeded[title] = row.id;
}
await admin`insert into public.user_skills (user_id, name, proficiency) values (${userId}, 'TypeScript', 'expert'), (${userId}, 'Kafka', 'beginner')`;
await admin`insert into public.user_languages (user_id, language, proficiency) values (${userId}, 'German', 'native'), (${userId}, 'English', 'advanced')`;
log(`user ${email} (${userId}) with 3 jobs, 2 skills, 2 languages`);

// ------------------------------------------------------------------ the model
const matchAnswer = {
  matchScore: 72,
  strengths: ['Five years of TypeScript'],
  improvements: ['Mention Kubernetes work'],
  missingSkills: ['Kafka'],
  matchedSkills: ['TypeScript', 'PostgreSQL'],
};
const model = await startModelServer(modelPort);
model.setDefault(answer(matchAnswer));
const probe = await fetch(`${stack.apiUrl}/functions/v1/ai/job-match`, {
  method: 'POST',
  headers: { Authorization: `Bearer ${token}`, apikey: anonKey, 'content-type': 'application/json' },
  body: JSON.stringify({ jobId: seeded['Senior Backend Engineer'] }),
});
if (probe.status !== 200) {
  log(`WARNING: the stack's AI answered ${probe.status} (${await probe.text()}); start it with ` +
    `OPENAI_API_KEY=test OPENAI_BASE_URL=http://127.0.0.1:${modelPort}/v1 npm start for the job-match check`);
}
model.reset();

// ------------------------------------------------------------------ the browser
const now = Math.floor(Date.now() / 1000);
const session = {
  access_token: token,
  refresh_token: `refresh-${userId}`,
  token_type: 'bearer',
  expires_in: 3 * 3600,
  expires_at: now + 3 * 3600,
  user: { id: userId, aud: 'authenticated', role: 'authenticated', email, app_metadata: { provider: 'google' }, user_metadata: { full_name: 'Ada Lovelace' }, created_at: new Date().toISOString() },
};
const storageKey = `sb-${new URL(stack.apiUrl).hostname.split('.')[0]}-auth-token`;

const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, timezoneId: 'Europe/Berlin', locale: 'en-US' });
await context.addInitScript(([key, value]) => localStorage.setItem(key, value), [storageKey, JSON.stringify(session)]);
const page = await context.newPage();
const oldApiCalls = [];
const failedResponses = [];
const consoleErrors = [];
page.on('request', (r) => r.url().startsWith(oldApi) && oldApiCalls.push(`${r.method()} ${r.url()}`));
page.on('response', (r) => r.status() >= 400 && r.url().startsWith(stack.apiUrl) && failedResponses.push(`${r.status()} ${r.request().method()} ${r.url()}`));
page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));

const results = [];
async function check(name, body) {
  const shot = join(out, `${String(results.length + 1).padStart(2, '0')}-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
  try {
    const detail = await body();
    await page.screenshot({ path: shot, fullPage: false });
    results.push({ name, ok: true, detail: detail ?? '', screenshot: shot });
    log(`PASS ${name}${detail ? `: ${detail}` : ''}`);
  } catch (error) {
    await page.screenshot({ path: shot, fullPage: false }).catch(() => {});
    results.push({ name, ok: false, detail: String(error?.message ?? error).split('\n')[0], screenshot: shot });
    log(`FAIL ${name}: ${String(error?.message ?? error).split('\n')[0]}`);
  }
}
const dbStatus = async (id) => (await admin`select status from public.jobs where id = ${id}`)[0]?.status;
async function until(what, probeFn, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probeFn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}
// A kanban column: the box around its <h3> title.
const column = (status) => page.locator('div.rounded-xl', { has: page.locator('h3', { hasText: new RegExp(`^${status}$`) }) }).last();

await check('dashboard shows the jobs', async () => {
  await page.goto(`${appUrl}/dashboard`);
  for (const title of Object.keys(seeded)) await page.getByText(title, { exact: true }).first().waitFor({ timeout: 15_000 });
  return 'the three seeded jobs are listed';
});

await check('kanban shows each job in its column', async () => {
  await page.getByRole('button', { name: /Kanban/ }).first().click();
  const expected = { Bookmarked: 'Frontend Developer', Applied: 'Data Engineer', Interviewing: 'Senior Backend Engineer' };
  for (const [status, title] of Object.entries(expected)) {
    await column(status).getByText(title, { exact: true }).waitFor({ timeout: 10_000 });
  }
  // The board against the database (the app adds two sample jobs for a new user).
  const stored = Object.fromEntries(
    (await admin`select status, count(*)::int as n from public.jobs where user_id = ${userId} group by status`).map((r) => [r.status, r.n]),
  );
  const counts = {};
  for (const status of ['Bookmarked', 'Applying', 'Applied', 'Interviewing', 'Accepted']) {
    counts[status] = Number(await column(status).locator('h3 + *').first().innerText());
    if (counts[status] !== (stored[status.toLowerCase()] ?? 0)) {
      throw new Error(`column ${status} shows ${counts[status]}, the database holds ${JSON.stringify(stored)}`);
    }
  }
  return `column counts ${JSON.stringify(counts)} equal the stored statuses ${JSON.stringify(stored)}`;
});

await check('moving a card changes the status', async () => {
  const card = column('Bookmarked').getByText('Frontend Developer', { exact: true });
  const from = await card.boundingBox();
  const to = await column('Applying').boundingBox();
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 20; i++) {
    await page.mouse.move(from.x + from.width / 2 + ((to.x + to.width / 2 - from.x - from.width / 2) * i) / 20, from.y + from.height / 2 + ((to.y + 120 - from.y - from.height / 2) * i) / 20);
    await sleep(30);
  }
  await page.mouse.up();
  await until('the job to be applying in the database', async () => (await dbStatus(seeded['Frontend Developer'])) === 'applying');
  await column('Applying').getByText('Frontend Developer', { exact: true }).waitFor({ timeout: 10_000 });
  return 'dragged Bookmarked → Applying; jobs.status is applying';
});

let addedId;
await check('a new job can be added', async () => {
  await page.getByRole('button', { name: /^\s*Add Job\s*$/ }).first().click();
  await page.locator('#job_title').fill('Site Reliability Engineer');
  await page.locator('#company').fill('Newco');
  await page.locator('#location').fill('Remote');
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('combobox').first().click();
  await page.getByRole('option', { name: 'Applied' }).click();
  await dialog.getByRole('button', { name: /^Add Job$/ }).click();
  const row = await until('the new job in the database', async () =>
    (await admin`select id, status from public.jobs where user_id = ${userId} and job_title = 'Site Reliability Engineer'`)[0]);
  addedId = row.id;
  if (row.status !== 'applied') throw new Error(`stored status ${row.status}`);
  await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
  await page.getByRole('button', { name: /Kanban/ }).first().click().catch(() => {});
  await column('Applied').getByText('Site Reliability Engineer', { exact: true }).waitFor({ timeout: 10_000 });
  return 'added as Applied; stored applied; shown in the Applied column';
});

await check('job detail runs the AI match', async () => {
  model.reset();
  model.setDefault(answer(matchAnswer));
  await page.goto(`${appUrl}/jobs/${seeded['Senior Backend Engineer']}`);
  await page.getByText('Senior Backend Engineer').first().waitFor({ timeout: 15_000 });
  await page.getByRole('button', { name: /Analyze Job Match/ }).first().click();
  await page.getByText('72%').first().waitFor({ timeout: 15_000 });
  await page.getByText('Kafka').first().waitFor({ timeout: 5_000 });
  if (model.requests.length < 1) throw new Error('the model was not called');
  return `match score 72% shown; ${model.requests.length} model call(s)`;
});

// Picks a month in the app's month picker (type="month" DatePicker), opened by `trigger`.
async function pickMonth(trigger, year, monthLabel) {
  await trigger.click();
  const popup = page.locator('div.absolute.z-50').filter({ has: page.getByRole('button', { name: 'This Month' }) }).last();
  await popup.waitFor();
  const yearButton = popup.locator('button', { hasText: /^\d{4}$/ }).first();
  for (let i = 0; i < 60; i++) {
    const shown = Number((await yearButton.innerText()).trim());
    if (shown === year) break;
    await popup.locator('button').nth(shown > year ? 0 : 2).click();
  }
  await popup.getByRole('button', { name: monthLabel, exact: true }).click();
}

await check('profile shows skill and language proficiency labels', async () => {
  await page.goto(`${appUrl}/profile`);
  await page.getByRole('tab', { name: 'Skills' }).click();
  await page.getByText('TypeScript', { exact: true }).first().waitFor({ timeout: 15_000 });
  // A skill's row: its name and the select showing its proficiency.
  const skillRow = (name) => page.locator('div.p-3.bg-gray-50', { has: page.locator('span', { hasText: new RegExp(`^${name}$`) }) }).first();
  const label = async (name) => (await skillRow(name).getByRole('combobox').first().innerText()).trim();
  const [typescript, kafka] = [await label('TypeScript'), await label('Kafka')];
  if (typescript !== 'Expert' || kafka !== 'Beginner') throw new Error(`skill labels TypeScript=${typescript} Kafka=${kafka}`);
  // Changing a skill's label through the page's select keeps Title Case and stores lowercase.
  await skillRow('Kafka').getByRole('combobox').first().click();
  await page.getByRole('option', { name: 'Intermediate' }).click();
  await until('the skill to be intermediate', async () =>
    (await admin`select proficiency from public.user_skills where user_id = ${userId} and name = 'Kafka'`)[0]?.proficiency === 'intermediate');
  await until('the page to show Intermediate', async () => (await label('Kafka')) === 'Intermediate');
  await page.screenshot({ path: join(out, 'profile-skills.png') });
  await page.getByRole('tab', { name: 'Account' }).click();
  await page.getByText(/German\s*-\s*Native/).first().waitFor({ timeout: 10_000 });
  await page.getByText(/English\s*-\s*Advanced/).first().waitFor({ timeout: 5_000 });
  // A language added through the page keeps the label it was given.
  await page.getByRole('button', { name: /Add Language/ }).click();
  const input = page.getByPlaceholder('e.g., English, Spanish, French');
  await input.fill('Spanish');
  await page.locator('div', { has: input }).filter({ has: page.getByRole('combobox') }).last().getByRole('combobox').click();
  await page.getByRole('option', { name: 'Intermediate' }).click();
  await page.getByRole('button', { name: /^Save$/ }).last().click();
  await until('Spanish in the database', async () =>
    (await admin`select proficiency from public.user_languages where user_id = ${userId} and language = 'Spanish'`)[0]?.proficiency === 'intermediate');
  await page.getByText(/Spanish\s*-\s*Intermediate/).first().waitFor({ timeout: 10_000 });
  await page.getByText(/Spanish\s*-\s*Intermediate/).first().scrollIntoViewIfNeeded();
  return 'Skills tab: TypeScript Expert, Kafka Beginner → Intermediate (stored intermediate); Account tab: German - Native, English - Advanced, Spanish added as Intermediate (stored intermediate)';
});

await check('profile adds experience with month dates', async () => {
  await page.getByRole('tab', { name: 'Experience' }).click();
  await page.getByRole('button', { name: /Add Experience/ }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByPlaceholder('Software Engineer').fill('Backend Engineer');
  await dialog.getByPlaceholder('Company Name').fill('Acme Logistics');
  const pickers = dialog.getByRole('button', { name: /Select month/ });
  await pickMonth(pickers.first(), 2021, 'Apr');
  await pickMonth(dialog.getByRole('button', { name: /Select month/ }).first(), 2023, 'Sep');
  await dialog.getByPlaceholder('Describe your role and achievements...').fill('Built the shipment tracking API.');
  await dialog.getByRole('button', { name: /Add Experience/ }).click();
  const row = await until('the experience row', async () =>
    (await admin`select start_date::text, end_date::text from public.user_work_experience where user_id = ${userId} and title = 'Backend Engineer'`)[0]);
  if (row.start_date !== '2021-04-01' || row.end_date !== '2023-09-01') throw new Error(`stored ${JSON.stringify(row)}`);
  await page.getByText(/Apr 2021\s*-\s*Sep 2023/).first().waitFor({ timeout: 10_000 });
  return 'picked Apr 2021 – Sep 2023; stored 2021-04-01 / 2023-09-01; shown "Apr 2021 - Sep 2023"';
});

await check('profile edits experience with month dates', async () => {
  await page.reload();
  await page.getByText(/Apr 2021\s*-\s*Sep 2023/).first().waitFor({ timeout: 15_000 });
  const entry = page.locator('div', { has: page.getByText(/Apr 2021\s*-\s*Sep 2023/) }).filter({ has: page.getByRole('button') }).last();
  await entry.getByRole('button').first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('Edit Experience').waitFor();
  // The stored months open in the pickers as they were picked.
  await dialog.getByRole('button', { name: 'Apr 2021' }).waitFor({ timeout: 5_000 });
  await pickMonth(dialog.getByRole('button', { name: 'Sep 2023' }), 2024, 'Jan');
  await dialog.getByRole('button', { name: /Update Experience/ }).click();
  await until('the new end month', async () =>
    (await admin`select end_date::text from public.user_work_experience where user_id = ${userId} and title = 'Backend Engineer'`)[0]?.end_date === '2024-01-01');
  await page.getByText(/Apr 2021\s*-\s*Jan 2024/).first().waitFor({ timeout: 10_000 });
  const [count] = await admin`select count(*)::int as n from public.user_work_experience where user_id = ${userId}`;
  if (count.n !== 1) throw new Error(`${count.n} experience rows after the edit`);
  return 'the edit dialog showed Apr 2021 / Sep 2023; changed the end to Jan 2024; stored 2024-01-01; one row';
});

await check('no call went to the old API', async () => {
  if (oldApiCalls.length) throw new Error(`${oldApiCalls.length} call(s): ${oldApiCalls.slice(0, 5).join(', ')}`);
  return 'none';
});

// ------------------------------------------------------------------ report
await browser.close();
server.close();
await model.stop();
await admin.end({ timeout: 5 });
const summary = { at: new Date().toISOString(), app: appUrl, stack: stack.apiUrl, user: { id: userId, email }, results, failedResponses, consoleErrors: consoleErrors.slice(0, 50), oldApiCalls, addedJob: addedId };
writeFileSync(join(out, 'summary.json'), JSON.stringify(summary, null, 2));
const failed = results.filter((r) => !r.ok);
log(`${results.length - failed.length} passed, ${failed.length} failed (screenshots and summary.json in ${out})`);
if (failedResponses.length) log(`HTTP errors the page saw from the stack: ${failedResponses.length} (see summary.json)`);
process.exit(failed.length ? 1 : 0);
