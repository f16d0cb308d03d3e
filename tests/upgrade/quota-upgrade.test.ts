// Quotas meet existing data: a v2.0 database (the baseline marked applied, as production
// takes the upgrade) holding what an abuser could store before the limits existed, then
// `supabase db push`. Nothing may be lost: every value over a size limit and every row
// over a per-user cap must be in private.legacy_profile_entries, and what stays in the
// tables must satisfy the new rules (and count correctly towards the caps).
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createScratchDatabase,
  dropScratchDatabase,
  markMigrationsApplied,
  psqlFile,
  pushMigrationsTo,
} from '../../scripts/lib/database.mjs';
import { repoRoot } from '../../scripts/lib/profiles.mjs';
import { stack } from '../support/stack';

const databaseName = `quota_upgrade_${process.pid}`;
const abuser = 'a1000000-0000-4000-8000-000000000001';
const neighbour = 'a1000000-0000-4000-8000-000000000002';
const bigDescription = 'd'.repeat(150 * 1024);

let sql: postgres.Sql;

describe('upgrading a v2.0 database that holds more than the quotas allow', () => {
  beforeAll(async () => {
    const scratch = createScratchDatabase(stack, databaseName);
    const baseline = psqlFile(scratch.dbUrl, join(repoRoot, 'supabase', 'migrations', '20250107000000_v2_0_baseline.sql'));
    if (!baseline.ok) throw new Error(`The v2.0 baseline failed to load: ${baseline.stderr}`);
    markMigrationsApplied(scratch.dbUrl, ['20250107000000']);
    sql = postgres(scratch.dbUrl, { max: 1, onnotice: () => {} });
    await sql.begin(async (tx) => {
      await tx`insert into auth.users (id, email) values (${abuser}, 'abuser@quota.test'), (${neighbour}, 'neighbour@quota.test')`;
      // Two profiles for one user; the oldest is the one the app reads.
      await tx`insert into public.user_profile (user_id, full_name, created_at) values
                 (${abuser}, 'First', '2024-01-01'), (${abuser}, 'Second', '2024-06-01'), (${neighbour}, 'Neighbour', '2024-01-01')`;
      // 5,003 jobs, the newest with a 150 KB description.
      await tx`insert into public.jobs (user_id, job_title, company, status, created_at)
               select ${abuser}, 'Job ' || n, 'Acme', 'applied', timestamptz '2024-01-01' + n * interval '1 minute'
                 from generate_series(1, 5003) n`;
      await tx`update public.jobs set description = ${bigDescription} where user_id = ${abuser} and job_title = 'Job 5003'`;
      await tx`insert into public.jobs (user_id, job_title, company, status) values (${neighbour}, 'Neighbour job', 'Acme', 'applied')`;
      await tx`insert into public.resume_builder_data (user_id, template_id, resume_data)
               values (${abuser}, 'modern-professional', ${tx.json({ blob: 'x'.repeat(600 * 1024) })})`;
      await tx`insert into public.ai_events (user_id, provider, model, status, error)
               values (${abuser}, 'openai', 'gpt-4o-mini', 'error', ${'e'.repeat(50 * 1024)})`;
    });
    pushMigrationsTo(scratch.dbUrl);
  }, 240_000);

  afterAll(async () => {
    await sql?.end();
    dropScratchDatabase(stack, databaseName);
  });

  it('keeps the newest 5,000 jobs and archives the 3 oldest whole, with their history', async () => {
    const [{ kept }] = await sql`select count(*)::int as kept from public.jobs where user_id = ${abuser}`;
    expect(kept).toBe(5000);
    const archived = await sql`select entry ->> 'job_title' as title, jsonb_array_length(entry -> 'job_status_events') as events
                                 from private.legacy_profile_entries where source = 'jobs.rows_per_user' order by 1`;
    expect(archived.map((r) => ({ ...r }))).toEqual([
      { title: 'Job 1', events: 1 }, { title: 'Job 2', events: 1 }, { title: 'Job 3', events: 1 },
    ]);
    const [{ neighbourJobs }] = await sql`select count(*)::int as "neighbourJobs" from public.jobs where user_id = ${neighbour}`;
    expect(neighbourJobs).toBe(1);
  });

  it('cuts the 150 KB description to the 32 KB cap and archives the whole original (and the 100 KB step between)', async () => {
    const [job] = await sql`select octet_length(description) as bytes from public.jobs where job_title = 'Job 5003'`;
    expect(job.bytes).toBe(32768);
    const entries = await sql`select octet_length(entry ->> 'value') as bytes, entry ->> 'value' as value, reason
                                from private.legacy_profile_entries where source = 'jobs.description' order by 1 desc`;
    expect(entries.map((e) => e.bytes)).toEqual([150 * 1024, 102400]);
    expect(entries[0].value).toBe(bigDescription);
    expect(entries[1].reason).toContain('32768-byte limit');
  });

  it('keeps one profile per user (the oldest) and archives the other', async () => {
    const profiles = await sql`select full_name from public.user_profile where user_id = ${abuser}`;
    expect(profiles.map((r) => r.full_name)).toEqual(['First']);
    const [entry] = await sql`select entry ->> 'full_name' as name from private.legacy_profile_entries where source = 'user_profile.rows_per_user'`;
    expect(entry.name).toBe('Second');
  });

  it('empties builder data over 512 KB and cuts an oversized ai_events.error to 4 KB, archiving both', async () => {
    const [builder] = await sql`select resume_data from public.resume_builder_data where user_id = ${abuser}`;
    expect(builder.resume_data).toEqual({});
    const [event] = await sql`select octet_length(error) as bytes from public.ai_events where user_id = ${abuser}`;
    expect(event.bytes).toBe(4096);
    const sources = await sql`select source, octet_length(entry ->> 'value') as bytes from private.legacy_profile_entries
                               where source in ('resume_builder_data.resume_data', 'ai_events.error') order by source`;
    expect(sources.map((r) => ({ ...r }))).toEqual([
      { source: 'ai_events.error', bytes: 50 * 1024 },
      // jsonb's text form puts a space after the colon.
      { source: 'resume_builder_data.resume_data', bytes: JSON.stringify({ blob: 'x'.repeat(600 * 1024) }).length + 1 },
    ]);
  });

  it('starts the counters at what each user holds, so the caps apply from the first new row', async () => {
    const usage = await sql`select user_id::text, scope, used from private.row_quota_usage
                             where scope in ('jobs', 'user_profile') order by user_id, scope`;
    expect(usage.map((r) => ({ ...r }))).toEqual([
      { user_id: abuser, scope: 'jobs', used: 5000 },
      { user_id: abuser, scope: 'user_profile', used: 1 },
      { user_id: neighbour, scope: 'jobs', used: 1 },
      { user_id: neighbour, scope: 'user_profile', used: 1 },
    ]);
    await expect(sql`insert into public.jobs (user_id, job_title, company, status) values (${abuser}, 'More', 'Acme', 'applied')`)
      .rejects.toMatchObject({ code: '23514', constraint_name: 'jobs_rows_per_user' });
  });
});
