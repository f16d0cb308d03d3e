-- Rendered resumes: the PDF of a version is stored in the private renders bucket under
-- the owner's folder and recorded in render_artifact_url through record_render_artifact;
-- the share page reads the active template's layout as anon (get_template_layout).
-- Threats covered: pointing a version at another user's file or at a path of the
-- client's choosing; recording a render that was never stored; recording on someone
-- else's resume; rewriting any other column of an append-only version; anon reading
-- inactive templates or anything else.
begin;
select plan(16);

insert into auth.users (id, email, aud, role) values
  ('11111111-1111-4111-8111-111111111111', 'owner@renders.test', 'authenticated', 'authenticated'),
  ('22222222-2222-4222-8222-222222222222', 'stranger@renders.test', 'authenticated', 'authenticated');
insert into public.templates (id, name, slug, schema, is_active) values
  ('aaaaaaaa-0000-4000-8000-000000000001', 'Render Test', 'render-test', '{"layout": {"type": "single-column"}}', true),
  ('aaaaaaaa-0000-4000-8000-000000000002', 'Render Retired', 'render-retired', '{}', false);
insert into public.generated_resumes (id, user_id, template_id, title) values
  ('d0000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111',
   'aaaaaaaa-0000-4000-8000-000000000001', 'Ada''s resume');
insert into public.generated_resume_versions (generated_resume_id, version_number, content_json) values
  ('d0000000-0000-4000-8000-000000000001', 1, '{"profile": {"fullName": "Ada"}}'),
  ('d0000000-0000-4000-8000-000000000001', 2, '{"profile": {"fullName": "Ada L."}}');

-- What the Storage API does to the database when the owner uploads the render.
insert into storage.objects (bucket_id, name, owner_id) values
  ('renders', '11111111-1111-4111-8111-111111111111/d0000000-0000-4000-8000-000000000001/v2-a4.pdf',
   '11111111-1111-4111-8111-111111111111');

select ok(
  exists (select 1 from storage.buckets where id = 'renders' and not public
            and allowed_mime_types = array['application/pdf']),
  'The renders bucket exists, is private and takes PDFs only.'
);

-- The owner records the stored render --------------------------------------------------

set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}', true);

select is(
  (select render_artifact_url from public.record_render_artifact(
     'd0000000-0000-4000-8000-000000000001', 2,
     '11111111-1111-4111-8111-111111111111/d0000000-0000-4000-8000-000000000001/v2-a4.pdf')),
  '11111111-1111-4111-8111-111111111111/d0000000-0000-4000-8000-000000000001/v2-a4.pdf',
  'The owner records the stored render of version 2; the version is returned with its path.'
);
select is(
  (select render_artifact_url from public.generated_resume_versions where version_number = 2),
  '11111111-1111-4111-8111-111111111111/d0000000-0000-4000-8000-000000000001/v2-a4.pdf',
  'render_artifact_url of version 2 now names the object.'
);
select is(
  (select content_json ->> 'profile' from public.generated_resume_versions where version_number = 2),
  '{"fullName": "Ada L."}',
  'The version''s content is unchanged.'
);
select throws_ok(
  $$select public.record_render_artifact('d0000000-0000-4000-8000-000000000001', 1,
      '11111111-1111-4111-8111-111111111111/d0000000-0000-4000-8000-000000000001/v1-a4.pdf')$$,
  '23503', 'the render is not stored in the renders bucket',
  'A render that was never uploaded cannot be recorded.'
);
select throws_ok(
  $$select public.record_render_artifact('d0000000-0000-4000-8000-000000000001', 2,
      '22222222-2222-4222-8222-222222222222/d0000000-0000-4000-8000-000000000001/v2-a4.pdf')$$,
  '22023', null,
  'A path in another user''s folder is refused.'
);
select throws_ok(
  $$select public.record_render_artifact('d0000000-0000-4000-8000-000000000001', 2,
      '11111111-1111-4111-8111-111111111111/d0000000-0000-4000-8000-000000000001/v1-a4.pdf')$$,
  '22023', null,
  'The path of another version is refused.'
);
select throws_ok(
  $$select public.record_render_artifact('d0000000-0000-4000-8000-000000000001', 9,
      '11111111-1111-4111-8111-111111111111/d0000000-0000-4000-8000-000000000001/v9-a4.pdf')$$,
  'PT404', null,
  'A version that does not exist is not found.'
);
select throws_ok(
  $$update public.generated_resume_versions set render_artifact_url = 'x' where version_number = 1$$,
  '42501', null,
  'Versions stay append-only: the owner cannot update render_artifact_url directly.'
);

-- The bucket's folders, as the Storage API's queries meet them -------------------------

select lives_ok(
  $$insert into storage.objects (bucket_id, name, owner_id) values
      ('renders', '11111111-1111-4111-8111-111111111111/d0000000-0000-4000-8000-000000000001/v1-letter.pdf',
       '11111111-1111-4111-8111-111111111111')$$,
  'The owner uploads a render into their own folder of the renders bucket.'
);
select throws_ok(
  $$insert into storage.objects (bucket_id, name, owner_id) values
      ('renders', '22222222-2222-4222-8222-222222222222/x/v1-a4.pdf', '11111111-1111-4111-8111-111111111111')$$,
  '42501', null,
  'Nobody uploads into another user''s folder of the renders bucket.'
);

-- A stranger cannot record on the owner's resume, nor read the render -------------------

select set_config('request.jwt.claims', '{"sub":"22222222-2222-4222-8222-222222222222","role":"authenticated"}', true);
select is_empty(
  $$select name from storage.objects where bucket_id = 'renders'$$,
  'A stranger sees none of the owner''s renders.'
);
select throws_ok(
  $$select public.record_render_artifact('d0000000-0000-4000-8000-000000000001', 2,
      '11111111-1111-4111-8111-111111111111/d0000000-0000-4000-8000-000000000001/v2-a4.pdf')$$,
  'PT404', null,
  'Another user''s resume is as invisible as a missing one.'
);

-- Anon reads an active template's layout by slug only, and cannot record anything -------

reset role;
set local role anon;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
select ok(
  public.get_template_layout('render-test') = '{"layout": {"type": "single-column"}}'::jsonb
    and public.get_template_layout('render-retired') is null,
  'Anon reads the active template''s layout by slug (for the share page), not the retired one.'
);
select throws_ok(
  $$select public.record_render_artifact('d0000000-0000-4000-8000-000000000001', 2, 'x')$$,
  '42501', null,
  'Anon cannot execute record_render_artifact.'
);
select throws_ok(
  $$update public.templates set name = 'x'$$,
  '42501', null,
  'Anon cannot change templates.'
);

select * from finish();
rollback;
