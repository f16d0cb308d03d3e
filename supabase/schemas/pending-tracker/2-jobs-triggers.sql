-- Moves into 20_jobs.sql (triggers on jobs). The functions they call that touch tracker
-- tables (private.freeze_job_materials, private.tracker_settings_of, private.read_salary)
-- live in 70_tracker.sql.

-- The structured salary follows the text: a new or changed salary text is read again
-- (private.read_salary), unless the same statement sets the structured fields itself.
create function private.read_job_salary()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  found record;
begin
  if tg_op = 'INSERT' then
    if new.salary is null
       or num_nonnulls(new.salary_min, new.salary_max, new.salary_currency, new.salary_period) > 0 then
      return new;
    end if;
  elsif new.salary is not distinct from old.salary
        or (new.salary_min, new.salary_max, new.salary_currency, new.salary_period)
           is distinct from (old.salary_min, old.salary_max, old.salary_currency, old.salary_period) then
    return new;
  end if;
  select * into found from private.read_salary(new.salary);
  new.salary_min := found.salary_min;
  new.salary_max := found.salary_max;
  new.salary_currency := found.salary_currency;
  new.salary_period := found.salary_period;
  return new;
end
$$;
comment on function private.read_job_salary() is
  'Trigger: fills jobs.salary_min/max/currency/period from a new salary text (nulls when it cannot be read one way), unless the statement sets them.';
revoke all on function private.read_job_salary() from public, anon, authenticated, service_role;
create trigger read_job_salary before insert or update of salary, salary_min, salary_max, salary_currency, salary_period
  on public.jobs for each row execute function private.read_job_salary();

-- What a status change means for the tracker (runs after normalise_job_status, by name):
--   * moving to applied without a follow-up sets one follow_up_days later; closing a job
--     (accepted, rejected, withdrawn) clears it;
--   * a job that leaves rejected/withdrawn loses its closing reason;
--   * first_response_at is the database's: the first status change after applied.
-- Definer for private.tracker_settings_of (the owner's settings, whoever writes).
create function private.track_application_progress()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    new.first_response_at := null;
  else
    new.first_response_at := old.first_response_at;
    if new.status is distinct from old.status and old.status = 'applied' and old.first_response_at is null then
      new.first_response_at := pg_catalog.now();
    end if;
  end if;
  if new.status = 'applied' and (tg_op = 'INSERT' or old.status is distinct from 'applied')
     and new.follow_up_at is null then
    new.follow_up_at := pg_catalog.now()
      + pg_catalog.make_interval(days => (private.tracker_settings_of(new.user_id)).follow_up_days);
  elsif new.status in ('accepted', 'rejected', 'withdrawn') and (tg_op = 'INSERT' or old.status is distinct from new.status) then
    new.follow_up_at := null;
  end if;
  if new.status not in ('rejected', 'withdrawn') then
    new.closing_reason := null;
  end if;
  return new;
end
$$;
comment on function private.track_application_progress() is
  'Trigger: follow-up on applied, cleared on closing; closing reason cleared on reopening; first_response_at kept by the database.';
revoke all on function private.track_application_progress() from public, anon, authenticated, service_role;
create trigger track_application_progress before insert or update on public.jobs
  for each row execute function private.track_application_progress();

-- What was sent is frozen when the job leaves bookmarked/applying (applied, or straight on).
create function private.freeze_sent_materials()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform private.freeze_job_materials(new.id);
  return null;
end
$$;
comment on function private.freeze_sent_materials() is 'Trigger: freezes the job''s job_materials row when the job is applied.';
revoke all on function private.freeze_sent_materials() from public, anon, authenticated, service_role;
create trigger freeze_sent_materials after update of status on public.jobs
  for each row when (old.status in ('bookmarked', 'applying') and new.status not in ('bookmarked', 'applying'))
  execute function private.freeze_sent_materials();
