-- Why: the live app never created share links, and its public RPC ran as the caller, so
-- RLS hid every row from anonymous visitors and it always returned NULL. A share link is
-- now a random token (192 bits, URL-safe) that the owner creates, can give an expiry
-- and can revoke; anyone holding a live token reads the newest version of that one
-- resume, and nothing else. anon gets no table privilege: it calls one function whose
-- SECURITY DEFINER body lives in the unexposed schema private.

alter table public.generated_resumes
  add column if not exists share_created_at timestamptz,
  add column if not exists share_expires_at timestamptz,
  add column if not exists share_view_count integer not null default 0;

alter table public.generated_resumes
  drop constraint if exists generated_resumes_share_view_count_not_negative,
  add constraint generated_resumes_share_view_count_not_negative check (share_view_count >= 0);

comment on column public.generated_resumes.share_token is
  'Token of the live share link (base64url, 192 random bits), or null when not shared. Written only by create_share_link / revoke_share_link.';
comment on column public.generated_resumes.share_created_at is 'When the current share link was created.';
comment on column public.generated_resumes.share_expires_at is 'When the current share link stops working; null = never.';
comment on column public.generated_resumes.share_view_count is
  'How many times the current share link was opened through get_public_generated_resume.';

-- The anonymous lookup must be an index probe: the unique constraint on share_token
-- already gives one (v2.0's partial index on the same column duplicates it).
do $$
begin
  if not exists (
    select 1
      from pg_index i
      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
     where i.indrelid = 'public.generated_resumes'::regclass
       and i.indisunique and i.indnatts = 1 and i.indpred is null
       and a.attname = 'share_token'
  ) then
    create unique index generated_resumes_share_token_key on public.generated_resumes (share_token);
  end if;
end
$$;

-- Counting a view must not look like an edit: updated_at orders the owner's resume
-- list. BEFORE triggers fire in name order, so this one is named to run after
-- update_generated_resumes_updated_at and undoes its bump when only the count changed.
create or replace function private.keep_updated_at_on_share_view()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.share_view_count is distinct from old.share_view_count
     and to_jsonb(new) - 'share_view_count' - 'updated_at'
         = to_jsonb(old) - 'share_view_count' - 'updated_at' then
    new.updated_at := old.updated_at;
  end if;
  return new;
end
$$;
comment on function private.keep_updated_at_on_share_view() is
  'Trigger: a share-link view (only share_view_count changes) keeps generated_resumes.updated_at.';

drop trigger if exists zz_share_view_keeps_updated_at on public.generated_resumes;
create trigger zz_share_view_keeps_updated_at
  before update on public.generated_resumes
  for each row execute function private.keep_updated_at_on_share_view();

-- Definer bodies. SECURITY DEFINER (owner postgres, which bypasses RLS) because the
-- share columns are not writable by authenticated (a client must not choose its own
-- token) and anon may not read generated_resumes at all. Each body checks the caller
-- itself, pins search_path and qualifies every name.

create or replace function private.create_share_link(resume_id uuid, expires_at timestamptz)
returns text
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  token text;
begin
  if expires_at is not null and expires_at <= now() then
    raise exception 'expires_at must lie in the future' using errcode = '22023';
  end if;
  -- 24 random bytes = 192 bits = 32 base64url characters, no padding.
  token := translate(encode(extensions.gen_random_bytes(24), 'base64'), '+/', '-_');
  update public.generated_resumes gr
     set share_token = token,
         share_created_at = now(),
         share_expires_at = create_share_link.expires_at,
         share_view_count = 0
   where gr.id = resume_id
     and gr.user_id = (select auth.uid());
  if not found then
    -- Someone else's resume and a missing one look the same: 404.
    raise exception 'generated resume not found' using errcode = 'PT404';
  end if;
  return token;
end
$$;

create or replace function private.revoke_share_link(resume_id uuid)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  update public.generated_resumes gr
     set share_token = null,
         share_created_at = null,
         share_expires_at = null,
         share_view_count = 0
   where gr.id = resume_id
     and gr.user_id = (select auth.uid());
  if not found then
    raise exception 'generated resume not found' using errcode = 'PT404';
  end if;
end
$$;

create or replace function private.get_public_generated_resume(token text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  shared record;
begin
  -- A malformed token cannot match; answer without touching the table.
  if token is null or token !~ '^[A-Za-z0-9_-]{22,128}$' then
    return null;
  end if;
  -- Unique-index probe on share_token; the view is counted in the same statement.
  update public.generated_resumes gr
     set share_view_count = gr.share_view_count + 1
   where gr.share_token = token
     and (gr.share_expires_at is null or gr.share_expires_at > now())
  returning gr.id, gr.title, gr.template_id into shared;
  if not found then
    -- Unknown, revoked and expired tokens are indistinguishable.
    return null;
  end if;
  return (
    select jsonb_build_object(
             'title', shared.title,
             'template_slug', t.slug,
             'version_number', v.version_number,
             'content', v.content_json,
             'updated_at', v.created_at)
      from public.templates t
      left join lateral (
        select gv.version_number, gv.content_json, gv.created_at
          from public.generated_resume_versions gv
         where gv.generated_resume_id = shared.id
         order by gv.version_number desc
         limit 1
      ) v on true
     where t.id = shared.template_id
  );
end
$$;

comment on function private.create_share_link(uuid, timestamptz) is
  'Definer body of public.create_share_link: sets a fresh random token on the caller''s own resume.';
comment on function private.revoke_share_link(uuid) is
  'Definer body of public.revoke_share_link: clears the share link of the caller''s own resume.';
comment on function private.get_public_generated_resume(text) is
  'Definer body of public.get_public_generated_resume: newest version for a live token, else null; counts the view.';

-- Thin SECURITY INVOKER wrappers: the API-visible names and parameter names.
-- v2.0 (and issue 3's hardening) defined get_public_generated_resume(text); drop every
-- earlier overload so only this definition answers /rpc/get_public_generated_resume.
do $$
declare
  f regprocedure;
begin
  for f in
    select p.oid::regprocedure
      from pg_proc p
     where p.pronamespace = 'public'::regnamespace
       and p.proname in ('get_public_generated_resume', 'create_share_link', 'revoke_share_link')
  loop
    execute format('drop function %s', f);
  end loop;
end
$$;

create function public.create_share_link(generated_resume_id uuid, expires_at timestamptz default null)
returns text
language sql
volatile
security invoker
set search_path = ''
as $$
  select private.create_share_link(generated_resume_id, expires_at)
$$;

create function public.revoke_share_link(generated_resume_id uuid)
returns void
language sql
volatile
security invoker
set search_path = ''
as $$
  select private.revoke_share_link(generated_resume_id)
$$;

create function public.get_public_generated_resume(share_token text)
returns jsonb
language sql
volatile
security invoker
set search_path = ''
as $$
  select private.get_public_generated_resume(share_token)
$$;

comment on function public.create_share_link(uuid, timestamptz) is
  'Creates (or replaces) the share link of one of your generated resumes and returns its token (32 URL-safe characters). expires_at must be in the future; null = no expiry. 404 when the resume is not yours.';
comment on function public.revoke_share_link(uuid) is
  'Revokes the share link of one of your generated resumes; the old token stops working at once. 404 when the resume is not yours.';
comment on function public.get_public_generated_resume(text) is
  'Public share page: {title, template_slug, version_number, content, updated_at} of the newest version for a live, unexpired token; null for an unknown, revoked or expired one. Callable without signing in; counts the view.';
