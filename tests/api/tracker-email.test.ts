// An email becomes a proposed change, end to end: the ai function's read-email action
// through the gateway with the scripted model, then the proposal confirmed or dismissed
// through PostgREST as the app would. Threats and cases covered:
// - nothing changes before the user confirms; confirming applies status, interview
//   (its instant from the email's wall-clock time and zone) and contact as the caller;
// - a proposal about another user's job: the model never sees it, and writing one
//   directly is refused by RLS;
// - deciding twice (409), deciding another user's proposal (404);
// - every model call is logged to ai_events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeAi, startModelServerForGateway } from '../support/ai-client';
import { userClient } from '../support/clients';
import { answer, type ModelServer } from '../support/model-server';
import { newUser } from '../support/stack';

type User = Awaited<ReturnType<typeof newUser>>;

const email = 'Dear Ada, we would like to invite you to a technical interview for the Platform Engineer role ' +
  'at Acme on Monday 15 March 2027 at 10:00 Pacific time (video call: https://meet.example/acme). Best regards, ' +
  'Rita Recruiter, rita@acme.test';

const proposal = (jobRef: string | null) => ({
  emailKind: 'interview_invitation',
  summary: 'Acme invites you to a technical interview on 15 March; move the job to interviewing.',
  jobRef,
  newJob: null,
  status: 'interviewing',
  closingReason: null,
  interview: {
    localStart: '2027-03-15T10:00',
    timeZone: 'America/Los_Angeles',
    kind: 'technical',
    durationMinutes: 45,
    location: null,
    meetingUrl: 'https://meet.example/acme',
  },
  contact: { name: 'Rita Recruiter', email: 'rita@acme.test', part: 'recruiter' },
});

let model: ModelServer;
let owner: User;
let stranger: User;
let jobId: string;
let strangerJobId: string;

beforeAll(async () => {
  model = await startModelServerForGateway();
  owner = await newUser('email-owner');
  stranger = await newUser('email-stranger');
  const job = await userClient(owner.token).from('jobs')
    .insert({ job_title: 'Platform Engineer', company: 'Acme', status: 'applied' } as never).select('id').single();
  jobId = (job.data as { id: string }).id;
  const theirs = await userClient(stranger.token).from('jobs')
    .insert({ job_title: 'Stranger Secret Role', company: 'Acme', status: 'applied' } as never).select('id').single();
  strangerJobId = (theirs.data as { id: string }).id;
});

afterAll(async () => {
  await model?.stop();
});

describe('read-email and confirm_email_proposal', () => {
  it('proposes, changes nothing until confirmed, then applies the change as the user', async () => {
    const db = userClient(owner.token);
    model.script(answer(proposal('J1')));
    const reply = await invokeAi('read-email', { email }, owner.token);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const made = reply.body.proposal;
    expect(made.job_id).toBe(jobId);
    expect(made.state).toBe('pending');
    expect(new Date(made.interview_starts_at).toISOString()).toBe('2027-03-15T17:00:00.000Z');
    const prompt = JSON.stringify(model.requests[0].body.messages);
    expect(prompt).toContain('J1: Platform Engineer at Acme (applied)');
    expect(prompt).not.toContain('Stranger Secret Role');

    const before = await db.from('jobs').select('status').eq('id', jobId).single();
    expect(before.data!.status).toBe('applied');
    expect((await db.from('interviews' as never).select('id')).data).toEqual([]);

    const confirmed = await db.rpc('confirm_email_proposal' as never, { proposal_id: made.id } as never);
    expect(confirmed.error).toBeNull();
    const outcome = confirmed.data as unknown as { job_id: string; interview_id: string; contact_id: string; status: string };
    expect(outcome).toMatchObject({ job_id: jobId, status: 'interviewing' });
    const interview = await db.from('interviews' as never).select('starts_at, time_zone, kind, duration_minutes, meeting_url')
      .eq('id', outcome.interview_id).single();
    expect(interview.data).toMatchObject({ time_zone: 'America/Los_Angeles', kind: 'technical', duration_minutes: 45 });
    expect(new Date((interview.data as { starts_at: string }).starts_at).toISOString()).toBe('2027-03-15T17:00:00.000Z');
    const link = await db.from('job_contacts' as never).select('part, contacts(name, email)').eq('job_id', jobId).single();
    expect(link.data).toEqual({ part: 'recruiter', contacts: { name: 'Rita Recruiter', email: 'rita@acme.test' } });
    const events = await db.from('ai_events').select('id');
    expect(events.data!.length).toBeGreaterThanOrEqual(1);

    const again = await db.rpc('confirm_email_proposal' as never, { proposal_id: made.id } as never);
    expect(again.status).toBe(409);
    expect(again.error!.code).toBe('PT409');
    const theirs = await userClient(stranger.token).rpc('confirm_email_proposal' as never, { proposal_id: made.id } as never);
    expect(theirs.status).toBe(404);
  });

  it('can be dismissed without changing anything', async () => {
    const db = userClient(owner.token);
    model.script(answer({ ...proposal('J1'), status: 'rejected', closingReason: 'rejected_after_interview', interview: null }));
    const reply = await invokeAi('read-email', { email: 'We are sorry to tell you that Acme will not move forward with your application.' }, owner.token);
    expect(reply.status).toBe(200);
    const dismissed = await db.rpc('dismiss_email_proposal' as never, { proposal_id: reply.body.proposal.id } as never);
    expect(dismissed.error).toBeNull();
    const state = await db.from('email_proposals' as never).select('state').eq('id', reply.body.proposal.id).single();
    expect(state.data).toEqual({ state: 'dismissed' });
    expect((await db.from('jobs').select('status').eq('id', jobId).single()).data!.status).toBe('interviewing');
  });

  it('cannot hold another user\'s job: the model is refused, and so is a direct insert', async () => {
    model.script(answer(proposal('J2')), answer(proposal('J3')));
    const reply = await invokeAi('read-email', { email }, owner.token);
    expect(reply.status).toBe(502);
    const direct = await userClient(owner.token).from('email_proposals' as never)
      .insert({ email_kind: 'offer', summary: 'Planted.', job_id: strangerJobId } as never);
    expect(direct.status).toBe(403);
    expect(direct.error!.code).toBe('42501');
  });
});
