-- search_jobs at the caps: the search index holds stored keys (job_search_documents.keys,
-- written with each document), so neither the index nor its recheck recomputes a job's
-- keys from its document; ranking reads rank_document, the posting's head (title,
-- company, location, the first 2,000 characters of the description), so its cost per
-- candidate does not grow with the description; matching still covers the whole document.
begin;
select plan(11);

insert into auth.users (id, email, aud, role) values
  ('65000000-0000-4000-8000-000000000001', 'owner@caps-search.test', 'authenticated', 'authenticated');

insert into public.jobs (id, user_id, job_title, company, location, status, description) values
  ('65000000-0000-4000-8000-00000000a001', '65000000-0000-4000-8000-000000000001', 'Platform Engineer', 'Initech', 'Oslo', 'applied',
   pg_catalog.repeat('Deploy services and keep them running. ', 70) || 'Zebrafish research wanted.'),
  ('65000000-0000-4000-8000-00000000a002', '65000000-0000-4000-8000-000000000001', 'Zebrafish Biologist', 'Umbrella', 'Bergen', 'applied',
   'Lab work.');

select ok(
  (select pg_catalog.bool_and(d.keys = private.job_search_keys(d.user_id, d.document))
     from public.job_search_documents d where d.user_id = '65000000-0000-4000-8000-000000000001'),
  'Inserted jobs store their search keys with their document.');

update public.jobs set job_title = 'Kubernetes Engineer' where id = '65000000-0000-4000-8000-00000000a001';
select ok(
  (select d.keys = private.job_search_keys(d.user_id, d.document) and d.keys::text like '%kubernet%'
     from public.job_search_documents d where d.job_id = '65000000-0000-4000-8000-00000000a001'),
  'An updated job stores its new keys.');

select is(
  (select pg_catalog.pg_get_indexdef(i.indexrelid) from pg_catalog.pg_index i
    where i.indexrelid = 'public.idx_job_search_documents_keys'::regclass),
  'CREATE INDEX idx_job_search_documents_keys ON public.job_search_documents USING gin (keys) WITH (fastupdate=''on'')',
  'The search index holds the stored keys, not an expression computed from each document.');

select ok(
  (select p.prosrc not like '%job_search_keys%' from pg_catalog.pg_proc p
    where p.oid = 'private.job_search_page(tsquery, tsquery, tsquery, text, text[], real, uuid, integer)'::regprocedure),
  'job_search_page never recomputes keys (its statements read the stored column).');

select ok(
  (select pg_catalog.length(d.document) > pg_catalog.length(d.rank_document)
          and not d.rank_document @@ 'zebrafish'::tsquery and d.document @@ 'zebrafish'::tsquery
     from public.job_search_documents d where d.job_id = '65000000-0000-4000-8000-00000000a001'),
  'The rank document stops after 2,000 characters of the description; the search document does not.');

select ok(
  (select d.rank_document = d.document
     from public.job_search_documents d where d.job_id = '65000000-0000-4000-8000-00000000a002'),
  'A short posting is ranked by its whole document.');

select tests.authenticate_as('65000000-0000-4000-8000-000000000001');
select is(
  (select pg_catalog.jsonb_agg(j ->> 'job_title' order by (j ->> 'rank')::real desc)
     from pg_catalog.jsonb_array_elements(public.search_jobs('zebrafish') -> 'jobs') j),
  '["Zebrafish Biologist", "Kubernetes Engineer"]'::jsonb,
  'A word beyond the ranked head still finds its job, ranked below a title match.');
select is(
  public.search_jobs('engineer -zebrafish') -> 'jobs',
  '[]'::jsonb,
  'A -word is excluded wherever the posting has it, also beyond the ranked head (answered from the stored keys).');
select is(
  (select pg_catalog.jsonb_agg(j ->> 'job_title') from pg_catalog.jsonb_array_elements(public.search_jobs('engineer -biologist') -> 'jobs') j),
  '["Kubernetes Engineer"]'::jsonb,
  'A -word the posting lacks excludes nothing.');
select is(
  (select (public.search_jobs('zebrafish') -> 'jobs' -> 1 ->> 'rank')::real),
  0::real,
  'A match only beyond the head ranks 0.');
select throws_ok(
  $$update public.job_search_documents set keys = ''::tsvector$$,
  '42501', null,
  'The stored keys are not the API''s to write (the table is read-only to it).');
select tests.clear_authentication();


select * from finish();
rollback;
