-- Why: `resumes.file_url` was a free-text public URL into a public bucket. The bucket is
-- now private, so the row must name the object instead: `file_url` holds the object
-- path inside the `resumes` bucket (`{user_id}/resumes/{uuid}.pdf`), and that path must
-- lie in the owner's own folder, or one user could point a row at another user's file.
--
-- Upgrade of v2.0 rows: a Supabase Storage URL into the resumes bucket
-- (`https://<project>/storage/v1/object/{public|sign|authenticated}/resumes/<path>[?...]`)
-- is rewritten to `<path>`; its original value is kept in private.legacy_profile_entries
-- (source 'resumes.file_url'). Anything else (a foreign URL, a path in someone else's
-- folder) is left as it was, archived there too, and reported in a NOTICE: the rule
-- below is a trigger, not a CHECK, so it judges only new paths (insert, or an update
-- that changes file_url or user_id) and such a legacy row stays editable otherwise.

create or replace function private.resume_object_path(file_url text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case
    when file_url ~ '^https?://[^/]+/storage/v1/object/(public|sign|authenticated)/resumes/[^?#]+'
      then substring(file_url from '^https?://[^/]+/storage/v1/object/(?:public|sign|authenticated)/resumes/([^?#]+)')
    else file_url
  end
$$;
comment on function private.resume_object_path(text) is
  'The object path inside the resumes bucket for a v2.0 Supabase Storage URL; any other value unchanged.';

create or replace function private.is_in_owner_folder(object_path text, owner_id uuid)
returns boolean
language sql
immutable
set search_path = ''
as $$
  -- `{owner}/<at least one more segment>`, with no empty or parent-directory segments
  select object_path is not null
     and split_part(object_path, '/', 1) = owner_id::text
     and object_path ~ '^[^/]+/.+[^/]$'
     and object_path !~ '(^|/)\.\.?(/|$)'
     and object_path !~ '//'
$$;
comment on function private.is_in_owner_folder(text, uuid) is
  'True when object_path lies under the owner''s folder `{owner_id}/...` of a storage bucket.';

do $$
declare
  converted integer;
  left_as_is integer;
begin
  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select r.user_id, 'resumes.file_url',
         jsonb_build_object('resume_id', r.id, 'file_url', r.file_url),
         case when private.is_in_owner_folder(private.resume_object_path(r.file_url), r.user_id)
              then 'v2.0 storage URL rewritten to its object path in the resumes bucket'
              else 'not an object path in the owner''s folder of the resumes bucket; left unchanged' end
    from public.resumes r
   where not private.is_in_owner_folder(r.file_url, r.user_id);

  update public.resumes r
     set file_url = private.resume_object_path(r.file_url)
   where not private.is_in_owner_folder(r.file_url, r.user_id)
     and private.is_in_owner_folder(private.resume_object_path(r.file_url), r.user_id);
  get diagnostics converted = row_count;

  select count(*) into left_as_is
    from public.resumes r
   where not private.is_in_owner_folder(r.file_url, r.user_id);

  raise notice 'resumes.file_url: % v2.0 storage URL(s) rewritten to object paths, % legacy value(s) left unchanged (see private.legacy_profile_entries, source resumes.file_url)',
    converted, left_as_is;
end
$$;

create or replace function private.check_resume_file_path()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'INSERT'
     or new.file_url is distinct from old.file_url
     or new.user_id is distinct from old.user_id then
    if not private.is_in_owner_folder(new.file_url, new.user_id) then
      raise exception 'file_url must be an object path under your own folder of the resumes bucket, like %/resumes/<file>', new.user_id
        using errcode = '23514',
              constraint = 'resumes_file_url_in_owner_folder',
              hint = 'Upload the file to the resumes bucket at {user_id}/resumes/... and store that path.';
    end if;
  end if;
  return new;
end
$$;
comment on function private.check_resume_file_path() is
  'Trigger: a new or changed resumes.file_url must be an object path in the owner''s folder.';

drop trigger if exists resumes_file_url_in_owner_folder on public.resumes;
create trigger resumes_file_url_in_owner_folder
  before insert or update on public.resumes
  for each row execute function private.check_resume_file_path();

comment on column public.resumes.file_url is
  'Object path of the file in the private resumes bucket, under the owner''s folder: {user_id}/resumes/{uuid}{ext}. Read it through the Storage API (download or signed URL).';
