-- Why: a generated resume version's PDF is rendered on request and may be kept, so the
-- owner (or the app) can fetch it again without rendering. It lives in a private
-- bucket of its own, `renders`, at `{user_id}/{generated_resume_id}/v{n}-{a4|letter}.pdf`,
-- written through the Storage API acting as the owner. The folder rules are the ones
-- the other buckets follow (the owner's first folder, safe names, owner_id is the
-- caller), so the four storage policies are recreated with renders added; one policy
-- per command for authenticated remains, anon gets none.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('renders', 'renders', false, 5 * 1024 * 1024, array['application/pdf'])
on conflict (id) do update
  set name = excluded.name,
      public = excluded.public,
      file_size_limit = excluded.file_size_limit,
      allowed_mime_types = excluded.allowed_mime_types;

drop policy if exists "Users can view their own files" on storage.objects;
drop policy if exists "Users can upload into their own folder" on storage.objects;
drop policy if exists "Users can update their own files" on storage.objects;
drop policy if exists "Users can delete their own files" on storage.objects;

create policy "Users can view their own files" on storage.objects
  for select to authenticated
  using (bucket_id in ('resumes', 'avatars', 'renders')
         and (storage.foldername(name))[1] = (select auth.uid())::text
         and private.is_safe_object_name(name));

create policy "Users can upload into their own folder" on storage.objects
  for insert to authenticated
  with check (bucket_id in ('resumes', 'avatars', 'renders')
              and (storage.foldername(name))[1] = (select auth.uid())::text
              and private.is_safe_object_name(name)
              and (owner_id is null or owner_id = (select auth.uid())::text));

-- WITH CHECK as well as USING: a rename may not move a file into another user's folder,
-- to an unsafe name, or to another owner.
create policy "Users can update their own files" on storage.objects
  for update to authenticated
  using (bucket_id in ('resumes', 'avatars', 'renders')
         and (storage.foldername(name))[1] = (select auth.uid())::text
         and private.is_safe_object_name(name))
  with check (bucket_id in ('resumes', 'avatars', 'renders')
              and (storage.foldername(name))[1] = (select auth.uid())::text
              and private.is_safe_object_name(name)
              and (owner_id is null or owner_id = (select auth.uid())::text));

create policy "Users can delete their own files" on storage.objects
  for delete to authenticated
  using (bucket_id in ('resumes', 'avatars', 'renders')
         and (storage.foldername(name))[1] = (select auth.uid())::text
         and private.is_safe_object_name(name));
