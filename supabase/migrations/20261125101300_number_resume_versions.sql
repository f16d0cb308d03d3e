-- Version numbers of a generated resume must be gap-free and unique even when two
-- requests save at once; clients cannot get that right, so the database assigns the
-- next number when the insert omits it, and keeps generated_resumes.current_version
-- equal to the newest version.

-- Security definer so the next number is computed over all versions of the resume,
-- whatever the caller's policies let it see; RLS still checks the inserted row.
create or replace function private.assign_resume_version_number()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.version_number is null then
    -- Lock the parent row: concurrent inserts for the same resume queue here, and
    -- each then reads the number the previous one committed.
    perform 1 from public.generated_resumes gr where gr.id = new.generated_resume_id for update;
    select coalesce(max(v.version_number), 0) + 1
      into new.version_number
      from public.generated_resume_versions v
     where v.generated_resume_id = new.generated_resume_id;
  end if;
  return new;
end;
$$;
revoke execute on function private.assign_resume_version_number() from public, anon, authenticated;

create trigger assign_resume_version_number
  before insert on public.generated_resume_versions
  for each row execute function private.assign_resume_version_number();

-- Security definer so the parent is updated even when the caller may not update
-- generated_resumes directly; it only ever writes current_version.
create or replace function private.sync_current_version()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  resume_id uuid := case when tg_op = 'DELETE' then old.generated_resume_id else new.generated_resume_id end;
begin
  update public.generated_resumes gr
     set current_version = (select max(v.version_number)
                              from public.generated_resume_versions v
                             where v.generated_resume_id = resume_id)
   where gr.id = resume_id;
  if tg_op = 'UPDATE' and old.generated_resume_id is distinct from new.generated_resume_id then
    update public.generated_resumes gr
       set current_version = (select max(v.version_number)
                                from public.generated_resume_versions v
                               where v.generated_resume_id = old.generated_resume_id)
     where gr.id = old.generated_resume_id;
  end if;
  return null;
end;
$$;
revoke execute on function private.sync_current_version() from public, anon, authenticated;

create trigger sync_current_version
  after insert or delete or update of version_number, generated_resume_id on public.generated_resume_versions
  for each row execute function private.sync_current_version();

alter table public.generated_resumes disable trigger update_generated_resumes_updated_at;
update public.generated_resumes gr
   set current_version = latest.version_number
  from (select v.generated_resume_id, max(v.version_number) as version_number
          from public.generated_resume_versions v
         group by v.generated_resume_id) latest
 where latest.generated_resume_id = gr.id
   and gr.current_version is distinct from latest.version_number;
alter table public.generated_resumes enable trigger update_generated_resumes_updated_at;
