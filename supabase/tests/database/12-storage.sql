-- Storage: private buckets and per-user folders, and resumes.file_url as an object path
-- in its owner's folder. Threats covered: reading another user's file; uploading,
-- overwriting, moving or deleting in another user's folder; anonymous access; files
-- outside the app's buckets or at a bucket's root; a resumes row pointing at another
-- user's file or at a public URL.
begin;
select plan(27);

select tests.create_supabase_user('owner', 'owner@storage.test', '11111111-1111-4111-8111-111111111111');
select tests.create_supabase_user('stranger', 'stranger@storage.test', '22222222-2222-4222-8222-222222222222');
insert into storage.buckets (id, name, public) values ('elsewhere', 'elsewhere', false);

-- Buckets ---------------------------------------------------------------------------

select results_eq(
  $$select id, public, file_size_limit, allowed_mime_types from storage.buckets
     where id in ('resumes', 'avatars') order by id$$,
  $$values ('avatars', false, 2097152::bigint, array['image/*']),
           ('resumes', false, 5242880::bigint,
            array['application/pdf', 'application/msword',
                  'application/vnd.openxmlformats-officedocument.wordprocessingml.document'])$$,
  'The resumes (PDF, DOC, DOCX; 5 MB) and avatars (images; 2 MB) buckets exist and are private.'
);

select set_eq(
  $$select policyname::text, cmd::text, roles::text from pg_policies where schemaname = 'storage' and tablename = 'objects'$$,
  $$values ('Users can view their own files', 'SELECT', '{authenticated}'),
           ('Users can upload into their own folder', 'INSERT', '{authenticated}'),
           ('Users can update their own files', 'UPDATE', '{authenticated}'),
           ('Users can delete their own files', 'DELETE', '{authenticated}')$$,
  'storage.objects has one policy per command, for authenticated only.'
);

-- The owner works in their own folder --------------------------------------------------

select tests.authenticate_as('owner');

select lives_ok(
  $$insert into storage.objects (bucket_id, name, owner_id)
    values ('resumes', '11111111-1111-4111-8111-111111111111/resumes/cv.pdf', '11111111-1111-4111-8111-111111111111')$$,
  'The owner uploads a resume into their own folder.'
);
select lives_ok(
  $$insert into storage.objects (bucket_id, name, owner_id)
    values ('avatars', '11111111-1111-4111-8111-111111111111/profile-pictures/me.png', '11111111-1111-4111-8111-111111111111')$$,
  'The owner uploads an avatar into their own folder.'
);
select is(
  (select count(*)::int from storage.objects where name like '11111111-1111-4111-8111-111111111111/%'),
  2,
  'The owner sees both of their files.'
);
with u as (update storage.objects set metadata = '{"size": 1}'
     where name = '11111111-1111-4111-8111-111111111111/resumes/cv.pdf' returning 1)
select is(
  (select count(*)::int from u),
  1,
  'The owner overwrites (updates) their own file.'
);
select throws_ok(
  $$update storage.objects set name = '22222222-2222-4222-8222-222222222222/resumes/cv.pdf'
     where name = '11111111-1111-4111-8111-111111111111/resumes/cv.pdf'$$,
  '42501', null,
  'The owner cannot move their file into another user''s folder.'
);
select throws_ok(
  $$insert into storage.objects (bucket_id, name) values ('resumes', 'cv.pdf')$$,
  '42501', null,
  'Nobody uploads at the root of a bucket, outside any user folder.'
);
select throws_ok(
  $$insert into storage.objects (bucket_id, name) values ('elsewhere', '11111111-1111-4111-8111-111111111111/x.pdf')$$,
  '42501', null,
  'The folder policies cover only the resumes and avatars buckets.'
);

-- The stranger -----------------------------------------------------------------------

select tests.authenticate_as('stranger');

select is_empty(
  $$select name from storage.objects where name like '11111111-1111-4111-8111-111111111111/%'$$,
  'A stranger sees none of the owner''s files.'
);
select throws_ok(
  $$insert into storage.objects (bucket_id, name) values ('resumes', '11111111-1111-4111-8111-111111111111/resumes/planted.pdf')$$,
  '42501', null,
  'A stranger cannot upload into the owner''s folder.'
);
select is_empty(
  $$update storage.objects set metadata = '{"evil": true}'
     where name = '11111111-1111-4111-8111-111111111111/resumes/cv.pdf' returning name$$,
  'A stranger cannot overwrite the owner''s file (no row is updated).'
);
select set_config('storage.allow_delete_query', 'true', true);
select is_empty(
  $$delete from storage.objects where name like '11111111-1111-4111-8111-111111111111/%' returning name$$,
  'A stranger cannot delete the owner''s files (no row is deleted).'
);

-- anon -----------------------------------------------------------------------------

select tests.clear_authentication();
select tests.authenticate_as_anon();

select is_empty(
  $$select name from storage.objects$$,
  'anon sees no file at all.'
);
select throws_ok(
  $$insert into storage.objects (bucket_id, name) values ('resumes', '11111111-1111-4111-8111-111111111111/resumes/anon.pdf')$$,
  '42501', null,
  'anon cannot upload anything.'
);

-- The owner deletes their own file -------------------------------------------------------

select tests.clear_authentication();
select tests.authenticate_as('owner');
with d as (delete from storage.objects
     where name = '11111111-1111-4111-8111-111111111111/profile-pictures/me.png' returning 1)
select is(
  (select count(*)::int from d),
  1,
  'The owner deletes their own file.'
);

-- resumes.file_url is an object path in the owner's folder ---------------------------------

select lives_ok(
  $$insert into public.resumes (user_id, filename, file_url, file_size)
    values ('11111111-1111-4111-8111-111111111111', 'cv.pdf', '11111111-1111-4111-8111-111111111111/resumes/cv.pdf', 1000)$$,
  'A resumes row may name a file in its owner''s folder.'
);
select throws_ok(
  $$insert into public.resumes (user_id, filename, file_url, file_size)
    values ('11111111-1111-4111-8111-111111111111', 'theirs.pdf', '22222222-2222-4222-8222-222222222222/resumes/cv.pdf', 1000)$$,
  '23514', null,
  'A resumes row may not point at a file in another user''s folder.'
);
select throws_ok(
  $$insert into public.resumes (user_id, filename, file_url, file_size)
    values ('11111111-1111-4111-8111-111111111111', 'url.pdf',
            'https://abc.supabase.co/storage/v1/object/public/resumes/11111111-1111-4111-8111-111111111111/resumes/cv.pdf', 1000)$$,
  '23514', null,
  'A new resumes row holds an object path, not a URL.'
);
select throws_ok(
  $$insert into public.resumes (user_id, filename, file_url, file_size)
    values ('11111111-1111-4111-8111-111111111111', 'dots.pdf', '11111111-1111-4111-8111-111111111111/../22222222-2222-4222-8222-222222222222/cv.pdf', 1000)$$,
  '23514', null,
  'A path cannot climb out of the owner''s folder with "..".'
);
select throws_ok(
  $$update public.resumes set file_url = '22222222-2222-4222-8222-222222222222/resumes/cv.pdf'
     where user_id = '11111111-1111-4111-8111-111111111111'$$,
  '23514', null,
  'An update cannot repoint a resumes row at another user''s file.'
);

-- A v2.0 row whose file_url could not be converted stays editable in its other columns.
select tests.clear_authentication();
alter table public.resumes disable trigger resumes_file_url_in_owner_folder;
insert into public.resumes (id, user_id, filename, file_url, file_size)
values ('c0000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'old.pdf',
        'https://files.example.com/old.pdf', 500);
alter table public.resumes enable trigger resumes_file_url_in_owner_folder;
select tests.authenticate_as('owner');

with u as (update public.resumes set filename = 'old-renamed.pdf'
     where id = 'c0000000-0000-4000-8000-000000000001' returning 1)
select is(
  (select count(*)::int from u),
  1,
  'A legacy resumes row with an unconvertible URL can still be renamed by its owner.'
);
select throws_ok(
  $$update public.resumes set file_url = 'https://files.example.com/other.pdf'
     where id = 'c0000000-0000-4000-8000-000000000001'$$,
  '23514', null,
  'Changing a legacy row''s file_url must give a path in the owner''s folder.'
);
select tests.clear_authentication();

-- The upgrade's URL-to-path conversion ----------------------------------------------------

select is(
  private.resume_object_path('https://abc.supabase.co/storage/v1/object/public/resumes/u1/resumes/a.pdf'),
  'u1/resumes/a.pdf',
  'A v2.0 public storage URL into the resumes bucket becomes its object path.'
);
select is(
  private.resume_object_path('https://abc.supabase.co/storage/v1/object/sign/resumes/u1/resumes/a.pdf?token=xyz'),
  'u1/resumes/a.pdf',
  'A signed storage URL loses its query string and becomes the object path.'
);
select is(
  private.resume_object_path('https://abc.supabase.co/storage/v1/object/public/avatars/u1/a.png'),
  'https://abc.supabase.co/storage/v1/object/public/avatars/u1/a.png',
  'A URL into another bucket is left unchanged (and then archived by the upgrade).'
);
select is(
  private.resume_object_path('u1/resumes/a.pdf'),
  'u1/resumes/a.pdf',
  'An object path is left as it is.'
);

select * from finish();
rollback;
