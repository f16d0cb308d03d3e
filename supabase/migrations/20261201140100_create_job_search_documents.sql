-- Why: search_jobs ranks a user's jobs by full-text relevance, which needs each job's
-- weighted text-search document stored, not recomputed per query (to_tsvector of a
-- long description costs tens of microseconds; a power user's search ranks thousands).
-- A column on jobs would ride along in every `select *` the app sends, so documents
-- live in their own table, one row per job, written only by a trigger on jobs, read by
-- their owner under RLS.
--
-- Two GIN indexes find matches while reading only the caller's entries, so a search
-- costs the same with 200,000 jobs in the table as with 2,000,000:
--   * the document's lexemes, each prefixed with a key derived from the owner's
--     user_id. A plain tsvector index would share one posting list per word among all
--     users, and a prefix search ("kuber" for Kubernetes) would read every user's
--     postings of every matching word; with the key in front, exact words and prefixes
--     both read one user's postings only.
--   * (user_id, job_title || ' ' || company) with trigrams, for typo tolerance.

-- The document: title (weight A), company (B), location (C), description (D, its first
-- 30,000 characters: bounded work per write, and far below tsvector's 1 MB limit).
-- Lexemes over 1,000 bytes (a pasted blob, never a word anyone searches for) are left
-- out, so that the owner's key in front of each indexed lexeme always fits the 2 KB
-- lexeme limit and no job write can fail on it.
create function private.job_search_document(job_title text, company text, location text, description text)
returns tsvector
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
declare
  document tsvector :=
       pg_catalog.setweight(pg_catalog.to_tsvector('pg_catalog.english'::pg_catalog.regconfig, coalesce(job_title, '')), 'A')
    || pg_catalog.setweight(pg_catalog.to_tsvector('pg_catalog.english'::pg_catalog.regconfig, coalesce(company, '')), 'B')
    || pg_catalog.setweight(pg_catalog.to_tsvector('pg_catalog.english'::pg_catalog.regconfig, coalesce(location, '')), 'C')
    || pg_catalog.setweight(pg_catalog.to_tsvector('pg_catalog.english'::pg_catalog.regconfig,
                                                   pg_catalog.left(coalesce(description, ''), 30000)), 'D');
begin
  if exists (select 1 from pg_catalog.unnest(pg_catalog.tsvector_to_array(document)) l where pg_catalog.octet_length(l) > 1000) then
    document := pg_catalog.ts_delete(document, array(
      select l from pg_catalog.unnest(pg_catalog.tsvector_to_array(document)) l where pg_catalog.octet_length(l) > 1000));
  end if;
  return document;
end
$$;
comment on function private.job_search_document(text, text, text, text) is
  'The weighted text-search document of a job: title A, company B, location C, description (first 30,000 characters) D; lexemes over 1,000 bytes left out.';

-- 12 hex digits (48 random bits of a v4 uuid): two users sharing a key would only see
-- each other's postings as candidates, which the user_id filter and RLS then drop.
create function private.job_search_key(user_id uuid)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select pg_catalog.left(pg_catalog.replace(user_id::text, '-', ''), 12)
$$;
comment on function private.job_search_key(uuid) is
  'The per-user key that prefixes every lexeme in the job search index.';

-- The indexed lexemes: the document's, each behind the owner's key (the expression of
-- private.job_search_key, inlined). String functions only, no subquery: the index
-- evaluates this for every job it stores.
create function private.job_search_keys(user_id uuid, document tsvector)
returns tsvector
language sql
immutable
parallel safe
set search_path = ''
as $$
  select pg_catalog.array_to_tsvector(pg_catalog.string_to_array(
           pg_catalog.left(pg_catalog.replace(user_id::text, '-', ''), 12)
             || pg_catalog.array_to_string(pg_catalog.tsvector_to_array(document),
                                           E'\x01' || pg_catalog.left(pg_catalog.replace(user_id::text, '-', ''), 12)),
           E'\x01'))
$$;
comment on function private.job_search_keys(uuid, tsvector) is
  'The lexemes of a job search document, each prefixed with private.job_search_key(owner): what the search index holds.';

create table public.job_search_documents (
  job_id uuid primary key references public.jobs (id) on delete cascade,
  -- The default only matches every owner column's; the trigger always sets it.
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  document tsvector not null,
  title_company text not null,
  -- job_title and company are varchar(255) each: at most 2,041 bytes together.
  constraint job_search_documents_title_company_size check (pg_catalog.octet_length(title_company) <= 2100)
);
comment on table public.job_search_documents is
  'One text-search document per job, kept by trigger from jobs; what search_jobs matches and ranks. Read-only.';
comment on column public.job_search_documents.job_id is 'The job (jobs.id).';
comment on column public.job_search_documents.user_id is 'The owner (auth.users.id), copied from the job.';
comment on column public.job_search_documents.document is 'Weighted tsvector: title A, company B, location C, description D.';
comment on column public.job_search_documents.title_company is 'job_title and company, for typo-tolerant (trigram) matching.';

-- Security definer: the API roles cannot write this table, on purpose; the function
-- writes only the row of the job that fired it.
create function private.sync_job_search_document()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.job_search_documents (job_id, user_id, document, title_company)
  values (new.id, new.user_id,
          private.job_search_document(new.job_title, new.company, new.location, new.description),
          new.job_title || ' ' || new.company)
  on conflict (job_id) do update
    set user_id = excluded.user_id, document = excluded.document, title_company = excluded.title_company;
  return null;
end
$$;
comment on function private.sync_job_search_document() is
  'Trigger: writes the search document of the inserted or edited job.';
revoke all on function private.sync_job_search_document() from public, anon, authenticated, service_role;

create trigger sync_job_search_document_on_insert
  after insert on public.jobs
  for each row execute function private.sync_job_search_document();
create trigger sync_job_search_document_on_change
  after update of job_title, company, location, description, user_id on public.jobs
  for each row
  when (old.job_title is distinct from new.job_title or old.company is distinct from new.company
        or old.location is distinct from new.location or old.description is distinct from new.description
        or old.user_id is distinct from new.user_id)
  execute function private.sync_job_search_document();

-- Existing jobs get their documents now (before the indexes: one bulk build is faster).
insert into public.job_search_documents (job_id, user_id, document, title_company)
select j.id, j.user_id, private.job_search_document(j.job_title, j.company, j.location, j.description),
       j.job_title || ' ' || j.company
  from public.jobs j;

-- fastupdate off: with the pending list on, every search would also scan up to 4 MB of
-- not yet merged entries of all users.
create index idx_job_search_documents_keys on public.job_search_documents
  using gin (private.job_search_keys(user_id, document)) with (fastupdate = off);
create index idx_job_search_documents_user_title_company on public.job_search_documents
  using gin (user_id, title_company extensions.gin_trgm_ops) with (fastupdate = off);

alter table public.job_search_documents enable row level security;

revoke all on table public.job_search_documents from public, anon, authenticated, service_role;
-- Derived data: nobody writes it but the trigger, not even service_role.
grant select on table public.job_search_documents to authenticated, service_role;

create policy "Owners can view the search documents of their own jobs" on public.job_search_documents
  for select to authenticated using ((select auth.uid()) = user_id);

-- The index expression is evaluated with the caller's rights when a plan rechecks it.
revoke all on function private.job_search_document(text, text, text, text) from public, anon, authenticated, service_role;
revoke all on function private.job_search_key(uuid) from public, anon, authenticated, service_role;
revoke all on function private.job_search_keys(uuid, tsvector) from public, anon, authenticated, service_role;
grant execute on function private.job_search_key(uuid) to authenticated, service_role;
grant execute on function private.job_search_keys(uuid, tsvector) to authenticated, service_role;
