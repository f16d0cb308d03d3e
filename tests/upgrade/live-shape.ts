// The production database of the live JobStalker2 app (github.com/barbarakkk/Jobstalker2), as
// its own SQL and code build it, made from a v2.0 database one live object at a time, so a
// test can build any mix: every object present (the live shape), none (the v2.0 shape), or
// any subset. Each object names the live file it comes from. With the objects, the rows real
// users hold in them, and where each value must be found after the upgrade: in its v2.1
// home, or in private.legacy_profile_entries with the reason (values the v2.1 rules refuse,
// or that have no home); while its home does not exist yet, in private.upgrade_stash.
import type postgres from 'postgres';

export const liveObjects = [
  'profile_contact', 'form_answers', 'referral_source', 'subscriptions', 'user_languages',
  'job_matching_preferences', 'resumes_removed', 'ai_builder_recreated', 'optimize_structure',
  'schema_sql_policies', 'ai_events_columns', 'no_excitement_check',
] as const;
export type LiveObject = (typeof liveObjects)[number];

// What each object is, where the live repository creates it, and the SQL that adds it to a v2.0
// database (in this order: some objects replace tables others then alter).
export const liveObjectDdl: Record<LiveObject, { from: string; sql: string }> = {
  profile_contact: {
    from: 'backend/schema.sql (user_profile: basic profile information)',
    sql: `alter table public.user_profile
            add column first_name varchar(255), add column last_name varchar(255), add column email varchar(255),
            add column phone varchar(50), add column professional_summary text,
            add column social_links jsonb default '[]'::jsonb, add column profile_completed boolean default false;`,
  },
  form_answers: {
    from: 'supabase/migrations/20250115_add_demographic_work_auth_fields.sql',
    sql: `alter table public.user_profile
            add column if not exists work_auth_us boolean, add column if not exists work_auth_canada boolean,
            add column if not exists work_auth_uk boolean, add column if not exists requires_sponsorship boolean;
          alter table public.user_profile
            add column if not exists ethnicity varchar(100),
            add column if not exists has_disability varchar(20) check (has_disability in ('Yes', 'No', 'Decline to state')),
            add column if not exists is_veteran varchar(20) check (is_veteran in ('Yes', 'No', 'Decline to state')),
            add column if not exists is_lgbtq varchar(20) check (is_lgbtq in ('Yes', 'No', 'Decline to state')),
            add column if not exists gender varchar(20) check (gender in ('Male', 'Female', 'Non-Binary', 'Decline to state'));
          alter table public.user_profile
            add column if not exists current_location varchar(255), add column if not exists date_of_birth date,
            add column if not exists phone_country_code varchar(10);`,
  },
  referral_source: {
    from: 'supabase/migrations/20250115_add_referral_source.sql',
    sql: `alter table public.user_profile add column if not exists referral_source varchar(100);
          create index if not exists idx_user_profile_referral_source on public.user_profile (referral_source);`,
  },
  subscriptions: {
    from: 'supabase/migrations/20250120_add_subscriptions.sql',
    sql: `create table if not exists public.subscriptions (
            id uuid primary key default uuid_generate_v4(),
            user_id uuid not null references auth.users (id) on delete cascade,
            stripe_customer_id varchar(255) unique, stripe_subscription_id varchar(255) unique, stripe_price_id varchar(255),
            status varchar(50) not null default 'free', tier varchar(50) not null default 'free',
            current_period_start timestamptz, current_period_end timestamptz, cancel_at_period_end boolean default false,
            created_at timestamptz default now(), updated_at timestamptz default now(), unique (user_id));
          alter table public.user_profile
            add column if not exists subscription_tier varchar(50) default 'free' check (subscription_tier in ('free', 'pro'));
          create index if not exists idx_subscriptions_user_id on public.subscriptions (user_id);
          create index if not exists idx_subscriptions_status on public.subscriptions (status);
          create index if not exists idx_user_profile_subscription_tier on public.user_profile (subscription_tier);
          alter table public.subscriptions enable row level security;
          create policy "Users can view own subscription" on public.subscriptions for select using (auth.uid() = user_id);
          create policy "Users can insert own subscription" on public.subscriptions for insert with check (auth.uid() = user_id);
          create policy "Users can update own subscription" on public.subscriptions for update using (auth.uid() = user_id);
          create trigger update_subscriptions_updated_at before update on public.subscriptions
            for each row execute function update_updated_at_column();
          create or replace function sync_subscription_tier() returns trigger as $$
          begin
            update public.user_profile set subscription_tier = new.tier where user_id = new.user_id;
            return new;
          end;
          $$ language plpgsql;
          create trigger sync_subscription_tier_trigger after insert or update of tier on public.subscriptions
            for each row execute function sync_subscription_tier();`,
  },
  user_languages: {
    from: 'backend/schema.sql (user_languages)',
    sql: `create table if not exists public.user_languages (
            id uuid primary key default uuid_generate_v4(),
            user_id uuid not null references auth.users (id) on delete cascade,
            language varchar(100) not null, proficiency varchar(50) not null,
            created_at timestamptz default now(), updated_at timestamptz default now(),
            unique (user_id, language));
          create index if not exists idx_user_languages_user_id on public.user_languages (user_id);
          create trigger update_user_languages_updated_at before update on public.user_languages
            for each row execute function update_updated_at_column();
          alter table public.user_languages enable row level security;
          create policy "Users can view own languages" on public.user_languages for select using (auth.uid() = user_id);
          create policy "Users can insert own languages" on public.user_languages for insert with check (auth.uid() = user_id);
          create policy "Users can update own languages" on public.user_languages for update using (auth.uid() = user_id);
          create policy "Users can delete own languages" on public.user_languages for delete using (auth.uid() = user_id);`,
  },
  job_matching_preferences: {
    from: 'backend/migrations/create_job_matching_preferences_temp.sql',
    sql: `create table if not exists public.job_matching_preferences_temp (
            id uuid primary key default uuid_generate_v4(),
            user_id uuid not null references auth.users (id) on delete cascade,
            preferred_locations jsonb default '[]'::jsonb, min_salary integer, salary_currency varchar(10) default 'USD',
            expires_at timestamptz default (now() + interval '24 hours'),
            created_at timestamptz default now(), updated_at timestamptz default now(), unique (user_id));
          create index if not exists idx_job_matching_preferences_temp_locations on public.job_matching_preferences_temp using gin (preferred_locations);
          create trigger update_job_matching_preferences_temp_updated_at before update on public.job_matching_preferences_temp
            for each row execute function update_updated_at_column();
          alter table public.job_matching_preferences_temp enable row level security;
          create policy "Users can view own temp job matching preferences" on public.job_matching_preferences_temp
            for select using (auth.uid() = user_id);
          create or replace function cleanup_expired_job_matching_preferences() returns integer as $$
          declare deleted_count integer;
          begin
            delete from public.job_matching_preferences_temp where expires_at < now();
            get diagnostics deleted_count = row_count;
            return deleted_count;
          end;
          $$ language plpgsql;`,
  },
  resumes_removed: {
    from: 'supabase/migrations/20251103_remove_resumes_table.sql, 20251103_drop_resumes_table.sql',
    sql: `drop table if exists public.resumes cascade;
          alter table public.user_profile drop column if exists resumes;`,
  },
  ai_builder_recreated: {
    // The live schema.sql never creates templates; 20251103 does, in this form.
    from: 'supabase/migrations/20250123_remove_wizard_tables.sql then 20251103_ai_resume_builder.sql',
    sql: `drop table if exists public.ai_events, public.generated_resume_versions, public.generated_resumes,
                               public.wizard_sessions, public.templates cascade;
          drop function if exists public.get_public_generated_resume(text);
          create table public.templates (
            id uuid primary key default extensions.uuid_generate_v4(), name text unique not null, slug text unique not null,
            schema jsonb not null, preview_url text, is_active boolean not null default true,
            created_at timestamptz not null default now(), updated_at timestamptz not null default now());
          create table public.wizard_sessions (
            id uuid primary key default extensions.uuid_generate_v4(),
            user_id uuid not null references auth.users (id) on delete cascade,
            template_id uuid not null references public.templates (id) on delete restrict,
            draft_json jsonb not null default '{}'::jsonb, progress jsonb not null default '{}'::jsonb,
            status text not null check (status in ('active','completed','abandoned')) default 'active',
            last_step int not null default 0,
            created_at timestamptz not null default now(), updated_at timestamptz not null default now());
          create index if not exists idx_wizard_sessions_user_status on public.wizard_sessions (user_id, status);
          create table public.generated_resumes (
            id uuid primary key default extensions.uuid_generate_v4(),
            user_id uuid not null references auth.users (id) on delete cascade,
            template_id uuid not null references public.templates (id) on delete restrict,
            title text not null default 'My Resume', current_version int, share_token text unique,
            created_at timestamptz not null default now(), updated_at timestamptz not null default now());
          create index if not exists idx_generated_resumes_user_updated on public.generated_resumes (user_id, updated_at desc);
          create table public.generated_resume_versions (
            id uuid primary key default extensions.uuid_generate_v4(),
            generated_resume_id uuid not null references public.generated_resumes (id) on delete cascade,
            version_number int not null, content_json jsonb not null, render_artifact_url text,
            created_at timestamptz not null default now(), unique (generated_resume_id, version_number));
          create table public.ai_events (
            id uuid primary key default extensions.uuid_generate_v4(),
            user_id uuid not null references auth.users (id) on delete cascade,
            wizard_session_id uuid references public.wizard_sessions (id) on delete set null,
            provider text not null, model text not null, input_tokens int, output_tokens int, latency_ms int,
            status text not null check (status in ('success','error')), error text,
            created_at timestamptz not null default now());
          alter table public.templates enable row level security;
          alter table public.wizard_sessions enable row level security;
          alter table public.generated_resumes enable row level security;
          alter table public.generated_resume_versions enable row level security;
          alter table public.ai_events enable row level security;
          create policy templates_select_all_auth on public.templates for select to authenticated using (is_active);
          create policy wizard_sessions_select_own on public.wizard_sessions for select to authenticated using (user_id = auth.uid());
          create policy wizard_sessions_insert_own on public.wizard_sessions for insert to authenticated with check (user_id = auth.uid());
          create policy wizard_sessions_update_own on public.wizard_sessions for update to authenticated using (user_id = auth.uid()) with check (user_id = auth.uid());
          create policy wizard_sessions_delete_own on public.wizard_sessions for delete to authenticated using (user_id = auth.uid());
          create policy generated_resumes_select_own on public.generated_resumes for select to authenticated using (user_id = auth.uid());
          create policy generated_resumes_insert_own on public.generated_resumes for insert to authenticated with check (user_id = auth.uid());
          create policy generated_resumes_update_own on public.generated_resumes for update to authenticated using (user_id = auth.uid()) with check (user_id = auth.uid());
          create policy generated_resumes_delete_own on public.generated_resumes for delete to authenticated using (user_id = auth.uid());
          create policy generated_resume_versions_select_own on public.generated_resume_versions for select to authenticated
            using (exists (select 1 from public.generated_resumes r where r.id = generated_resume_id and r.user_id = auth.uid()));
          create policy generated_resume_versions_insert_own on public.generated_resume_versions for insert to authenticated
            with check (exists (select 1 from public.generated_resumes r where r.id = generated_resume_id and r.user_id = auth.uid()));
          create policy ai_events_select_own on public.ai_events for select to authenticated using (user_id = auth.uid());
          create policy ai_events_insert_own on public.ai_events for insert to authenticated with check (user_id = auth.uid());
          create function public.get_public_generated_resume(p_share_token text) returns jsonb language sql stable as $$
            select v.content_json from public.generated_resumes gr
              join public.generated_resume_versions v on v.generated_resume_id = gr.id
             where gr.share_token = p_share_token order by v.version_number desc limit 1;
          $$;`,
  },
  optimize_structure: {
    from: 'supabase/migrations/20250101_optimize_database_structure.sql, 20250101_remove_unused_fields.sql',
    sql: `create policy user_skills_select_own on public.user_skills for select to authenticated using (user_id = auth.uid());
          create policy user_skills_insert_own on public.user_skills for insert to authenticated with check (user_id = auth.uid());
          create policy user_work_experience_select_own on public.user_work_experience for select to authenticated using (user_id = auth.uid());
          create policy user_education_select_own on public.user_education for select to authenticated using (user_id = auth.uid());
          alter table public.jobs drop constraint if exists check_excitement_level,
            add constraint check_excitement_level check (excitement_level is null or (excitement_level >= 1 and excitement_level <= 5));
          comment on column public.resume_builder_data.template_id is 'Template identifier - consider migrating to UUID foreign key to templates table';
          comment on column public.user_profile.skills is 'DEPRECATED: Use user_skills table instead';
          comment on column public.user_profile.work_experience is 'DEPRECATED: Use user_work_experience table instead';
          create or replace function migrate_user_skills_from_jsonb(p_user_id uuid) returns integer as $$
          declare skill_count integer := 0;
          begin
            insert into public.user_skills (user_id, name, proficiency, category)
            select p_user_id, s->>'name', s->>'proficiency', coalesce(s->>'category', 'Technical')
              from public.user_profile p, jsonb_array_elements(p.skills) s where p.user_id = p_user_id
            on conflict (user_id, name) do nothing;
            get diagnostics skill_count = row_count;
            return skill_count;
          end;
          $$ language plpgsql;`,
  },
  schema_sql_policies: {
    from: 'backend/schema.sql, backend/create_missing_tables.sql (policies, helpers, trigger function)',
    sql: `do $$
          declare t text; label text;
          begin
            foreach t in array array['user_profile', 'jobs', 'resume_builder_data', 'user_skills', 'user_work_experience', 'user_education'] loop
              label := case t when 'user_profile' then 'profile' when 'resume_builder_data' then 'resume builder data'
                              when 'user_skills' then 'skills' when 'user_work_experience' then 'work experience'
                              when 'user_education' then 'education' else t end;
              execute format('drop policy "Users can view their own %1$s" on public.%1$I', t);
              execute format('drop policy "Users can insert their own %1$s" on public.%1$I', t);
              execute format('drop policy "Users can update their own %1$s" on public.%1$I', t);
              execute format('drop policy "Users can delete their own %1$s" on public.%1$I', t);
              execute format('create policy "Users can view own %2$s" on public.%1$I for select using (auth.uid() = user_id)', t, label);
              execute format('create policy "Users can insert own %2$s" on public.%1$I for insert with check (auth.uid() = user_id)', t, label);
              execute format('create policy "Users can update own %2$s" on public.%1$I for update using (auth.uid() = user_id)', t, label);
              execute format('create policy "Users can delete own %2$s" on public.%1$I for delete using (auth.uid() = user_id)', t, label);
            end loop;
          end
          $$;
          create or replace function update_updated_at_column() returns trigger as $$
          BEGIN
              NEW.updated_at = NOW();
              RETURN NEW;
          END;
          $$ language 'plpgsql';
          drop function public.add_skill_to_profile(uuid, jsonb);
          drop function public.add_work_experience_to_profile(uuid, jsonb);
          create or replace function add_skill_to_profile(p_user_id uuid, p_skill_name varchar(255), p_proficiency varchar(50))
          returns void as $$
          begin
            update public.user_profile
               set skills = coalesce(skills, '[]'::jsonb) || jsonb_build_object('name', p_skill_name, 'proficiency', p_proficiency, 'added_at', now())
             where user_id = p_user_id;
          end;
          $$ language plpgsql;
          create or replace function add_work_experience_to_profile(p_user_id uuid, p_title varchar(255), p_company varchar(255),
            p_start_date date, p_end_date date default null, p_is_current boolean default false, p_description text default null)
          returns void as $$
          begin
            update public.user_profile
               set work_experience = coalesce(work_experience, '[]'::jsonb) || jsonb_build_object('title', p_title, 'company', p_company)
             where user_id = p_user_id;
          end;
          $$ language plpgsql;`,
  },
  ai_events_columns: {
    // No live SQL declares these; backend/routes/ai_match.py writes them with every AI event
    // (inside a try, so on a database without them the insert fails quietly). An operator who
    // added them has values in them: columns nobody declared must not be lost either.
    from: 'backend/routes/ai_match.py (ai_events insert: event_type, tokens_used, metadata)',
    sql: `alter table public.ai_events add column event_type text, add column tokens_used integer, add column metadata jsonb;`,
  },
  no_excitement_check: {
    // Every live SQL file declares the 1-5 check; a database that lost it may hold the extension's
    // 0 ("unset") and other values the v2.0 rule refuses.
    from: 'a database without the jobs.excitement_level check (extension payloads send 0)',
    sql: `alter table public.jobs drop constraint if exists jobs_excitement_level_check, drop constraint if exists check_excitement_level;`,
  },
};

export function liveShapeSql(present: Iterable<LiveObject>): string {
  const set = new Set(present);
  return liveObjects.filter((o) => set.has(o)).map((o) => `-- ${o}: ${liveObjectDdl[o].from}\n${liveObjectDdl[o].sql}`).join('\n\n');
}

// Where a value must be after the upgrade.
export type Expectation = {
  object: LiveObject | 'v2_0';
  what: string;
  userId: string | null;
  // The v2.1 home: the row (by its id column) and the column holding the value there.
  home?: { table: string; idColumn: string; id: string; column: string; value: unknown };
  // The archive: an entry of this source holding these key/values, with a reason.
  archive?: { source: string; contains: Record<string, unknown>; reason: RegExp };
  // While the home table or column does not exist yet: the stash entry holding the value.
  stash?: { source: string; rowId: string; key: string | null; value: unknown; homeTable: string; homeColumn: string };
};

export type LiveData = {
  users: { id: string; email: string }[];
  statements: { text: string; params: unknown[] }[];
  expectations: Expectation[];
  // Rows per table the live database holds, and how many of them the upgrade may archive
  // instead of keeping (duplicates, rows of tables v2.1 does not have).
  rows: Record<string, number>;
  archivedRows: Record<string, number>;
};

// Deterministic pseudo-random numbers, so that a failure can be reproduced.
export function seededRandom(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function uuid(prefix: number, n: number) {
  return `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

// A time `day` days into 2025, as to_jsonb prints a timestamptz in UTC.
const when = (day: number) => `${new Date(Date.UTC(2025, 0, 1, 10) + day * 86_400_000).toISOString().slice(0, 19)}+00:00`;

export function liveData(present: Iterable<LiveObject>, { users: userCount = 24, prefix = 0x1a000000 } = {}): LiveData {
  const has = new Set(present);
  const data: LiveData = { users: [], statements: [], expectations: [], rows: {}, archivedRows: {} };
  const run = (text: string, ...params: unknown[]) => data.statements.push({ text, params });
  const count = (table: string, n = 1) => { data.rows[table] = (data.rows[table] ?? 0) + n; };
  const archivedRow = (table: string) => { data.archivedRows[table] = (data.archivedRows[table] ?? 0) + 1; };
  const expect = (e: Expectation) => data.expectations.push(e);

  for (let i = 0; i < userCount; i += 1) {
    const userId = uuid(prefix, i + 1);
    const profileId = uuid(prefix + 1, i + 1);
    const email = `live${i}-${prefix.toString(16)}@upgrade.test`;
    data.users.push({ id: userId, email });
    run('insert into auth.users (id, email, raw_user_meta_data) values ($1, $2, $3)', userId, email, { full_name: `Live User ${i}` });

    // The profile, with the live-only columns this shape has.
    const profile: Record<string, unknown> = { id: profileId, user_id: userId, full_name: `Live User ${i}`, job_title: 'Engineer' };
    // A value the v2.1 home takes as it is, or one its rules refuse (then archived with the reason).
    const profileValue = (object: LiveObject, column: string, value: unknown, home: { table: string; column: string; idColumn: string; id: string },
      refused?: { reason: RegExp; stored?: unknown }) => {
      profile[column] = value;
      if (value === null || value === undefined) return;
      const stash = { source: 'user_profile', rowId: profileId, key: column, value, homeTable: home.table, homeColumn: home.column };
      if (refused) {
        expect({ object, what: `user_profile.${column} of user ${i} (refused)`, userId, stash,
          archive: { source: `user_profile.${column}`, contains: { [column]: value }, reason: refused.reason },
          ...(refused.stored !== undefined ? { home: { ...home, value: refused.stored } } : {}) });
      } else {
        expect({ object, what: `user_profile.${column} of user ${i}`, userId, stash, home: { ...home, value } });
      }
    };
    const onProfile = (column: string) => ({ table: 'user_profile', column, idColumn: 'id', id: profileId });
    const onAnswers = (column: string) => ({ table: 'application_form_answers', column, idColumn: 'user_id', id: userId });

    if (has.has('profile_contact')) {
      profileValue('profile_contact', 'first_name', `First${i}`, onProfile('first_name'));
      profileValue('profile_contact', 'last_name', i % 5 === 0 ? null : `Last${i}`, onProfile('last_name'));
      profileValue('profile_contact', 'phone', i % 4 === 1 ? null : `+1 555 01${String(i).padStart(2, '0')}`, onProfile('phone'));
      if (i % 7 === 3) profileValue('profile_contact', 'email', `not an email ${i}`, onProfile('email'), { reason: /email/ });
      else profileValue('profile_contact', 'email', `contact${i}@mail.test`, onProfile('email'));
      if (i % 11 === 4) {
        const long = `Summary ${i}. ${'Shipped things that mattered. '.repeat(400)}`;
        profileValue('profile_contact', 'professional_summary', long, onProfile('professional_summary'),
          { reason: /10240/, stored: long.slice(0, 10240) });
      } else {
        profileValue('profile_contact', 'professional_summary', `Engineer number ${i}, likes SQL.`, onProfile('professional_summary'));
      }
      if (i % 9 === 2) {
        profileValue('profile_contact', 'social_links', [{ platform: 'GitHub' }], onProfile('social_links'), { reason: /social_links/, stored: [] });
      } else {
        profileValue('profile_contact', 'social_links', [{ platform: 'LinkedIn', url: `https://linkedin.com/in/live${i}` }], onProfile('social_links'));
      }
      // profile_completed defaults to false in the live table: every row holds it.
      profileValue('profile_contact', 'profile_completed', i % 2 === 0, onProfile('profile_completed'));
    }
    if (has.has('form_answers')) {
      profileValue('form_answers', 'work_auth_us', i % 3 === 0 ? null : i % 2 === 0, onAnswers('work_auth_us'));
      profileValue('form_answers', 'work_auth_canada', i % 4 === 0, onAnswers('work_auth_canada'));
      profileValue('form_answers', 'work_auth_uk', i % 5 === 0 ? null : false, onAnswers('work_auth_uk'));
      profileValue('form_answers', 'requires_sponsorship', i % 3 === 1, onAnswers('requires_sponsorship'));
      if (i % 8 === 5) profileValue('form_answers', 'current_location', '   ', onAnswers('current_location'), { reason: /current_location/ });
      else profileValue('form_answers', 'current_location', i % 2 ? `Toronto ${i}, ON` : `Austin ${i}, TX`, onAnswers('current_location'));
      if (i % 10 === 7) profileValue('form_answers', 'phone_country_code', 'USA', onAnswers('phone_country_code'), { reason: /phone_country_code/ });
      else profileValue('form_answers', 'phone_country_code', i % 2 ? '+1' : '+44', onAnswers('phone_country_code'));
      if (i % 13 === 6) profileValue('form_answers', 'date_of_birth', '1890-01-01', onAnswers('date_of_birth'), { reason: /date_of_birth/ });
      else profileValue('form_answers', 'date_of_birth', `19${80 + (i % 19)}-0${1 + (i % 9)}-1${i % 10}`, onAnswers('date_of_birth'));
      profileValue('form_answers', 'ethnicity', i % 6 === 0 ? null : ['Asian', 'Hispanic or Latino', 'White', 'Black or African American'][i % 4], onAnswers('ethnicity'));
      profileValue('form_answers', 'gender', ['Male', 'Female', 'Non-Binary', 'Decline to state', null][i % 5], onAnswers('gender'));
      profileValue('form_answers', 'has_disability', ['No', 'Yes', 'Decline to state'][i % 3], onAnswers('has_disability'));
      profileValue('form_answers', 'is_veteran', i % 4 === 2 ? null : ['No', 'Yes'][i % 2], onAnswers('is_veteran'));
      profileValue('form_answers', 'is_lgbtq', ['Decline to state', 'No', 'Yes', null][i % 4], onAnswers('is_lgbtq'));
    }
    if (has.has('referral_source')) {
      if (i % 6 === 1) profileValue('referral_source', 'referral_source', '   ', onProfile('referral_source'), { reason: /referral_source/ });
      else profileValue('referral_source', 'referral_source', i % 6 === 3 ? null : ['LinkedIn', 'A friend', 'Google', 'TikTok'][i % 4], onProfile('referral_source'));
    }
    // The tier the live sync trigger copies from the subscription; one profile says 'pro'
    // with no subscription behind it, which the v2.1 rule (the tier is the subscription's) refuses.
    const subscribed = has.has('subscriptions') && i % 3 === 0;
    const tier = subscribed ? (i % 2 === 0 ? 'pro' : 'free') : 'free';
    if (has.has('subscriptions')) {
      if (i === 4) profileValue('subscriptions', 'subscription_tier', 'pro', onProfile('subscription_tier'), { reason: /tier is the subscription's/, stored: 'free' });
      else profileValue('subscriptions', 'subscription_tier', tier, onProfile('subscription_tier'));
    }
    profile.created_at = when(i);
    const columns = Object.keys(profile);
    run(`insert into public.user_profile (${columns.join(', ')}) values (${columns.map((_, n) => `$${n + 1}`).join(', ')})`,
      ...columns.map((c) => profile[c]));
    count('user_profile');

    // The live table has no one-profile-per-user rule, and the app created a profile when it
    // found none: a second, later profile of one user. The upgrade keeps the oldest and
    // archives the other whole, its live values with it.
    if (i === 2) {
      const second: Record<string, unknown> = { id: uuid(prefix + 7, i + 1), user_id: userId, full_name: 'Your Name', created_at: when(i + 100) };
      if (has.has('profile_contact')) Object.assign(second, { first_name: `Second${i}`, email: `second${i}@mail.test` });
      if (has.has('form_answers')) Object.assign(second, { current_location: `Lisbon ${i}`, work_auth_uk: true });
      if (has.has('referral_source')) Object.assign(second, { referral_source: 'Reddit' });
      const keys = Object.keys(second);
      run(`insert into public.user_profile (${keys.join(', ')}) values (${keys.map((_, n) => `$${n + 1}`).join(', ')})`, ...keys.map((k) => second[k]));
      count('user_profile');
      archivedRow('user_profile');
      const live = Object.fromEntries(keys.filter((k) => !['id', 'user_id', 'full_name', 'created_at'].includes(k)).map((k) => [k, second[k]]));
      if (Object.keys(live).length > 0) {
        expect({ object: 'profile_contact', what: `the live values of user ${i}'s second profile`, userId,
          stash: { source: 'user_profile', rowId: second.id as string, key: null, value: live, homeTable: 'user_profile', homeColumn: 'first_name' },
          archive: { source: 'user_profile.live_columns', contains: { id: second.id, ...live }, reason: /a user keeps one profile/ } });
      }
    }

    if (subscribed) {
      const sub = {
        id: uuid(prefix + 2, i + 1), user_id: userId, stripe_customer_id: `cus_live${i}`,
        stripe_subscription_id: tier === 'pro' ? `sub_live${i}` : null, stripe_price_id: tier === 'pro' ? 'price_pro_monthly' : null,
        status: tier === 'pro' ? (i % 4 === 0 ? 'active' : 'trialing') : 'canceled', tier,
        current_period_start: tier === 'pro' ? when(i) : null, current_period_end: tier === 'pro' ? when(i + 365) : null,
        cancel_at_period_end: i % 9 === 0, created_at: when(i), updated_at: when(i + 2),
      };
      const cols = Object.keys(sub) as (keyof typeof sub)[];
      run(`insert into public.subscriptions (${cols.join(', ')}) values (${cols.map((_, n) => `$${n + 1}`).join(', ')})`, ...cols.map((c) => sub[c]));
      count('subscriptions');
      for (const c of cols) {
        if (c === 'id' || sub[c] === null) continue;
        expect({ object: 'subscriptions', what: `subscriptions.${c} of user ${i}`, userId,
          stash: { source: 'subscriptions', rowId: sub.id, key: c, value: sub[c], homeTable: 'subscriptions', homeColumn: c },
          home: { table: 'subscriptions', idColumn: 'id', id: sub.id, column: c, value: sub[c] } });
      }
    }

    if (has.has('user_languages')) {
      const spoken: [string, string, 'ok' | 'duplicate' | 'unknown'][] = [['English', 'Native', 'ok']];
      if (i % 2 === 0) spoken.push(['Spanish', 'Intermediate', 'ok']);
      if (i % 3 === 0) spoken.push(['German', 'Advanced', 'ok']);
      if (i % 7 === 0) spoken.push(['english', 'Fluent', 'duplicate']);
      if (i % 10 === 1) spoken.push(['Italian', 'Conversational', 'unknown']);
      spoken.forEach(([language, proficiency, fate], n) => {
        const row = { id: uuid(prefix + 3, i * 10 + n), user_id: userId, language, proficiency, created_at: when(i * 10 + n), updated_at: when(i * 10 + n + 1) };
        run('insert into public.user_languages (id, user_id, language, proficiency, created_at, updated_at) values ($1, $2, $3, $4, $5, $6)',
          row.id, row.user_id, row.language, row.proficiency, row.created_at, row.updated_at);
        count('user_languages');
        const stash = (key: string, value: unknown) => ({ source: 'user_languages', rowId: row.id, key, value, homeTable: 'user_languages', homeColumn: key });
        const home = (column: string, value: unknown) => ({ table: 'user_languages', idColumn: 'id', id: row.id, column, value });
        if (fate === 'duplicate') {
          archivedRow('user_languages');
          expect({ object: 'user_languages', what: `language ${language} of user ${i} (a second ${language} in another case)`, userId,
            stash: stash('language', language),
            archive: { source: 'user_languages', contains: { id: row.id, language, proficiency }, reason: /language/ } });
          return;
        }
        expect({ object: 'user_languages', what: `language ${language} of user ${i}`, userId, stash: stash('language', language), home: home('language', language) });
        expect({ object: 'user_languages', what: `created_at of language ${language} of user ${i}`, userId, stash: stash('created_at', row.created_at), home: home('created_at', row.created_at) });
        if (fate === 'unknown') {
          expect({ object: 'user_languages', what: `proficiency ${proficiency} of user ${i} (not in the v2.1 vocabulary)`, userId,
            stash: stash('proficiency', proficiency),
            archive: { source: 'user_languages.proficiency', contains: { id: row.id, proficiency }, reason: /proficiency/ },
            home: home('proficiency', null) });
        } else {
          expect({ object: 'user_languages', what: `proficiency ${proficiency} of user ${i}`, userId, stash: stash('proficiency', proficiency),
            home: home('proficiency', proficiency === 'Fluent' ? 'native' : proficiency.toLowerCase()) });
        }
      });
    }

    if (has.has('job_matching_preferences') && i % 4 === 0) {
      const id = uuid(prefix + 4, i + 1);
      run(`insert into public.job_matching_preferences_temp (id, user_id, preferred_locations, min_salary, salary_currency)
           values ($1, $2, $3, $4, 'EUR')`, id, userId, ['Remote', `Berlin ${i}`], 90000 + i);
      count('job_matching_preferences_temp');
      archivedRow('job_matching_preferences_temp');
      expect({ object: 'job_matching_preferences', what: `job matching preferences of user ${i}`, userId,
        archive: { source: 'job_matching_preferences_temp', contains: { id, min_salary: 90000 + i, preferred_locations: ['Remote', `Berlin ${i}`] }, reason: /job-matching preferences/ } });
    }

    // Jobs as the live app saved them: Title Case statuses, the extension's URLs.
    const statuses = ['Bookmarked', 'Applying', 'Applied', 'Interviewing', 'Accepted'];
    for (let n = 0; n < 3; n += 1) {
      const id = uuid(prefix + 5, i * 10 + n);
      let status = statuses[(i + n) % statuses.length];
      let url: string | null = `https://www.linkedin.com/jobs/view/${i * 10 + n}`;
      let excitement: number | null = 1 + ((i + n) % 5);
      if (n === 1 && i % 5 === 0) {
        status = 'Ghosted';
        expect({ object: 'v2_0', what: `job status Ghosted of user ${i}`, userId,
          archive: { source: 'jobs.status', contains: { id, status: 'Ghosted' }, reason: /not a pipeline status/ } });
      }
      if (n === 2 && i % 6 === 0) {
        url = `see the email from ${i}`;
        expect({ object: 'v2_0', what: `malformed job_url of user ${i}`, userId,
          archive: { source: 'jobs.job_url', contains: { id, job_url: url }, reason: /not an http\(s\) URL/ } });
      }
      if (n === 0 && has.has('no_excitement_check') && i % 4 === 1) {
        excitement = i % 8 === 1 ? 0 : 9;
        expect({ object: 'no_excitement_check', what: `excitement ${excitement} of user ${i}`, userId,
          archive: { source: 'jobs.excitement_level', contains: { id, excitement_level: excitement }, reason: /not 1 to 5/ },
          home: { table: 'jobs', idColumn: 'id', id, column: 'excitement_level', value: null } });
      }
      run(`insert into public.jobs (id, user_id, job_title, company, status, job_url, excitement_level, created_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8)`, id, userId, `Role ${n}`, `Company ${i}`, status, url, excitement, when(i + n));
      count('jobs');
    }
    run(`insert into public.user_skills (user_id, name, proficiency) values ($1, 'SQL', 'Expert'), ($1, 'React', 'Intermediate')`, userId);
    count('user_skills', 2);
    run(`insert into public.user_work_experience (user_id, title, company, start_date) values ($1, 'Engineer', $2, '2020-01-01')`, userId, `Company ${i}`);
    count('user_work_experience');
    run(`insert into public.user_education (user_id, school, degree) values ($1, $2, 'BSc')`, userId, `University ${i}`);
    count('user_education');

    if (i % 3 === 0) {
      run(`insert into public.ai_events (user_id, provider, model, input_tokens, output_tokens, latency_ms, status, created_at)
           values ($1, 'openai', 'gpt-4o-mini', 100, 50, 800, 'success', $2)`, userId, when(i));
      count('ai_events');
    }
    if (has.has('ai_events_columns') && i % 3 === 1) {
      const id = uuid(prefix + 6, i + 1);
      run(`insert into public.ai_events (id, user_id, provider, model, status, event_type, tokens_used, metadata)
           values ($1, $2, 'openai', 'gpt-4o-mini', 'success', 'job_match_analysis', $3, $4)`, id, userId, 1000 + i, { job_id: `job-${i}` });
      count('ai_events');
      expect({ object: 'ai_events_columns', what: `ai_events.event_type, tokens_used, metadata of user ${i}`, userId,
        archive: { source: 'ai_events.live_columns', contains: { id, event_type: 'job_match_analysis', tokens_used: 1000 + i, metadata: { job_id: `job-${i}` } }, reason: /v2\.1 does not have/ } });
    }
  }
  return data;
}

export async function loadLiveData(sql: postgres.Sql, data: LiveData) {
  await sql.begin(async (tx) => {
    for (const s of data.statements) {
      await tx.unsafe(s.text, s.params.map((p) => (p !== null && typeof p === 'object' ? tx.json(p as postgres.JSONValue) : p)) as never[]);
    }
  });
}
