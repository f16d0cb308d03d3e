// The benchmark's data set, generated inside the database with set-based SQL
// (generate_series and INSERT ... SELECT; no row leaves the server).
//
// Users are inserted the way Supabase Auth does it (as supabase_auth_admin, so the
// sign-up trigger creates each profile), and the small per-user lists go through their
// normalisation triggers. The big tables (jobs, resume versions, AI events) are loaded
// with session_replication_role = replica, which skips their per-row triggers and
// foreign-key checks; the load then writes set-based what those triggers would have
// written (one job_status_events row per job, current_version = newest version number)
// and checks afterwards that every foreign key and derived value holds.
import * as words from './vocabulary.mjs';

const { textArray } = words;

export const dataSetSizes = {
  full: { users: 10_000, jobs: 2_000_000, resumes: 50_000, versions: 200_000, aiEvents: 1_000_000 },
  tenth: { users: 1_000, jobs: 200_000, resumes: 5_000, versions: 20_000, aiEvents: 100_000 },
  quick: { users: 200, jobs: 20_000, resumes: 1_000, versions: 4_000, aiEvents: 20_000 },
};

// Per user, whatever the size: 20 skills, 5 work experiences, 2 educations, 1–2 languages.
export const perUser = { skills: 20, experiences: 5, educations: 2 };

// Status mix of a job tracker: many saved and applied, a funnel narrowing to offers.
const statusMix = [
  ['bookmarked', 0.25], ['applying', 0.08], ['applied', 0.30], ['interviewing', 0.10],
  ['negotiating', 0.02], ['accepted', 0.02], ['rejected', 0.19], ['withdrawn', 0.04],
];

function statusCase(column) {
  let cumulative = 0;
  const arms = statusMix.map(([status, share]) => {
    cumulative += share;
    return `when ${column} < ${cumulative.toFixed(4)} then '${status}'`;
  });
  return `case ${arms.join(' ')} else 'withdrawn' end`;
}

// Splits `total` rows over the rows of `source` in proportion to an integer weight
// column: floor(total*cw/tw) - floor(total*(cw-w)/tw) telescopes to exactly `total`.
function exactShare(total, weight) {
  return `((${total}::bigint * cw) / tw - (${total}::bigint * (cw - ${weight})) / tw)::int`;
}

const pick = (array, index) => `(${textArray(array)})[1 + ${index}]`;

function usersAndProfiles(size) {
  return [
    {
      label: `auth.users: ${size.users.toLocaleString('en-US')} sign-ups (as supabase_auth_admin; the sign-up trigger creates each profile)`,
      sql: `
        create schema bench_load;
        create unlogged table bench_load.users as
        select g as n,
               gen_random_uuid() as id,
               ${pick(words.firstNames, `floor(random() * ${words.firstNames.length})::int`)} as first_name,
               ${pick(words.lastNames, `floor(random() * ${words.lastNames.length})::int`)} as last_name,
               now() - interval '30 days' - random() * interval '730 days' as joined,
               1 + floor(random() * 7)::int as job_weight,
               1 + floor(random() * 9)::int as resume_weight,
               floor(random() * 1000000)::int as seed
          from generate_series(1, ${size.users}) g;
        alter table bench_load.users add primary key (n);
        create unique index on bench_load.users (id);
        grant usage on schema bench_load to supabase_auth_admin;
        grant select on bench_load.users to supabase_auth_admin;

        set role supabase_auth_admin;
        insert into auth.users (instance_id, id, aud, role, email, email_confirmed_at, raw_app_meta_data,
                                raw_user_meta_data, created_at, updated_at, last_sign_in_at)
        select '00000000-0000-0000-0000-000000000000', u.id, 'authenticated', 'authenticated',
               lower(u.first_name || '.' || u.last_name || u.n || '@example.com'), u.joined,
               '{"provider":"google","providers":["google"]}',
               jsonb_build_object('full_name', u.first_name || ' ' || u.last_name,
                                  'name', u.first_name || ' ' || u.last_name,
                                  'email', lower(u.first_name || '.' || u.last_name || u.n || '@example.com'),
                                  'email_verified', true),
               u.joined, u.joined, now() - random() * interval '14 days'
          from bench_load.users u
         order by u.n;
        reset role;`,
    },
    {
      label: 'user_profile: job title, location, phone, summary and social links on every profile',
      sql: `
        update public.user_profile p
           set job_title = ${pick(words.jobTitles, `u.seed % ${words.jobTitles.length}`)},
               location = ${pick(words.locations, `(u.seed / 7) % ${words.locations.length}`)},
               phone = '+1 555 ' || lpad((u.seed % 10000000)::text, 7, '0'),
               professional_summary = 'Engineer with ' || (2 + u.seed % 15) || ' years of experience building '
                 || 'reliable web products. I enjoy turning vague problems into shipped features and helping teammates grow.',
               social_links = jsonb_build_array(
                 jsonb_build_object('platform', 'linkedin', 'url', 'https://www.linkedin.com/in/' || lower(u.first_name || '-' || u.last_name || '-' || u.n)),
                 jsonb_build_object('platform', 'github', 'url', 'https://github.com/' || lower(u.first_name || u.last_name || u.n)))
          from bench_load.users u
         where p.user_id = u.id;`,
    },
    {
      label: `user_skills, user_work_experience, user_education, user_languages (${perUser.skills}, ${perUser.experiences}, ${perUser.educations}, 1–2 per user; through their triggers)`,
      sql: `
        insert into public.user_skills (user_id, name, proficiency, category, created_at, updated_at)
        select u.id,
               (${textArray(words.skills.map(([name]) => name))})[1 + (u.seed + k) % ${words.skills.length}],
               (array['beginner', 'intermediate', 'advanced', 'expert'])[1 + (u.seed / 3 + k * 7) % 4],
               (${textArray(words.skills.map(([, category]) => category))})[1 + (u.seed + k) % ${words.skills.length}],
               u.joined + k * interval '1 minute', u.joined + k * interval '1 minute'
          from bench_load.users u, generate_series(0, ${perUser.skills - 1}) k;

        insert into public.user_work_experience (user_id, title, company, location, start_date, end_date, is_current,
                                                 description, created_at, updated_at)
        select u.id,
               ${pick(words.jobTitles, `(u.seed + k * 3) % ${words.jobTitles.length}`)},
               ${pick(words.companies, `(u.seed / 11 + k * 7) % ${words.companies.length}`)},
               ${pick(words.locations, `(u.seed / 13 + k) % ${words.locations.length}`)},
               date_trunc('month', now() - (k * 2.2 + 0.3) * interval '1 year')::date,
               case when k = 0 then null else date_trunc('month', now() - ((k - 1) * 2.2 + 0.4) * interval '1 year')::date end,
               k = 0,
               ${pick(words.bullets, `(u.seed + k * 3) % ${words.bullets.length}`)} || E'\\n' ||
               ${pick(words.bullets, `(u.seed + k * 3 + 1) % ${words.bullets.length}`)} || E'\\n' ||
               ${pick(words.bullets, `(u.seed + k * 3 + 2) % ${words.bullets.length}`)},
               u.joined + interval '1 hour', u.joined + interval '1 hour'
          from bench_load.users u, generate_series(0, ${perUser.experiences - 1}) k;

        insert into public.user_education (user_id, school, degree, field, start_date, end_date, created_at, updated_at)
        select u.id,
               ${pick(words.schools, `(u.seed / 17 + k * 5) % ${words.schools.length}`)},
               case k when 0 then 'MSc' else 'BSc' end,
               ${pick(words.fields, `(u.seed / 19) % ${words.fields.length}`)},
               date_trunc('month', now() - (12.5 - k * 4) * interval '1 year' - (u.seed % 36) * interval '1 month')::date,
               date_trunc('month', now() - (12.5 - k * 4) * interval '1 year' - (u.seed % 36) * interval '1 month'
                                   + case k when 0 then interval '2 years' else interval '4 years' end)::date,
               u.joined + interval '2 hours', u.joined + interval '2 hours'
          from bench_load.users u, generate_series(0, ${perUser.educations - 1}) k;

        insert into public.user_languages (user_id, language, proficiency, created_at, updated_at)
        select u.id, 'English', case when u.seed % 3 = 0 then 'Native' else 'Advanced' end, u.joined, u.joined
          from bench_load.users u
        union all
        select u.id, ${pick(words.languages, `(u.seed / 23) % ${words.languages.length}`)},
               (array['Beginner', 'Intermediate', 'Advanced', 'Native'])[1 + (u.seed / 29) % 4], u.joined, u.joined
          from bench_load.users u
         where u.seed % 5 < 3;`,
    },
  ];
}

// Jobs and their status history. Rows are inserted in created_at order (users
// interleaved, as a live table fills), not user by user.
function jobsLane(size) {
  const paragraphCount = words.paragraphs.length;
  return [
    {
      label: `jobs: ${size.jobs.toLocaleString('en-US')} rows over two years, 50–350 per user (triggers off, history written below)`,
      sql: `
        create unlogged table bench_load.job_slots as
        select *
          from (select c.id as user_id,
                       c.joined + (now() - c.joined) * random() as created_at,
                       random() as r_status, random() as r_updated, random() as r_misc,
                       floor(random() * ${words.jobTitles.length})::int as ti,
                       floor(random() * ${words.companies.length})::int as ci,
                       floor(random() * ${words.locations.length})::int as li,
                       floor(random() * ${paragraphCount - 6})::int as pi,
                       2 + floor(random() * 5)::int as np
                  from (select u.id, u.joined, u.job_weight,
                               sum(u.job_weight) over (order by u.n) as cw, sum(u.job_weight) over () as tw
                          from bench_load.users u) c
                       cross join lateral generate_series(1, ${exactShare(size.jobs, 'c.job_weight')}) g
                offset 0) s
         order by s.created_at;

        set session_replication_role = replica;
        insert into public.jobs (user_id, job_title, company, location, salary, job_url, status, excitement_level,
                                 date_applied, deadline, description, created_at, updated_at)
        select s.user_id,
               ${pick(words.jobTitles, 's.ti')},
               ${pick(words.companies, 's.ci')},
               ${pick(words.locations, 's.li')},
               case when s.r_misc < 0.6
                    then '$' || to_char((60 + floor(s.r_updated * 120)) * 1000, 'FM999,999') || ' - $'
                         || to_char((80 + floor(s.r_updated * 120)) * 1000, 'FM999,999') end,
               case when s.r_misc < 0.85
                    then 'https://' || ${pick(words.companyHosts, 's.ci')} || '/jobs/' || floor(s.r_status * 1e9)::bigint end,
               s.status,
               nullif(1 + floor(s.r_misc * 6000)::int % 6, 6),
               case when s.status in ('applied', 'interviewing', 'negotiating', 'accepted', 'rejected')
                      or (s.status = 'withdrawn' and s.r_misc < 0.5)
                    then (s.created_at + (s.updated_at - s.created_at) * 0.3)::date end,
               case when s.r_misc > 0.6 then (s.created_at + interval '14 days' + s.r_updated * interval '30 days')::date end,
               ${pick(words.companies, 's.ci')} || ' is hiring a ' || ${pick(words.jobTitles, 's.ti')}
                 || ' (' || ${pick(words.locations, 's.li')} || E').\\n\\n'
                 || array_to_string((${textArray(words.paragraphs)})[s.pi + 1 : s.pi + s.np], E'\\n\\n'),
               s.created_at,
               s.updated_at
          from (select j.*, ${statusCase('j.r_status')} as status,
                       j.created_at + least(now() - j.created_at, interval '120 days') * j.r_updated as updated_at
                  from bench_load.job_slots j) s;
        set session_replication_role = origin;`,
    },
    {
      label: 'job_status_events: the history row the insert trigger writes, one per job, set-based',
      sql: `
        insert into public.job_status_events (job_id, user_id, from_status, to_status, changed_at)
        select j.id, j.user_id, null, j.status, j.created_at
          from public.jobs j
         where not exists (select 1 from public.job_status_events e where e.job_id = j.id);`,
    },
  ];
}

// Generated resumes (from completed wizard sessions), their versions, share links, and
// the AI call log.
function resumesLane(size) {
  const templatesSql = `(select array_agg(t.id order by t.slug) from public.templates t where t.is_active)`;
  return [
    {
      label: `wizard_sessions + generated_resumes: ${size.resumes.toLocaleString('en-US')} resumes, share links on 10%`,
      sql: `
        create unlogged table bench_load.resume_base as
        select p.user_id,
               jsonb_build_object(
                 'profile', jsonb_build_object('fullName', p.full_name, 'firstName', p.first_name, 'lastName', p.last_name,
                                               'email', u.email, 'phone', p.phone, 'headline', p.job_title,
                                               'location', p.location, 'summary', p.professional_summary,
                                               'socialLinks', p.social_links),
                 'experience', (select jsonb_agg(jsonb_build_object('id', w.id, 'title', w.title, 'company', w.company,
                                                                    'location', w.location, 'startDate', to_char(w.start_date, 'YYYY-MM'),
                                                                    'endDate', to_char(w.end_date, 'YYYY-MM'), 'isCurrent', w.is_current,
                                                                    'description', w.description) order by w.start_date desc)
                                  from public.user_work_experience w where w.user_id = p.user_id),
                 'education', (select jsonb_agg(jsonb_build_object('id', e.id, 'school', e.school, 'degree', e.degree,
                                                                   'field', e.field, 'startDate', to_char(e.start_date, 'YYYY-MM'),
                                                                   'endDate', to_char(e.end_date, 'YYYY-MM')) order by e.start_date desc)
                                 from public.user_education e where e.user_id = p.user_id),
                 'skills', (select jsonb_agg(s.name order by s.created_at) from public.user_skills s where s.user_id = p.user_id),
                 'languages', (select jsonb_agg(jsonb_build_object('name', l.language, 'proficiency', l.proficiency) order by l.created_at)
                                 from public.user_languages l where l.user_id = p.user_id)) as content
          from public.user_profile p
          join bench_load.users bu on bu.id = p.user_id
          join auth.users u on u.id = p.user_id;
        alter table bench_load.resume_base add primary key (user_id);

        create unlogged table bench_load.resumes as
        select r.*,
               row_number() over (order by r.id) as rn,
               floor(random() * 7)::int as extra_weight
          from (select gen_random_uuid() as id, gen_random_uuid() as session_id, c.id as user_id, c.seed,
                       c.joined + (now() - interval '15 days' - c.joined) * random() as created_at,
                       floor(random() * 1000)::int as r
                  from (select u.id, u.joined, u.seed, u.resume_weight,
                               sum(u.resume_weight) over (order by u.n) as cw, sum(u.resume_weight) over () as tw
                          from bench_load.users u) c
                       cross join lateral generate_series(1, ${exactShare(size.resumes, 'c.resume_weight')}) g
                offset 0) r;

        -- Every resume has version 1; the other versions are spread by weight, so the
        -- total is exact.
        create unlogged table bench_load.resume_rows as
        select r.*,
               1 + ${exactShare(size.versions - size.resumes, 'r.extra_weight')} as versions,
               r.rn % 10 = 0 as shared
          from (select r.*, sum(r.extra_weight) over (order by r.rn) as cw, sum(r.extra_weight) over () as tw
                  from bench_load.resumes r) r;

        set session_replication_role = replica;
        insert into public.generated_resumes (id, user_id, template_id, title, current_version, share_token,
                                              share_created_at, share_expires_at, share_view_count, created_at, updated_at)
        select r.id, r.user_id, (${templatesSql})[1 + r.r % 3],
               coalesce(p.full_name, 'My Resume') || ' - ' || ${pick(words.targetRoles, `r.seed % ${words.targetRoles.length}`)},
               r.versions,
               case when r.shared then translate(encode(extensions.gen_random_bytes(24), 'base64'), '+/', '-_') end,
               case when r.shared then r.created_at + (r.versions - 1) * interval '2 days' end,
               case when r.shared and r.r % 5 = 0 then now() + interval '30 days' end,
               case when r.shared then r.r % 50 else 0 end,
               r.created_at,
               r.created_at + (r.versions - 1) * interval '2 days'
          from bench_load.resume_rows r
          join public.user_profile p on p.user_id = r.user_id;

        -- Each resume came out of a completed wizard session that records it.
        insert into public.wizard_sessions (id, user_id, template_id, draft_json, progress, status, last_step,
                                            generated_resume_id, created_at, updated_at)
        select r.session_id, r.user_id, (${templatesSql})[1 + r.r % 3],
               b.content || jsonb_build_object('targetRole', ${pick(words.targetRoles, `r.seed % ${words.targetRoles.length}`)}),
               '{"step": 8, "step1": true, "step2": true, "step3": true, "step4": true, "step5": true, "step6": true, "step7": true, "step8": true}',
               'completed', 8, r.id, r.created_at - interval '20 minutes', r.created_at
          from bench_load.resume_rows r
          join bench_load.resume_base b on b.user_id = r.user_id;
        set session_replication_role = origin;`,
    },
    {
      label: `generated_resume_versions: ${size.versions.toLocaleString('en-US')} versions of the profile as resume JSON (numbering written set-based)`,
      sql: `
        set session_replication_role = replica;
        insert into public.generated_resume_versions (generated_resume_id, version_number, content_json, created_at)
        select r.id, v,
               b.content || jsonb_build_object('targetRole', ${pick(words.targetRoles, `(r.seed + v) % ${words.targetRoles.length}`)}),
               r.created_at + (v - 1) * interval '2 days'
          from bench_load.resume_rows r
          join bench_load.resume_base b on b.user_id = r.user_id
               cross join lateral generate_series(1, r.versions) v;
        set session_replication_role = origin;`,
    },
    {
      label: `ai_events: ${size.aiEvents.toLocaleString('en-US')} calls over the last 30 days, a quarter tied to a wizard session`,
      sql: `
        create unlogged table bench_load.first_session as
        select distinct on (w.user_id) w.user_id, w.id
          from public.wizard_sessions w
         order by w.user_id, w.created_at;

        set session_replication_role = replica;
        insert into public.ai_events (user_id, wizard_session_id, provider, model, input_tokens, output_tokens,
                                      latency_ms, status, error, created_at)
        select u.id,
               case when e.r1 < 0.25 then fs.id end,
               'openai',
               case when e.r2 < 0.9 then 'gpt-4o-mini' else 'gpt-4o' end,
               300 + floor(e.r3 * 2700)::int,
               40 + floor(e.r4 * 700)::int,
               350 + floor(e.r5 * 5000)::int,
               case when e.r6 < 0.03 then 'error' else 'success' end,
               case when e.r6 < 0.03 then ${pick(words.aiErrors, `floor(e.r6 * 100)::int % ${words.aiErrors.length}`)} end,
               now() - interval '30 days' * (1 - e.g::float8 / ${size.aiEvents}) - e.r1 * interval '2 seconds'
          from (select g, 1 + floor(random() * ${size.users})::int as un,
                       random() as r1, random() as r2, random() as r3, random() as r4, random() as r5, random() as r6
                  from generate_series(1, ${size.aiEvents}) g
                offset 0) e
          join bench_load.users u on u.n = e.un
          left join bench_load.first_session fs on fs.user_id = u.id;
        set session_replication_role = origin;`,
    },
  ];
}

// What the skipped triggers and foreign keys guarantee, checked on the loaded data.
export const consistencyChecks = [
  ['jobs whose user does not exist', 'select count(*) from public.jobs j where not exists (select 1 from auth.users u where u.id = j.user_id)'],
  ['jobs without exactly one status event', `select (select count(*) from public.jobs j
                   where not exists (select 1 from public.job_status_events e where e.job_id = j.id))
          + (select count(*) from (select e.job_id from public.job_status_events e
                                    group by e.job_id having count(*) > 1) d) as count`],
  ['status events that disagree with their job', `select count(*) from public.job_status_events e
     join public.jobs j on j.id = e.job_id where e.to_status <> j.status or e.user_id <> j.user_id`],
  ['users without a profile', 'select count(*) from auth.users u where not exists (select 1 from public.user_profile p where p.user_id = u.id)'],
  ['generated resumes whose current_version is not their newest version', `select count(*) from public.generated_resumes r
     where r.current_version is distinct from (select max(v.version_number) from public.generated_resume_versions v where v.generated_resume_id = r.id)`],
  ['resume versions with gaps in their numbering', `select count(*) from (select generated_resume_id from public.generated_resume_versions
     group by generated_resume_id having max(version_number) <> count(*)) g`],
  ['completed wizard sessions not linked to their own resume', `select count(*) from public.wizard_sessions w
     where w.status = 'completed'
       and not exists (select 1 from public.generated_resumes r where r.id = w.generated_resume_id and r.user_id = w.user_id
                          and r.template_id = w.template_id)`],
  ['generated resumes on a missing template or user', `select count(*) from public.generated_resumes r
     where not exists (select 1 from public.templates t where t.id = r.template_id)
        or not exists (select 1 from auth.users u where u.id = r.user_id)`],
  ['share tokens not shaped like create_share_link makes them', `select count(*) from public.generated_resumes
     where share_token is not null and share_token !~ '^[A-Za-z0-9_-]{32}$'`],
  ["AI events of a missing user or of another user's wizard session", `select count(*) from public.ai_events a
     where not exists (select 1 from auth.users u where u.id = a.user_id)
        or (a.wizard_session_id is not null
            and not exists (select 1 from public.wizard_sessions w where w.id = a.wizard_session_id and w.user_id = a.user_id))`],
];

// The steps in order: first users and their lists, then two lanes that run side by
// side on two connections (the machine has two cores).
export function loadPlan(size) {
  return { first: usersAndProfiles(size), lanes: [jobsLane(size), resumesLane(size)] };
}

export const vacuumLanes = [
  ['public.jobs', 'public.user_skills', 'public.user_work_experience', 'public.user_education', 'public.user_languages', 'public.user_profile', 'auth.users'],
  ['public.job_status_events', 'public.ai_events', 'public.generated_resume_versions', 'public.generated_resumes', 'public.wizard_sessions', 'public.templates'],
];
