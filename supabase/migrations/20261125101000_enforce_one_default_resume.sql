-- A user has at most one default resume (the one attached to applications). v2.0
-- only hoped so; enforce it with a unique partial index, which also serves the
-- "find my default resume" lookup the spec lists as missing. Switching the default
-- takes two updates, so clients call set_default_resume() to do it atomically.

-- Existing duplicates: the most recently updated default stays default. This fixes
-- a flag, not user content, so updated_at is left as it was.
alter table public.resumes disable trigger update_resumes_updated_at;

do $$
declare
  fixed integer;
begin
  update public.resumes r
     set is_default = false
    from (
      select x.id,
             pg_catalog.row_number() over (partition by x.user_id
                                           order by x.updated_at desc nulls last, x.created_at desc nulls last, x.id) as n
        from public.resumes x
       where x.is_default
    ) ranked
   where ranked.id = r.id and ranked.n > 1;
  get diagnostics fixed = row_count;
  raise notice 'resumes: % extra default resumes unset (the most recently updated one per user kept)', fixed;
end
$$;

alter table public.resumes enable trigger update_resumes_updated_at;

create unique index resumes_one_default_per_user on public.resumes (user_id) where is_default;

-- Security invoker: RLS decides which resumes the caller may touch.
create or replace function public.set_default_resume(resume_id uuid)
returns public.resumes
language plpgsql
security invoker
set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  chosen public.resumes;
begin
  -- Lock all of the caller's resumes first, so concurrent switches run one after
  -- the other and each sees the other's result (no unique violation, no two defaults).
  perform 1 from public.resumes r where r.user_id = caller for update;

  if not exists (select 1 from public.resumes r where r.id = resume_id and r.user_id = caller) then
    raise exception using
      errcode = 'PT404',
      message = 'Resume not found',
      detail = pg_catalog.format('No resume %s belongs to the current user.', resume_id);
  end if;

  update public.resumes r set is_default = false
   where r.user_id = caller and r.is_default and r.id <> resume_id;
  update public.resumes r set is_default = true
   where r.id = resume_id
  returning r.* into chosen;
  return chosen;
end;
$$;
revoke execute on function public.set_default_resume(uuid) from public, anon;
grant execute on function public.set_default_resume(uuid) to authenticated, service_role;
