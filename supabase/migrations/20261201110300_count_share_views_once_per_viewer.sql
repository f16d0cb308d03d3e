-- Why: every successful read of a share link added a view, so 2,000 anonymous HEAD
-- requests added 2,000 views, and the owner checking their own link counted too. A view
-- now counts at most once per viewer per hour, never for a HEAD request and never for
-- the owner.
--
-- Who is "a viewer": a hash of what the server sees of the client, never the data itself.
--   - The share page function hashes the client's address and User-Agent (SHA-256, hex)
--     and passes only that hash, as the request header `x-share-viewer`.
--   - A call through PostgREST (/rest/v1/rpc/get_public_generated_resume) is keyed from
--     the `request.headers` PostgREST publishes: `x-share-viewer` when a well-formed one
--     is sent, else the same SHA-256 of the client address (cf-connecting-ip, x-real-ip,
--     or the first X-Forwarded-For entry) and User-Agent.
-- What is stored is a second SHA-256, of that key together with the share token, in
-- private.share_views: one row per (resume, viewer) with the time its view was last
-- counted. No address or User-Agent is ever stored; rotating the link starts a fresh
-- count (the old rows cannot match the new token) and rows older than an hour are
-- deleted hourly where pg_cron exists. A client that varies its headers looks like
-- several viewers: the count is a measure, not an access control.
-- HEAD is recognised from `request.method` (PostgREST sets it; the share function sets
-- it the same way), the owner from auth.uid().

create table private.share_views (
  generated_resume_id uuid not null references public.generated_resumes (id) on delete cascade,
  viewer_hash bytea not null,
  counted_at timestamptz not null,
  primary key (generated_resume_id, viewer_hash)
);
create index idx_share_views_counted_at on private.share_views (counted_at);
revoke all on private.share_views from public, anon, authenticated, service_role;

comment on table private.share_views is
  'When each viewer''s view of a share link was last counted: SHA-256 of (share token, viewer key), never the viewer''s address or User-Agent.';

-- The viewer key of the current request, from the headers PostgREST (or the share
-- function, acting like it) published for this transaction.
create or replace function private.share_viewer_key()
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  headers jsonb := coalesce(nullif(pg_catalog.current_setting('request.headers', true), '')::jsonb, '{}'::jsonb);
  address text;
begin
  if pg_catalog.jsonb_typeof(headers) <> 'object' then
    headers := '{}'::jsonb;
  end if;
  if coalesce(headers ->> 'x-share-viewer', '') ~ '^[0-9a-f]{64}$' then
    return headers ->> 'x-share-viewer';
  end if;
  address := coalesce(nullif(headers ->> 'cf-connecting-ip', ''),
                      nullif(headers ->> 'x-real-ip', ''),
                      pg_catalog.btrim(pg_catalog.split_part(coalesce(headers ->> 'x-forwarded-for', ''), ',', 1)));
  return pg_catalog.encode(
    extensions.digest(address || E'\n' || coalesce(headers ->> 'user-agent', ''), 'sha256'), 'hex');
end
$$;
comment on function private.share_viewer_key() is
  'The current share-page viewer as a SHA-256 hex key: x-share-viewer from the request headers, else SHA-256 of the client address and User-Agent.';
revoke execute on function private.share_viewer_key() from public;

create or replace function private.get_public_generated_resume(token text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  shared record;
  counted boolean := false;
begin
  -- A malformed token cannot match; answer without touching the table.
  if token is null or token !~ '^[A-Za-z0-9_-]{22,128}$' then
    return null;
  end if;
  -- Unique-index probe on share_token.
  select gr.id, gr.title, gr.template_id, gr.user_id into shared
    from public.generated_resumes gr
   where gr.share_token = token
     and (gr.share_expires_at is null or gr.share_expires_at > pg_catalog.now());
  if not found then
    -- Unknown, revoked and expired tokens are indistinguishable.
    return null;
  end if;

  if coalesce(pg_catalog.current_setting('request.method', true), '') <> 'HEAD'
     and shared.user_id is distinct from (select auth.uid()) then
    -- At most once per viewer per hour, race-free: the upsert takes the row lock, so of
    -- two concurrent first views one inserts and the other sees a fresh counted_at.
    insert into private.share_views as v (generated_resume_id, viewer_hash, counted_at)
    values (shared.id,
            extensions.digest(token || E'\n' || private.share_viewer_key(), 'sha256'),
            pg_catalog.now())
    on conflict (generated_resume_id, viewer_hash) do update
       set counted_at = excluded.counted_at
     where v.counted_at <= excluded.counted_at - interval '1 hour'
    returning true into counted;
    if counted then
      update public.generated_resumes gr
         set share_view_count = gr.share_view_count + 1
       where gr.id = shared.id;
    end if;
  end if;

  return (
    select pg_catalog.jsonb_build_object(
             'title', coalesce(shared.title, ''),
             'template_slug', t.slug,
             'updated_at', coalesce(pg_catalog.to_char(v.created_at at time zone 'UTC', 'YYYY-MM-DD'), ''),
             'content', private.public_resume_content(v.content_json))
      from public.templates t
      left join lateral (
        select gv.content_json, gv.created_at
          from public.generated_resume_versions gv
         where gv.generated_resume_id = shared.id
         order by gv.version_number desc
         limit 1
      ) v on true
     where t.id = shared.template_id
  );
end
$$;
comment on function private.get_public_generated_resume(text) is
  'Definer body of public.get_public_generated_resume: for a live token, the newest version as the share page renders it (see private.public_resume_content), else null; counts a view at most once per viewer per hour, never for HEAD or the owner.';

comment on function public.get_public_generated_resume(text) is
  'Public share page: {title, template_slug, updated_at (YYYY-MM-DD), content {profile, experience, education, skills, languages}} of the newest version for a live, unexpired token, limited to what the page renders (no ids, provenance, targetRole or wizard metadata); null for an unknown, revoked or expired one. Callable without signing in. Counts a view at most once per viewer (hash of address and User-Agent, or the x-share-viewer header) per hour, never for HEAD or the owner.';
comment on column public.generated_resumes.share_view_count is
  'Distinct viewers of the current share link, each counted at most once per hour; HEAD requests and the owner are not counted.';

-- Counted-view rows older than an hour can no longer stop a count; forget them.
create function private.forget_old_share_views()
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
  forgotten integer;
begin
  delete from private.share_views v where v.counted_at < pg_catalog.now() - interval '1 hour';
  get diagnostics forgotten = row_count;
  return forgotten;
end
$$;
comment on function private.forget_old_share_views() is
  'Deletes share-view rows older than an hour and returns how many; run hourly by pg_cron job forget-old-share-views.';
revoke all on function private.forget_old_share_views() from public, anon, authenticated, service_role;

do $$
begin
  if exists (select 1 from pg_catalog.pg_extension where extname = 'pg_cron') then
    perform cron.schedule('forget-old-share-views', '41 * * * *', 'select private.forget_old_share_views()');
    raise notice 'pg_cron: forget-old-share-views scheduled hourly at minute 41';
  else
    raise notice 'pg_cron is not installed: schedule select private.forget_old_share_views() hourly elsewhere';
  end if;
end
$$;
