-- Why: update_wizard_session refuses a last_step outside 0-8, but a client updating
-- wizard_sessions directly through PostgREST could store any integer, and the wizard
-- would then open a step that does not exist. The bound is now a named CHECK that
-- binds every writer. null stays allowed (v2.0 allowed it; the RPCs read it as 0).
--
-- Existing rows outside the range are clamped to the nearest step (a negative step is
-- "not started", anything past 8 is the last step); each is archived first with its
-- original value. This fixes a counter, not the user's draft, so updated_at is kept
-- (the stale-session sweep keys on it). It runs before the lifecycle trigger
-- (20261125500100), which would refuse to touch completed or abandoned sessions.

alter table public.wizard_sessions disable trigger update_wizard_sessions_updated_at;

do $$
declare
  clamped integer;
begin
  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select w.user_id, 'wizard_sessions.last_step', pg_catalog.to_jsonb(w),
         pg_catalog.format('last_step %s is outside 0-8; clamped to %s', w.last_step,
                           least(greatest(w.last_step, 0), 8))
    from public.wizard_sessions w
   where w.last_step not between 0 and 8;

  update public.wizard_sessions w
     set last_step = least(greatest(w.last_step, 0), 8)
   where w.last_step not between 0 and 8;
  get diagnostics clamped = row_count;
  raise notice 'wizard_sessions.last_step: % rows outside 0-8 clamped and archived', clamped;
end
$$;

alter table public.wizard_sessions enable trigger update_wizard_sessions_updated_at;

alter table public.wizard_sessions
  add constraint wizard_sessions_last_step_check check (last_step between 0 and 8);

comment on column public.wizard_sessions.last_step is
  'Last step the user reached in the wizard, 0 (not started) to 8.';
