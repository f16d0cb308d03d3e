// search_jobs and job_dashboard through the real data API, called exactly as the README
// shows: supabase-js rpc() → gateway → PostgREST 12 → Postgres under the caller's RLS.
// Covers what the app sees: results, headlines and paging tokens, the 400 (22023) for
// an empty query and a bad zone, a stranger who finds nothing of the owner's, anon 401.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, userClient } from '../support/clients';
import { newUser, stack } from '../support/stack';

const sql = postgres(stack.adminUrl, { max: 1, onnotice: () => {} });
afterAll(() => sql.end());

let owner: Awaited<ReturnType<typeof newUser>>;
let stranger: Awaited<ReturnType<typeof newUser>>;
beforeAll(async () => {
  owner = await newUser('search-owner');
  stranger = await newUser('search-stranger');
  const jobs = [
    { job_title: 'Senior Platform Engineer', company: 'Stripe', status: 'Applied', description: 'Run our Kubernetes clusters.' },
    { job_title: 'Site Reliability Engineer', company: 'Google', status: 'bookmarked', deadline: new Date(Date.now() + 3 * 86400_000).toISOString().slice(0, 10) },
    ...Array.from({ length: 24 }, (_, i) => ({ job_title: `Kubernetes Operator ${i}`, company: `Cluster Co ${i}`, status: 'interviewing' })),
  ];
  const { error } = await userClient(owner.token).from('jobs').insert(jobs);
  expect(error).toBeNull();
  const mine = await userClient(stranger.token).from('jobs').insert({ job_title: 'Kubernetes Admin', company: 'Google', status: 'applied' });
  expect(mine.error).toBeNull();
});

describe('search_jobs through PostgREST', () => {
  it('finds the owner’s jobs by a prefix, best first, with a marked headline and a next page', async () => {
    const supabase = userClient(owner.token);
    const { data, error, status } = await supabase.rpc('search_jobs', { query: 'kuber' });
    expect(error).toBeNull();
    expect(status).toBe(200);
    const page = data as { jobs: { id: string; job_title: string; rank: number; headline: string }[]; next_page_token: string | null };
    expect(page.jobs).toHaveLength(20);
    expect(page.jobs.map((j) => j.rank)).toEqual([...page.jobs.map((j) => j.rank)].sort((a, b) => b - a));
    expect(page.jobs[0].headline).toContain('<mark>Kubernetes</mark>');
    expect(page.next_page_token).toEqual(expect.any(String));

    const more = await supabase.rpc('search_jobs', { query: 'kuber', page_token: page.next_page_token });
    expect(more.error).toBeNull();
    const second = more.data as typeof page;
    expect(second.jobs).toHaveLength(5);
    expect(second.next_page_token).toBeNull();
    const ids = [...page.jobs, ...second.jobs].map((j) => j.id);
    expect(new Set(ids).size).toBe(25);
  });

  it('takes the README’s phrase, exclusion and status filter', async () => {
    const { data, error } = await userClient(owner.token).rpc('search_jobs', {
      query: '"platform engineer" -google', statuses: ['applied', 'interviewing'], page_size: 50,
    });
    expect(error).toBeNull();
    expect((data as { jobs: { job_title: string; status: string }[] }).jobs.map((j) => [j.job_title, j.status]))
      .toEqual([['Senior Platform Engineer', 'applied']]);
  });

  it('tolerates a typo in a company name', async () => {
    const { data } = await userClient(owner.token).rpc('search_jobs', { query: 'gogle' });
    expect((data as { jobs: { company: string }[] }).jobs.map((j) => j.company)).toEqual(['Google']);
  });

  it('answers 400 with SQLSTATE 22023 for an empty query and an over-long one', async () => {
    const supabase = userClient(owner.token);
    const empty = await supabase.rpc('search_jobs', { query: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.error).toMatchObject({ code: '22023', message: 'query must contain at least one word' });
    const long = await supabase.rpc('search_jobs', { query: '-"x" OR '.repeat(1000) });
    expect(long.status).toBe(400);
    expect(long.error).toMatchObject({ code: '22023', message: 'query is longer than 200 characters (8000 given)' });
  });

  it('shows a stranger only their own job, and refuses anon with 401', async () => {
    const theirs = await userClient(stranger.token).rpc('search_jobs', { query: 'kubernetes' });
    expect((theirs.data as { jobs: { job_title: string }[] }).jobs.map((j) => j.job_title)).toEqual(['Kubernetes Admin']);
    const anon = await anonClient().rpc('search_jobs', { query: 'kubernetes' });
    expect(anon.status).toBe(401);
    expect(anon.error).toMatchObject({ code: '42501' });
  });
});

describe('search documents under concurrent writes', () => {
  it('end equal to the job rows after 30 simultaneous edits of the same jobs', async () => {
    const supabase = userClient(owner.token);
    const { data: jobs } = await supabase.from('jobs').select('id').like('company', 'Cluster Co %').order('company').limit(3);
    const ids = (jobs ?? []).map((j) => j.id);
    expect(ids).toHaveLength(3);
    const edits = Array.from({ length: 30 }, (_, i) =>
      supabase.from('jobs').update({ description: `Edit number ${i} mentions word${i}x` }).eq('id', ids[i % 3]));
    for (const { error } of await Promise.all(edits)) expect(error).toBeNull();
    const [row] = await sql`
      select count(*)::int as wrong
        from public.jobs j join public.job_search_documents d on d.job_id = j.id
       where j.id = any(${ids}::uuid[])
         and d.document <> private.job_search_document(j.job_title, j.company, j.location, j.description)`;
    expect(row.wrong).toBe(0);
    // Each job is found by the word of the edit that won, and by no other edit's word.
    for (const id of ids) {
      const { data: job } = await supabase.from('jobs').select('description').eq('id', id).single();
      const word = /word\d+x/.exec(job!.description!)![0];
      const { data } = await supabase.rpc('search_jobs', { query: word });
      expect((data as { jobs: { id: string }[] }).jobs.map((j) => j.id)).toEqual([id]);
    }
  });
});

describe('job_dashboard through PostgREST', () => {
  it('gives the owner their numbers in their time zone', async () => {
    const { data, error, status } = await userClient(owner.token).rpc('job_dashboard', { tz: 'America/Los_Angeles' });
    expect(error).toBeNull();
    expect(status).toBe(200);
    const d = data as Record<string, any>;
    expect(d.time_zone).toBe('America/Los_Angeles');
    expect(d.by_status).toEqual({
      bookmarked: 1, applying: 0, applied: 1, interviewing: 24, negotiating: 0, accepted: 0, rejected: 0, withdrawn: 0, total: 26,
    });
    // Every job was inserted at its status just now: 25 reached applied or later, 24 interviewing.
    expect(d.funnel).toEqual([
      { stage: 'applied', jobs: 25 }, { stage: 'interviewing', jobs: 24 }, { stage: 'negotiating', jobs: 0 }, { stage: 'accepted', jobs: 0 },
    ]);
    expect(d.weekly).toHaveLength(12);
    expect(d.weekly[11]).toMatchObject({ applied: 1, interviews: 24 });
    expect(d.upcoming_deadlines).toEqual([expect.objectContaining({ company: 'Google', status: 'bookmarked', days_left: expect.any(Number) })]);
    expect(d.needs_follow_up).toEqual([]);
  });

  it('defaults to UTC, answers 400 for an unknown zone, and counts nothing of the owner’s for a stranger', async () => {
    const utc = await userClient(owner.token).rpc('job_dashboard');
    expect((utc.data as { time_zone: string }).time_zone).toBe('UTC');
    const bad = await userClient(owner.token).rpc('job_dashboard', { tz: 'Mars/Olympus_Mons' });
    expect(bad.status).toBe(400);
    expect(bad.error).toMatchObject({ code: '22023' });
    const theirs = await userClient(stranger.token).rpc('job_dashboard', { tz: 'UTC' });
    expect((theirs.data as { by_status: { total: number } }).by_status.total).toBe(1);
    const anon = await anonClient().rpc('job_dashboard', { tz: 'UTC' });
    expect(anon.status).toBe(401);
  });
});
