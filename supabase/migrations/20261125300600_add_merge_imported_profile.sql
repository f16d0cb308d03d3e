-- Why: the ai function's import-resume action turns pasted resume text into a
-- structured profile; with save: true it must land in the caller's profile tables
-- without clobbering what the user already typed and without duplicates, even when
-- the client retries. The merge rules live here so they hold for every caller:
--   user_profile: a field is filled only when it is empty ('Your Name', the sign-up
--     placeholder, counts as empty); social links are added per new platform.
--   user_skills: skipped when the name exists, case-insensitively.
--   user_work_experience: skipped when lower(company), lower(title) and start_date match.
--   user_education: skipped when lower(school) and lower(degree) match.
--   user_languages: skipped when the language exists, case-insensitively.
-- Entries without their required field (skill/language name, title and company,
-- school) are counted as skipped too. A per-user advisory lock serialises two merges
-- of the same user, so "exists?" and "insert" cannot interleave.
--
-- SECURITY INVOKER: every row written is the caller's own, within RLS and grants.

-- 'YYYY-MM' is the month's first day, 'YYYY-MM-DD' itself; anything else (including
-- an impossible date or 'Present') is no date rather than an error, so one odd entry
-- does not fail a whole import.
create function private.imported_date(value text)
returns date
language plpgsql
stable
set search_path = ''
as $$
declare
  trimmed text := pg_catalog.btrim(value);
begin
  if trimmed ~ '^\d{4}-\d{2}$' then
    return (trimmed || '-01')::date;
  elsif trimmed ~ '^\d{4}-\d{2}-\d{2}$' then
    return trimmed::date;
  end if;
  return null;
exception when datetime_field_overflow or invalid_datetime_format then
  return null;
end
$$;

comment on function private.imported_date(text) is
  'A date from an imported resume: YYYY-MM (first of the month) or YYYY-MM-DD; null for anything else.';
revoke all on function private.imported_date(text) from public, anon, authenticated, service_role;
-- merge_imported_profile is SECURITY INVOKER, so its caller needs this.
grant execute on function private.imported_date(text) to authenticated;

create function public.merge_imported_profile(profile jsonb)
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  caller uuid := (select auth.uid());
  contact jsonb;
  section text;
  entries jsonb;
  item jsonb;
  existing public.user_profile;
  incoming text;
  links jsonb;
  fields_filled integer := 0;
  skills_added integer := 0;
  skills_skipped integer := 0;
  experience_added integer := 0;
  experience_skipped integer := 0;
  education_added integer := 0;
  education_skipped integer := 0;
  languages_added integer := 0;
  languages_skipped integer := 0;
  v_name text;
  v_title text;
  v_company text;
  v_school text;
  v_degree text;
  v_proficiency text;
  v_category text;
  v_start date;
  v_end date;
  v_current boolean;
begin
  if caller is null then
    raise exception 'sign in to import a profile' using errcode = '42501';
  end if;
  if merge_imported_profile.profile is null or pg_catalog.jsonb_typeof(merge_imported_profile.profile) <> 'object' then
    raise exception 'profile must be a JSON object' using errcode = '22023';
  end if;
  contact := coalesce(merge_imported_profile.profile -> 'contact', '{}'::jsonb);
  if pg_catalog.jsonb_typeof(contact) = 'null' then
    contact := '{}'::jsonb;
  elsif pg_catalog.jsonb_typeof(contact) <> 'object' then
    raise exception 'profile.contact must be a JSON object' using errcode = '22023';
  end if;
  foreach section in array array['skills', 'experience', 'education', 'languages'] loop
    if pg_catalog.jsonb_typeof(merge_imported_profile.profile -> section) not in ('array', 'null') then
      raise exception using errcode = '22023', message = pg_catalog.format('profile.%s must be a JSON array', section);
    end if;
  end loop;

  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('merge_imported_profile:' || caller::text, 0));

  -- Profile fields ---------------------------------------------------------------
  select p.* into existing
    from public.user_profile p
   where p.user_id = caller
   order by p.created_at nulls last, p.id
   limit 1
     for update;
  if not found then
    -- Normally created at sign-up; if the user deleted it, start from the placeholder.
    insert into public.user_profile (user_id, full_name) values (caller, 'Your Name')
    returning * into existing;
  end if;

  incoming := pg_catalog.left(nullif(pg_catalog.btrim(contact ->> 'fullName'), ''), 255);
  if incoming is not null and coalesce(pg_catalog.btrim(existing.full_name), '') in ('', 'Your Name') then
    existing.full_name := incoming;
    fields_filled := fields_filled + 1;
  end if;
  incoming := pg_catalog.left(nullif(pg_catalog.btrim(contact ->> 'firstName'), ''), 255);
  if incoming is not null and coalesce(pg_catalog.btrim(existing.first_name), '') = '' then
    existing.first_name := incoming;
    fields_filled := fields_filled + 1;
  end if;
  incoming := pg_catalog.left(nullif(pg_catalog.btrim(contact ->> 'lastName'), ''), 255);
  if incoming is not null and coalesce(pg_catalog.btrim(existing.last_name), '') = '' then
    existing.last_name := incoming;
    fields_filled := fields_filled + 1;
  end if;
  incoming := pg_catalog.left(nullif(pg_catalog.btrim(contact ->> 'phone'), ''), 50);
  if incoming is not null and coalesce(pg_catalog.btrim(existing.phone), '') = '' then
    existing.phone := incoming;
    fields_filled := fields_filled + 1;
  end if;
  incoming := pg_catalog.left(nullif(pg_catalog.btrim(contact ->> 'location'), ''), 255);
  if incoming is not null and coalesce(pg_catalog.btrim(existing.location), '') = '' then
    existing.location := incoming;
    fields_filled := fields_filled + 1;
  end if;
  incoming := pg_catalog.left(nullif(pg_catalog.btrim(contact ->> 'headline'), ''), 255);
  if incoming is not null and coalesce(pg_catalog.btrim(existing.job_title), '') = '' then
    existing.job_title := incoming;
    fields_filled := fields_filled + 1;
  end if;
  incoming := nullif(pg_catalog.btrim(merge_imported_profile.profile ->> 'summary'), '');
  if incoming is not null and coalesce(pg_catalog.btrim(existing.professional_summary), '') = '' then
    existing.professional_summary := incoming;
    fields_filled := fields_filled + 1;
  end if;

  -- Social links: one per platform; a platform already present keeps its URL.
  links := coalesce(existing.social_links, '[]'::jsonb);
  if pg_catalog.jsonb_typeof(contact -> 'socialLinks') = 'array' then
    for item in select x.value from pg_catalog.jsonb_array_elements(contact -> 'socialLinks') x loop
      v_name := nullif(pg_catalog.btrim(item ->> 'platform'), '');
      incoming := nullif(pg_catalog.btrim(item ->> 'url'), '');
      if pg_catalog.jsonb_typeof(item) = 'object' and v_name is not null and incoming is not null
         and not exists (select 1 from pg_catalog.jsonb_array_elements(links) l
                          where pg_catalog.lower(l.value ->> 'platform') = pg_catalog.lower(v_name)) then
        links := links || pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object('platform', v_name, 'url', incoming));
      end if;
    end loop;
  end if;
  if links is distinct from existing.social_links then
    existing.social_links := links;
    fields_filled := fields_filled + 1;
  end if;

  if fields_filled > 0 then
    update public.user_profile p
       set full_name = existing.full_name,
           first_name = existing.first_name,
           last_name = existing.last_name,
           phone = existing.phone,
           location = existing.location,
           job_title = existing.job_title,
           professional_summary = existing.professional_summary,
           social_links = existing.social_links
     where p.id = existing.id;
  end if;

  -- Skills: a string or {name, proficiency?, category?} ------------------------------
  entries := case when pg_catalog.jsonb_typeof(merge_imported_profile.profile -> 'skills') = 'array'
                  then merge_imported_profile.profile -> 'skills' else '[]'::jsonb end;
  for item in select x.value from pg_catalog.jsonb_array_elements(entries) x loop
    v_name := pg_catalog.left(nullif(pg_catalog.btrim(
                case pg_catalog.jsonb_typeof(item) when 'string' then item #>> '{}' when 'object' then item ->> 'name' end), ''), 255);
    if v_name is null or exists (select 1 from public.user_skills s
                                  where s.user_id = caller and pg_catalog.lower(s.name) = pg_catalog.lower(v_name)) then
      skills_skipped := skills_skipped + 1;
      continue;
    end if;
    v_proficiency := pg_catalog.left(nullif(pg_catalog.btrim(item ->> 'proficiency'), ''), 50);
    v_category := pg_catalog.left(coalesce(nullif(pg_catalog.btrim(item ->> 'category'), ''), 'Technical'), 100);
    begin
      insert into public.user_skills (user_id, name, proficiency, category)
      values (caller, v_name, v_proficiency, v_category);
    exception when check_violation then
      -- A proficiency the normalising trigger cannot map: keep the skill without it.
      insert into public.user_skills (user_id, name, proficiency, category)
      values (caller, v_name, null, v_category);
    end;
    skills_added := skills_added + 1;
  end loop;

  -- Experience -------------------------------------------------------------------
  entries := case when pg_catalog.jsonb_typeof(merge_imported_profile.profile -> 'experience') = 'array'
                  then merge_imported_profile.profile -> 'experience' else '[]'::jsonb end;
  for item in select x.value from pg_catalog.jsonb_array_elements(entries) x loop
    v_title := pg_catalog.left(nullif(pg_catalog.btrim(item ->> 'title'), ''), 255);
    v_company := pg_catalog.left(nullif(pg_catalog.btrim(item ->> 'company'), ''), 255);
    if pg_catalog.jsonb_typeof(item) <> 'object' or v_title is null or v_company is null then
      experience_skipped := experience_skipped + 1;
      continue;
    end if;
    v_start := private.imported_date(item ->> 'startDate');
    v_end := private.imported_date(item ->> 'endDate');
    v_current := pg_catalog.lower(coalesce(item ->> 'isCurrent', '')) in ('true', 't', 'yes', '1');
    if v_current then
      v_end := null;
    end if;
    if exists (select 1 from public.user_work_experience e
                where e.user_id = caller
                  and pg_catalog.lower(e.company) = pg_catalog.lower(v_company)
                  and pg_catalog.lower(e.title) = pg_catalog.lower(v_title)
                  and e.start_date is not distinct from v_start) then
      experience_skipped := experience_skipped + 1;
      continue;
    end if;
    insert into public.user_work_experience (user_id, title, company, location, start_date, end_date, is_current, description)
    values (caller, v_title, v_company,
            pg_catalog.left(nullif(pg_catalog.btrim(item ->> 'location'), ''), 255),
            v_start, v_end, v_current,
            nullif(pg_catalog.btrim(item ->> 'description'), ''));
    experience_added := experience_added + 1;
  end loop;

  -- Education --------------------------------------------------------------------
  entries := case when pg_catalog.jsonb_typeof(merge_imported_profile.profile -> 'education') = 'array'
                  then merge_imported_profile.profile -> 'education' else '[]'::jsonb end;
  for item in select x.value from pg_catalog.jsonb_array_elements(entries) x loop
    v_school := pg_catalog.left(nullif(pg_catalog.btrim(item ->> 'school'), ''), 255);
    if pg_catalog.jsonb_typeof(item) <> 'object' or v_school is null then
      education_skipped := education_skipped + 1;
      continue;
    end if;
    v_degree := pg_catalog.left(nullif(pg_catalog.btrim(item ->> 'degree'), ''), 100);
    if exists (select 1 from public.user_education ed
                where ed.user_id = caller
                  and pg_catalog.lower(ed.school) = pg_catalog.lower(v_school)
                  and pg_catalog.lower(coalesce(ed.degree, '')) = pg_catalog.lower(coalesce(v_degree, ''))) then
      education_skipped := education_skipped + 1;
      continue;
    end if;
    v_start := private.imported_date(item ->> 'startDate');
    v_end := private.imported_date(item ->> 'endDate');
    insert into public.user_education (user_id, school, degree, field, start_date, end_date)
    values (caller, v_school, v_degree, pg_catalog.left(nullif(pg_catalog.btrim(item ->> 'field'), ''), 255), v_start, v_end);
    education_added := education_added + 1;
  end loop;

  -- Languages: a string or {name, proficiency?} ------------------------------------
  entries := case when pg_catalog.jsonb_typeof(merge_imported_profile.profile -> 'languages') = 'array'
                  then merge_imported_profile.profile -> 'languages' else '[]'::jsonb end;
  for item in select x.value from pg_catalog.jsonb_array_elements(entries) x loop
    v_name := pg_catalog.left(nullif(pg_catalog.btrim(
                case pg_catalog.jsonb_typeof(item) when 'string' then item #>> '{}' when 'object' then item ->> 'name' end), ''), 100);
    if v_name is null or exists (select 1 from public.user_languages l
                                  where l.user_id = caller and pg_catalog.lower(l.language) = pg_catalog.lower(v_name)) then
      languages_skipped := languages_skipped + 1;
      continue;
    end if;
    v_proficiency := pg_catalog.left(nullif(pg_catalog.btrim(item ->> 'proficiency'), ''), 50);
    begin
      insert into public.user_languages (user_id, language, proficiency) values (caller, v_name, v_proficiency);
    exception when check_violation then
      -- A proficiency the normalising trigger cannot map: keep the language without it.
      insert into public.user_languages (user_id, language, proficiency) values (caller, v_name, null);
    end;
    languages_added := languages_added + 1;
  end loop;

  return pg_catalog.jsonb_build_object(
    'skills', pg_catalog.jsonb_build_object('added', skills_added, 'skipped', skills_skipped),
    'experience', pg_catalog.jsonb_build_object('added', experience_added, 'skipped', experience_skipped),
    'education', pg_catalog.jsonb_build_object('added', education_added, 'skipped', education_skipped),
    'languages', pg_catalog.jsonb_build_object('added', languages_added, 'skipped', languages_skipped),
    'profileFieldsFilled', fields_filled);
end
$$;

comment on function public.merge_imported_profile(jsonb) is
  'Merges an imported resume {contact{fullName, firstName, lastName, email, phone, location, headline, socialLinks}, summary, skills, experience, education, languages} into your profile: fills only empty profile fields and adds only entries you do not have yet (never a duplicate, also when called twice). Returns {skills, experience, education, languages: {added, skipped}, profileFieldsFilled}. contact.email is not stored (your email is your account''s).';

revoke all on function public.merge_imported_profile(jsonb) from public, anon, authenticated, service_role;
grant execute on function public.merge_imported_profile(jsonb) to authenticated;
