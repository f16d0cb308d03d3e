-- Why: every function is executable by PUBLIC unless revoked, and on Supabase every
-- function in public is also granted to anon and authenticated, so any of them is an
-- RPC endpoint for anyone. Close all functions in public and private, then open exactly
-- the RPCs each role calls. This runs last among the security migrations, and gives the
-- same end state whether or not the project auto-grants new objects.
-- A function added by a later migration starts closed (20261125200000) and must grant
-- its own execute; 11-schema-security.sql pins the complete list.

do $$
declare
  f regprocedure;
begin
  for f in
    select p.oid::regprocedure
      from pg_proc p
     where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)
       and not exists (select 1 from pg_depend d
                        where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
  loop
    execute format('revoke all on function %s from public, anon, authenticated, service_role', f);
  end loop;
end
$$;

-- Wrappers in public reach their definer bodies in private, so the calling roles need
-- USAGE on the schema; what they may run there is still decided per function, and no
-- table in private is granted to them.
grant usage on schema private to anon, authenticated, service_role;

-- anon: only the public share page.
grant execute on function public.get_public_generated_resume(text) to anon, authenticated, service_role;
grant execute on function private.get_public_generated_resume(text) to anon, authenticated, service_role;

-- authenticated: the RPCs that act on the caller's own rows. service_role keeps the
-- two switches issue 3 granted it (they act on auth.uid(), so only a user token makes
-- them do anything).
grant execute on function public.create_share_link(uuid, timestamptz) to authenticated;
grant execute on function private.create_share_link(uuid, timestamptz) to authenticated;
grant execute on function public.revoke_share_link(uuid) to authenticated;
grant execute on function private.revoke_share_link(uuid) to authenticated;
grant execute on function public.set_default_resume(uuid) to authenticated, service_role;
grant execute on function public.set_current_resume_builder(uuid) to authenticated, service_role;

-- The resumes.file_url trigger runs as the writing role and calls this check.
grant execute on function private.is_in_owner_folder(text, uuid) to authenticated, service_role;
