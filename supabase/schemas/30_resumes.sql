-- Resumes: the files a user uploads (resumes, in a private Storage bucket under their own
-- folder, one default), the resume builder's documents (one current), the templates
-- everyone may read, and the generated resumes with their numbered versions (1..n, no
-- gaps under concurrency, at most 100) and rendered PDFs. The share-link columns of
-- generated_resumes are read by 50_share_links.sql.

-- Tables

create table public.resumes (
  id uuid primary key default extensions.uuid_generate_v4(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  filename varchar(255) not null,
  file_url text not null,
  file_size integer not null,
  is_default boolean default false,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  constraint resumes_file_url_size check (octet_length(file_url) <= 1024)
);
alter table public.resumes enable row level security;
comment on table public.resumes is $$Uploaded resume files (PDF, DOC, DOCX) stored in Storage.$$;
comment on column public.resumes.filename is $$Original file name.$$;
comment on column public.resumes.file_url is $$Object path of the file in the private resumes bucket, under the owner’s folder: {user_id}/resumes/{uuid}{ext}. Read it through the Storage API (download or signed URL).$$;
comment on column public.resumes.file_size is $$File size in bytes.$$;
comment on column public.resumes.is_default is $$The user’s default resume; at most one per user, switch with set_default_resume().$$;

create table public.resume_builder_data (
  id uuid primary key default extensions.uuid_generate_v4(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  template_id varchar(100) not null,
  title varchar(255) default 'My Resume'::character varying,
  resume_data jsonb not null,
  is_current boolean default false,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  constraint resume_builder_data_resume_data_check check (jsonb_typeof(resume_data) = 'object'),
  constraint resume_builder_data_resume_data_size check (octet_length(resume_data::text) <= 524288)
);
alter table public.resume_builder_data enable row level security;
comment on table public.resume_builder_data is $$Resumes edited in the resume builder, as structured data.$$;
comment on column public.resume_builder_data.template_id is $$Slug of the template used (e.g. modern-professional).$$;
comment on column public.resume_builder_data.title is $$Resume title.$$;
comment on column public.resume_builder_data.resume_data is $$The resume as a JSON object (personalInfo, summary, workExperience, education, skills, languages).$$;
comment on column public.resume_builder_data.is_current is $$The resume the builder opens; at most one per user, switch with set_current_resume_builder().$$;

create table public.templates (
  id uuid primary key default extensions.uuid_generate_v4(),
  name text not null,
  slug text not null,
  schema jsonb not null,
  preview_url text,
  is_active boolean default true,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  constraint templates_name_key unique (name),
  constraint templates_slug_key unique (slug),
  constraint templates_name_size check (octet_length(name) <= 255),
  constraint templates_preview_url_check check (preview_url ~* '^https?://[^[:space:]/?#]+[^[:space:]]*$'),
  constraint templates_preview_url_size check (octet_length(preview_url) <= 2048),
  constraint templates_schema_size check (octet_length(schema::text) <= 262144),
  constraint templates_slug_check check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  constraint templates_slug_size check (octet_length(slug) <= 100)
);
alter table public.templates enable row level security;
comment on table public.templates is $$Resume templates; readable by every signed-in user (anon reads one layout through get_template_layout).$$;
comment on column public.templates.name is $$Display name, unique.$$;
comment on column public.templates.slug is $$Lowercase-kebab identifier, unique (e.g. clean-impact).$$;
comment on column public.templates.schema is $$Template definition: metadata, layout, sections, theme, styles.$$;
comment on column public.templates.preview_url is $$Preview image, an http(s) URL.$$;
comment on column public.templates.is_active is $$Only active templates are offered.$$;

create table public.generated_resumes (
  id uuid primary key default extensions.uuid_generate_v4(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  template_id uuid not null references public.templates (id) on delete restrict,
  title text default 'My Resume',
  current_version integer,
  share_token text,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  share_created_at timestamptz,
  share_expires_at timestamptz,
  share_view_count integer not null default 0,
  constraint generated_resumes_share_token_key unique (share_token),
  constraint generated_resumes_share_token_size check (octet_length(share_token) <= 128),
  constraint generated_resumes_share_view_count_not_negative check (share_view_count >= 0),
  constraint generated_resumes_title_size check (octet_length(title) <= 1024)
);
alter table public.generated_resumes enable row level security;
comment on table public.generated_resumes is $$Resumes produced by the AI wizard; their content lives in generated_resume_versions.$$;
comment on column public.generated_resumes.template_id is $$The template used.$$;
comment on column public.generated_resumes.title is $$Resume title.$$;
comment on column public.generated_resumes.current_version is $$Number of the newest version, kept up to date by trigger.$$;
comment on column public.generated_resumes.share_token is $$Token of the live share link (base64url, 192 random bits), or null when not shared. Written only by create_share_link / revoke_share_link.$$;
comment on column public.generated_resumes.share_created_at is $$When the current share link was created.$$;
comment on column public.generated_resumes.share_expires_at is $$When the current share link stops working; null = never.$$;
comment on column public.generated_resumes.share_view_count is $$Distinct viewers of the current share link, each counted at most once per hour; HEAD requests and the owner are not counted.$$;

create table public.generated_resume_versions (
  id uuid primary key default extensions.uuid_generate_v4(),
  generated_resume_id uuid not null references public.generated_resumes (id) on delete cascade,
  version_number integer not null,
  content_json jsonb not null,
  render_artifact_url text,
  created_at timestamptz default now(),
  constraint generated_resume_versions_generated_resume_id_version_numbe_key unique (generated_resume_id, version_number),
  constraint generated_resume_versions_content_json_check check (jsonb_typeof(content_json) = 'object'),
  constraint generated_resume_versions_render_artifact_url_size check (octet_length(render_artifact_url) <= 2048),
  constraint generated_resume_versions_versions_per_resume check ((version_number >= 1) and (version_number <= 100))
);
alter table public.generated_resume_versions enable row level security;
comment on table public.generated_resume_versions is $$Versions of a generated resume, numbered 1..n per resume.$$;
comment on column public.generated_resume_versions.generated_resume_id is $$The generated resume this version belongs to.$$;
comment on column public.generated_resume_versions.version_number is $$1, 2, 3... per resume (at most 100), assigned by the database: clients cannot send it.$$;
comment on column public.generated_resume_versions.content_json is $$The resume content of this version, a JSON object.$$;
comment on column public.generated_resume_versions.render_artifact_url is $$Object path of the rendered PDF in the renders bucket, if any; set only by record_render_artifact (clients cannot send it).$$;
comment on column public.generated_resume_versions.created_at is $$When the version was created.$$;
comment on constraint generated_resume_versions_versions_per_resume on public.generated_resume_versions is $$Version numbers are 1..100: a generated resume keeps at most 100 versions (numbers are gap-free, so the number is the count).$$;

-- A version's content is at most 32 KB of JSON: a long real resume is about 10 KB (three
-- pages), and 32 KB of resume text is what the PDF's ten pages hold (nine in every
-- template and paper), so a version at the cap is drawn, not refused. NOT VALID: a version
-- stored under the old 512 KB cap keeps its content (a version is never edited; only
-- record_render_artifact updates its row); every new version is checked (23514).
alter table public.generated_resume_versions
  add constraint generated_resume_versions_content_json_size check (octet_length(content_json::text) <= 32768) not valid;
comment on constraint generated_resume_versions_content_json_size on public.generated_resume_versions is $$content_json is at most 32768 bytes (what ten PDF pages hold). NOT VALID: versions stored before under the old 512 KB cap stay as they were; every new version is checked.$$;

-- Functions the indexes, triggers and policies below call (they must exist first)

-- A storage object name the policies accept: at least `{folder}/{file}`, made of non-empty
-- segments, none of them `.` or `..`, with no percent-encoding, backslash or control
-- character. Comparing only the first folder with the caller's id let `{me}/../{them}/x.pdf`
-- or `{me}/%2e%2e/{them}/x.pdf` through: they start with the caller's folder but resolve
-- (in a file backend, a proxy or a client that normalises paths) somewhere else.
-- A token outlives its account: an access token stays valid until it expires, also after
-- the account is deleted (or soft-deleted). The Storage API writes as the caller with the
-- token's claims, so the Storage policies ask this too: a deleted account's token cannot
-- write an orphan file that account deletion never removes, nor read or change its files.
-- Definer: the API roles cannot read auth.users.
create function private.caller_account_exists() returns boolean language sql stable security definer set search_path = '' as $$
  select exists (select 1 from auth.users u where u.id = (select auth.uid()) and u.deleted_at is null)
$$;
grant execute on function private.caller_account_exists() to authenticated;
comment on function private.caller_account_exists() is $$Whether the caller’s account (auth.uid()) still exists and is not soft-deleted: the Storage policies refuse a deleted account’s still-valid token.$$;

create function private.is_safe_object_name(name text) returns boolean language sql immutable set search_path = '' as $$
  select name is not null
     and name ~ '^[^/]+(/[^/]+)+$'
     and name !~ '(^|/)\.{1,2}(/|$)'
     and name !~ '%[0-9A-Fa-f]{2}'
     and name !~ '[\\[:cntrl:]]'
$$;
grant execute on function private.is_safe_object_name(name text) to authenticated, service_role;
comment on function private.is_safe_object_name(name text) is $$True when a storage object name is folder/.../file with non-empty segments, no "." or ".." segment, no percent-encoding, backslash or control character.$$;

create function private.is_in_owner_folder(object_path text, owner_id uuid) returns boolean language sql immutable set search_path = '' as $$
  -- `{owner}/<at least one more segment>`, with no empty or parent-directory segments
  select object_path is not null
     and split_part(object_path, '/', 1) = owner_id::text
     and object_path ~ '^[^/]+/.+[^/]$'
     and object_path !~ '(^|/)\.\.?(/|$)'
     and object_path !~ '//'
$$;
grant execute on function private.is_in_owner_folder(object_path text, owner_id uuid) to authenticated, service_role;
comment on function private.is_in_owner_folder(object_path text, owner_id uuid) is $$True when object_path lies under the owner’s folder `{owner_id}/...` of a storage bucket.$$;

-- resumes.file_url names the object inside the private `resumes` bucket
-- (`{user_id}/resumes/{uuid}.pdf`), which must lie in the owner's own folder, or one user
-- could point a row at another user's file. The rule is a trigger, not a CHECK, so it
-- judges only new paths (insert, or an update that changes file_url or user_id): a v2.0
-- row the upgrade could not rewrite (see private.legacy_profile_entries, source
-- resumes.file_url) stays editable otherwise. resume_object_path turns a v2.0 Supabase
-- Storage URL into that path.
create function private.resume_object_path(file_url text) returns text language sql immutable set search_path = '' as $$
  select case
    when file_url ~ '^https?://[^/]+/storage/v1/object/(public|sign|authenticated)/resumes/[^?#]+'
      then substring(file_url from '^https?://[^/]+/storage/v1/object/(?:public|sign|authenticated)/resumes/([^?#]+)')
    else file_url
  end
$$;
comment on function private.resume_object_path(file_url text) is $$The object path inside the resumes bucket for a v2.0 Supabase Storage URL; any other value unchanged.$$;

create function private.check_resume_file_path() returns trigger language plpgsql set search_path = '' as $$
begin
  if tg_op = 'INSERT'
     or new.file_url is distinct from old.file_url
     or new.user_id is distinct from old.user_id then
    if not private.is_in_owner_folder(new.file_url, new.user_id) then
      raise exception 'file_url must be an object path under your own folder of the resumes bucket, like %/resumes/<file>', new.user_id
        using errcode = '23514',
              constraint = 'resumes_file_url_in_owner_folder',
              hint = 'Upload the file to the resumes bucket at {user_id}/resumes/... and store that path.';
    end if;
  end if;
  return new;
end
$$;
comment on function private.check_resume_file_path() is $$Trigger: a new or changed resumes.file_url must be an object path in the owner’s folder.$$;

-- Security definer so the next number is computed over all versions of the resume,
-- whatever the caller's policies let it see; RLS still checks the inserted row.
create function private.assign_resume_version_number() returns trigger language plpgsql security definer set search_path = '' as $$
begin
  if new.version_number is null then
    -- Lock the parent row: concurrent inserts for the same resume queue here, and
    -- each then reads the number the previous one committed.
    perform 1 from public.generated_resumes gr where gr.id = new.generated_resume_id for update;
    select coalesce(max(v.version_number), 0) + 1
      into new.version_number
      from public.generated_resume_versions v
     where v.generated_resume_id = new.generated_resume_id;
  end if;
  return new;
end;
$$;
comment on function private.assign_resume_version_number() is $$Trigger (before insert on generated_resume_versions): a version without a number gets one past its resume’s newest, counted over all its versions under a lock of the resume.$$;

-- Security definer so the parent is updated even when the caller may not update
-- generated_resumes directly; it only ever writes current_version.
create function private.sync_current_version() returns trigger language plpgsql security definer set search_path = '' as $$
declare
  resume_id uuid := case when tg_op = 'DELETE' then old.generated_resume_id else new.generated_resume_id end;
begin
  update public.generated_resumes gr
     set current_version = (select max(v.version_number)
                              from public.generated_resume_versions v
                             where v.generated_resume_id = resume_id)
   where gr.id = resume_id;
  if tg_op = 'UPDATE' and old.generated_resume_id is distinct from new.generated_resume_id then
    update public.generated_resumes gr
       set current_version = (select max(v.version_number)
                                from public.generated_resume_versions v
                               where v.generated_resume_id = old.generated_resume_id)
     where gr.id = old.generated_resume_id;
  end if;
  return null;
end;
$$;
comment on function private.sync_current_version() is $$Trigger (after insert, delete or move of a generated resume version): the resume’s current_version is its newest version number.$$;

-- render_artifact_url names the rendered PDF of a version. Versions are append-only (no
-- UPDATE grant to the API roles), so the one column is set through an RPC that checks what
-- a client cannot be trusted to: the version is one of the caller's own, the path is the
-- version's own object in the private renders bucket
-- (`{user_id}/{generated_resume_id}/v{n}-{paper}.pdf`), and the Storage API has stored that
-- object. Rendering twice is fine: the path is the same, the call idempotent. The definer
-- body lives in private (it updates a column the caller may not update); the public
-- wrapper is SECURITY INVOKER. Errors: 42501 (no signed-in user), PT404 (not the caller's
-- resume or no such version), 22023 (a path that is not this version's render), 23503
-- (no stored object).
create function private.record_render_artifact(generated_resume_id uuid, version_number integer, object_path text)
returns public.generated_resume_versions language plpgsql volatile security definer set search_path = '' as $$
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
grant execute on function private.record_render_artifact(generated_resume_id uuid, version_number integer, object_path text) to authenticated;
comment on function private.record_render_artifact(generated_resume_id uuid, version_number integer, object_path text) is $$Definer body of public.record_render_artifact: sets render_artifact_url of one of the caller’s versions to its stored render.$$;

-- Indexes

create index idx_resumes_user_id on public.resumes (user_id);
create unique index resumes_one_default_per_user on public.resumes (user_id) where is_default;
create index idx_resume_builder_data_resume_data on public.resume_builder_data using gin (resume_data);
create index idx_resume_builder_data_template_id on public.resume_builder_data (template_id);
create index idx_resume_builder_data_user_current on public.resume_builder_data (user_id, is_current) where (is_current = true);
create index idx_resume_builder_data_user_id on public.resume_builder_data (user_id);
create unique index resume_builder_data_one_current_per_user on public.resume_builder_data (user_id) where is_current;
create index idx_templates_active on public.templates (name) where is_active;
create index idx_generated_resumes_share_token on public.generated_resumes (share_token) where (share_token is not null);
create index idx_generated_resumes_template_id on public.generated_resumes (template_id);
create index idx_generated_resumes_user_updated on public.generated_resumes (user_id, updated_at desc);
create index idx_generated_resume_versions_resume_id on public.generated_resume_versions (generated_resume_id);
create index idx_generated_resume_versions_resume_version on public.generated_resume_versions (generated_resume_id, version_number desc);

-- Triggers

create trigger resumes_file_url_in_owner_folder before insert or update on public.resumes
  for each row execute function private.check_resume_file_path();

create trigger assign_resume_version_number before insert on public.generated_resume_versions
  for each row execute function private.assign_resume_version_number();

create trigger sync_current_version
  after insert or delete or update of version_number, generated_resume_id on public.generated_resume_versions
  for each row execute function private.sync_current_version();

-- Policies and grants

call private.create_owner_policies('public.resumes',
  'Owners can view their own resume files',
  'Owners can add their own resume files',
  'Owners can update their own resume files',
  'Owners can delete their own resume files');

call private.grant_table_access('public.resumes', may_delete => true,
  insert_columns => '{id, user_id, filename, file_url, file_size, is_default}',
  update_columns => '{filename, file_url, file_size, is_default}');

call private.create_owner_policies('public.resume_builder_data',
  'Owners can view their own builder resumes',
  'Owners can add their own builder resumes',
  'Owners can update their own builder resumes',
  'Owners can delete their own builder resumes');

call private.grant_table_access('public.resume_builder_data', may_delete => true,
  insert_columns => '{id, user_id, template_id, title, resume_data, is_current}',
  update_columns => '{template_id, title, resume_data, is_current}');

create policy "Signed-in users can view active templates" on public.templates
  for select to authenticated using (is_active);

-- anon has no grant on templates (issue 22, finding 1): a filter on the JSON
-- (`schema->>sections=match.<regex>`) held a connection for the whole statement timeout.
-- The share page reads one active template's layout by slug through get_template_layout.
call private.grant_table_access('public.templates', may_delete => false);

call private.create_owner_policies('public.generated_resumes',
  'Owners can view their own generated resumes',
  null,
  'Owners can update their own generated resumes',
  'Owners can delete their own generated resumes');

create policy "Owners can create their own generated resumes on active templates" on public.generated_resumes
  for insert to authenticated
  with check ((select auth.uid()) = user_id
              and template_id in (select t.id from public.templates t where t.is_active));

call private.grant_table_access('public.generated_resumes', may_delete => true,
  insert_columns => '{id, user_id, template_id, title}',
  update_columns => '{title}');

create policy "Owners can view the versions of their own generated resumes" on public.generated_resume_versions
  for select to authenticated
  using (generated_resume_id in (select gr.id from public.generated_resumes gr where gr.user_id = (select auth.uid())));

create policy "Owners can add versions to their own generated resumes" on public.generated_resume_versions
  for insert to authenticated
  with check (generated_resume_id in (select gr.id from public.generated_resumes gr where gr.user_id = (select auth.uid())));

-- version_number is assigned by a trigger; render_artifact_url only by record_render_artifact.
call private.grant_table_access('public.generated_resume_versions', may_delete => false,
  insert_columns => '{id, generated_resume_id, content_json}');

-- Storage: three private buckets. Every object lives in its owner's folder
-- `{user_id}/...` (resumes: uploaded files; avatars: profile pictures; renders: PDFs the
-- resume-documents function stores), under a name private.is_safe_object_name accepts.
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values
  ('resumes', 'resumes', false, 5 * 1024 * 1024,
   array['application/pdf',
         'application/msword',
         'application/vnd.openxmlformats-officedocument.wordprocessingml.document']),
  ('avatars', 'avatars', false, 2 * 1024 * 1024, array['image/*']),
  ('renders', 'renders', false, 5 * 1024 * 1024, array['application/pdf'])
on conflict (id) do update
  set name = excluded.name,
      public = excluded.public,
      file_size_limit = excluded.file_size_limit,
      allowed_mime_types = excluded.allowed_mime_types;

-- Every command checks the name, so an unsafe name that slipped in earlier cannot be
-- read or deleted through it either (the service role can still clean it up); owner_id,
-- which the Storage API sets to the uploader, may only be the caller. The rule "an object
-- in the caller's own folder" is written once here and each policy is made from it,
-- exactly as if written out. Update checks WITH CHECK as well as USING: a rename may not
-- move a file into another user's folder, to an unsafe name, or to another owner.
do $$
declare
  own_object constant text := $rule$bucket_id in ('resumes', 'avatars', 'renders')
    and (storage.foldername(name))[1] = (select auth.uid())::text
    and private.is_safe_object_name(name)
    and (select private.caller_account_exists())$rule$;
  own_upload constant text := own_object || ' and (owner_id is null or owner_id = (select auth.uid())::text)';
begin
  execute format('create policy %I on storage.objects for select to authenticated using (%s)',
                 'Users can view their own files', own_object);
  execute format('create policy %I on storage.objects for insert to authenticated with check (%s)',
                 'Users can upload into their own folder', own_upload);
  execute format('create policy %I on storage.objects for update to authenticated using (%s) with check (%s)',
                 'Users can update their own files', own_object, own_upload);
  execute format('create policy %I on storage.objects for delete to authenticated using (%s)',
                 'Users can delete their own files', own_object);
end
$$;

-- Functions

-- The one switch of a "one flagged row per user" rule (resumes.is_default,
-- resume_builder_data.is_current): the caller's rows of the table are locked first, so
-- concurrent switches run one after the other and each sees the other's result (no unique
-- violation, no two flagged rows); then the flag moves to the chosen row. A row that is
-- not the caller's is 404 (PT404), as `noun` names it. Security invoker: RLS decides which
-- rows the caller may touch.
create function private.flag_own_row(tbl regclass, flag text, chosen uuid, noun text) returns void language plpgsql security invoker set search_path = '' as $$
declare
  caller uuid := auth.uid();
  owned boolean;
begin
  execute pg_catalog.format('select 1 from %s t where t.user_id = $1 for update', tbl) using caller;
  execute pg_catalog.format('select exists (select 1 from %s t where t.id = $1 and t.user_id = $2)', tbl) into owned using chosen, caller;
  if not owned then
    raise exception using
      errcode = 'PT404',
      message = pg_catalog.upper(pg_catalog.left(noun, 1)) || pg_catalog.replace(pg_catalog.substr(noun, 2), '_', ' ') || ' not found',
      detail = pg_catalog.format('No %s %s belongs to the current user.', noun, chosen);
  end if;
  -- Two statements, the old flag cleared first: the unique index behind the rule is
  -- checked row by row.
  execute pg_catalog.format('update %1$s t set %2$I = false where t.user_id = $1 and t.%2$I and t.id <> $2', tbl, flag)
    using caller, chosen;
  execute pg_catalog.format('update %1$s t set %2$I = true where t.id = $1', tbl, flag) using chosen;
end
$$;
grant execute on function private.flag_own_row(tbl regclass, flag text, chosen uuid, noun text) to authenticated, service_role;
comment on function private.flag_own_row(tbl regclass, flag text, chosen uuid, noun text) is $$Moves a one-per-user flag (is_default, is_current) of table tbl to the caller’s row chosen, with the caller’s rows locked; 404 (PT404) when chosen is not theirs.$$;

create function public.set_default_resume(resume_id uuid) returns public.resumes language plpgsql security invoker set search_path = '' as $$
declare
  chosen public.resumes;
begin
  perform private.flag_own_row('public.resumes', 'is_default', resume_id, 'resume');
  select r.* into chosen from public.resumes r where r.id = resume_id;
  return chosen;
end
$$;
grant execute on function public.set_default_resume(resume_id uuid) to authenticated, service_role;
comment on function public.set_default_resume(resume_id uuid) is $$Makes the given resume the caller’s only default resume, atomically. Raises PT404 (HTTP 404) when the resume is not the caller’s.$$;

create function public.set_current_resume_builder(id uuid) returns public.resume_builder_data language plpgsql security invoker set search_path = '' as $$
declare
  chosen public.resume_builder_data;
begin
  perform private.flag_own_row('public.resume_builder_data', 'is_current', set_current_resume_builder.id, 'resume_builder_data');
  select b.* into chosen from public.resume_builder_data b where b.id = set_current_resume_builder.id;
  return chosen;
end
$$;
grant execute on function public.set_current_resume_builder(id uuid) to authenticated, service_role;
comment on function public.set_current_resume_builder(id uuid) is $$Makes the given resume_builder_data row the caller’s only current one, atomically. Raises PT404 (HTTP 404) when the row is not the caller’s.$$;

-- Every edit or tailoring of a generated resume is kept as a new version, and two saves
-- at once must still number 1..n without a gap or a duplicate: clients (and the ai
-- function's tailor-resume action) call this RPC, which checks ownership and lets the
-- numbering trigger pick the number under a lock on the resume.
-- Invoker: the caller may insert versions of their own resumes under RLS already.
create function public.save_generated_resume_version(generated_resume_id uuid, content jsonb)
returns public.generated_resume_versions language plpgsql volatile security invoker set search_path = '' as $$
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
grant execute on function public.save_generated_resume_version(generated_resume_id uuid, content jsonb) to authenticated;
comment on function public.save_generated_resume_version(generated_resume_id uuid, content jsonb) is $$Saves content (a JSON object) as the next version of one of your generated resumes and returns it; numbers stay 1..n without gaps under concurrency, and current_version follows. 404 when the resume is not yours.$$;

create function public.record_render_artifact(generated_resume_id uuid, version_number integer, object_path text)
returns public.generated_resume_versions language sql volatile security invoker set search_path = '' as $$
  select * from private.record_render_artifact(generated_resume_id, version_number, object_path)
$$;
grant execute on function public.record_render_artifact(generated_resume_id uuid, version_number integer, object_path text) to authenticated;
comment on function public.record_render_artifact(generated_resume_id uuid, version_number integer, object_path text) is $$Records the stored PDF of one of your resume versions: object_path is {user_id}/{generated_resume_id}/v{n}-{a4|letter}.pdf in the renders bucket, uploaded first through the Storage API. Returns the version.$$;

-- The layout of one active template, by its slug: what the anonymous share page needs,
-- and nothing a caller can filter or scan (one unique-index lookup).
create function private.get_template_layout(template_slug text) returns jsonb language sql stable security definer set search_path = '' as $$
  select t.schema from public.templates t
   where t.slug = get_template_layout.template_slug and t.is_active
$$;
grant execute on function private.get_template_layout(template_slug text) to anon, authenticated, service_role;
comment on function private.get_template_layout(template_slug text) is $$Definer body of public.get_template_layout.$$;

create function public.get_template_layout(template_slug text) returns jsonb language sql stable security invoker set search_path = '' as $$
  select private.get_template_layout(template_slug)
$$;
grant execute on function public.get_template_layout(template_slug text) to anon, authenticated, service_role;
comment on function public.get_template_layout(template_slug text) is $$The layout (schema) of the active template with this slug, or null: what the public share page needs. Callable without signing in; anon has no other access to templates.$$;

