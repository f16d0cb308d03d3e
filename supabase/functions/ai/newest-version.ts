// The newest version of one of the caller's generated resumes, read as the caller, so
// another user's resume is as absent as one that does not exist: what cover-letter and
// tailor-resume work from.
import type { Tables } from "../_shared/table-types.ts";
import type { Transaction } from "../_shared/db.ts";

export type NewestVersion = Pick<Tables<"generated_resume_versions">, "id" | "version_number" | "content_json">;

export async function readNewestVersion(tx: Transaction, generatedResumeId: string): Promise<NewestVersion | undefined> {
  const [version] = await tx<NewestVersion[]>`
    select v.id, v.version_number, v.content_json
      from public.generated_resumes gr
      join public.generated_resume_versions v on v.generated_resume_id = gr.id
     where gr.id = ${generatedResumeId}
     order by v.version_number desc
     limit 1`;
  return version;
}
