// A user whose data sits at the documented caps (issue 22): jobs with descriptions at
// their size limit, generated resumes with versions at the content limit. Built in the
// database with generate_series (one statement per table, triggers on, so search
// documents, quotas and version numbers are the real ones). Sizes are parameters: the
// full caps (5,000 jobs × 100 KB, 100 resumes × 100 versions × 512 KB) take minutes and
// gigabytes to build on a small machine, so suites choose what their check needs and say so.
import type postgres from 'postgres';

export interface CappedUserOptions {
  jobs?: number; // rows in jobs (cap 5,000)
  descriptionChars?: number; // characters per description (cap 100 KB)
  resumes?: number; // generated resumes (cap 100)
  versionsPerResume?: number; // versions each (cap 100)
  versionKilobytes?: number; // content_json size per version (cap 512 KB)
}

// A vocabulary of 3,000 pseudo-words (hex), so each description holds thousands of
// distinct lexemes, as real text does; every ninth word is "engineer".
const descriptionSql = (chars: number) => `
  left((select string_agg(case when k % 9 = 0 then 'engineer' else substr(md5((1 + ((k * 7919 + n * 104729) % 3000))::text), 1, 4 + k % 7) end, ' ')
          from generate_series(1, ${Math.ceil(chars / 6)}) k), ${chars})`;

export async function buildCappedUser(admin: postgres.Sql, userId: string, options: CappedUserOptions = {}) {
  const { jobs = 200, descriptionChars = 30_000, resumes = 0, versionsPerResume = 0, versionKilobytes = 512 } = options;
  if (jobs > 0) {
    await admin.unsafe(`
      insert into public.jobs (user_id, job_title, company, location, status, description)
      select $1::uuid, 'Senior engineer ' || n, 'Company ' || (n % 300), 'Berlin', 'applied', ${descriptionSql(descriptionChars)}
        from generate_series(1, ${jobs}) n`, [userId]);
  }
  if (resumes > 0 && versionsPerResume > 0) {
    const [template] = await admin`select id from public.templates where is_active order by created_at limit 1`;
    await admin`
      insert into public.generated_resumes (user_id, template_id, title)
      select ${userId}, ${template.id}, 'Capped ' || n from generate_series(1, ${resumes}) n`;
    // One entry of ~1 KB repeated: content_json of about versionKilobytes.
    await admin.unsafe(`
      insert into public.generated_resume_versions (generated_resume_id, content_json)
      select gr.id, jsonb_build_object('profile', jsonb_build_object('fullName', 'Capped User'),
               'experience', (select jsonb_agg(jsonb_build_object('id', 'e' || e, 'title', 'Engineer', 'company', 'Acme',
                                                                'description', repeat('shipped the billing service ', 36)))
                                from generate_series(1, ${Math.max(1, versionKilobytes - 1)}) e))
        from public.generated_resumes gr, generate_series(1, ${versionsPerResume}) v
       where gr.user_id = $1::uuid`, [userId]);
  }
  await admin`analyze public.jobs`;
  await admin`analyze public.job_search_documents`;
}
