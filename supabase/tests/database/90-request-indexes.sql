-- The index each of the app's main requests uses, as PostgREST 12 sends it under RLS.
-- (This replaced `npm run bench -- --quick` inside npm test: the benchmark measures how
-- fast; this file pins how, on a data set large enough that the planner's choice is the
-- one it makes in production.) A request that falls back to a sequential scan of a
-- user-data table fails here, naming the plan.
begin;
select plan(14);

-- 60 users with 100 jobs each (6,000 jobs), status history, generated resumes, AI events and
-- profile rows.
select tests.create_supabase_user('user-' || n) from generate_series(1, 60) n;
insert into public.jobs (user_id, job_title, company, status)
select tests.get_supabase_uid('user-' || u), 'Engineer ' || j, 'Company ' || j,
       (array['bookmarked', 'applying', 'applied', 'interviewing', 'accepted'])[1 + j % 5]
  from generate_series(1, 60) u, generate_series(1, 100) j;
insert into public.generated_resumes (user_id, template_id, title)
select tests.get_supabase_uid('user-' || u), (select id from public.templates order by id limit 1), 'Resume ' || r
  from generate_series(1, 60) u, generate_series(1, 40) r;
insert into public.ai_events (user_id, provider, model, status)
select tests.get_supabase_uid('user-' || u), 'openai', 'gpt-4o-mini', 'success'
  from generate_series(1, 60) u, generate_series(1, 20) e;
insert into public.user_skills (user_id, name)
select tests.get_supabase_uid('user-' || u), 'Skill ' || s from generate_series(1, 60) u, generate_series(1, 30) s;
insert into public.user_work_experience (user_id, title, company)
select tests.get_supabase_uid('user-' || u), 'Engineer', 'Corp ' || e from generate_series(1, 60) u, generate_series(1, 15) e;
insert into public.user_education (user_id, school)
select tests.get_supabase_uid('user-' || u), 'University ' || e from generate_series(1, 60) u, generate_series(1, 15) e;
analyze public.jobs, public.job_status_events, public.generated_resumes, public.ai_events,
        public.user_profile, public.user_skills, public.user_work_experience, public.user_education, public.user_languages;

-- The plan of a statement run as the current role (costs off: only its shape).
create function pg_temp.plan_of(statement text) returns text language plpgsql as $$
declare
  line text;
  plan text := '';
begin
  for line in execute 'explain (costs off) ' || statement loop
    plan := plan || line || E'\n';
  end loop;
  return plan;
end
$$;
grant execute on function pg_temp.plan_of(text) to authenticated, anon;

-- GET /rest/v1/<table>?...&limit=n, as PostgREST 12 builds it (QueryBuilder.hs).
create function pg_temp.read(source text) returns text language sql as $$
  select 'WITH pgrst_source AS ( ' || source || ' ) SELECT null::bigint AS total_result_set, '
      || 'pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t), ''[]'') AS body '
      || 'FROM ( SELECT * FROM pgrst_source ) _postgrest_t'
$$;
grant execute on function pg_temp.read(text) to authenticated, anon;

select tests.authenticate_as('user-7');

create temporary table plans (request text primary key, plan text) on commit drop;
grant all on plans to authenticated, anon;
insert into plans values
  ('jobs list', pg_temp.plan_of(pg_temp.read(
     'SELECT "public"."jobs".* FROM "public"."jobs" ORDER BY "public"."jobs"."updated_at" DESC LIMIT 50 OFFSET 0'))),
  ('jobs by status', pg_temp.plan_of(pg_temp.read(
     'SELECT "public"."jobs".* FROM "public"."jobs" WHERE "public"."jobs"."status" = ''applied'' ORDER BY "public"."jobs"."updated_at" DESC LIMIT 50 OFFSET 0'))),
  ('dashboard count', pg_temp.plan_of(
     'WITH pgrst_source_count AS (SELECT 1 FROM "public"."jobs" WHERE "public"."jobs"."status" = ''interviewing'') '
     'SELECT (SELECT pg_catalog.count(*) FROM pgrst_source_count) AS total_result_set')),
  ('open one job', pg_temp.plan_of(pg_temp.read(
     format('SELECT "public"."jobs".* FROM "public"."jobs" WHERE "public"."jobs"."id" = %L LIMIT 1000 OFFSET 0',
            (select id from public.jobs limit 1))))),
  ('status history of a job', pg_temp.plan_of(pg_temp.read(
     format('SELECT * FROM "public"."job_status_events" WHERE "job_id" = %L ORDER BY "changed_at" LIMIT 1000 OFFSET 0',
            (select id from public.jobs limit 1))))),
  ('generated resumes', pg_temp.plan_of(pg_temp.read(
     'SELECT * FROM "public"."generated_resumes" ORDER BY "updated_at" DESC LIMIT 1000 OFFSET 0'))),
  ('ai events', pg_temp.plan_of(pg_temp.read(
     'SELECT * FROM "public"."ai_events" ORDER BY "created_at" DESC LIMIT 50 OFFSET 0'))),
  ('work experience', pg_temp.plan_of(pg_temp.read(
     'SELECT * FROM "public"."user_work_experience" ORDER BY "start_date" DESC LIMIT 1000 OFFSET 0')));

select matches((select plan from plans where request = 'jobs list'), 'idx_jobs_user_updated',
  'The jobs list, newest first, walks (user_id, updated_at desc).');
select matches((select plan from plans where request = 'jobs by status'), 'idx_jobs_user_status_updated',
  'Jobs filtered by status walk (user_id, status, updated_at desc).');
select matches((select plan from plans where request = 'dashboard count'), 'idx_jobs_user_status',
  'A dashboard count (HEAD, count=exact) reads only the index on (user_id, status).');
-- The export's (user_id, id) indexes (80_account.sql) serve these requests as well: one job
-- by (user_id, id); on this fixture's tens of rows a user, a list by a bitmap read of the
-- user's rows and a sort of them. Either way a read of the user's rows by index.
select matches((select plan from plans where request = 'open one job'), 'jobs_pkey|idx_jobs_export',
  'Opening one job reads its primary key.');
select matches((select plan from plans where request = 'status history of a job'), 'idx_job_status_events_(user_job|job)_changed',
  'A job''s status history reads an index on its job and time.');
select matches((select plan from plans where request = 'generated resumes'), 'idx_generated_resumes_user_updated|idx_generated_resumes_export',
  'The generated resumes list walks (user_id, updated_at desc).');
select matches((select plan from plans where request = 'ai events'), 'idx_ai_events_user_created|idx_ai_events_export',
  'The AI events list walks (user_id, created_at desc).');
select matches((select plan from plans where request = 'work experience'), 'idx_user_work_experience_user_(dates|current_start|id)',
  'Work experience reads an index on the user.');
select is((select array_agg(request order by request) from plans where plan ~ 'Seq Scan on (jobs|job_status_events|generated_resumes|ai_events)'),
  null, 'No main request scans a user-data table sequentially.');

-- search_jobs and job_dashboard: their plans are pinned by 29-job-search-requests.sql.

-- The share page as anon: one token lookup by its unique index, whatever the caller sends.
select tests.clear_authentication();
update public.generated_resumes set share_token = 'token-' || id where title = 'Resume 1';
analyze public.generated_resumes;
select matches(pg_temp.plan_of(format('select * from public.generated_resumes where share_token = %L',
                                      (select share_token from public.generated_resumes where share_token is not null limit 1))),
  'generated_resumes_share_token_key|idx_generated_resumes_share_token',
  'A share token is found through its unique index.');

-- The AI admission's reads, on the function's own login.
select matches(pg_temp.plan_of(format('select count(*) from private.ai_admissions where user_id = %L and admitted_at > now() - interval ''1 minute''',
                                      tests.get_supabase_uid('user-7'))),
  'ai_admissions_user_admitted_at', 'Admission counts a user''s last minute through (user_id, admitted_at desc).');
select matches(pg_temp.plan_of(format('select * from public.ai_events where user_id = %L order by created_at desc limit 30',
                                      tests.get_supabase_uid('user-7'))),
  'idx_ai_events_user_created|idx_ai_events_export', 'A user''s recent AI events are read through (user_id, created_at desc) or the export''s (user_id, id).');

-- Profile reads as the owner.
select tests.authenticate_as('user-7');
select matches(pg_temp.plan_of(pg_temp.read('SELECT * FROM "public"."user_skills" ORDER BY "created_at" ASC LIMIT 1000 OFFSET 0')),
  'idx_user_skills_user|user_skills_user_id_lower_name_key|idx_user_skills_export', 'Skills are read through an index on the user.');
select matches(pg_temp.plan_of(pg_temp.read('SELECT * FROM "public"."user_education" ORDER BY "start_date" DESC LIMIT 1000 OFFSET 0')),
  'idx_user_education_user', 'Education is read through an index on the user.');

select * from finish();
rollback;
