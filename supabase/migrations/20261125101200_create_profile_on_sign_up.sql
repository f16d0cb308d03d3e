-- v2.0 created no profile at sign-up (the old service inserted 'Your Name' lazily on
-- first read). Create it in the database when Supabase Auth inserts the user, named
-- from the OAuth metadata (full_name, else name), else the email's local part.
-- Users created before this migration get their missing profile the same way.

-- Security definer: GoTrue inserts as supabase_auth_admin, which has no rights on
-- public. search_path is '' and every name qualified; the function must not raise,
-- since an error here fails the sign-up.
create or replace function private.handle_new_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  meta jsonb := coalesce(new.raw_user_meta_data, '{}'::jsonb);
  meta_name text := coalesce(nullif(pg_catalog.btrim(meta ->> 'full_name'), ''), nullif(pg_catalog.btrim(meta ->> 'name'), ''));
  first text := nullif(pg_catalog.btrim(coalesce(meta ->> 'given_name', meta ->> 'first_name')), '');
  last text := nullif(pg_catalog.btrim(coalesce(meta ->> 'family_name', meta ->> 'last_name')), '');
begin
  -- "Ada Lovelace" → first "Ada", last "Lovelace"; a single word is a first name.
  if first is null and meta_name is not null then
    first := pg_catalog.split_part(meta_name, ' ', 1);
    if last is null and pg_catalog.strpos(meta_name, ' ') > 0 then
      last := nullif(pg_catalog.btrim(pg_catalog.substr(meta_name, pg_catalog.strpos(meta_name, ' ') + 1)), '');
    end if;
  end if;

  if not exists (select 1 from public.user_profile p where p.user_id = new.id) then
    insert into public.user_profile (user_id, full_name, first_name, last_name)
    values (
      new.id,
      pg_catalog.left(coalesce(meta_name,
                               nullif(pg_catalog.split_part(coalesce(new.email, ''), '@', 1), ''),
                               'Your Name'), 255),
      pg_catalog.left(first, 255),
      pg_catalog.left(last, 255)
    );
  end if;
  return new;
end;
$$;
revoke execute on function private.handle_new_user() from public, anon, authenticated;

create trigger on_auth_user_created
  after insert on auth.users
  for each row execute function private.handle_new_user();

insert into public.user_profile (user_id, full_name)
select u.id,
       pg_catalog.left(coalesce(nullif(pg_catalog.btrim(u.raw_user_meta_data ->> 'full_name'), ''),
                                nullif(pg_catalog.btrim(u.raw_user_meta_data ->> 'name'), ''),
                                nullif(pg_catalog.split_part(coalesce(u.email, ''), '@', 1), ''),
                                'Your Name'), 255)
  from auth.users u
 where not exists (select 1 from public.user_profile p where p.user_id = u.id);
