-- Why: a signed-in user may insert their own ai_events rows (the functions log each
-- model call as the caller), and the AI rate limit and daily token budget are sums and
-- counts over those rows. Nothing stopped a client from inserting a row with token
-- counts of -2147483648 (which opens the budget again) or a created_at in 2099 or
-- null (which moves a call out of every window). Now:
--   - token counts and latency are zero or more (named CHECKs);
--   - created_at is never null;
--   - on insert by an API role the server sets id and created_at, whatever was sent.
-- The table owner (migrations, data loads, tests acting as postgres) may still write
-- history with its own timestamps.
-- Existing rows that break these rules were forged, not logged: they are moved to
-- private.legacy_profile_entries (source 'ai_events', the whole row) and removed, so the
-- limits stop counting them and nothing is lost.

do $$
declare
  moved integer;
begin
  with forged as (
    delete from public.ai_events e
     where e.input_tokens < 0 or e.output_tokens < 0 or e.latency_ms < 0
        or e.created_at is null or e.created_at > now() + interval '5 minutes'
    returning e.*
  )
  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select f.user_id, 'ai_events', to_jsonb(f),
         'negative token count or latency, or a missing or future created_at: not a logged model call'
    from forged f;
  get diagnostics moved = row_count;
  raise notice 'ai_events: % row(s) with negative counts or impossible timestamps archived to private.legacy_profile_entries (source ai_events)', moved;
end
$$;

alter table public.ai_events
  alter column created_at set default now(),
  alter column created_at set not null;

alter table public.ai_events
  drop constraint if exists ai_events_input_tokens_not_negative,
  add constraint ai_events_input_tokens_not_negative check (input_tokens >= 0),
  drop constraint if exists ai_events_output_tokens_not_negative,
  add constraint ai_events_output_tokens_not_negative check (output_tokens >= 0),
  drop constraint if exists ai_events_latency_ms_not_negative,
  add constraint ai_events_latency_ms_not_negative check (latency_ms >= 0);

-- SECURITY INVOKER: current_user is then the role of the inserting statement, which is
-- exactly the question (an API role, or the owner loading history).
create or replace function private.stamp_ai_event()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user in ('anon', 'authenticated', 'service_role') then
    new.id := extensions.uuid_generate_v4();
    new.created_at := pg_catalog.now();
  end if;
  return new;
end
$$;
comment on function private.stamp_ai_event() is
  'Trigger: an ai_events row inserted by an API role gets a server-chosen id and created_at, whatever the client sent.';
revoke execute on function private.stamp_ai_event() from public;

drop trigger if exists ai_events_stamped_by_server on public.ai_events;
create trigger ai_events_stamped_by_server
  before insert on public.ai_events
  for each row execute function private.stamp_ai_event();

comment on column public.ai_events.id is 'Primary key; set by the server on insert.';
comment on column public.ai_events.created_at is 'When the call was logged; set by the server on insert (a client cannot backdate or postdate it).';
comment on column public.ai_events.input_tokens is 'Prompt tokens (0 or more).';
comment on column public.ai_events.output_tokens is 'Completion tokens (0 or more).';
comment on column public.ai_events.latency_ms is 'Request latency in milliseconds (0 or more).';
