-- Schema-wide security checks. They pin the exact privileges of the API roles on every
-- table, column, sequence, schema and function, so a later migration that widens any of
-- them (or adds an object without deciding) fails here. Threats covered:
--   a table without RLS; a view that bypasses RLS; a SECURITY DEFINER function in an
--   exposed schema; a privilege granted to anon; an updatable user_id; a policy for
--   the wrong role or with a per-row auth.uid(); an unindexed policy column; a new
--   object that inherits grants by default.
begin;
select plan(22);

-- RLS -------------------------------------------------------------------------------

select is_empty(
  $$select c.relname from pg_class c
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
       and not c.relrowsecurity$$,
  'Every table in public has row-level security enabled.'
);

select is_empty(
  $$select c.relname from pg_class c
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('v', 'm', 'f')$$,
  'public holds no views, materialized views or foreign tables (they would bypass RLS).'
);

select is_empty(
  $$select p.oid::regprocedure from pg_proc p
     where p.pronamespace = 'public'::regnamespace and p.prosecdef$$,
  'No function in public is SECURITY DEFINER.'
);

-- Table privileges ------------------------------------------------------------------

select set_eq(
  $$select c.relname::text, coalesce(r.rolname, 'public')::text,
           string_agg(a.privilege_type, ',' order by a.privilege_type)
      from pg_class c
     cross join aclexplode(c.relacl) a
      left join pg_roles r on r.oid = a.grantee
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
       and a.grantee <> c.relowner
     group by 1, 2$$,
  $$values
    ('ai_events', 'authenticated', 'SELECT'),
    ('ai_events', 'service_role', 'DELETE,INSERT,SELECT,UPDATE'),
    ('ai_usage_daily', 'authenticated', 'SELECT'),
    ('ai_usage_daily', 'service_role', 'SELECT'),
    ('application_form_answers', 'authenticated', 'DELETE,SELECT'),
    ('application_form_answers', 'service_role', 'DELETE,INSERT,SELECT,UPDATE'),
    ('contacts', 'authenticated', 'DELETE,SELECT'),
    ('contacts', 'service_role', 'DELETE,INSERT,SELECT,UPDATE'),
    ('cover_letters', 'authenticated', 'DELETE,SELECT'),
    ('cover_letters', 'service_role', 'DELETE,INSERT,SELECT,UPDATE'),
    ('email_proposals', 'authenticated', 'DELETE,SELECT'),
    ('email_proposals', 'service_role', 'DELETE,INSERT,SELECT,UPDATE'),
    ('generated_resume_versions', 'authenticated', 'SELECT'),
    ('generated_resume_versions', 'service_role', 'DELETE,INSERT,SELECT,UPDATE'),
    ('generated_resumes', 'authenticated', 'DELETE,SELECT'),
    ('generated_resumes', 'service_role', 'DELETE,INSERT,SELECT,UPDATE'),
    ('interview_participants', 'authenticated', 'DELETE,SELECT'),
    ('interview_participants', 'service_role', 'DELETE,INSERT,SELECT,UPDATE'),
    ('interviews', 'authenticated', 'DELETE,SELECT'),
    ('interviews', 'service_role', 'DELETE,INSERT,SELECT,UPDATE'),
    ('job_contacts', 'authenticated', 'DELETE,SELECT'),
    ('job_contacts', 'service_role', 'DELETE,INSERT,SELECT,UPDATE'),
    ('job_materials', 'authenticated', 'DELETE,SELECT'),
    ('job_materials', 'service_role', 'DELETE,INSERT,SELECT,UPDATE'),
    ('job_search_documents', 'authenticated', 'SELECT'),
    ('job_search_documents', 'service_role', 'SELECT'),
    ('job_status_events', 'authenticated', 'SELECT'),
    ('job_status_events', 'service_role', 'DELETE,INSERT,SELECT,UPDATE'),
    ('job_tags', 'authenticated', 'DELETE,SELECT'),
    ('job_tags', 'service_role', 'DELETE,INSERT,SELECT,UPDATE'),
    ('jobs', 'authenticated', 'DELETE,SELECT'),
    ('jobs', 'service_role', 'DELETE,INSERT,SELECT,UPDATE'),
    ('resume_builder_data', 'authenticated', 'DELETE,SELECT'),
    ('resume_builder_data', 'service_role', 'DELETE,INSERT,SELECT,UPDATE'),
    ('resumes', 'authenticated', 'DELETE,SELECT'),
    ('resumes', 'service_role', 'DELETE,INSERT,SELECT,UPDATE'),
    ('subscriptions', 'authenticated', 'SELECT'),
    ('subscriptions', 'service_role', 'DELETE,INSERT,SELECT,UPDATE'),
    ('tags', 'authenticated', 'DELETE,SELECT'),
    ('tags', 'service_role', 'DELETE,INSERT,SELECT,UPDATE'),
    ('templates', 'authenticated', 'SELECT'),
    ('templates', 'service_role', 'DELETE,INSERT,SELECT,UPDATE'),
    ('tracker_settings', 'authenticated', 'DELETE,SELECT'),
    ('tracker_settings', 'service_role', 'DELETE,INSERT,SELECT,UPDATE'),
    ('user_education', 'authenticated', 'DELETE,SELECT'),
    ('user_education', 'service_role', 'DELETE,INSERT,SELECT,UPDATE'),
    ('user_languages', 'authenticated', 'DELETE,SELECT'),
    ('user_languages', 'service_role', 'DELETE,INSERT,SELECT,UPDATE'),
    ('user_profile', 'authenticated', 'DELETE,SELECT'),
    ('user_profile', 'service_role', 'DELETE,INSERT,SELECT,UPDATE'),
    ('user_skills', 'authenticated', 'DELETE,SELECT'),
    ('user_skills', 'service_role', 'DELETE,INSERT,SELECT,UPDATE'),
    ('user_work_experience', 'authenticated', 'DELETE,SELECT'),
    ('user_work_experience', 'service_role', 'DELETE,INSERT,SELECT,UPDATE'),
    ('wizard_sessions', 'authenticated', 'DELETE,SELECT'),
    ('wizard_sessions', 'service_role', 'DELETE,INSERT,SELECT,UPDATE')$$,
  'Each role holds exactly the expected table privileges in public; anon holds none.'
);

-- With automatic grants off the platform still grants TRUNCATE, REFERENCES and TRIGGER
-- on new tables; none of them may reach an API role on our tables, at table or column level.
select is_empty(
  $$select c.oid::regclass::text, r.rolname, p.privilege
      from pg_class c
     cross join (values ('anon'), ('authenticated'), ('service_role')) r(rolname)
     cross join (values ('TRUNCATE'), ('REFERENCES'), ('TRIGGER')) p(privilege)
     where c.relnamespace in ('public'::regnamespace, 'private'::regnamespace)
       and c.relkind in ('r', 'p', 'v', 'm', 'f')
       and (has_table_privilege(r.rolname, c.oid, p.privilege)
            or (p.privilege = 'REFERENCES' and has_any_column_privilege(r.rolname, c.oid, 'REFERENCES')))$$,
  'No API role holds TRUNCATE, REFERENCES or TRIGGER on any table in public or private.'
);

-- Column privileges, INSERT and UPDATE, per table. UPDATE never covers id, user_id or a
-- wizard session's or generated resume's template; neither covers created_at, updated_at,
-- current_version, the share-link columns or any other column the server sets.
select set_eq(
  $$select c.relname::text, coalesce(r.rolname, 'public')::text, a.privilege_type::text,
           string_agg(att.attname, ',' order by att.attname)
      from pg_class c
      join pg_attribute att on att.attrelid = c.oid and att.attnum > 0 and not att.attisdropped
     cross join aclexplode(att.attacl) a
      left join pg_roles r on r.oid = a.grantee
     where c.relnamespace = 'public'::regnamespace and a.grantee <> c.relowner
     group by 1, 2, 3$$,
  $$values
    ('ai_events', 'authenticated', 'INSERT', 'error,input_tokens,latency_ms,model,output_tokens,provider,status,user_id,wizard_session_id'),
    ('application_form_answers', 'authenticated', 'INSERT', 'current_location,date_of_birth,ethnicity,gender,has_disability,is_lgbtq,is_veteran,phone_country_code,requires_sponsorship,user_id,work_auth_canada,work_auth_uk,work_auth_us'),
    ('application_form_answers', 'authenticated', 'UPDATE', 'current_location,date_of_birth,ethnicity,gender,has_disability,is_lgbtq,is_veteran,phone_country_code,requires_sponsorship,work_auth_canada,work_auth_uk,work_auth_us'),
    ('contacts', 'authenticated', 'INSERT', 'company,email,id,name,notes,phone,profile_url,role,user_id'),
    ('contacts', 'authenticated', 'UPDATE', 'company,email,name,notes,phone,profile_url,role'),
    ('cover_letters', 'authenticated', 'INSERT', 'content,generated_resume_id,id,job_id,model,resume_version,user_id'),
    ('cover_letters', 'authenticated', 'UPDATE', 'content'),
    ('email_proposals', 'authenticated', 'INSERT', 'closing_reason,contact_email,contact_name,contact_part,email_kind,id,interview_duration_minutes,interview_kind,interview_location,interview_meeting_url,interview_starts_at,interview_time_zone,job_id,model,new_job_company,new_job_title,proposed_status,summary,user_id'),
    ('generated_resume_versions', 'authenticated', 'INSERT', 'content_json,generated_resume_id,id'),
    ('generated_resumes', 'authenticated', 'INSERT', 'id,template_id,title,user_id'),
    ('generated_resumes', 'authenticated', 'UPDATE', 'title'),
    ('interview_participants', 'authenticated', 'INSERT', 'contact_id,id,interview_id,user_id'),
    ('interviews', 'authenticated', 'INSERT', 'duration_minutes,id,job_id,kind,location,meeting_url,notes,outcome,round,starts_at,time_zone,user_id'),
    ('interviews', 'authenticated', 'UPDATE', 'duration_minutes,kind,location,meeting_url,notes,outcome,round,starts_at,time_zone'),
    ('job_contacts', 'authenticated', 'INSERT', 'contact_id,id,job_id,part,user_id'),
    ('job_materials', 'authenticated', 'INSERT', 'cover_letter_id,generated_resume_id,job_id,resume_id,resume_version,user_id'),
    ('job_materials', 'authenticated', 'UPDATE', 'cover_letter_id,generated_resume_id,resume_id,resume_version'),
    ('job_tags', 'authenticated', 'INSERT', 'job_id,tag_id,user_id'),
    ('jobs', 'authenticated', 'INSERT', 'closing_reason,company,date_applied,deadline,description,excitement_level,follow_up_at,id,job_title,job_url,location,next_action,salary,salary_currency,salary_max,salary_min,salary_period,source,status,user_id'),
    ('jobs', 'authenticated', 'UPDATE', 'closing_reason,company,date_applied,deadline,description,excitement_level,follow_up_at,job_title,job_url,location,next_action,salary,salary_currency,salary_max,salary_min,salary_period,source,status'),
    ('resume_builder_data', 'authenticated', 'INSERT', 'id,is_current,resume_data,template_id,title,user_id'),
    ('resume_builder_data', 'authenticated', 'UPDATE', 'is_current,resume_data,template_id,title'),
    ('resumes', 'authenticated', 'INSERT', 'file_size,file_url,filename,id,is_default,user_id'),
    ('resumes', 'authenticated', 'UPDATE', 'file_size,file_url,filename,is_default'),
    ('tags', 'authenticated', 'INSERT', 'id,name,user_id'),
    ('tags', 'authenticated', 'UPDATE', 'name'),
    ('tracker_settings', 'authenticated', 'INSERT', 'follow_up_days,ghosted_after_days,time_zone,user_id'),
    ('tracker_settings', 'authenticated', 'UPDATE', 'follow_up_days,ghosted_after_days,time_zone'),
    ('user_education', 'authenticated', 'INSERT', 'degree,end_date,field,id,school,start_date,user_id'),
    ('user_education', 'authenticated', 'UPDATE', 'degree,end_date,field,school,start_date'),
    ('user_languages', 'authenticated', 'INSERT', 'id,language,proficiency,user_id'),
    ('user_languages', 'authenticated', 'UPDATE', 'language,proficiency'),
    -- subscription_tier in neither: only the subscription sets it. The server's columns
    -- (ids but where a client may choose one, timestamps, what triggers and RPCs set) in
    -- neither: 60-server-owned-columns.sql finds them in the catalog.
    ('user_profile', 'authenticated', 'INSERT', 'email,first_name,full_name,id,job_title,last_name,location,phone,professional_summary,profile_completed,profile_picture_url,referral_source,social_links,user_id'),
    ('user_profile', 'authenticated', 'UPDATE', 'email,first_name,full_name,job_title,last_name,location,phone,professional_summary,profile_completed,profile_picture_url,referral_source,social_links'),
    ('user_skills', 'authenticated', 'INSERT', 'category,id,name,proficiency,user_id'),
    ('user_skills', 'authenticated', 'UPDATE', 'category,name,proficiency'),
    ('user_work_experience', 'authenticated', 'INSERT', 'company,description,end_date,id,is_current,location,start_date,title,user_id'),
    ('user_work_experience', 'authenticated', 'UPDATE', 'company,description,end_date,is_current,location,start_date,title'),
    ('wizard_sessions', 'authenticated', 'INSERT', 'draft_json,generated_resume_id,id,last_step,progress,status,template_id,user_id'),
    ('wizard_sessions', 'authenticated', 'UPDATE', 'draft_json,generated_resume_id,last_step,progress,status')$$,
  'Column privileges are exactly the expected ones: clients insert and update only their own columns, no role may update user_id, id or the share-link columns.'
);

select is_empty(
  $$select c.relname from pg_class c
      join pg_attribute a on a.attrelid = c.oid and a.attname = 'user_id'
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
       and (has_column_privilege('authenticated', c.oid, a.attnum, 'UPDATE')
            or has_column_privilege('anon', c.oid, a.attnum, 'UPDATE'))$$,
  'No API role other than service_role can update user_id on any table.'
);

select is_empty(
  $$select c.oid::regclass, r.rolname
      from pg_class c
     cross join (values ('anon'), ('authenticated')) r(rolname)
     where c.relnamespace = 'public'::regnamespace and c.relkind = 'S'
       and has_sequence_privilege(r.rolname, c.oid, 'USAGE,SELECT,UPDATE')$$,
  'anon and authenticated hold no privilege on any sequence in public.'
);

select is_empty(
  $$select c.oid::regclass, r.rolname
      from pg_class c
     cross join (values ('anon'), ('authenticated'), ('service_role')) r(rolname)
     where c.relnamespace = 'private'::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'S')
       and (has_table_privilege(r.rolname, c.oid, 'SELECT,INSERT,UPDATE,DELETE,TRUNCATE,REFERENCES,TRIGGER')
            or (c.relkind = 'S' and has_sequence_privilege(r.rolname, c.oid, 'USAGE,SELECT,UPDATE')))$$,
  'No API role can read or write any table or sequence in the unexposed schema private.'
);

-- Schemas -------------------------------------------------------------------------------

select set_eq(
  $$select n.nspname::text, r.rolname::text, p.privilege
      from pg_namespace n
     cross join (values ('anon'), ('authenticated'), ('service_role')) r(rolname)
     cross join (values ('USAGE'), ('CREATE')) p(privilege)
     where n.nspname in ('public', 'private')
       and has_schema_privilege(r.rolname, n.oid, p.privilege)$$,
  $$values ('public', 'anon', 'USAGE'), ('public', 'authenticated', 'USAGE'), ('public', 'service_role', 'USAGE'),
           ('private', 'anon', 'USAGE'), ('private', 'authenticated', 'USAGE'), ('private', 'service_role', 'USAGE')$$,
  'API roles may use public and private (to reach the share RPC bodies) but create nothing in either.'
);

-- Functions -------------------------------------------------------------------------

select set_eq(
  $$select p.oid::regprocedure::text from pg_proc p
     where p.pronamespace = 'public'::regnamespace$$,
  $$values ('create_share_link(uuid,timestamp with time zone)'), ('get_public_generated_resume(text,text)'),
           ('unlock_share_link(text,text)'), ('set_share_link_password(uuid,text)'), ('remove_share_link_password(uuid)'),
           ('share_link_password_set_at(uuid)'), ('share_link_statistics(uuid)'),
           ('revoke_share_link(uuid)'), ('set_current_resume_builder(uuid)'), ('set_default_resume(uuid)'),
           ('update_updated_at_column()'),
           ('start_wizard_session(text,boolean)'), ('update_wizard_session(uuid,jsonb,jsonb,integer)'),
           ('complete_wizard_session(uuid)'), ('abandon_wizard_session(uuid)'),
           ('save_generated_resume_version(uuid,jsonb)'), ('merge_imported_profile(jsonb)'),
           ('export_my_data()'), ('export_my_data_page(text)'), ('record_render_artifact(uuid,integer,text)'), ('get_template_layout(text)'),
           ('search_jobs(text,text[],integer,text)'), ('job_dashboard(text)'),
           ('due_follow_ups(timestamp with time zone,integer)'), ('complete_follow_up(uuid)'),
           ('snooze_follow_up(uuid,timestamp with time zone)'), ('possibly_ghosted_jobs()'), ('mark_job_ghosted(uuid)'),
           ('create_calendar_feed()'), ('revoke_calendar_feed()'), ('calendar_feed_status()'),
           ('get_calendar_feed(text)'), ('interview_calendar_event(uuid)'),
           ('confirm_email_proposal(uuid)'), ('dismiss_email_proposal(uuid)'),
           ('job_insights()'), ('application_history()')$$,
  'public holds exactly the known functions; a new one must be added here with its grants.'
);

-- EXECUTE as the API roles and PUBLIC hold it (NULL acl = the built-in PUBLIC default).
select set_eq(
  $$select p.oid::regprocedure::text, coalesce(r.rolname, 'public')::text
      from pg_proc p
     cross join aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
      left join pg_roles r on r.oid = a.grantee
     where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)
       and a.privilege_type = 'EXECUTE' and a.grantee <> p.proowner$$,
  $$values
    ('get_public_generated_resume(text,text)', 'anon'),
    ('get_public_generated_resume(text,text)', 'authenticated'),
    ('get_public_generated_resume(text,text)', 'service_role'),
    ('private.get_public_generated_resume(text,text,text)', 'anon'),
    ('private.get_public_generated_resume(text,text,text)', 'authenticated'),
    ('private.get_public_generated_resume(text,text,text)', 'service_role'),
    ('unlock_share_link(text,text)', 'anon'),
    ('unlock_share_link(text,text)', 'authenticated'),
    ('unlock_share_link(text,text)', 'service_role'),
    ('private.unlock_share_link(text,text)', 'anon'),
    ('private.unlock_share_link(text,text)', 'authenticated'),
    ('private.unlock_share_link(text,text)', 'service_role'),
    ('set_share_link_password(uuid,text)', 'authenticated'),
    ('private.set_share_link_password(uuid,text)', 'authenticated'),
    ('remove_share_link_password(uuid)', 'authenticated'),
    ('private.remove_share_link_password(uuid)', 'authenticated'),
    ('share_link_password_set_at(uuid)', 'authenticated'),
    ('private.share_link_password_set_at(uuid)', 'authenticated'),
    ('share_link_statistics(uuid)', 'authenticated'),
    ('private.share_link_statistics(uuid)', 'authenticated'),
    ('private.check_fair_use()', 'anon'),
    ('private.check_fair_use()', 'authenticated'),
    ('private.check_fair_use()', 'service_role'),
    ('private.fair_use_shares()', 'anon'),
    ('private.fair_use_shares()', 'authenticated'),
    ('private.fair_use_shares()', 'service_role'),
    ('private.take_fair_use_slot(text,integer)', 'anon'),
    ('private.take_fair_use_slot(text,integer)', 'authenticated'),
    ('private.share_client()', 'anon'),
    ('get_template_layout(text)', 'anon'),
    ('get_template_layout(text)', 'authenticated'),
    ('get_template_layout(text)', 'service_role'),
    ('private.get_template_layout(text)', 'anon'),
    ('private.get_template_layout(text)', 'authenticated'),
    ('private.get_template_layout(text)', 'service_role'),
    ('create_share_link(uuid,timestamp with time zone)', 'authenticated'),
    ('private.create_share_link(uuid,timestamp with time zone)', 'authenticated'),
    ('revoke_share_link(uuid)', 'authenticated'),
    ('private.revoke_share_link(uuid)', 'authenticated'),
    ('set_default_resume(uuid)', 'authenticated'),
    ('set_default_resume(uuid)', 'service_role'),
    ('set_current_resume_builder(uuid)', 'authenticated'),
    ('set_current_resume_builder(uuid)', 'service_role'),
    ('private.flag_own_row(regclass,text,uuid,text)', 'authenticated'),
    ('private.flag_own_row(regclass,text,uuid,text)', 'service_role'),
    ('private.is_in_owner_folder(text,uuid)', 'authenticated'),
    ('private.is_in_owner_folder(text,uuid)', 'service_role'),
    ('start_wizard_session(text,boolean)', 'authenticated'),
    ('update_wizard_session(uuid,jsonb,jsonb,integer)', 'authenticated'),
    ('complete_wizard_session(uuid)', 'authenticated'),
    ('abandon_wizard_session(uuid)', 'authenticated'),
    ('private.lock_own_wizard_session(uuid)', 'authenticated'),
    ('private.refuse_inactive_wizard_session(text,text)', 'authenticated'),
    ('private.prefilled_wizard_draft(uuid)', 'authenticated'),
    ('save_generated_resume_version(uuid,jsonb)', 'authenticated'),
    ('merge_imported_profile(jsonb)', 'authenticated'),
    ('private.imported_date(text)', 'authenticated'),
    ('private.imported_text(text,integer)', 'authenticated'),
    ('private.json_list(jsonb)', 'authenticated'),
    ('private.admit_ai_request(text,integer,bigint)', 'authenticated'),
    ('private.reserve_ai_call(uuid,bigint,integer,bigint)', 'authenticated'),
    ('private.settle_ai_call(uuid,bigint,bigint)', 'authenticated'),
    ('export_my_data()', 'authenticated'),
    ('export_my_data_page(text)', 'authenticated'),
    ('private.export_tables()', 'authenticated'),
    ('private.tables_owned_by_users(regnamespace)', 'authenticated'),
    ('private.export_storage_objects()', 'authenticated'),
    ('private.export_my_private_data()', 'authenticated'),
    ('private.export_account_part()', 'authenticated'),
    ('private.is_excluded_from_export(regclass)', 'authenticated'),
    ('private.is_safe_object_name(text)', 'authenticated'),
    ('private.is_safe_object_name(text)', 'service_role'),
    ('search_jobs(text,text[],integer,text)', 'authenticated'),
    ('search_jobs(text,text[],integer,text)', 'service_role'),
    ('private.parse_job_search(text)', 'authenticated'),
    ('private.parse_job_search(text)', 'service_role'),
    ('private.job_search_page(tsquery,tsquery,tsquery,text,text[],real,uuid,integer)', 'authenticated'),
    ('private.job_search_page(tsquery,tsquery,tsquery,text,text[],real,uuid,integer)', 'service_role'),
    ('private.job_search_page_token(real,uuid,text)', 'authenticated'),
    ('private.job_search_page_token(real,uuid,text)', 'service_role'),
    ('private.job_search_key(uuid)', 'authenticated'),
    ('private.job_search_key(uuid)', 'service_role'),
    ('private.job_search_keys(uuid,tsvector)', 'authenticated'),
    ('private.job_search_keys(uuid,tsvector)', 'service_role'),
    ('job_dashboard(text)', 'authenticated'),
    ('job_dashboard(text)', 'service_role'),
    ('private.job_dashboard(text,timestamp with time zone)', 'authenticated'),
    ('private.job_dashboard(text,timestamp with time zone)', 'service_role'),
    ('private.cut_to_bytes(text,integer)', 'authenticated'),
    ('private.excerpt(text)', 'authenticated'),
    -- For PostgREST's db-pre-request, which runs as the request's role.
    ('private.refuse_estimated_counts()', 'anon'),
    ('private.refuse_estimated_counts()', 'authenticated'),
    ('private.refuse_estimated_counts()', 'service_role'),
    -- Storage policies (a deleted account's token) and the foreign-id trigger.
    ('private.caller_account_exists()', 'authenticated'),
    ('private.row_id_is_taken(regclass,uuid)', 'authenticated'),
    ('private.cut_to_bytes(text,integer)', 'service_role'),
    ('record_render_artifact(uuid,integer,text)', 'authenticated'),
    ('private.record_render_artifact(uuid,integer,text)', 'authenticated'),
    ('due_follow_ups(timestamp with time zone,integer)', 'authenticated'),
    ('complete_follow_up(uuid)', 'authenticated'),
    ('snooze_follow_up(uuid,timestamp with time zone)', 'authenticated'),
    ('possibly_ghosted_jobs()', 'authenticated'),
    ('possibly_ghosted_jobs()', 'service_role'),
    ('mark_job_ghosted(uuid)', 'authenticated'),
    ('create_calendar_feed()', 'authenticated'),
    ('revoke_calendar_feed()', 'authenticated'),
    ('calendar_feed_status()', 'authenticated'),
    ('get_calendar_feed(text)', 'anon'),
    ('get_calendar_feed(text)', 'authenticated'),
    ('interview_calendar_event(uuid)', 'authenticated'),
    ('confirm_email_proposal(uuid)', 'authenticated'),
    ('dismiss_email_proposal(uuid)', 'authenticated'),
    ('job_insights()', 'authenticated'),
    ('job_insights()', 'service_role'),
    ('application_history()', 'authenticated'),
    ('private.assert_time_zone(text,text)', 'authenticated'),
    ('private.assert_time_zone(text,text)', 'service_role'),
    ('private.freeze_job_materials(uuid)', 'authenticated'),
    ('private.freeze_job_materials(uuid)', 'service_role'),
    ('private.tracker_settings_of(uuid)', 'authenticated'),
    ('private.tracker_settings_of(uuid)', 'service_role'),
    ('private.create_calendar_feed()', 'authenticated'),
    ('private.revoke_calendar_feed()', 'authenticated'),
    ('private.calendar_feed_status()', 'authenticated'),
    ('private.calendar_feed(text)', 'anon'),
    ('private.calendar_feed(text)', 'authenticated'),
    ('private.interview_calendar_event(uuid)', 'authenticated'),
    ('private.settle_email_proposal(uuid,text,jsonb)', 'authenticated')$$,
  'EXECUTE on functions in public and private is granted exactly as expected, never to PUBLIC.'
);

select is(
  (select array_agg(p.oid::regprocedure::text order by p.oid::regprocedure::text)
     from pg_proc p
    where p.pronamespace = 'public'::regnamespace
      and has_function_privilege('anon', p.oid, 'EXECUTE')),
  array['get_calendar_feed(text)', 'get_public_generated_resume(text,text)', 'get_template_layout(text)', 'unlock_share_link(text,text)'],
  'anon can execute exactly four functions in public: get_public_generated_resume and unlock_share_link (a share link), get_calendar_feed (a calendar feed), each opened by a secret token, and get_template_layout (one active template''s layout by slug, for the share page).'
);

select is_empty(
  $$select p.oid::regprocedure from pg_proc p
     where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)
       and p.prosecdef
       and not exists (select 1 from unnest(p.proconfig) c where c = 'search_path=""')$$,
  'Every SECURITY DEFINER function pins search_path to the empty string.'
);

-- Policies --------------------------------------------------------------------------

select is_empty(
  $$select tablename, policyname, roles from pg_policies
     where schemaname = 'public' and roles <> '{authenticated}'::name[]$$,
  'Every policy in public applies to authenticated only (service_role bypasses RLS; anon reads through RPCs).'
);

select is_empty(
  $$select tablename, cmd from pg_policies
     where schemaname = 'public'
     group by tablename, cmd, roles having count(*) > 1$$,
  'No table has two policies for the same command and role.'
);

select is_empty(
  $$select tablename, cmd from pg_policies where schemaname = 'public' and cmd = 'ALL'$$,
  'No policy in public covers ALL commands: each command is decided on its own.'
);

select set_eq(
  $$select tablename::text, cmd::text from pg_policies where schemaname = 'public'$$,
  $$select t, c from unnest(array['user_profile', 'application_form_answers', 'user_skills', 'user_work_experience', 'user_education',
                                  'user_languages', 'jobs', 'resumes', 'resume_builder_data',
                                  'wizard_sessions', 'generated_resumes', 'cover_letters',
                                  'tracker_settings', 'contacts', 'interviews', 'tags', 'job_materials']) t,
                     unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE']) c
    union all
    select t, c from unnest(array['job_contacts', 'interview_participants', 'job_tags', 'email_proposals']) t,
                     unnest(array['SELECT', 'INSERT', 'DELETE']) c
    union all values ('generated_resume_versions', 'SELECT'), ('generated_resume_versions', 'INSERT'),
                     ('ai_events', 'SELECT'), ('ai_events', 'INSERT'), ('ai_usage_daily', 'SELECT'), ('subscriptions', 'SELECT'),
                     ('job_status_events', 'SELECT'), ('job_search_documents', 'SELECT'), ('templates', 'SELECT')$$,
  'Policies exist for exactly the expected (table, command) pairs.'
);

-- auth.uid() wrapped in a scalar subquery shows as "( SELECT auth.uid() AS uid)".
select is_empty(
  $$select tablename, policyname from pg_policies
     where schemaname in ('public', 'storage')
       and regexp_replace(coalesce(qual, '') || ' ' || coalesce(with_check, ''),
                          '\( SELECT auth\.uid\(\) AS uid\)', '', 'g') ~ 'auth\.(uid|role|jwt)\('$$,
  'Policies call auth.uid() once per statement ((select auth.uid())), never per row or via auth.role().'
);

select is_empty(
  $$select c.relname from pg_class c
     where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
       and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'user_id')
       and not exists (
         select 1 from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
          where i.indrelid = c.oid and a.attname = 'user_id' and i.indpred is null)$$,
  'Every table with a user_id has a full index leading with user_id behind its policies.'
);

-- Default privileges: what a later migration creates starts closed -------------------

create table public.probe_new_table (id int primary key);
create function public.probe_new_function() returns int language sql as 'select 1';

select is_empty(
  $$select r.rolname from (values ('anon'), ('authenticated'), ('service_role')) r(rolname)
     where has_table_privilege(r.rolname, 'public.probe_new_table', 'SELECT,INSERT,UPDATE,DELETE,TRUNCATE,REFERENCES,TRIGGER')$$,
  'A table created later in public is granted to no API role until its migration grants it.'
);

select is_empty(
  $$select r.rolname from (values ('anon'), ('authenticated'), ('service_role')) r(rolname)
     where has_function_privilege(r.rolname, 'public.probe_new_function()', 'EXECUTE')$$,
  'A function created later in public is executable by no API role (nor PUBLIC) until granted.'
);

select * from finish();
rollback;
