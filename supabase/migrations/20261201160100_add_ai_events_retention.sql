-- Why: raw ai_events rows are kept for a configurable number of days (default 90);
-- older ones are rolled up into ai_usage_daily and only then deleted, nightly.
--
-- Where the setting lives: private.ai_events_retention, one row, changed by an
-- operator in SQL (`update private.ai_events_retention set keep_days = 30`). A table
-- rather than a database GUC because hosted Supabase does not let every project set
-- custom database parameters, and a row is visible, typed and checked.
--
-- The cut-off is a UTC midnight: rows before (start of today, UTC) - keep_days go.
-- keep_days is at least 1, so today's rows (the daily token budget) and the last
-- minute's (the rate limit, which at 00:00:30 reaches back into yesterday) are never
-- touched, and every (user, day) group is complete when it is rolled up, which keeps
-- its percentiles exact.
--
-- How it stays safe under load: the job works in batches of users. One batch is one
-- function call (private.roll_up_ai_events_batch) and one statement, `delete ... returning` feeding the insert into ai_usage_daily, in its own
-- transaction: a crash leaves either the whole batch moved or none of it, so a re-run
-- continues where it stopped and counts nothing twice; a second run finds nothing
-- older than the cut-off and changes nothing. The delete locks only the old rows it
-- removes, which nobody else writes: the edge functions' inserts of new rows never
-- wait on it. Two overlapping runs are safe too: a row the other run already deleted
-- is skipped by the second delete.

create table private.ai_events_retention (
  singleton boolean primary key default true,
  keep_days integer not null default 90,
  batch_users integer not null default 200,
  updated_at timestamptz not null default now(),
  constraint ai_events_retention_one_row check (singleton),
  constraint ai_events_retention_keep_days_range check (keep_days between 1 and 3650),
  constraint ai_events_retention_batch_users_range check (batch_users between 1 and 10000)
);
insert into private.ai_events_retention (singleton) values (true);
revoke all on table private.ai_events_retention from public, anon, authenticated, service_role;

comment on table private.ai_events_retention is
  'Retention of raw ai_events: rows older than keep_days UTC days are rolled up into ai_usage_daily nightly, batch_users users per transaction.';

-- The oldest instant whose rows are kept, for a run that starts at `at`.
create function private.ai_events_cutoff(at timestamptz)
returns timestamptz
language sql
stable
set search_path = ''
as $$
  select (pg_catalog.date_trunc('day', at at time zone 'UTC')
          - pg_catalog.make_interval(days => r.keep_days)) at time zone 'UTC'
    from private.ai_events_retention r
$$;
comment on function private.ai_events_cutoff(timestamptz) is
  'UTC midnight keep_days days before the day of `at`: ai_events rows created before it are rolled up and deleted.';
revoke all on function private.ai_events_cutoff(timestamptz) from public, anon, authenticated, service_role;

-- One batch: the next batch_users users (in user_id order, after `after_user`) that
-- have any ai_events row; all their rows created before the cut-off are moved into
-- ai_usage_daily. Users are found by a loose scan of idx_ai_events_user_created (one
-- index probe per user), and each user's old rows are a range at the end of that
-- user's entries in the same index. Returns the last user of the batch, the cursor to
-- pass to the next call, or null when no user is left.
--
-- A group that already has a row (only possible when a row was written later with a
-- created_at in an already rolled-up day, which the edge functions never do) is merged:
-- counts and tokens add up exactly; the percentiles become the call-weighted mean of
-- the two, the best that can be done without the raw values.
create function private.roll_up_ai_events_batch(after_user uuid)
returns uuid
language plpgsql
volatile
set search_path = ''
as $$
declare
  cutoff timestamptz := private.ai_events_cutoff(pg_catalog.now());
  max_users integer := (select r.batch_users from private.ai_events_retention r);
  first_user uuid;
  batch uuid[];
begin
  if after_user is null then
    select e.user_id into first_user from public.ai_events e order by e.user_id limit 1;
  else
    select e.user_id into first_user from public.ai_events e
     where e.user_id > after_user order by e.user_id limit 1;
  end if;
  if first_user is null then
    return null;
  end if;

  with recursive next_user (user_id) as (
    select first_user
    union all
    select (select e.user_id from public.ai_events e
             where e.user_id > n.user_id order by e.user_id limit 1)
      from next_user n
     where n.user_id is not null
  )
  select pg_catalog.array_agg(b.user_id order by b.user_id)
    into batch
    from (select n.user_id from next_user n where n.user_id is not null limit max_users) b;

  with moved_events as (
    delete from public.ai_events e
     where e.user_id = any (batch)
       and e.created_at < cutoff
    returning e.user_id, (e.created_at at time zone 'UTC')::date as day, e.provider, e.model,
              e.status, e.input_tokens, e.output_tokens, e.latency_ms
  )
  insert into public.ai_usage_daily as d
         (user_id, day, provider, model, calls, errors, input_tokens, output_tokens,
          latency_p50_ms, latency_p95_ms)
  select m.user_id, m.day, m.provider, m.model,
         count(*)::integer,
         (count(*) filter (where m.status = 'error'))::integer,
         coalesce(sum(m.input_tokens), 0)::bigint,
         coalesce(sum(m.output_tokens), 0)::bigint,
         percentile_disc(0.5) within group (order by m.latency_ms),
         percentile_disc(0.95) within group (order by m.latency_ms)
    from moved_events m
   group by m.user_id, m.day, m.provider, m.model
  on conflict (user_id, day, provider, model) do update
     set calls = d.calls + excluded.calls,
         errors = d.errors + excluded.errors,
         input_tokens = d.input_tokens + excluded.input_tokens,
         output_tokens = d.output_tokens + excluded.output_tokens,
         latency_p50_ms = coalesce(pg_catalog.round((d.latency_p50_ms::numeric * d.calls
                                                     + excluded.latency_p50_ms::numeric * excluded.calls)
                                                    / (d.calls + excluded.calls))::integer,
                                   d.latency_p50_ms, excluded.latency_p50_ms),
         latency_p95_ms = coalesce(pg_catalog.round((d.latency_p95_ms::numeric * d.calls
                                                     + excluded.latency_p95_ms::numeric * excluded.calls)
                                                    / (d.calls + excluded.calls))::integer,
                                   d.latency_p95_ms, excluded.latency_p95_ms),
         rolled_up_at = pg_catalog.now();

  return batch[pg_catalog.cardinality(batch)];
end
$$;
comment on function private.roll_up_ai_events_batch(uuid) is
  'One transaction''s worth of retention: moves the ai_events rows older than the cut-off of the next batch_users users after after_user into ai_usage_daily; returns the cursor for the next call, null when done.';
revoke all on function private.roll_up_ai_events_batch(uuid) from public, anon, authenticated, service_role;

-- The nightly job: batch after batch, each committed on its own, until every user has
-- been visited. A DO block, because it may COMMIT between batches where a function may
-- not, and a procedure that may commit cannot pin its search_path (which Supabase's
-- advisors require of every function). Run by hand outside a transaction block:
--   do $job$ declare next_user uuid; begin loop next_user := private.roll_up_ai_events_batch(next_user); exit when next_user is null; commit; end loop; end $job$;
do $$
begin
  if exists (select 1 from pg_catalog.pg_extension where extname = 'pg_cron') then
    -- cron.schedule with a job name replaces an existing job of that name.
    perform cron.schedule('roll-up-ai-events', '37 3 * * *',
      'do $job$ declare next_user uuid; begin loop next_user := private.roll_up_ai_events_batch(next_user); exit when next_user is null; commit; end loop; end $job$');
    raise notice 'pg_cron: roll-up-ai-events scheduled daily at 03:37 UTC';
  else
    raise notice 'pg_cron is not installed: run the retention job (see private.roll_up_ai_events_batch) daily elsewhere';
  end if;
end
$$;
