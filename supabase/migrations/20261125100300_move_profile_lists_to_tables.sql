-- v2.0 kept a second copy of skills, work experience, education and resumes in JSONB
-- columns of user_profile, written by old app versions in many shapes (strings or
-- objects, 'YYYY-MM' or 'YYYY-MM-DD' dates, camelCase or snake_case keys, extra
-- fields). Move every entry into its normalized table, merging with rows already
-- there (a skill is the same when its name matches case-insensitively; experience,
-- education and resumes by their natural keys). An entry that cannot be mapped is
-- archived verbatim in private.legacy_profile_entries with the reason, and counted
-- in a NOTICE. The columns themselves are dropped by the next migration.

-- Session-local helpers: they exist only while this migration runs.

-- The first key holding a usable value, as trimmed text ('' counts as absent);
-- an array of strings becomes newline-separated lines (bullet lists of old apps).
create function pg_temp.legacy_text(entry jsonb, keys text[])
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  k text;
  v jsonb;
  t text;
begin
  foreach k in array keys loop
    v := entry -> k;
    if v is null or pg_catalog.jsonb_typeof(v) = 'null' then
      continue;
    elsif pg_catalog.jsonb_typeof(v) in ('string', 'number', 'boolean') then
      t := pg_catalog.btrim(v #>> '{}');
    elsif pg_catalog.jsonb_typeof(v) = 'array' then
      select pg_catalog.string_agg(pg_catalog.btrim(x.value #>> '{}'), E'\n' order by x.ordinality)
        into t
        from pg_catalog.jsonb_array_elements(v) with ordinality as x(value, ordinality)
       where pg_catalog.jsonb_typeof(x.value) in ('string', 'number');
    else
      raise exception 'field % holds a JSON %', k, pg_catalog.jsonb_typeof(v);
    end if;
    if t is not null and t <> '' then
      return t;
    end if;
  end loop;
  return null;
end;
$$;

create function pg_temp.legacy_bool(entry jsonb, keys text[])
returns boolean
language plpgsql
immutable
set search_path = ''
as $$
declare
  k text;
begin
  foreach k in array keys loop
    if entry ? k then
      return pg_catalog.lower(entry ->> k) in ('true', 'yes', '1', 't');
    end if;
  end loop;
  return false;
end;
$$;

-- Dates as the old apps wrote them: 'YYYY-MM-DD', 'YYYY-MM' (the month's first day),
-- 'YYYY', 'MM/YYYY', or an ISO timestamp. Anything else is an error, so the entry is
-- archived instead of losing its date (the bug v2.0's service had).
create function pg_temp.legacy_date(value text)
returns date
language plpgsql
immutable
set search_path = ''
as $$
begin
  if value is null or pg_catalog.btrim(value) = '' then
    return null;
  elsif value ~ '^\d{4}-\d{2}-\d{2}$' then
    return value::date;
  elsif value ~ '^\d{4}-\d{2}-\d{2}T' then
    return pg_catalog.left(value, 10)::date;
  elsif value ~ '^\d{4}-\d{1,2}$' then
    return pg_catalog.to_date(value, 'YYYY-MM');
  elsif value ~ '^\d{1,2}/\d{4}$' then
    return pg_catalog.to_date(value, 'MM/YYYY');
  elsif value ~ '^\d{4}$' then
    return pg_catalog.to_date(value, 'YYYY');
  end if;
  raise exception 'date % is not YYYY-MM-DD, YYYY-MM or YYYY', pg_catalog.quote_literal(value);
end;
$$;

-- The column as a JSON array: v2.0 sometimes stored the array JSON-encoded in a string.
create function pg_temp.legacy_array(value jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  parsed jsonb;
begin
  if value is null or pg_catalog.jsonb_typeof(value) in ('array', 'null') then
    return value;
  elsif pg_catalog.jsonb_typeof(value) = 'string' then
    begin
      parsed := (value #>> '{}')::jsonb;
    exception when others then
      return null;
    end;
    if pg_catalog.jsonb_typeof(parsed) = 'array' then
      return parsed;
    end if;
  end if;
  return null;
end;
$$;

do $$
declare
  p record;
  e record;
  source_name text;
  entries jsonb;
  moved integer;
  merged integer;
  archived integer;
  v_name text;
  v_proficiency text;
  v_category text;
  v_title text;
  v_company text;
  v_school text;
  v_degree text;
  v_field text;
  v_start date;
  v_end date;
  v_end_text text;
  v_current boolean;
  v_url text;
  v_filename text;
  v_size text;
  v_default boolean;
begin
  foreach source_name in array array['skills', 'work_experience', 'education', 'resumes'] loop
    moved := 0;
    merged := 0;
    archived := 0;

    for p in
      select up.id, up.user_id, pg_catalog.to_jsonb(up) -> source_name as raw
        from public.user_profile up
       order by up.created_at, up.id
    loop
      entries := pg_temp.legacy_array(p.raw);
      if entries is null and p.raw is not null and pg_catalog.jsonb_typeof(p.raw) <> 'null' then
        insert into private.legacy_profile_entries (user_id, source, entry, reason)
        values (p.user_id, 'user_profile.' || source_name, p.raw, 'the column did not hold a JSON array');
        archived := archived + 1;
        continue;
      end if;

      for e in
        select x.value, x.ordinality from pg_catalog.jsonb_array_elements(coalesce(entries, '[]'::jsonb)) with ordinality as x(value, ordinality)
      loop
        begin
          if source_name = 'skills' then
            if pg_catalog.jsonb_typeof(e.value) = 'string' then
              v_name := pg_catalog.btrim(e.value #>> '{}');
              v_proficiency := null;
              v_category := null;
            elsif pg_catalog.jsonb_typeof(e.value) = 'object' then
              v_name := pg_temp.legacy_text(e.value, array['name', 'skill', 'title', 'label']);
              v_proficiency := pg_temp.legacy_text(e.value, array['proficiency', 'level']);
              v_category := pg_temp.legacy_text(e.value, array['category', 'type']);
            else
              raise exception 'a skill must be a string or an object, not a JSON %', pg_catalog.jsonb_typeof(e.value);
            end if;
            if v_name is null or v_name = '' then
              raise exception 'the skill has no name';
            end if;
            v_proficiency := private.normalise_skill_proficiency(v_proficiency);
            if v_proficiency not in ('beginner', 'intermediate', 'advanced', 'expert') then
              raise exception 'proficiency % is not beginner, intermediate, advanced or expert', pg_catalog.quote_literal(v_proficiency);
            end if;
            if exists (select 1 from public.user_skills s
                        where s.user_id = p.user_id and pg_catalog.lower(s.name) = pg_catalog.lower(v_name)) then
              merged := merged + 1;
            else
              insert into public.user_skills (user_id, name, proficiency, category)
              values (p.user_id, v_name, v_proficiency, coalesce(v_category, 'Technical'));
              moved := moved + 1;
            end if;

          elsif source_name = 'work_experience' then
            if pg_catalog.jsonb_typeof(e.value) <> 'object' then
              raise exception 'a work experience entry must be an object, not a JSON %', pg_catalog.jsonb_typeof(e.value);
            end if;
            v_title := pg_temp.legacy_text(e.value, array['title', 'position', 'job_title', 'jobTitle', 'role']);
            v_company := pg_temp.legacy_text(e.value, array['company', 'company_name', 'companyName', 'employer', 'organization']);
            if v_title is null or v_company is null then
              raise exception 'a work experience entry needs a title and a company';
            end if;
            v_start := pg_temp.legacy_date(pg_temp.legacy_text(e.value, array['start_date', 'startDate', 'start', 'from']));
            v_end_text := pg_temp.legacy_text(e.value, array['end_date', 'endDate', 'end', 'to']);
            v_current := pg_temp.legacy_bool(e.value, array['is_current', 'isCurrent', 'current']);
            if pg_catalog.lower(v_end_text) in ('present', 'current', 'now', 'ongoing') then
              v_current := true;
              v_end := null;
            else
              v_end := pg_temp.legacy_date(v_end_text);
            end if;
            if exists (select 1 from public.user_work_experience w
                        where w.user_id = p.user_id
                          and pg_catalog.lower(w.title) = pg_catalog.lower(v_title)
                          and pg_catalog.lower(w.company) = pg_catalog.lower(v_company)
                          and w.start_date is not distinct from v_start) then
              merged := merged + 1;
            else
              insert into public.user_work_experience (user_id, title, company, location, start_date, end_date, is_current, description)
              values (p.user_id, v_title, v_company, pg_temp.legacy_text(e.value, array['location', 'city']),
                      v_start, v_end, v_current,
                      pg_temp.legacy_text(e.value, array['description', 'summary', 'responsibilities']));
              moved := moved + 1;
            end if;

          elsif source_name = 'education' then
            if pg_catalog.jsonb_typeof(e.value) <> 'object' then
              raise exception 'an education entry must be an object, not a JSON %', pg_catalog.jsonb_typeof(e.value);
            end if;
            v_school := pg_temp.legacy_text(e.value, array['school', 'institution', 'university', 'college']);
            if v_school is null then
              raise exception 'an education entry needs a school';
            end if;
            v_degree := pg_temp.legacy_text(e.value, array['degree', 'qualification']);
            v_field := pg_temp.legacy_text(e.value, array['field', 'field_of_study', 'fieldOfStudy', 'major']);
            v_start := pg_temp.legacy_date(pg_temp.legacy_text(e.value, array['start_date', 'startDate', 'start', 'from']));
            v_end := pg_temp.legacy_date(pg_temp.legacy_text(e.value, array['end_date', 'endDate', 'end', 'to', 'graduation_date']));
            if exists (select 1 from public.user_education d
                        where d.user_id = p.user_id
                          and pg_catalog.lower(d.school) = pg_catalog.lower(v_school)
                          and pg_catalog.lower(coalesce(d.degree, '')) = pg_catalog.lower(coalesce(v_degree, ''))
                          and d.start_date is not distinct from v_start) then
              merged := merged + 1;
            else
              insert into public.user_education (user_id, school, degree, field, start_date, end_date)
              values (p.user_id, v_school, v_degree, v_field, v_start, v_end);
              moved := moved + 1;
            end if;

          else -- resumes
            if pg_catalog.jsonb_typeof(e.value) <> 'object' then
              raise exception 'a resume entry must be an object with a file URL and size, not a JSON %', pg_catalog.jsonb_typeof(e.value);
            end if;
            v_url := pg_temp.legacy_text(e.value, array['file_url', 'fileUrl', 'url']);
            if v_url is null then
              raise exception 'the resume has no file URL';
            end if;
            v_filename := coalesce(pg_temp.legacy_text(e.value, array['filename', 'file_name', 'fileName', 'name']),
                                   nullif(pg_catalog.regexp_replace(pg_catalog.split_part(v_url, '?', 1), '^.*/', ''), ''));
            if v_filename is null then
              raise exception 'the resume has no file name';
            end if;
            v_size := pg_temp.legacy_text(e.value, array['file_size', 'fileSize', 'size']);
            if v_size is null or v_size !~ '^\d+$' then
              raise exception 'the resume has no file size in bytes';
            end if;
            v_default := pg_temp.legacy_bool(e.value, array['is_default', 'isDefault', 'default']);
            if exists (select 1 from public.resumes r where r.user_id = p.user_id and r.file_url = v_url) then
              merged := merged + 1;
            else
              -- At most one default per user (enforced by a later migration): an
              -- existing default wins over one from the JSON copy.
              if v_default and exists (select 1 from public.resumes r where r.user_id = p.user_id and r.is_default) then
                v_default := false;
              end if;
              insert into public.resumes (user_id, filename, file_url, file_size, is_default)
              values (p.user_id, v_filename, v_url, v_size::integer, v_default);
              moved := moved + 1;
            end if;
          end if;
        exception when others then
          insert into private.legacy_profile_entries (user_id, source, entry, reason)
          values (p.user_id, 'user_profile.' || source_name, e.value, sqlerrm);
          archived := archived + 1;
        end;
      end loop;
    end loop;

    raise notice 'user_profile.%: % entries moved, % already present (merged), % archived in private.legacy_profile_entries',
      source_name, moved, merged, archived;
  end loop;
end
$$;
