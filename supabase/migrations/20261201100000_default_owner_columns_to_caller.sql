-- Owner columns default to the caller. Through PostgREST a client inserts
-- `{ job_title, company, status }` without its own id, as Supabase's docs recommend;
-- with no default the row reached the insert policy with user_id null and was refused
-- (42501). Each table's insert policy still refuses any user_id other than
-- (select auth.uid()), so a client that sends someone else's id is refused as before.
-- Rows written without a request (service_role, triggers, migrations) have no
-- auth.uid(): they must still name the owner, or not null refuses them.
alter table public.user_profile alter column user_id set default auth.uid();
alter table public.user_skills alter column user_id set default auth.uid();
alter table public.user_work_experience alter column user_id set default auth.uid();
alter table public.user_education alter column user_id set default auth.uid();
alter table public.user_languages alter column user_id set default auth.uid();
alter table public.jobs alter column user_id set default auth.uid();
alter table public.job_status_events alter column user_id set default auth.uid();
alter table public.resumes alter column user_id set default auth.uid();
alter table public.resume_builder_data alter column user_id set default auth.uid();
alter table public.wizard_sessions alter column user_id set default auth.uid();
alter table public.generated_resumes alter column user_id set default auth.uid();
alter table public.ai_events alter column user_id set default auth.uid();
