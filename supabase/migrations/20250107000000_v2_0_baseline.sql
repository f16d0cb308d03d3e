-- JobStalker2 v2.0, exactly as documented in spec/database-schema.md (2025-01-07).
-- Production databases already have this schema: they mark this migration as applied
-- with `supabase migration repair --status applied 20250107000000` and then take the
-- v2.1 migrations that follow. Known defects (deprecated JSONB copies, free-text
-- statuses, mutable search_path, ...) are kept here on purpose and fixed by later
-- migrations, so that fresh and upgraded databases go through the same steps.

create extension if not exists "uuid-ossp" with schema extensions;

create or replace function public.update_updated_at_column()
returns trigger
language plpgsql
as $$
begin
  new.updated_at = now();
  return new;
end;
$$;

-- Core user tables

create table public.user_profile (
  id uuid primary key default uuid_generate_v4(),
  user_id uuid not null references auth.users (id) on delete cascade,
  full_name varchar(255) not null,
  job_title varchar(255),
  location varchar(255),
  profile_picture_url text,
  skills jsonb default '[]'::jsonb,
  work_experience jsonb default '[]'::jsonb,
  education jsonb default '[]'::jsonb,
  resumes jsonb default '[]'::jsonb,
  created_at timestamptz default now(),
  updated_at timestamptz default now()
);
create index idx_user_profile_user_id on public.user_profile (user_id);
create index idx_user_profile_skills on public.user_profile using gin (skills);
create index idx_user_profile_work_experience on public.user_profile using gin (work_experience);
create index idx_user_profile_education on public.user_profile using gin (education);
create index idx_user_profile_resumes on public.user_profile using gin (resumes);

create table public.user_skills (
  id uuid primary key default uuid_generate_v4(),
  user_id uuid not null references auth.users (id) on delete cascade,
  name varchar(255) not null,
  proficiency varchar(50),
  category varchar(100) default 'Technical',
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  unique (user_id, name)
);
create index idx_user_skills_user_id on public.user_skills (user_id);
create index idx_user_skills_category on public.user_skills (category);
create index idx_user_skills_user_category on public.user_skills (user_id, category);

create table public.user_work_experience (
  id uuid primary key default uuid_generate_v4(),
  user_id uuid not null references auth.users (id) on delete cascade,
  title varchar(255) not null,
  company varchar(255) not null,
  location varchar(255),
  start_date date,
  end_date date,
  is_current boolean default false,
  description text,
  created_at timestamptz default now(),
  updated_at timestamptz default now()
);
create index idx_user_work_experience_user_id on public.user_work_experience (user_id);
create index idx_user_work_experience_user_dates on public.user_work_experience (user_id, start_date desc);
create index idx_user_work_experience_current on public.user_work_experience (user_id, is_current) where is_current = true;

create table public.user_education (
  id uuid primary key default uuid_generate_v4(),
  user_id uuid not null references auth.users (id) on delete cascade,
  school varchar(255) not null,
  degree varchar(100),
  field varchar(255),
  start_date date,
  end_date date,
  created_at timestamptz default now(),
  updated_at timestamptz default now()
);
create index idx_user_education_user_id on public.user_education (user_id);
create index idx_user_education_user_dates on public.user_education (user_id, start_date desc);

-- Job tracking

create table public.jobs (
  id uuid primary key default uuid_generate_v4(),
  user_id uuid not null references auth.users (id) on delete cascade,
  job_title varchar(255) not null,
  company varchar(255) not null,
  location varchar(255),
  salary varchar(255),
  job_url text,
  status varchar(100) not null,
  excitement_level integer check (excitement_level between 1 and 5),
  date_applied date,
  deadline date,
  description text,
  created_at timestamptz default now(),
  updated_at timestamptz default now()
);
create index idx_jobs_user_id on public.jobs (user_id);
create index idx_jobs_user_status on public.jobs (user_id, status);
create index idx_jobs_user_updated on public.jobs (user_id, updated_at desc);
create index idx_jobs_status on public.jobs (status);
create index idx_jobs_date_applied on public.jobs (date_applied desc) where date_applied is not null;

-- Resumes

create table public.resumes (
  id uuid primary key default uuid_generate_v4(),
  user_id uuid not null references auth.users (id) on delete cascade,
  filename varchar(255) not null,
  file_url text not null,
  file_size integer not null,
  is_default boolean default false,
  created_at timestamptz default now(),
  updated_at timestamptz default now()
);
create index idx_resumes_user_id on public.resumes (user_id);

create table public.resume_builder_data (
  id uuid primary key default uuid_generate_v4(),
  user_id uuid not null references auth.users (id) on delete cascade,
  template_id varchar(100) not null,
  title varchar(255) default 'My Resume',
  resume_data jsonb not null,
  is_current boolean default false,
  created_at timestamptz default now(),
  updated_at timestamptz default now()
);
create index idx_resume_builder_data_user_id on public.resume_builder_data (user_id);
create index idx_resume_builder_data_template_id on public.resume_builder_data (template_id);
create index idx_resume_builder_data_resume_data on public.resume_builder_data using gin (resume_data);
create index idx_resume_builder_data_user_current on public.resume_builder_data (user_id, is_current) where is_current = true;

-- AI resume builder

create table public.templates (
  id uuid primary key default extensions.uuid_generate_v4(),
  name text unique not null,
  slug text unique not null,
  schema jsonb not null,
  preview_url text,
  is_active boolean default true,
  created_at timestamptz default now(),
  updated_at timestamptz default now()
);

create table public.wizard_sessions (
  id uuid primary key default extensions.uuid_generate_v4(),
  user_id uuid not null references auth.users (id) on delete cascade,
  template_id uuid not null references public.templates (id) on delete restrict,
  draft_json jsonb default '{}'::jsonb,
  progress jsonb default '{}'::jsonb,
  status text not null default 'active' check (status in ('active', 'completed', 'abandoned')),
  last_step integer default 0,
  created_at timestamptz default now(),
  updated_at timestamptz default now()
);
create index idx_wizard_sessions_user_status on public.wizard_sessions (user_id, status);
create index idx_wizard_sessions_user_active on public.wizard_sessions (user_id, status) where status = 'active';
create index idx_wizard_sessions_user_updated on public.wizard_sessions (user_id, updated_at desc);

create table public.generated_resumes (
  id uuid primary key default extensions.uuid_generate_v4(),
  user_id uuid not null references auth.users (id) on delete cascade,
  template_id uuid not null references public.templates (id) on delete restrict,
  title text default 'My Resume',
  current_version integer,
  share_token text unique,
  created_at timestamptz default now(),
  updated_at timestamptz default now()
);
create index idx_generated_resumes_user_updated on public.generated_resumes (user_id, updated_at desc);
create index idx_generated_resumes_share_token on public.generated_resumes (share_token) where share_token is not null;

create table public.generated_resume_versions (
  id uuid primary key default extensions.uuid_generate_v4(),
  generated_resume_id uuid not null references public.generated_resumes (id) on delete cascade,
  version_number integer not null,
  content_json jsonb not null,
  render_artifact_url text,
  created_at timestamptz default now(),
  unique (generated_resume_id, version_number)
);
create index idx_generated_resume_versions_resume_id on public.generated_resume_versions (generated_resume_id);
create index idx_generated_resume_versions_resume_version on public.generated_resume_versions (generated_resume_id, version_number desc);

create table public.ai_events (
  id uuid primary key default extensions.uuid_generate_v4(),
  user_id uuid not null references auth.users (id) on delete cascade,
  wizard_session_id uuid references public.wizard_sessions (id) on delete set null,
  provider text not null,
  model text not null,
  input_tokens integer,
  output_tokens integer,
  latency_ms integer,
  status text not null check (status in ('success', 'error')),
  error text,
  created_at timestamptz default now()
);
create index idx_ai_events_user_created on public.ai_events (user_id, created_at desc);
create index idx_ai_events_status on public.ai_events (status);
create index idx_ai_events_provider_model on public.ai_events (provider, model);

-- updated_at triggers (every table that has the column)

create trigger update_user_profile_updated_at before update on public.user_profile
  for each row execute function public.update_updated_at_column();
create trigger update_user_skills_updated_at before update on public.user_skills
  for each row execute function public.update_updated_at_column();
create trigger update_user_work_experience_updated_at before update on public.user_work_experience
  for each row execute function public.update_updated_at_column();
create trigger update_user_education_updated_at before update on public.user_education
  for each row execute function public.update_updated_at_column();
create trigger update_jobs_updated_at before update on public.jobs
  for each row execute function public.update_updated_at_column();
create trigger update_resumes_updated_at before update on public.resumes
  for each row execute function public.update_updated_at_column();
create trigger update_resume_builder_data_updated_at before update on public.resume_builder_data
  for each row execute function public.update_updated_at_column();
create trigger update_templates_updated_at before update on public.templates
  for each row execute function public.update_updated_at_column();
create trigger update_wizard_sessions_updated_at before update on public.wizard_sessions
  for each row execute function public.update_updated_at_column();
create trigger update_generated_resumes_updated_at before update on public.generated_resumes
  for each row execute function public.update_updated_at_column();

-- Deprecated JSONB helpers (v2.0 wrote profile lists into user_profile as well)

create or replace function public.add_skill_to_profile(user_uuid uuid, skill_data jsonb)
returns void
language plpgsql
as $$
begin
  update public.user_profile
     set skills = coalesce(skills, '[]'::jsonb) || jsonb_build_array(skill_data)
   where user_id = user_uuid;
end;
$$;

create or replace function public.add_work_experience_to_profile(user_uuid uuid, experience_data jsonb)
returns void
language plpgsql
as $$
begin
  update public.user_profile
     set work_experience = coalesce(work_experience, '[]'::jsonb) || jsonb_build_array(experience_data)
   where user_id = user_uuid;
end;
$$;

-- Public share RPC as v2.0 had it: security invoker, so RLS hides every row from
-- anonymous callers (the "returns NULL" defect a later migration fixes).
create or replace function public.get_public_generated_resume(share_token text)
returns jsonb
language sql
stable
as $$
  select jsonb_build_object(
           'id', gr.id,
           'title', gr.title,
           'template_id', gr.template_id,
           'version_number', v.version_number,
           'content_json', v.content_json,
           'render_artifact_url', v.render_artifact_url
         )
    from public.generated_resumes gr
    join public.generated_resume_versions v
      on v.generated_resume_id = gr.id
     and v.version_number = gr.current_version
   where gr.share_token = $1
   limit 1
$$;

-- Row level security: owners only

alter table public.user_profile enable row level security;
alter table public.user_skills enable row level security;
alter table public.user_work_experience enable row level security;
alter table public.user_education enable row level security;
alter table public.jobs enable row level security;
alter table public.resumes enable row level security;
alter table public.resume_builder_data enable row level security;
alter table public.templates enable row level security;
alter table public.wizard_sessions enable row level security;
alter table public.generated_resumes enable row level security;
alter table public.generated_resume_versions enable row level security;
alter table public.ai_events enable row level security;

-- v2.0 gave every owned table the same four policies; written with
-- (select auth.uid()) so the planner evaluates it once per statement.
do $$
declare
  t text;
begin
  foreach t in array array['user_profile', 'user_skills', 'user_work_experience', 'user_education',
                           'jobs', 'resumes', 'resume_builder_data', 'wizard_sessions', 'generated_resumes']
  loop
    execute format('create policy "Users can view their own %1$s" on public.%1$I for select to authenticated using ((select auth.uid()) = user_id)', t);
    execute format('create policy "Users can insert their own %1$s" on public.%1$I for insert to authenticated with check ((select auth.uid()) = user_id)', t);
    execute format('create policy "Users can update their own %1$s" on public.%1$I for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id)', t);
    execute format('create policy "Users can delete their own %1$s" on public.%1$I for delete to authenticated using ((select auth.uid()) = user_id)', t);
  end loop;
end
$$;

create policy "Authenticated users can view templates" on public.templates
  for select to authenticated using (true);

create policy "Users can view versions of their own generated resumes" on public.generated_resume_versions
  for select to authenticated
  using (generated_resume_id in (select gr.id from public.generated_resumes gr where gr.user_id = (select auth.uid())));
create policy "Users can insert versions of their own generated resumes" on public.generated_resume_versions
  for insert to authenticated
  with check (generated_resume_id in (select gr.id from public.generated_resumes gr where gr.user_id = (select auth.uid())));
create policy "Users can update versions of their own generated resumes" on public.generated_resume_versions
  for update to authenticated
  using (generated_resume_id in (select gr.id from public.generated_resumes gr where gr.user_id = (select auth.uid())))
  with check (generated_resume_id in (select gr.id from public.generated_resumes gr where gr.user_id = (select auth.uid())));
create policy "Users can delete versions of their own generated resumes" on public.generated_resume_versions
  for delete to authenticated
  using (generated_resume_id in (select gr.id from public.generated_resumes gr where gr.user_id = (select auth.uid())));

create policy "Users can view their own AI events" on public.ai_events
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "Users can insert their own AI events" on public.ai_events
  for insert to authenticated with check ((select auth.uid()) = user_id);

-- v2.0 relied on Supabase's automatic grants; granting explicitly gives the same
-- result in a project created with `auto_expose_new_tables = false`.
grant select, insert, update, delete on
  public.user_profile, public.user_skills, public.user_work_experience, public.user_education,
  public.jobs, public.resumes, public.resume_builder_data, public.wizard_sessions,
  public.generated_resumes, public.generated_resume_versions
  to authenticated;
grant select on public.templates to authenticated;
grant select, insert on public.ai_events to authenticated;
grant all on all tables in schema public to service_role;
grant execute on function public.get_public_generated_resume(text) to anon, authenticated, service_role;
