-- Profile: who the user is, as a resume starts from it. One user_profile row per user
-- (created at sign-up by a trigger on auth.users), and the normalized lists: skills,
-- work experience, education, languages. Every table is owner-only under RLS; vocabularies
-- (proficiencies) are normalised on write so any spelling a client sends is stored one way.

-- Tables

create table public.user_profile (
  id uuid primary key default extensions.uuid_generate_v4(),
  -- Owner columns default to the caller, so a client inserts without its own id; the
  -- insert policy still refuses any other user_id.
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  full_name varchar(255) not null, -- at sign-up: the OAuth name, else the email's local part
  job_title varchar(255),
  location varchar(255),
  profile_picture_url text,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  first_name varchar(255),
  last_name varchar(255),
  phone varchar(50),
  professional_summary text,
  social_links jsonb not null default '[]'::jsonb,
  -- Kept from the live app: a contact email for the profile (the account's own email is
  -- auth.users.email), how the user heard of us, and whether onboarding was finished.
  email varchar(255),
  referral_source varchar(100),
  profile_completed boolean not null default false,
  -- The tier of the user's subscription (public.subscriptions), kept equal to it by
  -- triggers in 15_subscriptions.sql: readable by the owner, written by nobody else.
  subscription_tier varchar(50) not null default 'free',
  -- A JSON array of {platform, url} objects with string values, so every reader can rely on the shape.
  constraint user_profile_social_links_check check (
    pg_catalog.jsonb_typeof(social_links) = 'array'
    and not pg_catalog.jsonb_path_exists(social_links, 'strict $[*] ? (@.type() != "object")')
    and not pg_catalog.jsonb_path_exists(
      social_links,
    -- strict: every element itself must be an object (lax mode would unwrap nested arrays)
      '$[*] ? (!(@.platform.type() == "string" && @.url.type() == "string"))'
    )
  ),
  constraint user_profile_professional_summary_size check (octet_length(professional_summary) <= 10240),
  constraint user_profile_social_links_size check (octet_length(social_links::text) <= 16384),
  constraint user_profile_profile_picture_url_size check (octet_length(profile_picture_url) <= 2048),
  constraint user_profile_email_format check (email ~ '^[^[:space:]@]+@[^[:space:]@]+$'),
  constraint user_profile_referral_source_not_blank check (pg_catalog.btrim(referral_source) <> ''),
  constraint user_profile_subscription_tier_check check (subscription_tier::text = any (array['free', 'pro']))
);
alter table public.user_profile enable row level security;
comment on table public.user_profile is $$One profile per user: the personal details a resume starts from.$$;
comment on column public.user_profile.full_name is $$Full name as shown on resumes.$$;
comment on column public.user_profile.job_title is $$Current or desired job title (the headline).$$;
comment on column public.user_profile.location is $$Where the user lives or wants to work.$$;
comment on column public.user_profile.profile_picture_url is $$URL of the profile picture in Storage.$$;
comment on column public.user_profile.first_name is $$Given name.$$;
comment on column public.user_profile.last_name is $$Family name.$$;
comment on column public.user_profile.phone is $$Phone number as the user typed it.$$;
comment on column public.user_profile.professional_summary is $$A short professional summary for resumes.$$;
comment on column public.user_profile.social_links is $$JSON array of {"platform": string, "url": string} objects (LinkedIn, GitHub, website, ...).$$;
comment on column public.user_profile.email is $$Contact email the user gave for the profile (kept from the live app); the account email is auth.users.email.$$;
comment on column public.user_profile.referral_source is $$How the user heard of JobStalker, as they answered (at most 100 characters).$$;
comment on column public.user_profile.profile_completed is $$True once the user finished the onboarding profile.$$;
comment on column public.user_profile.subscription_tier is $$free or pro: the tier of the user’s row in subscriptions (free without one). Read-only for the user; set by triggers only.$$;

-- Not in the v2.0 spec: the answers the live app's extension types into job-application
-- forms, kept apart from user_profile so that nothing that reads a profile (prompts, share
-- links, rendered resumes, JSON Resume) ever sees them. The demographic answers
-- (ethnicity, gender, has_disability, is_veteran, is_lgbtq) are special-category personal
-- data: only their owner reads them, through this table, export_my_data and nothing else.
create table public.application_form_answers (
  user_id uuid primary key default auth.uid() references auth.users (id) on delete cascade,
  work_auth_us boolean,
  work_auth_canada boolean,
  work_auth_uk boolean,
  requires_sponsorship boolean,
  current_location varchar(255),
  phone_country_code varchar(10),
  date_of_birth date,
  ethnicity varchar(100),
  gender varchar(20),
  has_disability varchar(20),
  is_veteran varchar(20),
  is_lgbtq varchar(20),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint application_form_answers_current_location_not_blank check (pg_catalog.btrim(current_location) <> ''),
  constraint application_form_answers_phone_country_code_format check (phone_country_code ~ '^\+?[0-9]{1,4}(-[0-9]{1,4})?$'),
  -- Not in the future, and not before 1900.
  constraint application_form_answers_date_of_birth_range check (date_of_birth between '1900-01-01' and current_date),
  constraint application_form_answers_ethnicity_not_blank check (pg_catalog.btrim(ethnicity) <> ''),
  constraint application_form_answers_gender_check check (gender::text = any (array['Male', 'Female', 'Non-Binary', 'Decline to state'])),
  constraint application_form_answers_has_disability_check check (has_disability::text = any (array['Yes', 'No', 'Decline to state'])),
  constraint application_form_answers_is_veteran_check check (is_veteran::text = any (array['Yes', 'No', 'Decline to state'])),
  constraint application_form_answers_is_lgbtq_check check (is_lgbtq::text = any (array['Yes', 'No', 'Decline to state']))
);
alter table public.application_form_answers enable row level security;
comment on table public.application_form_answers is $$One row per user: the answers the browser extension types into job-application forms. Owner-only. The demographic columns are special-category personal data: never sent to a model, shared, rendered or logged; included in export_my_data and removed with the account.$$;
comment on column public.application_form_answers.user_id is $$The owner (auth.users.id); one row per user.$$;
comment on column public.application_form_answers.work_auth_us is $$Authorized to work in the United States.$$;
comment on column public.application_form_answers.work_auth_canada is $$Authorized to work in Canada.$$;
comment on column public.application_form_answers.work_auth_uk is $$Authorized to work in the United Kingdom.$$;
comment on column public.application_form_answers.requires_sponsorship is $$Needs visa sponsorship to take a job.$$;
comment on column public.application_form_answers.current_location is $$Where the user lives now, as forms ask for it (city, region).$$;
comment on column public.application_form_answers.phone_country_code is $$Country calling code for the phone number, e.g. +1 or +44.$$;
comment on column public.application_form_answers.date_of_birth is $$Date of birth (not in the future, not before 1900). Personal data: never sent to a model, shared or rendered.$$;
comment on column public.application_form_answers.ethnicity is $$Special-category personal data (voluntary demographic answer): self-identified ethnicity. Never sent to a model, shared, rendered or logged.$$;
comment on column public.application_form_answers.gender is $$Special-category personal data (voluntary demographic answer): Male, Female, Non-Binary or Decline to state. Never sent to a model, shared, rendered or logged.$$;
comment on column public.application_form_answers.has_disability is $$Special-category personal data (voluntary demographic answer): Yes, No or Decline to state. Never sent to a model, shared, rendered or logged.$$;
comment on column public.application_form_answers.is_veteran is $$Special-category personal data (voluntary demographic answer): Yes, No or Decline to state. Never sent to a model, shared, rendered or logged.$$;
comment on column public.application_form_answers.is_lgbtq is $$Special-category personal data (voluntary demographic answer): Yes, No or Decline to state. Never sent to a model, shared, rendered or logged.$$;

create table public.user_skills (
  id uuid primary key default extensions.uuid_generate_v4(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  name varchar(255) not null,
  -- One lowercase vocabulary; the app sends Title Case, older data any spelling.
  proficiency varchar(50),
  category varchar(100) default 'Technical',
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  -- The spec's rule; the case-insensitive index below implies it, but PostgREST upserts
  -- (on_conflict=user_id,name) need a unique index on exactly these columns.
  constraint user_skills_user_id_name_key unique (user_id, name),
  constraint user_skills_proficiency_check check (proficiency in ('beginner', 'intermediate', 'advanced', 'expert'))
);
alter table public.user_skills enable row level security;
comment on table public.user_skills is $$A user’s skills, one row per skill name.$$;
comment on column public.user_skills.name is $$Skill name, unique per user.$$;
comment on column public.user_skills.proficiency is $$beginner, intermediate, advanced, expert or null; other spellings (e.g. "Expert") are normalised on write.$$;
comment on column public.user_skills.category is $$Skill category, "Technical" unless given.$$;
comment on column public.user_skills.created_at is $$When the row was created; the app lists skills in this order.$$;

create table public.user_work_experience (
  id uuid primary key default extensions.uuid_generate_v4(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  title varchar(255) not null,
  company varchar(255) not null,
  location varchar(255),
  start_date date,
  end_date date,
  is_current boolean default false,
  description text,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  constraint user_work_experience_description_size check (octet_length(description) <= 20480)
);
alter table public.user_work_experience enable row level security;
comment on table public.user_work_experience is $$A user’s work history, listed by start_date descending.$$;
comment on column public.user_work_experience.title is $$Job title.$$;
comment on column public.user_work_experience.company is $$Employer.$$;
comment on column public.user_work_experience.location is $$Where the job was.$$;
comment on column public.user_work_experience.start_date is $$First day (a month is stored as its first day).$$;
comment on column public.user_work_experience.end_date is $$Last day; null while current.$$;
comment on column public.user_work_experience.is_current is $$True for the job the user holds now.$$;
comment on column public.user_work_experience.description is $$What the user did, newline-separated bullets.$$;

create table public.user_education (
  id uuid primary key default extensions.uuid_generate_v4(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  school varchar(255) not null,
  degree varchar(100),
  field varchar(255),
  start_date date,
  end_date date,
  created_at timestamptz default now(),
  updated_at timestamptz default now()
);
alter table public.user_education enable row level security;
comment on table public.user_education is $$A user’s education entries.$$;
comment on column public.user_education.school is $$School or university.$$;
comment on column public.user_education.degree is $$Degree obtained or pursued.$$;
comment on column public.user_education.field is $$Field of study.$$;
comment on column public.user_education.start_date is $$Start (a month is stored as its first day).$$;
comment on column public.user_education.end_date is $$End or expected end.$$;

-- Not in the v2.0 spec: the live app keeps the languages a user speaks here; resumes and
-- the wizard list them.
create table public.user_languages (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  language varchar(100) not null,
  proficiency varchar(50),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint user_languages_user_id_language_key unique (user_id, language),
  constraint user_languages_language_check check (pg_catalog.btrim(language) <> ''),
  constraint user_languages_proficiency_check check (proficiency in ('beginner', 'intermediate', 'advanced', 'native'))
);
alter table public.user_languages enable row level security;
comment on table public.user_languages is $$Languages a user speaks, one row per language.$$;
comment on column public.user_languages.language is $$Language name, unique per user.$$;
comment on column public.user_languages.proficiency is $$beginner, intermediate, advanced, native or null; Title Case is normalised on write.$$;

-- Functions the indexes, triggers and policies below call (they must exist first)

-- user_skills.proficiency was free text; the app sends 'Beginner' | 'Intermediate' |
-- 'Expert' and older data holds any spelling. Store one lowercase vocabulary
-- (beginner, intermediate, advanced, expert, or null), normalise what clients send
-- on write, and migrate existing rows. A value that means nothing we know is
-- archived with its row and cleared rather than guessed.
create function private.normalise_skill_proficiency(value text) returns text language sql immutable set search_path = '' as $$
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
comment on function private.normalise_skill_proficiency(value text) is $$Maps a proficiency spelling to beginner/intermediate/advanced/expert; unknown values come back lowercased so the CHECK rejects them.$$;

-- Security definer only so that the trigger can call the private mapping function
-- without granting the API roles usage on schema private; it touches nothing but NEW.
create function private.normalise_user_skill() returns trigger language plpgsql security definer set search_path = '' as $$
begin
  new.proficiency := private.normalise_skill_proficiency(new.proficiency);
  return new;
end;
$$;
comment on function private.normalise_user_skill() is $$Trigger (before insert or update of proficiency on user_skills): the proficiency in the one vocabulary of normalise_skill_proficiency.$$;

create function private.normalise_user_language() returns trigger language plpgsql set search_path = '' as $$
begin
  new.language := pg_catalog.btrim(new.language);
  new.proficiency := pg_catalog.lower(pg_catalog.btrim(new.proficiency));
  if new.proficiency = '' then
    new.proficiency := null;
  elsif new.proficiency in ('fluent', 'bilingual', 'native speaker', 'mother tongue') then
    new.proficiency := 'native';
  elsif new.proficiency in ('basic', 'elementary', 'novice') then
    new.proficiency := 'beginner';
  end if;
  return new;
end;
$$;
comment on function private.normalise_user_language() is $$Trigger (before insert or update on user_languages): the language trimmed, the proficiency lowercased and its synonyms mapped (fluent: native, basic: beginner).$$;

-- Security definer: GoTrue inserts as supabase_auth_admin, which has no rights on
-- public. search_path is '' and every name qualified; the function must not raise,
-- since an error here fails the sign-up.
create function private.handle_new_user() returns trigger language plpgsql security definer set search_path = '' as $$
declare
  meta jsonb := coalesce(new.raw_user_meta_data, '{}'::jsonb);
  meta_name text := coalesce(nullif(pg_catalog.btrim(meta ->> 'full_name'), ''), nullif(pg_catalog.btrim(meta ->> 'name'), ''));
  first text := nullif(pg_catalog.btrim(coalesce(meta ->> 'given_name', meta ->> 'first_name')), '');
  last text := nullif(pg_catalog.btrim(coalesce(meta ->> 'family_name', meta ->> 'last_name')), '');
begin
  -- "Ada Lovelace" → first "Ada", last "Lovelace"; a single word is a first name.
  if first is null and meta_name is not null then
    first := pg_catalog.split_part(meta_name, ' ', 1);
    if last is null and pg_catalog.strpos(meta_name, ' ') > 0 then
      last := nullif(pg_catalog.btrim(pg_catalog.substr(meta_name, pg_catalog.strpos(meta_name, ' ') + 1)), '');
    end if;
  end if;

  if not exists (select 1 from public.user_profile p where p.user_id = new.id) then
    insert into public.user_profile (user_id, full_name, first_name, last_name)
    values (
      new.id,
      pg_catalog.left(coalesce(meta_name,
                               nullif(pg_catalog.split_part(coalesce(new.email, ''), '@', 1), ''),
                               'Your Name'), 255),
      pg_catalog.left(first, 255),
      pg_catalog.left(last, 255)
    );
  end if;
  return new;
end;
$$;
comment on function private.handle_new_user() is $$Trigger (after insert on auth.users): creates the new user’s profile, named from the sign-up metadata; never raises.$$;

-- 'YYYY-MM' is the month's first day, 'YYYY-MM-DD' itself; anything else (including
-- an impossible date or 'Present') is no date rather than an error, so one odd entry
-- does not fail a whole import.
create function private.imported_date(value text) returns date language plpgsql stable set search_path = '' as $$
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
grant execute on function private.imported_date(value text) to authenticated;
comment on function private.imported_date(value text) is $$A date from an imported resume: YYYY-MM (first of the month) or YYYY-MM-DD; null for anything else.$$;

-- An imported value as a column takes it: trimmed, an empty one as null, cut to the
-- column's length (none given: not cut).
create function private.imported_text(value text, max_length integer default null) returns text language sql immutable set search_path = '' as $$
  select pg_catalog.left(nullif(pg_catalog.btrim(value), ''), coalesce(max_length, 2147483647))
$$;
grant execute on function private.imported_text(value text, max_length integer) to authenticated;
comment on function private.imported_text(value text, max_length integer) is $$An imported value as a column takes it: trimmed, an empty one as null, cut to max_length characters (null: not cut).$$;

create function private.json_list(value jsonb) returns jsonb language sql immutable set search_path = '' as $$
  select case when pg_catalog.jsonb_typeof(value) = 'array' then value else '[]'::jsonb end
$$;
grant execute on function private.json_list(value jsonb) to authenticated;
comment on function private.json_list(value jsonb) is $$The value when it is a JSON array, else [].$$;

-- The CHECKs on application_form_answers, tested first with messages that name the
-- rule and never a value: a failed CHECK reports (and the server logs) the whole row,
-- demographic answers included, as "Failing row contains (...)".
create function private.check_application_form_answers() returns trigger language plpgsql set search_path = '' as $$
declare
  problem text;
begin
  if pg_catalog.btrim(new.current_location) = '' then
    problem := 'current_location must not be blank (send null for no answer).';
  elsif new.phone_country_code !~ '^\+?[0-9]{1,4}(-[0-9]{1,4})?$' then
    problem := 'phone_country_code must be a calling code such as +1 or +44.';
  elsif new.date_of_birth < '1900-01-01' or new.date_of_birth > current_date then
    problem := 'date_of_birth must be a past date, not before 1900-01-01.';
  elsif pg_catalog.btrim(new.ethnicity) = '' then
    problem := 'ethnicity must not be blank (send null for no answer).';
  elsif new.gender::text <> all (array['Male', 'Female', 'Non-Binary', 'Decline to state']) then
    problem := 'gender must be one of Male, Female, Non-Binary, Decline to state.';
  elsif new.has_disability::text <> all (array['Yes', 'No', 'Decline to state']) then
    problem := 'has_disability must be one of Yes, No, Decline to state.';
  elsif new.is_veteran::text <> all (array['Yes', 'No', 'Decline to state']) then
    problem := 'is_veteran must be one of Yes, No, Decline to state.';
  elsif new.is_lgbtq::text <> all (array['Yes', 'No', 'Decline to state']) then
    problem := 'is_lgbtq must be one of Yes, No, Decline to state.';
  end if;
  if problem is not null then
    raise exception '%', problem using errcode = '23514', table = 'application_form_answers';
  end if;
  return new;
end;
$$;
comment on function private.check_application_form_answers() is $$Trigger: refuses answers the CHECKs of application_form_answers would (23514) with a message naming the rule, never the row (which holds special-category data).$$;

-- Indexes

create index idx_user_profile_user_id on public.user_profile (user_id);
create index idx_user_skills_category on public.user_skills (category);
create index idx_user_skills_user_category on public.user_skills (user_id, category);
create index idx_user_skills_user_id on public.user_skills (user_id);
create unique index user_skills_user_id_lower_name_key on public.user_skills (user_id, lower((name)::text));
comment on index public.user_skills_user_id_lower_name_key is $$A user has each skill once, compared case-insensitively ('Python' = 'python').$$;
create index idx_user_work_experience_current on public.user_work_experience (user_id, is_current) where (is_current = true);
create index idx_user_work_experience_user_current_start on public.user_work_experience (user_id, is_current, start_date desc);
create index idx_user_work_experience_user_dates on public.user_work_experience (user_id, start_date desc);
create index idx_user_work_experience_user_id on public.user_work_experience (user_id);
create index idx_user_education_user_dates on public.user_education (user_id, start_date desc);
create index idx_user_education_user_id on public.user_education (user_id);
create unique index user_languages_user_id_lower_language_key on public.user_languages (user_id, lower((language)::text));
comment on index public.user_languages_user_id_lower_language_key is $$A user has each language once, compared case-insensitively ('English' = 'english').$$;

-- Triggers

create trigger check_application_form_answers before insert or update on public.application_form_answers
  for each row execute function private.check_application_form_answers();

create trigger normalise_user_skill_proficiency before insert or update of proficiency on public.user_skills
  for each row execute function private.normalise_user_skill();

create trigger normalise_user_language
  before insert or update of language, proficiency on public.user_languages
  for each row execute function private.normalise_user_language();

-- Security definer (see private.handle_new_user): GoTrue inserts users as supabase_auth_admin.
create trigger on_auth_user_created after insert on auth.users
  for each row execute function private.handle_new_user();

-- Policies and grants

-- Policies: one per command, for authenticated only ---------------------------------
-- (select auth.uid()) is evaluated once per statement, not once per row.
call private.create_owner_policies('public.user_profile',
  'Owners can view their own profile',
  'Owners can create their own profile',
  'Owners can update their own profile',
  'Owners can delete their own profile');

-- Only the columns a client writes: timestamps and what triggers or RPCs set are the
-- server's (a forged one is 42501; 60-server-owned-columns.sql pins every table), and
-- subscription_tier, which only the subscription sets.
call private.grant_table_access('public.user_profile', may_delete => true,
  insert_columns => '{id, user_id, full_name, job_title, location, profile_picture_url, first_name, last_name, phone, professional_summary, social_links, email, referral_source, profile_completed}',
  update_columns => '{full_name, job_title, location, profile_picture_url, first_name, last_name, phone, professional_summary, social_links, email, referral_source, profile_completed}');

call private.create_owner_policies('public.application_form_answers',
  'Owners can view their own form answers',
  'Owners can add their own form answers',
  'Owners can update their own form answers',
  'Owners can delete their own form answers');

call private.grant_table_access('public.application_form_answers', may_delete => true,
  insert_columns => '{user_id, work_auth_us, work_auth_canada, work_auth_uk, requires_sponsorship, current_location, phone_country_code, date_of_birth, ethnicity, gender, has_disability, is_veteran, is_lgbtq}',
  update_columns => '{work_auth_us, work_auth_canada, work_auth_uk, requires_sponsorship, current_location, phone_country_code, date_of_birth, ethnicity, gender, has_disability, is_veteran, is_lgbtq}');

call private.create_owner_policies('public.user_skills',
  'Owners can view their own skills',
  'Owners can add their own skills',
  'Owners can update their own skills',
  'Owners can delete their own skills');

call private.grant_table_access('public.user_skills', may_delete => true,
  insert_columns => '{id, user_id, name, proficiency, category}',
  update_columns => '{name, proficiency, category}');

call private.create_owner_policies('public.user_work_experience',
  'Owners can view their own work experience',
  'Owners can add their own work experience',
  'Owners can update their own work experience',
  'Owners can delete their own work experience');

call private.grant_table_access('public.user_work_experience', may_delete => true,
  insert_columns => '{id, user_id, title, company, location, start_date, end_date, is_current, description}',
  update_columns => '{title, company, location, start_date, end_date, is_current, description}');

call private.create_owner_policies('public.user_education',
  'Owners can view their own education',
  'Owners can add their own education',
  'Owners can update their own education',
  'Owners can delete their own education');

call private.grant_table_access('public.user_education', may_delete => true,
  insert_columns => '{id, user_id, school, degree, field, start_date, end_date}',
  update_columns => '{school, degree, field, start_date, end_date}');

call private.create_owner_policies('public.user_languages',
  'Owners can view their own languages',
  'Owners can add their own languages',
  'Owners can update their own languages',
  'Owners can delete their own languages');

call private.grant_table_access('public.user_languages', may_delete => true,
  insert_columns => '{id, user_id, language, proficiency}',
  update_columns => '{language, proficiency}');

-- Functions

-- The profile fields are filled by one loop over (column, imported value, length), so a
-- new field is one line and the rule (trim, cut to the column, fill only when empty)
-- cannot drift between fields.
create function public.merge_imported_profile(profile jsonb) returns jsonb language plpgsql set search_path = '' as $$
declare
  caller uuid := (select auth.uid());
  contact jsonb;
  section text;
  item jsonb;
  existing public.user_profile;
  incoming text;
  links jsonb;
  fields_filled integer := 0;
  -- Per section, how many entries were added and how many skipped: the answer.
  tally jsonb := '{"skills": {"added": 0, "skipped": 0}, "experience": {"added": 0, "skipped": 0},
                   "education": {"added": 0, "skipped": 0}, "languages": {"added": 0, "skipped": 0}}'::jsonb;
  outcome text;
  v_name text;
  v_title text;
  v_company text;
  v_school text;
  v_degree text;
  v_proficiency text;
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
    incoming := private.imported_text(field.value, field.max_length);
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
      v_name := private.imported_text(item ->> 'platform');
      incoming := private.imported_text(item ->> 'url');
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

  -- Skills and languages: each entry a string or {name, proficiency?, category?}; a name
  -- the user already has (in any case) is skipped. A proficiency the normalising trigger
  -- cannot map makes the insert a check violation: the entry is kept without it.
  foreach section in array array['skills', 'languages'] loop
    for item in select x.value from pg_catalog.jsonb_array_elements(private.json_list(merge_imported_profile.profile -> section)) x loop
      v_name := private.imported_text(case pg_catalog.jsonb_typeof(item) when 'string' then item #>> '{}' when 'object' then item ->> 'name' end,
                                      case section when 'skills' then 255 else 100 end);
      v_proficiency := private.imported_text(item ->> 'proficiency', 50);
      if v_name is null
         or section = 'skills' and exists (select 1 from public.user_skills s
                                            where s.user_id = caller and pg_catalog.lower(s.name) = pg_catalog.lower(v_name))
         or section = 'languages' and exists (select 1 from public.user_languages l
                                               where l.user_id = caller and pg_catalog.lower(l.language) = pg_catalog.lower(v_name)) then
        outcome := 'skipped';
      else
        loop
          begin
            if section = 'skills' then
              insert into public.user_skills (user_id, name, proficiency, category)
              values (caller, v_name, v_proficiency, coalesce(private.imported_text(item ->> 'category', 100), 'Technical'));
            else
              insert into public.user_languages (user_id, language, proficiency) values (caller, v_name, v_proficiency);
            end if;
            exit;
          exception when check_violation then
            if v_proficiency is null then
              raise;
            end if;
            v_proficiency := null;
          end;
        end loop;
        outcome := 'added';
      end if;
      tally := pg_catalog.jsonb_set(tally, array[section, outcome], pg_catalog.to_jsonb((tally #>> array[section, outcome])::integer + 1));
    end loop;
  end loop;

  -- Experience: one per company, title and start -------------------------------------
  for item in select x.value from pg_catalog.jsonb_array_elements(private.json_list(merge_imported_profile.profile -> 'experience')) x loop
    v_title := private.imported_text(item ->> 'title', 255);
    v_company := private.imported_text(item ->> 'company', 255);
    v_start := private.imported_date(item ->> 'startDate');
    v_current := pg_catalog.lower(coalesce(item ->> 'isCurrent', '')) in ('true', 't', 'yes', '1');
    v_end := case when v_current then null else private.imported_date(item ->> 'endDate') end;
    if pg_catalog.jsonb_typeof(item) <> 'object' or v_title is null or v_company is null
       or exists (select 1 from public.user_work_experience e
                   where e.user_id = caller
                     and pg_catalog.lower(e.company) = pg_catalog.lower(v_company)
                     and pg_catalog.lower(e.title) = pg_catalog.lower(v_title)
                     and e.start_date is not distinct from v_start) then
      outcome := 'skipped';
    else
      insert into public.user_work_experience (user_id, title, company, location, start_date, end_date, is_current, description)
      values (caller, v_title, v_company, private.imported_text(item ->> 'location', 255), v_start, v_end, v_current,
              private.imported_text(item ->> 'description'));
      outcome := 'added';
    end if;
    tally := pg_catalog.jsonb_set(tally, array['experience', outcome], pg_catalog.to_jsonb((tally #>> array['experience', outcome])::integer + 1));
  end loop;

  -- Education: one per school and degree ----------------------------------------------
  for item in select x.value from pg_catalog.jsonb_array_elements(private.json_list(merge_imported_profile.profile -> 'education')) x loop
    v_school := private.imported_text(item ->> 'school', 255);
    v_degree := private.imported_text(item ->> 'degree', 100);
    if pg_catalog.jsonb_typeof(item) <> 'object' or v_school is null
       or exists (select 1 from public.user_education ed
                   where ed.user_id = caller
                     and pg_catalog.lower(ed.school) = pg_catalog.lower(v_school)
                     and pg_catalog.lower(coalesce(ed.degree, '')) = pg_catalog.lower(coalesce(v_degree, ''))) then
      outcome := 'skipped';
    else
      insert into public.user_education (user_id, school, degree, field, start_date, end_date)
      values (caller, v_school, v_degree, private.imported_text(item ->> 'field', 255),
              private.imported_date(item ->> 'startDate'), private.imported_date(item ->> 'endDate'));
      outcome := 'added';
    end if;
    tally := pg_catalog.jsonb_set(tally, array['education', outcome], pg_catalog.to_jsonb((tally #>> array['education', outcome])::integer + 1));
  end loop;

  return tally || pg_catalog.jsonb_build_object('profileFieldsFilled', fields_filled);
end
$$;
grant execute on function public.merge_imported_profile(profile jsonb) to authenticated;
comment on function public.merge_imported_profile(profile jsonb) is $$Merges an imported resume {contact{fullName, firstName, lastName, email, phone, location, headline, socialLinks}, summary, skills, experience, education, languages} into your profile: fills only empty profile fields and adds only entries you do not have yet (never a duplicate, also when called twice). Returns {skills, experience, education, languages: {added, skipped}, profileFieldsFilled}. contact.email is not stored (your email is your account’s).$$;

