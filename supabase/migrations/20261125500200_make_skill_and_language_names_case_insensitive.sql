-- Why: the spec's UNIQUE(user_id, name) on user_skills compares names as written, so
-- 'Python' and 'python' could both be stored for one user through PostgREST, although
-- the upgrade and merge_imported_profile already treat them as the same skill (issue
-- 3: skills are compared case-insensitively). The same holds for user_languages. A
-- unique index on lower(name) / lower(language) per user makes it a rule of the table;
-- a second spelling is refused with 23505 (PostgREST: 409).
--
-- Existing duplicates: per user and lowercased name the oldest row stays (created_at,
-- then id); every other row is archived whole in private.legacy_profile_entries, then
-- deleted. Nothing references a skill or language row, so deleting is safe.
--
-- The spec's UNIQUE(user_id, name) and UNIQUE(user_id, language) stay: the new index
-- implies them, but PostgREST upserts (on_conflict=user_id,name) need a unique index
-- on exactly those columns to resolve the conflict against.

-- One statement per table: the rows deleted are exactly the rows archived.
do $$
declare
  removed integer;
begin
  with removed_rows as (
    delete from public.user_skills s
     where s.id in (select ranked.id
                      from (select x.id,
                                   pg_catalog.row_number() over (partition by x.user_id, pg_catalog.lower(x.name)
                                                                 order by x.created_at nulls last, x.id) as n
                              from public.user_skills x) ranked
                     where ranked.n > 1)
    returning s.*
  )
  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select r.user_id, 'user_skills', pg_catalog.to_jsonb(r),
         pg_catalog.format('skill %L duplicates an older skill of the same user in another case; removed', r.name)
    from removed_rows r;
  get diagnostics removed = row_count;
  raise notice 'user_skills: % case-insensitive duplicates archived and removed (the oldest row per user and name kept)', removed;

  with removed_rows as (
    delete from public.user_languages l
     where l.id in (select ranked.id
                      from (select x.id,
                                   pg_catalog.row_number() over (partition by x.user_id, pg_catalog.lower(x.language)
                                                                 order by x.created_at nulls last, x.id) as n
                              from public.user_languages x) ranked
                     where ranked.n > 1)
    returning l.*
  )
  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select r.user_id, 'user_languages', pg_catalog.to_jsonb(r),
         pg_catalog.format('language %L duplicates an older language of the same user in another case; removed', r.language)
    from removed_rows r;
  get diagnostics removed = row_count;
  raise notice 'user_languages: % case-insensitive duplicates archived and removed (the oldest row per user and language kept)', removed;
end
$$;

create unique index user_skills_user_id_lower_name_key
  on public.user_skills (user_id, pg_catalog.lower(name));
create unique index user_languages_user_id_lower_language_key
  on public.user_languages (user_id, pg_catalog.lower(language));

comment on index public.user_skills_user_id_lower_name_key is
  'A user has each skill once, compared case-insensitively (''Python'' = ''python'').';
comment on index public.user_languages_user_id_lower_language_key is
  'A user has each language once, compared case-insensitively (''English'' = ''english'').';
