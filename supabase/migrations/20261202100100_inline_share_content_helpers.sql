-- Why: the share page's answer cost several times a primary-key read, and almost all of it
-- was private.public_resume_content: a SQL function with its own search_path setting is
-- never inlined, so it was parsed and planned again on every call, and it called its two
-- helpers, private.public_text and private.json_list (never inlined either, for the same
-- reason), once per field of the resume: about a hundred executor start-ups for a
-- typical one. The helpers' expressions are now written out where they were called
-- (schema-qualified, under the function's empty search_path), so the planner sees one
-- query, and the function is PL/pgSQL, whose statement plans are kept per connection:
-- PostgREST's pooled connections plan it once. The answer is the same, field for field;
-- the helpers stay for anyone else who calls them.

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
