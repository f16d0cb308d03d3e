-- ai_events retention: rows older than the retention period are rolled up into
-- ai_usage_daily and deleted, batch by batch. Threats and failures covered:
--   a rollup that loses or double-counts a call, a token or an error;
--   rows past the cut-off left behind, or rows inside it deleted;
--   a second run, or a run after a crash half-way, that changes the result;
--   a cut-off that reaches into today (the daily token budget) or the last minute
--   (the rate limit); a retention setting that deletes everything (0 days);
--   one user reading another's usage; anyone (even service_role) rewriting a summary;
--   an API role running the job.
begin;
select plan(25);

select tests.create_supabase_user('owner', 'owner@retention.test', '00000016-0000-4000-8000-000000000001');
select tests.create_supabase_user('stranger', 'stranger@retention.test', '00000016-0000-4000-8000-000000000002');
select tests.create_supabase_user('third', 'third@retention.test', '00000016-0000-4000-8000-000000000003');

-- The retention period under test is the default, 90 days.
select is((select keep_days from private.ai_events_retention), 90, 'Raw AI events are kept for 90 days by default.');
-- 50 users a batch keeps each commit's WAL flush short enough for the edge functions'
-- inserts beside the job (the retention bench part measures it).
select col_default_is('private', 'ai_events_retention', 'batch_users', '50',
  'The job moves 50 users a batch unless an operator chooses otherwise.');

-- Only this file's users' rows are looked at (other fixtures may exist).
create temp table fixture_users (user_id uuid primary key);
insert into fixture_users values
  ('00000016-0000-4000-8000-000000000001'), ('00000016-0000-4000-8000-000000000002'),
  ('00000016-0000-4000-8000-000000000003');

-- Calls spread over 400 days for three users, two models, with errors, missing
-- latencies and missing token counts, several calls per (user, day, model) group, and
-- calls on both sides of the UTC midnight that is the cut-off.
insert into public.ai_events (user_id, provider, model, input_tokens, output_tokens, latency_ms, status, error, created_at)
select u.user_id,
       'openai',
       case when g % 5 = 0 then 'gpt-4o' else 'gpt-4o-mini' end,
       case when g % 11 = 0 then null else 100 + (g * 37) % 900 end,
       case when g % 13 = 0 then null else 10 + (g * 17) % 300 end,
       case when g % 9 = 0 then null else 200 + (g * 53) % 4000 end,
       case when g % 7 = 0 then 'error' else 'success' end,
       case when g % 7 = 0 then 'model timeout' end,
       now() - (g % 400) * interval '1 day' - (g % 24) * interval '1 hour'
  from fixture_users u, generate_series(1, 1200) g;
-- Right at the cut-off: one second before it goes, the cut-off instant itself stays.
insert into public.ai_events (user_id, provider, model, input_tokens, output_tokens, latency_ms, status, created_at)
values ('00000016-0000-4000-8000-000000000001', 'openai', 'gpt-4o-mini', 5, 5, 50, 'success',
        (date_trunc('day', now() at time zone 'UTC') - interval '90 days') at time zone 'UTC' - interval '1 second'),
       ('00000016-0000-4000-8000-000000000001', 'openai', 'gpt-4o-mini', 7, 7, 70, 'success',
        (date_trunc('day', now() at time zone 'UTC') - interval '90 days') at time zone 'UTC');

-- The cut-off, computed here independently of private.ai_events_cutoff.
create temp table test_cutoff as
select (date_trunc('day', now() at time zone 'UTC') - interval '90 days') at time zone 'UTC' as cutoff;

select is(private.ai_events_cutoff(now()), (select cutoff from test_cutoff),
  'The cut-off is the UTC midnight 90 days before today.');

-- What the rollup must produce, from the raw rows, with percentile_disc spelled out:
-- the value at position ceil(p * n) of the sorted latencies.
create temp table expected_daily as
with old as (
  select e.* from public.ai_events e join fixture_users f using (user_id) where e.created_at < (select cutoff from test_cutoff)
),
ranked as (
  select o.user_id, (o.created_at at time zone 'UTC')::date as day, o.provider, o.model, o.latency_ms,
         row_number() over (partition by o.user_id, (o.created_at at time zone 'UTC')::date, o.provider, o.model
                            order by o.latency_ms) as position,
         count(o.latency_ms) over (partition by o.user_id, (o.created_at at time zone 'UTC')::date, o.provider, o.model) as n
    from old o where o.latency_ms is not null
)
select g.user_id, g.day, g.provider, g.model, g.calls, g.errors, g.input_tokens, g.output_tokens,
       (select r.latency_ms from ranked r where (r.user_id, r.day, r.provider, r.model) = (g.user_id, g.day, g.provider, g.model)
           and r.position = ceil(0.5 * r.n)) as latency_p50_ms,
       (select r.latency_ms from ranked r where (r.user_id, r.day, r.provider, r.model) = (g.user_id, g.day, g.provider, g.model)
           and r.position = ceil(0.95 * r.n)) as latency_p95_ms
  from (select o.user_id, (o.created_at at time zone 'UTC')::date as day, o.provider, o.model,
               count(*)::int as calls, count(*) filter (where o.status = 'error')::int as errors,
               coalesce(sum(o.input_tokens), 0)::bigint as input_tokens, coalesce(sum(o.output_tokens), 0)::bigint as output_tokens
          from old o group by 1, 2, 3, 4) g;

create temp table raw_before as
select e.* from public.ai_events e join fixture_users f using (user_id);

select cmp_ok((select count(*)::int from expected_daily), '>', 300,
  'The fixture has hundreds of (user, day, model) groups past the cut-off.');
select cmp_ok((select count(*)::int from expected_daily where calls > 1), '>', 50,
  'Many groups hold several calls, so the percentiles are really computed.');

-- The whole job as pg_cron runs it, minus the commits (a test runs in one transaction).
-- Returns the number of batches.
create function pg_temp.run_job() returns int language plpgsql as $$
declare
  next_user uuid;
  batches int := 0;
begin
  loop
    next_user := private.roll_up_ai_events_batch(next_user);
    exit when next_user is null;
    batches := batches + 1;
  end loop;
  return batches;
end
$$;

-- A digest of everything the job may change, for this file's users.
create function pg_temp.state() returns text language sql as $$
  select md5(coalesce((select string_agg(format('%s|%s|%s|%s|%s|%s|%s|%s|%s|%s', d.user_id, d.day, d.provider, d.model,
                                                d.calls, d.errors, d.input_tokens, d.output_tokens,
                                                d.latency_p50_ms, d.latency_p95_ms), ';'
                                         order by d.user_id, d.day, d.provider, d.model)
                         from public.ai_usage_daily d join pg_temp.fixture_users f using (user_id)), '')
             || '#' ||
             coalesce((select string_agg(e.id::text, ';' order by e.id)
                         from public.ai_events e join pg_temp.fixture_users f using (user_id)), ''))
$$;

-- Small batches, so that the job really runs in several transactions.
update private.ai_events_retention set batch_users = 1;

-- A clean run, measured and then undone, as the reference for the interrupted one.
create function pg_temp.clean_run_state() returns text language plpgsql as $$
declare
  digest text;
begin
  perform pg_temp.run_job();
  digest := pg_temp.state();
  raise exception 'undo the clean run' using errcode = 'P0099';
exception when sqlstate 'P0099' then
  return digest;
end
$$;
select pg_temp.clean_run_state() as clean_state \gset

-- Interrupted half-way: the first batch commits, the second dies before it commits
-- (rolled back to a savepoint, as a crash would), and the next night's run starts
-- again from the beginning.
select private.roll_up_ai_events_batch(null) as first_cursor \gset
select is((select count(distinct user_id)::int from public.ai_usage_daily join fixture_users using (user_id)), 1,
  'After the first batch of one user, exactly one user''s calls are rolled up.');
select count(distinct user_id)::int as users_with_events from public.ai_events \gset
savepoint crash;
select private.roll_up_ai_events_batch(:'first_cursor'::uuid);
rollback to savepoint crash;
select is(pg_temp.run_job(), :users_with_events, 'The re-run visits every user with AI events, one batch of one user each.');

select is(pg_temp.state(), :'clean_state', 'A run interrupted half-way and then re-run gives exactly the result of an uninterrupted run.');

select set_eq(
  $$select d.user_id, d.day, d.provider, d.model, d.calls, d.errors, d.input_tokens, d.output_tokens,
           d.latency_p50_ms, d.latency_p95_ms
      from public.ai_usage_daily d join fixture_users using (user_id)$$,
  $$select * from expected_daily$$,
  'ai_usage_daily holds, per user, UTC day, provider and model, exactly the calls, errors, tokens and latency percentiles of the raw rows it replaced.'
);

select is_empty(
  $$select e.id from public.ai_events e join fixture_users using (user_id) where e.created_at < (select cutoff from test_cutoff)$$,
  'No raw AI event older than the cut-off is left.'
);
select set_eq(
  $$select e.id from public.ai_events e join fixture_users using (user_id)$$,
  $$select id from raw_before where created_at >= (select cutoff from test_cutoff)$$,
  'Every raw AI event from the cut-off on is still there, untouched.'
);
select is(
  (select (sum(calls), sum(errors), sum(input_tokens), sum(output_tokens))::text from public.ai_usage_daily join fixture_users using (user_id)),
  (select (count(*), count(*) filter (where status = 'error'), sum(input_tokens), sum(output_tokens))::text
     from raw_before where created_at < (select cutoff from test_cutoff)),
  'Calls, errors and tokens summed over ai_usage_daily equal the sums over the deleted rows exactly.'
);
select is(
  (select array_agg(input_tokens order by input_tokens) from public.ai_events
    where user_id = '00000016-0000-4000-8000-000000000001' and input_tokens in (5, 7) and latency_ms in (50, 70)),
  array[7],
  'A call one second before the cut-off is rolled up; a call at the cut-off instant is kept raw.'
);

-- A second run changes nothing, not even rolled_up_at.
create temp table after_first as select * from public.ai_usage_daily;
select pg_temp.run_job();
select is(pg_temp.state(), :'clean_state', 'A second run changes nothing: the same summaries and the same raw rows.');
select is_empty(
  $$select * from public.ai_usage_daily except select * from after_first$$,
  'A second run rewrites no summary row (rolled_up_at unchanged too).'
);

-- A late row written into an already rolled-up day (only service_role or the owner
-- writing created_at by hand can do that) is merged: counts and tokens add up exactly.
insert into public.ai_events (user_id, provider, model, input_tokens, output_tokens, latency_ms, status, created_at)
select user_id, provider, model, 1000, 100, 999, 'error', (day::timestamp + interval '12 hours') at time zone 'UTC'
  from expected_daily
 where user_id = '00000016-0000-4000-8000-000000000002'
 order by day limit 1;
select pg_temp.run_job();
select is(
  (select (d.calls - x.calls, d.errors - x.errors, d.input_tokens - x.input_tokens, d.output_tokens - x.output_tokens)::text
     from public.ai_usage_daily d
     join expected_daily x using (user_id, day, provider, model)
    where d.user_id = '00000016-0000-4000-8000-000000000002'
    order by d.day limit 1),
  '(1,1,1000,100)',
  'A late call in a rolled-up day is merged into its summary: one more call, one more error, its tokens added.'
);

-- The setting: 0 days would delete today's rows, so it is refused.
select throws_ok(
  $$update private.ai_events_retention set keep_days = 0$$,
  '23514', null,
  'A retention period under one day is refused (ai_events_retention_keep_days_range).'
);

-- With the shortest retention, 1 day, the cut-off is yesterday's UTC midnight: a run
-- just after midnight keeps every row of today (the token budget) and of the last
-- minute (the rate limit reaches back into yesterday).
update private.ai_events_retention set keep_days = 1;
select is(
  private.ai_events_cutoff('2026-12-02 00:00:30+00'),
  '2026-12-01 00:00:00+00'::timestamptz,
  'With 1 day of retention a run at 00:00:30 UTC cuts at the previous midnight, before the rate limit''s minute.'
);
insert into public.ai_events (user_id, provider, model, input_tokens, output_tokens, latency_ms, status, created_at)
values ('00000016-0000-4000-8000-000000000003', 'openai', 'gpt-4o-mini', 1, 1, 1, 'success', now() - interval '30 seconds'),
       ('00000016-0000-4000-8000-000000000003', 'openai', 'gpt-4o-mini', 1, 1, 1, 'success', date_trunc('day', now() at time zone 'UTC') at time zone 'UTC');
select pg_temp.run_job();
select is(
  (select count(*)::int from public.ai_events
    where user_id = '00000016-0000-4000-8000-000000000003'
      and created_at >= least(now() - interval '1 minute', date_trunc('day', now() at time zone 'UTC') at time zone 'UTC')),
  (select count(*)::int from raw_before
    where user_id = '00000016-0000-4000-8000-000000000003'
      and created_at >= least(now() - interval '1 minute', date_trunc('day', now() at time zone 'UTC') at time zone 'UTC')) + 2,
  'With 1 day of retention the job keeps every call of today and of the last minute, which the budget and rate limit count.'
);

-- RLS on ai_usage_daily.
select tests.authenticate_as('owner');
select is(
  (select array_agg(distinct user_id) from public.ai_usage_daily),
  array['00000016-0000-4000-8000-000000000001'::uuid],
  'The owner sees only their own daily usage.'
);
select throws_ok(
  $$update public.ai_usage_daily set calls = 0$$, '42501', null,
  'The owner cannot rewrite their daily usage.'
);
select tests.authenticate_as_service_role();
select throws_ok(
  $$delete from public.ai_usage_daily$$, '42501', null,
  'Not even service_role can delete daily usage.'
);
select tests.clear_authentication();
select tests.authenticate_as_anon();
select throws_ok(
  $$select * from public.ai_usage_daily$$, '42501', null,
  'anon cannot read daily usage.'
);
select tests.clear_authentication();

select is(
  (select array_agg(r order by r) from unnest(array['anon', 'authenticated', 'service_role']) r
    where has_function_privilege(r, 'private.roll_up_ai_events_batch(uuid)', 'EXECUTE')
       or has_function_privilege(r, 'private.ai_events_cutoff(timestamptz)', 'EXECUTE')),
  null,
  'No API role can run the retention job.'
);

-- Where pg_cron is installed the job runs nightly; the second test database has none.
create function pg_temp.retention_schedule() returns text language plpgsql as $$
declare
  found_schedule text;
begin
  if not exists (select 1 from pg_extension where extname = 'pg_cron') then
    return 'no pg_cron';
  end if;
  execute $q$select schedule || ' ' || command from cron.job where jobname = 'roll-up-ai-events'$q$
     into found_schedule;
  return found_schedule;
end
$$;
select is(
  pg_temp.retention_schedule(),
  case when exists (select 1 from pg_extension where extname = 'pg_cron')
       then '37 3 * * * do $job$ declare next_user uuid; begin loop next_user := private.roll_up_ai_events_batch(next_user); exit when next_user is null; commit; end loop; end $job$'
       else 'no pg_cron' end,
  'With pg_cron the job roll-up-ai-events runs the batches daily at 03:37 UTC, committing after each.'
);

select * from finish();
rollback;
