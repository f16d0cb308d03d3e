// The AI wizard end to end: the SQL RPCs called as the user exactly as PostgREST would
// (support/as-caller.ts), and the ai function's wizard actions through the gateway
// against the scripted OpenAI-compatible server. Threats and failures covered:
// - the full walk: start → patches → wizard-summary → complete → tailor-resume →
//   create_share_link → get_public_generated_resume as anon shows the tailored version;
// - a tailoring answer that invents an employer or a metric is rejected (502, logged,
//   no new version);
// - every action: model failure → 502 with one ai_events error row per model call and
//   no other write; another user's session, resume or job → 404 like a missing one;
//   bad input → 422 before any model call;
// - import-resume with save merges into the profile tables without duplicates.
// The gateway must run with OPENAI_BASE_URL=http://127.0.0.1:<MODEL_SERVER_PORT or 29399>/v1.
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rpc, asCaller } from '../support/as-caller';
import { answer, httpStatus, type ModelServer } from '../support/model-server';
import { invokeAi as invoke, type Reply, startModelServerForGateway } from '../support/ai-client';
import { newUser, stack } from '../support/stack';

type User = Awaited<ReturnType<typeof newUser>>;

const admin = postgres(stack.adminUrl, { max: 2, onnotice: () => {} });
let model: ModelServer;


function expectJsonError(reply: Reply, status: number, code?: string) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  expect(typeof reply.body.detail).toBe('string');
  if (code) expect(reply.body.error.code).toBe(code);
  expect(JSON.stringify(reply.body)).not.toMatch(/secret prompt text|test-key|Scripted failure|PT404|P0001/);
}

const promptOf = (index = 0) => model.requests[index].body.messages.map((m: any) => m.content).join('\n');
const eventsOf = (userId: string) => admin`select * from public.ai_events where user_id = ${userId} order by created_at, id`;

// Every row the user owns in the tables these actions read or write.
async function rowCounts(userId: string) {
  const [row] = await admin`
    select (select count(*) from public.generated_resume_versions v
              join public.generated_resumes gr on gr.id = v.generated_resume_id where gr.user_id = ${userId})::int as versions,
           (select count(*) from public.generated_resumes where user_id = ${userId})::int as resumes,
           (select count(*) from public.cover_letters where user_id = ${userId})::int as cover_letters,
           (select count(*) from public.user_skills where user_id = ${userId})::int as skills,
           (select count(*) from public.user_work_experience where user_id = ${userId})::int as experience,
           (select count(*) from public.user_education where user_id = ${userId})::int as education,
           (select count(*) from public.user_languages where user_id = ${userId})::int as languages`;
  return row;
}

const posting =
  'We are hiring a Senior Backend Engineer to build our logistics platform. You will design APIs in Go, ' +
  'model data in PostgreSQL, mentor engineers and run services on Kubernetes.';

const profile = {
  fullName: 'Ada Lovelace',
  firstName: 'Ada',
  lastName: 'Lovelace',
  headline: 'Backend engineer',
  location: 'Berlin',
};
const experience = [
  {
    id: 'exp-acme',
    title: 'Backend Engineer',
    company: 'Acme Logistics',
    location: 'Berlin',
    startDate: '2021-03',
    endDate: null,
    isCurrent: true,
    description: 'Built the shipment tracking API\nCut report time from 40 minutes to 5 minutes',
  },
  {
    id: 'exp-hooli',
    title: 'Developer',
    company: 'Hooli',
    location: 'London',
    startDate: '2018-06',
    endDate: '2021-02',
    isCurrent: false,
    description: 'Maintained the billing jobs',
  },
];
const skills = ['Mentoring', 'Go', 'PostgreSQL'];
const wizardSummaryText = 'I build backend systems in Go and PostgreSQL at Acme Logistics. I want to grow into a Platform Engineer role.';

const tailored = {
  summary: 'I build backend systems in Go and PostgreSQL at Acme Logistics. I want to bring that work to a Senior Backend Engineer role.',
  experience: [
    { ...pick(experience[0]), description: 'Cut report time from 40 minutes to 5 minutes\nBuilt the shipment tracking API in Go' },
    { ...pick(experience[1]), description: 'Maintained the billing jobs' },
  ],
  skills: ['Go', 'PostgreSQL', 'Mentoring'],
};

function pick(entry: (typeof experience)[number]) {
  const { id, title, company, startDate, endDate } = entry;
  return { id, title, company, startDate, endDate };
}

// 9 words a sentence: 331 words with greeting and sign-off by default, no numbers.
const letter = (sentences = 36) =>
  `Dear hiring team,\n\n${'I build reliable backend services in Go and PostgreSQL. '.repeat(sentences).trim()}\n\nKind regards,\nAda Lovelace`;

// A session started and filled in as the user (PostgREST-style RPCs), as the app does.
async function filledSession(user: User, draft: Record<string, unknown> = { profile, experience, skills, targetRole: 'Platform Engineer' }) {
  const [session] = await rpc(admin, user, 'start_wizard_session', { template: 'modern-professional', prefill: false });
  await rpc(admin, user, 'update_wizard_session', { id: session.id, draft_patch: draft, last_step: 7 });
  return session.id as string;
}

async function completedResume(user: User) {
  const sessionId = await filledSession(user);
  const [resume] = await rpc(admin, user, 'complete_wizard_session', { id: sessionId });
  return resume.id as string;
}

async function jobFor(user: User, description: string | null = posting) {
  const [job] = await asCaller(admin, user, (tx) => tx`
    insert into public.jobs (user_id, job_title, company, status, description)
    values (${user.id}, 'Senior Backend Engineer', 'Initech', 'bookmarked', ${description}) returning id`);
  return job.id as string;
}

beforeAll(async () => {
  model = await startModelServerForGateway();
});

beforeEach(() => model.reset());

afterAll(async () => {
  await model?.stop();
  await admin.end();
});

describe('the full walk', () => {
  it('start → patches → wizard-summary → complete → tailor-resume → share link → anon reads the tailored version', async () => {
    const user = await newUser('wiz-walk');

    const [session] = await rpc(admin, user, 'start_wizard_session', { template: 'modern-professional' });
    expect(session).toMatchObject({ user_id: user.id, status: 'active' });
    // Prefill copied the (sign-up) profile and the email from the token.
    expect(session.draft_json.profile.email).toBe(user.email);

    await rpc(admin, user, 'update_wizard_session', {
      id: session.id,
      draft_patch: { profile: { ...session.draft_json.profile, ...profile } },
      progress_patch: { step1: true, step2: true },
      last_step: 2,
    });
    await rpc(admin, user, 'update_wizard_session', { id: session.id, draft_patch: { skills }, progress_patch: { step3: true }, last_step: 3 });
    await rpc(admin, user, 'update_wizard_session', {
      id: session.id,
      draft_patch: { experience, targetRole: 'Platform Engineer' },
      progress_patch: { step5: true, step7: true },
      last_step: 7,
    });

    model.script(answer({ summary: wizardSummaryText }));
    const summary = await invoke('wizard-summary', { wizardSessionId: session.id }, user.token);
    expect(summary.status, JSON.stringify(summary.body)).toBe(200);
    expect(summary.body.summary).toBe(wizardSummaryText);
    expect(summary.body.session).toMatchObject({ id: session.id, status: 'active', last_step: 7 });
    expect(summary.body.session.draft_json.profile).toEqual({ ...session.draft_json.profile, ...profile, summary: wizardSummaryText });
    expect(promptOf()).toContain('Target role: Platform Engineer');
    expect(promptOf()).toContain('Backend Engineer at Acme Logistics');
    const [stored] = await admin`select draft_json, progress from public.wizard_sessions where id = ${session.id}`;
    expect(stored.draft_json.profile.summary).toBe(wizardSummaryText);
    expect(stored.draft_json.profile.email).toBe(user.email);
    expect(stored.draft_json.experience).toEqual(experience);
    expect(stored.progress).toMatchObject({ step1: true, step3: true, step7: true });
    const summaryEvents = await eventsOf(user.id);
    expect(summaryEvents.map((e) => [e.status, e.wizard_session_id])).toEqual([['success', session.id]]);

    const [resume] = await rpc(admin, user, 'complete_wizard_session', { id: session.id });
    expect(resume).toMatchObject({ user_id: user.id, title: 'Ada Lovelace', current_version: 1 });

    const jobId = await jobFor(user);
    model.script(answer(tailored));
    const tailoring = await invoke('tailor-resume', { generatedResumeId: resume.id, jobId }, user.token);
    expect(tailoring.status, JSON.stringify(tailoring.body)).toBe(200);
    expect(tailoring.body.version).toMatchObject({ generated_resume_id: resume.id, version_number: 2 });
    expect(tailoring.body.provenance).toEqual({
      kind: 'tailored',
      sourceVersion: 1,
      jobId,
      jobTitle: 'Senior Backend Engineer',
      company: 'Initech',
      tailoredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(tailoring.body.diff).toEqual({
      summary: { before: wizardSummaryText, after: tailored.summary },
      experience: [{ id: 'exp-acme', before: experience[0].description, after: tailored.experience[0].description }],
      skills: { before: skills, after: tailored.skills },
    });
    const tailorPrompt = promptOf(1);
    expect(tailorPrompt).toContain('Kubernetes');
    expect(tailorPrompt).toContain('"company": "Acme Logistics"');
    const [current] = await admin`select current_version from public.generated_resumes where id = ${resume.id}`;
    expect(current.current_version).toBe(2);

    const [{ create_share_link: token }] = await rpc(admin, user, 'create_share_link', { generated_resume_id: resume.id });
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const [{ get_public_generated_resume: shared }] = await rpc(admin, 'anon', 'get_public_generated_resume', { share_token: token });
    expect(shared).toMatchObject({ title: 'Ada Lovelace', template_slug: 'modern-professional' });
    // The tailored text is shown; whom it was tailored for (provenance), ids and targetRole are not.
    expect(shared.content.provenance).toBeUndefined();
    expect(shared.content.targetRole).toBeUndefined();
    expect(JSON.stringify(shared)).not.toContain(String(tailoring.body.provenance.jobId));
    expect(shared.content.profile.summary).toBe(tailored.summary);
    expect(shared.content.skills).toEqual(tailored.skills);
    const shown = ({ id: _id, ...entry }: Record<string, unknown>) => ({ ...entry, endDate: entry.endDate ?? '' });
    expect(shared.content.experience[0]).toEqual(shown({ ...experience[0], description: tailored.experience[0].description }));
    expect(shared.content.experience[1]).toEqual(shown(experience[1]));
  });
});

describe('wizard-summary', () => {
  it('a model failure → 502, one error row with the session id, the draft unchanged', async () => {
    const user = await newUser('wiz-sum-fail');
    const sessionId = await filledSession(user);
    const [before] = await admin`select draft_json, updated_at from public.wizard_sessions where id = ${sessionId}`;
    model.script(httpStatus(500));
    const reply = await invoke('wizard-summary', { wizardSessionId: sessionId }, user.token);
    expectJsonError(reply, 502, 'model_error');
    const events = await eventsOf(user.id);
    expect(events.map((e) => [e.status, e.wizard_session_id])).toEqual([['error', sessionId]]);
    const [after] = await admin`select draft_json, updated_at from public.wizard_sessions where id = ${sessionId}`;
    expect(after).toEqual(before);
  });

  it('another user’s session → 404 like a missing one, no model call, nothing written', async () => {
    const owner = await newUser('wiz-sum-owner');
    const stranger = await newUser('wiz-sum-stranger');
    const sessionId = await filledSession(owner);
    const theirs = await invoke('wizard-summary', { wizardSessionId: sessionId }, stranger.token);
    const missing = await invoke('wizard-summary', { wizardSessionId: crypto.randomUUID() }, stranger.token);
    expectJsonError(theirs, 404, 'not_found');
    expect(theirs.body).toEqual(missing.body);
    expect(model.requests).toHaveLength(0);
    expect(await eventsOf(stranger.id)).toHaveLength(0);
    const [row] = await admin`select draft_json -> 'profile' ->> 'summary' as summary from public.wizard_sessions where id = ${sessionId}`;
    expect(row.summary).toBeNull();
  });

  it('bad input → 422; a completed session → 409; both before any model call', async () => {
    const user = await newUser('wiz-sum-bad');
    expectJsonError(await invoke('wizard-summary', { wizardSessionId: 'not-a-uuid' }, user.token), 422, 'invalid_request');
    expectJsonError(await invoke('wizard-summary', {}, user.token), 422, 'invalid_request');
    const sessionId = await filledSession(user);
    await rpc(admin, user, 'complete_wizard_session', { id: sessionId });
    expectJsonError(await invoke('wizard-summary', { wizardSessionId: sessionId }, user.token), 409, 'session_not_active');
    expect(model.requests).toHaveLength(0);
    expect(await eventsOf(user.id)).toHaveLength(0);
  });
});

describe('tailor-resume', () => {
  const inventions = [
    { name: 'an employer', change: (t: typeof tailored) => (t.experience[1].company = 'Globex') },
    { name: 'a metric', change: (t: typeof tailored) => (t.experience[1].description = 'Maintained the billing jobs and increased revenue 35%') },
  ];
  for (const invention of inventions) {
    it(`A tailoring answer that invents ${invention.name} is rejected (502, logged, no new version)`, async () => {
      const user = await newUser('wiz-tailor-invent');
      const resumeId = await completedResume(user);
      const jobId = await jobFor(user);
      const unfaithful = structuredClone(tailored);
      invention.change(unfaithful);
      // The answer is repaired once, like any invalid answer; the repair invents again.
      model.script(answer(unfaithful), answer(unfaithful));
      const reply = await invoke('tailor-resume', { generatedResumeId: resumeId, jobId }, user.token);
      expectJsonError(reply, 502, 'unfaithful_tailoring');
      expect(JSON.stringify(reply.body)).not.toMatch(/Globex|35/);
      expect(model.requests).toHaveLength(2);
      expect(model.requests[1].body.messages.at(-1).content).toContain('not valid');
      const events = await eventsOf(user.id);
      expect(events.map((e) => e.status)).toEqual(['error', 'error']);
      for (const event of events) {
        expect(event.error).toMatch(/experience\.1\.(company: employer was changed|description: contains a number)/);
        expect(event.error).not.toMatch(/Globex|35%/);
      }
      expect(await rowCounts(user.id)).toMatchObject({ versions: 1, resumes: 1 });
    });
  }

  it('an invented metric repaired into a faithful answer is saved', async () => {
    const user = await newUser('wiz-tailor-repair');
    const resumeId = await completedResume(user);
    const jobId = await jobFor(user);
    const unfaithful = structuredClone(tailored);
    unfaithful.summary = 'I grew revenue 40% with Go. I want a Senior Backend Engineer role.';
    unfaithful.experience[0].description = 'Scaled the tracking API to 3 million users';
    model.script(answer(unfaithful), answer(tailored));
    const reply = await invoke('tailor-resume', { generatedResumeId: resumeId, jobId }, user.token);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect((await eventsOf(user.id)).map((e) => e.status)).toEqual(['error', 'success']);
    expect(await rowCounts(user.id)).toMatchObject({ versions: 2 });
  });

  it('a model failure → 502, one error row, no new version', async () => {
    const user = await newUser('wiz-tailor-fail');
    const resumeId = await completedResume(user);
    const jobId = await jobFor(user);
    model.script(httpStatus(500));
    const reply = await invoke('tailor-resume', { generatedResumeId: resumeId, jobId }, user.token);
    expectJsonError(reply, 502, 'model_error');
    const events = await eventsOf(user.id);
    expect(events.map((e) => [e.status, e.wizard_session_id])).toEqual([['error', null]]);
    expect(await rowCounts(user.id)).toMatchObject({ versions: 1 });
  });

  it('another user’s resume or job → 404 like a missing one; no model call', async () => {
    const owner = await newUser('wiz-tailor-owner');
    const stranger = await newUser('wiz-tailor-stranger');
    const theirResume = await completedResume(owner);
    const theirJob = await jobFor(owner);
    const myResume = await completedResume(stranger);
    const myJob = await jobFor(stranger);
    const replies = [
      await invoke('tailor-resume', { generatedResumeId: theirResume, jobId: myJob }, stranger.token),
      await invoke('tailor-resume', { generatedResumeId: crypto.randomUUID(), jobId: myJob }, stranger.token),
      await invoke('tailor-resume', { generatedResumeId: myResume, jobId: theirJob }, stranger.token),
      await invoke('tailor-resume', { generatedResumeId: myResume, jobId: crypto.randomUUID() }, stranger.token),
    ];
    for (const reply of replies) expectJsonError(reply, 404, 'not_found');
    expect(replies[0].body).toEqual(replies[1].body);
    expect(replies[2].body).toEqual(replies[3].body);
    expect(model.requests).toHaveLength(0);
    expect(await rowCounts(owner.id)).toMatchObject({ versions: 1 });
    expect(await rowCounts(stranger.id)).toMatchObject({ versions: 1 });
  });

  it('bad input → 422; a job without a 50-character description → 422; no model call', async () => {
    const user = await newUser('wiz-tailor-bad');
    const resumeId = await completedResume(user);
    expectJsonError(await invoke('tailor-resume', { generatedResumeId: resumeId }, user.token), 422, 'invalid_request');
    expectJsonError(await invoke('tailor-resume', { generatedResumeId: resumeId, jobId: 'x' }, user.token), 422, 'invalid_request');
    const bare = await jobFor(user, 'Write Go.');
    expectJsonError(await invoke('tailor-resume', { generatedResumeId: resumeId, jobId: bare }, user.token), 422, 'description_too_short');
    expect(model.requests).toHaveLength(0);
    expect(await eventsOf(user.id)).toHaveLength(0);
  });
});

describe('cover-letter', () => {
  it('from a generated resume: stored as the caller, linked to the job and the version used', async () => {
    const user = await newUser('wiz-letter');
    const resumeId = await completedResume(user);
    const jobId = await jobFor(user);
    model.script(answer({ content: letter() }));
    const reply = await invoke('cover-letter', { jobId, generatedResumeId: resumeId }, user.token);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.coverLetter).toEqual({
      id: expect.any(String),
      content: letter(),
      word_count: 331,
      job_id: jobId,
      generated_resume_id: resumeId,
      resume_version: 1,
    });
    expect(promptOf()).toContain('Backend Engineer at Acme Logistics');
    expect(promptOf()).toContain('Kubernetes');
    const [row] = await admin`select * from public.cover_letters where id = ${reply.body.coverLetter.id}`;
    expect(row).toMatchObject({ user_id: user.id, job_id: jobId, resume_version: 1, word_count: 331, model: model.requests[0].body.model });
  });

  it('without a resume, from the profile tables', async () => {
    const user = await newUser('wiz-letter-profile');
    await admin`insert into public.user_skills (user_id, name, proficiency) values (${user.id}, 'Go', 'Expert')`;
    await admin`
      insert into public.user_work_experience (user_id, title, company, start_date, is_current, description)
      values (${user.id}, 'Systems Engineer', 'Ferrous Ltd', '2020-01-01', true, 'Wrote Go services.')`;
    const jobId = await jobFor(user);
    model.script(answer({ content: letter() }));
    const reply = await invoke('cover-letter', { jobId }, user.token);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.coverLetter).toMatchObject({ job_id: jobId, generated_resume_id: null, resume_version: null });
    expect(promptOf()).toContain('Systems Engineer at Ferrous Ltd');
  });

  it('a letter outside 250–400 words is repaired once, then 502 with two error rows and no letter', async () => {
    const user = await newUser('wiz-letter-short');
    const jobId = await jobFor(user);
    const resumeId = await completedResume(user);
    model.script(answer({ content: letter(10) }), answer({ content: letter(60) }));
    const reply = await invoke('cover-letter', { jobId, generatedResumeId: resumeId }, user.token);
    expectJsonError(reply, 502, 'invalid_model_answer');
    expect((await eventsOf(user.id)).map((e) => e.status)).toEqual(['error', 'error']);
    expect((await eventsOf(user.id))[0].error).toMatch(/250 to 400 words/);
    expect(await rowCounts(user.id)).toMatchObject({ cover_letters: 0 });
  });

  it('a model failure → 502, one error row, no letter', async () => {
    const user = await newUser('wiz-letter-fail');
    const resumeId = await completedResume(user);
    const jobId = await jobFor(user);
    model.script(httpStatus(500));
    expectJsonError(await invoke('cover-letter', { jobId, generatedResumeId: resumeId }, user.token), 502, 'model_error');
    expect(await eventsOf(user.id)).toHaveLength(1);
    expect(await rowCounts(user.id)).toMatchObject({ cover_letters: 0 });
  });

  it('another user’s job or resume → 404; bad input → 422; no model call', async () => {
    const owner = await newUser('wiz-letter-owner');
    const stranger = await newUser('wiz-letter-stranger');
    const theirJob = await jobFor(owner);
    const theirResume = await completedResume(owner);
    const myJob = await jobFor(stranger);
    expectJsonError(await invoke('cover-letter', { jobId: theirJob }, stranger.token), 404, 'not_found');
    expectJsonError(await invoke('cover-letter', { jobId: myJob, generatedResumeId: theirResume }, stranger.token), 404, 'not_found');
    expectJsonError(await invoke('cover-letter', { jobId: 42 }, stranger.token), 422, 'invalid_request');
    expect(model.requests).toHaveLength(0);
    expect(await rowCounts(stranger.id)).toMatchObject({ cover_letters: 0 });
    expect(await rowCounts(owner.id)).toMatchObject({ cover_letters: 0 });
  });
});

describe('import-resume', () => {
  const pasted = `Ada Lovelace — Backend Engineer
ada@example.test · London · https://github.com/ada-lovelace
I build backend systems in Go.
Experience
Backend Engineer, Acme Logistics, Berlin (2021-03 – present)
- Built the shipment tracking API; cut report time from 40 to 5 minutes
Education
University of London, BSc Mathematics (2014-09 – 2017-06)
Skills: Go (Expert), PostgreSQL. Languages: English (Native), German`;
  const imported = {
    contact: {
      fullName: 'Ada Lovelace',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.test',
      phone: null,
      location: 'London',
      headline: 'Backend Engineer',
      socialLinks: [{ platform: 'GitHub', url: 'https://github.com/ada-lovelace' }],
    },
    summary: 'I build backend systems in Go.',
    skills: [{ name: 'Go', proficiency: 'Expert', category: 'Technical' }, { name: 'PostgreSQL', proficiency: null, category: null }],
    experience: [{
      title: 'Backend Engineer',
      company: 'Acme Logistics',
      location: 'Berlin',
      startDate: '2021-03',
      endDate: null,
      isCurrent: true,
      description: 'Built the shipment tracking API; cut report time from 40 to 5 minutes',
    }],
    education: [{ school: 'University of London', degree: 'BSc', field: 'Mathematics', startDate: '2014-09', endDate: '2017-06' }],
    languages: [{ name: 'English', proficiency: 'Native' }, { name: 'German', proficiency: null }],
  };

  it('without save: the profile comes back for review and nothing is written', async () => {
    const user = await newUser('wiz-import-review');
    const before = await rowCounts(user.id);
    model.script(answer(imported));
    const reply = await invoke('import-resume', { text: pasted }, user.token);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body).toEqual({ profile: imported, saved: false });
    expect(model.requests[0].body.messages[1].content).toMatch(/<<<(DATA-[0-9a-f]+) resume>>>[\s\S]*Acme Logistics[\s\S]*<<<END \1>>>/);
    expect(await rowCounts(user.id)).toEqual(before);
  });

  it('with save: merged into the profile tables, and a second import adds no duplicates', async () => {
    const user = await newUser('wiz-import-save');
    model.script(answer(imported), answer(imported));
    const first = await invoke('import-resume', { text: pasted, save: true }, user.token);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ profile: imported, saved: true });
    expect(first.body.merge).toMatchObject({
      skills: { added: 2, skipped: 0 },
      experience: { added: 1, skipped: 0 },
      education: { added: 1, skipped: 0 },
      languages: { added: 2, skipped: 0 },
    });
    const second = await invoke('import-resume', { text: pasted, save: true }, user.token);
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body.merge).toMatchObject({
      skills: { added: 0, skipped: 2 },
      experience: { added: 0, skipped: 1 },
      education: { added: 0, skipped: 1 },
      languages: { added: 0, skipped: 2 },
    });
    expect(await rowCounts(user.id)).toMatchObject({ skills: 2, experience: 1, education: 1, languages: 2 });
    const [job] = await admin`select title, company, start_date::text, is_current from public.user_work_experience where user_id = ${user.id}`;
    expect(job).toEqual({ title: 'Backend Engineer', company: 'Acme Logistics', start_date: '2021-03-01', is_current: true });
  });

  it('a model failure → 502, one error row, nothing merged', async () => {
    const user = await newUser('wiz-import-fail');
    const before = await rowCounts(user.id);
    model.script(httpStatus(500));
    expectJsonError(await invoke('import-resume', { text: pasted, save: true }, user.token), 502, 'model_error');
    expect(await eventsOf(user.id)).toHaveLength(1);
    expect(await rowCounts(user.id)).toEqual(before);
  });

  it('an extraction that invents an employer is repaired once, then 502 and nothing merged', async () => {
    const user = await newUser('wiz-import-invent');
    const before = await rowCounts(user.id);
    const invented = structuredClone(imported);
    invented.experience[0].company = 'Globex';
    model.script(answer(invented), answer(invented));
    expectJsonError(await invoke('import-resume', { text: pasted, save: true }, user.token), 502, 'invalid_model_answer');
    expect((await eventsOf(user.id)).map((e) => e.status)).toEqual(['error', 'error']);
    expect(await rowCounts(user.id)).toEqual(before);
  });

  it('text under 50 or over 50,000 characters, or a non-boolean save → 422 before any model call', async () => {
    const user = await newUser('wiz-import-bad');
    expectJsonError(await invoke('import-resume', { text: 'Ada, engineer.' }, user.token), 422, 'invalid_request');
    expectJsonError(await invoke('import-resume', { text: 'x'.repeat(50_001) }, user.token), 422, 'invalid_request');
    expectJsonError(await invoke('import-resume', { text: pasted, save: 'yes' }, user.token), 422, 'invalid_request');
    expect(model.requests).toHaveLength(0);
    expect(await eventsOf(user.id)).toHaveLength(0);
  });
});
