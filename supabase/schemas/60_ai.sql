-- AI: one ai_events row per model call (id and time set by the server), the admission
-- ledger that bounds calls per minute and tokens per day per user under concurrency, the
-- nightly roll-up of old events into ai_usage_daily, and the cover letters the AI writes.

-- Tables

create table public.ai_events (
  id uuid primary key default extensions.uuid_generate_v4(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  wizard_session_id uuid references public.wizard_sessions (id) on delete set null,
  provider text not null,
  model text not null,
  input_tokens integer,
  output_tokens integer,
  latency_ms integer,
  status text not null,
  error text,
  created_at timestamptz not null default now(),
  constraint ai_events_error_size check (octet_length(error) <= 4096),
  constraint ai_events_input_tokens_not_negative check (input_tokens >= 0),
  constraint ai_events_latency_ms_not_negative check (latency_ms >= 0),
  constraint ai_events_model_size check (octet_length(model) <= 200),
  constraint ai_events_output_tokens_not_negative check (output_tokens >= 0),
  constraint ai_events_provider_size check (octet_length(provider) <= 100),
  constraint ai_events_status_check check (status in ('success', 'error'))
);
alter table public.ai_events enable row level security;
comment on table public.ai_events is $$One row per AI model call, for rate limits, analytics and debugging; users can read and add their own, never change them.$$;
comment on column public.ai_events.id is $$Primary key; set by the server on insert.$$;
comment on column public.ai_events.user_id is $$Who made the call.$$;
comment on column public.ai_events.wizard_session_id is $$The wizard session the call belongs to, if any.$$;
comment on column public.ai_events.provider is $$AI provider (e.g. openai).$$;
comment on column public.ai_events.model is $$Model name.$$;
comment on column public.ai_events.input_tokens is $$Prompt tokens (0 or more).$$;
comment on column public.ai_events.output_tokens is $$Completion tokens (0 or more).$$;
comment on column public.ai_events.latency_ms is $$Request latency in milliseconds (0 or more).$$;
comment on column public.ai_events.status is $$success or error.$$;
comment on column public.ai_events.error is $$Error message when status is error.$$;
comment on column public.ai_events.created_at is $$When the call was logged; set by the server on insert (a client cannot backdate or postdate it).$$;

create table private.ai_admissions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  action text not null,
  admitted_at timestamptz not null default now(),
  model_calls integer not null default 0,
  reserved_tokens bigint not null default 0,
  used_tokens bigint not null default 0,
  constraint ai_admissions_action_is_short check ((char_length(action) >= 1) and (char_length(action) <= 64)),
  constraint ai_admissions_model_calls_not_negative check (model_calls >= 0),
  constraint ai_admissions_reserved_tokens_not_negative check (reserved_tokens >= 0),
  constraint ai_admissions_used_tokens_not_negative check (used_tokens >= 0)
);
comment on table private.ai_admissions is $$One row per AI request admitted past the limits, written only by private.admit_ai_request. A request counts from admission, whether or not it reaches the model; model_calls counts its calls (a repair turn is a second one). Rows older than two days are removed on the user’s next admission.$$;
comment on column private.ai_admissions.reserved_tokens is $$Token estimates of model calls still in flight (reserved before the call, released when it settles).$$;
comment on column private.ai_admissions.used_tokens is $$Real input + output tokens of the settled calls (the estimate when the model reported no usage).$$;

create table public.ai_usage_daily (
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  day date not null,
  provider text not null,
  model text not null,
  calls integer not null,
  errors integer not null,
  input_tokens bigint not null,
  output_tokens bigint not null,
  latency_p50_ms integer,
  latency_p95_ms integer,
  rolled_up_at timestamptz not null default now(),
  constraint ai_usage_daily_pkey primary key (user_id, day, provider, model),
  constraint ai_usage_daily_calls_positive check (calls >= 1),
  constraint ai_usage_daily_errors_range check ((errors >= 0) and (errors <= calls)),
  constraint ai_usage_daily_latency_order check ((latency_p50_ms is null) or (latency_p95_ms is null) or (latency_p50_ms <= latency_p95_ms)),
  constraint ai_usage_daily_tokens_non_negative check ((input_tokens >= 0) and (output_tokens >= 0))
);
alter table public.ai_usage_daily enable row level security;
comment on table public.ai_usage_daily is $$Per user, UTC day, provider and model: the AI calls rolled up from ai_events rows older than the retention period. Read-only for everyone.$$;
comment on column public.ai_usage_daily.user_id is $$Who made the calls.$$;
comment on column public.ai_usage_daily.day is $$UTC day of the calls.$$;
comment on column public.ai_usage_daily.provider is $$AI provider (e.g. openai).$$;
comment on column public.ai_usage_daily.model is $$Model name.$$;
comment on column public.ai_usage_daily.calls is $$Number of model calls.$$;
comment on column public.ai_usage_daily.errors is $$How many of them failed (status error).$$;
comment on column public.ai_usage_daily.input_tokens is $$Sum of prompt tokens.$$;
comment on column public.ai_usage_daily.output_tokens is $$Sum of completion tokens.$$;
comment on column public.ai_usage_daily.latency_p50_ms is $$Median latency in milliseconds (a recorded value, percentile_disc).$$;
comment on column public.ai_usage_daily.latency_p95_ms is $$95th percentile latency in milliseconds (a recorded value, percentile_disc).$$;
comment on column public.ai_usage_daily.rolled_up_at is $$When the retention job wrote (or last merged into) the row.$$;

create table private.ai_events_retention (
  singleton boolean primary key default true,
  keep_days integer not null default 90,
  batch_users integer not null default 50,
  updated_at timestamptz not null default now(),
  constraint ai_events_retention_batch_users_range check ((batch_users >= 1) and (batch_users <= 10000)),
  constraint ai_events_retention_keep_days_range check ((keep_days >= 1) and (keep_days <= 3650)),
  constraint ai_events_retention_one_row check (singleton)
);
comment on table private.ai_events_retention is $$Retention of raw ai_events: rows older than keep_days UTC days are rolled up into ai_usage_daily nightly, batch_users users (default 50, ~2 MB of WAL) per transaction.$$;

create table public.cover_letters (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  job_id uuid not null references public.jobs (id) on delete cascade,
  generated_resume_id uuid references public.generated_resumes (id) on delete set null,
  resume_version integer,
  content text not null,
  word_count integer not null default 0,
  model text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint cover_letters_content_length check (char_length(content) <= 20000),
  constraint cover_letters_content_not_blank check (btrim(content) <> ''),
  constraint cover_letters_model_length check ((model is null) or ((char_length(model) >= 1) and (char_length(model) <= 200))),
  constraint cover_letters_resume_version_positive check ((resume_version is null) or (resume_version >= 1)),
  constraint cover_letters_word_count_range check ((word_count >= 1) and (word_count <= 2000))
);
alter table public.cover_letters enable row level security;
comment on table public.cover_letters is $$Cover letters written for a tracked job, usually by the ai function’s cover-letter action from a generated resume version.$$;
comment on column public.cover_letters.job_id is $$The job the letter applies for; one of the owner’s jobs. Deleting the job deletes its letters.$$;
comment on column public.cover_letters.generated_resume_id is $$The generated resume the letter was written from, if any; one of the owner’s. Set to null when that resume is deleted.$$;
comment on column public.cover_letters.resume_version is $$Version number of that generated resume which was used (1..n), if any.$$;
comment on column public.cover_letters.content is $$The letter as plain text (paragraphs separated by blank lines); not blank, at most 20000 characters.$$;
comment on column public.cover_letters.word_count is $$Number of words in content (1-2000), computed by the database on every write.$$;
comment on column public.cover_letters.model is $$The AI model that wrote the letter, if any.$$;
comment on column public.cover_letters.created_at is $$When the letter was written.$$;
comment on column public.cover_letters.updated_at is $$When the letter last changed (set by trigger).$$;

-- Functions the indexes, triggers and policies below call (they must exist first)

-- The log keeps the first 4 KB of an error instead of refusing the row.
create function private.stamp_ai_event() returns trigger language plpgsql set search_path = '' as $$
begin
  if current_user in ('anon', 'authenticated', 'service_role') then
    new.id := extensions.uuid_generate_v4();
    new.created_at := pg_catalog.now();
  end if;
  if pg_catalog.octet_length(new.error) > 4096 then
    new.error := private.cut_to_bytes(new.error, 4096);
  end if;
  return new;
end
$$;
comment on function private.stamp_ai_event() is $$Trigger: an ai_events row inserted by an API role gets a server-chosen id and created_at, whatever the client sent; an error message is cut to 4 KB.$$;

-- Serialises one user's admissions and reservations; other users never wait on it.
create function private.lock_ai_usage(user_id uuid) returns void language sql volatile set search_path = '' as $$
  select pg_advisory_xact_lock(pg_catalog.hashtextextended('ai_admission:' || user_id::text, 0));
$$;
comment on function private.lock_ai_usage(user_id uuid) is $$Takes the transaction lock that serialises one user’s AI admissions and reservations.$$;

-- The caller's usage right now: model-call slots in the last minute (an admitted request
-- holds one slot even before its first call) and tokens since midnight UTC: reserved by
-- calls in flight and used (tokens_today), and used only (used_today).
create function private.ai_usage(user_id uuid, out slots bigint, out oldest_slot timestamptz, out tokens_today bigint, out used_today bigint) language sql stable set search_path = '' as $$
  select coalesce(sum(greatest(a.model_calls, 1)) filter (where a.admitted_at > now() - interval '1 minute'), 0)::bigint,
         min(a.admitted_at) filter (where a.admitted_at > now() - interval '1 minute'),
         coalesce(sum(a.reserved_tokens + a.used_tokens) filter (where a.admitted_at >= date_trunc('day', now(), 'UTC')), 0)::bigint,
         coalesce(sum(a.used_tokens) filter (where a.admitted_at >= date_trunc('day', now(), 'UTC')), 0)::bigint
    from private.ai_admissions a
   where a.user_id = ai_usage.user_id
     and a.admitted_at >= least(date_trunc('day', now(), 'UTC'), now() - interval '1 minute');
$$;
comment on function private.ai_usage(user_id uuid, out slots bigint, out oldest_slot timestamptz, out tokens_today bigint, out used_today bigint) is $$A user’s AI usage now: model-call slots in the last minute and the oldest of them, tokens reserved or used since midnight UTC, and tokens used.$$;

-- Seconds until the minute window frees a slot, and until the next UTC midnight.
create function private.ai_retry_after(oldest_slot timestamptz) returns integer language sql stable set search_path = '' as $$
  select least(60, greatest(1, ceil(extract(epoch from (coalesce(oldest_slot, now()) + interval '1 minute' - now())))))::integer;
$$;
comment on function private.ai_retry_after(oldest_slot timestamptz) is $$Seconds until the oldest model-call slot leaves the one-minute window (1 to 60).$$;

create function private.ai_budget_retry_after() returns integer language sql stable set search_path = '' as $$
  select greatest(1, ceil(extract(epoch from (date_trunc('day', now(), 'UTC') + interval '1 day' - now()))))::integer;
$$;
comment on function private.ai_budget_retry_after() is $$Seconds until the next UTC midnight, when the day’s token budget starts again (at least 1).$$;

-- When only calls in flight fill the budget: a model call settles within seconds (the
-- model's own timeout bounds it), so the caller retries soon, not at midnight.
create function private.ai_budget_busy_retry_after() returns integer language sql immutable set search_path = '' as $$
  select 5;
$$;
comment on function private.ai_budget_busy_retry_after() is $$Seconds to wait when only calls in flight fill the day’s token budget: they settle within seconds, so the caller retries soon.$$;

-- The limits' rule, for admission and reservation alike (under the user's lock): a full
-- minute window (per_minute > 0) is rate_limited; a day's budget (daily_tokens > 0) with
-- no room for needed_tokens is ai_budget_busy when it would fit once the calls in flight
-- settle (seconds), else daily_budget_exhausted (midnight UTC). Null refusal: within both.
create function private.ai_limit_refusal(user_id uuid, per_minute integer, daily_tokens bigint, needed_tokens bigint,
  out refusal text, out retry_after_seconds integer) language plpgsql stable set search_path = '' as $$
declare
  usage record;
begin
  select * into usage from private.ai_usage(ai_limit_refusal.user_id);
  if per_minute > 0 and usage.slots >= per_minute then
    refusal := 'rate_limited';
    retry_after_seconds := private.ai_retry_after(usage.oldest_slot);
  elsif daily_tokens > 0 and usage.tokens_today + needed_tokens > daily_tokens then
    if usage.used_today + needed_tokens <= daily_tokens then
      refusal := 'ai_budget_busy';
      retry_after_seconds := private.ai_budget_busy_retry_after();
    else
      refusal := 'daily_budget_exhausted';
      retry_after_seconds := private.ai_budget_retry_after();
    end if;
  end if;
end
$$;
comment on function private.ai_limit_refusal(user_id uuid, per_minute integer, daily_tokens bigint, needed_tokens bigint, OUT refusal text, OUT retry_after_seconds integer) is $$The AI limits' rule, for admission and reservation: rate_limited (full minute window), ai_budget_busy (the day’s budget would fit once calls in flight settle) or daily_budget_exhausted, with the seconds to wait; null refusal when needed_tokens fits.$$;

-- SECURITY DEFINER (owner postgres) because the ledger is closed to every API role: the
-- caller may add an admission for themselves through this function only. refusal is
-- null when admitted, else one of unknown_user (no live auth.users row: a deleted
-- account's token), rate_limited, ai_budget_busy (calls in flight fill the day's budget:
-- retry in seconds), daily_budget_exhausted (used up: retry at midnight UTC), with retry_after_seconds.
-- per_minute / daily_tokens of 0 turn that limit off.
create function private.admit_ai_request(
  action text,
  per_minute integer,
  daily_tokens bigint,
  out admission_id uuid,
  out refusal text,
  out retry_after_seconds integer
) language plpgsql volatile security definer set search_path = '' as $$
declare
  caller uuid := (select auth.uid());
begin
  if caller is null then
    refusal := 'unknown_user';
    return;
  end if;
  if per_minute is null or per_minute < 0 or daily_tokens is null or daily_tokens < 0 then
    raise exception 'limits must be zero or more' using errcode = '22023';
  end if;
  perform private.lock_ai_usage(caller);
  if not exists (select 1 from auth.users u where u.id = caller and u.deleted_at is null) then
    refusal := 'unknown_user';
    return;
  end if;
  -- A request takes a slot of the minute and needs room for at least one token today.
  select * into refusal, retry_after_seconds from private.ai_limit_refusal(caller, per_minute, daily_tokens, 1);
  if refusal is not null then
    return;
  end if;
  delete from private.ai_admissions a where a.user_id = caller and a.admitted_at < now() - interval '2 days';
  insert into private.ai_admissions (user_id, action) values (caller, admit_ai_request.action)
  returning id into admission_id;
end
$$;
grant execute on function private.admit_ai_request(action text, per_minute integer, daily_tokens bigint, OUT admission_id uuid, OUT refusal text, OUT retry_after_seconds integer) to authenticated;
comment on function private.admit_ai_request(action text, per_minute integer, daily_tokens bigint, OUT admission_id uuid, OUT refusal text, OUT retry_after_seconds integer) is $$Admits one AI request of the caller atomically (per-user lock), or names why not: unknown_user, rate_limited, ai_budget_busy (calls in flight fill the budget), daily_budget_exhausted (with retry_after_seconds).$$;

-- Before each model call of an admitted request: reserve its token estimate against the
-- day's budget, and for a second call (the repair turn) a further slot in the minute
-- window. Same lock, so parallel calls cannot overdraw either limit.
create function private.reserve_ai_call(
  admission_id uuid,
  estimated_tokens bigint,
  per_minute integer,
  daily_tokens bigint,
  out refusal text,
  out retry_after_seconds integer
) language plpgsql volatile security definer set search_path = '' as $$
declare
  caller uuid := (select auth.uid());
  admission private.ai_admissions;
begin
  if estimated_tokens is null or estimated_tokens < 0 or per_minute is null or per_minute < 0
     or daily_tokens is null or daily_tokens < 0 then
    raise exception 'the estimate and the limits must be zero or more' using errcode = '22023';
  end if;
  if caller is null then
    refusal := 'unknown_user';
    return;
  end if;
  perform private.lock_ai_usage(caller);
  select * into admission from private.ai_admissions a where a.id = admission_id and a.user_id = caller;
  if not found then
    refusal := 'unknown_admission';
    return;
  end if;
  -- The first call uses the admission's slot; a second (the repair turn) needs another.
  select * into refusal, retry_after_seconds
    from private.ai_limit_refusal(caller, case when admission.model_calls >= 1 then per_minute else 0 end,
                                  daily_tokens, estimated_tokens);
  if refusal is not null then
    return;
  end if;
  update private.ai_admissions a
     set model_calls = a.model_calls + 1,
         reserved_tokens = a.reserved_tokens + estimated_tokens
   where a.id = admission.id;
end
$$;
grant execute on function private.reserve_ai_call(admission_id uuid, estimated_tokens bigint, per_minute integer, daily_tokens bigint, OUT refusal text, OUT retry_after_seconds integer) to authenticated;
comment on function private.reserve_ai_call(admission_id uuid, estimated_tokens bigint, per_minute integer, daily_tokens bigint, OUT refusal text, OUT retry_after_seconds integer) is $$Reserves a model call’s token estimate (and, for a repair turn, a slot) for an admitted request, or refuses it.$$;

-- After a model call: release its estimate and book the real usage (the estimate when
-- the model reported none, so a call that failed midway still counts).
create function private.settle_ai_call(admission_id uuid, estimated_tokens bigint, used_tokens bigint)
returns void language plpgsql volatile security definer set search_path = '' as $$
begin
  if estimated_tokens is null or estimated_tokens < 0 or (used_tokens is not null and used_tokens < 0) then
    raise exception 'token counts must be zero or more' using errcode = '22023';
  end if;
  update private.ai_admissions a
     set reserved_tokens = greatest(a.reserved_tokens - estimated_tokens, 0),
         used_tokens = a.used_tokens + coalesce(settle_ai_call.used_tokens, estimated_tokens)
   where a.id = admission_id
     and a.user_id = (select auth.uid());
end
$$;
grant execute on function private.settle_ai_call(admission_id uuid, estimated_tokens bigint, used_tokens bigint) to authenticated;
comment on function private.settle_ai_call(admission_id uuid, estimated_tokens bigint, used_tokens bigint) is $$Replaces a model call’s reserved estimate with its real token usage.$$;

-- The oldest instant whose rows are kept, for a run that starts at `at`.
create function private.ai_events_cutoff(at timestamptz) returns timestamptz language sql stable set search_path = '' as $$
  select (pg_catalog.date_trunc('day', at at time zone 'UTC')
          - pg_catalog.make_interval(days => r.keep_days)) at time zone 'UTC'
    from private.ai_events_retention r
$$;
comment on function private.ai_events_cutoff(at timestamp with time zone) is $$UTC midnight keep_days days before the day of `at`: ai_events rows created before it are rolled up and deleted.$$;

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
create function private.roll_up_ai_events_batch(after_user uuid) returns uuid language plpgsql volatile set search_path = '' as $$
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
comment on function private.roll_up_ai_events_batch(after_user uuid) is $$One transaction’s worth of retention: moves the ai_events rows older than the cut-off of the next batch_users users after after_user into ai_usage_daily; returns the cursor for the next call, null when done.$$;

-- Words = runs of non-space characters; whatever the writer passed is replaced.
create function private.count_cover_letter_words() returns trigger language plpgsql set search_path = '' as $$
begin
  -- A blank letter counts 0 words, which the word_count check then refuses.
  if pg_catalog.btrim(coalesce(new.content, '')) = '' then
    new.word_count := 0;
  else
    new.word_count := pg_catalog.array_length(
      pg_catalog.regexp_split_to_array(pg_catalog.btrim(new.content), '\s+'), 1);
  end if;
  return new;
end
$$;
comment on function private.count_cover_letter_words() is $$Trigger: sets cover_letters.word_count from content on every insert and content change.$$;

-- Indexes

create index idx_ai_events_provider_model on public.ai_events (provider, model);
create index idx_ai_events_status on public.ai_events (status);
create index idx_ai_events_user_created on public.ai_events (user_id, created_at desc);
create index idx_ai_events_wizard_session_id on public.ai_events (wizard_session_id);
create index ai_admissions_user_admitted_at on private.ai_admissions (user_id, admitted_at desc);
create index idx_cover_letters_generated_resume_id on public.cover_letters (generated_resume_id);
create index idx_cover_letters_job_id on public.cover_letters (job_id);
create index idx_cover_letters_user_created on public.cover_letters (user_id, created_at desc);

-- Triggers

create trigger ai_events_stamped_by_server before insert on public.ai_events
  for each row execute function private.stamp_ai_event();

create trigger count_cover_letter_words before insert or update of content on public.cover_letters
  for each row execute function private.count_cover_letter_words();

-- Policies and grants

call private.create_owner_policies('public.ai_events',
  'Owners can view their own AI events',
  'Owners can log AI events for themselves and their own wizard sessions',
  null,
  null,
  insert_references => '{wizard_session_id}');
comment on policy "Owners can log AI events for themselves and their own wizard se" on public.ai_events is $$An AI call is logged under the caller’s own user_id and, if any, one of the caller’s own wizard sessions.$$;

call private.grant_table_access('public.ai_events', may_delete => false,
  insert_columns => '{user_id, wizard_session_id, provider, model, input_tokens, output_tokens, latency_ms, status, error}');

call private.create_owner_policies('public.ai_usage_daily', 'Owners can view their own daily AI usage', null, null, null);

revoke all on table public.ai_usage_daily from anon, authenticated, service_role;
grant select on table public.ai_usage_daily to authenticated;
grant select on table public.ai_usage_daily to service_role;

call private.create_owner_policies('public.cover_letters',
  'Owners can view their own cover letters',
  'Owners can add cover letters for their own jobs and resumes',
  'Owners can edit their own cover letters',
  'Owners can delete their own cover letters',
  insert_references => '{job_id, generated_resume_id}');

call private.grant_table_access('public.cover_letters', may_delete => true,
  insert_columns => '{id, user_id, job_id, generated_resume_id, resume_version, content, model}',
  update_columns => '{content}');

-- Retention settings: one row, the defaults.
insert into private.ai_events_retention (singleton) values (true) on conflict (singleton) do nothing;

-- Scheduled jobs

-- Nightly at 03:37 UTC: raw ai_events older than keep_days are rolled up into
-- ai_usage_daily, one batch of users per transaction.
call private.schedule_job('roll-up-ai-events', '37 3 * * *',
  'do $job$ declare next_user uuid; begin loop next_user := private.roll_up_ai_events_batch(next_user); exit when next_user is null; commit; end loop; end $job$');

