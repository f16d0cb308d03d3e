-- Cover letters: the owner's letters for the owner's jobs, linked to one of the owner's
-- generated resumes. Threats and failures covered: a letter filed under someone else's
-- job or resume; editing what a letter was written from; a stored word count that
-- disagrees with the text; blank or runaway letters; letters outliving their job.
-- (The full owner/stranger/anon/service_role matrix is in 10-rls-matrix.sql.)
begin;
select plan(21);

select tests.create_supabase_user('owner', 'owner@letters.test', '11111111-1111-4111-8111-111111111111');
select tests.create_supabase_user('stranger', 'stranger@letters.test', '22222222-2222-4222-8222-222222222222');
insert into public.templates (id, name, slug, schema) values
  ('aaaaaaaa-0000-4000-8000-000000000001', 'Letters Test', 'letters-test', '{}');
insert into public.jobs (id, user_id, job_title, company, status) values
  ('c1000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'Engineer', 'Acme', 'applied'),
  ('c1000000-0000-4000-8000-000000000002', '22222222-2222-4222-8222-222222222222', 'Engineer', 'Globex', 'applied');
insert into public.generated_resumes (id, user_id, template_id) values
  ('c2000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'aaaaaaaa-0000-4000-8000-000000000001'),
  ('c2000000-0000-4000-8000-000000000002', '22222222-2222-4222-8222-222222222222', 'aaaaaaaa-0000-4000-8000-000000000001');

select ok(
  (select bool_and(exists (
      select 1 from pg_index i
       where i.indrelid = c.conrelid and i.indkey[0] = c.conkey[1] and i.indpred is null))
     from pg_constraint c
    where c.conrelid = 'public.cover_letters'::regclass and c.contype = 'f'),
  'Every foreign key of cover_letters has an index leading with its column.'
);
select is_empty(
  $$select a.attname from pg_attribute a
     where a.attrelid = 'public.cover_letters'::regclass and a.attnum > 0 and not a.attisdropped
       and col_description(a.attrelid, a.attnum) is null$$,
  'Every column of cover_letters carries a comment for the generated types.'
);

select tests.authenticate_as('owner');

-- The owner writes one; user_id and word_count are the database's business.
select throws_ok(
  $$insert into public.cover_letters (job_id, content, word_count) values
      ('c1000000-0000-4000-8000-000000000001', 'Dear Acme', 999)$$,
  '42501', null,
  'A writer cannot send word_count: it is the server''s.'
);
insert into public.cover_letters (id, job_id, generated_resume_id, resume_version, content, model) values
  ('c3000000-0000-4000-8000-000000000001', 'c1000000-0000-4000-8000-000000000001',
   'c2000000-0000-4000-8000-000000000001', 1, E'Dear Acme,\n\nI would love to  join your team.', 'gpt-4o-mini');
select is(
  (select user_id from public.cover_letters where id = 'c3000000-0000-4000-8000-000000000001'),
  '11111111-1111-4111-8111-111111111111'::uuid,
  'user_id defaults to the signed-in user.'
);
select is(
  (select word_count from public.cover_letters where id = 'c3000000-0000-4000-8000-000000000001'),
  9,
  'word_count is counted from the content (9 words).'
);

update public.cover_letters set content = 'Short and sweet.' where id = 'c3000000-0000-4000-8000-000000000001';
select is(
  (select word_count from public.cover_letters where id = 'c3000000-0000-4000-8000-000000000001'),
  3,
  'Editing the content recounts the words.'
);
select throws_ok(
  $$update public.cover_letters set job_id = 'c1000000-0000-4000-8000-000000000001' where id = 'c3000000-0000-4000-8000-000000000001'$$,
  '42501', null,
  'The job a letter was written for cannot be changed afterwards.'
);
select throws_ok(
  $$update public.cover_letters set word_count = 5 where id = 'c3000000-0000-4000-8000-000000000001'$$,
  '42501', null,
  'The word count cannot be written by the owner.'
);
select throws_ok(
  $$insert into public.cover_letters (job_id, content) values ('c1000000-0000-4000-8000-000000000001', '   ')$$,
  '23514', null,
  'A blank letter is refused.'
);
select throws_ok(
  $$insert into public.cover_letters (job_id, content) values ('c1000000-0000-4000-8000-000000000001', repeat('word ', 2001))$$,
  '23514', 'new row for relation "cover_letters" violates check constraint "cover_letters_word_count_range"',
  'A letter over 2000 words is refused.'
);
select throws_ok(
  $$insert into public.cover_letters (job_id, generated_resume_id, resume_version, content)
    values ('c1000000-0000-4000-8000-000000000001', 'c2000000-0000-4000-8000-000000000001', 0, 'Hello there.')$$,
  '23514', 'new row for relation "cover_letters" violates check constraint "cover_letters_resume_version_positive"',
  'A resume version below 1 is refused.'
);
select throws_ok(
  $$insert into public.cover_letters (job_id, content) values ('c1000000-0000-4000-8000-000000000002', 'For your job.')$$,
  '42501', null,
  'A letter cannot be filed under another user''s job.'
);
select throws_ok(
  $$insert into public.cover_letters (job_id, generated_resume_id, content)
    values ('c1000000-0000-4000-8000-000000000001', 'c2000000-0000-4000-8000-000000000002', 'From your resume.')$$,
  '42501', null,
  'A letter cannot be linked to another user''s generated resume.'
);

select tests.authenticate_as('stranger');
select is_empty(
  $$select * from public.cover_letters$$,
  'A stranger sees none of the owner''s letters.'
);
select is_empty(
  $$update public.cover_letters set content = 'Hijacked.' where id = 'c3000000-0000-4000-8000-000000000001' returning id$$,
  'A stranger''s edit touches no letter of the owner''s.'
);
select is_empty(
  $$delete from public.cover_letters where id = 'c3000000-0000-4000-8000-000000000001' returning id$$,
  'A stranger''s delete removes no letter of the owner''s.'
);

select tests.authenticate_as_anon();
select throws_ok(
  $$select * from public.cover_letters$$,
  '42501', null,
  'anon cannot read cover letters at all.'
);
select tests.clear_authentication();

select is(
  (select content from public.cover_letters where id = 'c3000000-0000-4000-8000-000000000001'),
  'Short and sweet.',
  'The owner''s letter is as the owner left it.'
);

delete from public.generated_resumes where id = 'c2000000-0000-4000-8000-000000000001';
select is(
  (select array[coalesce(generated_resume_id::text, 'null'), resume_version::text]
     from public.cover_letters where id = 'c3000000-0000-4000-8000-000000000001'),
  array['null', '1'],
  'Deleting the generated resume keeps the letter and clears its link.'
);
delete from public.jobs where id = 'c1000000-0000-4000-8000-000000000001';
select is_empty(
  $$select * from public.cover_letters where id = 'c3000000-0000-4000-8000-000000000001'$$,
  'Deleting the job deletes its letters.'
);

insert into public.jobs (id, user_id, job_title, company, status) values
  ('c1000000-0000-4000-8000-000000000003', '11111111-1111-4111-8111-111111111111', 'Engineer', 'Initech', 'applied');
insert into public.cover_letters (user_id, job_id, content) values
  ('11111111-1111-4111-8111-111111111111', 'c1000000-0000-4000-8000-000000000003', 'One more letter.');
delete from auth.users where id = '11111111-1111-4111-8111-111111111111';
select is_empty(
  $$select * from public.cover_letters where user_id = '11111111-1111-4111-8111-111111111111'$$,
  'Deleting the account deletes the user''s letters.'
);

select * from finish();
rollback;
