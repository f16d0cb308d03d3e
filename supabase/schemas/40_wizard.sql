-- Wizard: the AI resume wizard's sessions. One active session per user and template; a
-- completed or abandoned session no longer changes; the RPCs start (resuming an active
-- one), patch, complete (creating the generated resume with version 1, idempotently) and
-- abandon sessions, and a nightly job abandons sessions untouched for 30 days.

-- Tables

create table public.wizard_sessions (
  id uuid primary key default extensions.uuid_generate_v4(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  template_id uuid not null references public.templates (id) on delete restrict,
  draft_json jsonb default '{}'::jsonb,
  progress jsonb default '{}'::jsonb,
  status text not null default 'active',
  last_step integer default 0,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  generated_resume_id uuid references public.generated_resumes (id) on delete set null,
  constraint wizard_sessions_draft_json_check check (jsonb_typeof(draft_json) = 'object'),
  constraint wizard_sessions_draft_json_size check (octet_length(draft_json::text) <= 524288),
  constraint wizard_sessions_last_step_check check ((last_step >= 0) and (last_step <= 8)),
  constraint wizard_sessions_progress_size check (octet_length(progress::text) <= 16384),
  constraint wizard_sessions_resume_only_when_completed check ((generated_resume_id is null) or (status = 'completed')),
  constraint wizard_sessions_status_check check (status in ('active', 'completed', 'abandoned'))
);
alter table public.wizard_sessions enable row level security;
comment on table public.wizard_sessions is $$AI resume wizard sessions.$$;
comment on column public.wizard_sessions.template_id is $$The template chosen.$$;
comment on column public.wizard_sessions.draft_json is $$The draft resume, a JSON object (profile, experience, education, skills, languages, targetRole).$$;
comment on column public.wizard_sessions.progress is $$Wizard progress, e.g. {"step": 3, "step1": true}.$$;
comment on column public.wizard_sessions.status is $$active, completed or abandoned.$$;
comment on column public.wizard_sessions.last_step is $$Last step the user reached in the wizard, 0 (not started) to 8.$$;
comment on column public.wizard_sessions.generated_resume_id is $$The generated resume complete_wizard_session made from this session; null until completed, or when that resume was deleted.$$;

-- Functions the indexes, triggers and policies below call (they must exist first)

create function private.enforce_wizard_session_lifecycle() returns trigger language plpgsql set search_path = '' as $$
begin
  if old.status = 'active' then
    if new.status = 'completed' and new.generated_resume_id is null then
      raise exception using
        errcode = 'PT409',
        message = 'a wizard session can only be completed with its generated resume',
        hint = 'Call complete_wizard_session, which creates the resume and completes the session.';
    end if;
    return new;
  end if;

  -- A completed or abandoned session: everything but generated_resume_id (and the
  -- updated_at stamp) must stay as it is, and the link may only be cleared.
  if new.status is distinct from old.status
     or new.draft_json is distinct from old.draft_json
     or new.progress is distinct from old.progress
     or new.last_step is distinct from old.last_step
     or new.user_id is distinct from old.user_id
     or new.template_id is distinct from old.template_id
     or new.created_at is distinct from old.created_at
     or new.id is distinct from old.id
     or (new.generated_resume_id is distinct from old.generated_resume_id and new.generated_resume_id is not null) then
    raise exception using
      errcode = 'PT409',
      message = 'wizard session is not active',
      detail = pg_catalog.format('The session is %s and can no longer change; start a new one to keep editing.', old.status);
  end if;
  return new;
end
$$;
comment on function private.enforce_wizard_session_lifecycle() is $$Trigger: only active wizard sessions change; active -> completed needs generated_resume_id; completed and abandoned sessions are frozen except for their resume link being cleared.$$;

-- Invoker, run by the cron job as postgres (the owner, which bypasses RLS); no API
-- role may call it.
create function private.abandon_stale_wizard_sessions() returns integer language plpgsql volatile set search_path = '' as $$
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
comment on function private.abandon_stale_wizard_sessions() is $$Marks active wizard sessions not updated for 30 days abandoned and returns how many; run nightly by pg_cron job abandon-stale-wizard-sessions.$$;

-- Indexes

create index idx_wizard_sessions_generated_resume_id on public.wizard_sessions (generated_resume_id);
create index idx_wizard_sessions_template_id on public.wizard_sessions (template_id);
create index idx_wizard_sessions_user_active on public.wizard_sessions (user_id, status) where (status = 'active'::text);
create index idx_wizard_sessions_user_status on public.wizard_sessions (user_id, status);
create index idx_wizard_sessions_user_updated on public.wizard_sessions (user_id, updated_at desc);
create unique index wizard_sessions_one_active_per_user_template on public.wizard_sessions (user_id, template_id) where (status = 'active'::text);
comment on index public.wizard_sessions_one_active_per_user_template is $$At most one active wizard session per user and template; start_wizard_session resumes it.$$;

-- Triggers

create trigger enforce_wizard_session_lifecycle before update on public.wizard_sessions
  for each row execute function private.enforce_wizard_session_lifecycle();

-- Policies and grants

-- A session or generated resume may only be built on an active template (inactive
-- ones are invisible to the caller, so the subquery sees active ones only anyway). The
-- template is chosen at creation: template_id has no UPDATE grant, so an update needs
-- no template check and deactivating a template does not freeze its sessions.
call private.create_owner_policies('public.wizard_sessions',
  'Owners can view their own wizard sessions',
  null,
  'Owners can update their own wizard sessions',
  'Owners can delete their own wizard sessions',
  update_references => '{generated_resume_id}');

create policy "Owners can start their own wizard sessions on active templates" on public.wizard_sessions
  for insert to authenticated
  with check ((select auth.uid()) = user_id
              and template_id in (select t.id from public.templates t where t.is_active)
              and status = 'active'
              and generated_resume_id is null);
comment on policy "Owners can start their own wizard sessions on active templates" on public.wizard_sessions is $$A signed-in user starts sessions for themselves, on an active template, active and not yet linked to a resume.$$;

call private.grant_table_access('public.wizard_sessions', may_delete => true,
  insert_columns => '{id, user_id, template_id, draft_json, progress, status, last_step, generated_resume_id}',
  update_columns => '{draft_json, progress, status, last_step, generated_resume_id}');

-- Functions

-- One of the caller's wizard sessions, locked until the transaction ends: the RPCs that
-- change a session (update, complete, abandon) apply one after the other. 404 when it is
-- not the caller's.
create function private.lock_own_wizard_session(session_id uuid) returns public.wizard_sessions language plpgsql volatile set search_path = '' as $$
declare
  target public.wizard_sessions;
begin
  select w.* into target
    from public.wizard_sessions w
   where w.id = session_id and w.user_id = (select auth.uid())
     for update;
  if not found then
    raise exception 'wizard session not found' using errcode = 'PT404';
  end if;
  return target;
end
$$;
grant execute on function private.lock_own_wizard_session(session_id uuid) to authenticated;
comment on function private.lock_own_wizard_session(session_id uuid) is $$One of the caller’s wizard sessions, locked FOR UPDATE until the transaction ends; 404 (PT404) when not theirs.$$;

-- The one refusal of a session that is no longer active (PT409, 409), with what the caller
-- can do about it as the detail.
create function private.refuse_inactive_wizard_session(status text, why text) returns void language plpgsql volatile set search_path = '' as $$
begin
  if status <> 'active' then
    raise exception using errcode = 'PT409', message = 'wizard session is not active', detail = why;
  end if;
end
$$;
grant execute on function private.refuse_inactive_wizard_session(status text, why text) to authenticated;
comment on function private.refuse_inactive_wizard_session(status text, why text) is $$Raises PT409 "wizard session is not active" with why as its detail unless status is active.$$;

-- The draft a new session starts from: the caller's profile, experience, education,
-- skills and languages in the client's draft shape. Invoker: it reads only what the
-- caller may read, and start_wizard_session passes the caller it checked.
create function private.prefilled_wizard_draft(caller uuid) returns jsonb language plpgsql stable set search_path = '' as $$
declare
  profile public.user_profile;
begin
  -- user_profile has no unique user_id; the sign-up trigger creates one, take the oldest.
  select p.* into profile
    from public.user_profile p
   where p.user_id = caller
   order by p.created_at nulls last, p.id
   limit 1;

  -- The client-contract draft shape; text fields are '' rather than null because
  -- the wizard binds them to form inputs. Month dates are 'YYYY-MM'.
  return pg_catalog.jsonb_build_object(
    'profile', pg_catalog.jsonb_build_object(
      'fullName', coalesce(profile.full_name, ''),
      'firstName', coalesce(profile.first_name, ''),
      'lastName', coalesce(profile.last_name, ''),
      -- user_profile holds no email; the signed-in user's comes from the JWT.
      'email', coalesce((select auth.jwt()) ->> 'email', ''),
      'phone', coalesce(profile.phone, ''),
      'headline', coalesce(profile.job_title, ''),
      'location', coalesce(profile.location, ''),
      'summary', coalesce(profile.professional_summary, ''),
      'socialLinks', coalesce(profile.social_links, '[]'::jsonb)),
    'experience', coalesce((
      select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'id', e.id,
               'title', e.title,
               'company', e.company,
               'location', coalesce(e.location, ''),
               'startDate', pg_catalog.to_char(e.start_date, 'YYYY-MM'),
               'endDate', case when e.is_current then null else pg_catalog.to_char(e.end_date, 'YYYY-MM') end,
               'isCurrent', coalesce(e.is_current, false),
               'description', coalesce(e.description, ''))
             order by e.is_current desc nulls last, e.start_date desc nulls last, e.created_at desc)
        from public.user_work_experience e
       where e.user_id = caller), '[]'::jsonb),
    'education', coalesce((
      select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'id', ed.id,
               'school', ed.school,
               'degree', coalesce(ed.degree, ''),
               'field', coalesce(ed.field, ''),
               'startDate', pg_catalog.to_char(ed.start_date, 'YYYY-MM'),
               'endDate', pg_catalog.to_char(ed.end_date, 'YYYY-MM'))
             order by ed.start_date desc nulls last, ed.created_at desc)
        from public.user_education ed
       where ed.user_id = caller), '[]'::jsonb),
    -- Proficiencies are stored lowercase; the app shows them in Title Case.
    'skills', coalesce((
      select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'name', s.name,
               'proficiency', pg_catalog.initcap(s.proficiency),
               'category', s.category)
             order by s.created_at, s.name)
        from public.user_skills s
       where s.user_id = caller), '[]'::jsonb),
    'languages', coalesce((
      select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'name', l.language,
               'proficiency', pg_catalog.initcap(l.proficiency))
             order by l.created_at, l.language)
        from public.user_languages l
       where l.user_id = caller), '[]'::jsonb),
    'targetRole', coalesce(profile.job_title, ''));
end
$$;
grant execute on function private.prefilled_wizard_draft(caller uuid) to authenticated;
comment on function private.prefilled_wizard_draft(caller uuid) is $$The draft_json a prefilled wizard session starts from: the caller’s profile, experience, education, skills, languages and email.$$;

-- The caller's text (the template argument) stays out of the error message, the status
-- line logs and PostgREST print: it goes in DETAIL only.
create function public.start_wizard_session(template text, prefill boolean default true)
returns public.wizard_sessions language plpgsql set search_path = '' as $$
declare
  caller uuid := (select auth.uid());
  template_uuid uuid;
  chosen_template uuid;
  draft jsonb;
  started public.wizard_sessions;
begin
  if caller is null then
    raise exception 'sign in to start a wizard session' using errcode = '42501';
  end if;

  -- The client sends a slug or an id; a text that looks like a uuid is tried as an id.
  if start_wizard_session.template ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    template_uuid := start_wizard_session.template::uuid;
  end if;
  select t.id into chosen_template
    from public.templates t
   where t.is_active
     and (t.id = template_uuid or t.slug = start_wizard_session.template);
  if chosen_template is null then
    raise exception using
      errcode = 'PT404',
      message = 'template not found or not active',
      detail = pg_catalog.format('No active template has the slug or id %s.', coalesce(private.excerpt(start_wizard_session.template), 'null')),
      hint = 'Pass the slug or id of an active template.';
  end if;

  -- Resume the caller's active session for this template, or start one. Two racing
  -- starts: the unique partial index lets exactly one insert win; the other waits for
  -- it, inserts nothing, and reads the winner's row in its next round. The rounds cover
  -- the rare case that the winner was completed or abandoned in between.
  for attempt in 1..3 loop
    select w.* into started
      from public.wizard_sessions w
     where w.user_id = caller and w.template_id = chosen_template and w.status = 'active';
    if found then
      return started;
    end if;
    if draft is null then
      draft := case when coalesce(start_wizard_session.prefill, true)
                    then private.prefilled_wizard_draft(caller) else '{}'::jsonb end;
    end if;
    insert into public.wizard_sessions (user_id, template_id, draft_json, progress, last_step)
    values (caller, chosen_template, draft, '{}'::jsonb, 0)
    on conflict (user_id, template_id) where status = 'active' do nothing
    returning * into started;
    if found then
      return started;
    end if;
  end loop;
  raise exception 'could not start a wizard session, try again' using errcode = 'PT409';
end
$$;
grant execute on function public.start_wizard_session(template text, prefill boolean) to authenticated;
comment on function public.start_wizard_session(template text, prefill boolean) is $$Starts the AI wizard on an active template (slug or id), or returns your active session for that template. With prefill (default) draft_json is built from your profile, skills, experience, education, languages and email. 404 for an unknown or inactive template.$$;

-- A change the session's state forbids (a session or template no longer active, a start
-- that lost every race) raises PT409: PostgREST answers 409, and the edge functions map
-- the same code to the same 409.
create function public.update_wizard_session(id uuid, draft_patch jsonb default '{}'::jsonb, progress_patch jsonb default '{}'::jsonb, last_step integer default null::integer)
returns public.wizard_sessions language plpgsql set search_path = '' as $$
declare
  target public.wizard_sessions;
begin
  -- The parameters id and last_step share their names with columns (they are the
  -- API's names), so every reference below is qualified.
  if update_wizard_session.draft_patch is not null
     and pg_catalog.jsonb_typeof(update_wizard_session.draft_patch) <> 'object' then
    raise exception 'draft_patch must be a JSON object' using errcode = '22023';
  end if;
  if update_wizard_session.progress_patch is not null
     and pg_catalog.jsonb_typeof(update_wizard_session.progress_patch) <> 'object' then
    raise exception 'progress_patch must be a JSON object' using errcode = '22023';
  end if;
  if update_wizard_session.last_step is not null and update_wizard_session.last_step not between 0 and 8 then
    raise exception using
      errcode = '22023',
      message = pg_catalog.format('last_step must be between 0 and 8, got %s', update_wizard_session.last_step);
  end if;

  -- Lock the row: concurrent patches of one session apply one after the other, and a
  -- patch cannot slip in while complete_wizard_session reads the draft.
  target := private.lock_own_wizard_session(update_wizard_session.id);
  perform private.refuse_inactive_wizard_session(target.status,
    pg_catalog.format('The session is %s; start a new one to keep editing.', target.status));

  update public.wizard_sessions w
     set draft_json = coalesce(w.draft_json, '{}'::jsonb) || coalesce(update_wizard_session.draft_patch, '{}'::jsonb),
         progress = coalesce(w.progress, '{}'::jsonb) || coalesce(update_wizard_session.progress_patch, '{}'::jsonb),
         last_step = coalesce(update_wizard_session.last_step, w.last_step)
   where w.id = target.id
  returning w.* into target;
  return target;
end
$$;
grant execute on function public.update_wizard_session(id uuid, draft_patch jsonb, progress_patch jsonb, last_step integer) to authenticated;
comment on function public.update_wizard_session(id uuid, draft_patch jsonb, progress_patch jsonb, last_step integer) is $$Patches one of your active wizard sessions: draft_json || draft_patch and progress || progress_patch (shallow merges of JSON objects), and last_step (0-8) when given. 404 when the session is not yours; 400 "wizard session is not active" when it is completed or abandoned.$$;

create function public.complete_wizard_session(id uuid) returns public.generated_resumes language plpgsql set search_path = '' as $$
declare
  caller uuid := (select auth.uid());
  target public.wizard_sessions;
  draft_profile jsonb;
  section text;
  made public.generated_resumes;
begin
  -- The row lock makes completion idempotent under concurrency: a second call waits
  -- here, then re-reads the session as the first call left it (completed, linked to
  -- its resume) and returns that resume.
  target := private.lock_own_wizard_session(complete_wizard_session.id);

  if target.status = 'completed' and target.generated_resume_id is not null then
    select gr.* into made from public.generated_resumes gr where gr.id = target.generated_resume_id;
    return made;
  end if;
  perform private.refuse_inactive_wizard_session(target.status,
    case when target.status = 'completed' then 'The session was completed and its resume has since been deleted.'
         else pg_catalog.format('The session is %s.', target.status) end);

  -- Version 1 is the draft as it stands, so it must be a resume: a profile with
  -- content, and list sections that are lists.
  draft_profile := target.draft_json -> 'profile';
  if pg_catalog.jsonb_typeof(draft_profile) is distinct from 'object' or draft_profile = '{}'::jsonb then
    raise exception using
      errcode = '22023',
      message = 'the draft has no profile yet',
      hint = 'Fill in the personal details (draft_json.profile) before completing the wizard.';
  end if;
  foreach section in array array['experience', 'education', 'skills', 'languages'] loop
    if target.draft_json ? section and pg_catalog.jsonb_typeof(target.draft_json -> section) <> 'array' then
      raise exception using
        errcode = '22023',
        message = pg_catalog.format('draft %s must be a JSON array', section);
    end if;
  end loop;

  -- The insert policy would refuse an inactive template with a bare 42501; say why.
  if not exists (select 1 from public.templates t where t.id = target.template_id and t.is_active) then
    raise exception 'the template of this wizard session is no longer active' using errcode = 'PT409';
  end if;

  insert into public.generated_resumes (user_id, template_id, title)
  values (caller, target.template_id,
          coalesce(nullif(pg_catalog.btrim(draft_profile ->> 'fullName'), ''), 'My Resume'))
  returning * into made;

  -- The numbering trigger assigns version 1 and sets current_version.
  insert into public.generated_resume_versions (generated_resume_id, content_json)
  values (made.id, target.draft_json);

  update public.wizard_sessions w
     set status = 'completed',
         generated_resume_id = made.id
   where w.id = target.id;

  select gr.* into made from public.generated_resumes gr where gr.id = made.id;
  return made;
end
$$;
grant execute on function public.complete_wizard_session(id uuid) to authenticated;
comment on function public.complete_wizard_session(id uuid) is $$Turns one of your active wizard sessions into a generated resume (title from profile.fullName, else 'My Resume') whose version 1 is the draft, and marks the session completed. Calling it again, even concurrently, returns the same resume. 400 when the draft has no profile.$$;

create function public.abandon_wizard_session(id uuid) returns public.wizard_sessions language plpgsql set search_path = '' as $$
declare
  target public.wizard_sessions;
begin
  target := private.lock_own_wizard_session(abandon_wizard_session.id);
  -- Abandoning twice is harmless; a completed session keeps its resume link.
  if target.status = 'abandoned' then
    return target;
  end if;
  perform private.refuse_inactive_wizard_session(target.status, 'A completed session cannot be abandoned.');

  update public.wizard_sessions w
     set status = 'abandoned'
   where w.id = target.id
  returning w.* into target;
  return target;
end
$$;
grant execute on function public.abandon_wizard_session(id uuid) to authenticated;
comment on function public.abandon_wizard_session(id uuid) is $$Marks one of your active wizard sessions abandoned (a no-op when it already is). 404 when the session is not yours; 400 when it is completed.$$;

-- Scheduled jobs

-- Nightly at 03:17: active sessions untouched for 30 days are abandoned.
call private.schedule_job('abandon-stale-wizard-sessions', '17 3 * * *', 'select private.abandon_stale_wizard_sessions()');

