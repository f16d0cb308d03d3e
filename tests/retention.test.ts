// The ai_events retention job as pg_cron runs it (the DO block of job roll-up-ai-events,
// committing after every batch), on the running test stack. Threats covered:
// - the job killed half-way (its backend terminated, as a crash or a deploy would) and
//   re-run: nothing lost, nothing counted twice;
// - the shortest retention (1 day) rolling up everything before yesterday: the rate
//   limit and the daily token budget of the `ai` function (counted in the admission
//   ledger, private.ai_admissions) still see every call they count, so a user cannot
//   escape either by waiting for the nightly job.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeAi as invoke, startModelServerForGateway } from './support/ai-client';
import type { ModelServer } from './support/model-server';
import { newUser } from './support/stack';
import { stack } from './support/stack';

const admin = postgres(stack.adminUrl, { max: 3, onnotice: () => {} });
let model: ModelServer;
let jobCommand: string;

beforeAll(async () => {
  model = await startModelServerForGateway();
  const [job] = await admin`select command from cron.job where jobname = 'roll-up-ai-events'`;
  expect(job, 'the migration schedules roll-up-ai-events where pg_cron exists (the test stack has it)').toBeDefined();
  jobCommand = job.command;
});

afterAll(async () => {
  await admin`update private.ai_events_retention set keep_days = 90, batch_users = 50`;
  await model?.stop();
  await admin.end({ timeout: 5 });
});

// Runs the scheduled command on a connection of its own, outside any transaction, as
// pg_cron does.
async function runJob(connection = postgres(stack.adminUrl, { max: 1, onnotice: () => {} })) {
  try {
    await connection.unsafe(jobCommand);
  } finally {
    await connection.end({ timeout: 5 });
  }
}

const summaryOf = (ids: string[]) => admin`
  select user_id, day::text, provider, model, calls, errors, input_tokens::text, output_tokens::text,
         latency_p50_ms, latency_p95_ms
    from public.ai_usage_daily where user_id = any(${ids}::uuid[])
   order by user_id, day, provider, model`;

// What the summary must be, from the raw rows, before the job runs.
const expectedSummaryOf = (ids: string[]) => admin`
  select user_id, (created_at at time zone 'UTC')::date::text as day, provider, model,
         count(*)::int as calls, (count(*) filter (where status = 'error'))::int as errors,
         coalesce(sum(input_tokens), 0)::text as input_tokens, coalesce(sum(output_tokens), 0)::text as output_tokens,
         percentile_disc(0.5) within group (order by latency_ms) as latency_p50_ms,
         percentile_disc(0.95) within group (order by latency_ms) as latency_p95_ms
    from public.ai_events
   where user_id = any(${ids}::uuid[]) and created_at < private.ai_events_cutoff(now())
   group by 1, 2, 3, 4
   order by 1, 2, 3, 4`;

describe('retention job', () => {
  it('killed half-way and re-run, it ends exactly where an uninterrupted run would', async () => {
    await admin`update private.ai_events_retention set keep_days = 90, batch_users = 1`;
    const users = await Promise.all(Array.from({ length: 6 }, (_, i) => newUser(`retention-crash-${i}`)));
    const ids = users.map((u) => u.id);
    // 15,000 old calls per user over 300 days, so that one batch (one user) takes a
    // noticeable moment and the kill lands between batches or inside one.
    await admin`
      insert into public.ai_events (user_id, provider, model, input_tokens, output_tokens, latency_ms, status, created_at)
      select u, 'openai', case when g % 4 = 0 then 'gpt-4o' else 'gpt-4o-mini' end,
             100 + g % 900, 10 + g % 300, 200 + (g * 37) % 5000,
             case when g % 17 = 0 then 'error' else 'success' end,
             now() - interval '91 days' - (g % 300) * interval '1 day' - (g % 1440) * interval '1 minute'
        from unnest(${ids}::uuid[]) u, generate_series(1, 15000) g`;
    const recentBefore = await admin`select count(*)::int as n from public.ai_events where user_id = any(${ids}::uuid[]) and created_at >= private.ai_events_cutoff(now())`;
    const expected = await expectedSummaryOf(ids);
    expect(expected.length).toBeGreaterThan(6 * 300);

    const victim = postgres(stack.adminUrl, { max: 1, onnotice: () => {} });
    const [{ pid }] = await victim`select pg_backend_pid() as pid`;
    const running = victim.unsafe(jobCommand).then(() => 'finished', (error) => `error ${error.code}`);
    let doneAtKill = 0;
    for (;;) {
      const [{ n }] = await admin`select count(distinct user_id)::int as n from public.ai_usage_daily where user_id = any(${ids}::uuid[])`;
      if (n >= 2) {
        await admin`select pg_terminate_backend(${pid})`;
        doneAtKill = n;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // postgres.js reports the terminated backend as a closed connection (or 57P01).
    expect(await running).toMatch(/^error (57P01|CONNECTION_CLOSED)$/);
    await victim.end({ timeout: 1 }).catch(() => {});
    const [{ n: doneAfterKill }] = await admin`select count(distinct user_id)::int as n from public.ai_usage_daily where user_id = any(${ids}::uuid[])`;
    expect(doneAfterKill, 'the kill landed half-way: some users rolled up, not all').toBeGreaterThanOrEqual(doneAtKill);
    expect(doneAfterKill).toBeLessThan(6);

    await runJob();
    expect(await summaryOf(ids)).toEqual(expected);
    const [{ old, recent }] = await admin`
      select count(*) filter (where created_at < private.ai_events_cutoff(now()))::int as old,
             count(*) filter (where created_at >= private.ai_events_cutoff(now()))::int as recent
        from public.ai_events where user_id = any(${ids}::uuid[])`;
    expect(old).toBe(0);
    expect(recent).toBe(recentBefore[0].n);

    // And once more: nothing left to do, nothing changes.
    await runJob();
    expect(await summaryOf(ids)).toEqual(expected);
    // 90,000 rows and three job runs: about 10 s on an idle machine, several times that on a
    // loaded one. Nothing here is timed; the bound only ends a run that hangs.
  }, 120_000);
});

describe('limits across the cut-off', () => {
  beforeAll(async () => {
    await admin`update private.ai_events_retention set keep_days = 1, batch_users = 200`;
  });

  it('30 calls in the last minute still answer 429 after the job rolled up everything before yesterday', async () => {
    const user = await newUser('retention-rate');
    await admin`
      insert into public.ai_events (user_id, provider, model, input_tokens, output_tokens, latency_ms, status, created_at)
      select ${user.id}, 'openai', 'gpt-4o-mini', 10, 10, 100, 'success',
             case when g <= 30 then now() - interval '20 seconds' else now() - interval '3 days' - g * interval '1 hour' end
        from generate_series(1, 80) g`;
    // The admissions the server recorded for those calls: the limits count these, not ai_events.
    await admin`
      insert into private.ai_admissions (user_id, action, model_calls, used_tokens, admitted_at)
      select ${user.id}, 'skills', 1, 20, now() - interval '20 seconds' from generate_series(1, 30)`;
    await runJob();
    const [{ raw, rolled }] = await admin`
      select (select count(*)::int from public.ai_events where user_id = ${user.id}) as raw,
             (select coalesce(sum(calls), 0)::int from public.ai_usage_daily where user_id = ${user.id}) as rolled`;
    expect({ raw, rolled }).toEqual({ raw: 30, rolled: 50 });
    model.reset();
    const reply = await invoke('skills', { description: 'Built data pipelines in Python and SQL for years.', context: 'resume' }, user.token);
    expect(reply.status, JSON.stringify(reply.body)).toBe(429);
    expect(reply.body.error.code).toBe('rate_limited');
    expect(model.requests).toHaveLength(0);
  });

  it('a daily token budget spent today still answers 429 after the job ran', async () => {
    const user = await newUser('retention-budget');
    await admin`
      insert into public.ai_events (user_id, provider, model, input_tokens, output_tokens, latency_ms, status, created_at)
      values (${user.id}, 'openai', 'gpt-4o-mini', 2000000000, 2000000000, 100, 'success',
              greatest(date_trunc('day', now() at time zone 'UTC') at time zone 'UTC', now() - interval '2 minutes')),
             (${user.id}, 'openai', 'gpt-4o-mini', 5, 5, 100, 'success', now() - interval '10 days')`;
    await admin`
      insert into private.ai_admissions (user_id, action, model_calls, used_tokens, admitted_at)
      values (${user.id}, 'skills', 1, 4000000000,
              greatest(date_trunc('day', now() at time zone 'UTC') at time zone 'UTC', now() - interval '2 minutes'))`;
    await runJob();
    const [{ raw, rolled }] = await admin`
      select (select count(*)::int from public.ai_events where user_id = ${user.id}) as raw,
             (select coalesce(sum(calls), 0)::int from public.ai_usage_daily where user_id = ${user.id}) as rolled`;
    expect({ raw, rolled }).toEqual({ raw: 1, rolled: 1 });
    model.reset();
    const reply = await invoke('skills', { description: 'Built data pipelines in Python and SQL for years.', context: 'resume' }, user.token);
    expect(reply.status, JSON.stringify(reply.body)).toBe(429);
    expect(reply.body.error.code).toBe('daily_budget_exhausted');
    expect(model.requests).toHaveLength(0);
  });
});
