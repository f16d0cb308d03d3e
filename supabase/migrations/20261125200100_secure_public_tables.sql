-- Why: every table in public is reachable through PostgREST, and the database is the
-- only guard. v2.0 leaned on Supabase's automatic grants (ALL to anon and
-- authenticated) with RLS as the single barrier, let an owner rewrite user_id, let
-- every signed-in user read inactive templates, rewrite and delete resume versions and
-- point rows at other users' wizard sessions. Here each table gets exactly the
-- privileges each role needs and one policy per command, so that both grant regimes
-- end in the same state.
--
-- Roles: anon gets nothing on any table (the public share page goes through the
-- get_public_generated_resume RPC). authenticated gets per-table privileges below,
-- bounded by the policies. service_role (the edge functions' key; it bypasses RLS)
-- gets select/insert/update/delete on every table, nothing more (no truncate).

-- Start from nothing, whatever v2.0 or the platform granted.
revoke all on table
  public.user_profile, public.user_skills, public.user_work_experience, public.user_education,
  public.user_languages, public.jobs, public.job_status_events, public.resumes,
  public.resume_builder_data, public.templates, public.wizard_sessions, public.generated_resumes,
  public.generated_resume_versions, public.ai_events
  from public, anon, authenticated, service_role;
revoke all on all sequences in schema public from public, anon, authenticated, service_role;

-- Drop every existing policy on these tables (v2.0's and any earlier v2.1 ones): the
-- policies below are the complete set.
do $$
declare
  p record;
begin
  for p in
    select policyname, tablename
      from pg_policies
     where schemaname = 'public'
       and tablename in ('user_profile', 'user_skills', 'user_work_experience', 'user_education',
                         'user_languages', 'jobs', 'job_status_events', 'resumes',
                         'resume_builder_data', 'templates', 'wizard_sessions', 'generated_resumes',
                         'generated_resume_versions', 'ai_events')
  loop
    execute format('drop policy %I on public.%I', p.policyname, p.tablename);
  end loop;
end
$$;

alter table public.user_profile enable row level security;
alter table public.user_skills enable row level security;
alter table public.user_work_experience enable row level security;
alter table public.user_education enable row level security;
alter table public.user_languages enable row level security;
alter table public.jobs enable row level security;
alter table public.job_status_events enable row level security;
alter table public.resumes enable row level security;
alter table public.resume_builder_data enable row level security;
alter table public.templates enable row level security;
alter table public.wizard_sessions enable row level security;
alter table public.generated_resumes enable row level security;
alter table public.generated_resume_versions enable row level security;
alter table public.ai_events enable row level security;

-- Grants -----------------------------------------------------------------------------

grant select, insert, update, delete on table
  public.user_profile, public.user_skills, public.user_work_experience, public.user_education,
  public.user_languages, public.jobs, public.job_status_events, public.resumes,
  public.resume_builder_data, public.templates, public.wizard_sessions, public.generated_resumes,
  public.generated_resume_versions, public.ai_events
  to service_role;
grant usage, select on all sequences in schema public to service_role;

-- Owned tables: the owner reads, adds and removes whole rows.
grant select, insert, delete on table
  public.user_profile, public.user_skills, public.user_work_experience, public.user_education,
  public.user_languages, public.jobs, public.resumes, public.resume_builder_data,
  public.wizard_sessions
  to authenticated;
-- Share-link columns are written only by create_share_link / revoke_share_link, so a
-- client can neither pick a guessable token nor reset the view count.
grant select, delete on table public.generated_resumes to authenticated;
-- Append-only: an AI call log and a written resume version never change afterwards.
grant select, insert on table public.ai_events, public.generated_resume_versions to authenticated;
-- Written only by the jobs trigger; the owner reads its history.
grant select on table public.job_status_events to authenticated;
-- Only service_role manages the template catalogue.
grant select on table public.templates to authenticated;

-- UPDATE (and for generated_resumes INSERT) is granted column by column: the owner may
-- change every column except the row's identity (id, user_id: no moving a row to
-- another user), its creation time, the template of a wizard session or generated
-- resume (fixed at creation, see the policies), generated_resumes.current_version (kept
-- equal to the newest version by trigger) and the share-link columns. A column added later
-- starts without the grant until a migration decides.
do $$
declare
  t record;
  cols text;
begin
  for t in
    select * from (values
      ('user_profile', 'update', array['id', 'user_id', 'created_at']),
      ('user_skills', 'update', array['id', 'user_id', 'created_at']),
      ('user_work_experience', 'update', array['id', 'user_id', 'created_at']),
      ('user_education', 'update', array['id', 'user_id', 'created_at']),
      ('user_languages', 'update', array['id', 'user_id', 'created_at']),
      ('jobs', 'update', array['id', 'user_id', 'created_at']),
      ('resumes', 'update', array['id', 'user_id', 'created_at']),
      ('resume_builder_data', 'update', array['id', 'user_id', 'created_at']),
      ('wizard_sessions', 'update', array['id', 'user_id', 'created_at', 'template_id']),
      ('generated_resumes', 'update', array['id', 'user_id', 'created_at', 'template_id', 'share_token', 'current_version']),
      ('generated_resumes', 'insert', array['share_token', 'current_version'])
    ) as v(table_name, privilege, excluded)
  loop
    select string_agg(quote_ident(a.attname), ', ' order by a.attnum)
      into cols
      from pg_attribute a
     where a.attrelid = format('public.%I', t.table_name)::regclass
       and a.attnum > 0
       and not a.attisdropped
       and a.attgenerated = ''
       and a.attname <> all (t.excluded);
    execute format('grant %s (%s) on table public.%I to authenticated', t.privilege, cols, t.table_name);
  end loop;
end
$$;

-- Policies: one per command, for authenticated only ---------------------------------
-- (select auth.uid()) is evaluated once per statement, not once per row.

create policy "Owners can view their own profile" on public.user_profile
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "Owners can create their own profile" on public.user_profile
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "Owners can update their own profile" on public.user_profile
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "Owners can delete their own profile" on public.user_profile
  for delete to authenticated using ((select auth.uid()) = user_id);

create policy "Owners can view their own skills" on public.user_skills
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "Owners can add their own skills" on public.user_skills
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "Owners can update their own skills" on public.user_skills
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "Owners can delete their own skills" on public.user_skills
  for delete to authenticated using ((select auth.uid()) = user_id);

create policy "Owners can view their own work experience" on public.user_work_experience
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "Owners can add their own work experience" on public.user_work_experience
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "Owners can update their own work experience" on public.user_work_experience
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "Owners can delete their own work experience" on public.user_work_experience
  for delete to authenticated using ((select auth.uid()) = user_id);

create policy "Owners can view their own education" on public.user_education
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "Owners can add their own education" on public.user_education
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "Owners can update their own education" on public.user_education
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "Owners can delete their own education" on public.user_education
  for delete to authenticated using ((select auth.uid()) = user_id);

create policy "Owners can view their own languages" on public.user_languages
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "Owners can add their own languages" on public.user_languages
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "Owners can update their own languages" on public.user_languages
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "Owners can delete their own languages" on public.user_languages
  for delete to authenticated using ((select auth.uid()) = user_id);

create policy "Owners can view their own jobs" on public.jobs
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "Owners can add their own jobs" on public.jobs
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "Owners can update their own jobs" on public.jobs
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "Owners can delete their own jobs" on public.jobs
  for delete to authenticated using ((select auth.uid()) = user_id);

create policy "Owners can view the status history of their own jobs" on public.job_status_events
  for select to authenticated using ((select auth.uid()) = user_id);

create policy "Owners can view their own resume files" on public.resumes
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "Owners can add their own resume files" on public.resumes
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "Owners can update their own resume files" on public.resumes
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "Owners can delete their own resume files" on public.resumes
  for delete to authenticated using ((select auth.uid()) = user_id);

create policy "Owners can view their own builder resumes" on public.resume_builder_data
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "Owners can add their own builder resumes" on public.resume_builder_data
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "Owners can update their own builder resumes" on public.resume_builder_data
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "Owners can delete their own builder resumes" on public.resume_builder_data
  for delete to authenticated using ((select auth.uid()) = user_id);

create policy "Signed-in users can view active templates" on public.templates
  for select to authenticated using (is_active);

-- A session or generated resume may only be built on an active template (inactive
-- ones are invisible to the caller, so the subquery sees active ones only anyway). The
-- template is chosen at creation: template_id has no UPDATE grant, so an update needs
-- no template check and deactivating a template does not freeze its sessions.
create policy "Owners can view their own wizard sessions" on public.wizard_sessions
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "Owners can start their own wizard sessions on active templates" on public.wizard_sessions
  for insert to authenticated
  with check ((select auth.uid()) = user_id
              and template_id in (select t.id from public.templates t where t.is_active));
create policy "Owners can update their own wizard sessions" on public.wizard_sessions
  for update to authenticated
  using ((select auth.uid()) = user_id)
  with check ((select auth.uid()) = user_id);
create policy "Owners can delete their own wizard sessions" on public.wizard_sessions
  for delete to authenticated using ((select auth.uid()) = user_id);

create policy "Owners can view their own generated resumes" on public.generated_resumes
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "Owners can create their own generated resumes on active templates" on public.generated_resumes
  for insert to authenticated
  with check ((select auth.uid()) = user_id
              and template_id in (select t.id from public.templates t where t.is_active));
create policy "Owners can update their own generated resumes" on public.generated_resumes
  for update to authenticated
  using ((select auth.uid()) = user_id)
  with check ((select auth.uid()) = user_id);
create policy "Owners can delete their own generated resumes" on public.generated_resumes
  for delete to authenticated using ((select auth.uid()) = user_id);

create policy "Owners can view the versions of their own generated resumes" on public.generated_resume_versions
  for select to authenticated
  using (generated_resume_id in (select gr.id from public.generated_resumes gr where gr.user_id = (select auth.uid())));
create policy "Owners can add versions to their own generated resumes" on public.generated_resume_versions
  for insert to authenticated
  with check (generated_resume_id in (select gr.id from public.generated_resumes gr where gr.user_id = (select auth.uid())));

create policy "Owners can view their own AI events" on public.ai_events
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "Owners can log AI events for themselves and their own wizard sessions" on public.ai_events
  for insert to authenticated
  with check ((select auth.uid()) = user_id
              and (wizard_session_id is null
                   or wizard_session_id in (select ws.id from public.wizard_sessions ws
                                             where ws.user_id = (select auth.uid()))));

-- An index behind every column a policy filters on. Most exist already (issue 3's
-- indexes lead with user_id); create one only where no index leads with the column.
do $$
declare
  c record;
begin
  for c in
    select * from (values
      ('user_profile', 'user_id'), ('user_skills', 'user_id'), ('user_work_experience', 'user_id'),
      ('user_education', 'user_id'), ('user_languages', 'user_id'), ('jobs', 'user_id'),
      ('job_status_events', 'user_id'), ('resumes', 'user_id'), ('resume_builder_data', 'user_id'),
      ('templates', 'is_active'), ('wizard_sessions', 'user_id'), ('generated_resumes', 'user_id'),
      ('generated_resume_versions', 'generated_resume_id'), ('ai_events', 'user_id'),
      ('ai_events', 'wizard_session_id')
    ) as v(table_name, column_name)
  loop
    if not exists (
      select 1
        from pg_index i
        join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
       where i.indrelid = format('public.%I', c.table_name)::regclass
         and ((a.attname = c.column_name and i.indpred is null)
              -- a partial index "where is_active" serves the templates policy too
              or pg_get_expr(i.indpred, i.indrelid) = c.column_name)
    ) then
      execute format('create index %I on public.%I (%I)',
                     format('idx_%s_%s', c.table_name, c.column_name), c.table_name, c.column_name);
    end if;
  end loop;
end
$$;

comment on policy "Owners can log AI events for themselves and their own wizard sessions" on public.ai_events is
  'An AI call is logged under the caller''s own user_id and, if any, one of the caller''s own wizard sessions.';
