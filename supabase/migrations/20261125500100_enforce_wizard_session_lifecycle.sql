-- Why: the wizard RPCs only change active sessions, but authenticated may also UPDATE
-- wizard_sessions directly through PostgREST (column grants, 20261125200100), so a
-- client could mark a session completed without a resume, revive an abandoned or
-- completed one, or rewrite the draft behind a finished resume. The lifecycle is now a
-- rule of the table, for every writer:
--   active    -> active     draft, progress and last_step may change
--   active    -> abandoned  the abandon RPC, the nightly sweep, or a direct update
--   active    -> completed  only together with generated_resume_id (the complete RPC
--                           sets both in one UPDATE)
--   completed / abandoned   frozen; the one change allowed is generated_resume_id
--                           becoming null, which is what ON DELETE SET NULL does when
--                           the resume is deleted
-- updated_at is not part of the rule: its own trigger stamps every update.
-- Errors are P0001, which PostgREST answers with 400, worded like the RPCs' errors.

-- SECURITY INVOKER: it reads only OLD and NEW, so it needs no rights of its own (a
-- trigger function's EXECUTE privilege is checked when the trigger is created, not
-- when it fires).
create function private.enforce_wizard_session_lifecycle()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if old.status = 'active' then
    if new.status = 'completed' and new.generated_resume_id is null then
      raise exception using
        errcode = 'P0001',
        message = 'a wizard session can only be completed with its generated resume',
        hint = 'Call complete_wizard_session, which creates the resume and completes the session.';
    end if;
    return new;
  end if;

  -- A completed or abandoned session: everything but generated_resume_id (and the
  -- updated_at stamp) must stay as it is, and the link may only be cleared.
  if new.status is distinct from old.status
     or new.draft_json is distinct from old.draft_json
     or new.progress is distinct from old.progress
     or new.last_step is distinct from old.last_step
     or new.user_id is distinct from old.user_id
     or new.template_id is distinct from old.template_id
     or new.created_at is distinct from old.created_at
     or new.id is distinct from old.id
     or (new.generated_resume_id is distinct from old.generated_resume_id and new.generated_resume_id is not null) then
    raise exception using
      errcode = 'P0001',
      message = 'wizard session is not active',
      detail = pg_catalog.format('The session is %s and can no longer change; start a new one to keep editing.', old.status);
  end if;
  return new;
end
$$;

comment on function private.enforce_wizard_session_lifecycle() is
  'Trigger: only active wizard sessions change; active -> completed needs generated_resume_id; completed and abandoned sessions are frozen except for their resume link being cleared.';

revoke all on function private.enforce_wizard_session_lifecycle() from public, anon, authenticated, service_role;

-- Named so it sorts before update_wizard_sessions_updated_at: a refused update fails
-- before anything else is computed.
create trigger enforce_wizard_session_lifecycle
  before update on public.wizard_sessions
  for each row execute function private.enforce_wizard_session_lifecycle();
