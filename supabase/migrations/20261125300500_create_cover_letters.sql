-- Why: the app has no cover letters yet; the ai function's cover-letter action writes
-- one per request for a job the user tracks, from a version of one of their generated
-- resumes, and the user reads, edits and deletes them through PostgREST. Same RLS
-- pattern as every user table, plus: a letter may only point at the caller's own job
-- and resume. word_count is kept by trigger so it always matches the content.

create table public.cover_letters (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  job_id uuid not null references public.jobs (id) on delete cascade,
  generated_resume_id uuid references public.generated_resumes (id) on delete set null,
  resume_version integer,
  content text not null,
  -- The default only lets writers leave it out; the trigger below always sets it.
  word_count integer not null default 0,
  model text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint cover_letters_content_not_blank check (pg_catalog.btrim(content) <> ''),
  constraint cover_letters_content_length check (pg_catalog.char_length(content) <= 20000),
  constraint cover_letters_word_count_range check (word_count between 1 and 2000),
  constraint cover_letters_resume_version_positive check (resume_version is null or resume_version >= 1),
  constraint cover_letters_model_length check (model is null or pg_catalog.char_length(model) between 1 and 200)
);

-- Behind the policies (user_id) and every foreign key.
create index idx_cover_letters_user_created on public.cover_letters (user_id, created_at desc);
create index idx_cover_letters_job_id on public.cover_letters (job_id);
create index idx_cover_letters_generated_resume_id on public.cover_letters (generated_resume_id);

create trigger update_cover_letters_updated_at before update on public.cover_letters
  for each row execute function public.update_updated_at_column();

-- Words = runs of non-space characters; whatever the writer passed is replaced.
create function private.count_cover_letter_words()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  -- A blank letter counts 0 words, which the word_count check then refuses.
  if pg_catalog.btrim(coalesce(new.content, '')) = '' then
    new.word_count := 0;
  else
    new.word_count := pg_catalog.array_length(
      pg_catalog.regexp_split_to_array(pg_catalog.btrim(new.content), '\s+'), 1);
  end if;
  return new;
end
$$;
comment on function private.count_cover_letter_words() is
  'Trigger: sets cover_letters.word_count from content on every insert and content change.';
revoke all on function private.count_cover_letter_words() from public, anon, authenticated, service_role;

create trigger count_cover_letter_words
  before insert or update of content on public.cover_letters
  for each row execute function private.count_cover_letter_words();

alter table public.cover_letters enable row level security;

revoke all on table public.cover_letters from public, anon, authenticated, service_role;
grant select, insert, update, delete on table public.cover_letters to service_role;
-- The owner reads, adds, edits the text of, and deletes letters; the job, resume,
-- version and model a letter was written from stay as written.
grant select, insert, delete on table public.cover_letters to authenticated;
grant update (content) on table public.cover_letters to authenticated;

create policy "Owners can view their own cover letters" on public.cover_letters
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "Owners can add cover letters for their own jobs and resumes" on public.cover_letters
  for insert to authenticated
  with check ((select auth.uid()) = user_id
              and job_id in (select j.id from public.jobs j where j.user_id = (select auth.uid()))
              and (generated_resume_id is null
                   or generated_resume_id in (select gr.id from public.generated_resumes gr
                                               where gr.user_id = (select auth.uid()))));
create policy "Owners can edit their own cover letters" on public.cover_letters
  for update to authenticated
  using ((select auth.uid()) = user_id)
  with check ((select auth.uid()) = user_id);
create policy "Owners can delete their own cover letters" on public.cover_letters
  for delete to authenticated using ((select auth.uid()) = user_id);

comment on table public.cover_letters is 'Cover letters written for a tracked job, usually by the ai function''s cover-letter action from a generated resume version.';
comment on column public.cover_letters.id is 'Primary key.';
comment on column public.cover_letters.user_id is 'The owner (auth.users.id); defaults to the signed-in user.';
comment on column public.cover_letters.job_id is 'The job the letter applies for; one of the owner''s jobs. Deleting the job deletes its letters.';
comment on column public.cover_letters.generated_resume_id is 'The generated resume the letter was written from, if any; one of the owner''s. Set to null when that resume is deleted.';
comment on column public.cover_letters.resume_version is 'Version number of that generated resume which was used (1..n), if any.';
comment on column public.cover_letters.content is 'The letter as plain text (paragraphs separated by blank lines); not blank, at most 20000 characters.';
comment on column public.cover_letters.word_count is 'Number of words in content (1-2000), computed by the database on every write.';
comment on column public.cover_letters.model is 'The AI model that wrote the letter, if any.';
comment on column public.cover_letters.created_at is 'When the letter was written.';
comment on column public.cover_letters.updated_at is 'When the letter last changed (set by trigger).';
