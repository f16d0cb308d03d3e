-- Why: ai_events grows by one row per model call forever. Raw rows are only needed for
-- a while (the rate limit reads the last minute, the daily token budget today, a user
-- looking at their recent calls a few weeks); after that a per-user daily summary keeps
-- what analytics and the user's own usage history need at a fraction of the size.
-- This table holds that summary. The retention job (next migration) writes it as the
-- table owner; the owner of the data reads it under RLS, and no API role, not even
-- service_role, can change it: a summary is as append-only as the log it replaces.

create table public.ai_usage_daily (
  -- Defaults to the caller like every owner column, although no API role may insert.
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  -- The UTC calendar day of the calls (ai_events.created_at at time zone 'UTC').
  day date not null,
  provider text not null,
  model text not null,
  calls integer not null,
  errors integer not null,
  input_tokens bigint not null,
  output_tokens bigint not null,
  -- Null when no call of the group recorded a latency.
  latency_p50_ms integer,
  latency_p95_ms integer,
  rolled_up_at timestamptz not null default now(),
  constraint ai_usage_daily_pkey primary key (user_id, day, provider, model),
  constraint ai_usage_daily_calls_positive check (calls >= 1),
  constraint ai_usage_daily_errors_range check (errors between 0 and calls),
  constraint ai_usage_daily_tokens_non_negative check (input_tokens >= 0 and output_tokens >= 0),
  constraint ai_usage_daily_latency_order check (latency_p50_ms is null or latency_p95_ms is null
                                                  or latency_p50_ms <= latency_p95_ms)
);

alter table public.ai_usage_daily enable row level security;

revoke all on table public.ai_usage_daily from public, anon, authenticated, service_role;
grant select on table public.ai_usage_daily to authenticated, service_role;

create policy "Owners can view their own daily AI usage" on public.ai_usage_daily
  for select to authenticated using ((select auth.uid()) = user_id);

comment on table public.ai_usage_daily is
  'Per user, UTC day, provider and model: the AI calls rolled up from ai_events rows older than the retention period. Read-only for everyone.';
comment on column public.ai_usage_daily.user_id is 'Who made the calls.';
comment on column public.ai_usage_daily.day is 'UTC day of the calls.';
comment on column public.ai_usage_daily.provider is 'AI provider (e.g. openai).';
comment on column public.ai_usage_daily.model is 'Model name.';
comment on column public.ai_usage_daily.calls is 'Number of model calls.';
comment on column public.ai_usage_daily.errors is 'How many of them failed (status error).';
comment on column public.ai_usage_daily.input_tokens is 'Sum of prompt tokens.';
comment on column public.ai_usage_daily.output_tokens is 'Sum of completion tokens.';
comment on column public.ai_usage_daily.latency_p50_ms is 'Median latency in milliseconds (a recorded value, percentile_disc).';
comment on column public.ai_usage_daily.latency_p95_ms is '95th percentile latency in milliseconds (a recorded value, percentile_disc).';
comment on column public.ai_usage_daily.rolled_up_at is 'When the retention job wrote (or last merged into) the row.';
