-- A user has at most one current resume_builder_data row (the resume the builder
-- opens). Enforce it with a unique partial index; switching takes two updates, so
-- clients call set_current_resume_builder() to do it atomically.

alter table public.resume_builder_data disable trigger update_resume_builder_data_updated_at;

do $$
declare
  fixed integer;
begin
  update public.resume_builder_data b
     set is_current = false
    from (
      select x.id,
             pg_catalog.row_number() over (partition by x.user_id
                                           order by x.updated_at desc nulls last, x.created_at desc nulls last, x.id) as n
        from public.resume_builder_data x
       where x.is_current
    ) ranked
   where ranked.id = b.id and ranked.n > 1;
  get diagnostics fixed = row_count;
  raise notice 'resume_builder_data: % extra current rows unset (the most recently updated one per user kept)', fixed;
end
$$;

alter table public.resume_builder_data enable trigger update_resume_builder_data_updated_at;

create unique index resume_builder_data_one_current_per_user on public.resume_builder_data (user_id) where is_current;

-- Security invoker: RLS decides which rows the caller may touch.
create or replace function public.set_current_resume_builder(id uuid)
returns public.resume_builder_data
language plpgsql
security invoker
set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  chosen public.resume_builder_data;
begin
  -- Serialise concurrent switches by the same user (see set_default_resume).
  perform 1 from public.resume_builder_data b where b.user_id = caller for update;

  if not exists (select 1 from public.resume_builder_data b
                  where b.id = set_current_resume_builder.id and b.user_id = caller) then
    raise exception using
      errcode = 'PT404',
      message = 'Resume builder data not found',
      detail = pg_catalog.format('No resume_builder_data %s belongs to the current user.', set_current_resume_builder.id);
  end if;

  update public.resume_builder_data b set is_current = false
   where b.user_id = caller and b.is_current and b.id <> set_current_resume_builder.id;
  update public.resume_builder_data b set is_current = true
   where b.id = set_current_resume_builder.id
  returning b.* into chosen;
  return chosen;
end;
$$;
revoke execute on function public.set_current_resume_builder(uuid) from public, anon;
grant execute on function public.set_current_resume_builder(uuid) to authenticated, service_role;
