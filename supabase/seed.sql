-- Local seed data (never run on hosted Supabase): resume templates and a demo user
-- with a filled-in profile and a few tracked jobs. Runs as postgres after the
-- migrations; safe to run twice.

-- Templates in the app's template format (metadata, layout, sections, theme, styles).
insert into public.templates (name, slug, schema, is_active)
values
  ('Modern Professional', 'modern-professional', '{"metadata": {"id": "modern-professional", "name": "Modern Professional", "description": "A clean single-column layout with a bold header, for most roles.", "category": "professional", "badge": "Popular", "colors": ["#1e3a8a", "#3b82f6"]}, "layout": {"type": "single-column", "maxWidth": "850px", "gap": "1.5rem", "padding": "2.5rem"}, "sections": [{"type": "header", "position": "top", "order": 1, "visible": true, "showTitle": false, "title": ""}, {"type": "summary", "position": "after-header", "order": 2, "visible": true, "showTitle": true, "title": "Professional Summary"}, {"type": "work", "position": "main", "order": 3, "visible": true, "showTitle": true, "title": "Experience"}, {"type": "education", "position": "main", "order": 4, "visible": true, "showTitle": true, "title": "Education"}, {"type": "skills", "position": "main", "order": 5, "visible": true, "showTitle": true, "title": "Skills"}, {"type": "languages", "position": "bottom", "order": 6, "visible": true, "showTitle": true, "title": "Languages"}], "theme": {"primaryColor": "#1e3a8a", "secondaryColor": "#3b82f6", "textColor": "#1f2937", "backgroundColor": "#ffffff", "accentColor": "#dbeafe", "borderColor": "#e5e7eb", "fontFamily": "Inter, sans-serif", "headingFontSize": "1.25rem", "bodyFontSize": "0.95rem"}, "styles": {"container": {"boxShadow": "0 1px 3px rgba(0,0,0,0.1)"}, "section": {"marginBottom": "1.5rem"}}}'::jsonb, true),
  ('Clean Impact', 'clean-impact', '{"metadata": {"id": "clean-impact", "name": "Clean Impact", "description": "Two columns: experience in the main column, skills and languages in a sidebar.", "category": "modern", "badge": "New", "colors": ["#0f766e", "#14b8a6"]}, "layout": {"type": "two-column", "columns": 2, "maxWidth": "900px", "gap": "2rem", "padding": "2rem", "gridTemplateColumns": "2fr 1fr"}, "sections": [{"type": "header", "position": "top", "order": 1, "visible": true, "showTitle": false, "title": ""}, {"type": "summary", "position": "after-header", "order": 2, "visible": true, "showTitle": true, "title": "Summary"}, {"type": "work", "position": "main", "order": 3, "visible": true, "showTitle": true, "title": "Impact"}, {"type": "education", "position": "main", "order": 4, "visible": true, "showTitle": true, "title": "Education"}, {"type": "skills", "position": "sidebar", "order": 5, "visible": true, "showTitle": true, "title": "Skills"}, {"type": "languages", "position": "sidebar", "order": 6, "visible": true, "showTitle": true, "title": "Languages"}], "theme": {"primaryColor": "#0f766e", "secondaryColor": "#14b8a6", "textColor": "#111827", "backgroundColor": "#ffffff", "accentColor": "#ccfbf1", "borderColor": "#d1d5db", "fontFamily": "Source Sans 3, sans-serif", "headingFontSize": "1.2rem", "bodyFontSize": "0.9rem"}, "styles": {"container": {"borderTop": "6px solid #0f766e"}}}'::jsonb, true),
  ('Executive Classic', 'executive-classic', '{"metadata": {"id": "executive-classic", "name": "Executive Classic", "description": "A serif, three-column header grid for senior and traditional roles.", "category": "classic", "badge": "Classic", "colors": ["#111827", "#92400e"]}, "layout": {"type": "custom-grid", "maxWidth": "850px", "gap": "1.25rem", "padding": "3rem", "gridTemplateColumns": "1fr 1fr 1fr", "gridTemplateAreas": "''header header header'' ''summary summary summary'' ''work work skills'' ''education education languages''"}, "sections": [{"type": "header", "position": "top", "order": 1, "visible": true, "showTitle": false, "title": ""}, {"type": "summary", "position": "after-header", "order": 2, "visible": true, "showTitle": true, "title": "Profile"}, {"type": "work", "position": "main", "order": 3, "visible": true, "showTitle": true, "title": "Career History"}, {"type": "skills", "position": "sidebar", "order": 4, "visible": true, "showTitle": true, "title": "Core Competencies"}, {"type": "education", "position": "main", "order": 5, "visible": true, "showTitle": true, "title": "Education"}, {"type": "languages", "position": "sidebar", "order": 6, "visible": true, "showTitle": true, "title": "Languages"}], "theme": {"primaryColor": "#111827", "secondaryColor": "#92400e", "textColor": "#111827", "backgroundColor": "#fffdf7", "accentColor": "#fef3c7", "borderColor": "#d6d3d1", "fontFamily": "Georgia, serif", "headingFontSize": "1.3rem", "bodyFontSize": "1rem"}, "styles": {"container": {"fontVariantNumeric": "oldstyle-nums"}}}'::jsonb, true)
on conflict (slug) do update set name = excluded.name, schema = excluded.schema, is_active = excluded.is_active;

-- Inserted as Supabase Auth would, with every column GoTrue sets on sign-up (auth.users
-- has no default for created_at or updated_at); the sign-up trigger creates the profile.
insert into auth.users (instance_id, id, aud, role, email, email_confirmed_at, raw_app_meta_data, raw_user_meta_data,
                        is_sso_user, is_anonymous, created_at, updated_at)
values ('00000000-0000-0000-0000-000000000000', '2b7f3f0e-4d3a-4c55-9a57-5d0d8c1f0001', 'authenticated', 'authenticated',
        'demo@jobstalker.dev', now(), '{"provider":"email","providers":["email"]}', '{"full_name":"Demo User"}',
        false, false, now(), now())
on conflict (id) do nothing;

update public.user_profile
   set full_name = 'Demo User',
       first_name = 'Demo',
       last_name = 'User',
       job_title = 'Senior Frontend Engineer',
       location = 'Lisbon, Portugal',
       phone = '+351 912 345 678',
       professional_summary = 'Frontend engineer with eight years of experience building fast, accessible web apps in React and TypeScript.',
       social_links = '[{"platform":"linkedin","url":"https://www.linkedin.com/in/demo-user"},{"platform":"github","url":"https://github.com/demo-user"}]'
 where user_id = '2b7f3f0e-4d3a-4c55-9a57-5d0d8c1f0001';

insert into public.user_skills (user_id, name, proficiency, category)
values
  ('2b7f3f0e-4d3a-4c55-9a57-5d0d8c1f0001', 'TypeScript', 'Expert', 'Technical'),
  ('2b7f3f0e-4d3a-4c55-9a57-5d0d8c1f0001', 'React', 'Expert', 'Technical'),
  ('2b7f3f0e-4d3a-4c55-9a57-5d0d8c1f0001', 'PostgreSQL', 'Intermediate', 'Technical'),
  ('2b7f3f0e-4d3a-4c55-9a57-5d0d8c1f0001', 'Accessibility', 'Advanced', 'Technical'),
  ('2b7f3f0e-4d3a-4c55-9a57-5d0d8c1f0001', 'Mentoring', 'Intermediate', 'Soft Skills')
on conflict (user_id, name) do nothing;

insert into public.user_work_experience (user_id, title, company, location, start_date, end_date, is_current, description)
select '2b7f3f0e-4d3a-4c55-9a57-5d0d8c1f0001', v.title, v.company, v.location, v.start_date::date, v.end_date::date, v.is_current, v.description
  from (values
    ('Senior Frontend Engineer', 'Brightwave', 'Lisbon, Portugal', '2021-03-01', null, true,
     E'Led the migration of the customer dashboard to React 18\nCut bundle size by 40% with route-level code splitting'),
    ('Frontend Engineer', 'Nimbus Labs', 'Remote', '2017-06-01', '2021-02-01', false,
     E'Built the design system used by four product teams\nIntroduced end-to-end tests in CI')
  ) as v(title, company, location, start_date, end_date, is_current, description)
 where not exists (select 1 from public.user_work_experience w
                    where w.user_id = '2b7f3f0e-4d3a-4c55-9a57-5d0d8c1f0001' and w.company = v.company);

insert into public.user_education (user_id, school, degree, field, start_date, end_date)
select '2b7f3f0e-4d3a-4c55-9a57-5d0d8c1f0001', 'University of Lisbon', 'BSc', 'Computer Science', '2013-09-01', '2017-06-01'
 where not exists (select 1 from public.user_education e where e.user_id = '2b7f3f0e-4d3a-4c55-9a57-5d0d8c1f0001');

insert into public.user_languages (user_id, language, proficiency)
values ('2b7f3f0e-4d3a-4c55-9a57-5d0d8c1f0001', 'Portuguese', 'Native')
on conflict (user_id, language) do nothing;

insert into public.jobs (user_id, job_title, company, location, salary, job_url, status, excitement_level, date_applied, deadline, description)
select '2b7f3f0e-4d3a-4c55-9a57-5d0d8c1f0001', v.job_title, v.company, v.location, v.salary, v.job_url, v.status, v.excitement, v.date_applied::date, v.deadline::date, v.description
  from (values
    ('Staff Frontend Engineer', 'Acme Cloud', 'Remote (EU)', '€95,000 - €110,000', 'https://jobs.example.com/acme/staff-frontend', 'Bookmarked', 4, null, '2026-12-15',
     'Own the web platform of a cloud console used by 50k developers. React, TypeScript, GraphQL.'),
    ('Senior React Developer', 'Paperplane', 'Porto, Portugal', '€70,000', 'https://jobs.example.com/paperplane/senior-react', 'Applied', 3, '2026-11-02', null,
     'Build collaborative editing features in React with a small product team.'),
    ('Frontend Lead', 'Greenfield Energy', 'Lisbon, Portugal', null, 'https://jobs.example.com/greenfield/frontend-lead', 'Interviewing', 5, '2026-10-20', null,
     'Lead a team of five building dashboards for solar installers.'),
    ('UI Engineer', 'Oldcorp', 'Madrid, Spain', null, 'https://jobs.example.com/oldcorp/ui-engineer', 'rejected', 2, '2026-09-01', null,
     'Maintain a legacy Angular application.')
  ) as v(job_title, company, location, salary, job_url, status, excitement, date_applied, deadline, description)
 where not exists (select 1 from public.jobs j where j.user_id = '2b7f3f0e-4d3a-4c55-9a57-5d0d8c1f0001' and j.job_url = v.job_url);

-- A generated resume with a share link for the demo user, made the way the app makes
-- one: as the user, through the wizard RPCs (the draft is prefilled from the profile
-- above) and create_share_link. `npm start` prints its share page. Only when the demo
-- user has no generated resume yet, so a second run changes nothing.
begin;
set local "request.jwt.claims" to '{"sub":"2b7f3f0e-4d3a-4c55-9a57-5d0d8c1f0001","role":"authenticated","email":"demo@jobstalker.dev"}';
set local role authenticated;
do $$
declare
  session public.wizard_sessions;
  resume public.generated_resumes;
begin
  if exists (select 1 from public.generated_resumes where user_id = (select auth.uid())) then
    return;
  end if;
  session := public.start_wizard_session('modern-professional', true);
  session := public.update_wizard_session(session.id, '{"targetRole": "Staff Frontend Engineer"}', '{"step7": true}', 7);
  resume := public.complete_wizard_session(session.id);
  perform public.create_share_link(resume.id, null);
end
$$;
commit;
