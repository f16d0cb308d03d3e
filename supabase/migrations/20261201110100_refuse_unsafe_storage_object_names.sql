-- Why: the storage policies only compared the first folder of an object's name with the
-- caller's id, so `{me}/../{them}/x.pdf`, `{me}/%2e%2e/{them}/x.pdf`, `{me}//x.pdf` or
-- `{me}/./x.pdf` passed: they start with the caller's folder but resolve (in a file
-- backend, a proxy or a client that normalises paths) somewhere else. And owner_id,
-- which the Storage API sets to the uploader, could be set to anyone. The Storage API
-- normally fills both correctly, but the database is the rule:
--   - a name is at least `{folder}/{file}`, made of non-empty segments, none of them
--     `.` or `..`, with no percent-encoding, backslash or control character;
--   - owner_id, when set, is the caller.
-- Every command checks the name, so an unsafe name that slipped in earlier cannot be
-- read or deleted through it either (the service role can still clean it up).

create or replace function private.is_safe_object_name(name text)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select name is not null
     and name ~ '^[^/]+(/[^/]+)+$'
     and name !~ '(^|/)\.{1,2}(/|$)'
     and name !~ '%[0-9A-Fa-f]{2}'
     and name !~ '[\\[:cntrl:]]'
$$;
comment on function private.is_safe_object_name(text) is
  'True when a storage object name is folder/.../file with non-empty segments, no "." or ".." segment, no percent-encoding, backslash or control character.';
revoke execute on function private.is_safe_object_name(text) from public;
grant execute on function private.is_safe_object_name(text) to authenticated, service_role;

drop policy if exists "Users can view their own files" on storage.objects;
drop policy if exists "Users can upload into their own folder" on storage.objects;
drop policy if exists "Users can update their own files" on storage.objects;
drop policy if exists "Users can delete their own files" on storage.objects;

create policy "Users can view their own files" on storage.objects
  for select to authenticated
  using (bucket_id in ('resumes', 'avatars')
         and (storage.foldername(name))[1] = (select auth.uid())::text
         and private.is_safe_object_name(name));

create policy "Users can upload into their own folder" on storage.objects
  for insert to authenticated
  with check (bucket_id in ('resumes', 'avatars')
              and (storage.foldername(name))[1] = (select auth.uid())::text
              and private.is_safe_object_name(name)
              and (owner_id is null or owner_id = (select auth.uid())::text));

-- WITH CHECK as well as USING: a rename may not move a file into another user's folder,
-- to an unsafe name, or to another owner.
create policy "Users can update their own files" on storage.objects
  for update to authenticated
  using (bucket_id in ('resumes', 'avatars')
         and (storage.foldername(name))[1] = (select auth.uid())::text
         and private.is_safe_object_name(name))
  with check (bucket_id in ('resumes', 'avatars')
              and (storage.foldername(name))[1] = (select auth.uid())::text
              and private.is_safe_object_name(name)
              and (owner_id is null or owner_id = (select auth.uid())::text));

create policy "Users can delete their own files" on storage.objects
  for delete to authenticated
  using (bucket_id in ('resumes', 'avatars')
         and (storage.foldername(name))[1] = (select auth.uid())::text
         and private.is_safe_object_name(name));
