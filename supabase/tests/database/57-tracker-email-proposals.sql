-- Email proposals and their confirmation. Threats covered: a proposal naming another
-- user's job, a client marking a proposal confirmed without applying it, confirming
-- twice or someone else's proposal, a confirmation doing more than the owner could do.
begin;
select plan(13);

select tests.create_supabase_user('owner');
select tests.create_supabase_user('stranger');
insert into public.jobs (id, user_id, job_title, company, status) values
  ('c7000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), 'Engineer', 'Acme', 'interviewing'),
  ('c7000000-0000-4000-8000-000000000002', tests.get_supabase_uid('stranger'), 'Secret', 'Stranger Corp', 'applied');
insert into public.contacts (id, user_id, name, email) values
  ('c7000000-0000-4000-8000-000000000011', tests.get_supabase_uid('owner'), 'Rita R.', 'Rita@Acme.test');

select tests.authenticate_as('owner');
select throws_ok(
  $$insert into public.email_proposals (email_kind, summary, job_id) values ('offer', 'x', 'c7000000-0000-4000-8000-000000000002')$$,
  '42501', null, 'A proposal about another user''s job is refused by RLS.');
select throws_ok(
  $$insert into public.email_proposals (email_kind, summary, job_id, state, decided_at) values ('offer', 'x', 'c7000000-0000-4000-8000-000000000001', 'confirmed', now())$$,
  '42501', null, 'A proposal cannot be written as already confirmed.');
select throws_ok(
  $$insert into public.email_proposals (email_kind, summary) values ('offer', 'x')$$,
  '23514', null, 'A proposal names a job or a new one.');

insert into public.email_proposals (id, email_kind, summary, job_id, proposed_status, closing_reason, contact_name, contact_email, contact_part)
values ('c7000000-0000-4000-8000-000000000021', 'rejection', 'Acme says no after the interview.', 'c7000000-0000-4000-8000-000000000001',
        'rejected', 'rejected_after_interview', 'Rita Recruiter', 'rita@acme.test', 'recruiter');
select throws_ok($$update public.email_proposals set state = 'confirmed'$$, '42501', null, 'A client cannot decide a proposal by updating it.');
select is(public.confirm_email_proposal('c7000000-0000-4000-8000-000000000021') - 'status',
  '{"job_id": "c7000000-0000-4000-8000-000000000001", "interview_id": null, "contact_id": "c7000000-0000-4000-8000-000000000011"}'::jsonb,
  'Confirming a rejection finds the contact by email (in any case) instead of adding a second one.');
select results_eq($$select status::text, closing_reason from public.jobs where id = 'c7000000-0000-4000-8000-000000000001'$$,
  $$values ('rejected', 'rejected_after_interview')$$, 'The job is rejected with the proposed reason.');
select results_eq($$select part from public.job_contacts where job_id = 'c7000000-0000-4000-8000-000000000001'$$,
  $$values ('recruiter')$$, 'The contact is linked to the job in their part.');
select results_eq($$select state, decided_at is not null from public.email_proposals where id = 'c7000000-0000-4000-8000-000000000021'$$,
  $$values ('confirmed', true)$$, 'The proposal is marked confirmed.');
select throws_ok($$select public.confirm_email_proposal('c7000000-0000-4000-8000-000000000021')$$, 'PT409', null, 'Confirming twice is 409.');

insert into public.email_proposals (id, email_kind, summary, new_job_title, new_job_company, proposed_status, interview_starts_at, interview_time_zone, interview_kind)
values ('c7000000-0000-4000-8000-000000000022', 'interview_invitation', 'Globex invites you.', 'Analyst', 'Globex', 'interviewing',
        '2027-03-29 08:00+00', 'Europe/Berlin', 'hr');
create temp table outcome as select public.confirm_email_proposal('c7000000-0000-4000-8000-000000000022') as doc;
select results_eq(
  $$select j.job_title::text, j.company::text, j.status::text, i.starts_at, i.time_zone from outcome o
      join public.jobs j on j.id = (o.doc ->> 'job_id')::uuid join public.interviews i on i.id = (o.doc ->> 'interview_id')::uuid$$,
  $$values ('Analyst', 'Globex', 'interviewing', '2027-03-29 08:00+00'::timestamptz, 'Europe/Berlin')$$,
  'A proposal for a new job creates it, as the owner''s, with its interview.');

select tests.authenticate_as('stranger');
select throws_ok($$select public.confirm_email_proposal('c7000000-0000-4000-8000-000000000022')$$, 'PT404', null,
  'A stranger confirming the owner''s proposal gets 404.');
select throws_ok($$select public.dismiss_email_proposal('c7000000-0000-4000-8000-000000000022')$$, 'PT404', null,
  'Nor can they dismiss it.');
select tests.authenticate_as_anon();
select throws_ok($$select public.confirm_email_proposal('c7000000-0000-4000-8000-000000000022')$$, '42501', null, 'anon cannot confirm.');

select * from finish();
rollback;
