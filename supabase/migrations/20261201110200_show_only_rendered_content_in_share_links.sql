-- Why: get_public_generated_resume returned a version's content_json as stored, so an
-- anonymous holder of a share link read everything the app keeps beside the resume: the
-- tailoring provenance {jobId, jobTitle, company, tailoredAt} (who the resume was
-- tailored for), internal row ids of experience and education entries, targetRole,
-- wizard metadata, skill proficiencies the page never shows, and the exact time of each
-- edit. A share link now shows what the resume shows and nothing else: the public answer
-- is built field by field from an allow-list (private.public_resume_content) matching
-- what the share page renders.
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
comment on function private.public_text(jsonb) is
  'A JSON string or number as text; anything else (object, array, boolean, null, missing) as ''''.';
revoke execute on function private.public_text(jsonb) from public;

create or replace function private.json_list(value jsonb)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select case when pg_catalog.jsonb_typeof(value) = 'array' then value else '[]'::jsonb end
$$;
comment on function private.json_list(jsonb) is 'The value when it is a JSON array, else [].';
revoke execute on function private.json_list(jsonb) from public;

create or replace function private.public_resume_content(content jsonb)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  with profile as (
    select case when pg_catalog.jsonb_typeof(content -> 'profile') = 'object'
                then content -> 'profile' else '{}'::jsonb end as p
  )
  select pg_catalog.jsonb_build_object(
    'profile', (
      select pg_catalog.jsonb_build_object(
        'fullName', private.public_text(p -> 'fullName'),
        'firstName', private.public_text(p -> 'firstName'),
        'lastName', private.public_text(p -> 'lastName'),
        'email', private.public_text(p -> 'email'),
        'phone', private.public_text(p -> 'phone'),
        'headline', private.public_text(p -> 'headline'),
        'location', private.public_text(p -> 'location'),
        'summary', private.public_text(p -> 'summary'),
        'socialLinks', coalesce((
          select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                   'platform', private.public_text(link -> 'platform'),
                   'url', private.public_text(link -> 'url')) order by n)
            from pg_catalog.jsonb_array_elements(private.json_list(p -> 'socialLinks')) with ordinality l(link, n)
           where private.public_text(link -> 'url') ~* '^https?://'), '[]'::jsonb))
        from profile),
    'experience', coalesce((
      select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'title', private.public_text(e -> 'title'),
               'company', private.public_text(e -> 'company'),
               'location', private.public_text(e -> 'location'),
               'startDate', private.public_text(e -> 'startDate'),
               'endDate', private.public_text(e -> 'endDate'),
               'isCurrent', coalesce(e -> 'isCurrent' = 'true'::jsonb, false),
               'description', private.public_text(e -> 'description')) order by n)
        from pg_catalog.jsonb_array_elements(private.json_list(content -> 'experience')) with ordinality x(e, n)
       where pg_catalog.btrim(private.public_text(e -> 'title') || private.public_text(e -> 'company')
                              || private.public_text(e -> 'description')) <> ''), '[]'::jsonb),
    'education', coalesce((
      select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'school', private.public_text(e -> 'school'),
               'degree', private.public_text(e -> 'degree'),
               'field', private.public_text(e -> 'field'),
               'startDate', private.public_text(e -> 'startDate'),
               'endDate', private.public_text(e -> 'endDate')) order by n)
        from pg_catalog.jsonb_array_elements(private.json_list(content -> 'education')) with ordinality x(e, n)
       where pg_catalog.btrim(private.public_text(e -> 'school') || private.public_text(e -> 'degree')
                              || private.public_text(e -> 'field')) <> ''), '[]'::jsonb),
    -- Skills are stored as names or as {name, proficiency, category}; the page shows names.
    'skills', coalesce((
      select pg_catalog.jsonb_agg(pg_catalog.to_jsonb(skill.name) order by n)
        from pg_catalog.jsonb_array_elements(private.json_list(content -> 'skills')) with ordinality x(s, n)
        cross join lateral (
          select case when pg_catalog.jsonb_typeof(s) = 'object' then private.public_text(s -> 'name')
                      else private.public_text(s) end as name
        ) skill
       where pg_catalog.btrim(skill.name) <> ''), '[]'::jsonb),
    'languages', coalesce((
      select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'name', language.name, 'proficiency', language.proficiency) order by n)
        from pg_catalog.jsonb_array_elements(private.json_list(content -> 'languages')) with ordinality x(l, n)
        cross join lateral (
          select case when pg_catalog.jsonb_typeof(l) = 'object' then private.public_text(l -> 'name')
                      else private.public_text(l) end as name,
                 case when pg_catalog.jsonb_typeof(l) = 'object' then private.public_text(l -> 'proficiency')
                      else '' end as proficiency
        ) language
       where pg_catalog.btrim(language.name) <> ''), '[]'::jsonb))
$$;
comment on function private.public_resume_content(jsonb) is
  'What a share link shows of a resume version''s content: the rendered fields only, by allow-list (no ids, provenance, targetRole, proficiencies or wizard metadata).';
revoke execute on function private.public_resume_content(jsonb) from public;

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
  'Definer body of public.get_public_generated_resume: for a live token, the newest version as the share page renders it (see private.public_resume_content), else null; counts the view.';

comment on function public.get_public_generated_resume(text) is
  'Public share page: {title, template_slug, updated_at (YYYY-MM-DD), content {profile, experience, education, skills, languages}} of the newest version for a live, unexpired token, limited to what the page renders (no ids, provenance, targetRole or wizard metadata); null for an unknown, revoked or expired one. Callable without signing in; counts the view.';
