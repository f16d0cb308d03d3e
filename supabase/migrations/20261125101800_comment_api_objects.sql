-- Everything the Data API exposes carries a comment, so the generated TypeScript
-- types and the API docs explain each table, column and RPC to client developers.

comment on table public.user_profile is 'One profile per user: the personal details a resume starts from.';
comment on column public.user_profile.id is 'Primary key.';
comment on column public.user_profile.user_id is 'The owner (auth.users.id).';
comment on column public.user_profile.full_name is 'Full name as shown on resumes.';
comment on column public.user_profile.job_title is 'Current or desired job title (the headline).';
comment on column public.user_profile.location is 'Where the user lives or wants to work.';
comment on column public.user_profile.profile_picture_url is 'URL of the profile picture in Storage.';
comment on column public.user_profile.first_name is 'Given name.';
comment on column public.user_profile.last_name is 'Family name.';
comment on column public.user_profile.phone is 'Phone number as the user typed it.';
comment on column public.user_profile.professional_summary is 'A short professional summary for resumes.';
comment on column public.user_profile.social_links is 'JSON array of {"platform": string, "url": string} objects (LinkedIn, GitHub, website, ...).';
comment on column public.user_profile.created_at is 'When the row was created.';
comment on column public.user_profile.updated_at is 'When the row last changed (set by trigger).';

comment on table public.user_skills is 'A user''s skills, one row per skill name.';
comment on column public.user_skills.id is 'Primary key.';
comment on column public.user_skills.user_id is 'The owner (auth.users.id).';
comment on column public.user_skills.name is 'Skill name, unique per user.';
comment on column public.user_skills.proficiency is 'beginner, intermediate, advanced, expert or null; other spellings (e.g. "Expert") are normalised on write.';
comment on column public.user_skills.category is 'Skill category, "Technical" unless given.';
comment on column public.user_skills.created_at is 'When the row was created; the app lists skills in this order.';
comment on column public.user_skills.updated_at is 'When the row last changed (set by trigger).';

comment on table public.user_work_experience is 'A user''s work history, listed by start_date descending.';
comment on column public.user_work_experience.id is 'Primary key.';
comment on column public.user_work_experience.user_id is 'The owner (auth.users.id).';
comment on column public.user_work_experience.title is 'Job title.';
comment on column public.user_work_experience.company is 'Employer.';
comment on column public.user_work_experience.location is 'Where the job was.';
comment on column public.user_work_experience.start_date is 'First day (a month is stored as its first day).';
comment on column public.user_work_experience.end_date is 'Last day; null while current.';
comment on column public.user_work_experience.is_current is 'True for the job the user holds now.';
comment on column public.user_work_experience.description is 'What the user did, newline-separated bullets.';
comment on column public.user_work_experience.created_at is 'When the row was created.';
comment on column public.user_work_experience.updated_at is 'When the row last changed (set by trigger).';

comment on table public.user_education is 'A user''s education entries.';
comment on column public.user_education.id is 'Primary key.';
comment on column public.user_education.user_id is 'The owner (auth.users.id).';
comment on column public.user_education.school is 'School or university.';
comment on column public.user_education.degree is 'Degree obtained or pursued.';
comment on column public.user_education.field is 'Field of study.';
comment on column public.user_education.start_date is 'Start (a month is stored as its first day).';
comment on column public.user_education.end_date is 'End or expected end.';
comment on column public.user_education.created_at is 'When the row was created.';
comment on column public.user_education.updated_at is 'When the row last changed (set by trigger).';

comment on table public.user_languages is 'Languages a user speaks, one row per language.';
comment on column public.user_languages.id is 'Primary key.';
comment on column public.user_languages.user_id is 'The owner (auth.users.id).';
comment on column public.user_languages.language is 'Language name, unique per user.';
comment on column public.user_languages.proficiency is 'beginner, intermediate, advanced, native or null; Title Case is normalised on write.';
comment on column public.user_languages.created_at is 'When the row was created.';
comment on column public.user_languages.updated_at is 'When the row last changed (set by trigger).';

comment on table public.jobs is 'Job applications the user tracks through the pipeline.';
comment on column public.jobs.id is 'Primary key.';
comment on column public.jobs.user_id is 'The owner (auth.users.id).';
comment on column public.jobs.job_title is 'Title of the position.';
comment on column public.jobs.company is 'Hiring company.';
comment on column public.jobs.location is 'Where the job is.';
comment on column public.jobs.salary is 'Salary as free text (e.g. "$120,000 - $150,000").';
comment on column public.jobs.job_url is 'The posting, an http(s) URL.';
comment on column public.jobs.status is 'bookmarked, applying, applied, interviewing, negotiating, accepted, rejected or withdrawn (default bookmarked); other spellings and synonyms such as "Interview" are normalised on write. Every change is recorded in job_status_events.';
comment on column public.jobs.excitement_level is '1 to 5, or null; 0 (the extension''s "unset") is stored as null.';
comment on column public.jobs.date_applied is 'When the application was sent.';
comment on column public.jobs.deadline is 'Application deadline.';
comment on column public.jobs.description is 'Job description, also used as notes.';
comment on column public.jobs.created_at is 'When the row was created.';
comment on column public.jobs.updated_at is 'When the row last changed (set by trigger).';

comment on table public.job_status_events is 'History of job status changes, written by trigger on insert and on every status change; read-only for users.';
comment on column public.job_status_events.id is 'Primary key.';
comment on column public.job_status_events.job_id is 'The job whose status changed.';
comment on column public.job_status_events.user_id is 'The job''s owner.';
comment on column public.job_status_events.from_status is 'Status before the change; null for the first event of a job.';
comment on column public.job_status_events.to_status is 'Status after the change.';
comment on column public.job_status_events.changed_at is 'When the change happened.';

comment on table public.resumes is 'Uploaded resume files (PDF, DOC, DOCX) stored in Storage.';
comment on column public.resumes.id is 'Primary key.';
comment on column public.resumes.user_id is 'The owner (auth.users.id).';
comment on column public.resumes.filename is 'Original file name.';
comment on column public.resumes.file_url is 'Where the file is stored.';
comment on column public.resumes.file_size is 'File size in bytes.';
comment on column public.resumes.is_default is 'The user''s default resume; at most one per user, switch with set_default_resume().';
comment on column public.resumes.created_at is 'When the row was created.';
comment on column public.resumes.updated_at is 'When the row last changed (set by trigger).';

comment on table public.resume_builder_data is 'Resumes edited in the resume builder, as structured data.';
comment on column public.resume_builder_data.id is 'Primary key.';
comment on column public.resume_builder_data.user_id is 'The owner (auth.users.id).';
comment on column public.resume_builder_data.template_id is 'Slug of the template used (e.g. modern-professional).';
comment on column public.resume_builder_data.title is 'Resume title.';
comment on column public.resume_builder_data.resume_data is 'The resume as a JSON object (personalInfo, summary, workExperience, education, skills, languages).';
comment on column public.resume_builder_data.is_current is 'The resume the builder opens; at most one per user, switch with set_current_resume_builder().';
comment on column public.resume_builder_data.created_at is 'When the row was created.';
comment on column public.resume_builder_data.updated_at is 'When the row last changed (set by trigger).';

comment on table public.templates is 'Resume templates; readable by every signed-in user.';
comment on column public.templates.id is 'Primary key.';
comment on column public.templates.name is 'Display name, unique.';
comment on column public.templates.slug is 'Lowercase-kebab identifier, unique (e.g. clean-impact).';
comment on column public.templates.schema is 'Template definition: metadata, layout, sections, theme, styles.';
comment on column public.templates.preview_url is 'Preview image, an http(s) URL.';
comment on column public.templates.is_active is 'Only active templates are offered.';
comment on column public.templates.created_at is 'When the row was created.';
comment on column public.templates.updated_at is 'When the row last changed (set by trigger).';

comment on table public.wizard_sessions is 'AI resume wizard sessions.';
comment on column public.wizard_sessions.id is 'Primary key.';
comment on column public.wizard_sessions.user_id is 'The owner (auth.users.id).';
comment on column public.wizard_sessions.template_id is 'The template chosen.';
comment on column public.wizard_sessions.draft_json is 'The draft resume, a JSON object (profile, experience, education, skills, languages, targetRole).';
comment on column public.wizard_sessions.progress is 'Wizard progress, e.g. {"step": 3, "step1": true}.';
comment on column public.wizard_sessions.status is 'active, completed or abandoned.';
comment on column public.wizard_sessions.last_step is 'Last completed step (1-8).';
comment on column public.wizard_sessions.created_at is 'When the row was created.';
comment on column public.wizard_sessions.updated_at is 'When the row last changed (set by trigger).';

comment on table public.generated_resumes is 'Resumes produced by the AI wizard; their content lives in generated_resume_versions.';
comment on column public.generated_resumes.id is 'Primary key.';
comment on column public.generated_resumes.user_id is 'The owner (auth.users.id).';
comment on column public.generated_resumes.template_id is 'The template used.';
comment on column public.generated_resumes.title is 'Resume title.';
comment on column public.generated_resumes.current_version is 'Number of the newest version, kept up to date by trigger.';
comment on column public.generated_resumes.share_token is 'Token of the public share link, if shared.';
comment on column public.generated_resumes.created_at is 'When the row was created.';
comment on column public.generated_resumes.updated_at is 'When the row last changed (set by trigger).';

comment on table public.generated_resume_versions is 'Versions of a generated resume, numbered 1..n per resume.';
comment on column public.generated_resume_versions.id is 'Primary key.';
comment on column public.generated_resume_versions.generated_resume_id is 'The generated resume this version belongs to.';
comment on column public.generated_resume_versions.version_number is '1, 2, 3... per resume; assigned by the database when omitted.';
comment on column public.generated_resume_versions.content_json is 'The resume content of this version, a JSON object.';
comment on column public.generated_resume_versions.render_artifact_url is 'Rendered PDF or image, if any.';
comment on column public.generated_resume_versions.created_at is 'When the version was created.';

comment on table public.ai_events is 'One row per AI model call, for rate limits, analytics and debugging; users can read and add their own, never change them.';
comment on column public.ai_events.id is 'Primary key.';
comment on column public.ai_events.user_id is 'Who made the call.';
comment on column public.ai_events.wizard_session_id is 'The wizard session the call belongs to, if any.';
comment on column public.ai_events.provider is 'AI provider (e.g. openai).';
comment on column public.ai_events.model is 'Model name.';
comment on column public.ai_events.input_tokens is 'Prompt tokens.';
comment on column public.ai_events.output_tokens is 'Completion tokens.';
comment on column public.ai_events.latency_ms is 'Request latency in milliseconds.';
comment on column public.ai_events.status is 'success or error.';
comment on column public.ai_events.error is 'Error message when status is error.';
comment on column public.ai_events.created_at is 'When the call was made.';

comment on function public.set_default_resume(uuid) is 'Makes the given resume the caller''s only default resume, atomically. Raises PT404 (HTTP 404) when the resume is not the caller''s.';
comment on function public.set_current_resume_builder(uuid) is 'Makes the given resume_builder_data row the caller''s only current one, atomically. Raises PT404 (HTTP 404) when the row is not the caller''s.';
comment on function public.get_public_generated_resume(text) is 'The newest version of the generated resume shared under this token, or null.';
comment on function public.update_updated_at_column() is 'Trigger function: sets updated_at to now() on every update.';
