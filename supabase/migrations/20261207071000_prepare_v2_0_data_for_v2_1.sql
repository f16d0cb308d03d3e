-- Why: the v2.1 schema (supabase/schemas) adds rules that rows a v2.0 database holds can
-- break: a closed vocabulary of job statuses and skill proficiencies, absolute URLs, JSON
-- objects, one default resume, one current builder row, one active wizard session per
-- template, unique case-insensitive skill names, one job per URL, byte limits, row caps.
-- Before the next migration (generated from supabase/schemas) adds those rules, this one
-- brings the data to them, and moves the deprecated JSONB copies in user_profile into
-- their tables. Nothing is dropped silently: every value that cannot be mapped is kept
-- verbatim in private.legacy_profile_entries with the reason, and each step prints a
-- NOTICE with its counts. The steps run in the order of the v2.1 migrations they replace
-- (named in each heading), so that the same rows win where two rules meet. Fixes of a
-- flag or of a format, not of user content, leave updated_at as it was.
--
-- Mapping functions are session-local (pg_temp): their permanent versions, which the
-- write-path triggers use, are created by the next migration from supabase/schemas.

-- New objects start closed in both grant regimes (auto_expose_new_tables on or off), as
-- supabase/schemas/00_platform.sql declares; stated by hand because pg-delta plans
-- default privileges for a schema as a grant to PUBLIC.
alter default privileges for role postgres in schema public
  revoke all on tables from anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  revoke all on sequences from anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  revoke all on functions from anon, authenticated, service_role;
alter default privileges for role postgres
  revoke execute on functions from public;

-- 0. The archive (supabase/schemas/00_platform.sql), in the schema the Data API does not expose.

create schema if not exists private;
revoke all on schema private from public;

create table if not exists private.legacy_profile_entries (
  id bigint generated always as identity not null,
  -- Nullable: a few archived values (template preview URLs) belong to no user.
  user_id uuid,
  source text not null,
  entry jsonb not null,
  reason text not null,
  archived_at timestamptz not null default now(),
  constraint legacy_profile_entries_pkey primary key (id),
  constraint legacy_profile_entries_user_id_fkey foreign key (user_id) references auth.users (id) on delete cascade
);
create index if not exists idx_legacy_profile_entries_source on private.legacy_profile_entries (source);
create index if not exists idx_legacy_profile_entries_user_id on private.legacy_profile_entries (user_id);
revoke all on table private.legacy_profile_entries from public, anon, authenticated, service_role;

-- pg_cron runs the nightly jobs the next migration schedules. On Supabase (hosted and
-- `supabase start`) it is preloaded but not created until someone enables it; it is
-- created wherever the server can run it in this database (into pg_catalog, as the
-- platform allows). Where it cannot, a NOTICE names the reason: the jobs must then run
-- from another scheduler (see supabase/schemas/40_wizard.sql and 60_ai.sql).
do $$
declare
  cron_database text := pg_catalog.current_setting('cron.database_name', true);
  reason text;
begin
  if not exists (select 1 from pg_catalog.pg_available_extensions where name = 'pg_cron') then
    reason := 'the server has no pg_cron extension';
  elsif cron_database is null or cron_database = '' then
    reason := 'pg_cron is not in shared_preload_libraries';
  elsif cron_database <> pg_catalog.current_database() then
    reason := pg_catalog.format('pg_cron runs in database %I only (cron.database_name)', cron_database);
  end if;
  if reason is null then
    create extension if not exists pg_cron with schema pg_catalog;
  else
    raise notice 'pg_cron is not available here (%): the scheduled jobs must run elsewhere', reason;
  end if;
end
$$;

-- The closed vocabularies below are stated here, next to the data fixes that meet them,
-- rather than left to the generated migration: pg-delta renders a `varchar in (...)` CHECK
-- in a form that PostgreSQL stores differently, so the generated statement would not
-- reproduce the declared rule text. For the same reason user_languages (the live app's
-- table, which v2.0 lacks) is created here with its vocabulary; the next migration adds
-- its triggers, policies, grants and comments.
create table public.user_languages (
  id uuid not null default gen_random_uuid(),
  user_id uuid not null default auth.uid(),
  language varchar(100) not null,
  proficiency varchar(50),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint user_languages_pkey primary key (id),
  constraint user_languages_user_id_fkey foreign key (user_id) references auth.users (id) on delete cascade,
  constraint user_languages_user_id_language_key unique (user_id, language),
  constraint user_languages_language_check check (pg_catalog.btrim(language) <> ''),
  constraint user_languages_proficiency_check check (proficiency in ('beginner', 'intermediate', 'advanced', 'native'))
);

-- 1. Skill proficiencies: one lowercase vocabulary (20261125100200).

-- user_skills.proficiency was free text; the app sends 'Beginner' | 'Intermediate' |
-- 'Expert' and older data holds any spelling. Store one lowercase vocabulary
-- (beginner, intermediate, advanced, expert, or null), normalise what clients send
-- on write, and migrate existing rows. A value that means nothing we know is
-- archived with its row and cleared rather than guessed.
create function pg_temp.normalise_skill_proficiency(value text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case pg_catalog.lower(pg_catalog.regexp_replace(pg_catalog.btrim(value), '[[:space:]_-]+', ' ', 'g'))
    when '' then null
    when 'beginner' then 'beginner'
    when 'novice' then 'beginner'
    when 'basic' then 'beginner'
    when 'elementary' then 'beginner'
    when 'entry level' then 'beginner'
    when 'intermediate' then 'intermediate'
    when 'competent' then 'intermediate'
    when 'moderate' then 'intermediate'
    when 'working knowledge' then 'intermediate'
    when 'advanced' then 'advanced'
    when 'proficient' then 'advanced'
    when 'strong' then 'advanced'
    when 'expert' then 'expert'
    when 'master' then 'expert'
    when 'mastery' then 'expert'
    else pg_catalog.lower(pg_catalog.btrim(value))
  end
$$;

-- Existing rows: a data fix, not a user edit, so updated_at is left as it was.
alter table public.user_skills disable trigger update_user_skills_updated_at;

do $$
declare
  archived integer;
  normalised integer;
begin
  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select s.user_id, 'user_skills.proficiency', pg_catalog.to_jsonb(s),
         pg_catalog.format('proficiency %L is not beginner, intermediate, advanced or expert; cleared', s.proficiency)
    from public.user_skills s
   where pg_temp.normalise_skill_proficiency(s.proficiency) not in ('beginner', 'intermediate', 'advanced', 'expert');
  get diagnostics archived = row_count;

  update public.user_skills s
     set proficiency = case
           when pg_temp.normalise_skill_proficiency(s.proficiency) in ('beginner', 'intermediate', 'advanced', 'expert')
             then pg_temp.normalise_skill_proficiency(s.proficiency)
         end
   where s.proficiency is distinct from pg_temp.normalise_skill_proficiency(s.proficiency)
      or pg_temp.normalise_skill_proficiency(s.proficiency) not in ('beginner', 'intermediate', 'advanced', 'expert');
  get diagnostics normalised = row_count;

  raise notice 'user_skills.proficiency: % rows normalised, % unknown values archived and cleared', normalised, archived;
end
$$;

alter table public.user_skills enable trigger update_user_skills_updated_at;


alter table public.user_skills
  add constraint user_skills_proficiency_check
  check (proficiency in ('beginner', 'intermediate', 'advanced', 'expert'));

-- 2. The JSONB copies in user_profile move into their tables (20261125100300).

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
            v_proficiency := pg_temp.normalise_skill_proficiency(v_proficiency);
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

-- 3. Job statuses: eight pipeline values (20261125100500).

-- jobs.status was free text: the app sends Title Case ('Applied'), older versions
-- lowercase, the spec's examples say 'interview'. Funnel analytics and the dashboard
-- need one vocabulary, so status becomes one of eight lowercase pipeline values,
-- enforced by a named CHECK. A trigger normalises what clients send (trim, lowercase,
-- obvious synonyms); existing rows are migrated. A row whose status means nothing we
-- know is archived as it was and placed at 'applied' when it has a date_applied,
-- else at 'bookmarked'.
create function pg_temp.normalise_job_status(value text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case pg_catalog.lower(pg_catalog.regexp_replace(pg_catalog.btrim(value), '[[:space:]_-]+', ' ', 'g'))
    when 'bookmarked' then 'bookmarked'
    when 'bookmark' then 'bookmarked'
    when 'saved' then 'bookmarked'
    when 'wishlist' then 'bookmarked'
    when 'interested' then 'bookmarked'
    when 'applying' then 'applying'
    when 'in progress' then 'applying'
    when 'preparing' then 'applying'
    when 'applied' then 'applied'
    when 'submitted' then 'applied'
    when 'application submitted' then 'applied'
    when 'interviewing' then 'interviewing'
    when 'interview' then 'interviewing'
    when 'interviews' then 'interviewing'
    when 'interviewed' then 'interviewing'
    when 'phone screen' then 'interviewing'
    when 'screening' then 'interviewing'
    when 'negotiating' then 'negotiating'
    when 'negotiation' then 'negotiating'
    when 'offer' then 'negotiating'
    when 'offered' then 'negotiating'
    when 'offer received' then 'negotiating'
    when 'accepted' then 'accepted'
    when 'hired' then 'accepted'
    when 'offer accepted' then 'accepted'
    when 'rejected' then 'rejected'
    when 'rejection' then 'rejected'
    when 'not selected' then 'rejected'
    when 'withdrawn' then 'withdrawn'
    when 'withdrew' then 'withdrawn'
    when 'withdraw' then 'withdrawn'
    else pg_catalog.lower(pg_catalog.btrim(value))
  end
$$;

alter table public.jobs disable trigger update_jobs_updated_at;

do $$
declare
  archived integer;
  normalised integer;
begin
  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select j.user_id, 'jobs.status', pg_catalog.to_jsonb(j),
         pg_catalog.format('status %L is not a pipeline status; set to %s', j.status,
                           case when j.date_applied is not null then 'applied' else 'bookmarked' end)
    from public.jobs j
   where pg_temp.normalise_job_status(j.status) not in
         ('bookmarked', 'applying', 'applied', 'interviewing', 'negotiating', 'accepted', 'rejected', 'withdrawn');
  get diagnostics archived = row_count;

  update public.jobs j
     set status = case
           when pg_temp.normalise_job_status(j.status) in
                ('bookmarked', 'applying', 'applied', 'interviewing', 'negotiating', 'accepted', 'rejected', 'withdrawn')
             then pg_temp.normalise_job_status(j.status)
           when j.date_applied is not null then 'applied'
           else 'bookmarked'
         end
   where j.status is distinct from pg_temp.normalise_job_status(j.status)
      or pg_temp.normalise_job_status(j.status) not in
         ('bookmarked', 'applying', 'applied', 'interviewing', 'negotiating', 'accepted', 'rejected', 'withdrawn');
  get diagnostics normalised = row_count;

  raise notice 'jobs.status: % rows normalised, % unknown statuses archived', normalised, archived;
end
$$;

alter table public.jobs enable trigger update_jobs_updated_at;


alter table public.jobs
  add constraint jobs_status_check
  check (status in ('bookmarked', 'applying', 'applied', 'interviewing', 'negotiating', 'accepted', 'rejected', 'withdrawn'));

-- 4. One default resume per user (20261125101000).

-- Existing duplicates: the most recently updated default stays default. This fixes
-- a flag, not user content, so updated_at is left as it was.
alter table public.resumes disable trigger update_resumes_updated_at;

do $$
declare
  fixed integer;
begin
  update public.resumes r
     set is_default = false
    from (
      select x.id,
             pg_catalog.row_number() over (partition by x.user_id
                                           order by x.updated_at desc nulls last, x.created_at desc nulls last, x.id) as n
        from public.resumes x
       where x.is_default
    ) ranked
   where ranked.id = r.id and ranked.n > 1;
  get diagnostics fixed = row_count;
  raise notice 'resumes: % extra default resumes unset (the most recently updated one per user kept)', fixed;
end
$$;

alter table public.resumes enable trigger update_resumes_updated_at;

-- 5. One current resume_builder_data row per user (20261125101100).

-- A user has at most one current resume_builder_data row (the resume the builder
-- opens). Enforce it with a unique partial index; switching takes two updates, so
-- clients call set_current_resume_builder() to do it atomically.
alter table public.resume_builder_data disable trigger update_resume_builder_data_updated_at;

do $$
declare
  fixed integer;
begin
  update public.resume_builder_data b
     set is_current = false
    from (
      select x.id,
             pg_catalog.row_number() over (partition by x.user_id
                                           order by x.updated_at desc nulls last, x.created_at desc nulls last, x.id) as n
        from public.resume_builder_data x
       where x.is_current
    ) ranked
   where ranked.id = b.id and ranked.n > 1;
  get diagnostics fixed = row_count;
  raise notice 'resume_builder_data: % extra current rows unset (the most recently updated one per user kept)', fixed;
end
$$;

alter table public.resume_builder_data enable trigger update_resume_builder_data_updated_at;

-- 6. Every user has a profile (20261125101200).

insert into public.user_profile (user_id, full_name)
select u.id,
       pg_catalog.left(coalesce(nullif(pg_catalog.btrim(u.raw_user_meta_data ->> 'full_name'), ''),
                                nullif(pg_catalog.btrim(u.raw_user_meta_data ->> 'name'), ''),
                                nullif(pg_catalog.split_part(coalesce(u.email, ''), '@', 1), ''),
                                'Your Name'), 255)
  from auth.users u
 where not exists (select 1 from public.user_profile p where p.user_id = u.id);

-- 7. current_version is the newest version (20261125101300).

alter table public.generated_resumes disable trigger update_generated_resumes_updated_at;

update public.generated_resumes gr
   set current_version = latest.version_number
  from (select v.generated_resume_id, max(v.version_number) as version_number
          from public.generated_resume_versions v
         group by v.generated_resume_id) latest
 where latest.generated_resume_id = gr.id
   and gr.current_version is distinct from latest.version_number;

alter table public.generated_resumes enable trigger update_generated_resumes_updated_at;

-- 8. URLs are absolute http(s) URLs (20261125101400).

-- job_url is opened by the app and by the duplicate check; preview_url is shown as an
-- image. Both must be absolute http(s) URLs (the spec's "database-level validation
-- for URLs"). Existing values are repaired where the intent is clear (blank → null,
-- a bare domain gets https://); anything else is archived and cleared.
alter table public.jobs disable trigger update_jobs_updated_at;

alter table public.templates disable trigger update_templates_updated_at;

do $$
declare
  url_pattern constant text := '^https?://[^[:space:]/?#]+[^[:space:]]*$';
  domain_pattern constant text := '^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}([/?#][^[:space:]]*)?$';
  repaired integer;
  archived integer;
begin
  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select j.user_id, 'jobs.job_url', pg_catalog.to_jsonb(j), 'job_url is not an http(s) URL; cleared'
    from public.jobs j
   where pg_catalog.btrim(j.job_url) <> ''
     and pg_catalog.btrim(j.job_url) !~* url_pattern
     and pg_catalog.btrim(j.job_url) !~* domain_pattern;
  get diagnostics archived = row_count;

  update public.jobs j
     set job_url = case
           when pg_catalog.btrim(j.job_url) = '' then null
           when pg_catalog.btrim(j.job_url) ~* url_pattern then pg_catalog.btrim(j.job_url)
           when pg_catalog.btrim(j.job_url) ~* domain_pattern then 'https://' || pg_catalog.btrim(j.job_url)
         end
   where j.job_url is not null and j.job_url !~* url_pattern;
  get diagnostics repaired = row_count;
  raise notice 'jobs.job_url: % values repaired or cleared, % archived', repaired, archived;

  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select null, 'templates.preview_url', pg_catalog.to_jsonb(t), 'preview_url is not an http(s) URL; cleared'
    from public.templates t
   where pg_catalog.btrim(t.preview_url) <> ''
     and pg_catalog.btrim(t.preview_url) !~* url_pattern
     and pg_catalog.btrim(t.preview_url) !~* domain_pattern;

  update public.templates t
     set preview_url = case
           when pg_catalog.btrim(t.preview_url) = '' then null
           when pg_catalog.btrim(t.preview_url) ~* url_pattern then pg_catalog.btrim(t.preview_url)
           when pg_catalog.btrim(t.preview_url) ~* domain_pattern then 'https://' || pg_catalog.btrim(t.preview_url)
         end
   where t.preview_url is not null and t.preview_url !~* url_pattern;
end
$$;

alter table public.jobs enable trigger update_jobs_updated_at;

alter table public.templates enable trigger update_templates_updated_at;

-- 9. Template slugs are lowercase-kebab (20261125101500).

-- Template slugs appear in URLs and in resume_builder_data.template_id
-- ('modern-professional'); the spec calls them URL-friendly, so require
-- lowercase-kebab. Existing slugs are rewritten to that form (suffixed when two
-- collide) and the builder rows that point at them follow.
alter table public.templates disable trigger update_templates_updated_at;

alter table public.resume_builder_data disable trigger update_resume_builder_data_updated_at;

do $$
declare
  t record;
  candidate text;
  n integer;
  renamed integer := 0;
begin
  for t in
    select x.id, x.slug from public.templates x
     where x.slug !~ '^[a-z0-9]+(-[a-z0-9]+)*$'
     order by x.created_at, x.id
  loop
    candidate := pg_catalog.btrim(pg_catalog.regexp_replace(pg_catalog.lower(t.slug), '[^a-z0-9]+', '-', 'g'), '-');
    if candidate = '' then
      candidate := 'template';
    end if;
    n := 1;
    while exists (select 1 from public.templates y where y.slug = candidate || case when n > 1 then '-' || n end) loop
      n := n + 1;
    end loop;
    candidate := candidate || case when n > 1 then '-' || n else '' end;

    update public.resume_builder_data b set template_id = candidate where b.template_id = t.slug;
    update public.templates y set slug = candidate where y.id = t.id;
    raise notice 'templates.slug: % renamed to %', pg_catalog.quote_literal(t.slug), pg_catalog.quote_literal(candidate);
    renamed := renamed + 1;
  end loop;
  raise notice 'templates.slug: % slugs rewritten to lowercase-kebab', renamed;
end
$$;

alter table public.templates enable trigger update_templates_updated_at;

alter table public.resume_builder_data enable trigger update_resume_builder_data_updated_at;

-- 10. Documents are JSON objects (20261125101600).

-- resume_data, content_json and draft_json are documents with named sections; the
-- old service stored them JSON-encoded inside a JSONB string, which every reader then
-- had to decode twice. Require JSON objects. Existing strings that hold an object are
-- decoded; any other non-object is archived and replaced by an empty object.
create function pg_temp.decode_json_object(value jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  parsed jsonb;
begin
  if pg_catalog.jsonb_typeof(value) = 'string' then
    begin
      parsed := (value #>> '{}')::jsonb;
    exception when others then
      return null;
    end;
    if pg_catalog.jsonb_typeof(parsed) = 'object' then
      return parsed;
    end if;
  end if;
  return null;
end;
$$;

alter table public.resume_builder_data disable trigger update_resume_builder_data_updated_at;

alter table public.wizard_sessions disable trigger update_wizard_sessions_updated_at;

do $$
declare
  decoded integer;
  archived integer;
begin
  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select b.user_id, 'resume_builder_data.resume_data', pg_catalog.to_jsonb(b), 'resume_data was not a JSON object; replaced by {}'
    from public.resume_builder_data b
   where pg_catalog.jsonb_typeof(b.resume_data) <> 'object' and pg_temp.decode_json_object(b.resume_data) is null;
  get diagnostics archived = row_count;
  update public.resume_builder_data b
     set resume_data = coalesce(pg_temp.decode_json_object(b.resume_data), '{}'::jsonb)
   where pg_catalog.jsonb_typeof(b.resume_data) <> 'object';
  get diagnostics decoded = row_count;
  raise notice 'resume_builder_data.resume_data: % rows fixed, % of them archived', decoded, archived;

  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select gr.user_id, 'generated_resume_versions.content_json', pg_catalog.to_jsonb(v), 'content_json was not a JSON object; replaced by {}'
    from public.generated_resume_versions v
    join public.generated_resumes gr on gr.id = v.generated_resume_id
   where pg_catalog.jsonb_typeof(v.content_json) <> 'object' and pg_temp.decode_json_object(v.content_json) is null;
  get diagnostics archived = row_count;
  update public.generated_resume_versions v
     set content_json = coalesce(pg_temp.decode_json_object(v.content_json), '{}'::jsonb)
   where pg_catalog.jsonb_typeof(v.content_json) <> 'object';
  get diagnostics decoded = row_count;
  raise notice 'generated_resume_versions.content_json: % rows fixed, % of them archived', decoded, archived;

  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select w.user_id, 'wizard_sessions.draft_json', pg_catalog.to_jsonb(w), 'draft_json was not a JSON object; replaced by {}'
    from public.wizard_sessions w
   where pg_catalog.jsonb_typeof(w.draft_json) <> 'object' and pg_temp.decode_json_object(w.draft_json) is null;
  get diagnostics archived = row_count;
  update public.wizard_sessions w
     set draft_json = coalesce(pg_temp.decode_json_object(w.draft_json), '{}'::jsonb)
   where pg_catalog.jsonb_typeof(w.draft_json) <> 'object';
  get diagnostics decoded = row_count;
  raise notice 'wizard_sessions.draft_json: % rows fixed, % of them archived', decoded, archived;
end
$$;

alter table public.resume_builder_data enable trigger update_resume_builder_data_updated_at;

alter table public.wizard_sessions enable trigger update_wizard_sessions_updated_at;

-- 11. resumes.file_url names an object in the owner's folder (20261125200300).

-- Why: `resumes.file_url` was a free-text public URL into a public bucket. The bucket is
-- now private, so the row must name the object instead: `file_url` holds the object
-- path inside the `resumes` bucket (`{user_id}/resumes/{uuid}.pdf`), and that path must
-- lie in the owner's own folder, or one user could point a row at another user's file.
--
-- Upgrade of v2.0 rows: a Supabase Storage URL into the resumes bucket
-- (`https://<project>/storage/v1/object/{public|sign|authenticated}/resumes/<path>[?...]`)
-- is rewritten to `<path>`; its original value is kept in private.legacy_profile_entries
-- (source 'resumes.file_url'). Anything else (a foreign URL, a path in someone else's
-- folder) is left as it was, archived there too, and reported in a NOTICE: the rule
-- below is a trigger, not a CHECK, so it judges only new paths (insert, or an update
-- that changes file_url or user_id) and such a legacy row stays editable otherwise.
create function pg_temp.resume_object_path(file_url text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case
    when file_url ~ '^https?://[^/]+/storage/v1/object/(public|sign|authenticated)/resumes/[^?#]+'
      then substring(file_url from '^https?://[^/]+/storage/v1/object/(?:public|sign|authenticated)/resumes/([^?#]+)')
    else file_url
  end
$$;

create function pg_temp.is_in_owner_folder(object_path text, owner_id uuid)
returns boolean
language sql
immutable
set search_path = ''
as $$
  -- `{owner}/<at least one more segment>`, with no empty or parent-directory segments
  select object_path is not null
     and split_part(object_path, '/', 1) = owner_id::text
     and object_path ~ '^[^/]+/.+[^/]$'
     and object_path !~ '(^|/)\.\.?(/|$)'
     and object_path !~ '//'
$$;

do $$
declare
  converted integer;
  left_as_is integer;
begin
  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select r.user_id, 'resumes.file_url',
         jsonb_build_object('resume_id', r.id, 'file_url', r.file_url),
         case when pg_temp.is_in_owner_folder(pg_temp.resume_object_path(r.file_url), r.user_id)
              then 'v2.0 storage URL rewritten to its object path in the resumes bucket'
              else 'not an object path in the owner''s folder of the resumes bucket; left unchanged' end
    from public.resumes r
   where not pg_temp.is_in_owner_folder(r.file_url, r.user_id);

  update public.resumes r
     set file_url = pg_temp.resume_object_path(r.file_url)
   where not pg_temp.is_in_owner_folder(r.file_url, r.user_id)
     and pg_temp.is_in_owner_folder(pg_temp.resume_object_path(r.file_url), r.user_id);
  get diagnostics converted = row_count;

  select count(*) into left_as_is
    from public.resumes r
   where not pg_temp.is_in_owner_folder(r.file_url, r.user_id);

  raise notice 'resumes.file_url: % v2.0 storage URL(s) rewritten to object paths, % legacy value(s) left unchanged (see private.legacy_profile_entries, source resumes.file_url)',
    converted, left_as_is;
end
$$;

-- 12. One active wizard session per user and template (20261125300000).

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

-- 13. wizard_sessions.last_step is 0-8 (20261125500000).

-- Why: update_wizard_session refuses a last_step outside 0-8, but a client updating
-- wizard_sessions directly through PostgREST could store any integer, and the wizard
-- would then open a step that does not exist. The bound is now a named CHECK that
-- binds every writer. null stays allowed (v2.0 allowed it; the RPCs read it as 0).
--
-- Existing rows outside the range are clamped to the nearest step (a negative step is
-- "not started", anything past 8 is the last step); each is archived first with its
-- original value. This fixes a counter, not the user's draft, so updated_at is kept
-- (the stale-session sweep keys on it). It runs before the lifecycle trigger
-- (20261125500100), which would refuse to touch completed or abandoned sessions.
alter table public.wizard_sessions disable trigger update_wizard_sessions_updated_at;

do $$
declare
  clamped integer;
begin
  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select w.user_id, 'wizard_sessions.last_step', pg_catalog.to_jsonb(w),
         pg_catalog.format('last_step %s is outside 0-8; clamped to %s', w.last_step,
                           least(greatest(w.last_step, 0), 8))
    from public.wizard_sessions w
   where w.last_step not between 0 and 8;

  update public.wizard_sessions w
     set last_step = least(greatest(w.last_step, 0), 8)
   where w.last_step not between 0 and 8;
  get diagnostics clamped = row_count;
  raise notice 'wizard_sessions.last_step: % rows outside 0-8 clamped and archived', clamped;
end
$$;

alter table public.wizard_sessions enable trigger update_wizard_sessions_updated_at;

-- 14. A user has each skill once, compared case-insensitively (20261125500200).

-- One statement per table: the rows deleted are exactly the rows archived.
do $$
declare
  removed integer;
begin
  with removed_rows as (
    delete from public.user_skills s
     where s.id in (select ranked.id
                      from (select x.id,
                                   pg_catalog.row_number() over (partition by x.user_id, pg_catalog.lower(x.name)
                                                                 order by x.created_at nulls last, x.id) as n
                              from public.user_skills x) ranked
                     where ranked.n > 1)
    returning s.*
  )
  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select r.user_id, 'user_skills', pg_catalog.to_jsonb(r),
         pg_catalog.format('skill %L duplicates an older skill of the same user in another case; removed', r.name)
    from removed_rows r;
  get diagnostics removed = row_count;
  raise notice 'user_skills: % case-insensitive duplicates archived and removed (the oldest row per user and name kept)', removed;
end
$$;

-- 15. ai_events rows that are not logged model calls go to the archive (20261201110000).

-- Why: a signed-in user may insert their own ai_events rows (the functions log each
-- model call as the caller), and the AI rate limit and daily token budget are sums and
-- counts over those rows. Nothing stopped a client from inserting a row with token
-- counts of -2147483648 (which opens the budget again) or a created_at in 2099 or
-- null (which moves a call out of every window). Now:
--   - token counts and latency are zero or more (named CHECKs);
--   - created_at is never null;
--   - on insert by an API role the server sets id and created_at, whatever was sent.
-- The table owner (migrations, data loads, tests acting as postgres) may still write
-- history with its own timestamps.
-- Existing rows that break these rules were forged, not logged: they are moved to
-- private.legacy_profile_entries (source 'ai_events', the whole row) and removed, so the
-- limits stop counting them and nothing is lost.
do $$
declare
  moved integer;
begin
  with forged as (
    delete from public.ai_events e
     where e.input_tokens < 0 or e.output_tokens < 0 or e.latency_ms < 0
        or e.created_at is null or e.created_at > now() + interval '5 minutes'
    returning e.*
  )
  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select f.user_id, 'ai_events', to_jsonb(f),
         'negative token count or latency, or a missing or future created_at: not a logged model call'
    from forged f;
  get diagnostics moved = row_count;
  raise notice 'ai_events: % row(s) with negative counts or impossible timestamps archived to private.legacy_profile_entries (source ai_events)', moved;
end
$$;

-- 16. Text and JSON sizes (20261201110400): a value over its column's new byte limit is
-- archived whole (source `<table>.<column>`, entry {id, value}) and then cut to the limit
-- (text) or emptied (JSON: {} or [] as the column requires; URLs and tokens: null, since a
-- cut URL could fail its format check). Only columns v2.0 has; the limits are the
-- `<table>_<column>_size` CHECKs of supabase/schemas.
create function pg_temp.cut_to_bytes(value text, max_bytes integer)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  kept text := pg_catalog.left(value, max_bytes);
begin
  -- A character is 1 to 4 bytes in UTF-8: drop at least a quarter of the excess each
  -- round, so this ends in a few rounds, on a character boundary.
  while pg_catalog.octet_length(kept) > max_bytes loop
    kept := pg_catalog.left(kept, pg_catalog.char_length(kept)
                                  - greatest(1, (pg_catalog.octet_length(kept) - max_bytes + 3) / 4));
  end loop;
  return kept;
end
$$;

do $$
declare
  c record;
  fixed integer;
begin
  for c in
    select * from (values
      ('jobs', 'description', 102400, null),
      ('jobs', 'job_url', 2048, null),
      ('user_work_experience', 'description', 20480, null),
      ('user_profile', 'profile_picture_url', 2048, null),
      ('resumes', 'file_url', 1024, null),
      ('resume_builder_data', 'resume_data', 524288, '{}'),
      ('wizard_sessions', 'draft_json', 524288, '{}'),
      ('wizard_sessions', 'progress', 16384, '{}'),
      ('generated_resumes', 'title', 1024, null),
      ('generated_resumes', 'share_token', 128, null),
      ('generated_resume_versions', 'content_json', 524288, '{}'),
      ('generated_resume_versions', 'render_artifact_url', 2048, null),
      ('ai_events', 'error', 4096, null),
      ('ai_events', 'provider', 100, null),
      ('ai_events', 'model', 200, null),
      ('templates', 'name', 255, null),
      ('templates', 'slug', 100, null),
      ('templates', 'preview_url', 2048, null),
      ('templates', 'schema', 262144, '{}')
    ) v(table_name, column_name, max_bytes, empty_json)
  loop
    execute format(
      $sql$
      with oversized as (
        select t.id, %2$s as user_id, to_jsonb(t.%3$I) as value
          from public.%1$I t
         where octet_length(t.%3$I::text) > %4$s
      ), archived as (
        insert into private.legacy_profile_entries (user_id, source, entry, reason)
        select o.user_id, %5$L, jsonb_build_object('id', o.id, 'value', o.value),
               'larger than the ' || %4$s || '-byte limit of ' || %5$L || '; the stored value was cut or emptied'
          from oversized o
        returning 1
      )
      update public.%1$I t
         set %3$I = %6$s
        from oversized o
       where t.id = o.id
      $sql$,
      c.table_name,
      case when c.table_name in ('templates') then 'null::uuid'
           when c.table_name = 'generated_resume_versions'
             then '(select gr.user_id from public.generated_resumes gr where gr.id = t.generated_resume_id)'
           else 't.user_id' end,
      c.column_name,
      c.max_bytes,
      c.table_name || '.' || c.column_name,
      case when c.empty_json is not null then quote_literal(c.empty_json) || '::jsonb'
           when c.column_name ~ '(url|token)$' and c.column_name <> 'file_url' then 'null'
           else format('pg_temp.cut_to_bytes(t.%I, %s)', c.column_name, c.max_bytes) end);
    get diagnostics fixed = row_count;
    if fixed > 0 then
      raise notice '%.%: % value(s) over % bytes archived to private.legacy_profile_entries and cut or emptied',
        c.table_name, c.column_name, fixed, c.max_bytes;
    end if;
  end loop;
end
$$;

-- 17. Versions per resume (20261201110500): a generated resume keeps at most 100 versions
-- (a CHECK the next migration adds). The per-user row caps are settled after it, where
-- the counters and the status history they archive with a job exist.
-- Versions beyond 100 per resume: archived, removed, and current_version follows.
do $$
declare
  moved integer;
begin
  with over_cap as (
    delete from public.generated_resume_versions v where v.version_number > 100 returning v.*
  )
  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select gr.user_id, 'generated_resume_versions.versions_per_resume', to_jsonb(o),
         'version number over 100, the most one resume may keep'
    from over_cap o join public.generated_resumes gr on gr.id = o.generated_resume_id;
  get diagnostics moved = row_count;
  if moved > 0 then
    update public.generated_resumes gr
       set current_version = (select max(v.version_number) from public.generated_resume_versions v where v.generated_resume_id = gr.id)
     where gr.current_version > 100;
    raise notice 'generated_resume_versions: % version(s) over 100 per resume archived and removed', moved;
  end if;
end
$$;

-- 18. One job per URL per user (20261201130200): per user and job_url the oldest job is
-- kept (created_at, then id); every later one is archived whole (source 'jobs.job_url',
-- with the id of the job kept) and removed. v2.0 jobs have no status history or cover
-- letters yet, so status_events is [] and nothing moves to the kept job.
do $$
declare
  archived integer;
begin
  create temporary table duplicate_jobs on commit drop as
  select ranked.id, ranked.kept_id
    from (select j.id,
                 pg_catalog.first_value(j.id) over owner_url as kept_id,
                 pg_catalog.row_number() over owner_url as position
            from public.jobs j
           where j.job_url is not null
          window owner_url as (partition by j.user_id, j.job_url order by j.created_at nulls last, j.id)) ranked
   where ranked.position > 1;

  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select j.user_id, 'jobs.job_url',
         pg_catalog.to_jsonb(j) || pg_catalog.jsonb_build_object(
           'kept_job_id', d.kept_id,
           'status_events', '[]'::jsonb),
         'a later job with the same job_url as an older job of the same user; the oldest (kept_job_id) was kept'
    from public.jobs j
    join duplicate_jobs d on d.id = j.id;
  get diagnostics archived = row_count;

  delete from public.jobs j using duplicate_jobs d where j.id = d.id;

  raise notice 'jobs: % duplicate job(s) per (user_id, job_url) archived to private.legacy_profile_entries (source jobs.job_url)',
    archived;
end
$$;
