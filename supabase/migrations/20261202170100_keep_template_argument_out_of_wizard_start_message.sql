-- Why: start_wizard_session must keep the caller's text out of its error message (the
-- status line the logs and PostgREST print), as 20261201110600 made it do. But
-- 20261201130100 redefined the function from the body before that change, so a
-- database that applied both in order had the template argument back in the message.
-- The argument now goes in DETAIL only; the rest of the body is 20261201130100's.

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
      message = 'template not found or not active',
      detail = pg_catalog.format('No active template has the slug or id %s.', coalesce(start_wizard_session.template, 'null')),
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
