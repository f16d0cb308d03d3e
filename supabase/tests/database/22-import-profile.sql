-- merge_imported_profile: an imported resume merged into the caller's profile tables.
-- Failures covered: overwriting what the user typed; duplicates by case, within one
-- import or across two; dates in the app's 'YYYY-MM' format stored as NULL (the old
-- service's bug) or an impossible date failing the whole import; an unknown
-- proficiency failing the import; a merge that reads or writes another user's rows.
begin;
select plan(21);

-- The importer signed up without a name: the profile holds the 'Your Name' placeholder.
select tests.create_supabase_user('importer', null, '11111111-1111-4111-8111-111111111111');
select tests.create_supabase_user('stranger', 'stranger@import.test', '22222222-2222-4222-8222-222222222222');
update public.user_profile
   set phone = '123', social_links = '[{"platform": "GitHub", "url": "https://github.com/mine"}]'
 where user_id = '11111111-1111-4111-8111-111111111111';
insert into public.user_skills (user_id, name) values ('11111111-1111-4111-8111-111111111111', 'PostgreSQL');
insert into public.user_work_experience (user_id, title, company, start_date) values
  ('11111111-1111-4111-8111-111111111111', 'Engineer', 'Acme', '2019-01-01');
insert into public.user_education (user_id, school, degree) values ('11111111-1111-4111-8111-111111111111', 'MIT', 'BSc');
insert into public.user_languages (user_id, language) values ('11111111-1111-4111-8111-111111111111', 'English');

create temp table import (payload jsonb);
insert into import values ($${
  "contact": {"fullName": "Ada Lovelace", "firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.test",
              "phone": "999", "location": "London", "headline": "Analyst",
              "socialLinks": [{"platform": "github", "url": "https://github.com/imported"},
                              {"platform": "LinkedIn", "url": "https://linkedin.com/in/ada"}]},
  "summary": "I compute.",
  "skills": ["postgresql", {"name": "Rust", "proficiency": "Expert", "category": "Languages"}, {"name": "rust"},
             {"name": "Go", "proficiency": "Wizard"}, {"name": ""}],
  "experience": [{"title": "engineer", "company": "ACME", "startDate": "2019-01", "endDate": null, "isCurrent": false},
                 {"title": "Analyst", "company": "Engine Co", "startDate": "1843-01-15", "endDate": "1844-02",
                  "isCurrent": false, "description": "Notes on the engine"},
                 {"title": "Lead", "company": "Now Inc", "startDate": "2024-05", "endDate": "2024-06", "isCurrent": true},
                 {"title": "Odd", "company": "Calendar Ltd", "startDate": "2020-13", "endDate": "2021-02-30"},
                 {"title": "", "company": "Nameless"}],
  "education": [{"school": "mit", "degree": "bsc"},
                {"school": "MIT", "degree": "PhD", "field": "CS", "startDate": "2020-09", "endDate": "2024-06"}],
  "languages": ["english", {"name": "French", "proficiency": "Fluent"}, {"name": "Klingon", "proficiency": "Galactic"}]
}$$);
grant select on import to authenticated;

select tests.authenticate_as('importer');

select is(
  public.merge_imported_profile((select payload from import)),
  '{"skills": {"added": 2, "skipped": 3}, "experience": {"added": 3, "skipped": 2},
    "education": {"added": 1, "skipped": 1}, "languages": {"added": 2, "skipped": 1},
    "profileFieldsFilled": 7}'::jsonb,
  'The first import reports what it added and skipped in each section, and how many profile fields it filled.'
);

select is(
  (select array[full_name, first_name, last_name, location, job_title, professional_summary, phone]::text[]
     from public.user_profile where user_id = '11111111-1111-4111-8111-111111111111'),
  array['Ada Lovelace', 'Ada', 'Lovelace', 'London', 'Analyst', 'I compute.', '123'],
  'Empty profile fields (and the ''Your Name'' placeholder) are filled; the phone the user typed is kept.'
);
select is(
  (select social_links from public.user_profile where user_id = '11111111-1111-4111-8111-111111111111'),
  '[{"platform": "GitHub", "url": "https://github.com/mine"}, {"platform": "LinkedIn", "url": "https://linkedin.com/in/ada"}]'::jsonb,
  'A social link is added for a new platform only; the existing GitHub link keeps its URL.'
);
select is(
  (select array_agg(name || ':' || coalesce(proficiency, '-') || ':' || category order by name) from public.user_skills),
  array['Go:-:Technical', 'PostgreSQL:-:Technical', 'Rust:expert:Languages'],
  'Skills: case-insensitive duplicates skipped, an unknown proficiency dropped, category defaulted to Technical.'
);
select is(
  (select array_agg(title || '@' || company || ':' || coalesce(start_date::text, '-') || ':' || coalesce(end_date::text, '-')
                    || ':' || is_current order by title) from public.user_work_experience),
  array['Analyst@Engine Co:1843-01-15:1844-02-01:false', 'Engineer@Acme:2019-01-01:-:false',
        'Lead@Now Inc:2024-05-01:-:true', 'Odd@Calendar Ltd:-:-:false'],
  'Experience: YYYY-MM becomes the first of the month, YYYY-MM-DD is kept, impossible dates become null, a current job has no end.'
);
select is(
  (select array_agg(school || ':' || coalesce(degree, '-') || ':' || coalesce(field, '-') || ':' || coalesce(start_date::text, '-') order by degree)
     from public.user_education),
  array['MIT:BSc:-:-', 'MIT:PhD:CS:2020-09-01'],
  'Education: the same school and degree in another case is skipped; a new degree is added.'
);
select is(
  (select array_agg(language || ':' || coalesce(proficiency, '-') order by language) from public.user_languages),
  array['English:-', 'French:native', 'Klingon:-'],
  'Languages: duplicates skipped, Fluent normalised to native, an unknown proficiency dropped.'
);

select is(
  public.merge_imported_profile((select payload from import)),
  '{"skills": {"added": 0, "skipped": 5}, "experience": {"added": 0, "skipped": 5},
    "education": {"added": 0, "skipped": 2}, "languages": {"added": 0, "skipped": 3},
    "profileFieldsFilled": 0}'::jsonb,
  'Importing the same resume again adds nothing and fills nothing.'
);
select is(
  (select array[(select count(*) from public.user_skills), (select count(*) from public.user_work_experience),
                (select count(*) from public.user_education), (select count(*) from public.user_languages)]::int[]),
  array[3, 4, 2, 3],
  'After two imports each table holds each entry once.'
);

select is(
  public.merge_imported_profile('{"skills": [], "contact": null}'),
  '{"skills": {"added": 0, "skipped": 0}, "experience": {"added": 0, "skipped": 0},
    "education": {"added": 0, "skipped": 0}, "languages": {"added": 0, "skipped": 0},
    "profileFieldsFilled": 0}'::jsonb,
  'Missing sections and a null contact are simply nothing to merge.'
);
select throws_ok(
  $$select public.merge_imported_profile('[]')$$,
  '22023', 'profile must be a JSON object',
  'An import that is not a JSON object is refused with 22023.'
);
select throws_ok(
  $$select public.merge_imported_profile('{"skills": {"name": "Rust"}}')$$,
  '22023', 'profile.skills must be a JSON array',
  'A section that is not a list is refused with 22023.'
);
select throws_ok(
  $$select public.merge_imported_profile('{"contact": ["Ada"]}')$$,
  '22023', 'profile.contact must be a JSON object',
  'A contact that is not an object is refused with 22023.'
);

-- The stranger's import sees only the stranger's rows.
select tests.authenticate_as('stranger');
select is(
  public.merge_imported_profile('{"contact": {"location": "Paris"}, "skills": ["Rust"], "languages": ["French"]}')
    -> 'skills',
  '{"added": 1, "skipped": 0}'::jsonb,
  'Another user''s Rust does not count as a duplicate: the stranger''s Rust is added.'
);
select is(
  (select count(*)::int from public.user_skills),
  1,
  'The stranger sees only their own one skill.'
);
select tests.clear_authentication();
select is(
  (select location::text from public.user_profile where user_id = '11111111-1111-4111-8111-111111111111'),
  'London',
  'The stranger''s import left the owner''s profile alone.'
);
select is(
  (select count(*)::int from public.user_skills where user_id = '22222222-2222-4222-8222-222222222222'),
  1,
  'The stranger''s skill was written under the stranger''s user_id.'
);

-- No profile row (the user deleted it): the import creates one.
delete from public.user_profile where user_id = '22222222-2222-4222-8222-222222222222';
select tests.authenticate_as('stranger');
select is(
  (public.merge_imported_profile('{"contact": {"fullName": "Sam Stranger"}}') ->> 'profileFieldsFilled')::int,
  1,
  'Without a profile row the import creates one and fills it.'
);
select tests.clear_authentication();
select is(
  (select full_name::text from public.user_profile where user_id = '22222222-2222-4222-8222-222222222222'),
  'Sam Stranger',
  'The recreated profile carries the imported name.'
);

select is(
  (select array_agg(r order by r) from unnest(array['anon', 'authenticated', 'service_role']) r
    where has_function_privilege(r, 'public.merge_imported_profile(jsonb)', 'EXECUTE')),
  array['authenticated'],
  'Only signed-in users can run merge_imported_profile.'
);
select is(
  (select p.prosecdef from pg_proc p where p.oid = 'public.merge_imported_profile(jsonb)'::regprocedure),
  false,
  'merge_imported_profile is SECURITY INVOKER: RLS bounds every row it reads and writes.'
);

select * from finish();
rollback;
