-- Why: the lifecycle trigger (20261125500100) guards UPDATEs, but authenticated may
-- also INSERT wizard_sessions directly, so a client could create a session that is
-- already completed (without a resume) or abandoned, skipping the lifecycle instead of
-- breaking it. Through the API a session now starts active and unlinked, as
-- start_wizard_session creates it; it reaches completed only through
-- complete_wizard_session (or an update that sets its resume with it).
-- A policy rather than a trigger: the rule is about what the API role may insert, and
-- an upgrade or an admin (postgres, service_role bypass RLS) may still load history.
-- A refused insert is a WITH CHECK violation: 42501, PostgREST 403.

drop policy "Owners can start their own wizard sessions on active templates" on public.wizard_sessions;
create policy "Owners can start their own wizard sessions on active templates" on public.wizard_sessions
  for insert to authenticated
  with check ((select auth.uid()) = user_id
              and template_id in (select t.id from public.templates t where t.is_active)
              and status = 'active'
              and generated_resume_id is null);

comment on policy "Owners can start their own wizard sessions on active templates" on public.wizard_sessions is
  'A signed-in user starts sessions for themselves, on an active template, active and not yet linked to a resume.';
