-- Owner columns default to the caller, so a client never sends its own id: every
-- public table with a user_id column defaults it to auth.uid() (derived from the
-- catalog, so a new owner table without the default fails here), an insert through the
-- API role without user_id stores the caller's id, and a forged user_id is still refused.
begin;
select plan(17);

select is(
  (select coalesce(array_agg(c.relname::text order by c.relname), '{}')
     from pg_attribute a
     join pg_class c on c.oid = a.attrelid
     join pg_namespace n on n.oid = c.relnamespace
     left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where n.nspname = 'public' and c.relkind = 'r' and a.attname = 'user_id' and not a.attisdropped
      and pg_get_expr(d.adbin, d.adrelid) is distinct from 'auth.uid()'),
  '{}'::text[],
  'Every public table with a user_id column defaults it to auth.uid().'
);

select col_default_is('public', t, 'user_id', 'auth.uid()', format('public.%s.user_id defaults to auth.uid().', t))
  from unnest(array['ai_events', 'cover_letters', 'generated_resumes', 'job_status_events', 'jobs', 'resume_builder_data',
                    'resumes', 'user_education', 'user_languages', 'user_profile', 'user_skills', 'user_work_experience',
                    'wizard_sessions']) as t;

select tests.create_supabase_user('owner', 'owner@defaults.test', '11111111-1111-4111-8111-1111111100aa');
select tests.create_supabase_user('stranger', 'stranger@defaults.test', '22222222-2222-4222-8222-2222222200aa');

select tests.authenticate_as('owner');

insert into public.jobs (job_title, company, status) values ('Defaults Engineer', 'Default Co', 'applied');
select is(
  (select user_id from public.jobs where job_title = 'Defaults Engineer'),
  '11111111-1111-4111-8111-1111111100aa'::uuid,
  'A job inserted through the API role without user_id belongs to the caller.'
);

select throws_ok(
  $$insert into public.jobs (user_id, job_title, company, status)
    values ('22222222-2222-4222-8222-2222222200aa', 'Forged', 'Forged Co', 'applied')$$,
  '42501', null,
  'A job naming another user as its owner is still refused (42501).'
);

select tests.clear_authentication();
select throws_ok(
  $$insert into public.jobs (job_title, company, status) values ('No caller', 'Nobody', 'applied')$$,
  '23502', null,
  'Without a caller (no auth.uid()) a row must name its owner: not null refuses it.'
);

select * from finish();
rollback;
