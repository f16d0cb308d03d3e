-- Storage policies refuse a deleted account's still-valid token. GoTrue's access tokens
-- stay valid until they expire, after the account is deleted (or soft-deleted); such a
-- token wrote an orphan file that account deletion never removes. The Storage API runs
-- each call as the caller (role authenticated, request.jwt.claims from the token), which
-- is what these statements do. Threats covered: upload, read, overwrite and delete under
-- the deleted user's folder with the old token; a soft-deleted account the same way.
begin;
select plan(7);

select tests.create_supabase_user('alive');
select tests.create_supabase_user('soft-deleted');
update auth.users set deleted_at = now() where id = tests.get_supabase_uid('soft-deleted');
insert into storage.objects (bucket_id, name, owner_id) values
  ('resumes', tests.get_supabase_uid('soft-deleted') || '/resumes/old.pdf', tests.get_supabase_uid('soft-deleted'));

-- A live account uploads into its folder.
select tests.authenticate_as('alive');
select lives_ok(
  format($$insert into storage.objects (bucket_id, name, owner_id) values ('resumes', '%s/resumes/cv.pdf', '%s')$$,
         tests.get_supabase_uid('alive'), tests.get_supabase_uid('alive')),
  'A live account uploads into its own folder.'
);
select is((select count(*)::int from storage.objects), 1, 'and reads it back.');

-- The token of an account that no longer exists (auth.users row gone).
select tests.clear_authentication();
set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"0dead000-0000-4000-8000-000000000061","role":"authenticated"}', true);
select throws_ok(
  $$insert into storage.objects (bucket_id, name, owner_id)
    values ('resumes', '0dead000-0000-4000-8000-000000000061/resumes/orphan.pdf', '0dead000-0000-4000-8000-000000000061')$$,
  '42501', null,
  'A deleted account''s still-valid token cannot upload (no orphan file).'
);

-- A soft-deleted account's token.
select tests.clear_authentication();
select tests.authenticate_as('soft-deleted');
select throws_ok(
  format($$insert into storage.objects (bucket_id, name, owner_id) values ('resumes', '%s/resumes/new.pdf', '%s')$$,
         tests.get_supabase_uid('soft-deleted'), tests.get_supabase_uid('soft-deleted')),
  '42501', null,
  'A soft-deleted account''s token cannot upload.'
);
select is((select count(*)::int from storage.objects), 0, 'A soft-deleted account''s token reads none of its files.');
select tests.clear_authentication();
select is(tests.attempt_as('soft-deleted', $$update storage.objects set metadata = '{}'$$), 'rows: 0', 'Nor overwrites them.');
select ok(tests.attempt_as('soft-deleted', $$delete from storage.objects$$) in ('rows: 0', 'error 42501'),
          'Nor deletes them (no row, or the platform''s direct-delete guard).');

select * from finish();
rollback;
