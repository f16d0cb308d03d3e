-- job_url is opened by the app and by the duplicate check; preview_url is shown as an
-- image. Both must be absolute http(s) URLs (the spec's "database-level validation
-- for URLs"). Existing values are repaired where the intent is clear (blank → null,
-- a bare domain gets https://); anything else is archived and cleared.

alter table public.jobs disable trigger update_jobs_updated_at;
alter table public.templates disable trigger update_templates_updated_at;

do $$
declare
  url_pattern constant text := '^https?://[^[:space:]/?#]+[^[:space:]]*$';
  domain_pattern constant text := '^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}([/?#][^[:space:]]*)?$';
  repaired integer;
  archived integer;
begin
  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select j.user_id, 'jobs.job_url', pg_catalog.to_jsonb(j), 'job_url is not an http(s) URL; cleared'
    from public.jobs j
   where pg_catalog.btrim(j.job_url) <> ''
     and pg_catalog.btrim(j.job_url) !~* url_pattern
     and pg_catalog.btrim(j.job_url) !~* domain_pattern;
  get diagnostics archived = row_count;

  update public.jobs j
     set job_url = case
           when pg_catalog.btrim(j.job_url) = '' then null
           when pg_catalog.btrim(j.job_url) ~* url_pattern then pg_catalog.btrim(j.job_url)
           when pg_catalog.btrim(j.job_url) ~* domain_pattern then 'https://' || pg_catalog.btrim(j.job_url)
         end
   where j.job_url is not null and j.job_url !~* url_pattern;
  get diagnostics repaired = row_count;
  raise notice 'jobs.job_url: % values repaired or cleared, % archived', repaired, archived;

  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select null, 'templates.preview_url', pg_catalog.to_jsonb(t), 'preview_url is not an http(s) URL; cleared'
    from public.templates t
   where pg_catalog.btrim(t.preview_url) <> ''
     and pg_catalog.btrim(t.preview_url) !~* url_pattern
     and pg_catalog.btrim(t.preview_url) !~* domain_pattern;

  update public.templates t
     set preview_url = case
           when pg_catalog.btrim(t.preview_url) = '' then null
           when pg_catalog.btrim(t.preview_url) ~* url_pattern then pg_catalog.btrim(t.preview_url)
           when pg_catalog.btrim(t.preview_url) ~* domain_pattern then 'https://' || pg_catalog.btrim(t.preview_url)
         end
   where t.preview_url is not null and t.preview_url !~* url_pattern;
end
$$;

alter table public.jobs enable trigger update_jobs_updated_at;
alter table public.templates enable trigger update_templates_updated_at;

alter table public.jobs
  add constraint jobs_job_url_check check (job_url ~* '^https?://[^[:space:]/?#]+[^[:space:]]*$');
alter table public.templates
  add constraint templates_preview_url_check check (preview_url ~* '^https?://[^[:space:]/?#]+[^[:space:]]*$');
