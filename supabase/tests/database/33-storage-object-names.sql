-- Storage object names and owners. The folder policies compare the first segment of a
-- name with the caller's id; these names start with the caller's folder but lead
-- elsewhere once a backend or client normalises them. Threats covered: climbing out
-- with "..", "." or empty segments; the same hidden behind percent-encoding; backslashes
-- and control characters; an upload or rename that claims another user as owner_id;
-- reading or deleting through an unsafe name planted earlier.
begin;
select plan(22);

select tests.create_supabase_user('owner', 'owner@names.test', '11111111-1111-4111-8111-111111111111');
select tests.create_supabase_user('stranger', 'stranger@names.test', '22222222-2222-4222-8222-222222222222');

create temp table unsafe_names (label text, name text);
insert into unsafe_names values
  ('a ".." segment', '11111111-1111-4111-8111-111111111111/../22222222-2222-4222-8222-222222222222/x.pdf'),
  ('a trailing ".." segment', '11111111-1111-4111-8111-111111111111/resumes/..'),
  ('a "." segment', '11111111-1111-4111-8111-111111111111/./x.pdf'),
  ('an empty segment', '11111111-1111-4111-8111-111111111111//x.pdf'),
  ('a trailing slash', '11111111-1111-4111-8111-111111111111/resumes/'),
  ('a percent-encoded ".."', '11111111-1111-4111-8111-111111111111/%2e%2e/22222222-2222-4222-8222-222222222222/x.pdf'),
  ('a percent-encoded slash', '11111111-1111-4111-8111-111111111111/..%2F22222222-2222-4222-8222-222222222222%2Fx.pdf'),
  ('an upper-case percent-encoding', '11111111-1111-4111-8111-111111111111/%2E%2E/x.pdf'),
  ('a backslash', '11111111-1111-4111-8111-111111111111/..\22222222-2222-4222-8222-222222222222\x.pdf'),
  ('a control character', '11111111-1111-4111-8111-111111111111/x' || chr(10) || '.pdf');
grant select on unsafe_names to authenticated;

select tests.authenticate_as('owner');

-- Each unsafe name is refused on upload, one assertion per kind.
select throws_ok(
  format('insert into storage.objects (bucket_id, name) values (%L, %L)', 'resumes', name),
  '42501', null,
  format('An upload whose name has %s is refused.', label))
  from unsafe_names;

select lives_ok(
  $$insert into storage.objects (bucket_id, name, owner_id)
    values ('resumes', '11111111-1111-4111-8111-111111111111/resumes/cv-2026.v2.pdf', '11111111-1111-4111-8111-111111111111')$$,
  'A normal name (dots inside a file name are fine) with the caller as owner_id is accepted.'
);
select lives_ok(
  $$insert into storage.objects (bucket_id, name) values ('avatars', '11111111-1111-4111-8111-111111111111/100% me.png')$$,
  'A percent sign that is not an encoding is accepted, and owner_id may be left to the Storage API.'
);
select throws_ok(
  $$insert into storage.objects (bucket_id, name, owner_id)
    values ('resumes', '11111111-1111-4111-8111-111111111111/resumes/theirs.pdf', '22222222-2222-4222-8222-222222222222')$$,
  '42501', null,
  'An upload that names another user as owner_id is refused.'
);
select throws_ok(
  $$update storage.objects set owner_id = '22222222-2222-4222-8222-222222222222'
     where name = '11111111-1111-4111-8111-111111111111/resumes/cv-2026.v2.pdf'$$,
  '42501', null,
  'A file cannot be handed to another owner by an update.'
);
select throws_ok(
  $$update storage.objects set name = '11111111-1111-4111-8111-111111111111/../22222222-2222-4222-8222-222222222222/cv.pdf'
     where name = '11111111-1111-4111-8111-111111111111/resumes/cv-2026.v2.pdf'$$,
  '42501', null,
  'A file cannot be renamed to a name that climbs out of the folder.'
);
select throws_ok(
  $$update storage.objects set name = '11111111-1111-4111-8111-111111111111/%2e%2e/cv.pdf'
     where name = '11111111-1111-4111-8111-111111111111/resumes/cv-2026.v2.pdf'$$,
  '42501', null,
  'A file cannot be renamed to a percent-encoded name.'
);

-- An unsafe name planted before these rules (here by the table owner) is out of reach.
select tests.clear_authentication();
insert into storage.objects (bucket_id, name, owner_id)
values ('resumes', '11111111-1111-4111-8111-111111111111/../22222222-2222-4222-8222-222222222222/old.pdf', '11111111-1111-4111-8111-111111111111');
select tests.authenticate_as('owner');
select is(
  (select array_agg(name order by name) from storage.objects),
  array['11111111-1111-4111-8111-111111111111/100% me.png',
        '11111111-1111-4111-8111-111111111111/resumes/cv-2026.v2.pdf'],
  'The owner sees their safe files and not the planted unsafe one.'
);
select set_config('storage.allow_delete_query', 'true', true);
select is_empty(
  $$delete from storage.objects where name like '%/../%' returning name$$,
  'A file with an unsafe name cannot be deleted through the API role (it could resolve to another user''s file).'
);

-- The name rule on its own.
select tests.clear_authentication();
select ok(private.is_safe_object_name('u/resumes/a.pdf'), 'folder/sub/file is a safe name.');
select ok(not private.is_safe_object_name('a.pdf'), 'A name at the bucket root is not safe.');
select ok(not private.is_safe_object_name(null), 'A null name is not safe.');
select ok(not private.is_safe_object_name('/u/a.pdf'), 'A leading slash (empty first segment) is not safe.');

select * from finish();
rollback;
