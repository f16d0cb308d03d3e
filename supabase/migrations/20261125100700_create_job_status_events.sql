-- Funnel analytics need to know when a job moved between statuses, which jobs.status
-- alone forgets. Every insert and every status change appends a row here, written by
-- trigger so no client can forge or skip one. Users read their own history only.

create table public.job_status_events (
  id uuid primary key default gen_random_uuid(),
  job_id uuid not null references public.jobs (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  from_status text,
  to_status text not null,
  changed_at timestamptz not null default now(),
  constraint job_status_events_from_status_check check (from_status in
    ('bookmarked', 'applying', 'applied', 'interviewing', 'negotiating', 'accepted', 'rejected', 'withdrawn')),
  constraint job_status_events_to_status_check check (to_status in
    ('bookmarked', 'applying', 'applied', 'interviewing', 'negotiating', 'accepted', 'rejected', 'withdrawn'))
);
create index idx_job_status_events_job_changed on public.job_status_events (job_id, changed_at);
create index idx_job_status_events_user_changed on public.job_status_events (user_id, changed_at desc);

alter table public.job_status_events enable row level security;

create policy "Users can view the status history of their own jobs" on public.job_status_events
  for select to authenticated using ((select auth.uid()) = user_id);

revoke all on public.job_status_events from anon, authenticated;
grant select on public.job_status_events to authenticated;
grant all on public.job_status_events to service_role;

-- Security definer: the API roles have no INSERT on job_status_events, on purpose.
create or replace function private.record_job_status_event()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.job_status_events (job_id, user_id, from_status, to_status)
  values (new.id, new.user_id, case when tg_op = 'UPDATE' then old.status end, new.status);
  return null;
end;
$$;
revoke execute on function private.record_job_status_event() from public, anon, authenticated;

create trigger record_job_status_on_insert
  after insert on public.jobs
  for each row execute function private.record_job_status_event();
create trigger record_job_status_on_change
  after update of status on public.jobs
  for each row when (old.status is distinct from new.status)
  execute function private.record_job_status_event();

-- Existing jobs start their history at their current status, dated at creation.
insert into public.job_status_events (job_id, user_id, from_status, to_status, changed_at)
select j.id, j.user_id, null, j.status, coalesce(j.created_at, now())
  from public.jobs j;
