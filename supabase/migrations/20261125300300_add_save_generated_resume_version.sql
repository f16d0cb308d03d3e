-- Why: every edit or tailoring of a generated resume is kept as a new version, and
-- two saves at once must still number 1..n without a gap or a duplicate. Clients (and
-- the ai function's tailor-resume action) call one RPC that checks ownership and lets
-- the numbering trigger (20261125101300) pick the number under a lock on the resume.

create function public.save_generated_resume_version(generated_resume_id uuid, content jsonb)
returns public.generated_resume_versions
language plpgsql
volatile
-- Invoker: the caller may insert versions of their own resumes under RLS already.
security invoker
set search_path = ''
as $$
declare
  caller uuid := (select auth.uid());
  saved public.generated_resume_versions;
begin
  if save_generated_resume_version.content is null
     or pg_catalog.jsonb_typeof(save_generated_resume_version.content) <> 'object' then
    raise exception 'content must be a JSON object' using errcode = '22023';
  end if;
  -- Someone else's resume and a missing one look the same: 404.
  if not exists (select 1 from public.generated_resumes gr
                  where gr.id = save_generated_resume_version.generated_resume_id and gr.user_id = caller) then
    raise exception 'generated resume not found' using errcode = 'PT404';
  end if;

  -- version_number is left out: the trigger assigns max + 1 while holding the
  -- resume's row lock, and another trigger moves current_version along.
  insert into public.generated_resume_versions (generated_resume_id, content_json)
  values (save_generated_resume_version.generated_resume_id, save_generated_resume_version.content)
  returning * into saved;
  return saved;
end
$$;

comment on function public.save_generated_resume_version(uuid, jsonb) is
  'Saves content (a JSON object) as the next version of one of your generated resumes and returns it; numbers stay 1..n without gaps under concurrency, and current_version follows. 404 when the resume is not yours.';

revoke all on function public.save_generated_resume_version(uuid, jsonb) from public, anon, authenticated, service_role;
grant execute on function public.save_generated_resume_version(uuid, jsonb) to authenticated;
