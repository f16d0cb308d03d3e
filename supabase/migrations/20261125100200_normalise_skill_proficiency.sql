-- user_skills.proficiency was free text; the app sends 'Beginner' | 'Intermediate' |
-- 'Expert' and older data holds any spelling. Store one lowercase vocabulary
-- (beginner, intermediate, advanced, expert, or null), normalise what clients send
-- on write, and migrate existing rows. A value that means nothing we know is
-- archived with its row and cleared rather than guessed.

create or replace function private.normalise_skill_proficiency(value text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case pg_catalog.lower(pg_catalog.regexp_replace(pg_catalog.btrim(value), '[[:space:]_-]+', ' ', 'g'))
    when '' then null
    when 'beginner' then 'beginner'
    when 'novice' then 'beginner'
    when 'basic' then 'beginner'
    when 'elementary' then 'beginner'
    when 'entry level' then 'beginner'
    when 'intermediate' then 'intermediate'
    when 'competent' then 'intermediate'
    when 'moderate' then 'intermediate'
    when 'working knowledge' then 'intermediate'
    when 'advanced' then 'advanced'
    when 'proficient' then 'advanced'
    when 'strong' then 'advanced'
    when 'expert' then 'expert'
    when 'master' then 'expert'
    when 'mastery' then 'expert'
    else pg_catalog.lower(pg_catalog.btrim(value))
  end
$$;
revoke execute on function private.normalise_skill_proficiency(text) from public, anon, authenticated;
comment on function private.normalise_skill_proficiency(text) is
  'Maps a proficiency spelling to beginner/intermediate/advanced/expert; unknown values come back lowercased so the CHECK rejects them.';

-- Security definer only so that the trigger can call the private mapping function
-- without granting the API roles usage on schema private; it touches nothing but NEW.
create or replace function private.normalise_user_skill()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  new.proficiency := private.normalise_skill_proficiency(new.proficiency);
  return new;
end;
$$;
revoke execute on function private.normalise_user_skill() from public, anon, authenticated;

create trigger normalise_user_skill_proficiency
  before insert or update of proficiency on public.user_skills
  for each row execute function private.normalise_user_skill();

-- Existing rows: a data fix, not a user edit, so updated_at is left as it was.
alter table public.user_skills disable trigger update_user_skills_updated_at;

do $$
declare
  archived integer;
  normalised integer;
begin
  insert into private.legacy_profile_entries (user_id, source, entry, reason)
  select s.user_id, 'user_skills.proficiency', pg_catalog.to_jsonb(s),
         pg_catalog.format('proficiency %L is not beginner, intermediate, advanced or expert; cleared', s.proficiency)
    from public.user_skills s
   where private.normalise_skill_proficiency(s.proficiency) not in ('beginner', 'intermediate', 'advanced', 'expert');
  get diagnostics archived = row_count;

  update public.user_skills s
     set proficiency = case
           when private.normalise_skill_proficiency(s.proficiency) in ('beginner', 'intermediate', 'advanced', 'expert')
             then private.normalise_skill_proficiency(s.proficiency)
         end
   where s.proficiency is distinct from private.normalise_skill_proficiency(s.proficiency)
      or private.normalise_skill_proficiency(s.proficiency) not in ('beginner', 'intermediate', 'advanced', 'expert');
  get diagnostics normalised = row_count;

  raise notice 'user_skills.proficiency: % rows normalised, % unknown values archived and cleared', normalised, archived;
end
$$;

alter table public.user_skills enable trigger update_user_skills_updated_at;

alter table public.user_skills
  add constraint user_skills_proficiency_check
  check (proficiency in ('beginner', 'intermediate', 'advanced', 'expert'));
