// Resume documents end to end through the gateway: the owner's resume-documents
// function, the share link's PDF and JSON Resume forms, and import-resume taking a JSON
// Resume. Cases covered:
// - the wizard's prefilled draft reads through the resume model without losing anything;
// - the owner's export validates against the official JSON Resume schema;
// - round trip: export → import into a fresh user → export again gives the same content;
// - a JSON Resume with wrong types is 422 and writes nothing; no import writes ai_events;
// - PDFs read back with pdftotext; ETag/304 and the cache headers of the forms;
// - another user's resume is 404; rendering into Storage fails cleanly here, where the
//   Storage API does not run (the recording double in the Deno tests covers the call).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jsonResumeSchema from '@jsonresume/schema';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResumeDocument, storedContent } from '../../supabase/functions/_shared/resume/document.ts';
import { invokeAi } from '../support/ai-client';
import { asCaller, rpc } from '../support/as-caller';
import { newUser, stack } from '../support/stack';

type User = Awaited<ReturnType<typeof newUser>>;

const admin = postgres(stack.adminUrl, { max: 2, onnotice: () => {} });
const outputDir = join(import.meta.dirname, '..', 'test-output', 'documents');
const fn = (path: string) => `${stack.apiUrl}/functions/v1/${path}`;

function officialErrors(document: unknown): string[] {
  let errors: string[] = [];
  jsonResumeSchema.validate(document, (failures: { stack: string }[] | null) => {
    errors = (failures ?? []).map((failure) => failure.stack);
  });
  return errors;
}

const get = (path: string, user: User | null, headers: Record<string, string> = {}) =>
  fetch(fn(path), { headers: { ...(user ? { Authorization: `Bearer ${user.token}` } : {}), ...headers } });

// The profile a real user would have typed, in the tables the wizard prefills from.
async function fillProfile(user: User) {
  await asCaller(admin, user, async (tx) => {
    await tx`update public.user_profile
                set full_name = 'Zoë Łukasiewicz-Παπαδοπούλου', job_title = 'Staff Platform Engineer',
                    location = 'Thessaloniki, Greece', phone = '+30 210 555 0100',
                    professional_summary = 'Platform engineer who builds calm, observable systems.',
                    social_links = '[{"platform":"linkedin","url":"https://www.linkedin.com/in/zoe-l"},{"platform":"github","url":"https://github.com/zoe-l"}]'
              where user_id = ${user.id}`;
    await tx`insert into public.user_work_experience (user_id, title, company, location, start_date, end_date, is_current, description) values
      (${user.id}, 'Staff Platform Engineer', 'Ἀκρόπολις Cloud', 'Thessaloniki', '2021-03-01', null, true, ${'Led the move of 40 services to Kubernetes\nCut deploy time from 30 to 4 minutes'}),
      (${user.id}, 'Backend Engineer', 'Łódź Logistics', 'Łódź', '2017-06-01', '2021-02-01', false, 'Built the parcel tracking API in Go')`;
    await tx`insert into public.user_education (user_id, school, degree, field, start_date, end_date)
             values (${user.id}, 'Aristotle University of Thessaloniki', 'MSc', 'Computer Science', '2012-09-01', '2017-06-01')`;
    await tx`insert into public.user_skills (user_id, name, proficiency, category) values
      (${user.id}, 'Go', 'expert', 'Technical'), (${user.id}, 'Kubernetes', 'advanced', 'Technical')`;
    await tx`insert into public.user_languages (user_id, language, proficiency) values (${user.id}, 'Greek', 'native')`;
  });
}

// The wizard as the app drives it: a prefilled session, completed into version 1.
async function resumeFromProfile(user: User, template = 'executive-classic') {
  const [session] = await rpc(admin, user, 'start_wizard_session', { template, prefill: true });
  const [resume] = await rpc(admin, user, 'complete_wizard_session', { id: session.id });
  return { draft: session.draft_json, resumeId: resume.id as string };
}

async function exportOf(user: User, resumeId: string) {
  const response = await get(`resume-documents/${resumeId}?format=jsonresume&version=1`, user);
  expect(response.status).toBe(200);
  return await response.json();
}

const withoutMeta = ({ meta: _meta, ...rest }: Record<string, unknown>) => rest;

async function profileRowCounts(userId: string) {
  const [row] = await admin`
    select (select count(*) from public.user_skills where user_id = ${userId})::int as skills,
           (select count(*) from public.user_work_experience where user_id = ${userId})::int as experience,
           (select count(*) from public.user_education where user_id = ${userId})::int as education,
           (select count(*) from public.user_languages where user_id = ${userId})::int as languages,
           (select count(*) from public.ai_events where user_id = ${userId})::int as ai_events,
           (select professional_summary from public.user_profile where user_id = ${userId}) as summary`;
  return row;
}

let owner: User;
let resumeId: string;
let draft: Record<string, unknown>;

beforeAll(async () => {
  mkdirSync(outputDir, { recursive: true });
  owner = await newUser('documents');
  await fillProfile(owner);
  ({ draft, resumeId } = await resumeFromProfile(owner));
}, 60_000);

afterAll(async () => {
  await admin.end();
});

describe('the resume model and JSON Resume', () => {
  it('reads the wizard prefill without losing anything', () => {
    expect(JSON.parse(JSON.stringify(storedContent(readResumeDocument(draft))))).toEqual(draft);
  });

  it('exports a version as JSON Resume that the official schema accepts, with only what the resume shows', async () => {
    const document = await exportOf(owner, resumeId);
    expect(officialErrors(document)).toEqual([]);
    expect(document.basics.name).toBe('Zoë Łukasiewicz-Παπαδοπούλου');
    expect(document.basics.email).toBe(owner.email);
    expect(document.basics.profiles).toEqual([
      { network: 'LinkedIn', url: 'https://www.linkedin.com/in/zoe-l' },
      { network: 'GitHub', url: 'https://github.com/zoe-l' },
    ]);
    expect(document.work.map((w: any) => w.name)).toEqual(['Ἀκρόπολις Cloud', 'Łódź Logistics']);
    expect(JSON.stringify(document)).not.toMatch(/targetRole|provenance|"id"/);
  });

  it('round trip: export, import into a fresh user, export again: the same content apart from ids', async () => {
    const first = await exportOf(owner, resumeId);
    const fresh = await freshUser();
    const imported = await invokeAi('import-resume', { jsonResume: first, save: true }, fresh.token);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body.saved).toBe(true);
    expect(imported.body.merge.experience).toEqual({ added: 2, skipped: 0 });
    const counts = await profileRowCounts(fresh.id);
    expect(counts.ai_events).toBe(0);
    const again = await exportOf(fresh, (await resumeFromProfile(fresh)).resumeId);
    // The email is the account's own (the wizard prefills it from the sign-in, and
    // Supabase Auth keeps emails unique), so it is the one field that differs.
    expect(again.basics.email).toBe(fresh.email);
    const sameAccount = (document: Record<string, any>) => ({ ...withoutMeta(document), basics: { ...document.basics, email: 'the account' } });
    expect(sameAccount(again)).toEqual(sameAccount(first));
  }, 60_000);

  it('a JSON Resume with wrong types is 422 and writes nothing; unknown extra fields are ignored', async () => {
    const user = await newUser('import-wrong');
    const before = await profileRowCounts(user.id);
    for (const jsonResume of [{ basics: { name: 42 } }, { work: [{ name: 'Acme', startDate: 'spring' }] }, { skills: 'Go' }]) {
      const reply = await invokeAi('import-resume', { jsonResume, save: true }, user.token);
      expect(reply.status, JSON.stringify(jsonResume)).toBe(422);
      expect(reply.body.error.code).toBe('invalid_request');
    }
    expect(await profileRowCounts(user.id)).toEqual(before);

    const extra = { basics: { name: 'Ada', pronouns: 'she/her' }, awards: [{ title: 'Secret award' }], skills: [{ name: 'Go', x: 1 }] };
    const reply = await invokeAi('import-resume', { jsonResume: extra, save: true }, user.token);
    expect(reply.status).toBe(200);
    expect((await profileRowCounts(user.id)).skills).toBe(1);
    const [profile] = await admin`select to_jsonb(p)::text as row from public.user_profile p where user_id = ${user.id}`;
    expect(profile.row).not.toMatch(/she\/her|Secret award/);
  });
});

describe('the owner\'s resume-documents function', () => {
  it('serves a version as PDF that pdftotext reads back, with an ETag that answers 304', async () => {
    const response = await get(`resume-documents/${resumeId}?format=pdf&version=1`, owner);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(response.headers.get('x-missing-glyphs')).toBe('0');
    const file = join(outputDir, 'owner-v1.pdf');
    writeFileSync(file, new Uint8Array(await response.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Zoë Łukasiewicz-Παπαδοπούλου');
    expect(text).toMatch(/CAREER HISTORY[\s\S]*Ἀκρόπολις Cloud[\s\S]*EDUCATION[\s\S]*CORE[\s\S]*COMPETENCIES[\s\S]*LANGUAGES/);
    const again = await get(`resume-documents/${resumeId}?format=pdf&version=1`, owner, { 'If-None-Match': response.headers.get('etag')! });
    expect(again.status).toBe(304);
  });

  it('serves HTML and JSON Resume; the newest version is revalidated; another user gets 404', async () => {
    const html = await get(`resume-documents/${resumeId}?format=html`, owner);
    expect(html.status).toBe(200);
    expect(html.headers.get('cache-control')).toBe('private, no-cache');
    expect(html.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(await html.text()).toContain('data-template="executive-classic"');
    const stranger = await newUser('documents-stranger');
    const hidden = await get(`resume-documents/${resumeId}?format=jsonresume`, stranger);
    expect(hidden.status).toBe(404);
    expect((await get(`resume-documents/${resumeId}`, null)).status).toBe(401);
  });

  it('rendering into Storage answers 502 here, where no Storage API runs, and records nothing', async () => {
    const response = await fetch(fn(`resume-documents/${resumeId}/render?version=1`), {
      method: 'POST',
      headers: { Authorization: `Bearer ${owner.token}` },
    });
    expect(response.status).toBe(502);
    expect((await response.json()).error.code).toBe('storage_error');
    const [version] = await admin`
      select render_artifact_url from public.generated_resume_versions where generated_resume_id = ${resumeId}`;
    expect(version.render_artifact_url).toBeNull();
  });
});

describe('the share link\'s PDF and JSON Resume', () => {
  it('serves the PDF with an ETag and revalidation, 304 when unchanged, and JSON Resume the schema accepts', async () => {
    const [{ create_share_link: token }] = await rpc(admin, owner, 'create_share_link', { generated_resume_id: resumeId });
    const pdf = await get(`share/${token}?format=pdf&paper=letter`, null);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('cache-control')).toBe('private, no-cache');
    const etag = pdf.headers.get('etag')!;
    const file = join(outputDir, 'share-letter.pdf');
    writeFileSync(file, new Uint8Array(await pdf.arrayBuffer()));
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Page size:\s+612 x 792 pts \(letter\)/);
    expect(execFileSync('pdfinfo', ['-url', file], { encoding: 'utf8' })).toContain('https://github.com/zoe-l');
    expect((await get(`share/${token}?format=pdf&paper=letter`, null, { 'If-None-Match': etag })).status).toBe(304);

    const resume = await (await get(`share/${token}?format=jsonresume`, null)).json();
    expect(officialErrors(resume)).toEqual([]);
    expect(resume.basics.name).toBe('Zoë Łukasiewicz-Παπαδοπούλου');
  });
});

// A new account as a sign-up without a name from its identity provider leaves it: the
// profile holds the placeholder, which the import counts as empty.
async function freshUser(): Promise<User> {
  const user = await newUser('roundtrip');
  await admin`update public.user_profile set full_name = 'Your Name' where user_id = ${user.id}`;
  return user;
}
