// The tracker under concurrency, through PostgREST. Threats covered:
// - one proposal confirmed by several requests at once: exactly one applies it (one
//   interview, one contact link, one status change), the others get 409 and change nothing;
// - feed rotations racing: exactly one token works afterwards, the last one committed;
// - a burst of interviews past the per-user cap: the cap holds exactly.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userClient } from '../support/clients';
import { newUser, stack } from '../support/stack';

type User = Awaited<ReturnType<typeof newUser>>;
const sql = postgres(stack.adminUrl, { max: 2, onnotice: () => {} });
let owner: User;

beforeAll(async () => {
  owner = await newUser('tracker-race');
});

afterAll(async () => {
  await sql.end();
});

describe('the tracker under concurrency', () => {
  it('applies a proposal confirmed twelve times at once exactly once', async () => {
    const [job] = await sql`insert into public.jobs (user_id, job_title, company, status) values (${owner.id}, 'Engineer', 'Race Co', 'applied') returning id`;
    const [proposal] = await sql`
      insert into public.email_proposals (user_id, email_kind, summary, job_id, proposed_status, interview_starts_at, interview_time_zone,
                                          interview_kind, contact_name, contact_email, contact_part)
      values (${owner.id}, 'interview_invitation', 'Race Co invites you.', ${job.id}, 'interviewing', '2027-03-29T08:00:00Z',
              'Europe/Berlin', 'hr', 'Rita Racer', 'rita@race.test', 'recruiter') returning id`;
    const db = userClient(owner.token);
    const answers = await Promise.all(Array.from({ length: 12 }, () => db.rpc('confirm_email_proposal' as never, { proposal_id: proposal.id } as never)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 409)).toBe(true);
    const [counts] = await sql`
      select (select count(*)::int from public.interviews where job_id = ${job.id}) as interviews,
             (select count(*)::int from public.contacts where user_id = ${owner.id} and email = 'rita@race.test') as contacts,
             (select count(*)::int from public.job_contacts where job_id = ${job.id}) as links,
             (select count(*)::int from public.job_status_events where job_id = ${job.id} and to_status = 'interviewing') as moves`;
    expect(counts).toEqual({ interviews: 1, contacts: 1, links: 1, moves: 1 });
  });

  it('leaves exactly one working feed token after racing rotations', async () => {
    const db = userClient(owner.token);
    const tokens = (await Promise.all(Array.from({ length: 8 }, () => db.rpc('create_calendar_feed' as never))))
      .filter((a) => a.status === 200).map((a) => a.data as unknown as string);
    expect(tokens.length).toBeGreaterThanOrEqual(1);
    const statuses = await Promise.all(tokens.map(async (t) => (await fetch(`${stack.apiUrl}/functions/v1/calendar/${t}.ics`)).status));
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 404)).toBe(true);
  });

  it('holds the interview cap exactly under a burst', async () => {
    const racer = await newUser('tracker-cap');
    const [job] = await sql`insert into public.jobs (user_id, job_title, company, status) values (${racer.id}, 'Engineer', 'Cap Co', 'interviewing') returning id`;
    const [{ max_rows: cap }] = await sql`select max_rows from private.row_quotas where table_name = 'interviews'`;
    // Fill to six below the cap with triggers on, so the counter is the real one.
    await sql`insert into public.interviews (user_id, job_id, starts_at, time_zone)
              select ${racer.id}, ${job.id}, now() + g * interval '1 hour', 'UTC' from generate_series(1, ${cap - 6}) g`;
    const db = userClient(racer.token);
    const answers = await Promise.all(Array.from({ length: 24 }, (_, i) =>
      db.from('interviews' as never).insert({ job_id: job.id, starts_at: `2027-05-01T${String(i % 24).padStart(2, '0')}:00:00Z`, time_zone: 'UTC' } as never)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(6);
    expect(answers.filter((a) => a.status !== 201).every((a) => a.status === 400 && a.error?.code === '23514')).toBe(true);
    const [{ n }] = await sql`select count(*)::int as n from public.interviews where user_id = ${racer.id}`;
    expect(n).toBe(cap);
  });
});
