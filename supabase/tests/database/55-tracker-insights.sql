-- job_insights, against a fixture whose every figure was worked out by hand (below).
-- Threats covered: another user's applications leaking into the rates, a job never
-- applied counted as applied, a stage still open counted in its median.
begin;
select plan(7);

select tests.create_supabase_user('owner');
select tests.create_supabase_user('stranger');
insert into public.templates (id, name, slug, schema) values ('c5000000-0000-4000-8000-0000000000aa', 'Insights', 'insights-test', '{}');
insert into public.generated_resumes (id, user_id, template_id, title) values
  ('c5000000-0000-4000-8000-0000000000bb', tests.get_supabase_uid('owner'), 'c5000000-0000-4000-8000-0000000000aa', 'Backend CV');
insert into public.generated_resume_versions (generated_resume_id, content_json) values
  ('c5000000-0000-4000-8000-0000000000bb', '{"v": 1}'), ('c5000000-0000-4000-8000-0000000000bb', '{"v": 2}');

-- J1 linkedin: bookmarked 01-01, applied 01-02, interviewing 01-12, rejected 01-22 (v1 sent)
-- J2 linkedin: applied 01-05, nothing since (v1 sent)          → possibly ghosted
-- J3 referral: applied 01-03, rejected 01-08 (v2 sent)
-- J4 no source: applied 02-01, interviewing 02-04, negotiating 02-14, accepted 02-20
-- J5 linkedin: bookmarked 01-01 only (never applied)
-- The stranger: one applied linkedin job that was answered, which must count nowhere.
insert into public.jobs (id, user_id, job_title, company, status, source) values
  ('c5000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), 'J1', 'A', 'rejected', 'linkedin'),
  ('c5000000-0000-4000-8000-000000000002', tests.get_supabase_uid('owner'), 'J2', 'B', 'applied', 'linkedin'),
  ('c5000000-0000-4000-8000-000000000003', tests.get_supabase_uid('owner'), 'J3', 'C', 'rejected', 'referral'),
  ('c5000000-0000-4000-8000-000000000004', tests.get_supabase_uid('owner'), 'J4', 'D', 'accepted', null),
  ('c5000000-0000-4000-8000-000000000005', tests.get_supabase_uid('owner'), 'J5', 'E', 'bookmarked', 'linkedin'),
  ('c5000000-0000-4000-8000-000000000006', tests.get_supabase_uid('stranger'), 'S1', 'F', 'interviewing', 'linkedin');
delete from public.job_status_events where job_id::text like 'c5000000-%';
insert into public.job_status_events (job_id, user_id, from_status, to_status, changed_at)
select j.id, j.user_id, e.from_status, e.to_status, e.changed_at::timestamptz
  from (values
    ('c5000000-0000-4000-8000-000000000001', null, 'bookmarked', '2026-01-01 09:00+00'),
    ('c5000000-0000-4000-8000-000000000001', 'bookmarked', 'applied', '2026-01-02 09:00+00'),
    ('c5000000-0000-4000-8000-000000000001', 'applied', 'interviewing', '2026-01-12 09:00+00'),
    ('c5000000-0000-4000-8000-000000000001', 'interviewing', 'rejected', '2026-01-22 09:00+00'),
    ('c5000000-0000-4000-8000-000000000002', null, 'applied', '2026-01-05 09:00+00'),
    ('c5000000-0000-4000-8000-000000000003', null, 'applied', '2026-01-03 09:00+00'),
    ('c5000000-0000-4000-8000-000000000003', 'applied', 'rejected', '2026-01-08 09:00+00'),
    ('c5000000-0000-4000-8000-000000000004', null, 'applied', '2026-02-01 09:00+00'),
    ('c5000000-0000-4000-8000-000000000004', 'applied', 'interviewing', '2026-02-04 09:00+00'),
    ('c5000000-0000-4000-8000-000000000004', 'interviewing', 'negotiating', '2026-02-14 09:00+00'),
    ('c5000000-0000-4000-8000-000000000004', 'negotiating', 'accepted', '2026-02-20 09:00+00'),
    ('c5000000-0000-4000-8000-000000000005', null, 'bookmarked', '2026-01-01 09:00+00'),
    ('c5000000-0000-4000-8000-000000000006', null, 'applied', '2026-01-01 09:00+00'),
    ('c5000000-0000-4000-8000-000000000006', 'applied', 'interviewing', '2026-01-02 09:00+00')
  ) e(job_id, from_status, to_status, changed_at)
  join public.jobs j on j.id = e.job_id::uuid;
insert into public.job_materials (job_id, user_id, generated_resume_id, resume_version) values
  ('c5000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), 'c5000000-0000-4000-8000-0000000000bb', 1),
  ('c5000000-0000-4000-8000-000000000002', tests.get_supabase_uid('owner'), 'c5000000-0000-4000-8000-0000000000bb', 1),
  ('c5000000-0000-4000-8000-000000000003', tests.get_supabase_uid('owner'), 'c5000000-0000-4000-8000-0000000000bb', 2);

select tests.authenticate_as('owner');
create temp table insights as select public.job_insights() as doc;

select is((select (doc ->> 'applied')::int from insights), 4, 'Four jobs were applied (J5 never was; the stranger''s are not counted).');
select is((select doc -> 'by_source' from insights),
  '[{"source": "linkedin", "applied": 2, "responded": 1, "interviewed": 1, "response_rate": 0.5000, "interview_rate": 0.5000},
    {"source": "referral", "applied": 1, "responded": 1, "interviewed": 0, "response_rate": 1.0000, "interview_rate": 0.0000},
    {"source": "unknown", "applied": 1, "responded": 1, "interviewed": 1, "response_rate": 1.0000, "interview_rate": 1.0000}]'::jsonb,
  'By source: linkedin 1 of 2 answered and interviewed, referral answered without interview, no source counted as unknown.');
select is((select jsonb_path_query_array(doc -> 'by_resume_version', '$[*].resume_version') from insights), '[1, 2]'::jsonb,
  'By resume version: the two versions sent.');
select is((select (doc -> 'by_resume_version' -> 0) - 'generated_resume_id' from insights),
  '{"resume_version": 1, "title": "Backend CV", "applied": 2, "responded": 1, "interviewed": 1, "response_rate": 0.5000, "interview_rate": 0.5000}'::jsonb,
  'Version 1 went to J1 and J2: one answer, one interview.');
select is((select doc -> 'by_resume_version' -> 1 -> 'response_rate' from insights), '1.0000'::jsonb,
  'Version 2 went to J3, which was answered.');
select is((select doc -> 'median_days_in_stage' from insights),
  '{"bookmarked": 1.00, "applied": 5.00, "interviewing": 10.00, "negotiating": 6.00}'::jsonb,
  'Median days in each stage, over finished stays only: applied 10, 5, 3 → 5; interviewing 10, 10; negotiating 6; bookmarked 1.');
select is((select (doc ->> 'possibly_ghosted')::int from insights), 1, 'One job (J2) is applied with no change for over 30 days.');

select * from finish();
rollback;
