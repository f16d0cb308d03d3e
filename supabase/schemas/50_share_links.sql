-- Share links: who may read a generated resume without signing in. The owner creates,
-- replaces or revokes a link (a random 192-bit token, optionally expiring); anyone holding
-- it reads, through get_public_generated_resume, only what the resume shows; views and
-- downloads are counted once per viewer per hour (at most 200 counted per link per hour),
-- never for the owner or a HEAD request, into a running total and per-UTC-day statistics.
-- The owner may put a password on a link (bcrypt): then it answers only with a signed,
-- expiring access grant from unlock_share_link, whose wrong guesses are limited per link
-- and client.

-- Tables

create table private.share_views (
  generated_resume_id uuid not null references public.generated_resumes (id) on delete cascade,
  viewer_hash bytea not null,
  counted_at timestamptz not null,
  constraint share_views_pkey primary key (generated_resume_id, viewer_hash)
);
comment on table private.share_views is $$When each viewer’s view or download of a share link was last counted: SHA-256 of (share token, kind, viewer key), never the viewer’s address or User-Agent.$$;

-- The password of a resume's share link, as a bcrypt hash (pgcrypto crypt() with
-- gen_salt('bf', 10)); no API role can read this table and no function returns the hash.
create table private.share_link_passwords (
  generated_resume_id uuid primary key references public.generated_resumes (id) on delete cascade,
  password_hash text not null,
  set_at timestamptz not null default now(),
  constraint share_link_passwords_hash_is_bcrypt check (password_hash ~ '^[$]2a[$][0-9]{2}[$][./A-Za-z0-9]{53}$')
);
comment on table private.share_link_passwords is $$The bcrypt hash of a share link’s password (pgcrypto crypt, gen_salt('bf', 10)); never returned by any API.$$;

-- Password guesses, one row per (link, client): when each of the last ones was evaluated
-- (at most 5 kept, all within 10 minutes). Keys are SHA-256 hashes of the share token
-- and of the client's address; rows are forgotten hourly.
create table private.share_password_attempts (
  link_key bytea not null,
  client_key bytea not null,
  attempted_at timestamptz[] not null,
  constraint share_password_attempts_pkey primary key (link_key, client_key),
  constraint share_password_attempts_bounded check (cardinality(attempted_at) between 1 and 5)
);
comment on table private.share_password_attempts is $$When wrong password guesses were evaluated, per (SHA-256 of the share token, SHA-256 of the client address): at most 5 in 10 minutes.$$;

-- Views and downloads of a share link per UTC day, counted under the same rule as
-- share_view_count (once per viewer per hour, never HEAD or the owner). Kept 31 days.
create table private.share_link_days (
  generated_resume_id uuid not null references public.generated_resumes (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  day date not null,
  views integer not null default 0,
  pdf_downloads integer not null default 0,
  jsonresume_downloads integer not null default 0,
  constraint share_link_days_pkey primary key (generated_resume_id, day),
  constraint share_link_days_counts_not_negative check (views >= 0 and pdf_downloads >= 0 and jsonresume_downloads >= 0)
);
comment on table private.share_link_days is $$Views and downloads of a share link per UTC day, counted once per viewer per hour; read by the owner through share_link_statistics, kept 30 days.$$;
comment on column private.share_link_days.user_id is $$The resume’s owner (auth.users.id), so the rows go with the account and into its export.$$;

-- Functions the indexes, triggers and policies below call (they must exist first)

-- Counting a view must not look like an edit: updated_at orders the owner's resume
-- list. BEFORE triggers fire in name order, so this one is named to run after
-- update_generated_resumes_updated_at and undoes its bump when only the count changed.
create function private.keep_updated_at_on_share_view() returns trigger language plpgsql set search_path = '' as $$
begin
  if new.share_view_count is distinct from old.share_view_count
     and to_jsonb(new) - 'share_view_count' - 'updated_at'
         = to_jsonb(old) - 'share_view_count' - 'updated_at' then
    new.updated_at := old.updated_at;
  end if;
  return new;
end
$$;
comment on function private.keep_updated_at_on_share_view() is $$Trigger: a share-link view (only share_view_count changes) keeps generated_resumes.updated_at.$$;

-- Definer bodies. SECURITY DEFINER (owner postgres, which bypasses RLS) because the
-- share columns are not writable by authenticated (a client must not choose its own
-- token) and anon may not read generated_resumes at all. Each body checks the caller
-- itself, pins search_path and qualifies every name.
-- The one rule for which resume a caller may manage the link of: their own. Someone
-- else's resume and a missing one look the same: 404.
create function private.assert_own_generated_resume(resume_id uuid) returns void language plpgsql stable set search_path = '' as $$
begin
  if not exists (select 1 from public.generated_resumes gr where gr.id = resume_id and gr.user_id = (select auth.uid())) then
    raise exception 'generated resume not found' using errcode = 'PT404';
  end if;
end
$$;
comment on function private.assert_own_generated_resume(resume_id uuid) is $$Raises 404 (PT404) unless the resume is the caller’s: the owner check of every share-link function.$$;

-- Puts a link (token, expiry) on one of the caller's resumes, or takes it off (null):
-- either way the link starts a fresh count, its daily statistics included. The update
-- itself checks the owner, so nothing can change between the check and the write.
create function private.set_share_link(resume_id uuid, token text, expires_at timestamptz) returns void language plpgsql volatile set search_path = '' as $$
begin
  update public.generated_resumes gr
     set share_token = token,
         share_created_at = case when token is null then null else pg_catalog.now() end,
         share_expires_at = set_share_link.expires_at,
         share_view_count = 0
   where gr.id = resume_id
     and gr.user_id = (select auth.uid());
  if not found then
    perform private.assert_own_generated_resume(resume_id); -- not the caller's: its 404
  end if;
  delete from private.share_link_days d where d.generated_resume_id = resume_id;
end
$$;
comment on function private.set_share_link(resume_id uuid, token text, expires_at timestamp with time zone) is $$Sets (or, with a null token, clears) the share link of the caller’s own resume and restarts its counts and daily statistics; 404 when not the caller’s.$$;

create function private.create_share_link(resume_id uuid, expires_at timestamptz) returns text language plpgsql volatile security definer set search_path = '' as $$
declare
  token text;
begin
  if expires_at is not null and expires_at <= now() then
    raise exception 'expires_at must lie in the future' using errcode = '22023';
  end if;
  -- 24 random bytes = 192 bits = 32 base64url characters, no padding.
  token := translate(encode(extensions.gen_random_bytes(24), 'base64'), '+/', '-_');
  perform private.set_share_link(resume_id, token, expires_at);
  return token;
end
$$;
grant execute on function private.create_share_link(resume_id uuid, expires_at timestamp with time zone) to authenticated;
comment on function private.create_share_link(resume_id uuid, expires_at timestamp with time zone) is $$Definer body of public.create_share_link: sets a fresh random token on the caller’s own resume.$$;

create function private.revoke_share_link(resume_id uuid) returns void language plpgsql volatile security definer set search_path = '' as $$
begin
  perform private.set_share_link(resume_id, null, null);
end
$$;
grant execute on function private.revoke_share_link(resume_id uuid) to authenticated;
comment on function private.revoke_share_link(resume_id uuid) is $$Definer body of public.revoke_share_link: clears the share link of the caller’s own resume.$$;

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
--
-- The rule for a field is written once: a JSON string or number as text, anything else
-- (object, array, boolean, null, missing) as ''. Each section names its fields; every
-- entry of every section is read through that one rule in one pass, then each section
-- keeps the entries the page would render. One query in PL/pgSQL: its statement plan is
-- kept per connection, so PostgREST's pooled connections plan it once.
create function private.public_resume_content(content jsonb) returns jsonb language plpgsql immutable set search_path = '' as $$
begin
  return (
  with section(name, fields) as (
    values ('profile', array['fullName', 'firstName', 'lastName', 'email', 'phone', 'headline', 'location', 'summary']),
           ('socialLinks', array['platform', 'url']),
           ('experience', array['title', 'company', 'location', 'startDate', 'endDate', 'description']),
           ('education', array['school', 'degree', 'field', 'startDate', 'endDate']),
           ('skills', array['name']),
           ('languages', array['name', 'proficiency'])
  ),
  profile as (
    select case when pg_catalog.jsonb_typeof(content -> 'profile') = 'object' then content -> 'profile' else '{}'::jsonb end as p
  ),
  entry as (
    select 'profile' as section, 1::bigint as n, p as value from profile
    union all
    -- A skill or language may be a bare name: read as {"name": ...}.
    select l.name, x.n, case when pg_catalog.jsonb_typeof(x.value) = 'object' then x.value else pg_catalog.jsonb_build_object('name', x.value) end
      from profile,
           -- Each list: socialLinks is the profile's, the others the content's.
           lateral (select s.name, (case s.name when 'socialLinks' then p else content end) -> s.name as list
                      from pg_catalog.unnest(array['socialLinks', 'experience', 'education', 'skills', 'languages']) s(name)) l,
           pg_catalog.jsonb_array_elements(case when pg_catalog.jsonb_typeof(l.list) = 'array' then l.list else '[]'::jsonb end) with ordinality x(value, n)
  ),
  shown as materialized (
    select e.section, e.n, e.value,
           (select pg_catalog.jsonb_object_agg(f, case when pg_catalog.jsonb_typeof(e.value -> f) in ('string', 'number') then e.value ->> f else '' end)
              from pg_catalog.unnest(s.fields) f) as text
      from entry e join section s on s.name = e.section
  )
  select pg_catalog.jsonb_build_object(
    'profile', (select t.text || pg_catalog.jsonb_build_object('socialLinks', coalesce((
                  select pg_catalog.jsonb_agg(l.text order by l.n) from shown l
                   where l.section = 'socialLinks' and l.text ->> 'url' ~* '^https?://'), '[]'::jsonb))
                  from shown t where t.section = 'profile'),
    'experience', coalesce((
      select pg_catalog.jsonb_agg(t.text || pg_catalog.jsonb_build_object('isCurrent', coalesce(t.value -> 'isCurrent' = 'true'::jsonb, false)) order by t.n)
        from shown t
       where t.section = 'experience' and pg_catalog.btrim((t.text ->> 'title') || (t.text ->> 'company') || (t.text ->> 'description')) <> ''), '[]'::jsonb),
    'education', coalesce((
      select pg_catalog.jsonb_agg(t.text order by t.n) from shown t
       where t.section = 'education' and pg_catalog.btrim((t.text ->> 'school') || (t.text ->> 'degree') || (t.text ->> 'field')) <> ''), '[]'::jsonb),
    'skills', coalesce((
      select pg_catalog.jsonb_agg(t.text -> 'name' order by t.n) from shown t
       where t.section = 'skills' and pg_catalog.btrim(t.text ->> 'name') <> ''), '[]'::jsonb),
    'languages', coalesce((
      select pg_catalog.jsonb_agg(t.text order by t.n) from shown t
       where t.section = 'languages' and pg_catalog.btrim(t.text ->> 'name') <> ''), '[]'::jsonb)));
end
$$;
comment on function private.public_resume_content(content jsonb) is $$What a share link shows of a resume version’s content: the rendered fields only, by allow-list (no ids, provenance, targetRole, proficiencies or wizard metadata).$$;

-- The client of the current request as PostgREST published it in request.headers (the
-- share function publishes the client's headers the same way): the address the
-- platform's proxy reports (cf-connecting-ip, x-real-ip, else the first X-Forwarded-For
-- entry) and the User-Agent. This is the one place the viewer rule is written.
create function private.share_client() returns table (address text, user_agent text) language plpgsql stable set search_path = '' as $$
declare
  headers jsonb;
begin
  headers := coalesce(nullif(pg_catalog.current_setting('request.headers', true), '')::jsonb, '{}'::jsonb);
  if pg_catalog.jsonb_typeof(headers) <> 'object' then
    headers := '{}'::jsonb;
  end if;
  address := pg_catalog.left(coalesce(nullif(headers ->> 'cf-connecting-ip', ''),
                                      nullif(headers ->> 'x-real-ip', ''),
                                      pg_catalog.btrim(pg_catalog.split_part(coalesce(headers ->> 'x-forwarded-for', ''), ',', 1))), 100);
  user_agent := pg_catalog.left(coalesce(headers ->> 'user-agent', ''), 500);
  return next;
end
$$;
comment on function private.share_client() is $$The client of the current request from request.headers (as PostgREST, or the share function acting like it, publishes them): address (cf-connecting-ip, x-real-ip, else the first X-Forwarded-For entry) and User-Agent.$$;
-- The fair-use check (90_fair_use.sql) counts an anonymous client by the same address.
grant execute on function private.share_client() to anon;

-- The viewer key of the current request: SHA-256 (hex) of the client's address and User-Agent.
create function private.share_viewer_key() returns text language sql stable set search_path = '' as $$
  select pg_catalog.encode(extensions.digest(c.address || E'\n' || c.user_agent, 'sha256'), 'hex')
    from private.share_client() c
$$;
comment on function private.share_viewer_key() is $$The current share-page viewer as a SHA-256 hex key of the client address and User-Agent (private.share_client); the only place the viewer rule is written.$$;

-- How many views and downloads one link may count per hour, all viewers together: the
-- bound on the writes a flood of distinct (or forged) viewers can cause.
create function private.share_counts_per_link_hour() returns integer language sql immutable set search_path = '' as $$
  select 200
$$;
comment on function private.share_counts_per_link_hour() is $$How many views and downloads one share link counts per hour, all viewers together (200): bounds the writes a flood of distinct or forged viewers causes.$$;

-- How long an access grant from unlock_share_link opens a password-protected link.
create function private.share_access_lifetime() returns interval language sql immutable set search_path = '' as $$
  select interval '1 hour'
$$;
comment on function private.share_access_lifetime() is $$How long an access grant from unlock_share_link opens a password-protected link: 1 hour.$$;

-- The signature of an access grant: HMAC-SHA256 of the token and the expiry, keyed with
-- the link's password hash (a secret no API returns). A new password has a new salt,
-- hence a new hash, so every grant given for the old one stops matching.
create function private.share_access_signature(token text, password_hash text, expires bigint) returns text language sql immutable set search_path = '' as $$
  select pg_catalog.translate(pg_catalog.encode(
           extensions.hmac(token || E'\n' || expires::text, password_hash, 'sha256'), 'base64'), '+/=', '-_')
$$;
comment on function private.share_access_signature(token text, password_hash text, expires bigint) is $$HMAC-SHA256 (base64url) of the share token and expiry, keyed with the link’s password hash: a new password invalidates every grant.$$;

-- Whether access ('<expiry in Unix seconds>.<signature>') opens the link now.
create function private.share_access_is_valid(token text, password_hash text, access text) returns boolean language plpgsql stable set search_path = '' as $$
declare
  expires bigint;
begin
  if access is null or access !~ '^[0-9]{10,11}[.][A-Za-z0-9_-]{43}$' then
    return false;
  end if;
  expires := pg_catalog.split_part(access, '.', 1)::bigint;
  if pg_catalog.to_timestamp(expires) <= pg_catalog.now()
     or pg_catalog.to_timestamp(expires) > pg_catalog.now() + private.share_access_lifetime() then
    return false;
  end if;
  return pg_catalog.split_part(access, '.', 2) = private.share_access_signature(token, password_hash, expires);
end
$$;
comment on function private.share_access_is_valid(token text, password_hash text, access text) is $$Whether an access grant (<expiry>.<signature>) is unexpired, not beyond the lifetime, and signed for this token and password.$$;

-- Counts one view or download (kind: 'view', 'pdf', 'jsonresume') of a live link by the
-- current viewer: at most once per viewer, kind and hour, and at most
-- share_counts_per_link_hour() per link and hour. A viewer already counted within the
-- hour, and any viewer once the link's hour is full, cause no write at all (a fresh row
-- or the full hour is looked up first). A view that can count locks the link's row, so
-- concurrent new viewers are counted one at a time against the cap; the running total,
-- the day's statistics and the viewer's row are written in this one transaction.
create function private.count_share_event(resume_id uuid, owner_id uuid, token text, kind text)
returns boolean language plpgsql volatile set search_path = '' as $$
declare
  viewer bytea := extensions.digest(token || E'\n' || kind || E'\n' || private.share_viewer_key(), 'sha256');
  counted boolean := false;
  hour_start timestamptz := pg_catalog.now() - interval '1 hour';
begin
  if exists (select 1 from private.share_views v
              where v.generated_resume_id = resume_id and v.viewer_hash = viewer and v.counted_at > hour_start) then
    return false;
  end if;
  if (select pg_catalog.count(*) from private.share_views v
       where v.generated_resume_id = resume_id and v.counted_at > hour_start) >= private.share_counts_per_link_hour() then
    return false;
  end if;
  perform 1 from public.generated_resumes gr where gr.id = resume_id for no key update;
  if (select pg_catalog.count(*) from private.share_views v
       where v.generated_resume_id = resume_id and v.counted_at > hour_start) >= private.share_counts_per_link_hour() then
    return false;
  end if;
  -- The upsert takes the viewer row's lock: of two concurrent first views one inserts
  -- and the other sees a fresh counted_at.
  insert into private.share_views as v (generated_resume_id, viewer_hash, counted_at)
  values (resume_id, viewer, pg_catalog.now())
  on conflict (generated_resume_id, viewer_hash) do update
     set counted_at = excluded.counted_at
   where v.counted_at <= excluded.counted_at - interval '1 hour'
  returning true into counted;
  if not coalesce(counted, false) then
    return false;
  end if;
  if kind = 'view' then
    update public.generated_resumes gr
       set share_view_count = gr.share_view_count + 1
     where gr.id = resume_id;
  end if;
  insert into private.share_link_days as d (generated_resume_id, user_id, day, views, pdf_downloads, jsonresume_downloads)
  values (resume_id, owner_id, (pg_catalog.now() at time zone 'UTC')::date,
          (kind = 'view')::integer, (kind = 'pdf')::integer, (kind = 'jsonresume')::integer)
  on conflict (generated_resume_id, day) do update
     set views = d.views + excluded.views,
         pdf_downloads = d.pdf_downloads + excluded.pdf_downloads,
         jsonresume_downloads = d.jsonresume_downloads + excluded.jsonresume_downloads;
  return true;
end
$$;
comment on function private.count_share_event(resume_id uuid, owner_id uuid, token text, kind text) is $$Counts a view or download (view, pdf, jsonresume) of a live link by the current viewer: once per viewer, kind and hour, at most share_counts_per_link_hour() per link and hour, with no write for a viewer already counted or a full hour; total and daily statistics in the same transaction.$$;

-- The resume behind a live token, as the share page and the RPC show it, or null for an
-- unknown, revoked or expired token and for a password-protected one without a valid
-- access grant (the two answers are the same). The owner (a request carrying their
-- token) needs no password. Counts the request as `counted_as` ('view', 'pdf' or
-- 'jsonresume'; the share function names the download it serves), never for HEAD or the owner.
create function private.get_public_generated_resume(token text, access text, counted_as text) returns jsonb language plpgsql volatile security definer set search_path = '' as $$
declare
  shared record;
  is_owner boolean;
begin
  -- A malformed token cannot match; answer without touching the table.
  if token is null or token !~ '^[A-Za-z0-9_-]{22,128}$' then
    return null;
  end if;
  if counted_as is null or counted_as <> all (array['view', 'pdf', 'jsonresume']) then
    raise exception 'counted_as must be view, pdf or jsonresume' using errcode = '22023';
  end if;
  -- Unique-index probe on share_token.
  select gr.id, gr.title, gr.template_id, gr.user_id, p.password_hash into shared
    from public.generated_resumes gr
    left join private.share_link_passwords p on p.generated_resume_id = gr.id
   where gr.share_token = token
     and (gr.share_expires_at is null or gr.share_expires_at > pg_catalog.now());
  if not found then
    -- Unknown, revoked and expired tokens are indistinguishable.
    return null;
  end if;
  is_owner := shared.user_id is not distinct from (select auth.uid());
  if shared.password_hash is not null and not is_owner
     and not private.share_access_is_valid(token, shared.password_hash, access) then
    -- Protected, without a valid grant: the same answer as an unknown token.
    return null;
  end if;

  if coalesce(pg_catalog.current_setting('request.method', true), '') <> 'HEAD' and not is_owner then
    perform private.count_share_event(shared.id, shared.user_id, token, counted_as);
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
grant execute on function private.get_public_generated_resume(token text, access text, counted_as text) to anon, authenticated, service_role;
comment on function private.get_public_generated_resume(token text, access text, counted_as text) is $$Definer body of public.get_public_generated_resume (and the share function’s read, which names the download it serves): for a live token, the newest version as the share page renders it (see private.public_resume_content), else null; null too for a password-protected link without a valid access grant (the owner needs none); counts the request as counted_as, never for HEAD or the owner.$$;

-- A bcrypt hash of a password no link has, evaluated for unknown links so that they take
-- as long to refuse as a wrong password does (same cost, 10).
create function private.share_dummy_password_hash() returns text language sql immutable set search_path = '' as $$
  select '$2a$10$lWJMyC3F84PNuPP.Rg.lgetIDtkPjePA3hhF.BZg.fdtQHhdlKHw6'::text
$$;
comment on function private.share_dummy_password_hash() is $$A bcrypt hash (cost 10) of no link’s password, evaluated for unknown links so that they take as long to refuse as a wrong password.$$;

-- Takes one evaluation slot for a password guess, or refuses. Atomic: the upsert holds
-- the (link, client) row's lock, so parallel guesses queue and each sees the others'
-- slots; at most 5 per link and client within any 10 minutes. Before it, two unlocked
-- reads refuse a link (25) or a client (25) whose guesses in the window are already
-- many: those two bounds can be passed by the guesses running at the same moment.
-- Returns 0 when a slot was taken, else the seconds until one frees.
create function private.take_share_password_slot(link_key bytea, client_key bytea, stamp timestamptz)
returns integer language plpgsql volatile set search_path = '' as $$
declare
  window_start timestamptz := stamp - interval '10 minutes';
  taken boolean;
  oldest timestamptz;
begin
  select pg_catalog.min(t) into oldest
    from (select t from private.share_password_attempts a, pg_catalog.unnest(a.attempted_at) t
           where a.link_key = take_share_password_slot.link_key and t > window_start
           order by t desc limit 25) recent
  having pg_catalog.count(*) >= 25;
  if oldest is null then
    select pg_catalog.min(t) into oldest
      from (select t from private.share_password_attempts a, pg_catalog.unnest(a.attempted_at) t
             where a.client_key = take_share_password_slot.client_key and t > window_start
             order by t desc limit 25) recent
    having pg_catalog.count(*) >= 25;
  end if;
  if oldest is null then
    insert into private.share_password_attempts as a (link_key, client_key, attempted_at)
    values (take_share_password_slot.link_key, take_share_password_slot.client_key, array[stamp])
    on conflict on constraint share_password_attempts_pkey do update
       set attempted_at = array(select t from pg_catalog.unnest(a.attempted_at) t
                                 where t > window_start order by t) || stamp
     where (select pg_catalog.count(*) from pg_catalog.unnest(a.attempted_at) t where t > window_start) < 5
    returning true into taken;
    if coalesce(taken, false) then
      return 0;
    end if;
    select pg_catalog.min(t) into oldest
      from private.share_password_attempts a, pg_catalog.unnest(a.attempted_at) t
     where a.link_key = take_share_password_slot.link_key and a.client_key = take_share_password_slot.client_key
       and t > window_start;
  end if;
  return greatest(1, pg_catalog.ceil(extract(epoch from (coalesce(oldest, stamp) + interval '10 minutes' - stamp)))::integer);
end
$$;
comment on function private.take_share_password_slot(link_key bytea, client_key bytea, stamp timestamp with time zone) is $$Takes an evaluation slot for a password guess (0) or returns the seconds to wait: at most 5 per link and client in any 10 minutes (atomic, under the row lock), and about 25 per link and 25 per client.$$;

-- Trades the password of a live link for an access grant. Never raises once a guess is
-- counted (an error would roll the count back): the answer is a JSON object,
--   {"access": "<expiry>.<signature>", "expires_at": "<timestamptz>"} on success,
--   {"code": "invalid_password", "message", "details", "hint"} for a wrong password and
--     for an unknown, revoked, expired or unprotected link alike (a dummy hash is
--     evaluated, so they take as long),
--   {"code": "too_many_attempts", ...} when the guesses of this client at this link (5),
--     at this link (25) or by this client (25) in the last 10 minutes are used up;
--     nothing is evaluated then, and response.headers holds Retry-After.
-- Failures are in PostgREST's error shape, and through PostgREST answer 401 and 429
-- (response.status), the transaction still committing the counted guess. A right
-- password gives its slot back: only wrong ones are limited.
create function private.unlock_share_link(token text, password text) returns jsonb language plpgsql volatile security definer set search_path = '' as $$
declare
  stamp timestamptz := pg_catalog.clock_timestamp();
  guessed_link bytea;
  guessing_client bytea;
  wait integer;
  stored text;
  matches boolean;
  expires bigint;
begin
  if password is null or octet_length(password) > 1024 then
    raise exception 'password must be given, at most 1024 bytes' using errcode = '22023';
  end if;
  if token is null or token !~ '^[A-Za-z0-9_-]{22,128}$' then
    perform pg_catalog.set_config('response.status', '401', true);
    return pg_catalog.jsonb_build_object('code', 'invalid_password',
      'message', 'This password does not open this share link, or the link is not available.',
      'details', null, 'hint', null);
  end if;
  guessed_link := extensions.digest('share-password' || E'\n' || token, 'sha256');
  guessing_client := extensions.digest('share-password' || E'\n' || (select c.address from private.share_client() c), 'sha256');
  wait := private.take_share_password_slot(guessed_link, guessing_client, stamp);
  if wait > 0 then
    perform pg_catalog.set_config('response.status', '429', true);
    perform pg_catalog.set_config('response.headers', pg_catalog.jsonb_build_array(
      pg_catalog.jsonb_build_object('Retry-After', wait::text))::text, true);
    return pg_catalog.jsonb_build_object('code', 'too_many_attempts',
      'message', 'Too many wrong passwords for this link from here; try again later.',
      'details', pg_catalog.format('Try again in %s seconds.', wait), 'hint', null);
  end if;

  select p.password_hash into stored
    from public.generated_resumes gr
    join private.share_link_passwords p on p.generated_resume_id = gr.id
   where gr.share_token = token
     and (gr.share_expires_at is null or gr.share_expires_at > pg_catalog.now());
  matches := extensions.crypt(password, coalesce(stored, private.share_dummy_password_hash()))
             = coalesce(stored, private.share_dummy_password_hash())
             and stored is not null;
  if not matches then
    perform pg_catalog.set_config('response.status', '401', true);
    return pg_catalog.jsonb_build_object('code', 'invalid_password',
      'message', 'This password does not open this share link, or the link is not available.',
      'details', null, 'hint', null);
  end if;

  -- A right password: give the slot back.
  delete from private.share_password_attempts a
   where a.link_key = guessed_link and a.client_key = guessing_client
     and a.attempted_at = array[stamp];
  update private.share_password_attempts a
     set attempted_at = pg_catalog.array_remove(a.attempted_at, stamp)
   where a.link_key = guessed_link and a.client_key = guessing_client
     and stamp = any (a.attempted_at);
  expires := pg_catalog.floor(extract(epoch from pg_catalog.now() + private.share_access_lifetime()))::bigint;
  return pg_catalog.jsonb_build_object(
    'access', expires::text || '.' || private.share_access_signature(token, stored, expires),
    'expires_at', pg_catalog.to_timestamp(expires));
end
$$;
grant execute on function private.unlock_share_link(token text, password text) to anon, authenticated, service_role;
comment on function private.unlock_share_link(token text, password text) is $$Definer body of public.unlock_share_link.$$;

-- The owner sets (or changes) the password of one of their resumes' share links. It
-- applies to the link whatever its token: creating the link again keeps it; revoking the
-- link does not remove it. Returns when it was set.
create function private.set_share_link_password(resume_id uuid, password text) returns timestamptz language plpgsql volatile security definer set search_path = '' as $$
begin
  if password is null or pg_catalog.char_length(password) < 6 or octet_length(password) > 72 then
    raise exception 'A share-link password has 6 to 72 bytes (bcrypt reads no further).' using errcode = '22023';
  end if;
  perform private.assert_own_generated_resume(resume_id);
  insert into private.share_link_passwords as p (generated_resume_id, password_hash, set_at)
  values (resume_id, extensions.crypt(password, extensions.gen_salt('bf', 10)), pg_catalog.now())
  on conflict (generated_resume_id) do update
     set password_hash = excluded.password_hash, set_at = excluded.set_at;
  return pg_catalog.now();
end
$$;
grant execute on function private.set_share_link_password(resume_id uuid, password text) to authenticated;
comment on function private.set_share_link_password(resume_id uuid, password text) is $$Definer body of public.set_share_link_password.$$;

create function private.remove_share_link_password(resume_id uuid) returns void language plpgsql volatile security definer set search_path = '' as $$
begin
  perform private.assert_own_generated_resume(resume_id);
  delete from private.share_link_passwords p where p.generated_resume_id = resume_id;
end
$$;
grant execute on function private.remove_share_link_password(resume_id uuid) to authenticated;
comment on function private.remove_share_link_password(resume_id uuid) is $$Definer body of public.remove_share_link_password.$$;

create function private.share_link_password_set_at(resume_id uuid) returns timestamptz language plpgsql stable security definer set search_path = '' as $$
begin
  perform private.assert_own_generated_resume(resume_id);
  return (select p.set_at from private.share_link_passwords p where p.generated_resume_id = resume_id);
end
$$;
grant execute on function private.share_link_password_set_at(resume_id uuid) to authenticated;
comment on function private.share_link_password_set_at(resume_id uuid) is $$Definer body of public.share_link_password_set_at.$$;

-- The owner's daily statistics of one link: the last 30 UTC days, today last, zero-filled.
create function private.share_link_statistics(resume_id uuid)
returns table (day date, views integer, pdf_downloads integer, jsonresume_downloads integer) language plpgsql stable security definer set search_path = '' as $$
declare
  today date := (pg_catalog.now() at time zone 'UTC')::date;
begin
  perform private.assert_own_generated_resume(resume_id);
  return query
    select s.day::date, coalesce(d.views, 0), coalesce(d.pdf_downloads, 0), coalesce(d.jsonresume_downloads, 0)
      from pg_catalog.generate_series(today - 29, today, interval '1 day') s(day)
      left join private.share_link_days d on d.generated_resume_id = resume_id and d.day = s.day::date
     order by s.day;
end
$$;
grant execute on function private.share_link_statistics(resume_id uuid) to authenticated;
comment on function private.share_link_statistics(resume_id uuid) is $$Definer body of public.share_link_statistics.$$;

-- Counted-view rows older than an hour can no longer stop a count; forget them.
create function private.forget_old_share_views() returns integer language plpgsql volatile set search_path = '' as $$
declare
  forgotten integer;
begin
  delete from private.share_views v where v.counted_at < pg_catalog.now() - interval '1 hour';
  get diagnostics forgotten = row_count;
  return forgotten;
end
$$;
comment on function private.forget_old_share_views() is $$Deletes share-view rows older than an hour and returns how many; run hourly by pg_cron job forget-old-share-views.$$;

-- Password guesses older than 10 minutes no longer limit anyone, and daily statistics
-- older than 30 days are never read; forget both.
create function private.forget_old_share_link_rows() returns integer language plpgsql volatile set search_path = '' as $$
declare
  guesses integer;
  days integer;
begin
  delete from private.share_password_attempts a
   where not exists (select 1 from pg_catalog.unnest(a.attempted_at) t where t > pg_catalog.now() - interval '10 minutes');
  get diagnostics guesses = row_count;
  delete from private.share_link_days d where d.day < (pg_catalog.now() at time zone 'UTC')::date - 30;
  get diagnostics days = row_count;
  return guesses + days;
end
$$;
comment on function private.forget_old_share_link_rows() is $$Deletes password guesses older than 10 minutes and daily share statistics older than 30 days; returns how many rows; run hourly by pg_cron job forget-old-share-link-rows.$$;

-- Indexes

create index idx_share_views_counted_at on private.share_views (counted_at);
create index idx_share_password_attempts_client_key on private.share_password_attempts (client_key);
create index idx_share_link_days_user_id on private.share_link_days (user_id);

-- Triggers

-- BEFORE triggers fire in name order: this one runs after update_generated_resumes_updated_at
-- and undoes its bump when only the view count changed.
create trigger zz_share_view_keeps_updated_at before update on public.generated_resumes
  for each row execute function private.keep_updated_at_on_share_view();

-- Functions

create function public.create_share_link(generated_resume_id uuid, expires_at timestamptz default null)
returns text language sql volatile security invoker set search_path = '' as $$
  select private.create_share_link(generated_resume_id, expires_at)
$$;
grant execute on function public.create_share_link(generated_resume_id uuid, expires_at timestamp with time zone) to authenticated;
comment on function public.create_share_link(generated_resume_id uuid, expires_at timestamp with time zone) is $$Creates (or replaces) the share link of one of your generated resumes and returns its token (32 URL-safe characters). expires_at must be in the future; null = no expiry. 404 when the resume is not yours.$$;

create function public.revoke_share_link(generated_resume_id uuid) returns void language sql volatile security invoker set search_path = '' as $$
  select private.revoke_share_link(generated_resume_id)
$$;
grant execute on function public.revoke_share_link(generated_resume_id uuid) to authenticated;
comment on function public.revoke_share_link(generated_resume_id uuid) is $$Revokes the share link of one of your generated resumes; the old token stops working at once. 404 when the resume is not yours.$$;

create function public.get_public_generated_resume(share_token text, access text default null) returns jsonb language sql volatile security invoker set search_path = '' as $$
  select private.get_public_generated_resume(share_token, access, 'view')
$$;
grant execute on function public.get_public_generated_resume(share_token text, access text) to anon, authenticated, service_role;
comment on function public.get_public_generated_resume(share_token text, access text) is $$Public share page: {title, template_slug, updated_at (YYYY-MM-DD), content {profile, experience, education, skills, languages}} of the newest version for a live, unexpired token, limited to what the page renders (no ids, provenance, targetRole or wizard metadata); null for an unknown, revoked or expired one, and for a password-protected one unless access is a valid grant from unlock_share_link. Callable without signing in. Counts a view at most once per viewer (hash of address and User-Agent) per hour and at most 200 per link per hour, never for HEAD or the owner.$$;

create function public.unlock_share_link(share_token text, password text) returns jsonb language sql volatile security invoker set search_path = '' as $$
  select private.unlock_share_link(share_token, password)
$$;
grant execute on function public.unlock_share_link(share_token text, password text) to anon, authenticated, service_role;
comment on function public.unlock_share_link(share_token text, password text) is $$Trades the password of a protected share link for an access grant: {access, expires_at} (1 hour), else {code: invalid_password} for a wrong password and an unknown link alike (401 through PostgREST), or {code: too_many_attempts} (429, Retry-After) after 5 wrong guesses from this client at this link in 10 minutes. Callable without signing in.$$;

create function public.set_share_link_password(generated_resume_id uuid, password text) returns timestamptz language sql volatile security invoker set search_path = '' as $$
  select private.set_share_link_password(generated_resume_id, password)
$$;
grant execute on function public.set_share_link_password(generated_resume_id uuid, password text) to authenticated;
comment on function public.set_share_link_password(generated_resume_id uuid, password text) is $$Sets or changes the password of the share link of one of your generated resumes (6 to 72 bytes, stored as a bcrypt hash, never returned); access granted with the old password ends. Returns when it was set. 404 when the resume is not yours.$$;

create function public.remove_share_link_password(generated_resume_id uuid) returns void language sql volatile security invoker set search_path = '' as $$
  select private.remove_share_link_password(generated_resume_id)
$$;
grant execute on function public.remove_share_link_password(generated_resume_id uuid) to authenticated;
comment on function public.remove_share_link_password(generated_resume_id uuid) is $$Removes the password of the share link of one of your generated resumes: the link opens without one again. 404 when the resume is not yours.$$;

create function public.share_link_password_set_at(generated_resume_id uuid) returns timestamptz language sql stable security invoker set search_path = '' as $$
  select private.share_link_password_set_at(generated_resume_id)
$$;
grant execute on function public.share_link_password_set_at(generated_resume_id uuid) to authenticated;
comment on function public.share_link_password_set_at(generated_resume_id uuid) is $$When the password of your resume’s share link was set; null when it has none. 404 when the resume is not yours.$$;

create function public.share_link_statistics(generated_resume_id uuid)
returns table (day date, views integer, pdf_downloads integer, jsonresume_downloads integer) language sql stable security invoker set search_path = '' as $$
  select * from private.share_link_statistics(generated_resume_id)
$$;
grant execute on function public.share_link_statistics(generated_resume_id uuid) to authenticated;
comment on function public.share_link_statistics(generated_resume_id uuid) is $$Views and downloads (PDF, JSON Resume) of the share link of one of your generated resumes per UTC day, the last 30 days with today last, zero-filled; counted as share_view_count is. 404 when the resume is not yours.$$;

-- Scheduled jobs

-- Hourly: counted-view rows past their hour, password guesses past their 10 minutes and
-- daily statistics past their 30 days are deleted.
call private.schedule_job('forget-old-share-views', '7 * * * *', 'select private.forget_old_share_views()');
call private.schedule_job('forget-old-share-link-rows', '27 * * * *', 'select private.forget_old_share_link_rows()');

