-- Why: the tables and counters the previous migration created start empty, but a v2.0
-- database already holds jobs and rows of every capped table. Each existing job starts
-- its status history at its current status, dated at its creation. Then what is over a
-- per-user row cap today is archived whole in private.legacy_profile_entries (source
-- `<table>.rows_per_user`, with the rows that would cascade with it) and removed: per
-- owner (and UTC day for ai_events) the newest rows stay, for user_profile the oldest,
-- the one the RPCs read. The jobs kept get their search documents, and every per-user row
-- counter is counted from the tables.

insert into public.job_status_events (job_id, user_id, from_status, to_status, changed_at)
select j.id, j.user_id, null, j.status, coalesce(j.created_at, now())
  from public.jobs j;

do $$
declare
  q record;
  moved integer;
begin
  for q in select * from private.row_quotas order by table_name loop
    execute pg_catalog.format(
      $sql$
      with ranked as (
        select a.id, a.user_id,
               row_number() over (partition by a.user_id, %2$s
                                  order by a.%5$I %6$s nulls last, a.id %6$s) as n
          from public.%1$I a
      ), over_cap as (
        delete from public.%1$I a using ranked r
         where r.id = a.id and r.n > %3$s
        returning a.*
      )
      insert into private.legacy_profile_entries (user_id, source, entry, reason)
      select o.user_id, %4$L,
             to_jsonb(o) || case %1$L
               when 'jobs' then pg_catalog.jsonb_build_object(
                 'job_status_events', (select coalesce(jsonb_agg(to_jsonb(e)), '[]') from public.job_status_events e where e.job_id = o.id),
                 'cover_letters', (select coalesce(jsonb_agg(to_jsonb(c)), '[]') from public.cover_letters c where c.job_id = o.id))
               when 'generated_resumes' then pg_catalog.jsonb_build_object(
                 'generated_resume_versions', (select coalesce(jsonb_agg(to_jsonb(v)), '[]') from public.generated_resume_versions v where v.generated_resume_id = o.id))
               else '{}'::jsonb end,
             'more than the ' || %3$s || ' rows one user may keep in ' || %1$L || '; the others were kept'
        from over_cap o
      $sql$, q.table_name, private.row_quota_scope_sql(q.table_name, 'a'), q.max_rows,
             q.table_name || '.rows_per_user',
             case when q.table_name = 'job_status_events' then 'changed_at' else 'created_at' end,
             -- The profile the RPCs have been reading is the oldest: keep that one.
             case when q.table_name = 'user_profile' then 'asc' else 'desc' end);
    get diagnostics moved = row_count;
    if moved > 0 then
      raise notice '%: % row(s) over the per-user cap of % archived to private.legacy_profile_entries and removed',
        q.table_name, moved, q.max_rows;
    end if;
  end loop;
end
$$;

insert into public.job_search_documents (job_id, user_id, document, title_company)
select j.id, j.user_id, private.job_search_document(j.job_title, j.company, j.location, j.description),
       j.job_title || ' ' || j.company
  from public.jobs j;

-- Rows written before the counting triggers existed (and the history just backfilled).
select private.recount_row_quota_usage();
