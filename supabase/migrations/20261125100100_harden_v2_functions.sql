-- v2.0's functions ran with the caller's search_path (flagged by Supabase's advisors:
-- a caller could shadow now() or a table). Pin it to '' and qualify every name; no
-- API role needs to call the trigger function directly.

alter function public.update_updated_at_column() set search_path = '';
revoke execute on function public.update_updated_at_column() from public, anon, authenticated;

-- Same body as v2.0 (security invoker); only the search_path changes.
create or replace function public.get_public_generated_resume(share_token text)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
           'id', gr.id,
           'title', gr.title,
           'template_id', gr.template_id,
           'version_number', v.version_number,
           'content_json', v.content_json,
           'render_artifact_url', v.render_artifact_url
         )
    from public.generated_resumes gr
    join public.generated_resume_versions v
      on v.generated_resume_id = gr.id
     and v.version_number = gr.current_version
   where gr.share_token = $1
   limit 1
$$;
