-- Quotas: what one user may store. Threats covered: a 50 MB job description, resume
-- version or ai_events.error in one request; tens of thousands of jobs or skills; a
-- second profile; a multi-row insert that crosses a cap half-way; counters drifting on
-- delete or on a change of owner; a new text or JSON column added without a size limit.
begin;
select plan(37);

insert into auth.users (id, email, aud, role) values
  ('11111111-1111-4111-8111-111111111111', 'owner@quotas.test', 'authenticated', 'authenticated'),
  ('22222222-2222-4222-8222-222222222222', 'other@quotas.test', 'authenticated', 'authenticated');
insert into public.templates (id, name, slug, schema) values
  ('aaaaaaaa-0000-4000-8000-000000000001', 'Quota Test', 'quota-test', '{}');
insert into public.generated_resumes (id, user_id, template_id, title) values
  ('d0000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111',
   'aaaaaaaa-0000-4000-8000-000000000001', 'Quota resume');

-- Every free-text and JSON column is bounded ------------------------------------------

select is_empty(
  $$select c.relname || '.' || a.attname
      from pg_class c
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
     where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
       and a.atttypid in ('text'::regtype, 'jsonb'::regtype, 'json'::regtype)
       -- Written only by the retention job, copied from ai_events.provider and .model,
       -- whose CHECKs already bound them (100 and 200 bytes).
       and (c.relname, a.attname) not in (('ai_usage_daily', 'provider'), ('ai_usage_daily', 'model'))
       and not exists (
         select 1 from pg_constraint k
          where k.conrelid = c.oid and k.contype = 'c' and a.attnum = any (k.conkey)
            and (pg_get_constraintdef(k.oid) ~ '(octet_length|char_length)\('
                 or pg_get_constraintdef(k.oid) ~ '= ANY \(ARRAY\['))$$,
  'Every text and JSON column a client can write in public has a size CHECK (or a fixed vocabulary).'
);
select is_empty(
  $$select c.relname || '.' || a.attname
      from pg_class c
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
     where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
       and a.atttypid = 'varchar'::regtype and a.atttypmod < 0$$,
  'No varchar column in public is unbounded.'
);

set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}', true);

-- Sizes -------------------------------------------------------------------------------

select lives_ok(
  $$insert into public.jobs (job_title, company, status, description) values ('Big', 'Acme', 'applied', repeat('x', 32768))$$,
  'A job description of exactly 32 KB is accepted.'
);
select throws_ok(
  $$insert into public.jobs (job_title, company, status, description) values ('Bigger', 'Acme', 'applied', repeat('x', 32769))$$,
  '23514', null,
  'A job description one byte over 32 KB is refused (check_violation).'
);
select throws_ok(
  $$insert into public.jobs (job_title, company, status, description) values ('Huge', 'Acme', 'applied', repeat('é', 20000))$$,
  '23514', null,
  'The limit is in bytes: 20,000 two-byte characters are over 32 KB.'
);
select throws_ok(
  $$update public.jobs set description = repeat('x', 52428800) where job_title = 'Big'$$,
  '23514', null,
  'A 50 MB job description is refused on update too.'
);
select throws_ok(
  $$insert into public.jobs (job_title, company, status, job_url) values ('Url', 'Acme', 'applied', 'https://acme.example/' || repeat('a', 2100))$$,
  '23514', null,
  'A job URL over 2 KB is refused.'
);
select throws_ok(
  $$insert into public.user_work_experience (title, company, description) values ('Eng', 'Acme', repeat('x', 20481))$$,
  '23514', null,
  'A work description over 20 KB is refused.'
);
select throws_ok(
  $$update public.user_profile set professional_summary = repeat('x', 10241)$$,
  '23514', null,
  'A professional summary over 10 KB is refused.'
);
select throws_ok(
  $$insert into public.resume_builder_data (template_id, resume_data) values ('quota-test', jsonb_build_object('blob', repeat('x', 524288)))$$,
  '23514', null,
  'Builder data over 512 KB is refused.'
);
select lives_ok(
  $$insert into public.generated_resume_versions (generated_resume_id, content_json)
    values ('d0000000-0000-4000-8000-000000000001', jsonb_build_object('profile', jsonb_build_object('summary', repeat('x', 32768 - 28))))$$,
  'A resume version of exactly 32 KB of JSON text is accepted.'
);
select throws_ok(
  $$insert into public.generated_resume_versions (generated_resume_id, content_json)
    values ('d0000000-0000-4000-8000-000000000001', jsonb_build_object('profile', jsonb_build_object('summary', repeat('x', 32768 - 27))))$$,
  '23514', 'new row for relation "generated_resume_versions" violates check constraint "generated_resume_versions_content_json_size"',
  'A resume version one byte over 32 KB is refused (check_violation, named for the size).'
);
select is(
  (select convalidated from pg_constraint where conname = 'generated_resume_versions_content_json_size'), false,
  'The version cap is NOT VALID: versions stored under the old 512 KB cap stay; every new one is checked.'
);
select throws_ok(
  $$select public.update_wizard_session((public.start_wizard_session('quota-test', false)).id,
                                       jsonb_build_object('blob', repeat('x', 600000)))$$,
  '23514', null,
  'A wizard draft patched past 512 KB is refused.'
);
select lives_ok(
  $$insert into public.ai_events (user_id, provider, model, status, error)
    values ('11111111-1111-4111-8111-111111111111', 'openai', 'm', 'error', repeat('e', 52428800))$$,
  'A 50 MB ai_events.error does not fail the log ...'
);
select is(
  (select octet_length(error) from public.ai_events where model = 'm'),
  4096,
  '... it is stored cut to 4 KB.'
);
select throws_ok(
  $$insert into public.ai_events (user_id, provider, model, status) values ('11111111-1111-4111-8111-111111111111', repeat('p', 101), 'm', 'success')$$,
  '23514', null,
  'An ai_events.provider over 100 bytes is refused.'
);

-- Row caps ----------------------------------------------------------------------------

select throws_ok(
  $$insert into public.user_profile (user_id, full_name) values ('11111111-1111-4111-8111-111111111111', 'Second')$$,
  '23514', 'This account already holds the most user_profile rows it may keep (1).',
  'A second profile is refused with a clear message.'
);
select lives_ok(
  $$insert into public.user_skills (name) select 'skill ' || n from generate_series(1, 500) n$$,
  'The owner adds 500 skills in one statement.'
);
select throws_ok(
  $$insert into public.user_skills (name) values ('skill 501')$$,
  '23514', 'This account already holds the most user_skills rows it may keep (500).',
  'The 501st skill is refused.'
);
select lives_ok(
  $$delete from public.user_skills where name = 'skill 1'$$,
  'Deleting a skill ...'
);
select lives_ok(
  $$insert into public.user_skills (name) values ('skill 501')$$,
  '... makes room for one more.'
);
select is((select count(*)::int from public.user_skills), 500, 'The owner holds exactly 500 skills.');

select lives_ok(
  $$insert into public.jobs (job_title, company, status) select 'Job ' || n, 'Acme', 'applied' from generate_series(1, 4990) n$$,
  'The owner holds 4,991 jobs.'
);
select throws_ok(
  $$insert into public.jobs (job_title, company, status) select 'More ' || n, 'Acme', 'applied' from generate_series(1, 20) n$$,
  '23514', null,
  'A 20-row insert that would pass 5,000 jobs is refused as a whole ...'
);
select is((select count(*)::int from public.jobs), 4991, '... and adds none of its rows.');
select lives_ok(
  $$insert into public.jobs (job_title, company, status) select 'Last ' || n, 'Acme', 'applied' from generate_series(1, 9) n$$,
  'Filling up to exactly 5,000 jobs works.'
);
select throws_ok(
  $$insert into public.jobs (job_title, company, status) values ('One too many', 'Acme', 'applied')$$,
  '23514', 'This account already holds the most jobs rows it may keep (5000).',
  'The 5,001st job is refused.'
);

-- Another user is not affected by the owner's full quota.
select set_config('request.jwt.claims', '{"sub":"22222222-2222-4222-8222-222222222222","role":"authenticated"}', true);
select lives_ok(
  $$insert into public.jobs (job_title, company, status) values ('Mine', 'Other Co', 'applied')$$,
  'Another user still adds jobs.'
);
reset role;

-- Versions per resume: the gap-free number is the count.
select throws_ok(
  $$insert into public.generated_resume_versions (generated_resume_id, version_number, content_json)
    values ('d0000000-0000-4000-8000-000000000001', 101, '{}')$$,
  '23514', null,
  'A 101st version of one resume is refused.'
);

-- The counters match the tables.
create function pg_temp.table_rows(table_name text) returns bigint language plpgsql as
  $$declare n bigint; begin execute format('select count(*) from public.%I', table_name) into n; return n; end$$;
select is_empty(
  $$select q.table_name
      from private.row_quotas q
     where (select coalesce(sum(u.used), 0) from private.row_quota_usage u
             where u.scope = q.table_name or u.scope like q.table_name || '@%')
           <> pg_temp.table_rows(q.table_name)$$,
  'Each counter equals the rows its owners hold, table by table.'
);
select results_eq(
  $$select scope, used from private.row_quota_usage
     where user_id = '11111111-1111-4111-8111-111111111111' and scope in ('jobs', 'user_skills', 'user_profile') order by scope$$,
  $$values ('jobs'::text, 5000), ('user_profile', 1), ('user_skills', 500)$$,
  'The owner''s counters read 5,000 jobs, 500 skills and 1 profile.'
);

-- A change of owner (service role) moves the count, within the new owner's cap.
update public.jobs set user_id = '22222222-2222-4222-8222-222222222222' where job_title = 'Job 1';
select results_eq(
  $$select user_id::text, used from private.row_quota_usage
     where scope = 'jobs' and user_id in ('11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222')
     order by user_id$$,
  $$values ('11111111-1111-4111-8111-111111111111', 4999), ('22222222-2222-4222-8222-222222222222', 2)$$,
  'Moving a job to another user moves its count.'
);
select throws_ok(
  $$update public.user_profile set user_id = '22222222-2222-4222-8222-222222222222'
     where user_id = '11111111-1111-4111-8111-111111111111'$$,
  '23514', null,
  'A move that would give a user a second profile is refused.'
);

-- ai_events count per UTC day; a day whose rows are all deleted (retention) keeps no counter.
insert into public.ai_events (user_id, provider, model, status, created_at)
select '22222222-2222-4222-8222-222222222222', 'openai', 'old', 'success', '2026-01-05 12:00:00+00' from generate_series(1, 3);
select is(
  (select used from private.row_quota_usage where user_id = '22222222-2222-4222-8222-222222222222' and scope = 'ai_events@2026-01-05'),
  3,
  'ai_events are counted per user and UTC day.'
);
delete from public.ai_events where model = 'old';
select is_empty(
  $$select 1 from private.row_quota_usage where scope = 'ai_events@2026-01-05'$$,
  'Once a day''s calls are deleted, its counter is gone too.'
);

-- Deleting the user removes their counters with them.
delete from auth.users where id = '11111111-1111-4111-8111-111111111111';
select is_empty(
  $$select 1 from private.row_quota_usage where user_id = '11111111-1111-4111-8111-111111111111'$$,
  'A deleted user''s counters are gone.'
);

select * from finish();
rollback;
