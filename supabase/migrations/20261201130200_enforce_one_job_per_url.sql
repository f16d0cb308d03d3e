-- Why: "one job per URL per user" was enforced only by an advisory lock in the AI
-- function that saves postings, so a direct PostgREST or SQL insert could store the same
-- posting twice. A unique partial index on (user_id, job_url) makes it a rule of the
-- table: a second job with the same job_url for the same user is refused with 23505
-- (PostgREST: 409), and the function relies on it (insert ... on conflict).
--
-- Existing duplicates are settled first: per user and job_url the oldest job is kept
-- (created_at, then id). Every later one is archived whole to
-- private.legacy_profile_entries (source 'jobs.job_url', with its status history and the
-- id of the job kept), its cover letters move to the kept job, and it is removed (its
-- status history goes with it, as it is in the archive). A NOTICE prints the counts.

do $$
declare
  archived integer;
  letters_moved integer;
begin
  create temporary table duplicate_jobs on commit drop as
  select ranked.id, ranked.kept_id
    from (select j.id,
                 pg_catalog.first_value(j.id) over owner_url as kept_id,
                 pg_catalog.row_number() over owner_url as position
            from public.jobs j
           where j.job_url is not null
          window owner_url as (partition by j.user_id, j.job_url order by j.created_at nulls last, j.id)) ranked
   where ranked.position > 1;

  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select j.user_id, 'jobs.job_url',
         pg_catalog.to_jsonb(j) || pg_catalog.jsonb_build_object(
           'kept_job_id', d.kept_id,
           'status_events', coalesce((select pg_catalog.jsonb_agg(pg_catalog.to_jsonb(e) order by e.changed_at, e.id)
                                        from public.job_status_events e where e.job_id = j.id), '[]'::jsonb)),
         'a later job with the same job_url as an older job of the same user; the oldest (kept_job_id) was kept'
    from public.jobs j
    join duplicate_jobs d on d.id = j.id;
  get diagnostics archived = row_count;

  update public.cover_letters c
     set job_id = d.kept_id
    from duplicate_jobs d
   where c.job_id = d.id;
  get diagnostics letters_moved = row_count;

  delete from public.jobs j using duplicate_jobs d where j.id = d.id;

  raise notice 'jobs: % duplicate job(s) per (user_id, job_url) archived to private.legacy_profile_entries (source jobs.job_url), % cover letter(s) moved to the job kept',
    archived, letters_moved;
end
$$;

create unique index jobs_one_per_user_and_url on public.jobs (user_id, job_url) where job_url is not null;

comment on index public.jobs_one_per_user_and_url is
  'One job per URL per user: a second job with the same job_url is refused (23505, PostgREST 409).';
