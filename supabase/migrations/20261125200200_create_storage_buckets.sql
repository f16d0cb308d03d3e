-- Why: the live app kept resumes in a public bucket with no policies, so anyone holding
-- (or guessing) a URL read every resume. Files now live in private buckets and each
-- user reads and writes only under their own folder, `{user_id}/...` (the app stores
-- resumes at `{user_id}/resumes/{uuid}{ext}`). Clients reach a file through the Storage
-- API (download, or a signed URL), never a public URL.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values
  ('resumes', 'resumes', false, 5 * 1024 * 1024,
   array['application/pdf',
         'application/msword',
         'application/vnd.openxmlformats-officedocument.wordprocessingml.document']),
  ('avatars', 'avatars', false, 2 * 1024 * 1024, array['image/*'])
on conflict (id) do update
  set name = excluded.name,
      public = excluded.public,
      file_size_limit = excluded.file_size_limit,
      allowed_mime_types = excluded.allowed_mime_types;

-- One policy per command for authenticated; anon gets none, so it reads nothing.
-- The first folder of the object name must be the caller's user id.
drop policy if exists "Users can view their own files" on storage.objects;
drop policy if exists "Users can upload into their own folder" on storage.objects;
drop policy if exists "Users can update their own files" on storage.objects;
drop policy if exists "Users can delete their own files" on storage.objects;

create policy "Users can view their own files" on storage.objects
  for select to authenticated
  using (bucket_id in ('resumes', 'avatars')
         and (storage.foldername(name))[1] = (select auth.uid())::text);

create policy "Users can upload into their own folder" on storage.objects
  for insert to authenticated
  with check (bucket_id in ('resumes', 'avatars')
              and (storage.foldername(name))[1] = (select auth.uid())::text);

-- WITH CHECK as well as USING: a rename may not move a file into another user's folder.
create policy "Users can update their own files" on storage.objects
  for update to authenticated
  using (bucket_id in ('resumes', 'avatars')
         and (storage.foldername(name))[1] = (select auth.uid())::text)
  with check (bucket_id in ('resumes', 'avatars')
              and (storage.foldername(name))[1] = (select auth.uid())::text);

create policy "Users can delete their own files" on storage.objects
  for delete to authenticated
  using (bucket_id in ('resumes', 'avatars')
         and (storage.foldername(name))[1] = (select auth.uid())::text);
