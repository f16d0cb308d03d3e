-- Why: generated_resume_versions.render_artifact_url should name the rendered PDF of a
-- version, and nothing wrote it. Versions are append-only (no UPDATE grant to the API
-- roles), so the one column is set through an RPC that checks what a client cannot be
-- trusted to: the version is one of the caller's own, the path is the version's own
-- object in the private renders bucket (`{user_id}/{generated_resume_id}/v{n}-{paper}.pdf`),
-- and the Storage API has stored that object (its storage.objects row exists and is the
-- caller's). Rendering twice is fine: the path is the same, the call idempotent.
--
-- The definer body lives in private (it updates a column the caller may not update);
-- the public wrapper is SECURITY INVOKER. Errors as PostgREST maps them: 42501 → 401/403
-- (no signed-in user), PT404 → 404 (not the caller's resume or no such version),
-- 22023 → 400 (a path that is not this version's render), 23503 → 409 (no stored object).

create function private.record_render_artifact(generated_resume_id uuid, version_number integer, object_path text)
returns public.generated_resume_versions
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  caller uuid := (select auth.uid());
  version public.generated_resume_versions;
begin
  if caller is null then
    raise exception 'sign in to record a render' using errcode = '42501';
  end if;
  select v.* into version
    from public.generated_resume_versions v
    join public.generated_resumes gr on gr.id = v.generated_resume_id
   where gr.id = record_render_artifact.generated_resume_id
     and gr.user_id = caller
     and v.version_number = record_render_artifact.version_number
     for update of v;
  if not found then
    raise exception 'generated resume version not found' using errcode = 'PT404';
  end if;
  if object_path is null or object_path !~ pg_catalog.format('^%s/%s/v%s-(a4|letter)\.pdf$',
       caller, record_render_artifact.generated_resume_id, record_render_artifact.version_number) then
    raise exception using errcode = '22023',
      message = 'object_path must be this version''s render: {user_id}/{generated_resume_id}/v{n}-{a4|letter}.pdf';
  end if;
  if not exists (select 1 from storage.objects o
                  where o.bucket_id = 'renders' and o.name = object_path
                    and (o.owner_id is null or o.owner_id = caller::text)) then
    raise exception 'the render is not stored in the renders bucket' using errcode = '23503';
  end if;
  update public.generated_resume_versions v
     set render_artifact_url = object_path
   where v.id = version.id
  returning v.* into version;
  return version;
end
$$;

comment on function private.record_render_artifact(uuid, integer, text) is
  'Definer body of public.record_render_artifact: sets render_artifact_url of one of the caller''s versions to its stored render.';
revoke all on function private.record_render_artifact(uuid, integer, text) from public, anon, authenticated, service_role;
grant execute on function private.record_render_artifact(uuid, integer, text) to authenticated;

create function public.record_render_artifact(generated_resume_id uuid, version_number integer, object_path text)
returns public.generated_resume_versions
language sql
volatile
security invoker
set search_path = ''
as $$
  select * from private.record_render_artifact(generated_resume_id, version_number, object_path)
$$;

comment on function public.record_render_artifact(uuid, integer, text) is
  'Records the stored PDF of one of your resume versions: object_path is {user_id}/{generated_resume_id}/v{n}-{a4|letter}.pdf in the renders bucket, uploaded first through the Storage API. Returns the version.';
revoke all on function public.record_render_artifact(uuid, integer, text) from public, anon, authenticated, service_role;
grant execute on function public.record_render_artifact(uuid, integer, text) to authenticated;
