-- Share links: who may read a generated resume without signing in. The owner creates,
-- replaces or revokes a link (a random 192-bit token, optionally expiring); anyone holding
-- it reads, through get_public_generated_resume, only what the resume shows; views are
-- counted once per viewer per hour, never for the owner or a HEAD request.

-- Tables

create table private.share_views (
  generated_resume_id uuid not null,
  viewer_hash bytea not null,
  counted_at timestamptz not null,
  constraint share_views_pkey primary key (generated_resume_id, viewer_hash),
  constraint share_views_generated_resume_id_fkey foreign key (generated_resume_id) references public.generated_resumes (id) on delete cascade
);

-- Functions the indexes, triggers and policies below call (they must exist first)

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
revoke all on function private.keep_updated_at_on_share_view() from public, anon, authenticated, service_role;

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
revoke all on function private.create_share_link(resume_id uuid, expires_at timestamp with time zone) from public, anon, authenticated, service_role;
grant execute on function private.create_share_link(resume_id uuid, expires_at timestamp with time zone) to authenticated;

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
revoke all on function private.revoke_share_link(resume_id uuid) from public, anon, authenticated, service_role;
grant execute on function private.revoke_share_link(resume_id uuid) to authenticated;

-- A share link shows what the resume shows and nothing else: the public answer is built
-- field by field from an allow-list matching what the share page renders, never the
-- version's content_json as stored (which holds the tailoring provenance, internal row ids,
-- targetRole, wizard metadata and edit times).
--
-- The public answer (the contract the share page and resume exports build on):
--   {
--     "title":         text   -- the resume's title (the page heading when the profile has no name)
--     "template_slug": text   -- which template's look to use
--     "updated_at":    text   -- the day the shown version was written, 'YYYY-MM-DD'
--     "content": {
--       "profile": { "fullName", "firstName", "lastName", "email", "phone", "headline",
--                    "location", "summary": text,
--                    "socialLinks": [{ "platform": text, "url": http(s) URL }] },
--       "experience": [{ "title", "company", "location", "startDate", "endDate": text,
--                        "isCurrent": boolean, "description": text }],
--       "education":  [{ "school", "degree", "field", "startDate", "endDate": text }],
--       "skills":     [text],                              -- names only
--       "languages":  [{ "name": text, "proficiency": text }]
--     }
--   }
-- Every key is always present; a missing or non-text value is ''. Entries the page would
-- not render (an experience with no title, company or description; a social link that is
-- not an http(s) URL; a nameless skill or language) are left out.
--
-- Email: profile.email is returned because the page renders it as the resume's contact.
-- It is the address in the resume itself (the wizard prefills it from the account and the
-- owner edits or clears it in the personal-info step); the RPC never adds the account's
-- email on its own.
create or replace function private.public_text(value jsonb)
returns text
language sql
immutable
set search_path = ''
as $$
  select case pg_catalog.jsonb_typeof(value)
           when 'string' then value #>> '{}'
           when 'number' then value #>> '{}'
           else ''
         end
$$;
revoke all on function private.public_text(value jsonb) from public, anon, authenticated, service_role;

-- Written out as one query in PL/pgSQL, not as calls of public_text and json_list: a SQL
-- function with its own search_path is never inlined, so each call was parsed and
-- planned again, about a hundred times per resume; PL/pgSQL keeps its statement plans
-- per connection, so PostgREST's pooled connections plan it once.
create or replace function private.public_resume_content(content jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  return (
  with profile as (
    select case when pg_catalog.jsonb_typeof(content -> 'profile') = 'object'
                then content -> 'profile' else '{}'::jsonb end as p
  )
  select pg_catalog.jsonb_build_object(
    'profile', (
      select pg_catalog.jsonb_build_object(
        'fullName', (case pg_catalog.jsonb_typeof(p -> 'fullName') when 'string' then (p -> 'fullName') #>> '{}' when 'number' then (p -> 'fullName') #>> '{}' else '' end),
        'firstName', (case pg_catalog.jsonb_typeof(p -> 'firstName') when 'string' then (p -> 'firstName') #>> '{}' when 'number' then (p -> 'firstName') #>> '{}' else '' end),
        'lastName', (case pg_catalog.jsonb_typeof(p -> 'lastName') when 'string' then (p -> 'lastName') #>> '{}' when 'number' then (p -> 'lastName') #>> '{}' else '' end),
        'email', (case pg_catalog.jsonb_typeof(p -> 'email') when 'string' then (p -> 'email') #>> '{}' when 'number' then (p -> 'email') #>> '{}' else '' end),
        'phone', (case pg_catalog.jsonb_typeof(p -> 'phone') when 'string' then (p -> 'phone') #>> '{}' when 'number' then (p -> 'phone') #>> '{}' else '' end),
        'headline', (case pg_catalog.jsonb_typeof(p -> 'headline') when 'string' then (p -> 'headline') #>> '{}' when 'number' then (p -> 'headline') #>> '{}' else '' end),
        'location', (case pg_catalog.jsonb_typeof(p -> 'location') when 'string' then (p -> 'location') #>> '{}' when 'number' then (p -> 'location') #>> '{}' else '' end),
        'summary', (case pg_catalog.jsonb_typeof(p -> 'summary') when 'string' then (p -> 'summary') #>> '{}' when 'number' then (p -> 'summary') #>> '{}' else '' end),
        'socialLinks', coalesce((
          select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                   'platform', (case pg_catalog.jsonb_typeof(link -> 'platform') when 'string' then (link -> 'platform') #>> '{}' when 'number' then (link -> 'platform') #>> '{}' else '' end),
                   'url', (case pg_catalog.jsonb_typeof(link -> 'url') when 'string' then (link -> 'url') #>> '{}' when 'number' then (link -> 'url') #>> '{}' else '' end)) order by n)
            from pg_catalog.jsonb_array_elements((case when pg_catalog.jsonb_typeof(p -> 'socialLinks') = 'array' then p -> 'socialLinks' else '[]'::jsonb end)) with ordinality l(link, n)
           where (case pg_catalog.jsonb_typeof(link -> 'url') when 'string' then (link -> 'url') #>> '{}' when 'number' then (link -> 'url') #>> '{}' else '' end) ~* '^https?://'), '[]'::jsonb))
        from profile),
    'experience', coalesce((
      select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'title', (case pg_catalog.jsonb_typeof(e -> 'title') when 'string' then (e -> 'title') #>> '{}' when 'number' then (e -> 'title') #>> '{}' else '' end),
               'company', (case pg_catalog.jsonb_typeof(e -> 'company') when 'string' then (e -> 'company') #>> '{}' when 'number' then (e -> 'company') #>> '{}' else '' end),
               'location', (case pg_catalog.jsonb_typeof(e -> 'location') when 'string' then (e -> 'location') #>> '{}' when 'number' then (e -> 'location') #>> '{}' else '' end),
               'startDate', (case pg_catalog.jsonb_typeof(e -> 'startDate') when 'string' then (e -> 'startDate') #>> '{}' when 'number' then (e -> 'startDate') #>> '{}' else '' end),
               'endDate', (case pg_catalog.jsonb_typeof(e -> 'endDate') when 'string' then (e -> 'endDate') #>> '{}' when 'number' then (e -> 'endDate') #>> '{}' else '' end),
               'isCurrent', coalesce(e -> 'isCurrent' = 'true'::jsonb, false),
               'description', (case pg_catalog.jsonb_typeof(e -> 'description') when 'string' then (e -> 'description') #>> '{}' when 'number' then (e -> 'description') #>> '{}' else '' end)) order by n)
        from pg_catalog.jsonb_array_elements((case when pg_catalog.jsonb_typeof(content -> 'experience') = 'array' then content -> 'experience' else '[]'::jsonb end)) with ordinality x(e, n)
       where pg_catalog.btrim((case pg_catalog.jsonb_typeof(e -> 'title') when 'string' then (e -> 'title') #>> '{}' when 'number' then (e -> 'title') #>> '{}' else '' end) || (case pg_catalog.jsonb_typeof(e -> 'company') when 'string' then (e -> 'company') #>> '{}' when 'number' then (e -> 'company') #>> '{}' else '' end)
                              || (case pg_catalog.jsonb_typeof(e -> 'description') when 'string' then (e -> 'description') #>> '{}' when 'number' then (e -> 'description') #>> '{}' else '' end)) <> ''), '[]'::jsonb),
    'education', coalesce((
      select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'school', (case pg_catalog.jsonb_typeof(e -> 'school') when 'string' then (e -> 'school') #>> '{}' when 'number' then (e -> 'school') #>> '{}' else '' end),
               'degree', (case pg_catalog.jsonb_typeof(e -> 'degree') when 'string' then (e -> 'degree') #>> '{}' when 'number' then (e -> 'degree') #>> '{}' else '' end),
               'field', (case pg_catalog.jsonb_typeof(e -> 'field') when 'string' then (e -> 'field') #>> '{}' when 'number' then (e -> 'field') #>> '{}' else '' end),
               'startDate', (case pg_catalog.jsonb_typeof(e -> 'startDate') when 'string' then (e -> 'startDate') #>> '{}' when 'number' then (e -> 'startDate') #>> '{}' else '' end),
               'endDate', (case pg_catalog.jsonb_typeof(e -> 'endDate') when 'string' then (e -> 'endDate') #>> '{}' when 'number' then (e -> 'endDate') #>> '{}' else '' end)) order by n)
        from pg_catalog.jsonb_array_elements((case when pg_catalog.jsonb_typeof(content -> 'education') = 'array' then content -> 'education' else '[]'::jsonb end)) with ordinality x(e, n)
       where pg_catalog.btrim((case pg_catalog.jsonb_typeof(e -> 'school') when 'string' then (e -> 'school') #>> '{}' when 'number' then (e -> 'school') #>> '{}' else '' end) || (case pg_catalog.jsonb_typeof(e -> 'degree') when 'string' then (e -> 'degree') #>> '{}' when 'number' then (e -> 'degree') #>> '{}' else '' end)
                              || (case pg_catalog.jsonb_typeof(e -> 'field') when 'string' then (e -> 'field') #>> '{}' when 'number' then (e -> 'field') #>> '{}' else '' end)) <> ''), '[]'::jsonb),
    -- Skills are stored as names or as {name, proficiency, category}; the page shows names.
    'skills', coalesce((
      select pg_catalog.jsonb_agg(pg_catalog.to_jsonb(skill.name) order by n)
        from pg_catalog.jsonb_array_elements((case when pg_catalog.jsonb_typeof(content -> 'skills') = 'array' then content -> 'skills' else '[]'::jsonb end)) with ordinality x(s, n)
        cross join lateral (
          select case when pg_catalog.jsonb_typeof(s) = 'object' then (case pg_catalog.jsonb_typeof(s -> 'name') when 'string' then (s -> 'name') #>> '{}' when 'number' then (s -> 'name') #>> '{}' else '' end)
                      else (case pg_catalog.jsonb_typeof(s) when 'string' then (s) #>> '{}' when 'number' then (s) #>> '{}' else '' end) end as name
        ) skill
       where pg_catalog.btrim(skill.name) <> ''), '[]'::jsonb),
    'languages', coalesce((
      select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'name', language.name, 'proficiency', language.proficiency) order by n)
        from pg_catalog.jsonb_array_elements((case when pg_catalog.jsonb_typeof(content -> 'languages') = 'array' then content -> 'languages' else '[]'::jsonb end)) with ordinality x(l, n)
        cross join lateral (
          select case when pg_catalog.jsonb_typeof(l) = 'object' then (case pg_catalog.jsonb_typeof(l -> 'name') when 'string' then (l -> 'name') #>> '{}' when 'number' then (l -> 'name') #>> '{}' else '' end)
                      else (case pg_catalog.jsonb_typeof(l) when 'string' then (l) #>> '{}' when 'number' then (l) #>> '{}' else '' end) end as name,
                 case when pg_catalog.jsonb_typeof(l) = 'object' then (case pg_catalog.jsonb_typeof(l -> 'proficiency') when 'string' then (l -> 'proficiency') #>> '{}' when 'number' then (l -> 'proficiency') #>> '{}' else '' end)
                      else '' end as proficiency
        ) language
       where pg_catalog.btrim(language.name) <> ''), '[]'::jsonb)));
end
$$;
revoke all on function private.public_resume_content(content jsonb) from public, anon, authenticated, service_role;

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
revoke all on function private.share_viewer_key() from public, anon, authenticated, service_role;

-- A repeat view by a viewer counted within the hour writes nothing: a fresh row for the
-- viewer is looked up first, and only a view that can count reaches the upsert (which
-- locks the conflicting row even when it updates nothing), where concurrent first views
-- are decided under its row lock.
create or replace function private.get_public_generated_resume(token text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  shared record;
  viewer bytea;
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
    viewer := extensions.digest(token || E'\n' || private.share_viewer_key(), 'sha256');
    -- A viewer already counted within the hour: nothing to write, so the read stays a
    -- read. (The upsert below locks the conflicting row even when its WHERE updates
    -- nothing, which made every repeat view a write transaction with a WAL flush.)
    -- Skipping on a fresh row is safe without the lock: it can only skip a view that
    -- would not have counted; every count still goes through the upsert.
    if exists (select 1 from private.share_views v
                where v.generated_resume_id = shared.id and v.viewer_hash = viewer
                  and v.counted_at > pg_catalog.now() - interval '1 hour') then
      counted := false;
    else
      -- At most once per viewer per hour, race-free: the upsert takes the row lock, so of
      -- two concurrent first views one inserts and the other sees a fresh counted_at.
      insert into private.share_views as v (generated_resume_id, viewer_hash, counted_at)
      values (shared.id, viewer, pg_catalog.now())
      on conflict (generated_resume_id, viewer_hash) do update
         set counted_at = excluded.counted_at
       where v.counted_at <= excluded.counted_at - interval '1 hour'
      returning true into counted;
    end if;
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
revoke all on function private.get_public_generated_resume(token text) from public, anon, authenticated, service_role;
grant execute on function private.get_public_generated_resume(token text) to anon, authenticated, service_role;

-- Counted-view rows older than an hour can no longer stop a count; forget them.
create or replace function private.forget_old_share_views()
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
revoke all on function private.forget_old_share_views() from public, anon, authenticated, service_role;

-- Indexes

create index idx_share_views_counted_at on private.share_views (counted_at);

-- Triggers

-- BEFORE triggers fire in name order: this one runs after update_generated_resumes_updated_at
-- and undoes its bump when only the view count changed.
create trigger zz_share_view_keeps_updated_at
  before update on public.generated_resumes
  for each row execute function private.keep_updated_at_on_share_view();

-- Row level security and grants

revoke all on table private.share_views from anon, authenticated, service_role;

-- Functions

create or replace function public.create_share_link(generated_resume_id uuid, expires_at timestamptz default null)
returns text
language sql
volatile
security invoker
set search_path = ''
as $$
  select private.create_share_link(generated_resume_id, expires_at)
$$;
revoke all on function public.create_share_link(generated_resume_id uuid, expires_at timestamp with time zone) from public, anon, authenticated, service_role;
grant execute on function public.create_share_link(generated_resume_id uuid, expires_at timestamp with time zone) to authenticated;

create or replace function public.revoke_share_link(generated_resume_id uuid)
returns void
language sql
volatile
security invoker
set search_path = ''
as $$
  select private.revoke_share_link(generated_resume_id)
$$;
revoke all on function public.revoke_share_link(generated_resume_id uuid) from public, anon, authenticated, service_role;
grant execute on function public.revoke_share_link(generated_resume_id uuid) to authenticated;

create or replace function public.get_public_generated_resume(share_token text)
returns jsonb
language sql
volatile
security invoker
set search_path = ''
as $$
  select private.get_public_generated_resume(share_token)
$$;
revoke all on function public.get_public_generated_resume(share_token text) from public, anon, authenticated, service_role;
grant execute on function public.get_public_generated_resume(share_token text) to anon, authenticated, service_role;

-- Scheduled jobs

-- Hourly at minute 11: counted-view rows older than an hour are forgotten.
do $$
begin
  if exists (select 1 from pg_catalog.pg_extension where extname = 'pg_cron') then
    perform cron.schedule('forget-old-share-views', '11 * * * *', 'select private.forget_old_share_views()');
  else
    raise notice 'pg_cron is not available: run select private.forget_old_share_views() hourly from any scheduler, as postgres';
  end if;
end
$$;

-- Comments

comment on table private.share_views is 'When each viewer''s view of a share link was last counted: SHA-256 of (share token, viewer key), never the viewer''s address or User-Agent.';
comment on function private.keep_updated_at_on_share_view() is 'Trigger: a share-link view (only share_view_count changes) keeps generated_resumes.updated_at.';
comment on function private.create_share_link(resume_id uuid, expires_at timestamp with time zone) is 'Definer body of public.create_share_link: sets a fresh random token on the caller''s own resume.';
comment on function public.create_share_link(generated_resume_id uuid, expires_at timestamp with time zone) is 'Creates (or replaces) the share link of one of your generated resumes and returns its token (32 URL-safe characters). expires_at must be in the future; null = no expiry. 404 when the resume is not yours.';
comment on function private.revoke_share_link(resume_id uuid) is 'Definer body of public.revoke_share_link: clears the share link of the caller''s own resume.';
comment on function public.revoke_share_link(generated_resume_id uuid) is 'Revokes the share link of one of your generated resumes; the old token stops working at once. 404 when the resume is not yours.';
comment on function private.public_text(value jsonb) is 'A JSON string or number as text; anything else (object, array, boolean, null, missing) as ''''.';
comment on function private.public_resume_content(content jsonb) is 'What a share link shows of a resume version''s content: the rendered fields only, by allow-list (no ids, provenance, targetRole, proficiencies or wizard metadata).';
comment on function private.share_viewer_key() is 'The current share-page viewer as a SHA-256 hex key: x-share-viewer from the request headers, else SHA-256 of the client address and User-Agent.';
comment on function private.get_public_generated_resume(token text) is 'Definer body of public.get_public_generated_resume: for a live token, the newest version as the share page renders it (see private.public_resume_content), else null; counts a view at most once per viewer per hour, never for HEAD or the owner.';
comment on function public.get_public_generated_resume(share_token text) is 'Public share page: {title, template_slug, updated_at (YYYY-MM-DD), content {profile, experience, education, skills, languages}} of the newest version for a live, unexpired token, limited to what the page renders (no ids, provenance, targetRole or wizard metadata); null for an unknown, revoked or expired one. Callable without signing in. Counts a view at most once per viewer (hash of address and User-Agent, or the x-share-viewer header) per hour, never for HEAD or the owner.';
comment on function private.forget_old_share_views() is 'Deletes share-view rows older than an hour and returns how many; run hourly by pg_cron job forget-old-share-views.';
