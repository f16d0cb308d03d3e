-- Why: the live app opened a new wizard session on every visit, so a user could hold
-- several active drafts for the same template and the wizard resumed a random one.
-- One active session per user and template is now a rule of the table (a unique
-- partial index), which also lets start_wizard_session resume the existing session
-- race-free with INSERT ... ON CONFLICT DO NOTHING.

-- Existing duplicates: the most recently touched active session stays active, the
-- others are marked abandoned. This fixes a flag, not the user's draft, so updated_at
-- is left as it was (the stale-session sweep keys on it).
alter table public.wizard_sessions disable trigger update_wizard_sessions_updated_at;

do $$
declare
  fixed integer;
begin
  update public.wizard_sessions w
     set status = 'abandoned'
    from (
      select x.id,
             pg_catalog.row_number() over (partition by x.user_id, x.template_id
                                           order by x.updated_at desc nulls last, x.created_at desc nulls last, x.id) as n
        from public.wizard_sessions x
       where x.status = 'active'
    ) ranked
   where ranked.id = w.id and ranked.n > 1;
  get diagnostics fixed = row_count;
  raise notice 'wizard_sessions: % extra active sessions abandoned (the most recently updated one per user and template kept)', fixed;
end
$$;

alter table public.wizard_sessions enable trigger update_wizard_sessions_updated_at;

create unique index wizard_sessions_one_active_per_user_template
  on public.wizard_sessions (user_id, template_id) where status = 'active';

comment on index public.wizard_sessions_one_active_per_user_template is
  'At most one active wizard session per user and template; start_wizard_session resumes it.';
