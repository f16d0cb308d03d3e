-- Why: merge_imported_profile filled the seven profile fields with seven copies of the
-- same block (trim, cut to the column, fill only when empty). They become one loop over
-- a list of (column, imported value, length), so a new field is one line and the rule
-- cannot drift between fields. Behaviour is unchanged (22-import-profile.sql); create or
-- replace keeps the comment and the grants.

create or replace function public.merge_imported_profile(profile jsonb)
returns jsonb
language plpgsql
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
  field record;
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

  -- One rule for every profile field: fill it only when it is empty (full_name also when
  -- it still holds the sign-up placeholder 'Your Name'), trimmed and cut to its column.
  for field in
    select f.column_name, f.value, f.max_length
      from (values ('full_name', contact ->> 'fullName', 255),
                   ('first_name', contact ->> 'firstName', 255),
                   ('last_name', contact ->> 'lastName', 255),
                   ('phone', contact ->> 'phone', 50),
                   ('location', contact ->> 'location', 255),
                   ('job_title', contact ->> 'headline', 255),
                   ('professional_summary', merge_imported_profile.profile ->> 'summary', null))
           as f(column_name, value, max_length)
  loop
    incoming := nullif(pg_catalog.btrim(field.value), '');
    if field.max_length is not null then
      incoming := pg_catalog.left(incoming, field.max_length);
    end if;
    if incoming is not null
       and coalesce(pg_catalog.btrim(pg_catalog.to_jsonb(existing) ->> field.column_name), '')
           in ('', case when field.column_name = 'full_name' then 'Your Name' else '' end) then
      existing := pg_catalog.jsonb_populate_record(existing, pg_catalog.jsonb_build_object(field.column_name, incoming));
      fields_filled := fields_filled + 1;
    end if;
  end loop;

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
