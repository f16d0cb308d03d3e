-- Jobs: the applications a user tracks. A job's status is one of eight pipeline values
-- (normalised on write from any spelling a client sends); every insert and status
-- change appends to its status history by trigger, so no client can forge or skip one.
-- Search (search_jobs) reads per-job text-search documents kept by trigger in their own
-- table; the dashboard (job_dashboard) counts from the history.

-- Tables

create table public.jobs (
  id uuid primary key default extensions.uuid_generate_v4(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  job_title varchar(255) not null, -- search weight A; company B, location C, description D
  company varchar(255) not null,
  location varchar(255),
  salary varchar(255),
  job_url text,
  -- A job saved without a status (the extension's quick save) starts in the pipeline.
  status varchar(100) not null default 'bookmarked',
  excitement_level integer,
  date_applied date,
  deadline date,
  description text,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  -- The tracker's fields (70_tracker.sql holds the tables around them).
  follow_up_at timestamptz,
  next_action text,
  source text,
  salary_min numeric(12, 2),
  salary_max numeric(12, 2),
  salary_currency text,
  salary_period text,
  closing_reason text,
  first_response_at timestamptz,
  constraint jobs_status_check
    check (status in ('bookmarked', 'applying', 'applied', 'interviewing', 'negotiating', 'accepted', 'rejected', 'withdrawn')),
  constraint jobs_excitement_level_check check (excitement_level between 1 and 5),
  -- Opened by the app and by the duplicate check: an absolute http(s) URL.
  constraint jobs_job_url_check check (job_url ~* '^https?://[^[:space:]/?#]+[^[:space:]]*$'),
  constraint jobs_description_size check (octet_length(description) <= 32768),
  constraint jobs_job_url_size check (octet_length(job_url) <= 2048),
  constraint jobs_next_action_size check (octet_length(next_action) <= 1000),
  constraint jobs_source_check check (source in
    ('linkedin', 'company_site', 'job_board', 'referral', 'recruiter_outreach', 'browser_extension', 'other')),
  constraint jobs_salary_amounts check (salary_min >= 0 and salary_max >= 0 and salary_min <= salary_max),
  constraint jobs_salary_currency_check check (salary_currency in (
    'AED', 'ARS', 'AUD', 'BGN', 'BRL', 'CAD', 'CHF', 'CLP', 'CNY', 'COP', 'CZK', 'DKK', 'EGP', 'EUR',
    'GBP', 'HKD', 'HUF', 'IDR', 'ILS', 'INR', 'ISK', 'JPY', 'KES', 'KRW', 'MXN', 'MYR', 'NGN', 'NOK',
    'NZD', 'PEN', 'PHP', 'PKR', 'PLN', 'RON', 'RSD', 'SAR', 'SEK', 'SGD', 'THB', 'TRY', 'TWD', 'UAH',
    'USD', 'VND', 'ZAR')),
  constraint jobs_salary_period_check check (salary_period in ('hour', 'day', 'week', 'month', 'year')),
  constraint jobs_closing_reason_check check (closing_reason in
    ('rejected_after_application', 'rejected_after_screen', 'rejected_after_interview', 'rejected_after_offer',
     'withdrawn_by_me', 'position_closed', 'no_response')),
  -- A reason closes a job: it needs the status that says so. Reopening clears it (trigger).
  constraint jobs_closing_reason_matches_status check (
    closing_reason is null
    or (status = 'rejected' and closing_reason in ('rejected_after_application', 'rejected_after_screen',
          'rejected_after_interview', 'rejected_after_offer', 'position_closed', 'no_response'))
    or (status = 'withdrawn' and closing_reason in ('withdrawn_by_me', 'position_closed', 'no_response')))
);
alter table public.jobs enable row level security;
comment on table public.jobs is $$Job applications the user tracks through the pipeline.$$;
comment on column public.jobs.job_title is $$Title of the position.$$;
comment on column public.jobs.company is $$Hiring company.$$;
comment on column public.jobs.location is $$Where the job is.$$;
comment on column public.jobs.salary is $$Salary as free text (e.g. "$120,000 - $150,000").$$;
comment on column public.jobs.job_url is $$The posting, an http(s) URL.$$;
comment on column public.jobs.status is $$bookmarked, applying, applied, interviewing, negotiating, accepted, rejected or withdrawn (default bookmarked); other spellings and synonyms such as "Interview" are normalised on write. Every change is recorded in job_status_events.$$;
comment on column public.jobs.excitement_level is $$1 to 5, or null; 0 (the extension’s "unset") is stored as null.$$;
comment on column public.jobs.date_applied is $$When the application was sent.$$;
comment on column public.jobs.deadline is $$Application deadline.$$;
comment on column public.jobs.description is $$Job description, also used as notes.$$;
comment on column public.jobs.follow_up_at is
  $$When to follow up on this application; set to follow_up_days (tracker_settings, default 7) after the job moves to applied without one; cleared when the job closes. Listed by due_follow_ups().$$;
comment on column public.jobs.next_action is $$What to do next about this application (free text, at most 1000 bytes).$$;
comment on column public.jobs.source is
  $$Where the job was found: linkedin, company_site, job_board, referral, recruiter_outreach, browser_extension or other.$$;
comment on column public.jobs.salary_min is
  $$Lowest amount of the salary range, in salary_currency per salary_period; read from salary when unambiguous, else as the client set it.$$;
comment on column public.jobs.salary_max is $$Highest amount of the salary range (equal to salary_min for one figure).$$;
comment on column public.jobs.salary_currency is $$ISO 4217 code of the salary amounts (USD, EUR, GBP, ...).$$;
comment on column public.jobs.salary_period is $$What the salary amounts are paid per: hour, day, week, month or year.$$;
comment on column public.jobs.closing_reason is
  $$Why a rejected or withdrawn job closed: rejected_after_application, rejected_after_screen, rejected_after_interview, rejected_after_offer (status rejected), withdrawn_by_me (status withdrawn), position_closed or no_response (either). Cleared when the job reopens.$$;
comment on column public.jobs.first_response_at is
  $$When the company first answered: the first status change after the job was applied (set by the database from the status history).$$;
comment on constraint jobs_description_size on public.jobs is $$description is at most 32768 bytes (32 KB, three to six times a long real posting).$$;

-- Funnel analytics need to know when a job moved between statuses, which jobs.status
-- alone forgets. Written only by the jobs triggers; users read their own history.
create table public.job_status_events (
  id uuid primary key default gen_random_uuid(),
  job_id uuid not null references public.jobs (id) on delete cascade,
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  from_status text,
  to_status text not null,
  changed_at timestamptz not null default now(),
  constraint job_status_events_from_status_check check (from_status in
    ('bookmarked', 'applying', 'applied', 'interviewing', 'negotiating', 'accepted', 'rejected', 'withdrawn')),
  constraint job_status_events_to_status_check check (to_status in
    ('bookmarked', 'applying', 'applied', 'interviewing', 'negotiating', 'accepted', 'rejected', 'withdrawn'))
);
alter table public.job_status_events enable row level security;
comment on table public.job_status_events is $$History of job status changes, written by trigger on insert and on every status change; read-only for users.$$;
comment on column public.job_status_events.job_id is $$The job whose status changed.$$;
comment on column public.job_status_events.user_id is $$The job’s owner.$$;
comment on column public.job_status_events.from_status is $$Status before the change; null for the first event of a job.$$;
comment on column public.job_status_events.to_status is $$Status after the change.$$;
comment on column public.job_status_events.changed_at is $$When the change happened.$$;

-- Each job's weighted text-search document, stored rather than recomputed per query
-- (to_tsvector of a long description costs tens of microseconds; a power user's search
-- ranks thousands). A column on jobs would ride along in every `select *` the app sends,
-- so documents live here, one row per job, written only by a trigger on jobs. Two GIN
-- indexes find matches while reading only the caller's entries, so a search costs the
-- same with 200,000 jobs in the table as with 2,000,000:
--   * the document's lexemes, each prefixed with a key derived from the owner's user_id
--     (a plain tsvector index would share one posting list per word among all users, and
--     a prefix search would read every user's postings of every matching word);
--   * (user_id, job_title || ' ' || company) with trigrams, for typo tolerance.
create table public.job_search_documents (
  job_id uuid primary key references public.jobs (id) on delete cascade,
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  document tsvector not null,
  title_company text not null,
  keys tsvector not null,
  rank_document tsvector not null,
  constraint job_search_documents_title_company_size check (octet_length(title_company) <= 2100)
);
alter table public.job_search_documents enable row level security;
comment on table public.job_search_documents is $$One text-search document per job, kept by trigger from jobs; what search_jobs matches and ranks. Read-only.$$;
comment on column public.job_search_documents.job_id is $$The job (jobs.id).$$;
comment on column public.job_search_documents.user_id is $$The owner (auth.users.id), copied from the job.$$;
comment on column public.job_search_documents.document is $$Weighted tsvector: title A, company B, location C, description D.$$;
comment on column public.job_search_documents.title_company is $$job_title and company, for typo-tolerant (trigram) matching.$$;
comment on column public.job_search_documents.keys is $$private.job_search_keys(user_id, document), stored: what the search index holds and rechecks.$$;
comment on column public.job_search_documents.rank_document is $$The document of title, company, location and the first 2,000 characters of the description: what search_jobs ranks by.$$;

-- Functions the indexes, triggers and policies below call (they must exist first)

-- jobs.status was free text: the app sends Title Case ('Applied'), older versions
-- lowercase, the spec's examples say 'interview'. Funnel analytics and the dashboard
-- need one vocabulary, so status becomes one of eight lowercase pipeline values,
-- enforced by a named CHECK. A trigger normalises what clients send (trim, lowercase,
-- obvious synonyms); existing rows are migrated. A row whose status means nothing we
-- know is archived as it was and placed at 'applied' when it has a date_applied,
-- else at 'bookmarked'.
create function private.normalise_job_status(value text) returns text language sql immutable set search_path = '' as $$
  select case pg_catalog.lower(pg_catalog.regexp_replace(pg_catalog.btrim(value), '[[:space:]_-]+', ' ', 'g'))
    when 'bookmarked' then 'bookmarked'
    when 'bookmark' then 'bookmarked'
    when 'saved' then 'bookmarked'
    when 'wishlist' then 'bookmarked'
    when 'interested' then 'bookmarked'
    when 'applying' then 'applying'
    when 'in progress' then 'applying'
    when 'preparing' then 'applying'
    when 'applied' then 'applied'
    when 'submitted' then 'applied'
    when 'application submitted' then 'applied'
    when 'interviewing' then 'interviewing'
    when 'interview' then 'interviewing'
    when 'interviews' then 'interviewing'
    when 'interviewed' then 'interviewing'
    when 'phone screen' then 'interviewing'
    when 'screening' then 'interviewing'
    when 'negotiating' then 'negotiating'
    when 'negotiation' then 'negotiating'
    when 'offer' then 'negotiating'
    when 'offered' then 'negotiating'
    when 'offer received' then 'negotiating'
    when 'accepted' then 'accepted'
    when 'hired' then 'accepted'
    when 'offer accepted' then 'accepted'
    when 'rejected' then 'rejected'
    when 'rejection' then 'rejected'
    when 'not selected' then 'rejected'
    when 'withdrawn' then 'withdrawn'
    when 'withdrew' then 'withdrawn'
    when 'withdraw' then 'withdrawn'
    else pg_catalog.lower(pg_catalog.btrim(value))
  end
$$;
comment on function private.normalise_job_status(value text) is $$Maps a status spelling or synonym to one of the eight pipeline values; unknown values come back lowercased so the CHECK rejects them.$$;

-- Security definer only so that the trigger can call the private mapping function
-- without granting the API roles usage on schema private; it touches nothing but NEW.
create function private.normalise_job() returns trigger language plpgsql security definer set search_path = '' as $$
declare
  plain text := pg_catalog.lower(pg_catalog.btrim(new.status));
begin
  -- A pipeline value in any case ('Applied') is what the mapping would answer, without
  -- calling it (a SQL function with its own search_path: an executor start-up per row).
  if plain in ('bookmarked', 'applying', 'applied', 'interviewing', 'negotiating', 'accepted', 'rejected', 'withdrawn') then
    new.status := plain;
  else
    new.status := private.normalise_job_status(new.status);
  end if;
  return new;
end;
$$;
comment on function private.normalise_job() is $$Trigger (before insert or update of status on jobs): the status is stored as one of the eight pipeline values.$$;

-- The extension sends excitement_level 0 when the user did not pick one; v2.0's
-- 1-5 CHECK rejected the whole save. 0 means "unset", so store it as null. (No
-- existing row can hold 0: the CHECK never allowed it.)
create function private.null_unset_excitement() returns trigger language plpgsql set search_path = '' as $$
begin
  if new.excitement_level = 0 then
    new.excitement_level := null;
  end if;
  return new;
end;
$$;
comment on function private.null_unset_excitement() is $$Trigger (before insert or update of excitement_level on jobs): 0, the extension’s “not picked”, is stored as null.$$;

-- Security definer: the API roles have no INSERT on job_status_events, on purpose.
create function private.record_job_status_event() returns trigger language plpgsql security definer set search_path = '' as $$
begin
  insert into public.job_status_events (job_id, user_id, from_status, to_status)
  values (new.id, new.user_id, case when tg_op = 'UPDATE' then old.status end, new.status);
  return null;
end;
$$;
comment on function private.record_job_status_event() is $$Trigger (after update of status on jobs): records the change in job_status_events.$$;

-- The query, parsed once:
--   match      websearch_to_tsquery('english', query): "quoted phrases", -word, OR;
--              the last word, when it is a plain word, also matches as a prefix of a
--              stem ("kuber" finds Kubernetes);
--   indexable  what the search index can answer: match without its negations
--              (querytree) and with phrases loosened to AND, so always a superset;
--              null when nothing is indexable (a query of exclusions only);
--   excluded   the -words and -"phrases", which also bar typo matches;
--   typo       the query's plain words for trigram matching against title and company
--              (3 to 64 characters, else null).
create function private.parse_job_search(
  query text, out match tsquery, out indexable tsquery, out excluded tsquery, out typo text) language plpgsql immutable parallel safe set search_path = '' as $$
declare
  q text := pg_catalog.regexp_replace(query, '^[[:space:]]+|[[:space:]]+$', '', 'g');
  last_word text;
  last_lexemes text[];
  quoted text;
  query_text text;
  tree text;
  negated text;
begin
  if q is null or q = '' or pg_catalog.char_length(q) > 200 then
    raise exception 'a job search query has 1 to 200 characters' using errcode = '22023';
  end if;
  match := pg_catalog.websearch_to_tsquery('pg_catalog.english'::pg_catalog.regconfig, q);

  -- Type-ahead: a trailing plain word (not -word, not in quotes, not OR) whose stem is
  -- the query's last lexeme gets the prefix flag on that lexeme.
  last_word := pg_catalog.substring(q, '(?:^|[[:space:]])([[:alnum:]]+)$');
  if last_word is not null and last_word <> 'OR'
     and (pg_catalog.char_length(q) - pg_catalog.char_length(pg_catalog.replace(q, '"', ''))) % 2 = 0 then
    last_lexemes := pg_catalog.tsvector_to_array(pg_catalog.to_tsvector('pg_catalog.english'::pg_catalog.regconfig, last_word));
    if pg_catalog.cardinality(last_lexemes) = 1 then
      quoted := pg_catalog.quote_literal(last_lexemes[1]);
      query_text := match::text;
      if pg_catalog.right(query_text, pg_catalog.char_length(quoted)) = quoted then
        match := (query_text || ':*')::tsquery;
      end if;
    end if;
  end if;

  tree := pg_catalog.querytree(match);
  if tree is not null and tree not in ('', 'T') then
    indexable := pg_catalog.regexp_replace(tree, '<[0-9]*-?>', '&', 'g')::tsquery;
  end if;

  select pg_catalog.string_agg(m[1], ' OR ')
    into negated
    from pg_catalog.regexp_matches(q, '(?:^|[[:space:]])-("[^"]*"?|[^[:space:]"]+)', 'g') as m;
  if negated is not null then
    excluded := pg_catalog.websearch_to_tsquery('pg_catalog.english'::pg_catalog.regconfig, negated);
    if pg_catalog.numnode(excluded) = 0 then
      excluded := null;
    end if;
  end if;

  typo := pg_catalog.regexp_replace(q, '(?:^|[[:space:]])-("[^"]*"?|[^[:space:]"]+)', ' ', 'g');
  typo := pg_catalog.regexp_replace(typo, '(^|[[:space:]])OR([[:space:]]|$)', ' ', 'g');
  typo := pg_catalog.lower(pg_catalog.btrim(pg_catalog.regexp_replace(typo, '[^[:alnum:]]+', ' ', 'g')));
  if pg_catalog.char_length(typo) not between 3 and 64 then
    typo := null;
  end if;
end
$$;
grant execute on function private.parse_job_search(query text, OUT match tsquery, OUT indexable tsquery, OUT excluded tsquery, OUT typo text) to authenticated, service_role;
comment on function private.parse_job_search(query text, OUT match tsquery, OUT indexable tsquery, OUT excluded tsquery, OUT typo text) is $$Parses a job search query (1 to 200 characters) into the tsquery it matches, the part the index answers, the excluded words and the text for typo matching.$$;

-- 12 hex digits (48 random bits of a v4 uuid): two users sharing a key would only see
-- each other's postings as candidates, which the user_id filter and RLS then drop.
create function private.job_search_key(user_id uuid) returns text language sql immutable parallel safe set search_path = '' as $$
  select pg_catalog.left(pg_catalog.replace(user_id::text, '-', ''), 12)
$$;
grant execute on function private.job_search_key(user_id uuid) to authenticated, service_role;
comment on function private.job_search_key(user_id uuid) is $$The per-user key that prefixes every lexeme in the job search index.$$;

-- The indexed lexemes: the document's, each behind the owner's key (the expression of
-- private.job_search_key, inlined). String functions only, no subquery: the index
-- evaluates this for every job it stores.
create function private.job_search_keys(user_id uuid, document tsvector) returns tsvector language sql immutable parallel safe set search_path = '' as $$
  select pg_catalog.array_to_tsvector(pg_catalog.string_to_array(
           pg_catalog.left(pg_catalog.replace(user_id::text, '-', ''), 12)
             || pg_catalog.array_to_string(pg_catalog.tsvector_to_array(document),
                                           E'\x01' || pg_catalog.left(pg_catalog.replace(user_id::text, '-', ''), 12)),
           E'\x01'))
$$;
grant execute on function private.job_search_keys(user_id uuid, document tsvector) to authenticated, service_role;
comment on function private.job_search_keys(user_id uuid, document tsvector) is $$The lexemes of a job search document, each prefixed with private.job_search_key(owner): what the search index holds.$$;

-- The document: title (weight A), company (B), location (C), description (D, its first
-- 30,000 characters: bounded work per write, and far below tsvector's 1 MB limit).
-- Lexemes over 1,000 bytes (a pasted blob, never a word anyone searches for) are left
-- out, so that the owner's key in front of each indexed lexeme always fits the 2 KB
-- lexeme limit and no job write can fail on it.
create function private.job_search_document(job_title text, company text, location text, description text)
returns tsvector language plpgsql immutable parallel safe set search_path = '' as $$
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
comment on function private.job_search_document(job_title text, company text, location text, description text) is $$The weighted text-search document of a job: title A, company B, location C, description (first 30,000 characters) D; lexemes over 1,000 bytes left out.$$;

-- Moves the search indexes' pending entries into the indexes, in bulk (see the indexes).
-- The writers below run with a pending list limit no statement reaches, then call this.
create function private.flush_job_search_index() returns void language plpgsql security definer set search_path = '' as $$
begin
  perform pg_catalog.gin_clean_pending_list('public.idx_job_search_documents_keys'::pg_catalog.regclass);
  perform pg_catalog.gin_clean_pending_list('public.idx_job_search_documents_user_title_company'::pg_catalog.regclass);
end
$$;
comment on function private.flush_job_search_index() is $$Moves the pending entries of the two job search indexes into them in bulk; every writer of job_search_documents calls it last.$$;

-- What a job's search document row holds, for the row trigger and the statement trigger
-- alike. Each text is parsed once: the rank document (title, company, location and the
-- description's first 2,000 characters) is the document itself when the description is no
-- longer, and is parsed on its own only for a longer one (2,000 characters more).
create function private.job_search_entry(
  owner uuid, job_title text, company text, location text, description text,
  out document tsvector, out title_company text, out keys tsvector, out rank_document tsvector
) language plpgsql immutable parallel safe set search_path = '' as $$
begin
  document := private.job_search_document(job_title, company, location, description);
  title_company := job_title || ' ' || company;
  keys := private.job_search_keys(owner, document);
  rank_document := case when pg_catalog.char_length(description) > 2000
                        then private.job_search_document(job_title, company, location, pg_catalog.left(description, 2000))
                        else document end;
end
$$;
comment on function private.job_search_entry(owner uuid, job_title text, company text, location text, description text) is $$The search document row of one job: its document, title_company, keys and rank document, each text parsed once.$$;

-- Security definer: the API roles cannot write this table, on purpose; the function
-- writes only the row of the job that fired it.
create function private.sync_job_search_document() returns trigger language plpgsql security definer set search_path = '' set gin_pending_list_limit = '64MB' as $$
begin
  insert into public.job_search_documents (job_id, user_id, document, title_company, keys, rank_document)
  select new.id, new.user_id, e.document, e.title_company, e.keys, e.rank_document
    from private.job_search_entry(new.user_id, new.job_title, new.company, new.location, new.description) e
  on conflict (job_id) do update
    set user_id = excluded.user_id, document = excluded.document, title_company = excluded.title_company,
        keys = excluded.keys, rank_document = excluded.rank_document;
  perform private.flush_job_search_index();
  return null;
end
$$;
comment on function private.sync_job_search_document() is $$Trigger: writes the search document of the edited job.$$;

-- An insert writes the history and search documents of its new jobs once per statement,
-- from its transition table: one INSERT ... SELECT instead of a trigger call and an
-- INSERT per row, which made most of the cost of a bulk import (5,000 jobs in one
-- request; scripts/bench/parts/bulk-import.mjs). Updates keep the row triggers, whose
-- WHEN clauses skip unchanged rows. An upsert's updated rows are not in the insert's
-- transition table; an inserted job has no document yet (job_id is the primary key of
-- both tables and documents go with their job), so no conflict can arise.
create function private.record_job_status_events_of_added_jobs() returns trigger language plpgsql security definer set search_path = '' as $$
begin
  insert into public.job_status_events (job_id, user_id, from_status, to_status)
  select a.id, a.user_id, null, a.status from added a;
  return null;
end;
$$;
comment on function private.record_job_status_events_of_added_jobs() is $$Trigger (after insert, per statement): records each inserted job’s first status from the transition table.$$;

create function private.sync_job_search_documents_of_added_jobs() returns trigger language plpgsql security definer set search_path = '' set gin_pending_list_limit = '64MB' as $$
begin
  insert into public.job_search_documents (job_id, user_id, document, title_company, keys, rank_document)
  select a.id, a.user_id, e.document, e.title_company, e.keys, e.rank_document
    from added a
   cross join lateral private.job_search_entry(a.user_id, a.job_title, a.company, a.location, a.description) e;
  perform private.flush_job_search_index();
  return null;
end
$$;
comment on function private.sync_job_search_documents_of_added_jobs() is $$Trigger (after insert, per statement): writes the search documents of the inserted jobs from the transition table.$$;

-- The page token: base64url of {"r": rank, "i": job id, "f": search fingerprint}. The
-- rank goes through float8 and numeric (15 digits, whatever extra_float_digits says), so
-- it reads back as exactly the same real: no row is repeated or skipped at the seam.
create function private.job_search_page_token(rank real, job_id uuid, fingerprint text) returns text language sql immutable parallel safe set search_path = '' as $$
  select pg_catalog.rtrim(pg_catalog.translate(pg_catalog.encode(pg_catalog.convert_to(
           pg_catalog.json_build_object('r', rank::float8::numeric::text, 'i', job_id, 'f', fingerprint)::text, 'UTF8'), 'base64'),
           E'+/\n', '-_'), '=')
$$;
grant execute on function private.job_search_page_token(rank real, job_id uuid, fingerprint text) to authenticated, service_role;
comment on function private.job_search_page_token(rank real, job_id uuid, fingerprint text) is $$Encodes where a search_jobs page ended: the last row’s rank and id, and which search it belongs to.$$;

-- job_search_page pins pg_trgm's word_similarity_threshold; calling into pg_trgm first
-- loads it, so that the setting is known (not a placeholder) when the function is made.
select extensions.word_similarity('job', 'jobs');

-- One page of the caller's matches, best first, after the given (rank, id):
--   rank = ts_rank of the rank document (weights D 0.1, C 0.2, B 0.4, A 1.0), a real:
--   title, company, location and the first 2,000 characters of the description, so
--   ranking a candidate costs the same whatever the description's length (a user at the
--   5,000-job cap ranks at most 5,000 small vectors; the index finds the candidates from
--   the stored keys, never recomputing them). When the full-text query matches none of the caller's jobs and the query
--   has 3 to 64 characters of plain words, titles and companies similar to them are
--   searched instead (pg_trgm word similarity >= 0.6, -words still excluded), ranked
--   0.5 x similarity: typo tolerance as a fallback, so exact matches are never diluted.
-- rows 21: a page (default 20 + 1), so the planner joins jobs by primary key, not by user.
-- Definer: see the header; every statement filters on the caller's user_id.
-- No parallel workers: every statement reads one user's rows through an index, a few
-- thousand at most, work that never pays for them (starting them cost ~80 ms at full
-- size), and on a small machine they would take the cores other requests need.
create function private.job_search_page(
  match tsquery, indexable tsquery, excluded tsquery, typo text, statuses text[],
  after_rank real, after_id uuid, page_size integer)
returns table (job_id uuid, rank real) language plpgsql stable rows 21 security definer set search_path = ''
  set pg_trgm.word_similarity_threshold = 0.6 set max_parallel_workers_per_gather = 0 as $$
declare
  caller uuid := (select auth.uid());
  keyed tsquery;
  exact boolean;
  -- The whole query keyed, when it has no phrase: the stored keys (no positions) then
  -- answer it exactly, -words included, without reading any document.
  keyed_match tsquery;
  found_any boolean := false;
begin
  if caller is null or page_size is null or page_size not between 1 and 101 then
    return;
  end if;
  if indexable is not null then
    keyed := pg_catalog.regexp_replace(indexable::text, $re$'((?:[^']|'')*)'$re$,
                                       '''' || private.job_search_key(caller) || '\1''', 'g')::tsquery;
    -- Without phrases or exclusions the index answers the query exactly.
    exact := indexable::text = match::text;
    if not exact and match::text !~ '<[0-9]*-?>' then
      keyed_match := pg_catalog.regexp_replace(match::text, $re$'((?:[^']|'')*)'$re$,
                                               '''' || private.job_search_key(caller) || '\1''', 'g')::tsquery;
    end if;
    return query
      select m.job_id, m.rank
        from (select d.job_id,
                     pg_catalog.ts_rank('{0.1, 0.2, 0.4, 1.0}', d.rank_document, match) as rank
                from public.job_search_documents d
               where d.keys @@ keyed
                 -- A filter, not a second index scan: the keyed entries are the caller's.
                 and (d.user_id = caller) is true
                 and (exact or case when keyed_match is not null then d.keys @@ keyed_match else d.document @@ match end)
                 and (statuses is null
                      or d.job_id in (select j.id from public.jobs j where j.user_id = caller and j.status = any (statuses)))) m
       where after_id is null or m.rank < after_rank or (m.rank = after_rank and m.job_id > after_id)
       order by m.rank desc, m.job_id
       limit page_size;
    found_any := found;
  elsif pg_catalog.numnode(match) > 0 then
    -- Exclusions only: every job of the caller without them.
    return query
      select d.job_id, 0::real
        from public.job_search_documents d
       where d.user_id = caller
         and d.document @@ match
         and (statuses is null
              or d.job_id in (select j.id from public.jobs j where j.user_id = caller and j.status = any (statuses)))
         and (after_id is null or 0 < after_rank or (0 = after_rank and d.job_id > after_id))
       order by d.job_id
       limit page_size;
    return;
  end if;
  if found_any or typo is null then
    return;
  end if;
  -- Nothing on this page: fall back to typo matches only if the text query matches no
  -- job at all (a text search whose later page ran out must not turn into typo matches).
  if keyed is not null and exists (
       select 1 from public.job_search_documents d
        where d.keys @@ keyed
          and (d.user_id = caller) is true and (exact or case when keyed_match is not null then d.keys @@ keyed_match else d.document @@ match end)) then
    return;
  end if;
  return query
    select m.job_id, m.rank
      from (select d.job_id,
                   (0.5 * extensions.word_similarity(typo, d.title_company))::real as rank
              from public.job_search_documents d
             where d.user_id = caller
               and typo operator(extensions.<%) d.title_company
               and (excluded is null or not d.document @@ excluded)
               and (statuses is null
                    or d.job_id in (select j.id from public.jobs j where j.user_id = caller and j.status = any (statuses)))) m
     where after_id is null or m.rank < after_rank or (m.rank = after_rank and m.job_id > after_id)
     order by m.rank desc, m.job_id
     limit page_size;
end
$$;
grant execute on function private.job_search_page(match tsquery, indexable tsquery, excluded tsquery, typo text, statuses text[], after_rank real, after_id uuid, page_size integer) to authenticated, service_role;
comment on function private.job_search_page(match tsquery, indexable tsquery, excluded tsquery, typo text, statuses text[], after_rank real, after_id uuid, page_size integer) is $$One page of the caller’s job search matches (job id, rank), best first after (after_rank, after_id); typo matches when the text matches nothing.$$;

-- Invoker: every row read is the caller's by RLS (and by the explicit user filter).
-- No parallel workers: see private.job_search_page.
create function private.job_dashboard(tz text, as_of timestamptz) returns jsonb language plpgsql stable security invoker set search_path = '' set max_parallel_workers_per_gather = 0 as $$
declare
  caller uuid := (select auth.uid());
  zone text := coalesce(tz, 'UTC');
  today date;
  first_week timestamp;
  result jsonb;
begin
  -- IANA names (America/Los_Angeles, Etc/GMT+8, UTC); not POSIX offsets like 'UTC+3',
  -- whose sign is the reverse of what people expect.
  if pg_catalog.char_length(zone) > 64
     or zone !~ '^[A-Za-z][A-Za-z0-9_]*(/[A-Za-z0-9_+-]+){0,2}$' then
    raise exception 'tz must be an IANA time zone name such as America/Los_Angeles'
      using errcode = '22023';
  end if;
  begin
    today := pg_catalog.timezone(zone, as_of)::date;
  exception when invalid_parameter_value then
    raise exception 'tz must be an IANA time zone name such as America/Los_Angeles'
      using errcode = '22023', detail = pg_catalog.format('time zone %s is not known', zone);
  end;
  first_week := pg_catalog.date_trunc('week', pg_catalog.timezone(zone, as_of)) - interval '11 weeks';

  with
  -- One pass over the caller's events in (job, time) order, straight from the index.
  events as (
    select e.job_id, e.to_status, e.changed_at,
           pg_catalog.min(e.changed_at) filter (where e.to_status = 'applied') over (partition by e.job_id) as first_applied
      from public.job_status_events e
     where e.user_id = caller
  ),
  per_job as materialized (
    select e.job_id,
           pg_catalog.max(case e.to_status when 'applied' then 1 when 'interviewing' then 2
                                           when 'negotiating' then 3 when 'accepted' then 4 else 0 end) as furthest,
           pg_catalog.min(e.first_applied) as first_applied,
           pg_catalog.min(e.changed_at) filter (where e.changed_at > e.first_applied) as responded_at,
           pg_catalog.max(e.changed_at) as last_change
      from events e
     group by e.job_id
  ),
  summary as (
    select pg_catalog.count(*) filter (where p.furthest >= 1) as reached_applied,
           pg_catalog.count(*) filter (where p.furthest >= 2) as reached_interviewing,
           pg_catalog.count(*) filter (where p.furthest >= 3) as reached_negotiating,
           pg_catalog.count(*) filter (where p.furthest >= 4) as reached_accepted,
           pg_catalog.count(*) filter (where p.first_applied is not null) as applied_jobs,
           pg_catalog.count(p.responded_at) as responded_jobs,
           pg_catalog.percentile_cont(0.5) within group (
             order by pg_catalog.date_part('epoch', p.responded_at - p.first_applied) / 86400) as median_days
      from per_job p
  ),
  weeks as (
    select (first_week + w * interval '1 week')::date as week_start from pg_catalog.generate_series(0, 11) w
  ),
  weekly_counts as (
    select pg_catalog.date_trunc('week', pg_catalog.timezone(zone, e.changed_at))::date as week_start,
           pg_catalog.count(distinct e.job_id) filter (where e.to_status = 'applied') as applied,
           pg_catalog.count(distinct e.job_id) filter (where e.to_status = 'interviewing') as interviews
      from public.job_status_events e
     where e.user_id = caller
       and e.changed_at >= pg_catalog.timezone(zone, first_week)
     group by 1
  ),
  follow_up as (
    select p.job_id, p.last_change
      from per_job p
     where p.last_change <= as_of - interval '14 days'
       and p.job_id in (select j.id from public.jobs j where j.user_id = caller and j.status = 'applied')
     order by p.last_change, p.job_id
     limit 20
  ),
  deadlines as (
    select j.id, j.job_title, j.company, j.status, j.deadline
      from public.jobs j
     where j.user_id = caller
       and j.deadline between today and today + 14
       and j.status not in ('applied', 'accepted', 'rejected', 'withdrawn')
     order by j.deadline, j.id
     limit 20
  ),
  status_counts as (
    select j.status, pg_catalog.count(*) as jobs
      from public.jobs j
     where j.user_id = caller
     group by j.status
  )
  select pg_catalog.jsonb_build_object(
    'time_zone', zone,
    'as_of', as_of,
    'by_status', (
      select pg_catalog.jsonb_object_agg(s.status, coalesce(c.jobs, 0))
             || pg_catalog.jsonb_build_object('total', coalesce((select pg_catalog.sum(jobs) from status_counts), 0))
        from pg_catalog.unnest(array['bookmarked', 'applying', 'applied', 'interviewing', 'negotiating',
                                     'accepted', 'rejected', 'withdrawn']) s(status)
        left join status_counts c on c.status = s.status),
    'funnel', (
      select pg_catalog.jsonb_build_array(
               pg_catalog.jsonb_build_object('stage', 'applied', 'jobs', s.reached_applied),
               pg_catalog.jsonb_build_object('stage', 'interviewing', 'jobs', s.reached_interviewing),
               pg_catalog.jsonb_build_object('stage', 'negotiating', 'jobs', s.reached_negotiating),
               pg_catalog.jsonb_build_object('stage', 'accepted', 'jobs', s.reached_accepted))
        from summary s),
    'response_rate', (select pg_catalog.round(s.responded_jobs::numeric / nullif(s.applied_jobs, 0), 4) from summary s),
    'median_days_to_response', (select pg_catalog.round(s.median_days::numeric, 2) from summary s),
    'weekly', (
      select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'week_start', w.week_start,
               'applied', coalesce(c.applied, 0),
               'interviews', coalesce(c.interviews, 0)) order by w.week_start)
        from weeks w left join weekly_counts c on c.week_start = w.week_start),
    'needs_follow_up', (
      select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'id', j.id, 'job_title', j.job_title, 'company', j.company,
               'days_waiting', pg_catalog.floor(pg_catalog.date_part('epoch', as_of - f.last_change) / 86400)::integer)
             order by f.last_change, f.job_id), '[]'::jsonb)
        from follow_up f join public.jobs j on j.id = f.job_id),
    'upcoming_deadlines', (
      select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'id', d.id, 'job_title', d.job_title, 'company', d.company, 'status', d.status,
               'deadline', d.deadline, 'days_left', d.deadline - today)
             order by d.deadline, d.id), '[]'::jsonb)
        from deadlines d))
    into result;

  return result;
end
$$;
grant execute on function private.job_dashboard(tz text, as_of timestamp with time zone) to authenticated, service_role;
comment on function private.job_dashboard(tz text, as_of timestamp with time zone) is $$The caller’s job dashboard as of a given moment, in a given IANA time zone (see public.job_dashboard).$$;

-- The tracker's rules on a job (the functions they call that read tracker tables,
-- private.read_salary, private.tracker_settings_of and private.freeze_job_materials, live
-- in 70_tracker.sql).

-- The structured salary follows the text: a new or changed salary text is read again
-- (private.read_salary), unless the same statement sets the structured fields itself.
create function private.read_job_salary() returns trigger language plpgsql security definer set search_path = '' as $$
declare
  found record;
begin
  if tg_op = 'INSERT' then
    if new.salary is null
       or num_nonnulls(new.salary_min, new.salary_max, new.salary_currency, new.salary_period) > 0 then
      return new;
    end if;
  elsif new.salary is not distinct from old.salary
        or (new.salary_min, new.salary_max, new.salary_currency, new.salary_period)
           is distinct from (old.salary_min, old.salary_max, old.salary_currency, old.salary_period) then
    return new;
  end if;
  -- An expression, not a query: no executor start-up per row.
  found := private.read_salary(new.salary);
  new.salary_min := found.salary_min;
  new.salary_max := found.salary_max;
  new.salary_currency := found.salary_currency;
  new.salary_period := found.salary_period;
  return new;
end
$$;
comment on function private.read_job_salary() is
  $$Trigger: fills jobs.salary_min/max/currency/period from a new salary text (nulls when it cannot be read one way), unless the statement sets them.$$;

-- What a status change means for the tracker (runs after normalise_job_status, by name):
--   * moving to applied without a follow-up sets one follow_up_days later; closing a job
--     (accepted, rejected, withdrawn) clears it;
--   * a job that leaves rejected/withdrawn loses its closing reason;
--   * first_response_at is the database's: the first status change after applied.
-- Definer for private.tracker_settings_of (the owner's settings, whoever writes).
create function private.track_application_progress() returns trigger language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'INSERT' then
    new.first_response_at := null;
  else
    new.first_response_at := old.first_response_at;
    if new.status is distinct from old.status and old.status = 'applied' and old.first_response_at is null then
      new.first_response_at := pg_catalog.now();
    end if;
  end if;
  if new.status = 'applied' and (tg_op = 'INSERT' or old.status is distinct from 'applied')
     and new.follow_up_at is null then
    new.follow_up_at := pg_catalog.now()
      + pg_catalog.make_interval(days => (private.tracker_settings_of(new.user_id)).follow_up_days);
  elsif new.status in ('accepted', 'rejected', 'withdrawn') and (tg_op = 'INSERT' or old.status is distinct from new.status) then
    new.follow_up_at := null;
  end if;
  if new.status not in ('rejected', 'withdrawn') then
    new.closing_reason := null;
  end if;
  return new;
end
$$;
comment on function private.track_application_progress() is
  $$Trigger: follow-up on applied, cleared on closing; closing reason cleared on reopening; first_response_at kept by the database.$$;

-- What was sent is frozen when the job leaves bookmarked/applying (applied, or straight on).
create function private.freeze_sent_materials() returns trigger language plpgsql set search_path = '' as $$
begin
  perform private.freeze_job_materials(new.id);
  return null;
end
$$;
comment on function private.freeze_sent_materials() is $$Trigger: freezes the job’s job_materials row when the job is applied.$$;

-- Indexes

create index idx_jobs_date_applied on public.jobs (date_applied desc) where (date_applied is not null);
create index idx_jobs_status on public.jobs (status);
create index idx_jobs_user_deadline on public.jobs (user_id, deadline) where (deadline is not null);
-- The follow-up list and the feed read due follow-ups per user.
create index idx_jobs_user_follow_up on public.jobs (user_id, follow_up_at) where (follow_up_at is not null);
create index idx_jobs_user_id on public.jobs (user_id);
create index idx_jobs_user_status on public.jobs (user_id, status);
create index idx_jobs_user_status_updated on public.jobs (user_id, status, updated_at desc);
create index idx_jobs_user_updated on public.jobs (user_id, updated_at desc);
create unique index jobs_one_per_user_and_url on public.jobs (user_id, job_url) where (job_url is not null);
comment on index public.jobs_one_per_user_and_url is $$One job per URL per user: a second job with the same job_url is refused (23505, PostgREST 409).$$;
create index idx_job_status_events_job_changed on public.job_status_events (job_id, changed_at);
create index idx_job_status_events_user_changed on public.job_status_events (user_id, changed_at desc);
-- Each user's history in (job, time) order with the id that breaks ties, to_status beside:
-- job_dashboard and job_insights read it index-only. A power user's events lie scattered
-- over thousands of heap pages among other users'; the index holds them side by side.
create index idx_job_status_events_user_job_changed on public.job_status_events (user_id, job_id, changed_at, id) INCLUDE (to_status);
-- fastupdate on, with every writer of job_search_documents (the triggers below) flushing
-- the pending list at the end of its work (private.flush_job_search_index): a statement's
-- entries go to the index in one sorted batch, as CREATE INDEX writes them (a 5,000-job
-- import wrote its ~700,000 entries one by one in most of its time), and a search never
-- finds a pending list to scan.
create index idx_job_search_documents_keys on public.job_search_documents using gin (keys) WITH (fastupdate=on);
-- The rank document (about 1.5 KB compressed) stays in the heap row: read out of line, it
-- cost three buffer reads per ranked candidate.
alter table public.job_search_documents alter column rank_document set storage main;
create index idx_job_search_documents_user_title_company on public.job_search_documents using gin (user_id, title_company gin_trgm_ops) WITH (fastupdate=on);

-- Triggers

create trigger normalise_job_status before insert or update of status on public.jobs
  for each row execute function private.normalise_job();

create trigger null_unset_excitement before insert or update of excitement_level on public.jobs
  for each row execute function private.null_unset_excitement();

create trigger record_job_status_on_change after update of status on public.jobs
  for each row
  when (((old.status)::text is distinct from (new.status)::text))
  execute function private.record_job_status_event();

create trigger record_job_status_on_insert after insert on public.jobs
  referencing new table as added
  for each statement execute function private.record_job_status_events_of_added_jobs();

create trigger freeze_sent_materials after update of status on public.jobs
  for each row
  when ((((old.status)::text = any ((array['bookmarked'::character varying, 'applying'::character varying])::text[])) and ((new.status)::text <> all ((array['bookmarked'::character varying, 'applying'::character varying])::text[]))))
  execute function private.freeze_sent_materials();

create trigger read_job_salary
  before insert or update of salary, salary_min, salary_max, salary_currency, salary_period on public.jobs
  for each row execute function private.read_job_salary();

create trigger sync_job_search_document_on_change
  after update of job_title, company, location, description, user_id on public.jobs
  for each row
  when ((((old.job_title)::text is distinct from (new.job_title)::text) or ((old.company)::text is distinct from (new.company)::text) or ((old.location)::text is distinct from (new.location)::text) or (old.description is distinct from new.description) or (old.user_id is distinct from new.user_id)))
  execute function private.sync_job_search_document();

create trigger sync_job_search_document_on_insert after insert on public.jobs
  referencing new table as added
  for each statement execute function private.sync_job_search_documents_of_added_jobs();

-- After normalise_job_status (BEFORE triggers fire in name order).
create trigger track_application_progress before insert or update on public.jobs
  for each row execute function private.track_application_progress();

-- Policies and grants

call private.create_owner_policies('public.jobs',
  'Owners can view their own jobs',
  'Owners can add their own jobs',
  'Owners can update their own jobs',
  'Owners can delete their own jobs');

call private.grant_table_access('public.jobs', may_delete => true,
  insert_columns => '{id, user_id, job_title, company, location, salary, job_url, status, excitement_level, date_applied, deadline, description, follow_up_at, next_action, source, salary_min, salary_max, salary_currency, salary_period, closing_reason}',
  update_columns => '{job_title, company, location, salary, job_url, status, excitement_level, date_applied, deadline, description, follow_up_at, next_action, source, salary_min, salary_max, salary_currency, salary_period, closing_reason}');

call private.create_owner_policies('public.job_status_events', 'Owners can view the status history of their own jobs', null, null, null);

call private.grant_table_access('public.job_status_events', may_delete => false);

call private.create_owner_policies('public.job_search_documents', 'Owners can view the search documents of their own jobs', null, null, null);

revoke all on table public.job_search_documents from anon, authenticated, service_role;
grant select on table public.job_search_documents to authenticated;
grant select on table public.job_search_documents to service_role;

-- Functions

-- VOLATILE although it writes nothing: PostgREST calls an RPC inside a CTE it refers to
-- twice, and Postgres inlines a CTE without a volatile function into both references,
-- so a STABLE function ran twice per request. VOLATILE keeps the CTE materialized (and
-- makes PostgREST run it in a read-write transaction, answering POST as supabase.rpc sends).
-- Invoker: the jobs shown are read under the caller's RLS.
-- No parallel workers: see private.job_search_page.
create function public.search_jobs(
  query text,
  statuses text[] default null,
  page_size integer default 20,
  page_token text default null)
returns jsonb language plpgsql volatile security invoker set search_path = '' set max_parallel_workers_per_gather = 0 as $$
declare
  parsed record;
  wanted text[];
  fingerprint text;
  after_rank real;
  after_id uuid;
  cursor_json jsonb;
  result jsonb;
begin
  if query is null or query !~ '[^[:space:]]' then
    raise exception 'query must contain at least one word'
      using errcode = '22023', hint = 'Send the words to look for, e.g. {"query": "kubernetes"}.';
  end if;
  if pg_catalog.char_length(query) > 200 then
    raise exception 'query is longer than 200 characters (% given)', pg_catalog.char_length(query)
      using errcode = '22023';
  end if;
  if page_size is null or page_size not between 1 and 100 then
    raise exception 'page_size must be between 1 and 100' using errcode = '22023';
  end if;
  if statuses is not null then
    if pg_catalog.cardinality(statuses) > 8 then
      raise exception 'statuses lists at most the eight statuses' using errcode = '22023';
    end if;
    select pg_catalog.array_agg(distinct pg_catalog.lower(pg_catalog.btrim(s)) order by pg_catalog.lower(pg_catalog.btrim(s)))
      into wanted
      from pg_catalog.unnest(statuses) s;
    if wanted is null then
      raise exception 'statuses must not be empty; leave it out to search every status' using errcode = '22023';
    end if;
    if exists (select 1 from pg_catalog.unnest(wanted) w
                where w is null or w not in ('bookmarked', 'applying', 'applied', 'interviewing',
                                             'negotiating', 'accepted', 'rejected', 'withdrawn')) then
      raise exception 'statuses must be among bookmarked, applying, applied, interviewing, negotiating, accepted, rejected, withdrawn'
        using errcode = '22023';
    end if;
  end if;

  parsed := private.parse_job_search(query);
  fingerprint := pg_catalog.left(pg_catalog.md5(pg_catalog.regexp_replace(query, '^[[:space:]]+|[[:space:]]+$', '', 'g') || '|' || coalesce(pg_catalog.array_to_string(wanted, ','), '*')), 16);

  if page_token is not null then
    begin
      if pg_catalog.char_length(page_token) > 200 then
        raise exception 'too long' using errcode = '22023';
      end if;
      cursor_json := pg_catalog.convert_from(pg_catalog.decode(
        pg_catalog.rpad(pg_catalog.translate(page_token, '-_', '+/'),
                        (pg_catalog.char_length(page_token) + 3) / 4 * 4, '='), 'base64'), 'UTF8')::jsonb;
      after_rank := (cursor_json ->> 'r')::real;
      after_id := (cursor_json ->> 'i')::uuid;
      if after_rank is null or after_id is null or cursor_json ->> 'f' is distinct from fingerprint then
        raise exception 'mismatch' using errcode = '22023';
      end if;
    exception when others then
      raise exception 'page_token is not a token of this search'
        using errcode = '22023', hint = 'Pass back next_page_token exactly as the previous page of the same query and statuses returned it.';
    end;
  end if;

  with page as (
    select m.job_id, m.rank, pg_catalog.row_number() over (order by m.rank desc, m.job_id) as n
      from private.job_search_page(parsed.match, parsed.indexable, parsed.excluded, parsed.typo, wanted,
                                   after_rank, after_id, page_size + 1) m
  )
  select pg_catalog.jsonb_build_object(
           'jobs', coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                      'id', j.id,
                      'job_title', j.job_title,
                      'company', j.company,
                      'location', j.location,
                      'status', j.status,
                      'updated_at', j.updated_at,
                      'rank', p.rank,
                      -- HTML-escaped, so that the <mark> tags are the only markup. From the
                      -- posting's head, as ranked: parsing 8,000 characters for each of a
                      -- page's 21 rows took longer than finding and ranking the page.
                      'headline', pg_catalog.ts_headline('pg_catalog.english'::pg_catalog.regconfig,
                        pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
                          pg_catalog.concat_ws(' · ', j.job_title, j.company, j.location, pg_catalog.left(j.description, 2000)),
                          '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'),
                        parsed.match,
                        'StartSel=<mark>, StopSel=</mark>, MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=" … "'))
                    order by p.n) filter (where p.n <= page_size), '[]'::jsonb),
           'next_page_token', case when pg_catalog.max(p.n) > page_size then
                                pg_catalog.max(private.job_search_page_token(p.rank, p.job_id, fingerprint))
                                  filter (where p.n = page_size) end)
    into result
    from page p
    join public.jobs j on j.id = p.job_id;

  return coalesce(result, pg_catalog.jsonb_build_object('jobs', '[]'::jsonb, 'next_page_token', null));
end
$$;
grant execute on function public.search_jobs(query text, statuses text[], page_size integer, page_token text) to authenticated, service_role;
comment on function public.search_jobs(query text, statuses text[], page_size integer, page_token text) is $$Full-text search over your jobs (title, company, location, description), best first: {"jobs": [{id, job_title, company, location, status, updated_at, rank, headline}], "next_page_token"}. Web-search syntax ("phrase", -word, OR), stemming, the last word as a prefix, typo-tolerant title and company when nothing matches as typed. 400 (22023) for an empty query, one over 200 characters, a bad page_size (1-100), status or page_token.$$;

-- VOLATILE so PostgREST runs it once per request (see public.search_jobs).
-- Invoker: the caller's RLS decides which jobs and events are counted.
create function public.job_dashboard(tz text default 'UTC') returns jsonb language sql volatile security invoker set search_path = '' as $$
  select private.job_dashboard(tz, pg_catalog.now())
$$;
grant execute on function public.job_dashboard(tz text) to authenticated, service_role;
comment on function public.job_dashboard(tz text) is $$Your job search dashboard as one JSON object: by_status (all eight statuses and total), funnel, response_rate, median_days_to_response, weekly (12 weeks in tz), needs_follow_up, upcoming_deadlines. tz is an IANA time zone (default UTC); 400 (22023) for an unknown one.$$;

