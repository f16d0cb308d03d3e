// Reads the caller's profile tables for a prompt, inside a transaction acting as the
// caller (RLS bounds it to their own rows). to_jsonb(row) keeps these reads
// independent of columns the prompt does not use.
import type { Transaction } from "../_shared/db.ts";
import type { ProfileRows } from "./candidate.ts";

export async function readProfileRows(
  tx: Transaction,
  userId: string,
  { experienceLimit }: { experienceLimit: number },
): Promise<ProfileRows> {
  const [profile] = await tx<{ row: unknown }[]>`
    select to_jsonb(p) as row from public.user_profile p where p.user_id = ${userId} limit 1`;
  const skills = await tx<{ row: unknown }[]>`
    select to_jsonb(s) as row from public.user_skills s where s.user_id = ${userId}
     order by s.created_at limit 100`;
  const experience = await tx<{ row: unknown }[]>`
    select to_jsonb(w) as row from public.user_work_experience w where w.user_id = ${userId}
     order by w.is_current desc nulls last, w.start_date desc nulls last limit ${experienceLimit}`;
  const education = await tx<{ row: unknown }[]>`
    select to_jsonb(e) as row from public.user_education e where e.user_id = ${userId}
     order by e.start_date desc nulls last limit 5`;
  return {
    profile: profile?.row,
    skills: skills.map((r) => r.row),
    experience: experience.map((r) => r.row),
    education: education.map((r) => r.row),
  };
}
