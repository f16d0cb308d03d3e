-- What a share link reveals. An anonymous holder of a live token must learn what the
-- resume page shows and nothing else. Threats covered: the tailoring provenance (which
-- company the resume was tailored for, and when); internal row ids; targetRole; wizard
-- metadata and any other key a client or the model added; proficiencies the page does
-- not show; unsafe links; the exact time of the last edit; the version count.
begin;
select plan(16);

select tests.create_supabase_user('owner-account', 'owner-account@privacy.test', '11111111-1111-4111-8111-111111111111');
insert into public.templates (id, name, slug, schema) values
  ('aaaaaaaa-0000-4000-8000-000000000001', 'Privacy Test', 'privacy-test', '{}');
insert into public.generated_resumes (id, user_id, template_id, title) values
  ('d0000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111',
   'aaaaaaaa-0000-4000-8000-000000000001', 'Ada Lovelace');
-- A tailored version as the wizard and tailor-resume store it, plus every kind of extra.
insert into public.generated_resume_versions (generated_resume_id, version_number, content_json) values
  ('d0000000-0000-4000-8000-000000000001', 1, '{"profile": {"fullName": "Old"}}'),
  ('d0000000-0000-4000-8000-000000000001', 2, $json${
    "profile": {"fullName": "Ada Lovelace", "firstName": "Ada", "lastName": "Lovelace",
                "email": "ada@resume.example", "phone": "+44 20 0000", "headline": "Engineer",
                "location": "London", "summary": "Writes programs.",
                "socialLinks": [{"platform": "GitHub", "url": "https://github.com/ada", "id": "link-1"},
                                {"platform": "Evil", "url": "javascript:alert(1)"}],
                "accountEmail": "owner-account@privacy.test", "userId": "11111111-1111-4111-8111-111111111111"},
    "experience": [{"id": "9b1d0000-0000-4000-8000-00000000e001", "title": "Analyst", "company": "Babbage & Co",
                    "location": "London", "startDate": "1842-01", "endDate": null, "isCurrent": true,
                    "description": "Wrote the first program.", "sourceRowId": "e-1"},
                   {"id": "9b1d0000-0000-4000-8000-00000000e002"}],
    "education": [{"id": "9b1d0000-0000-4000-8000-00000000d001", "school": "Home", "degree": "Tutoring",
                   "field": "Mathematics", "startDate": "1830-01", "endDate": "1835-01"}],
    "skills": ["Mathematics", {"name": "Analysis", "proficiency": "Expert", "category": "Technical", "id": "s-1"}, {"proficiency": "Expert"}],
    "languages": [{"name": "English", "proficiency": "Native", "id": "l-1"}, "French"],
    "targetRole": "Staff Engineer at Secret Corp",
    "provenance": {"kind": "tailored", "sourceVersion": 1, "jobId": "7a000000-0000-4000-8000-000000000001",
                   "jobTitle": "Staff Engineer", "company": "Secret Corp", "tailoredAt": "2026-11-30T10:00:00Z"},
    "wizard": {"step": 8, "sessionId": "5e000000-0000-4000-8000-000000000001"},
    "progress": {"step1": true}
  }$json$);

create temp table answer (body jsonb);
grant all on answer to anon;

select tests.authenticate_as('owner-account');
create temp table link (token text);
insert into link select public.create_share_link('d0000000-0000-4000-8000-000000000001');
select tests.clear_authentication();
grant select on link to anon;

select tests.authenticate_as_anon();
insert into answer select public.get_public_generated_resume((select token from link));
select tests.clear_authentication();

-- Every key path of the answer ([] for array elements) is on the allow-list, and each
-- allowed path is there: the shape is fixed whatever the stored content held.
create temp table answer_paths as
with recursive walk(path, value) as (
  select '', body from answer
  union all
  select case when c.step = '[]' then w.path || '[]'
              when w.path = '' then c.step else w.path || '.' || c.step end,
         c.value
    from walk w
   cross join lateral (
     select key as step, value
       from jsonb_each(case when jsonb_typeof(w.value) = 'object' then w.value else '{}' end)
     union all
     select '[]', value
       from jsonb_array_elements(case when jsonb_typeof(w.value) = 'array' then w.value else '[]' end)
   ) c
)
select distinct path from walk where path <> '';

select set_eq(
  $$select path from answer_paths$$,
  $$values ('title'), ('template_slug'), ('updated_at'), ('content'),
           ('content.profile'), ('content.profile.fullName'), ('content.profile.firstName'),
           ('content.profile.lastName'), ('content.profile.email'), ('content.profile.phone'),
           ('content.profile.headline'), ('content.profile.location'), ('content.profile.summary'),
           ('content.profile.socialLinks'), ('content.profile.socialLinks[]'),
           ('content.profile.socialLinks[].platform'), ('content.profile.socialLinks[].url'),
           ('content.experience'), ('content.experience[]'), ('content.experience[].title'),
           ('content.experience[].company'), ('content.experience[].location'),
           ('content.experience[].startDate'), ('content.experience[].endDate'),
           ('content.experience[].isCurrent'), ('content.experience[].description'),
           ('content.education'), ('content.education[]'), ('content.education[].school'),
           ('content.education[].degree'), ('content.education[].field'),
           ('content.education[].startDate'), ('content.education[].endDate'),
           ('content.skills'), ('content.skills[]'),
           ('content.languages'), ('content.languages[]'), ('content.languages[].name'),
           ('content.languages[].proficiency')$$,
  'The public answer has exactly the allow-listed fields, at every level.'
);

select is((select body ->> 'title' from answer), 'Ada Lovelace', 'title is the resume''s title.');
select is((select body ->> 'template_slug' from answer), 'privacy-test', 'template_slug names the template.');
select is((select body ->> 'updated_at' from answer), to_char(now() at time zone 'UTC', 'YYYY-MM-DD'),
  'updated_at is the day of the newest version, not its exact time.');
select is(
  (select body #> '{content,profile}' from answer),
  '{"fullName": "Ada Lovelace", "firstName": "Ada", "lastName": "Lovelace", "email": "ada@resume.example",
    "phone": "+44 20 0000", "headline": "Engineer", "location": "London", "summary": "Writes programs.",
    "socialLinks": [{"platform": "GitHub", "url": "https://github.com/ada"}]}'::jsonb,
  'profile keeps the rendered contact fields and only http(s) links, without ids or extra keys.'
);
select is(
  (select body #> '{content,experience}' from answer),
  '[{"title": "Analyst", "company": "Babbage & Co", "location": "London", "startDate": "1842-01",
     "endDate": "", "isCurrent": true, "description": "Wrote the first program."}]'::jsonb,
  'experience keeps the rendered fields without entry ids; an empty entry is left out.'
);
select is(
  (select body #> '{content,education}' from answer),
  '[{"school": "Home", "degree": "Tutoring", "field": "Mathematics", "startDate": "1830-01", "endDate": "1835-01"}]'::jsonb,
  'education keeps the rendered fields without entry ids.'
);
select is(
  (select body #> '{content,skills}' from answer),
  '["Mathematics", "Analysis"]'::jsonb,
  'skills are the names the page shows (no proficiency, category or id; nameless ones dropped).'
);
select is(
  (select body #> '{content,languages}' from answer),
  '[{"name": "English", "proficiency": "Native"}, {"name": "French", "proficiency": ""}]'::jsonb,
  'languages are name and proficiency, without ids.'
);

-- Nothing of the leaks survives anywhere in the text of the answer.
select unalike((select body::text from answer), '%Secret Corp%', 'The company the resume was tailored for appears nowhere.');
select unalike((select body::text from answer), '%7a000000%', 'The tailored job''s id appears nowhere.');
select unalike((select body::text from answer), '%9b1d0000%', 'No entry id appears.');
select unalike((select body::text from answer), '%owner-account@privacy.test%', 'The account email appears nowhere (only the resume''s own contact email).');
select unalike((select body::text from answer), '%11111111-1111%', 'The owner''s user id appears nowhere.');
select unalike((select body::text from answer), '%2026-11-30%', 'The tailoring time appears nowhere.');
select ok(not ((select body from answer) ? 'version_number'), 'The number of versions (how often it was edited or tailored) is not shown.');

select * from finish();
rollback;
