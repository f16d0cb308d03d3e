-- The extension sends excitement_level 0 when the user did not pick one; v2.0's
-- 1-5 CHECK rejected the whole save. 0 means "unset", so store it as null. (No
-- existing row can hold 0: the CHECK never allowed it.)

create or replace function private.null_unset_excitement()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.excitement_level = 0 then
    new.excitement_level := null;
  end if;
  return new;
end;
$$;
revoke execute on function private.null_unset_excitement() from public, anon, authenticated;

create trigger null_unset_excitement
  before insert or update of excitement_level on public.jobs
  for each row execute function private.null_unset_excitement();
