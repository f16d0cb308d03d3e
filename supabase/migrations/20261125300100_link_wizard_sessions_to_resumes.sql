-- Why: completing a wizard session must be idempotent, also when the client retries
-- or double-clicks and two requests race. The session records the resume it produced,
-- so a second complete_wizard_session returns that resume instead of creating another.
-- The link may only point at one of the caller's own resumes, and only a completed
-- session carries one.

alter table public.wizard_sessions
  add column generated_resume_id uuid references public.generated_resumes (id) on delete set null;

alter table public.wizard_sessions
  add constraint wizard_sessions_resume_only_when_completed
  check (generated_resume_id is null or status = 'completed');

-- Behind the foreign key: deleting a generated resume finds its session by index.
create index idx_wizard_sessions_generated_resume_id on public.wizard_sessions (generated_resume_id);

comment on column public.wizard_sessions.generated_resume_id is
  'The generated resume complete_wizard_session made from this session; null until completed, or when that resume was deleted.';

-- The table-level INSERT grant already covers the new column; UPDATE is column by
-- column (20261125200100), so grant it here: complete_wizard_session runs as the caller.
grant update (generated_resume_id) on table public.wizard_sessions to authenticated;

-- The insert and update policies gain one rule: a session may only link one of the
-- caller's own generated resumes (a foreign key check alone ignores RLS, and would
-- also tell a prober which resume ids exist).
drop policy "Owners can start their own wizard sessions on active templates" on public.wizard_sessions;
create policy "Owners can start their own wizard sessions on active templates" on public.wizard_sessions
  for insert to authenticated
  with check ((select auth.uid()) = user_id
              and template_id in (select t.id from public.templates t where t.is_active)
              and (generated_resume_id is null
                   or generated_resume_id in (select gr.id from public.generated_resumes gr
                                               where gr.user_id = (select auth.uid()))));

drop policy "Owners can update their own wizard sessions" on public.wizard_sessions;
create policy "Owners can update their own wizard sessions" on public.wizard_sessions
  for update to authenticated
  using ((select auth.uid()) = user_id)
  with check ((select auth.uid()) = user_id
              and (generated_resume_id is null
                   or generated_resume_id in (select gr.id from public.generated_resumes gr
                                               where gr.user_id = (select auth.uid()))));
