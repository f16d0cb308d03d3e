-- Why: users find a job by any word they remember. search_jobs answers a web-search
-- style query over the caller's jobs (title, company, location, description), best
-- first, a page at a time, as an invoker function: the rows it shows are read under the
-- caller's RLS. Every input is bounded before any work: at most 200 characters of
-- query, 100 rows per page, the eight statuses; the parsed query's size follows from the
-- query's length.
--
-- Finding and ranking the matches runs in a SECURITY DEFINER helper scoped to
-- auth.uid(): under RLS PostgreSQL may not use an index for an operator that is not
-- leakproof (text search's @@ and pg_trgm's <% are not), so an invoker query would read
-- and test every document of the caller (2.5 s for a 5,000-job user instead of a few
-- ms). The helper returns only job ids and ranks of the caller's own documents; the
-- page shown is then read from jobs under RLS, so even a wrong id could show nothing.

-- job_search_page pins pg_trgm's word_similarity_threshold; calling into pg_trgm first
-- loads it, so that the setting is known (not a placeholder) when the function is made.
select extensions.word_similarity('job', 'jobs');

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
  query text, out match tsquery, out indexable tsquery, out excluded tsquery, out typo text)
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
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
comment on function private.parse_job_search(text) is
  'Parses a job search query (1 to 200 characters) into the tsquery it matches, the part the index answers, the excluded words and the text for typo matching.';

-- The page token: base64url of {"r": rank, "i": job id, "f": search fingerprint}. The
-- rank goes through float8 and numeric (15 digits, whatever extra_float_digits says), so
-- it reads back as exactly the same real: no row is repeated or skipped at the seam.
create function private.job_search_page_token(rank real, job_id uuid, fingerprint text)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select pg_catalog.rtrim(pg_catalog.translate(pg_catalog.encode(pg_catalog.convert_to(
           pg_catalog.json_build_object('r', rank::float8::numeric::text, 'i', job_id, 'f', fingerprint)::text, 'UTF8'), 'base64'),
           E'+/\n', '-_'), '=')
$$;
comment on function private.job_search_page_token(real, uuid, text) is
  'Encodes where a search_jobs page ended: the last row''s rank and id, and which search it belongs to.';

-- One page of the caller's matches, best first, after the given (rank, id):
--   rank = ts_rank of the document (weights D 0.1, C 0.2, B 0.4, A 1.0), a real. When the full-text query matches none of the caller's jobs and the query
--   has 3 to 64 characters of plain words, titles and companies similar to them are
--   searched instead (pg_trgm word similarity >= 0.6, -words still excluded), ranked
--   0.5 x similarity: typo tolerance as a fallback, so exact matches are never diluted.
create function private.job_search_page(
  match tsquery, indexable tsquery, excluded tsquery, typo text, statuses text[],
  after_rank real, after_id uuid, page_size integer)
returns table (job_id uuid, rank real)
language plpgsql
stable
-- A page (default 20 + 1): so the planner joins jobs by primary key, not by user.
rows 21
-- Definer: see the header; every statement filters on the caller's user_id.
security definer
set search_path = ''
set pg_trgm.word_similarity_threshold = 0.6
as $$
declare
  caller uuid := (select auth.uid());
  keyed tsquery;
  exact boolean;
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
    return query
      select m.job_id, m.rank
        from (select d.job_id,
                     pg_catalog.ts_rank('{0.1, 0.2, 0.4, 1.0}', d.document, match) as rank
                from public.job_search_documents d
               where private.job_search_keys(d.user_id, d.document) @@ keyed
                 -- A filter, not a second index scan: the keyed entries are the caller's.
                 and (d.user_id = caller) is true
                 and (exact or d.document @@ match)
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
        where private.job_search_keys(d.user_id, d.document) @@ keyed
          and (d.user_id = caller) is true and (exact or d.document @@ match)) then
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
comment on function private.job_search_page(tsquery, tsquery, tsquery, text, text[], real, uuid, integer) is
  'One page of the caller''s job search matches (job id, rank), best first after (after_rank, after_id); typo matches when the text matches nothing.';

create function public.search_jobs(
  query text,
  statuses text[] default null,
  page_size integer default 20,
  page_token text default null)
returns jsonb
language plpgsql
stable
-- Invoker: the jobs shown are read under the caller's RLS.
security invoker
set search_path = ''
as $$
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
                      -- HTML-escaped, so that the <mark> tags are the only markup.
                      'headline', pg_catalog.ts_headline('pg_catalog.english'::pg_catalog.regconfig,
                        pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
                          pg_catalog.concat_ws(' · ', j.job_title, j.company, j.location, pg_catalog.left(j.description, 8000)),
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

comment on function public.search_jobs(text, text[], integer, text) is
  'Full-text search over your jobs (title, company, location, description), best first: {"jobs": [{id, job_title, company, location, status, updated_at, rank, headline}], "next_page_token"}. Web-search syntax ("phrase", -word, OR), stemming, the last word as a prefix, typo-tolerant title and company when nothing matches as typed. 400 (22023) for an empty query, one over 200 characters, a bad page_size (1-100), status or page_token.';

revoke all on function private.parse_job_search(text) from public, anon, authenticated, service_role;
revoke all on function private.job_search_page_token(real, uuid, text) from public, anon, authenticated, service_role;
revoke all on function private.job_search_page(tsquery, tsquery, tsquery, text, text[], real, uuid, integer) from public, anon, authenticated, service_role;
revoke all on function public.search_jobs(text, text[], integer, text) from public, anon, authenticated, service_role;
grant execute on function private.parse_job_search(text) to authenticated, service_role;
grant execute on function private.job_search_page_token(real, uuid, text) to authenticated, service_role;
grant execute on function private.job_search_page(tsquery, tsquery, tsquery, text, text[], real, uuid, integer) to authenticated, service_role;
grant execute on function public.search_jobs(text, text[], integer, text) to authenticated, service_role;
