-- Why: the AI limits were checked by counting ai_events before the model call, and the
-- row was written after it, so parallel requests all passed the check (60 of 60 reached
-- the model against a limit of 30), and the count read rows a client may insert itself.
-- Admission is now one atomic step in the database, taken before any work: under a
-- per-user transaction-level advisory lock it counts the caller's admitted requests of
-- the last minute and the tokens of the UTC day, and either records the admission or
-- refuses it. Each model call then reserves an estimate of its tokens under the same
-- lock, and settles it with the real usage afterwards. The ledger lives in private,
-- where no API role can read or write, so nothing a client sends can open the limits
-- again. The functions call these as the caller (auth.uid() names the user); PostgREST
-- cannot reach them because private is not exposed.

create table if not exists private.ai_admissions (
  id uuid primary key default pg_catalog.gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  action text not null,
  admitted_at timestamptz not null default now(),
  model_calls integer not null default 0,
  reserved_tokens bigint not null default 0,
  used_tokens bigint not null default 0,
  constraint ai_admissions_action_is_short check (char_length(action) between 1 and 64),
  constraint ai_admissions_model_calls_not_negative check (model_calls >= 0),
  constraint ai_admissions_reserved_tokens_not_negative check (reserved_tokens >= 0),
  constraint ai_admissions_used_tokens_not_negative check (used_tokens >= 0)
);

create index if not exists ai_admissions_user_admitted_at on private.ai_admissions (user_id, admitted_at desc);

revoke all on table private.ai_admissions from public, anon, authenticated, service_role;

comment on table private.ai_admissions is
  'One row per AI request admitted past the limits, written only by private.admit_ai_request. '
  'A request counts from admission, whether or not it reaches the model; model_calls counts '
  'its calls (a repair turn is a second one). Rows older than two days are removed on the '
  'user''s next admission.';
comment on column private.ai_admissions.reserved_tokens is
  'Token estimates of model calls still in flight (reserved before the call, released when it settles).';
comment on column private.ai_admissions.used_tokens is
  'Real input + output tokens of the settled calls (the estimate when the model reported no usage).';

-- Serialises one user's admissions and reservations; other users never wait on it.
create or replace function private.lock_ai_usage(user_id uuid)
returns void
language sql
volatile
set search_path = ''
as $$
  select pg_advisory_xact_lock(pg_catalog.hashtextextended('ai_admission:' || user_id::text, 0));
$$;

-- The caller's usage right now: model-call slots in the last minute (an admitted request
-- holds one slot even before its first call) and tokens since midnight UTC.
create or replace function private.ai_usage(user_id uuid, out slots bigint, out oldest_slot timestamptz, out tokens_today bigint)
language sql
stable
set search_path = ''
as $$
  select coalesce(sum(greatest(a.model_calls, 1)) filter (where a.admitted_at > now() - interval '1 minute'), 0)::bigint,
         min(a.admitted_at) filter (where a.admitted_at > now() - interval '1 minute'),
         coalesce(sum(a.reserved_tokens + a.used_tokens) filter (where a.admitted_at >= date_trunc('day', now(), 'UTC')), 0)::bigint
    from private.ai_admissions a
   where a.user_id = ai_usage.user_id
     and a.admitted_at >= least(date_trunc('day', now(), 'UTC'), now() - interval '1 minute');
$$;

-- Seconds until the minute window frees a slot, and until the next UTC midnight.
create or replace function private.ai_retry_after(oldest_slot timestamptz)
returns integer
language sql
stable
set search_path = ''
as $$
  select least(60, greatest(1, ceil(extract(epoch from (coalesce(oldest_slot, now()) + interval '1 minute' - now())))))::integer;
$$;

create or replace function private.ai_budget_retry_after()
returns integer
language sql
stable
set search_path = ''
as $$
  select greatest(1, ceil(extract(epoch from (date_trunc('day', now(), 'UTC') + interval '1 day' - now()))))::integer;
$$;

-- SECURITY DEFINER (owner postgres) because the ledger is closed to every API role: the
-- caller may add an admission for themselves through this function only. refusal is
-- null when admitted, else one of unknown_user (no live auth.users row: a deleted
-- account's token), rate_limited, daily_budget_exhausted, with retry_after_seconds.
-- per_minute / daily_tokens of 0 turn that limit off.
create or replace function private.admit_ai_request(
  action text,
  per_minute integer,
  daily_tokens bigint,
  out admission_id uuid,
  out refusal text,
  out retry_after_seconds integer
)
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  caller uuid := (select auth.uid());
  usage record;
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
  select * into usage from private.ai_usage(caller);
  if per_minute > 0 and usage.slots >= per_minute then
    refusal := 'rate_limited';
    retry_after_seconds := private.ai_retry_after(usage.oldest_slot);
    return;
  end if;
  if daily_tokens > 0 and usage.tokens_today >= daily_tokens then
    refusal := 'daily_budget_exhausted';
    retry_after_seconds := private.ai_budget_retry_after();
    return;
  end if;
  delete from private.ai_admissions a where a.user_id = caller and a.admitted_at < now() - interval '2 days';
  insert into private.ai_admissions (user_id, action) values (caller, admit_ai_request.action)
  returning id into admission_id;
end
$$;

-- Before each model call of an admitted request: reserve its token estimate against the
-- day's budget, and for a second call (the repair turn) a further slot in the minute
-- window. Same lock, so parallel calls cannot overdraw either limit.
create or replace function private.reserve_ai_call(
  admission_id uuid,
  estimated_tokens bigint,
  per_minute integer,
  daily_tokens bigint,
  out refusal text,
  out retry_after_seconds integer
)
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  caller uuid := (select auth.uid());
  admission private.ai_admissions;
  usage record;
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
  select * into usage from private.ai_usage(caller);
  if admission.model_calls >= 1 and per_minute > 0 and usage.slots >= per_minute then
    refusal := 'rate_limited';
    retry_after_seconds := private.ai_retry_after(usage.oldest_slot);
    return;
  end if;
  if daily_tokens > 0 and usage.tokens_today + estimated_tokens > daily_tokens then
    refusal := 'daily_budget_exhausted';
    retry_after_seconds := private.ai_budget_retry_after();
    return;
  end if;
  update private.ai_admissions a
     set model_calls = a.model_calls + 1,
         reserved_tokens = a.reserved_tokens + estimated_tokens
   where a.id = admission.id;
end
$$;

-- After a model call: release its estimate and book the real usage (the estimate when
-- the model reported none, so a call that failed midway still counts).
create or replace function private.settle_ai_call(admission_id uuid, estimated_tokens bigint, used_tokens bigint)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
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

revoke execute on function private.lock_ai_usage(uuid), private.ai_usage(uuid), private.ai_retry_after(timestamptz),
  private.ai_budget_retry_after() from public, anon, authenticated, service_role;
revoke execute on function private.admit_ai_request(text, integer, bigint),
  private.reserve_ai_call(uuid, bigint, integer, bigint),
  private.settle_ai_call(uuid, bigint, bigint) from public, anon, service_role;
grant execute on function private.admit_ai_request(text, integer, bigint),
  private.reserve_ai_call(uuid, bigint, integer, bigint),
  private.settle_ai_call(uuid, bigint, bigint) to authenticated;

comment on function private.admit_ai_request(text, integer, bigint) is
  'Admits one AI request of the caller atomically (per-user lock), or names why not: unknown_user, rate_limited, daily_budget_exhausted (with retry_after_seconds).';
comment on function private.reserve_ai_call(uuid, bigint, integer, bigint) is
  'Reserves a model call''s token estimate (and, for a repair turn, a slot) for an admitted request, or refuses it.';
comment on function private.settle_ai_call(uuid, bigint, bigint) is
  'Replaces a model call''s reserved estimate with its real token usage.';
