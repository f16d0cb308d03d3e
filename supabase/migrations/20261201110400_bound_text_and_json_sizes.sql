-- Why: free-text and JSON columns had no size limit, so one request stored a 50 MB job
-- description, a 50 MB ai_events.error or a 100 MB resume version, and every later read of
-- the row (a list, the AI prompt builders, the share page) paid for it. Each such column
-- now has a named CHECK `<table>_<column>_size` on its size in bytes (octet_length of the
-- text, or of the JSON's text form), with limits generous for real use:
--   jobs.description 100 KB, jobs.job_url 2 KB, user_work_experience.description 20 KB,
--   user_profile.professional_summary 10 KB, .social_links 16 KB, .profile_picture_url 2 KB,
--   resumes.file_url 1 KB, resume_builder_data.resume_data 512 KB,
--   wizard_sessions.draft_json 512 KB, .progress 16 KB, generated_resumes.title 1 KB,
--   .share_token 128 B, generated_resume_versions.content_json 512 KB,
--   .render_artifact_url 2 KB, ai_events.error 4 KB, .provider 100 B, .model 200 B,
--   templates.name 255 B, .slug 100 B, .preview_url 2 KB, .schema 256 KB.
-- (varchar(n) columns are bounded by their type; cover_letters already had its limits.)
-- A violation is SQLSTATE 23514 (check_violation): PostgREST answers 400.
-- ai_events.error is a log of what went wrong, which can be long (a model's HTML error
-- page): an insert cuts it to 4 KB instead of failing, so logging a failure never fails.
-- Existing values over a limit are archived whole in private.legacy_profile_entries
-- (source `<table>.<column>`, entry {id, value}) and then cut to the limit (text) or
-- emptied (JSON: {} or [] as the column requires), so nothing is lost.

create or replace function private.cut_to_bytes(value text, max_bytes integer)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  kept text := pg_catalog.left(value, max_bytes);
begin
  -- A character is 1 to 4 bytes in UTF-8: drop at least a quarter of the excess each
  -- round, so this ends in a few rounds, on a character boundary.
  while pg_catalog.octet_length(kept) > max_bytes loop
    kept := pg_catalog.left(kept, pg_catalog.char_length(kept)
                                  - greatest(1, (pg_catalog.octet_length(kept) - max_bytes + 3) / 4));
  end loop;
  return kept;
end
$$;
comment on function private.cut_to_bytes(text, integer) is
  'The longest prefix of value (whole characters) that fits in max_bytes bytes of UTF-8.';
revoke execute on function private.cut_to_bytes(text, integer) from public;
-- The ai_events trigger runs as the inserting API role and calls it.
grant execute on function private.cut_to_bytes(text, integer) to authenticated, service_role;

do $$
declare
  c record;
  fixed integer;
begin
  for c in
    select * from (values
      ('jobs', 'description', 102400, null),
      ('jobs', 'job_url', 2048, null),
      ('user_work_experience', 'description', 20480, null),
      ('user_profile', 'professional_summary', 10240, null),
      ('user_profile', 'social_links', 16384, '[]'),
      ('user_profile', 'profile_picture_url', 2048, null),
      ('resumes', 'file_url', 1024, null),
      ('resume_builder_data', 'resume_data', 524288, '{}'),
      ('wizard_sessions', 'draft_json', 524288, '{}'),
      ('wizard_sessions', 'progress', 16384, '{}'),
      ('generated_resumes', 'title', 1024, null),
      ('generated_resumes', 'share_token', 128, null),
      ('generated_resume_versions', 'content_json', 524288, '{}'),
      ('generated_resume_versions', 'render_artifact_url', 2048, null),
      ('ai_events', 'error', 4096, null),
      ('ai_events', 'provider', 100, null),
      ('ai_events', 'model', 200, null),
      ('templates', 'name', 255, null),
      ('templates', 'slug', 100, null),
      ('templates', 'preview_url', 2048, null),
      ('templates', 'schema', 262144, '{}')
    ) v(table_name, column_name, max_bytes, empty_json)
  loop
    -- Archive, then cut (text) or empty (JSON). A cut URL could fail its format check, so
    -- URL-like and token columns are emptied (null) rather than cut.
    execute format(
      $sql$
      with oversized as (
        select t.id, %2$s as user_id, to_jsonb(t.%3$I) as value
          from public.%1$I t
         where octet_length(t.%3$I::text) > %4$s
      ), archived as (
        insert into private.legacy_profile_entries (user_id, source, entry, reason)
        select o.user_id, %5$L, jsonb_build_object('id', o.id, 'value', o.value),
               'larger than the ' || %4$s || '-byte limit of ' || %5$L || '; the stored value was cut or emptied'
          from oversized o
        returning 1
      )
      update public.%1$I t
         set %3$I = %6$s
        from oversized o
       where t.id = o.id
      $sql$,
      c.table_name,
      case when c.table_name in ('templates') then 'null::uuid'
           when c.table_name = 'generated_resume_versions'
             then '(select gr.user_id from public.generated_resumes gr where gr.id = t.generated_resume_id)'
           else 't.user_id' end,
      c.column_name,
      c.max_bytes,
      c.table_name || '.' || c.column_name,
      case when c.empty_json is not null then quote_literal(c.empty_json) || '::jsonb'
           when c.column_name ~ '(url|token)$' and c.column_name <> 'file_url' then 'null'
           else format('private.cut_to_bytes(t.%I, %s)', c.column_name, c.max_bytes) end);
    get diagnostics fixed = row_count;
    execute format('alter table public.%I enable trigger user', c.table_name);
    if fixed > 0 then
      raise notice '%.%: % value(s) over % bytes archived to private.legacy_profile_entries and cut or emptied',
        c.table_name, c.column_name, fixed, c.max_bytes;
    end if;

    execute format('alter table public.%1$I add constraint %2$I check (octet_length(%3$I::text) <= %4$s)',
      c.table_name, c.table_name || '_' || c.column_name || '_size', c.column_name, c.max_bytes);
    execute format('comment on constraint %1$I on public.%2$I is %3$L',
      c.table_name || '_' || c.column_name || '_size', c.table_name,
      format('%s is at most %s bytes.', c.column_name, c.max_bytes));
  end loop;
end
$$;

-- The log keeps the first 4 KB of an error instead of refusing the row.
create or replace function private.stamp_ai_event()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user in ('anon', 'authenticated', 'service_role') then
    new.id := extensions.uuid_generate_v4();
    new.created_at := pg_catalog.now();
  end if;
  if pg_catalog.octet_length(new.error) > 4096 then
    new.error := private.cut_to_bytes(new.error, 4096);
  end if;
  return new;
end
$$;
comment on function private.stamp_ai_event() is
  'Trigger: an ai_events row inserted by an API role gets a server-chosen id and created_at, whatever the client sent; an error message is cut to 4 KB.';
