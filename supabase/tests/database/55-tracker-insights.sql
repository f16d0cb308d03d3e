-- job_insights, against a fixture whose every figure was worked out by hand (below).
-- Threats covered: another user's applications leaking into the rates, a job never
-- applied counted as applied, a stage still open counted in its median; then, after a
-- mix of writes, every figure against a from-scratch computation written from the
-- definitions in docs/api.md, and a status the medians would silently leave out.
begin;
select plan(9);

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

-- The medians are one aggregate row with a filter per status: its list must be exactly the
-- statuses the history may hold, or a new status would silently have no median.
select tests.clear_authentication();
select is(
  (select array_agg(m[1] order by m[1]) from regexp_matches(
     (select prosrc from pg_proc where oid = 'public.job_insights()'::regprocedure),
     'filter \(where e\.to_status = ''([a-z_]+)''\) / 86400', 'g') m),
  (select array_agg(m[1] order by m[1]) from regexp_matches(
     (select pg_get_constraintdef(c.oid) from pg_constraint c
       where c.conname = 'job_status_events_to_status_check' and c.conrelid = 'public.job_status_events'::regclass),
     '''([a-z_]+)''', 'g') m),
  'job_insights takes a median for every status job_status_events_to_status_check allows, and no other.');

-- A mix of writes for a third user: a multi-row insert of jobs (their first events come
-- from the statement trigger's transition table), a multi-row status change, histories
-- written by hand with a tie in time and an event older than the rest added last, an
-- event deleted from the middle of a history, a deleted job, what was sent for some.
select tests.create_supabase_user('mixer');
insert into public.jobs (id, user_id, job_title, company, status, source) values
  ('c5000000-0000-4000-8000-000000000101', tests.get_supabase_uid('mixer'), 'M1', 'A', 'bookmarked', 'linkedin'),
  ('c5000000-0000-4000-8000-000000000102', tests.get_supabase_uid('mixer'), 'M2', 'B', 'applied', 'referral'),
  ('c5000000-0000-4000-8000-000000000103', tests.get_supabase_uid('mixer'), 'M3', 'C', 'applied', null),
  ('c5000000-0000-4000-8000-000000000104', tests.get_supabase_uid('mixer'), 'M4', 'D', 'applied', 'linkedin'),
  ('c5000000-0000-4000-8000-000000000105', tests.get_supabase_uid('mixer'), 'M5', 'E', 'applying', 'job_board'),
  ('c5000000-0000-4000-8000-000000000106', tests.get_supabase_uid('mixer'), 'M6', 'F', 'applied', 'other');
update public.jobs set status = 'interviewing'
 where id in ('c5000000-0000-4000-8000-000000000102', 'c5000000-0000-4000-8000-000000000105');
insert into public.job_status_events (job_id, user_id, from_status, to_status, changed_at)
select e.job_id::uuid, tests.get_supabase_uid('mixer'), e.from_status, e.to_status, e.changed_at::timestamptz
  from (values
    ('c5000000-0000-4000-8000-000000000101', 'bookmarked', 'applied', '2025-03-01 10:00+00'),
    ('c5000000-0000-4000-8000-000000000101', 'applied', 'interviewing', '2025-03-04 16:30+00'),
    ('c5000000-0000-4000-8000-000000000101', 'interviewing', 'rejected', '2025-03-04 16:30+00'),
    ('c5000000-0000-4000-8000-000000000103', 'applied', 'rejected', '2025-02-10 08:00+00'),
    ('c5000000-0000-4000-8000-000000000103', 'rejected', 'applied', '2025-02-20 08:00+00'),
    ('c5000000-0000-4000-8000-000000000104', 'applied', 'withdrawn', '2025-01-15 12:00+00'),
    ('c5000000-0000-4000-8000-000000000106', 'applied', 'negotiating', '2025-04-01 09:00+00')
  ) e(job_id, from_status, to_status, changed_at);
insert into public.job_status_events (job_id, user_id, from_status, to_status, changed_at) values
  ('c5000000-0000-4000-8000-000000000101', tests.get_supabase_uid('mixer'), null, 'bookmarked', '2025-01-01 00:00+00'),
  ('c5000000-0000-4000-8000-000000000104', tests.get_supabase_uid('mixer'), null, 'applied', '2024-12-01 00:00+00');
delete from public.job_status_events
 where job_id = 'c5000000-0000-4000-8000-000000000103' and to_status = 'rejected';
delete from public.jobs where id = 'c5000000-0000-4000-8000-000000000106';
insert into public.generated_resumes (id, user_id, template_id, title) values
  ('c5000000-0000-4000-8000-0000000001bb', tests.get_supabase_uid('mixer'), 'c5000000-0000-4000-8000-0000000000aa', 'Mixed CV');
insert into public.generated_resume_versions (generated_resume_id, content_json) values
  ('c5000000-0000-4000-8000-0000000001bb', '{"v": 1}'), ('c5000000-0000-4000-8000-0000000001bb', '{"v": 2}');
insert into public.job_materials (job_id, user_id, generated_resume_id, resume_version) values
  ('c5000000-0000-4000-8000-000000000101', tests.get_supabase_uid('mixer'), 'c5000000-0000-4000-8000-0000000001bb', 2),
  ('c5000000-0000-4000-8000-000000000103', tests.get_supabase_uid('mixer'), 'c5000000-0000-4000-8000-0000000001bb', 1),
  ('c5000000-0000-4000-8000-000000000104', tests.get_supabase_uid('mixer'), 'c5000000-0000-4000-8000-0000000001bb', 2);

-- The same figures computed from scratch, one correlated subquery per definition: a stay
-- ends at the next event in (time, id) order.
select tests.authenticate_as('mixer');
create temp table mixed as select public.job_insights() - 'as_of' as doc;
create temp table mixed_reference as
with mine as (
  select j.id, coalesce(j.source, 'unknown') as source, j.status,
         (select min(e.changed_at) from public.job_status_events e where e.job_id = j.id and e.to_status = 'applied') as applied_at
    from public.jobs j where j.user_id = auth.uid()
),
applied as (
  select m.*, exists (select 1 from public.job_status_events e where e.job_id = m.id and e.changed_at > m.applied_at) as responded,
         exists (select 1 from public.job_status_events e where e.job_id = m.id and e.changed_at >= m.applied_at
                    and e.to_status in ('interviewing', 'negotiating', 'accepted')) as interviewed,
         s.generated_resume_id, s.resume_version, s.sent_resume_title
    from mine m left join public.job_materials s on s.job_id = m.id
   where m.applied_at is not null
),
stays as (
  select e.to_status, (select min(n.changed_at) from public.job_status_events n
                        where n.job_id = e.job_id and (n.changed_at, n.id) > (e.changed_at, e.id)) - e.changed_at as stay
    from public.job_status_events e where e.user_id = auth.uid()
)
select jsonb_build_object(
  'applied', (select count(*) from applied),
  'by_source', (select jsonb_agg(jsonb_build_object('source', source, 'applied', n, 'responded', r, 'interviewed', i,
                       'response_rate', round(r::numeric / n, 4), 'interview_rate', round(i::numeric / n, 4)) order by source)
                  from (select source, count(*) as n, count(*) filter (where responded) as r, count(*) filter (where interviewed) as i
                          from applied group by source) x),
  'by_resume_version', (select jsonb_agg(jsonb_build_object('generated_resume_id', generated_resume_id, 'resume_version', resume_version,
                               'title', title, 'applied', n, 'responded', r, 'interviewed', i,
                               'response_rate', round(r::numeric / n, 4), 'interview_rate', round(i::numeric / n, 4))
                               order by generated_resume_id, resume_version)
                          from (select generated_resume_id, resume_version, max(sent_resume_title) as title, count(*) as n,
                                       count(*) filter (where responded) as r, count(*) filter (where interviewed) as i
                                  from applied where resume_version is not null group by generated_resume_id, resume_version) x),
  'median_days_in_stage', (select jsonb_object_agg(to_status, d)
                             from (select to_status, round((percentile_cont(0.5) within group (order by extract(epoch from stay)) / 86400)::numeric, 2) as d
                                     from stays where stay is not null group by to_status) x),
  'possibly_ghosted', (select count(*) from public.possibly_ghosted_jobs())) as doc;

select is((select doc from mixed), (select doc from mixed_reference),
  'After a mix of writes (multi-row insert and update, a tie in time, an older event added last, an event and a job deleted), every figure equals its from-scratch computation.');

select * from finish();
rollback;
