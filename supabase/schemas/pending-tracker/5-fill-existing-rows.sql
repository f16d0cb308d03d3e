-- A hand-written data migration (pg-delta does not move data): fills what the new jobs
-- columns say about rows that existed before them. Run once, after the columns and
-- triggers exist. The read_job_salary trigger does not fire (no salary column changes
-- here: the structured columns are written directly), nor does track_application_progress
-- keep first_response_at (it is disabled for the statement's duration).

-- Structured salary from the free text, where it reads one way only.
update public.jobs j
   set salary_min = s.salary_min, salary_max = s.salary_max,
       salary_currency = s.salary_currency, salary_period = s.salary_period
  from (select id, (private.read_salary(salary)).* from public.jobs where salary is not null) s
 where s.id = j.id and j.salary_min is null and j.salary_max is null
   and (s.salary_min is not null or s.salary_max is not null);

-- First response: the first status change after the first applied, from the history.
alter table public.jobs disable trigger track_application_progress;
alter table public.jobs disable trigger update_jobs_updated_at;
update public.jobs j
   set first_response_at = r.first_response_at
  from (select a.job_id, min(e.changed_at) as first_response_at
          from (select job_id, min(changed_at) as applied_at from public.job_status_events
                 where to_status = 'applied' group by job_id) a
          join public.job_status_events e on e.job_id = a.job_id and e.changed_at > a.applied_at
         group by a.job_id) r
 where r.job_id = j.id and j.first_response_at is null;
alter table public.jobs enable trigger update_jobs_updated_at;
alter table public.jobs enable trigger track_application_progress;
