-- The JSONB copies in user_profile were moved into their tables by the previous
-- migration; keeping them would let the two copies drift again. Drop the columns
-- (their GIN indexes go with them) and the helpers that wrote them.

drop function if exists public.add_skill_to_profile(uuid, jsonb);
drop function if exists public.add_work_experience_to_profile(uuid, jsonb);

drop index if exists public.idx_user_profile_skills;
drop index if exists public.idx_user_profile_work_experience;
drop index if exists public.idx_user_profile_education;
drop index if exists public.idx_user_profile_resumes;

alter table public.user_profile
  drop column if exists skills,
  drop column if exists work_experience,
  drop column if exists education,
  drop column if exists resumes;
