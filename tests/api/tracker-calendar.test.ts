// The calendar feed end to end: supabase-js writes jobs and interviews through
// PostgREST as the owner, the feed is fetched from the calendar function as a calendar
// app would (no token, no apikey) and parsed with ical.js. Threats and cases covered:
// - daylight saving: interviews arranged at 10:00 in America/Los_Angeles and
//   Europe/Berlin on both sides of each 2027 change come out at the right instants;
// - a changed or cancelled interview: SEQUENCE and LAST-MODIFIED move, STATUS:CANCELLED;
// - a rotated, revoked or unknown feed URL → the same 404 at once;
// - another user's data and contact emails never reach a feed;
// - one interview's .ics: the owner gets it, a stranger 404, anon 401.
import ICAL from 'ical.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { userClient } from '../support/clients';
import { newUser, stack } from '../support/stack';

type User = Awaited<ReturnType<typeof newUser>>;

const feedUrl = (token: string) => `${stack.apiUrl}/functions/v1/calendar/${token}.ics`;

// 10:00 local on the day before and after each 2027 change, with the instants worked out
// by hand: Los Angeles moves from -08:00 to -07:00 on 14 March and back on 7 November;
// Berlin from +01:00 to +02:00 on 28 March and back on 31 October.
const arranged = [
  { zone: 'America/Los_Angeles', sent: '2027-03-13T10:00:00-08:00', utc: '2027-03-13T18:00:00.000Z' },
  { zone: 'America/Los_Angeles', sent: '2027-03-15T10:00:00-07:00', utc: '2027-03-15T17:00:00.000Z' },
  { zone: 'America/Los_Angeles', sent: '2027-11-06T10:00:00-07:00', utc: '2027-11-06T17:00:00.000Z' },
  { zone: 'America/Los_Angeles', sent: '2027-11-08T10:00:00-08:00', utc: '2027-11-08T18:00:00.000Z' },
  { zone: 'Europe/Berlin', sent: '2027-03-27T10:00:00+01:00', utc: '2027-03-27T09:00:00.000Z' },
  { zone: 'Europe/Berlin', sent: '2027-03-29T10:00:00+02:00', utc: '2027-03-29T08:00:00.000Z' },
  { zone: 'Europe/Berlin', sent: '2027-10-30T10:00:00+02:00', utc: '2027-10-30T08:00:00.000Z' },
  { zone: 'Europe/Berlin', sent: '2027-11-01T10:00:00+01:00', utc: '2027-11-01T09:00:00.000Z' },
];

function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    return {
      uid: event.uid,
      summary: event.summary,
      start: event.startDate,
      end: event.endDate,
      sequence: event.sequence,
      status: component.getFirstPropertyValue('status'),
      lastModified: component.getFirstPropertyValue('last-modified')?.toString(),
      description: event.description,
    };
  });
}

const wallClock = (instant: Date, zone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);

let owner: User;
let stranger: User;
let jobId: string;
let interviewIds: string[];
let token: string;

beforeAll(async () => {
  owner = await newUser('calendar-owner');
  stranger = await newUser('calendar-stranger');
  const db = userClient(owner.token);
  const job = await db.from('jobs').insert({ job_title: 'Platform Engineer', company: 'Acme', status: 'applied' } as never)
    .select('id').single();
  expect(job.error).toBeNull();
  jobId = (job.data as { id: string }).id;
  const contact = await db.from('contacts' as never).insert({ name: 'Rita Recruiter', email: 'rita@acme.test', role: 'Recruiter' } as never)
    .select('id').single();
  expect(contact.error).toBeNull();
  const interviews = await db.from('interviews' as never)
    .insert(arranged.map((a, i) => ({ job_id: jobId, round: i + 1, kind: 'technical', starts_at: a.sent, time_zone: a.zone, duration_minutes: 45 })) as never)
    .select('id, round').order('round' as never);
  expect(interviews.error).toBeNull();
  interviewIds = (interviews.data as { id: string }[]).map((row) => row.id);
  const participant = await db.from('interview_participants' as never)
    .insert({ interview_id: interviewIds[0], contact_id: (contact.data as { id: string }).id } as never);
  expect(participant.error).toBeNull();

  // The stranger's own job and interview, which must never appear in the owner's feed.
  const theirs = userClient(stranger.token);
  const theirJob = await theirs.from('jobs').insert({ job_title: 'Stranger Secret Role', company: 'Stranger Corp', status: 'applied' } as never)
    .select('id').single();
  await theirs.from('interviews' as never).insert({ job_id: (theirJob.data as { id: string }).id, starts_at: arranged[0].sent, time_zone: 'UTC' } as never);
  await theirs.rpc('create_calendar_feed' as never);

  const created = await db.rpc('create_calendar_feed' as never);
  expect(created.error).toBeNull();
  token = created.data as unknown as string;
});

describe('the calendar feed', () => {
  it('parses with ical.js into the owner\'s interviews and follow-up, at the right instants across every DST change', async () => {
    const res = await fetch(feedUrl(token));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const events = parse(await res.text());
    const interviews = events.filter((e) => e.uid.startsWith('interview-'));
    expect(interviews.map((e) => e.uid).sort()).toEqual(interviewIds.map((id) => `interview-${id}@jobstalker`).sort());
    for (const [i, a] of arranged.entries()) {
      const event = interviews.find((e) => e.uid === `interview-${interviewIds[i]}@jobstalker`)!;
      const start = event.start.toJSDate();
      expect(start.toISOString(), `${a.zone} ${a.sent}`).toBe(a.utc);
      expect(wallClock(start, a.zone), `${a.zone} ${a.sent} shows 10:00 where it was arranged`).toBe('10:00');
      expect(event.end.toJSDate().getTime() - start.getTime()).toBe(45 * 60_000);
      expect(event.status).toBe('CONFIRMED');
      expect(event.sequence).toBe(0);
    }
    const followUp = events.find((e) => e.uid === `follow-up-${jobId}@jobstalker`);
    expect(followUp?.start.isDate, 'the follow-up the applied status set is an all-day event').toBe(true);
  });

  it('never shows another user\'s data or a contact\'s email', async () => {
    const text = await (await fetch(feedUrl(token))).text();
    expect(text).not.toMatch(/Stranger/);
    expect(text).not.toMatch(/rita@acme\.test/);
    expect(text).toMatch(/Rita Recruiter \(Recruiter\)/);
  });

  it('moves SEQUENCE and LAST-MODIFIED on a change and marks a cancelled interview', async () => {
    const db = userClient(owner.token);
    const before = parse(await (await fetch(feedUrl(token))).text()).find((e) => e.uid.includes(interviewIds[1]))!;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const { error } = await db.from('interviews' as never).update({ outcome: 'cancelled' } as never).eq('id', interviewIds[1]);
    expect(error).toBeNull();
    const after = parse(await (await fetch(feedUrl(token))).text()).find((e) => e.uid.includes(interviewIds[1]))!;
    expect(after.status).toBe('CANCELLED');
    expect(after.sequence).toBe(before.sequence + 1);
    expect(after.lastModified > before.lastModified).toBe(true);
    expect(after.start.toJSDate().toISOString()).toBe(arranged[1].utc);
  });

  it('gives one interview as an .ics file to its owner only', async () => {
    const url = `${stack.apiUrl}/functions/v1/calendar/interviews/${interviewIds[4]}.ics`;
    const mine = await fetch(url, { headers: { Authorization: `Bearer ${owner.token}` } });
    expect(mine.status).toBe(200);
    expect(mine.headers.get('content-disposition')).toBe(`attachment; filename="interview-${interviewIds[4]}.ics"`);
    const events = parse(await mine.text());
    expect(events).toHaveLength(1);
    expect(events[0].start.toJSDate().toISOString()).toBe(arranged[4].utc);
    expect((await fetch(url, { headers: { Authorization: `Bearer ${stranger.token}` } })).status).toBe(404);
    expect((await fetch(url)).status).toBe(401);
  });

  it('stops working at once when rotated or revoked, answering as for an unknown token', async () => {
    const db = userClient(owner.token);
    const unknown = await fetch(feedUrl('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'));
    expect(unknown.status).toBe(404);
    const unknownBody = await unknown.text();

    const rotated = await db.rpc('create_calendar_feed' as never);
    const fresh = rotated.data as unknown as string;
    expect(fresh).not.toBe(token);
    const old = await fetch(feedUrl(token));
    expect(old.status).toBe(404);
    expect(await old.text()).toBe(unknownBody);
    expect((await fetch(feedUrl(fresh))).status).toBe(200);

    const revoked = await db.rpc('revoke_calendar_feed' as never);
    expect(revoked.data).toBe(true);
    const gone = await fetch(feedUrl(fresh));
    expect(gone.status).toBe(404);
    expect(await gone.text()).toBe(unknownBody);
  });
});
