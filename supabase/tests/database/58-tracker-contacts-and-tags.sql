-- Contacts, their links to jobs, tags and tracker settings. Threats covered: linking
-- another user's contact, job or tag; moving a link to another job; two tags of one name;
-- malformed emails, links and time zones; sizes past their bounds; the row caps.
begin;
select plan(14);

select tests.create_supabase_user('owner');
select tests.create_supabase_user('stranger');
insert into public.jobs (id, user_id, job_title, company, status) values
  ('c8000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), 'Engineer', 'Acme', 'applied'),
  ('c8000000-0000-4000-8000-000000000002', tests.get_supabase_uid('stranger'), 'Secret', 'Stranger Corp', 'applied');
insert into public.contacts (id, user_id, name) values
  ('c8000000-0000-4000-8000-000000000012', tests.get_supabase_uid('stranger'), 'Sam Stranger');
insert into public.tags (id, user_id, name) values ('c8000000-0000-4000-8000-000000000022', tests.get_supabase_uid('stranger'), 'theirs');

select tests.authenticate_as('owner');
insert into public.contacts (id, name, email, company, role, profile_url)
values ('c8000000-0000-4000-8000-000000000011', 'Rita Recruiter', 'rita@acme.test', 'Acme', 'Talent partner', 'https://www.linkedin.com/in/rita');
insert into public.job_contacts (job_id, contact_id, part) values ('c8000000-0000-4000-8000-000000000001', 'c8000000-0000-4000-8000-000000000011', 'recruiter');
select results_eq($$select c.name, jc.part from public.job_contacts jc join public.contacts c on c.id = jc.contact_id$$,
  $$values ('Rita Recruiter', 'recruiter')$$, 'The owner links their contact to their job with a part.');
select throws_ok($$insert into public.job_contacts (job_id, contact_id, part) values ('c8000000-0000-4000-8000-000000000001', 'c8000000-0000-4000-8000-000000000012', 'referrer')$$,
  '42501', null, 'Another user''s contact cannot be linked.');
select throws_ok($$insert into public.job_contacts (job_id, contact_id, part) values ('c8000000-0000-4000-8000-000000000002', 'c8000000-0000-4000-8000-000000000011', 'referrer')$$,
  '42501', null, 'Nor can the owner''s contact be linked to another user''s job.');
select throws_ok($$update public.job_contacts set job_id = 'c8000000-0000-4000-8000-000000000002'$$, '42501', null, 'A link cannot be moved.');
select throws_ok($$insert into public.contacts (name, email) values ('No At', 'rita.acme.test')$$, '23514', null, 'An email without @ is refused.');
select throws_ok($$insert into public.contacts (name, profile_url) values ('Bad Link', 'javascript:alert(1)')$$, '23514', null, 'A profile link must be http(s).');
select throws_ok($$insert into public.contacts (name, notes) values ('Long', repeat('x', 20001))$$, '23514', null, 'Notes over 20 KB are refused.');

insert into public.tags (id, name) values ('c8000000-0000-4000-8000-000000000021', 'Remote');
select throws_ok($$insert into public.tags (name) values ('remote')$$, '23505', null, 'Two tags of one name (in any case) are refused.');
insert into public.job_tags (job_id, tag_id) values ('c8000000-0000-4000-8000-000000000001', 'c8000000-0000-4000-8000-000000000021');
select is((select count(*)::int from public.job_tags), 1, 'The owner tags their job.');
select throws_ok($$insert into public.job_tags (job_id, tag_id) values ('c8000000-0000-4000-8000-000000000001', 'c8000000-0000-4000-8000-000000000022')$$,
  '42501', null, 'Another user''s tag cannot be put on a job.');

select throws_ok($$insert into public.tracker_settings (time_zone) values ('Berlin')$$, '22023', null, 'Settings take an IANA time zone only.');
insert into public.tracker_settings (follow_up_days) values (10);
select throws_ok($$insert into public.tracker_settings (follow_up_days) values (5)$$, '23505', null, 'One settings row per user.');

-- Row caps: contacts are capped per user like every table clients fill.
select tests.clear_authentication();
select is((select max_rows from private.row_quotas where table_name = 'contacts'), 5000, 'Contacts are capped at 5,000 per user.');
update private.row_quotas set max_rows = 2 where table_name = 'tags';
select tests.authenticate_as('owner');
insert into public.tags (name) values ('Second');
select throws_ok($$insert into public.tags (name) values ('Third')$$, '23514', null, 'A tag past the per-user cap is refused (23514).');

select * from finish();
rollback;
