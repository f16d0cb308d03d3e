-- The live app keeps the languages a user speaks in user_languages (not in the v2.0
-- spec); resumes and the wizard list them. One row per language per user; the app
-- sends Title Case proficiencies, stored lowercase like skills.

create table public.user_languages (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  language varchar(100) not null,
  proficiency varchar(50),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint user_languages_user_id_language_key unique (user_id, language),
  constraint user_languages_language_check check (pg_catalog.btrim(language) <> ''),
  constraint user_languages_proficiency_check check (proficiency in ('beginner', 'intermediate', 'advanced', 'native'))
);

create trigger update_user_languages_updated_at before update on public.user_languages
  for each row execute function public.update_updated_at_column();

create or replace function private.normalise_user_language()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.language := pg_catalog.btrim(new.language);
  new.proficiency := pg_catalog.lower(pg_catalog.btrim(new.proficiency));
  if new.proficiency = '' then
    new.proficiency := null;
  elsif new.proficiency in ('fluent', 'bilingual', 'native speaker', 'mother tongue') then
    new.proficiency := 'native';
  elsif new.proficiency in ('basic', 'elementary', 'novice') then
    new.proficiency := 'beginner';
  end if;
  return new;
end;
$$;
revoke execute on function private.normalise_user_language() from public, anon, authenticated;

create trigger normalise_user_language
  before insert or update of language, proficiency on public.user_languages
  for each row execute function private.normalise_user_language();

alter table public.user_languages enable row level security;

create policy "Users can view their own languages" on public.user_languages
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "Users can add their own languages" on public.user_languages
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "Users can update their own languages" on public.user_languages
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "Users can delete their own languages" on public.user_languages
  for delete to authenticated using ((select auth.uid()) = user_id);

revoke all on public.user_languages from anon, authenticated;
grant select, insert, update, delete on public.user_languages to authenticated;
grant all on public.user_languages to service_role;
