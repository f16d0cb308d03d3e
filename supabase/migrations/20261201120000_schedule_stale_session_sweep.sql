-- Why: the migration that added the stale wizard-session sweep scheduled it only where
-- pg_cron was already created. On Supabase (hosted and `supabase start`) pg_cron is
-- preloaded but not created until someone enables it, so the sweep was never scheduled
-- and sessions stayed active forever. Here pg_cron is created wherever the server can
-- run it in this database (postgres creates it as the platform allows, into
-- pg_catalog), and the nightly job is scheduled. Where pg_cron cannot run here, a
-- NOTICE names the reason and the one statement to run by hand (see the README).

do $$
declare
  cron_database text := pg_catalog.current_setting('cron.database_name', true);
  sweep constant text := 'select private.abandon_stale_wizard_sessions()';
  reason text;
  manual_step text := pg_catalog.format('run %s once a day from any scheduler, as postgres', sweep);
begin
  if not exists (select 1 from pg_catalog.pg_available_extensions where name = 'pg_cron') then
    reason := 'the server has no pg_cron extension';
  elsif cron_database is null or cron_database = '' then
    reason := 'pg_cron is not in shared_preload_libraries';
  elsif cron_database <> pg_catalog.current_database() then
    reason := pg_catalog.format('pg_cron runs in database %I only (cron.database_name)', cron_database);
    manual_step := pg_catalog.format('in database %I run select cron.schedule_in_database(%L, %L, %L, %L)',
                                     cron_database, 'abandon-stale-wizard-sessions', '17 3 * * *', sweep,
                                     pg_catalog.current_database());
  end if;

  if reason is null then
    create extension if not exists pg_cron with schema pg_catalog;
    -- cron.schedule with a job name replaces an existing job of that name.
    perform cron.schedule('abandon-stale-wizard-sessions', '17 3 * * *', sweep);
    raise notice 'pg_cron: abandon-stale-wizard-sessions scheduled daily at 03:17';
  else
    raise notice 'pg_cron is not available here (%), so the stale wizard-session sweep is not scheduled: %',
      reason, manual_step;
  end if;
end
$$;
