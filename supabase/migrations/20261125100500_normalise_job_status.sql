-- jobs.status was free text: the app sends Title Case ('Applied'), older versions
-- lowercase, the spec's examples say 'interview'. Funnel analytics and the dashboard
-- need one vocabulary, so status becomes one of eight lowercase pipeline values,
-- enforced by a named CHECK. A trigger normalises what clients send (trim, lowercase,
-- obvious synonyms); existing rows are migrated. A row whose status means nothing we
-- know is archived as it was and placed at 'applied' when it has a date_applied,
-- else at 'bookmarked'.

create or replace function private.normalise_job_status(value text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case pg_catalog.lower(pg_catalog.regexp_replace(pg_catalog.btrim(value), '[[:space:]_-]+', ' ', 'g'))
    when 'bookmarked' then 'bookmarked'
    when 'bookmark' then 'bookmarked'
    when 'saved' then 'bookmarked'
    when 'wishlist' then 'bookmarked'
    when 'interested' then 'bookmarked'
    when 'applying' then 'applying'
    when 'in progress' then 'applying'
    when 'preparing' then 'applying'
    when 'applied' then 'applied'
    when 'submitted' then 'applied'
    when 'application submitted' then 'applied'
    when 'interviewing' then 'interviewing'
    when 'interview' then 'interviewing'
    when 'interviews' then 'interviewing'
    when 'interviewed' then 'interviewing'
    when 'phone screen' then 'interviewing'
    when 'screening' then 'interviewing'
    when 'negotiating' then 'negotiating'
    when 'negotiation' then 'negotiating'
    when 'offer' then 'negotiating'
    when 'offered' then 'negotiating'
    when 'offer received' then 'negotiating'
    when 'accepted' then 'accepted'
    when 'hired' then 'accepted'
    when 'offer accepted' then 'accepted'
    when 'rejected' then 'rejected'
    when 'rejection' then 'rejected'
    when 'not selected' then 'rejected'
    when 'withdrawn' then 'withdrawn'
    when 'withdrew' then 'withdrawn'
    when 'withdraw' then 'withdrawn'
    else pg_catalog.lower(pg_catalog.btrim(value))
  end
$$;
revoke execute on function private.normalise_job_status(text) from public, anon, authenticated;
comment on function private.normalise_job_status(text) is
  'Maps a status spelling or synonym to one of the eight pipeline values; unknown values come back lowercased so the CHECK rejects them.';

-- Security definer only so that the trigger can call the private mapping function
-- without granting the API roles usage on schema private; it touches nothing but NEW.
create or replace function private.normalise_job()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  new.status := private.normalise_job_status(new.status);
  return new;
end;
$$;
revoke execute on function private.normalise_job() from public, anon, authenticated;

create trigger normalise_job_status
  before insert or update of status on public.jobs
  for each row execute function private.normalise_job();

alter table public.jobs disable trigger update_jobs_updated_at;

do $$
declare
  archived integer;
  normalised integer;
begin
  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select j.user_id, 'jobs.status', pg_catalog.to_jsonb(j),
         pg_catalog.format('status %L is not a pipeline status; set to %s', j.status,
                           case when j.date_applied is not null then 'applied' else 'bookmarked' end)
    from public.jobs j
   where private.normalise_job_status(j.status) not in
         ('bookmarked', 'applying', 'applied', 'interviewing', 'negotiating', 'accepted', 'rejected', 'withdrawn');
  get diagnostics archived = row_count;

  update public.jobs j
     set status = case
           when private.normalise_job_status(j.status) in
                ('bookmarked', 'applying', 'applied', 'interviewing', 'negotiating', 'accepted', 'rejected', 'withdrawn')
             then private.normalise_job_status(j.status)
           when j.date_applied is not null then 'applied'
           else 'bookmarked'
         end
   where j.status is distinct from private.normalise_job_status(j.status)
      or private.normalise_job_status(j.status) not in
         ('bookmarked', 'applying', 'applied', 'interviewing', 'negotiating', 'accepted', 'rejected', 'withdrawn');
  get diagnostics normalised = row_count;

  raise notice 'jobs.status: % rows normalised, % unknown statuses archived', normalised, archived;
end
$$;

alter table public.jobs enable trigger update_jobs_updated_at;

alter table public.jobs
  add constraint jobs_status_check
  check (status in ('bookmarked', 'applying', 'applied', 'interviewing', 'negotiating', 'accepted', 'rejected', 'withdrawn'));

-- A job saved without a status (the extension's quick save) starts in the pipeline.
alter table public.jobs alter column status set default 'bookmarked';
