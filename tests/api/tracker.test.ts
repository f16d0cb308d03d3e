// The tracker through PostgREST, as a supabase-js app calls it: interviews, follow-ups,
// contacts, what was sent, outcomes, source and salary, tags, insights and the export
// with stage history (JSON and CSV). The rules themselves are proven in pgTAP
// (supabase/tests/database/50-58); here each feature is driven end to end once, with
// the HTTP statuses and error codes a client sees.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, type Client, userClient } from '../support/clients';
import { newUser, stack } from '../support/stack';

type User = Awaited<ReturnType<typeof newUser>>;
type Row = Record<string, any>;

const sql = postgres(stack.dbUrl, { max: 1, onnotice: () => {} });
let owner: User;
let stranger: User;
let db: Client;

const from = (client: Client, table: string) => client.from(table as never) as any;
const rpc = (client: Client, name: string, args?: Row) => client.rpc(name as never, args as never) as any;

async function newJob(fields: Row): Promise<string> {
  const { data, error } = await from(db, 'jobs').insert({ job_title: 'Engineer', company: 'Acme', ...fields }).select('id').single();
  expect(error).toBeNull();
  return data.id;
}

// RFC 4180: fields in double quotes may hold commas, newlines and doubled quotes.
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

beforeAll(async () => {
  owner = await newUser('tracker-owner');
  stranger = await newUser('tracker-stranger');
  db = userClient(owner.token);
});

afterAll(async () => {
  await sql.end();
});

describe('the tracker through PostgREST', () => {
  it('reads source and salary, and refuses a source outside the list', async () => {
    const id = await newJob({ source: 'referral', salary: '€60k–70k', status: 'bookmarked' });
    const { data } = await from(db, 'jobs').select('source, salary_min, salary_max, salary_currency, salary_period').eq('id', id).single();
    expect(data).toEqual({ source: 'referral', salary_min: 60000, salary_max: 70000, salary_currency: 'EUR', salary_period: 'year' });
    const bad = await from(db, 'jobs').update({ source: 'craigslist' }).eq('id', id);
    expect(bad.status).toBe(400);
    expect(bad.error.code).toBe('23514');
  });

  it('moves a job to interviewing with its first interview, and refuses an unknown zone with 400', async () => {
    const id = await newJob({ status: 'applied' });
    const made = await from(db, 'interviews')
      .insert({ job_id: id, kind: 'phone_screen', starts_at: '2027-03-15T10:00:00-07:00', time_zone: 'America/Los_Angeles' })
      .select('id, sequence').single();
    expect(made.error).toBeNull();
    expect(made.data.sequence).toBe(0);
    const job = await from(db, 'jobs').select('status').eq('id', id).single();
    expect(job.data.status).toBe('interviewing');
    const history = await from(db, 'job_status_events').select('to_status').eq('job_id', id).order('changed_at');
    expect(history.data.map((e: Row) => e.to_status)).toContain('interviewing');
    const bad = await from(db, 'interviews').insert({ job_id: id, starts_at: '2027-03-16T10:00:00Z', time_zone: 'PST8PDT+1' });
    expect(bad.status).toBe(400);
    expect(bad.error.code).toBe('22023');
    const theirs = await from(userClient(stranger.token), 'interviews').insert({ job_id: id, starts_at: '2027-03-16T10:00:00Z', time_zone: 'UTC' });
    expect(theirs.status).toBe(403);
  });

  it('sets a follow-up on applied, lists what is due, and marks it done or snoozed', async () => {
    const id = await newJob({ status: 'applying', next_action: 'Ping the recruiter' });
    await from(db, 'jobs').update({ status: 'applied' }).eq('id', id);
    const set = await from(db, 'jobs').select('follow_up_at').eq('id', id).single();
    const days = (Date.parse(set.data.follow_up_at) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.1);
    const due = await rpc(db, 'due_follow_ups', { due_by: new Date(Date.now() + 8 * 86_400_000).toISOString() });
    expect(due.error).toBeNull();
    expect(due.data.find((row: Row) => row.job_id === id)).toMatchObject({ next_action: 'Ping the recruiter' });
    const snoozed = await rpc(db, 'snooze_follow_up', { job_id: id, until: new Date(Date.now() + 2 * 86_400_000).toISOString() });
    expect(snoozed.error).toBeNull();
    expect((await rpc(db, 'complete_follow_up', { job_id: id })).error).toBeNull();
    const again = await rpc(db, 'complete_follow_up', { job_id: id });
    expect(again.status).toBe(404);
    expect(again.error.code).toBe('PT404');
    const past = await rpc(db, 'snooze_follow_up', { job_id: id, until: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
  });

  it('links contacts to jobs with their part, and never another user\'s contact', async () => {
    const id = await newJob({ status: 'applied' });
    const contact = await from(db, 'contacts').insert({ name: 'Hank Hiring', email: 'hank@acme.test', role: 'Engineering manager' }).select('id').single();
    const link = await from(db, 'job_contacts').insert({ job_id: id, contact_id: contact.data.id, part: 'hiring_manager' });
    expect(link.error).toBeNull();
    const read = await from(db, 'jobs').select('job_title, job_contacts(part, contacts(name))').eq('id', id).single();
    expect(read.data.job_contacts).toEqual([{ part: 'hiring_manager', contacts: { name: 'Hank Hiring' } }]);
    const theirs = await from(userClient(stranger.token), 'contacts').insert({ name: 'Sly' }).select('id').single();
    const forged = await from(db, 'job_contacts').insert({ job_id: id, contact_id: theirs.data.id, part: 'referrer' });
    expect(forged.status).toBe(403);
  });

  it('freezes what was sent at applied: a new resume version leaves the record unchanged', async () => {
    const template = await sql`select id from public.templates where is_active limit 1`;
    const resume = await from(db, 'generated_resumes').insert({ template_id: template[0].id, title: 'Platform CV' }).select('id').single();
    expect(resume.error).toBeNull();
    expect((await rpc(db, 'save_generated_resume_version', { generated_resume_id: resume.data.id, content: { v: 1 } })).error).toBeNull();
    const id = await newJob({ status: 'applying' });
    expect((await from(db, 'job_materials').insert({ job_id: id, generated_resume_id: resume.data.id })).error).toBeNull();
    await from(db, 'jobs').update({ status: 'applied' }).eq('id', id);
    const frozen = await from(db, 'job_materials').select('resume_version, sent_resume_title, frozen_at').eq('job_id', id).single();
    expect(frozen.data).toMatchObject({ resume_version: 1, sent_resume_title: 'Platform CV' });
    expect(frozen.data.frozen_at).not.toBeNull();
    await rpc(db, 'save_generated_resume_version', { generated_resume_id: resume.data.id, content: { v: 2 } });
    await from(db, 'generated_resumes').update({ title: 'Renamed CV' }).eq('id', resume.data.id);
    const after = await from(db, 'job_materials').select('resume_version, sent_resume_title, frozen_at').eq('job_id', id).single();
    expect(after.data).toEqual(frozen.data);
    const edit = await from(db, 'job_materials').update({ resume_version: 2 }).eq('job_id', id);
    expect(edit.status).toBe(409);
    expect(edit.error.code).toBe('PT409');
  });

  it('closes with a reason, lists possibly ghosted jobs and closes one as "no response"', async () => {
    const rejected = await newJob({ status: 'applied' });
    const closed = await from(db, 'jobs').update({ status: 'rejected', closing_reason: 'rejected_after_screen' }).eq('id', rejected).select('first_response_at').single();
    expect(closed.error).toBeNull();
    expect(closed.data.first_response_at).not.toBeNull();
    const ghost = await newJob({ status: 'applied' });
    await sql`update public.job_status_events set changed_at = now() - interval '31 days' where job_id = ${ghost}`;
    const listed = await rpc(db, 'possibly_ghosted_jobs');
    expect(listed.data.map((row: Row) => row.job_id)).toEqual([ghost]);
    expect((await rpc(db, 'mark_job_ghosted', { job_id: ghost })).error).toBeNull();
    const job = await from(db, 'jobs').select('status, closing_reason').eq('id', ghost).single();
    expect(job.data).toEqual({ status: 'rejected', closing_reason: 'no_response' });
  });

  it('tags jobs, one name per user', async () => {
    const id = await newJob({});
    const tag = await from(db, 'tags').insert({ name: 'Remote' }).select('id').single();
    expect((await from(db, 'job_tags').insert({ job_id: id, tag_id: tag.data.id })).error).toBeNull();
    const dup = await from(db, 'tags').insert({ name: 'REMOTE' });
    expect(dup.status).toBe(409);
    const tagged = await from(db, 'jobs').select('id, job_tags!inner(tags(name))').eq('job_tags.tag_id', tag.data.id);
    expect(tagged.data.map((row: Row) => row.id)).toEqual([id]);
  });

  it('answers job_insights and exports the stage history as JSON and as CSV', async () => {
    const insights = await rpc(db, 'job_insights');
    expect(insights.error).toBeNull();
    expect(Object.keys(insights.data).sort()).toEqual(['applied', 'as_of', 'by_resume_version', 'by_source', 'median_days_in_stage', 'possibly_ghosted']);
    expect(insights.data.by_source.find((row: Row) => row.source === 'referral')).toBeUndefined(); // the referral job was never applied

    const json = await rpc(db, 'application_history').order('company');
    expect(json.error).toBeNull();
    const ghosted = json.data.find((row: Row) => row.closing_reason === 'no_response');
    expect(ghosted.stages.map((s: Row) => s.status)).toEqual(['applied', 'rejected']);
    // The whole row: PostgREST 12 labels the columns of a CSV with select= wrongly
    // (PostgREST/postgrest#3627, open), so the export is asked for as it is.
    const csv = await rpc(db, 'application_history').csv();
    expect(csv.error).toBeNull();
    const [header, ...rows] = parseCsv(csv.data as string);
    expect(header).toEqual(['job_id', 'company', 'job_title', 'source', 'applied_on', 'status', 'closing_reason',
      'first_response_at', 'stages', 'stage_history']);
    expect(rows).toHaveLength(json.data.length);
    const ghostRow = Object.fromEntries(rows.find((row) => row[6] === 'no_response')!.map((value, i) => [header[i], value]));
    expect(ghostRow).toMatchObject({ job_id: ghosted.job_id, company: 'Acme', job_title: 'Engineer', status: 'rejected' });
    expect(JSON.parse(ghostRow.stages)).toEqual(ghosted.stages);
    expect(ghostRow.stage_history).toMatch(/^applied \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z; rejected \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const theirs = await rpc(userClient(stranger.token), 'application_history');
    expect(theirs.data).toEqual([]);
    const anon = await rpc(anonClient(), 'application_history');
    expect(anon.status).toBe(401);
  });
});
