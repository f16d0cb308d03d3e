-- Why: a session the user walked away from stays active forever, blocks nothing but
-- clutters "resume your wizard" and the one-active-session index. Sessions untouched
-- for 30 days are marked abandoned by a nightly job. pg_cron exists on Supabase but
-- not in every database this migration runs in, so the schedule is only created where
-- the extension is installed; the function works (and is tested) either way.

-- Invoker, run by the cron job as postgres (the owner, which bypasses RLS); no API
-- role may call it.
create function private.abandon_stale_wizard_sessions()
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
  abandoned integer;
begin
  update public.wizard_sessions w
     set status = 'abandoned'
   where w.status = 'active'
     and coalesce(w.updated_at, w.created_at, '-infinity'::timestamptz) < pg_catalog.now() - interval '30 days';
  get diagnostics abandoned = row_count;
  return abandoned;
end
$$;

comment on function private.abandon_stale_wizard_sessions() is
  'Marks active wizard sessions not updated for 30 days abandoned and returns how many; run nightly by pg_cron job abandon-stale-wizard-sessions.';

revoke all on function private.abandon_stale_wizard_sessions() from public, anon, authenticated, service_role;

do $$
begin
  if exists (select 1 from pg_catalog.pg_extension where extname = 'pg_cron') then
    -- cron.schedule with a job name replaces an existing job of that name.
    perform cron.schedule('abandon-stale-wizard-sessions', '17 3 * * *',
                          'select private.abandon_stale_wizard_sessions()');
    raise notice 'pg_cron: abandon-stale-wizard-sessions scheduled daily at 03:17';
  else
    raise notice 'pg_cron is not installed: schedule select private.abandon_stale_wizard_sessions() daily elsewhere';
  end if;
end
$$;
