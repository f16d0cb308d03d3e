// createLiveAppApi against the running stack: every object and function of the live
// app's api.ts (plus resumeBuilderApi), called as the app calls them, through a
// supabase-js client signed in the way the app's is (a stored session, the anon key, no
// service key). Each test checks the answer the app reads and, where it matters, the
// row the database holds, so the translation is proven in both directions.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, httpStatus, type ModelServer } from '../../../tests/support/model-server';
import { startModelServerForGateway } from '../../../tests/support/ai-client';
import { startPlatformDouble } from '../../../tests/support/platform-double-server';
import { anonKey, newUser, stack } from '../../../tests/support/stack';
import type { PlatformDouble } from '../../../supabase/functions/account/platform-double.ts';
import { appStatuses, createLiveAppApi, type LiveAppApi, messages } from '../src/index.ts';
import { sessionClient, signedOutClient } from './session';

type User = Awaited<ReturnType<typeof newUser>>;

const admin = postgres(stack.adminUrl, { max: 2, onnotice: () => {} });
let model: ModelServer;
let owner: User;
let stranger: User;
let api: LiveAppApi;
let strangerApi: LiveAppApi;

const dbJob = async (id: string) => (await admin`select * from public.jobs where id = ${id}`)[0];
const matchAnswer = {
  matchScore: 72,
  strengths: ['Five years of TypeScript'],
  improvements: ['Mention Kubernetes work'],
  missingSkills: ['Kafka'],
  matchedSkills: ['TypeScript', 'PostgreSQL'],
};
const posting =
  'We are hiring a Senior Backend Engineer to build our logistics platform. You will design APIs in TypeScript, ' +
  'model data in PostgreSQL and run services on Kubernetes. Experience with Kafka is a plus.';

beforeAll(async () => {
  model = await startModelServerForGateway();
  owner = await newUser('live-app-owner');
  stranger = await newUser('live-app-stranger');
  api = createLiveAppApi(sessionClient(stack.apiUrl, anonKey, owner));
  strangerApi = createLiveAppApi(sessionClient(stack.apiUrl, anonKey, stranger));
});

afterAll(async () => {
  await model?.stop();
  await admin.end({ timeout: 5 });
});

describe('jobApi', () => {
  it('creates a job with a Title Case status, stores it lowercase, and reads it back in Title Case', async () => {
    const job = await api.jobApi.createJob({
      job_title: 'Platform Engineer',
      company: 'Acme',
      location: 'Berlin',
      salary: '$120,000 - $150,000',
      job_url: 'https://acme.example/jobs/1',
      status: 'Applied',
      excitement_level: 4,
      date_applied: '2026-11-02',
      deadline: null,
      description: posting,
    });
    expect(job).toMatchObject({ job_title: 'Platform Engineer', company: 'Acme', status: 'Applied', excitement_level: 4, user_id: owner.id });
    expect(Object.keys(job).sort()).toEqual(
      ['company', 'created_at', 'date_applied', 'deadline', 'description', 'excitement_level', 'id', 'job_title', 'job_url', 'location', 'salary', 'status', 'updated_at', 'user_id'],
    );
    expect((await dbJob(job.id)).status).toBe('applied');
    expect((await api.jobApi.getJob(job.id)).status).toBe('Applied');
  });

  it('round-trips all eight statuses in both directions', async () => {
    for (const status of appStatuses) {
      const job = await api.jobApi.createJob({ job_title: `Job ${status}`, company: 'Eight Co', status });
      expect(job.status).toBe(status);
      expect((await dbJob(job.id)).status).toBe(status.toLowerCase());
      const listed = (await api.jobApi.getJobs()).find((j) => j.id === job.id);
      expect(listed?.status).toBe(status);
    }
    // A row the database holds lowercase (written by another client) reads Title Case too.
    await admin`insert into public.jobs (user_id, job_title, company, status) values (${owner.id}, 'Direct', 'SQL Co', 'interviewing')`;
    const direct = (await api.jobApi.getJobs()).find((j) => j.job_title === 'Direct');
    expect(direct?.status).toBe('Interviewing');
  });

  it('lists only the signed-in user’s jobs, oldest first', async () => {
    const mine = await api.jobApi.getJobs();
    expect(mine.length).toBeGreaterThan(8);
    expect(mine.every((j) => j.user_id === owner.id)).toBe(true);
    const created = mine.map((j) => j.created_at!);
    expect([...created].sort()).toEqual(created);
    expect(await strangerApi.jobApi.getJobs()).toEqual([]);
  });

  it('moves a job (a kanban drop) and records the status change', async () => {
    const job = await api.jobApi.createJob({ job_title: 'Mover', company: 'Kanban', status: 'Bookmarked' });
    const moved = await api.jobApi.updateJob(job.id, { status: 'Interviewing' });
    expect(moved.status).toBe('Interviewing');
    expect((await dbJob(job.id)).status).toBe('interviewing');
    const events = await admin`select to_status from public.job_status_events where job_id = ${job.id} order by changed_at, id`;
    expect(events.map((e) => e.to_status)).toEqual(['bookmarked', 'interviewing']);
    const rated = await api.jobApi.updateJob(job.id, { excitement_level: 0 });
    expect(rated.excitement_level).toBeNull();
  });

  it('answers "Job not found" for a missing job, another user’s job, or a malformed id', async () => {
    const job = await api.jobApi.createJob({ job_title: 'Private', company: 'Mine', status: 'Applying' });
    for (const call of [
      () => strangerApi.jobApi.getJob(job.id),
      () => strangerApi.jobApi.updateJob(job.id, { status: 'Rejected' }),
      () => strangerApi.jobApi.deleteJob(job.id),
      () => api.jobApi.getJob(crypto.randomUUID()),
      () => api.jobApi.getJob('not-a-uuid'),
    ]) {
      await expect(call()).rejects.toThrow(/^Job not found$/);
    }
    expect((await dbJob(job.id)).status).toBe('applying');
  });

  it('deletes with {success, message}, then the job is not found', async () => {
    const job = await api.jobApi.createJob({ job_title: 'Gone', company: 'Soon', status: 'Bookmarked' });
    await expect(api.jobApi.deleteJob(job.id)).resolves.toEqual({ success: true, message: 'Job deleted successfully' });
    expect(await dbJob(job.id)).toBeUndefined();
    await expect(api.jobApi.deleteJob(job.id)).rejects.toThrow('Job not found');
  });

  it('refuses a status outside the eight, and a second job with the same URL, with the live prefixes', async () => {
    await expect(api.jobApi.createJob({ job_title: 'Odd', company: 'X', status: 'Daydreaming' })).rejects.toThrow(/^Job creation failed: /);
    const url = `https://acme.example/jobs/${crypto.randomUUID()}`;
    await api.jobApi.createJob({ job_title: 'Once', company: 'X', status: 'Bookmarked', job_url: url });
    await expect(api.jobApi.createJob({ job_title: 'Twice', company: 'X', status: 'Bookmarked', job_url: url })).rejects.toMatchObject({
      message: expect.stringMatching(/^Job creation failed: /),
      status: 409,
      code: '23505',
    });
  });

  it('signed out: the jobs calls refuse before sending, as the live helper did', async () => {
    const signedOut = createLiveAppApi(signedOutClient(stack.apiUrl, anonKey));
    await expect(signedOut.jobApi.getJobs()).rejects.toThrow(messages.authRequired);
    await expect(signedOut.jobApi.createJob({ job_title: 'x', company: 'y', status: 'Applied' })).rejects.toThrow(messages.authRequired);
    // Other calls reach the stack without a token and get its 401: the helper's 401 message.
    await expect(signedOut.skillsApi.getSkills()).rejects.toThrow(messages.authFailed);
  });

  it('a client made with the accessToken option (no auth namespace) is signed in by its token', async () => {
    const { createClient } = await import('@supabase/supabase-js');
    const tokenApi = createLiveAppApi(createClient(stack.apiUrl, anonKey, { accessToken: async () => owner.token }));
    expect((await tokenApi.jobApi.getJobs()).length).toBeGreaterThan(0);
    expect(await tokenApi.apiUtils.isAuthenticated()).toBe(true);
  });

  it('an expired session: 401 becomes "Authentication failed. Please log in again."', async () => {
    const expired = await newUser('live-app-expired', { expiresInSeconds: -60 });
    const stale = createLiveAppApi(sessionClient(stack.apiUrl, anonKey, expired));
    await expect(stale.skillsApi.getSkills()).rejects.toMatchObject({ message: messages.authFailed, status: 401 });
    await expect(stale.aiApi.analyzeJobMatch(crypto.randomUUID())).rejects.toMatchObject({ message: messages.authFailed, status: 401 });
  });
});

describe('aiApi and resumeAiApi', () => {
  it('analyzeJobMatch returns the five fields the job page draws', async () => {
    const job = await api.jobApi.createJob({ job_title: 'Senior Backend Engineer', company: 'Acme Logistics', status: 'Bookmarked', description: posting });
    model.reset();
    model.script(answer(matchAnswer));
    await expect(api.aiApi.analyzeJobMatch(job.id)).resolves.toEqual(matchAnswer);
    expect(model.requests).toHaveLength(1);
  });

  it('another user’s job is "Job not found", with no model call', async () => {
    const job = await api.jobApi.createJob({ job_title: 'Mine only', company: 'Acme', status: 'Bookmarked', description: posting });
    model.reset();
    await expect(strangerApi.aiApi.analyzeJobMatch(job.id)).rejects.toMatchObject({ message: 'Job not found', status: 404 });
    expect(model.requests).toHaveLength(0);
  });

  it('a description too short to score is the function’s 422 sentence', async () => {
    const job = await api.jobApi.createJob({ job_title: 'Short', company: 'Acme', status: 'Bookmarked', description: 'Too short.' });
    const failure = await api.aiApi.analyzeJobMatch(job.id).catch((e) => e);
    expect(failure.status).toBe(422);
    expect(failure.message).not.toMatch(/HTTP error/);
    expect(failure.message.length).toBeGreaterThan(10);
  });

  it('429 from the limit reads as the live service’s sentence', async () => {
    const limited = await newUser('live-app-limited');
    const limitedApi = createLiveAppApi(sessionClient(stack.apiUrl, anonKey, limited));
    // Fill the caller's minute in the admission ledger the functions count (as tests/ai-admission does).
    await admin`insert into private.ai_admissions (user_id, action, model_calls)
                select ${limited.id}, 'skills', 1 from generate_series(1, 30)`;
    model.reset();
    await expect(limitedApi.resumeAiApi.generateSkills('Wrote SQL reports every single week for the team.')).rejects.toMatchObject({
      message: messages.rateLimited('30'),
      status: 429,
    });
  });

  it('a model failure keeps the function’s sentence (not "HTTP error!")', async () => {
    model.reset();
    model.script(httpStatus(500), httpStatus(500));
    const failure = await api.resumeAiApi.generateSkills('Built dashboards in React and wrote Python ETL jobs.', 'resume').catch((e) => e);
    expect(failure.status).toBe(502);
    expect(failure.message).not.toMatch(/^HTTP error/);
  });

  it('generateSkills returns {skills, message}', async () => {
    model.reset();
    model.script(answer({ skills: ['React', 'Python'] }));
    await expect(api.resumeAiApi.generateSkills('Built dashboards in React and wrote Python ETL jobs.', 'resume')).resolves.toEqual({
      skills: ['React', 'Python'],
      message: 'Successfully generated 2 skills',
    });
    const body = model.requests[0].body;
    expect(JSON.stringify(body.messages)).toContain('Built dashboards in React');
  });

  it('a description under 20 characters is a 422 with the function’s sentence', async () => {
    model.reset();
    await expect(api.resumeAiApi.generateSkills('short')).rejects.toMatchObject({ status: 422 });
    expect(model.requests).toHaveLength(0);
  });
});

describe('healthCheck and apiUtils', () => {
  it('healthCheck answers pong signed in and signed out', async () => {
    await expect(api.healthCheck()).resolves.toMatchObject({ message: 'pong', status: 'healthy' });
    const signedOut = createLiveAppApi(signedOutClient(stack.apiUrl, anonKey));
    await expect(signedOut.healthCheck()).resolves.toMatchObject({ message: 'pong' });
  });

  it('healthCheck throws the live "Unable to connect" sentence when nothing answers', async () => {
    const nowhere = createLiveAppApi(signedOutClient('http://127.0.0.1:9', anonKey));
    await expect(nowhere.healthCheck()).rejects.toThrow(/^Unable to connect to server/);
  });

  it('apiUtils reads the session; refreshToken fails with the live message without an Auth server', async () => {
    expect(await api.apiUtils.isAuthenticated()).toBe(true);
    expect((await api.apiUtils.getSession())?.user.email).toBe(owner.email);
    const signedOut = createLiveAppApi(signedOutClient(stack.apiUrl, anonKey));
    expect(await signedOut.apiUtils.isAuthenticated()).toBe(false);
    expect(await signedOut.apiUtils.getSession()).toBeNull();
    await expect(signedOut.apiUtils.refreshToken()).rejects.toThrow('Failed to refresh authentication token');
  });
});

describe('skillsApi', () => {
  it('adds, lists oldest first, updates and deletes with Title Case proficiency labels', async () => {
    const go = await api.skillsApi.addSkill({ name: 'Go', proficiency_level: 'Expert' });
    expect(go).toMatchObject({ name: 'Go', proficiency: 'Expert', proficiency_level: 'Expert', category: 'Technical' });
    expect((await admin`select proficiency from public.user_skills where id = ${go.id}`)[0].proficiency).toBe('expert');
    const sql = await api.skillsApi.addSkill({ name: 'SQL', proficiency_level: 'Intermediate' });
    const listed = await api.skillsApi.getSkills();
    expect(listed.map((s) => [s.name, s.proficiency_level])).toEqual([
      ['Go', 'Expert'],
      ['SQL', 'Intermediate'],
    ]);
    const updated = await api.skillsApi.updateSkill(sql.id, { proficiency_level: 'Beginner' });
    expect(updated.proficiency_level).toBe('Beginner');
    expect((await admin`select proficiency from public.user_skills where id = ${sql.id}`)[0].proficiency).toBe('beginner');
    await expect(api.skillsApi.deleteSkill(sql.id)).resolves.toEqual({ success: true, message: 'Skill deleted successfully' });
    expect((await api.skillsApi.getSkills()).map((s) => s.name)).toEqual(['Go']);
  });

  it('a skill stored without a proficiency reads as Beginner, as the live mapping did', async () => {
    await admin`insert into public.user_skills (user_id, name) values (${owner.id}, 'Unrated')`;
    const unrated = (await api.skillsApi.getSkills()).find((s) => s.name === 'Unrated');
    expect(unrated).toMatchObject({ proficiency: null, proficiency_level: 'Beginner' });
  });

  it('another user’s skill is "Skill not found"; a duplicate keeps the live prefix', async () => {
    const mine = (await api.skillsApi.getSkills())[0];
    await expect(strangerApi.skillsApi.updateSkill(mine.id, { proficiency_level: 'Beginner' })).rejects.toThrow(/^Skill not found$/);
    await expect(api.skillsApi.addSkill({ name: 'go', proficiency_level: 'Beginner' })).rejects.toThrow(/^Failed to add skill: /);
  });

  it('getSkillSuggestions is a list of names', async () => {
    const suggestions = await api.skillsApi.getSkillSuggestions();
    expect(suggestions.length).toBeGreaterThan(10);
    expect(suggestions.every((s) => typeof s === 'string')).toBe(true);
  });
});

describe('experienceApi', () => {
  it('adds with YYYY-MM months, stores the first of the month, and answers YYYY-MM', async () => {
    const exp = await api.experienceApi.addExperience({
      title: 'Backend Engineer',
      company: 'Acme',
      location: 'Berlin',
      start_date: '2021-04',
      end_date: '2023-09',
      description: 'Built the billing service.',
      is_current: false,
    });
    expect(exp).toMatchObject({ title: 'Backend Engineer', start_date: '2021-04', end_date: '2023-09', is_current: false });
    const [row] = await admin`select start_date::text, end_date::text from public.user_work_experience where id = ${exp.id}`;
    expect(row).toEqual({ start_date: '2021-04-01', end_date: '2023-09-01' });
  });

  it('edits the dates, clears the end date of a current job, and lists newest first', async () => {
    const older = await api.experienceApi.addExperience({ title: 'Intern', company: 'Beta', start_date: '2019-06', end_date: '2019-09', is_current: false });
    const current = await api.experienceApi.addExperience({ title: 'Staff Engineer', company: 'Gamma', start_date: '2023-10', end_date: '2024-01', is_current: true });
    expect(current.end_date).toBeNull();
    const edited = await api.experienceApi.updateExperience(older.id, { start_date: '2019-05', end_date: '2019-08-15' });
    expect(edited).toMatchObject({ start_date: '2019-05', end_date: '2019-08' });
    const list = await api.experienceApi.getExperience();
    expect(list.map((e) => e.title)).toEqual(['Staff Engineer', 'Backend Engineer', 'Intern']);
    const ended = await api.experienceApi.updateExperience(current.id, { is_current: false, end_date: '2025-02' });
    expect(ended).toMatchObject({ is_current: false, end_date: '2025-02' });
    await expect(api.experienceApi.deleteExperience(older.id)).resolves.toEqual({ success: true, message: 'Experience deleted successfully' });
  });

  it('a month that names no day is refused, never stored as null', async () => {
    const before = await api.experienceApi.getExperience();
    await expect(api.experienceApi.addExperience({ title: 'Bad', company: 'Dates', start_date: '2024-13', is_current: false })).rejects.toMatchObject({
      message: 'Please enter a valid date',
      status: 422,
    });
    await expect(api.experienceApi.updateExperience(before[0].id, { start_date: 'spring' })).rejects.toThrow('Please enter a valid date');
    expect(await api.experienceApi.getExperience()).toEqual(before);
  });

  it('the live validation messages, and "Experience not found" for another user’s row', async () => {
    await expect(api.experienceApi.addExperience({ title: ' ', company: 'X', is_current: false })).rejects.toThrow('Please enter a job title');
    await expect(api.experienceApi.addExperience({ title: 'X', company: '', is_current: false })).rejects.toThrow('Please enter a company name');
    const mine = (await api.experienceApi.getExperience())[0];
    await expect(strangerApi.experienceApi.updateExperience(mine.id, { title: 'Stolen' })).rejects.toThrow(/^Experience not found$/);
  });
});

describe('educationApi', () => {
  it('adds with the page’s YYYY-MM-01 or a month, answers months, edits and deletes', async () => {
    const edu = await api.educationApi.addEducation({ school: 'TU Berlin', degree: 'MSc', start_date: '2015-10-01', end_date: '2017-09' });
    expect(edu).toMatchObject({ school: 'TU Berlin', degree: 'MSc', start_date: '2015-10', end_date: '2017-09' });
    const [row] = await admin`select start_date::text, end_date::text from public.user_education where id = ${edu.id}`;
    expect(row).toEqual({ start_date: '2015-10-01', end_date: '2017-09-01' });
    const edited = await api.educationApi.updateEducation(edu.id, { degree: 'MSc Computer Science', end_date: '2017-10' });
    expect(edited).toMatchObject({ degree: 'MSc Computer Science', end_date: '2017-10' });
    const bsc = await api.educationApi.addEducation({ school: 'Uni Wien', degree: 'BSc', start_date: '2011-10', end_date: '2015-07' });
    expect((await api.educationApi.getEducation()).map((e) => e.school)).toEqual(['TU Berlin', 'Uni Wien']);
    await expect(strangerApi.educationApi.updateEducation(bsc.id, { degree: 'x' })).rejects.toThrow(/^Education not found$/);
    await expect(api.educationApi.deleteEducation(bsc.id)).resolves.toEqual({ success: true, message: 'Education deleted successfully' });
    expect((await api.educationApi.getEducation()).map((e) => e.school)).toEqual(['TU Berlin']);
  });
});

describe('languagesApi', () => {
  it('creates, lists, updates and deletes with Title Case proficiency labels', async () => {
    const de = await api.languagesApi.createLanguage({ language: 'German', proficiency: 'Native' });
    expect(de).toMatchObject({ language: 'German', proficiency: 'Native' });
    expect((await admin`select proficiency from public.user_languages where id = ${de.id}`)[0].proficiency).toBe('native');
    const en = await api.languagesApi.createLanguage({ language: 'English', proficiency: 'Advanced' });
    expect((await api.languagesApi.getLanguages()).map((l) => [l.language, l.proficiency])).toEqual([
      ['German', 'Native'],
      ['English', 'Advanced'],
    ]);
    const updated = await api.languagesApi.updateLanguage(en.id, { proficiency: 'Intermediate' });
    expect(updated.proficiency).toBe('Intermediate');
    await expect(api.languagesApi.createLanguage({ language: 'german', proficiency: 'Beginner' })).rejects.toThrow(/^Language already exists$/);
    await expect(strangerApi.languagesApi.updateLanguage(en.id, { proficiency: 'Native' })).rejects.toThrow(/^Language not found$/);
    await expect(api.languagesApi.deleteLanguage(en.id)).resolves.toEqual({ success: true, message: 'Language deleted successfully' });
    expect((await api.languagesApi.getLanguages()).map((l) => l.language)).toEqual(['German']);
  });
});

describe('profileApi', () => {
  it('getProfile: the row, its four lists translated, and the email from the session', async () => {
    const profile = await api.profileApi.getProfile();
    expect(profile.user_id).toBe(owner.id);
    expect(profile.email).toBe(owner.email);
    expect(profile.social_links).toEqual([]);
    expect(profile.skills.map((s) => s.proficiency_level)).toContain('Expert');
    expect(profile.work_experience[0].start_date).toMatch(/^\d{4}-\d{2}$/);
    expect(profile.education.map((e) => e.school)).toEqual(['TU Berlin']);
    expect(profile.languages).toEqual([expect.objectContaining({ language: 'German', proficiency: 'Native' })]);
  });

  it('updateProfile writes the profile fields, ignores email, and answers the profile', async () => {
    const updated = await api.profileApi.updateProfile({
      first_name: 'Ada',
      last_name: 'Lovelace',
      phone: '+44 20 7946 0000',
      email: 'someone-else@example.test',
      social_links: [{ platform: 'LinkedIn', url: 'https://linkedin.com/in/ada' }],
    });
    expect(updated).toMatchObject({ first_name: 'Ada', last_name: 'Lovelace', email: owner.email });
    expect(updated.social_links).toEqual([{ platform: 'LinkedIn', url: 'https://linkedin.com/in/ada' }]);
    const [row] = await admin`select first_name, phone from public.user_profile where user_id = ${owner.id}`;
    expect(row).toEqual({ first_name: 'Ada', phone: '+44 20 7946 0000' });
  });


  it('getProfileStats counts Applied, Interviewing and Accepted from job_dashboard', async () => {
    const fresh = await newUser('live-app-stats');
    const statsApi = createLiveAppApi(sessionClient(stack.apiUrl, anonKey, fresh));
    await expect(statsApi.profileApi.getProfileStats()).resolves.toEqual({ jobs_applied: 0, interviews: 0, offers: 0 });
    for (const status of ['Applied', 'Applied', 'Interviewing', 'Accepted', 'Bookmarked', 'Rejected'] as const) {
      await statsApi.jobApi.createJob({ job_title: `Stats ${status}`, company: 'Count Co', status });
    }
    await expect(statsApi.profileApi.getProfileStats()).resolves.toEqual({ jobs_applied: 2, interviews: 1, offers: 1 });
  });


  it('uploadProfilePicture: an image under the user’s avatars folder, its URL on the profile', async () => {
    // Storage does not run on this stack: a stand-in for its two endpoints; the profile write is real.
    const calls: string[] = [];
    const storageFetch: typeof fetch = async (input, init) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      if (!url.pathname.startsWith('/storage/v1/')) return fetch(input, init);
      calls.push(`${init?.method ?? 'GET'} ${url.pathname}`);
      const path = url.pathname.replace(/^\/storage\/v1\/object\/(sign\/)?avatars\//, '');
      const body = url.pathname.includes('/sign/') ? { signedURL: `/object/sign/avatars/${path}?token=t` } : { Key: `avatars/${path}`, Id: crypto.randomUUID() };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const { createClient } = await import('@supabase/supabase-js');
    const { storedSession, storageKeyFor } = await import('./session');
    const store = new Map([[storageKeyFor(stack.apiUrl), JSON.stringify(storedSession(owner))]]);
    const client = createClient(stack.apiUrl, anonKey, {
      global: { fetch: storageFetch },
      auth: { persistSession: true, autoRefreshToken: false, storage: { getItem: (k) => store.get(k) ?? null, setItem: () => {}, removeItem: () => {} } },
    });
    const pictureApi = createLiveAppApi(client);
    const file = new File([new Uint8Array([137, 80, 78, 71])], 'me.PNG', { type: 'image/png' });
    const { profile_picture_url } = await pictureApi.profileApi.uploadProfilePicture(file);
    expect(calls[0]).toMatch(new RegExp(`^POST /storage/v1/object/avatars/${owner.id}/profile-pictures/[0-9a-f-]{36}\\.png$`));
    expect(calls[1]).toMatch(/^POST \/storage\/v1\/object\/sign\/avatars\//);
    expect((await admin`select profile_picture_url from public.user_profile where user_id = ${owner.id}`)[0].profile_picture_url).toBe(profile_picture_url);
    await expect(pictureApi.profileApi.uploadProfilePicture(new File(['x'], 'cv.pdf', { type: 'application/pdf' }))).rejects.toThrow('File must be an image');
  });

  it('deleteProfile deletes the account through the account function and answers {success, message}', async () => {
    const { double, stop } = await startPlatformDouble(admin);
    try {
      const leaving = await newUser('live-app-leaving');
      (double as PlatformDouble).users.add(leaving.id);
      const leavingApi = createLiveAppApi(sessionClient(stack.apiUrl, anonKey, leaving));
      await leavingApi.jobApi.createJob({ job_title: 'Last', company: 'Job', status: 'Applied' });
      await expect(leavingApi.profileApi.deleteProfile()).resolves.toEqual({ success: true, message: 'Account and all associated data deleted successfully' });
      expect(await admin`select id from auth.users where id = ${leaving.id}`).toHaveLength(0);
      expect(await admin`select id from public.jobs where user_id = ${leaving.id}`).toHaveLength(0);
    } finally {
      await stop();
    }
  });
});

describe('templatesApi and subscriptionApi', () => {
  it('lists the active templates with their metadata, and gets one by slug or id', async () => {
    const list = await api.templatesApi.list();
    const modern = list.find((t) => t.slug === 'modern-professional');
    expect(modern).toMatchObject({ slug: 'modern-professional', is_active: true });
    expect(Array.isArray(modern!.colors)).toBe(true);
    const bySlug = await api.templatesApi.get('modern-professional');
    expect(Object.keys(bySlug.schema)).toEqual(expect.arrayContaining(['metadata', 'layout', 'sections', 'theme']));
    expect((await api.templatesApi.get(modern!.id)).slug).toBe('modern-professional');
    await expect(api.templatesApi.get('no-such-template')).rejects.toThrow("Template 'no-such-template' not found");
  });

  it('getStatus: free without a subscription, unlimited, with the usage counts', async () => {
    const status = await api.subscriptionApi.getStatus();
    expect(status).toMatchObject({ tier: 'free', status: 'free', limits: { max_resumes: null, max_jobs_from_extension: null }, subscription: null });
    const [{ count }] = await admin`select count(*)::int from public.jobs where user_id = ${owner.id}`;
    expect(status.usage.jobs).toBe(count);
  });


  it('checkout and the billing portal say Stripe is not configured', async () => {
    await expect(api.subscriptionApi.createCheckoutSession()).rejects.toThrow('Stripe is not configured');
    await expect(api.subscriptionApi.createPortalSession()).rejects.toThrow('Stripe is not configured');
  });
});

describe('resumeBuilderApi (the fetch() calls of the resume builder)', () => {
  const resumeData = {
    personalInfo: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.test', phone: '', location: 'London', jobTitle: 'Engineer' },
    summary: 'Engineer.',
    workExperience: [{ id: 'w1', title: 'Engineer', company: 'Acme', startDate: '2021-04', endDate: '', isCurrent: true, description: 'Built things' }],
    education: [],
    skills: [{ id: 's1', name: 'Go', category: 'Technical' }],
    languages: [{ name: 'English', proficiency: 'Native' }],
  };

  it('save, list newest first, get, update and delete; resume_data stays a JSON object', async () => {
    const saved = await api.resumeBuilderApi.save({ template_id: 'modern-professional', title: 'First', resume_data: resumeData });
    expect(saved).toEqual({ id: expect.any(String), success: true, message: 'Resume saved successfully' });
    const [row] = await admin`select jsonb_typeof(resume_data) as kind, template_id from public.resume_builder_data where id = ${saved.id}`;
    expect(row).toEqual({ kind: 'object', template_id: 'modern-professional' });
    const second = await api.resumeBuilderApi.save({ template_id: 'clean-impact', resume_data: resumeData });
    expect((await api.resumeBuilderApi.list()).map((r) => r.id)).toEqual([second.id, saved.id]);
    const loaded = await api.resumeBuilderApi.get(saved.id);
    expect(loaded).toMatchObject({ template_id: 'modern-professional', title: 'First', resume_data: resumeData, is_current: false });
    const updated = await api.resumeBuilderApi.update(saved.id, { title: 'Renamed', resume_data: { ...resumeData, summary: 'New.' } });
    expect(updated).toMatchObject({ title: 'Renamed', resume_data: { summary: 'New.' } });
    await expect(strangerApi.resumeBuilderApi.get(saved.id)).rejects.toThrow(/^Resume not found$/);
    await expect(strangerApi.resumeBuilderApi.update(saved.id, { title: 'x' })).rejects.toThrow('Resume not found or no changes made');
    await expect(api.resumeBuilderApi.delete(saved.id)).resolves.toEqual({ success: true, message: 'Resume deleted successfully' });
    await expect(api.resumeBuilderApi.get(saved.id)).rejects.toThrow('Resume not found');
  });

  it('getGenerated reads a wizard’s resume: its current version and the template slug', async () => {
    const client = sessionClient(stack.apiUrl, anonKey, owner);
    const started = await client.rpc('start_wizard_session', { template: 'clean-impact', prefill: false });
    expect(started.error).toBeNull();
    const session = started.data as { id: string };
    const patched = await client.rpc('update_wizard_session', { id: session.id, draft_patch: { profile: { fullName: 'Ada Lovelace' }, targetRole: 'Engineer' } });
    expect(patched.error).toBeNull();
    const completed = await client.rpc('complete_wizard_session', { id: session.id });
    expect(completed.error).toBeNull();
    const generated = await api.resumeBuilderApi.getGenerated((completed.data as { id: string }).id);
    expect(generated).toMatchObject({ templateId: 'clean-impact', currentVersion: 1, title: 'Ada Lovelace' });
    expect(generated.contentJson).toMatchObject({ profile: { fullName: 'Ada Lovelace' }, targetRole: 'Engineer' });
    await expect(strangerApi.resumeBuilderApi.getGenerated(generated.id)).rejects.toThrow('Resume not found');
  });

  it('generateWorkDescription and generateProfileSummary answer as the live endpoints did', async () => {
    model.reset();
    model.script(answer({ description: 'Built the shipment tracking API for Acme in TypeScript. Moved reporting to PostgreSQL.' }));
    await expect(
      api.resumeBuilderApi.generateWorkDescription({ job_title: 'Engineer', company: 'Acme', what_did_you_do: 'Built the shipment tracking API.', technologies_used: 'TypeScript, PostgreSQL' }),
    ).resolves.toEqual({ description: 'Built the shipment tracking API for Acme in TypeScript. Moved reporting to PostgreSQL.', success: true });
    model.script(answer({ summary: 'I am an engineer who builds reliable backend systems. I enjoy clear APIs.' }));
    await expect(api.resumeBuilderApi.generateProfileSummary({ resumeData })).resolves.toEqual({
      summary: 'I am an engineer who builds reliable backend systems. I enjoy clear APIs.',
      success: true,
    });
  });
});
