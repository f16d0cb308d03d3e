-- export_my_data leaves out what is derived (issue 22, finding 6): the search documents
-- are rebuilt from the jobs, which the export holds; at the 5,000-job cap they made the
-- export too large for one JSON document (291 MB of 440 MB).
begin;
select plan(3);

select tests.create_supabase_user('exporter');
insert into public.jobs (user_id, job_title, company, description)
values (tests.get_supabase_uid('exporter'), 'Engineer', 'Acme', repeat('kubernetes ', 100));
select tests.authenticate_as('exporter');

select is(jsonb_array_length(public.export_my_data() -> 'tables' -> 'jobs'), 1, 'The export holds the job.');
select ok(not (public.export_my_data() -> 'tables' ? 'job_search_documents'), 'The export leaves out the derived search documents.');
select tests.clear_authentication();
select ok(
  exists (select 1 from private.export_exclusions where table_name = 'public.job_search_documents'::regclass and reason ~ 'Derived'),
  'The exclusion is listed with its reason.'
);

select * from finish();
rollback;
