-- Why: the wizard RPCs and the session lifecycle trigger refused a change of state
-- (a session no longer active, a template no longer active, a start that lost every
-- race) with P0001, the code of any RAISE without one, which PostgREST answers with 400
-- and nothing tells apart from a bug. They now raise PT409 from private.error_codes:
-- PostgREST answers 409, and the edge functions map the same code to the same 409.
-- The bodies are otherwise unchanged; create or replace keeps comments and grants.

create or replace function public.update_wizard_session(id uuid, draft_patch jsonb default '{}'::jsonb, progress_patch jsonb default '{}'::jsonb, last_step integer default null::integer)
returns public.wizard_sessions
language plpgsql
set search_path = ''
as $$
declare
  caller uuid := (select auth.uid());
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
  select w.* into target
    from public.wizard_sessions w
   where w.id = update_wizard_session.id and w.user_id = caller
     for update;
  if not found then
    raise exception 'wizard session not found' using errcode = 'PT404';
  end if;
  if target.status <> 'active' then
    raise exception using
      errcode = 'PT409',
      message = 'wizard session is not active',
      detail = pg_catalog.format('The session is %s; start a new one to keep editing.', target.status);
  end if;

  update public.wizard_sessions w
     set draft_json = coalesce(w.draft_json, '{}'::jsonb) || coalesce(update_wizard_session.draft_patch, '{}'::jsonb),
         progress = coalesce(w.progress, '{}'::jsonb) || coalesce(update_wizard_session.progress_patch, '{}'::jsonb),
         last_step = coalesce(update_wizard_session.last_step, w.last_step)
   where w.id = target.id
  returning w.* into target;
  return target;
end
$$;

create or replace function public.complete_wizard_session(id uuid)
returns public.generated_resumes
language plpgsql
set search_path = ''
as $$
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
  select w.* into target
    from public.wizard_sessions w
   where w.id = complete_wizard_session.id and w.user_id = caller
     for update;
  if not found then
    raise exception 'wizard session not found' using errcode = 'PT404';
  end if;

  if target.status = 'completed' and target.generated_resume_id is not null then
    select gr.* into made from public.generated_resumes gr where gr.id = target.generated_resume_id;
    return made;
  end if;
  if target.status <> 'active' then
    raise exception using
      errcode = 'PT409',
      message = 'wizard session is not active',
      detail = case when target.status = 'completed'
                    then 'The session was completed and its resume has since been deleted.'
                    else pg_catalog.format('The session is %s.', target.status) end;
  end if;

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

create or replace function public.abandon_wizard_session(id uuid)
returns public.wizard_sessions
language plpgsql
set search_path = ''
as $$
declare
  caller uuid := (select auth.uid());
  target public.wizard_sessions;
begin
  select w.* into target
    from public.wizard_sessions w
   where w.id = abandon_wizard_session.id and w.user_id = caller
     for update;
  if not found then
    raise exception 'wizard session not found' using errcode = 'PT404';
  end if;
  -- Abandoning twice is harmless; a completed session keeps its resume link.
  if target.status = 'abandoned' then
    return target;
  end if;
  if target.status <> 'active' then
    raise exception using
      errcode = 'PT409',
      message = 'wizard session is not active',
      detail = 'A completed session cannot be abandoned.';
  end if;

  update public.wizard_sessions w
     set status = 'abandoned'
   where w.id = target.id
  returning w.* into target;
  return target;
end
$$;

create or replace function public.start_wizard_session(template text, prefill boolean default true)
returns public.wizard_sessions
language plpgsql
set search_path = ''
as $$
declare
  caller uuid := (select auth.uid());
  template_uuid uuid;
  chosen_template uuid;
  profile public.user_profile;
  draft jsonb := '{}'::jsonb;
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
      message = pg_catalog.format('template %s not found or not active', coalesce(start_wizard_session.template, 'null')),
      hint = 'Pass the slug or id of an active template.';
  end if;

  -- Resume the caller's active session for this template, if there is one.
  select w.* into started
    from public.wizard_sessions w
   where w.user_id = caller and w.template_id = chosen_template and w.status = 'active';
  if found then
    return started;
  end if;

  if coalesce(start_wizard_session.prefill, true) then
    -- user_profile has no unique user_id; the sign-up trigger creates one, take the oldest.
    select p.* into profile
      from public.user_profile p
     where p.user_id = caller
     order by p.created_at nulls last, p.id
     limit 1;

    -- The client-contract draft shape; text fields are '' rather than null because
    -- the wizard binds them to form inputs. Month dates are 'YYYY-MM'.
    draft := pg_catalog.jsonb_build_object(
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
  end if;

  -- Two racing starts: the unique partial index lets exactly one insert win; the
  -- other waits for it, inserts nothing, and reads the winner's row below. The loop
  -- covers the rare case that the winner was completed or abandoned in between.
  for attempt in 1..3 loop
    insert into public.wizard_sessions (user_id, template_id, draft_json, progress, last_step)
    values (caller, chosen_template, draft, '{}'::jsonb, 0)
    on conflict (user_id, template_id) where status = 'active' do nothing
    returning * into started;
    if found then
      return started;
    end if;
    select w.* into started
      from public.wizard_sessions w
     where w.user_id = caller and w.template_id = chosen_template and w.status = 'active';
    if found then
      return started;
    end if;
  end loop;
  raise exception 'could not start a wizard session, try again' using errcode = 'PT409';
end
$$;

create or replace function private.enforce_wizard_session_lifecycle()
returns trigger
language plpgsql
set search_path = ''
as $$
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
