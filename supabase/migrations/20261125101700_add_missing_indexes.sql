-- Indexes the spec lists as missing or recommended, and one behind every foreign key
-- (Supabase's advisors flag unindexed foreign keys: deleting a template or a wizard
-- session would scan the referencing table). Not added: templates.slug, whose UNIQUE
-- constraint already has an index, and resumes.is_default, served by the unique
-- partial index resumes_one_default_per_user.

create index idx_templates_active on public.templates (name) where is_active;
create index idx_jobs_user_status_updated on public.jobs (user_id, status, updated_at desc);
create index idx_user_work_experience_user_current_start
  on public.user_work_experience (user_id, is_current, start_date desc);

create index idx_wizard_sessions_template_id on public.wizard_sessions (template_id);
create index idx_generated_resumes_template_id on public.generated_resumes (template_id);
create index idx_ai_events_wizard_session_id on public.ai_events (wizard_session_id);
