-- Bulk import: a user moving from another tracker sends all their jobs in one request
-- (supabase-js insert([...]) of 5,000 rows: one INSERT ... SELECT FROM
-- json_populate_recordset, as PostgREST runs it). Threats covered: a job without its
-- status history or search document, a document or history row written for the wrong
-- job or owner, a salary read differently in bulk than one by one, quota counters that
-- drift or let a bulk insert cross the cap half-way, an upsert's updated rows mistaken
-- for inserted ones. The history and search documents are written once per statement
-- from the transition table (the per-row triggers cost most of a 5,000-row insert; the
-- bench part bulk-import times it), so this file also pins that they are statement-level.
begin;
select plan(17);

do $$
begin
  perform tests.create_supabase_user('importer', 'importer@bulk.test');
  perform tests.create_supabase_user('holder', 'holder@bulk.test');
end
$$;

-- 5,000 realistic rows as a client sends them: status in the other tracker's spelling,
-- salary as free text (some readable, some not), a description of a few paragraphs.
create temp table payload on commit drop as
select json_agg(json_build_object(
         'job_title', (array['Backend Engineer', 'Senior Data Scientist', 'Product Designer', 'Site Reliability Engineer',
                             'Engineering Manager'])[1 + g % 5] || ' ' || g,
         'company', (array['Acme Robotics', 'Nimbus Labs', 'Granite Cloud', 'Quartz Media', 'Zephyr Aerospace',
                           'Orchid Biotech', 'Lumen Maps'])[1 + g % 7],
         'location', (array['Remote', 'Berlin, Germany', 'New York, NY', 'London, UK', null])[1 + g % 5],
         'salary', (array['$120,000 - $150,000', '€60k–70k', '£45,000 per annum', 'competitive', '$50/hr', null,
                          '120-150k USD', 'USD 90,000 - 110,000 + 15% bonus'])[1 + g % 8],
         'job_url', 'https://jobs.example.com/imported/' || g,
         'status', (array['Applied', 'saved', 'Interviewing', 'Rejected', 'Offer', 'bookmarked', 'Withdrawn',
                          'phone screen', 'applying', 'Hired'])[1 + g % 10],
         'excitement_level', g % 6,
         'date_applied', case when g % 2 = 0 then date '2026-10-01' + g % 30 end,
         'description', 'We build ' || (array['distributed systems', 'payment rails', 'weather models'])[1 + g % 3]
           || ' for customers in ' || (array['Europe', 'Asia', 'America'])[1 + g % 3] || E'.\n\n'
           || repeat('You will own services end to end, review code, mentor engineers and keep latency low. ', 1 + g % 6)
           || 'Reference token importcode' || g || '.'
       )) as body
  from generate_series(1, 5000) g;
grant select on payload to authenticated;

select ok(
  (select bool_and(t.tgtype & 1 = 0 and t.tgnewtable is not null)
     from pg_trigger t
    where t.tgrelid = 'public.jobs'::regclass
      and t.tgname in ('record_job_status_on_insert', 'sync_job_search_document_on_insert'))
  and (select count(*) from pg_trigger t where t.tgrelid = 'public.jobs'::regclass
          and t.tgname in ('record_job_status_on_insert', 'sync_job_search_document_on_insert')) = 2,
  'The status history and search documents of inserted jobs are written once per statement, from its transition table'
);

select tests.authenticate_as('importer');
select lives_ok(
  $$insert into public.jobs (job_title, company, location, salary, job_url, status, excitement_level, date_applied, description)
    select job_title, company, location, salary, job_url, status, excitement_level, date_applied, description
      from json_populate_recordset(null::public.jobs, (select body from payload))$$,
  'A user inserts 5,000 jobs in one statement'
);
select tests.clear_authentication();

create temp table imported on commit drop as
select * from public.jobs where user_id = tests.get_supabase_uid('importer');

select is((select count(*)::int from imported), 5000, 'All 5,000 jobs are stored');
select is_empty(
  $$select j.id from imported j
     where (select count(*) from public.job_status_events e where e.job_id = j.id) <> 1
        or not exists (select 1 from public.job_status_events e
                        where e.job_id = j.id and e.user_id = j.user_id and e.from_status is null
                          and e.to_status = j.status and e.changed_at = now())$$,
  'Each imported job has exactly one status-history row: from nothing to its (normalised) status, now, for its owner'
);
select is((select count(*)::int from public.job_status_events where user_id = tests.get_supabase_uid('importer')), 5000,
  'and there are no others');
select is_empty(
  $$select j.id from imported j left join public.job_search_documents d on d.job_id = j.id
     where d.job_id is null or d.user_id <> j.user_id
        or d.document <> private.job_search_document(j.job_title, j.company, j.location, j.description)
        or d.title_company <> j.job_title || ' ' || j.company$$,
  'Each imported job has its search document, exactly as a single insert writes it'
);
select is((select count(*)::int from public.job_search_documents where user_id = tests.get_supabase_uid('importer')), 5000,
  'and there are no others');
select is_empty(
  $$select j.id from imported j cross join lateral private.read_salary(j.salary) r
     where j.salary is not null
       and (j.salary_min, j.salary_max, j.salary_currency, j.salary_period)
           is distinct from (r.salary_min, r.salary_max, r.salary_currency, r.salary_period)$$,
  'Every salary text is read as private.read_salary reads it alone'
);
select is((select count(*)::int from imported where salary_currency is not null), 3125,
  'the readable ones filled (5 of the 8 spellings, 625 rows each), the others left empty');
select results_eq(
  $$select status::text, count(*)::int from imported group by status order by status$$,
  $$values ('accepted', 500), ('applied', 500), ('applying', 500), ('bookmarked', 1000), ('interviewing', 1000),
           ('negotiating', 500), ('rejected', 500), ('withdrawn', 500)$$,
  'Statuses are normalised row by row (Offer → negotiating, phone screen → interviewing, Hired → accepted)'
);
select is_empty(
  $$select id from imported
     where (status = 'applied' and follow_up_at is distinct from now() + interval '7 days')
        or (status <> 'applied' and status in ('accepted', 'rejected', 'withdrawn') and follow_up_at is not null)
        or excitement_level = 0$$,
  'Follow-ups are set for applied jobs, and excitement 0 is stored as unset, as for a single insert'
);
select results_eq(
  $$select scope, used from private.row_quota_usage
     where user_id = tests.get_supabase_uid('importer') and scope in ('jobs', 'job_status_events') order by scope$$,
  $$values ('job_status_events'::text, 5000), ('jobs', 5000)$$,
  'The quota counters hold exactly 5,000 jobs and 5,000 history rows'
);

select tests.authenticate_as('importer');
select throws_ok(
  $$insert into public.jobs (job_title, company, status) values ('One too many', 'Cap Co', 'applied')$$,
  '23514', 'This account already holds the most jobs rows it may keep (5000).',
  'The 5,001st job is refused'
);
select tests.authenticate_as('holder');
insert into public.jobs (job_title, company, status) values ('Already here', 'Holder Co', 'applied');
select throws_ok(
  $$insert into public.jobs (job_title, company, location, salary, job_url, status, excitement_level, date_applied, description)
    select job_title, company, location, salary, job_url, status, excitement_level, date_applied, description
      from json_populate_recordset(null::public.jobs, (select body from payload))$$,
  '23514', null,
  'A 5,000-row import into an account that holds a job would cross the cap: refused'
);
select tests.clear_authentication();
select is(
  (select count(*)::int from public.jobs where user_id = tests.get_supabase_uid('holder'))
  + (select count(*)::int from public.job_status_events where user_id = tests.get_supabase_uid('holder'))
  + (select count(*)::int from public.job_search_documents where user_id = tests.get_supabase_uid('holder')),
  3, 'as a whole: the account keeps its one job, its history and its document, and nothing of the import'
);

-- An upsert (supabase-js upsert): the conflicting row takes the update path (its change
-- is recorded once, by the row trigger), only the new row is in the insert's transition table.
select tests.authenticate_as('holder');
insert into public.jobs (id, job_title, company, status)
select coalesce((select id from public.jobs where job_title = 'Already here'), gen_random_uuid()), 'Already here', 'Holder Co', 'interviewing'
union all
select 'bbbbbbbb-0000-4000-8000-00000000b001', 'Upserted new', 'Holder Co', 'bookmarked'
on conflict (id) do update set status = excluded.status;
select tests.clear_authentication();
select results_eq(
  $$select j.job_title, e.from_status, e.to_status
      from public.job_status_events e join public.jobs j on j.id = e.job_id
     where e.user_id = tests.get_supabase_uid('holder') order by j.job_title, e.from_status nulls first$$,
  $$values ('Already here'::varchar, null::text, 'applied'::text), ('Already here', 'applied', 'interviewing'),
           ('Upserted new', null, 'bookmarked')$$,
  'An upsert records the updated row''s change once and the inserted row''s status once'
);
select is((select count(*)::int from public.job_search_documents where user_id = tests.get_supabase_uid('holder')), 2,
  'and each job of the upsert has one search document');

select * from finish();
rollback;
