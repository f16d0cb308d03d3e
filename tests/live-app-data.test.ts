// What the live app stores beyond the v2.0 document, end to end through PostgREST and
// the functions: application_form_answers (with the special-category demographic
// answers), user_profile's subscription_tier and Stripe's subscriptions.
// Threats and failures covered:
// - a signed-in user raising their own tier through PostgREST (PATCH or upsert of
//   user_profile.subscription_tier, INSERT / PATCH / DELETE of subscriptions);
// - a stranger or anon reading a subscription or form answers;
// - a demographic answer reaching a model request of any AI action (the list of actions
//   is read from the ai function, so a new action without a case here fails), a share
//   page (HTML, JSON, JSON Resume, PDF), the owner's rendered documents, an error a
//   client sees, or a line of the stack's logs (gateway, PostgREST, Postgres).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeAi, startModelServerForGateway } from './support/ai-client';
import { asCaller, rpc } from './support/as-caller';
import { anonClient, serviceClient, userClient } from './support/clients';
import { answer, type ModelServer } from './support/model-server';
import { newUser, stack } from './support/stack';

type User = Awaited<ReturnType<typeof newUser>>;

const admin = postgres(stack.adminUrl, { max: 2, onnotice: () => {} });
const fn = (path: string) => `${stack.apiUrl}/functions/v1/${path}`;
const get = (path: string, user: User | null) =>
  fetch(fn(path), { headers: user ? { Authorization: `Bearer ${user.token}` } : {} });

// The answers, each value one no other part of the profile holds.
const marker = `Homes-Ethnicity-${crypto.randomUUID().slice(0, 8)}`;
const answers = {
  work_auth_us: true,
  work_auth_canada: false,
  work_auth_uk: false,
  requires_sponsorship: true,
  current_location: 'Toronto, ON',
  phone_country_code: '+1',
  date_of_birth: '1987-06-15',
  ethnicity: marker,
  gender: 'Non-Binary',
  has_disability: 'Decline to state',
  is_veteran: 'Decline to state',
  is_lgbtq: 'Decline to state',
};
// What must never appear where a demographic answer must not go: the values and the
// column names (a prompt that dumped the row would carry them).
const forbidden = [marker, 'Non-Binary', 'Decline to state', '1987-06-15', 'ethnicity', 'has_disability', 'is_veteran', 'is_lgbtq',
  'date_of_birth'];
function leaks(text: string): string[] {
  return forbidden.filter((value) => text.toLowerCase().includes(value.toLowerCase()));
}

// The stack's logs, from where they were when the suite started.
const logs = { gateway: stack.gatewayLog, postgrest: stack.postgrestLog, postgres: stack.logFile } as Record<string, string>;
const logStart: Record<string, number> = {};
const sizeOf = (file: string) => { try { return statSync(file).size; } catch { return 0; } };
const logSince = (file: string) => { try { return readFileSync(file).subarray(logStart[file] ?? 0).toString('utf8'); } catch { return ''; } };

let model: ModelServer;
let owner: User;
let stranger: User;
let jobId: string;
let resumeId: string;
let shareToken: string;
let sessionId: string;

beforeAll(async () => {
  for (const file of Object.values(logs)) logStart[file] = sizeOf(file);
  model = await startModelServerForGateway();
  // Any answer will do: what is asserted is what the function sent.
  model.setDefault(answer({}));
  owner = await newUser('homes-owner');
  stranger = await newUser('homes-stranger');

  await asCaller(admin, owner, async (tx) => {
    await tx`update public.user_profile
                set full_name = 'Ada Homes', job_title = 'Platform Engineer', location = 'Toronto',
                    professional_summary = 'Builds calm, observable systems.', referral_source = 'A friend'
              where user_id = ${owner.id}`;
    await tx`insert into public.user_work_experience (user_id, title, company, start_date, is_current, description)
             values (${owner.id}, 'Platform Engineer', 'Maple Cloud', '2021-03-01', true, 'Moved 40 services to Kubernetes')`;
    await tx`insert into public.user_education (user_id, school, degree, field) values (${owner.id}, 'University of Toronto', 'BSc', 'Computer Science')`;
    await tx`insert into public.user_skills (user_id, name) values (${owner.id}, 'Kubernetes'), (${owner.id}, 'PostgreSQL')`;
    await tx`insert into public.user_languages (user_id, language, proficiency) values (${owner.id}, 'French', 'native')`;
    const [job] = await tx`insert into public.jobs (user_id, job_title, company, status, description)
      values (${owner.id}, 'Senior Platform Engineer', 'Globex', 'bookmarked',
              'Globex is hiring a Senior Platform Engineer to run Kubernetes and PostgreSQL at scale across three regions.')
      returning id`;
    jobId = job.id;
  });
  // The answers go in as the app sends them: through PostgREST, as the owner.
  const { error } = await userClient(owner.token).from('application_form_answers').insert(answers);
  expect(error).toBeNull();

  const [session] = await rpc(admin, owner, 'start_wizard_session', { template: 'modern-professional', prefill: true });
  const [resume] = await rpc(admin, owner, 'complete_wizard_session', { id: session.id });
  resumeId = resume.id;
  const [{ create_share_link: token }] = await rpc(admin, owner, 'create_share_link', { generated_resume_id: resumeId });
  shareToken = token;
  const [second] = await rpc(admin, owner, 'start_wizard_session', { template: 'clean-impact', prefill: true });
  sessionId = second.id;
});

afterAll(async () => {
  await model?.stop();
  await admin`delete from auth.users where id in (${owner?.id ?? null}, ${stranger?.id ?? null})`;
  await admin.end();
});

describe('subscription tier: read-only for its user', () => {
  it('refuses every way a user could raise their own tier through PostgREST, and the tier stays free', async () => {
    const me = userClient(owner.token);
    const patch = await me.from('user_profile').update({ subscription_tier: 'pro' } as never).eq('user_id', owner.id);
    expect(patch).toMatchObject({ status: 403, error: { code: '42501' } });
    const { data: profile } = await me.from('user_profile').select('id').single();
    const upsert = await me.from('user_profile')
      .upsert({ id: profile!.id, user_id: owner.id, full_name: 'Ada Homes', subscription_tier: 'pro' } as never);
    expect(upsert.error?.code).toBe('42501');
    const insert = await me.from('subscriptions').insert({ user_id: owner.id, tier: 'pro', status: 'active' } as never);
    expect(insert).toMatchObject({ status: 403, error: { code: '42501' } });
    const update = await me.from('subscriptions').update({ tier: 'pro' } as never).eq('user_id', owner.id);
    expect(update).toMatchObject({ status: 403, error: { code: '42501' } });
    const remove = await me.from('subscriptions').delete().eq('user_id', owner.id);
    expect(remove).toMatchObject({ status: 403, error: { code: '42501' } });

    const [row] = await admin`select p.subscription_tier, (select count(*)::int from public.subscriptions s where s.user_id = p.user_id) as subscriptions
                                from public.user_profile p where p.user_id = ${owner.id}`;
    expect(row).toEqual({ subscription_tier: 'free', subscriptions: 0 });
    const { data } = await me.from('user_profile').select('subscription_tier').single();
    expect(data).toEqual({ subscription_tier: 'free' });
  });

  it('lets service_role write the subscription, its owner read it and the tier follow; a stranger and anon read nothing', async () => {
    const written = await serviceClient().from('subscriptions').insert({
      user_id: owner.id, stripe_customer_id: `cus_${owner.id.slice(0, 8)}`, stripe_subscription_id: `sub_${owner.id.slice(0, 8)}`,
      tier: 'pro', status: 'active', current_period_end: '2027-01-07T00:00:00Z',
    } as never);
    expect(written.error).toBeNull();

    const mine = await userClient(owner.token).from('subscriptions').select('tier, status, stripe_customer_id');
    expect(mine).toMatchObject({ status: 200, data: [{ tier: 'pro', status: 'active', stripe_customer_id: `cus_${owner.id.slice(0, 8)}` }] });
    const tier = await userClient(owner.token).from('user_profile').select('subscription_tier').single();
    expect(tier.data).toEqual({ subscription_tier: 'pro' });

    const theirs = await userClient(stranger.token).from('subscriptions').select('*').eq('user_id', owner.id);
    expect(theirs).toMatchObject({ status: 200, data: [] });
    const anon = await anonClient().from('subscriptions').select('*');
    expect(anon).toMatchObject({ status: 401, error: { code: '42501' } });

    // Cancelled by the webhook: back to free.
    await serviceClient().from('subscriptions').update({ tier: 'free', status: 'canceled' } as never).eq('user_id', owner.id);
    expect((await userClient(owner.token).from('user_profile').select('subscription_tier').single()).data).toEqual({ subscription_tier: 'free' });
  });
});

describe('application_form_answers: owner-only', () => {
  it('gives the owner their answers and profile fields back, a stranger and anon nothing', async () => {
    const mine = await userClient(owner.token).from('application_form_answers').select('*').single();
    expect(mine.data).toMatchObject({ ...answers, user_id: owner.id });
    const profile = await userClient(owner.token).from('user_profile').update({ profile_completed: true, email: 'ada@homes.test' } as never)
      .eq('user_id', owner.id).select('profile_completed, email, referral_source').single();
    expect(profile.data).toEqual({ profile_completed: true, email: 'ada@homes.test', referral_source: 'A friend' });

    expect(await userClient(stranger.token).from('application_form_answers').select('*').eq('user_id', owner.id))
      .toMatchObject({ status: 200, data: [] });
    expect(await userClient(stranger.token).from('application_form_answers').update({ gender: 'Male' } as never).eq('user_id', owner.id).select())
      .toMatchObject({ status: 200, data: [] });
    expect(await anonClient().from('application_form_answers').select('*')).toMatchObject({ status: 401, error: { code: '42501' } });
  });

  it('refuses a bad answer with an error that names the rule, never the stored answers', async () => {
    const refused = await userClient(owner.token).from('application_form_answers').update({ is_veteran: 'Maybe' } as never).eq('user_id', owner.id);
    expect(refused).toMatchObject({ status: 400, error: { code: '23514' } });
    expect(refused.error!.message).toContain('is_veteran');
    // Not the row a failed CHECK reports ("Failing row contains (...)"): no stored answer.
    const said = JSON.stringify(refused.error);
    for (const stored of [marker, '1987-06-15', 'Toronto, ON', 'Non-Binary']) expect(said).not.toContain(stored);
    const future = await userClient(owner.token).from('application_form_answers').update({ date_of_birth: '2999-01-01' } as never).eq('user_id', owner.id);
    expect(future).toMatchObject({ status: 400, error: { code: '23514' } });
    // service_role bypasses RLS, so a failed CHECK would show (and Postgres log) the row.
    const privileged = await serviceClient().from('application_form_answers').update({ gender: 'Robot' } as never).eq('user_id', owner.id);
    expect(privileged).toMatchObject({ status: 400, error: { code: '23514' } });
    for (const stored of [marker, '1987-06-15', 'Toronto, ON']) expect(JSON.stringify(privileged.error)).not.toContain(stored);
  });

  it('is in the owner\'s export_my_data, demographic answers included', async () => {
    const { data, error } = await userClient(owner.token).rpc('export_my_data');
    expect(error).toBeNull();
    expect((data as any).tables.application_form_answers).toEqual([expect.objectContaining(answers)]);
  });
});

describe('demographic answers reach no model, share link, document or log', () => {
  it('appear in no model request of any AI action, for a user who has them', async () => {
    const bodies: Record<string, unknown> = {
      'work-description': { job_title: 'Platform Engineer', company: 'Maple Cloud', what_did_you_do: 'Moved 40 services to Kubernetes and cut deploys to four minutes.' },
      'profile-summary': { wizardSessionId: sessionId },
      'skills': { description: 'Ran Kubernetes clusters and tuned PostgreSQL for the payments team.', context: 'resume' },
      'job-match': { jobId },
      'parse-job': { text: 'Globex is hiring a Senior Platform Engineer in Toronto. Kubernetes, PostgreSQL, on-call.', url: 'https://globex.example/jobs/1' },
      'wizard-summary': { wizardSessionId: sessionId },
      'tailor-resume': { generatedResumeId: resumeId, jobId },
      'cover-letter': { jobId, generatedResumeId: resumeId },
      'import-resume': { text: 'Ada Homes, Platform Engineer at Maple Cloud since 2021. Kubernetes, PostgreSQL. BSc Toronto.' },
      'read-email': { email: 'Hi Ada, thanks for applying to Globex. We would like to schedule a call next week.' },
    };
    // Every action the ai function has (read from its source), each with a case here.
    const source = readFileSync(join(import.meta.dirname, '..', 'supabase', 'functions', 'ai', 'handler.ts'), 'utf8');
    const block = source.split('export const actions')[1].split('};')[0];
    const actions = [...block.matchAll(/"([a-z-]+)":/g)].map((m) => m[1]);
    expect(actions.length).toBeGreaterThan(5);
    expect(Object.keys(bodies).sort()).toEqual([...actions].sort());

    const sent: Record<string, string> = {};
    for (const action of actions) {
      model.reset();
      model.setDefault(answer({}));
      const reply = await invokeAi(action, bodies[action], owner.token);
      // Whatever the function answers (the scripted model's {} may not satisfy it), the
      // request it sent is what counts.
      expect(reply.status, `${action}: ${JSON.stringify(reply.body)}`).not.toBe(401);
      expect(model.requests.length, `${action} reached the model`).toBeGreaterThan(0);
      sent[action] = model.requests.map((r) => JSON.stringify(r.body)).join('\n');
      expect(leaks(sent[action]), `${action}'s model requests`).toEqual([]);
      expect(leaks(JSON.stringify(reply.body)), `${action}'s reply`).toEqual([]);
    }
    // The prompts did carry the profile, so the check above is not vacuous.
    expect(sent['job-match']).toContain('Kubernetes');
    expect(sent['job-match']).toContain('Maple Cloud');
  });

  it('appear in no share page form: HTML, JSON, JSON Resume, PDF', async () => {
    const html = await (await get(`share/${shareToken}`, null)).text();
    expect(html).toContain('Ada Homes');
    expect(leaks(html)).toEqual([]);
    for (const format of ['json', 'jsonresume']) {
      const response = await get(`share/${shareToken}?format=${format}`, null);
      expect(response.status).toBe(200);
      expect(leaks(await response.text()), format).toEqual([]);
    }
    const pdf = await get(`share/${shareToken}?format=pdf`, null);
    expect(pdf.status).toBe(200);
    expect(leaks(pdfText(Buffer.from(await pdf.arrayBuffer())))).toEqual([]);
  });

  it('appear in none of the owner\'s rendered documents: HTML, PDF, JSON Resume', async () => {
    const html = await get(`resume-documents/${resumeId}?format=html`, owner);
    expect(html.status).toBe(200);
    const page = await html.text();
    expect(page).toContain('Maple Cloud');
    expect(leaks(page)).toEqual([]);
    const json = await get(`resume-documents/${resumeId}?format=jsonresume&version=1`, owner);
    expect(json.status).toBe(200);
    expect(leaks(await json.text())).toEqual([]);
    const pdf = await get(`resume-documents/${resumeId}?format=pdf&version=1`, owner);
    expect(pdf.status).toBe(200);
    const text = pdfText(Buffer.from(await pdf.arrayBuffer()));
    expect(text).toContain('Maple Cloud');
    expect(leaks(text)).toEqual([]);
  });

  it('appear in no line the gateway, PostgREST or Postgres logged during this suite', () => {
    // The unique answer only: the other values are common words other suites may log.
    for (const [name, file] of Object.entries(logs)) {
      const text = logSince(file);
      expect(text.includes(marker), `${name} log (${file})`).toBe(false);
      expect(text.includes('1987-06-15'), `${name} log (${file})`).toBe(false);
    }
  });
});

function pdfText(bytes: Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'homes-')), 'resume.pdf');
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}
