-- resume_data, content_json and draft_json are documents with named sections; the
-- old service stored them JSON-encoded inside a JSONB string, which every reader then
-- had to decode twice. Require JSON objects. Existing strings that hold an object are
-- decoded; any other non-object is archived and replaced by an empty object.

create function pg_temp.decode_json_object(value jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  parsed jsonb;
begin
  if pg_catalog.jsonb_typeof(value) = 'string' then
    begin
      parsed := (value #>> '{}')::jsonb;
    exception when others then
      return null;
    end;
    if pg_catalog.jsonb_typeof(parsed) = 'object' then
      return parsed;
    end if;
  end if;
  return null;
end;
$$;

alter table public.resume_builder_data disable trigger update_resume_builder_data_updated_at;
alter table public.wizard_sessions disable trigger update_wizard_sessions_updated_at;

do $$
declare
  decoded integer;
  archived integer;
begin
  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select b.user_id, 'resume_builder_data.resume_data', pg_catalog.to_jsonb(b), 'resume_data was not a JSON object; replaced by {}'
    from public.resume_builder_data b
   where pg_catalog.jsonb_typeof(b.resume_data) <> 'object' and pg_temp.decode_json_object(b.resume_data) is null;
  get diagnostics archived = row_count;
  update public.resume_builder_data b
     set resume_data = coalesce(pg_temp.decode_json_object(b.resume_data), '{}'::jsonb)
   where pg_catalog.jsonb_typeof(b.resume_data) <> 'object';
  get diagnostics decoded = row_count;
  raise notice 'resume_builder_data.resume_data: % rows fixed, % of them archived', decoded, archived;

  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select gr.user_id, 'generated_resume_versions.content_json', pg_catalog.to_jsonb(v), 'content_json was not a JSON object; replaced by {}'
    from public.generated_resume_versions v
    join public.generated_resumes gr on gr.id = v.generated_resume_id
   where pg_catalog.jsonb_typeof(v.content_json) <> 'object' and pg_temp.decode_json_object(v.content_json) is null;
  get diagnostics archived = row_count;
  update public.generated_resume_versions v
     set content_json = coalesce(pg_temp.decode_json_object(v.content_json), '{}'::jsonb)
   where pg_catalog.jsonb_typeof(v.content_json) <> 'object';
  get diagnostics decoded = row_count;
  raise notice 'generated_resume_versions.content_json: % rows fixed, % of them archived', decoded, archived;

  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select w.user_id, 'wizard_sessions.draft_json', pg_catalog.to_jsonb(w), 'draft_json was not a JSON object; replaced by {}'
    from public.wizard_sessions w
   where pg_catalog.jsonb_typeof(w.draft_json) <> 'object' and pg_temp.decode_json_object(w.draft_json) is null;
  get diagnostics archived = row_count;
  update public.wizard_sessions w
     set draft_json = coalesce(pg_temp.decode_json_object(w.draft_json), '{}'::jsonb)
   where pg_catalog.jsonb_typeof(w.draft_json) <> 'object';
  get diagnostics decoded = row_count;
  raise notice 'wizard_sessions.draft_json: % rows fixed, % of them archived', decoded, archived;
end
$$;

alter table public.resume_builder_data enable trigger update_resume_builder_data_updated_at;
alter table public.wizard_sessions enable trigger update_wizard_sessions_updated_at;

alter table public.resume_builder_data
  add constraint resume_builder_data_resume_data_check check (pg_catalog.jsonb_typeof(resume_data) = 'object');
alter table public.generated_resume_versions
  add constraint generated_resume_versions_content_json_check check (pg_catalog.jsonb_typeof(content_json) = 'object');
alter table public.wizard_sessions
  add constraint wizard_sessions_draft_json_check check (pg_catalog.jsonb_typeof(draft_json) = 'object');
