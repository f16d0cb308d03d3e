// One user at every cap at once (issue 22: "a fixture user at every cap"), built in SQL on
// the admin connection: generate_series and shared text values, so the statement triggers
// (row quotas, search documents) run once per table and the build stays under a minute
// inside npm test. Two transactions side by side, each on a connection of its own (the
// pool must allow two): the jobs and every table hanging off them, and the tables that do
// not (profile, resumes and versions, wizard sessions, AI events). One Postgres backend
// runs one statement on one core; two use the machine's second.
//
// Every table is filled to its row cap exactly (the test reads private.row_quota_usage
// against private.row_quotas), and the two size caps that decide an account's bytes are
// met too:
// - jobs: 5,000 with descriptions of exactly 32 KB (jobs_description_size), 160 MB of text;
// - resume versions: 100 resumes × 100 versions of a 1-page resume, and one version at the
//   32 KB size cap (`capVersion`: fifty jobs with long descriptions, cut to the cap), whose
//   PDF is drawn (nine pages), not refused.
import type { Sql } from 'postgres';

// The size caps (supabase/schemas: jobs_description_size, generated_resume_versions_content_json_size).
export const descriptionCap = 32_768;
export const versionCap = 32_768;

// A resume version's content at the version size cap: 50 jobs with long descriptions,
// cut to just under versionCap bytes of JSON (as Postgres counts jsonb::text).
export function versionAtSizeCap() {
  const words = (n: number) =>
    Array.from({ length: n }, (_, i) => ['shipped', 'the', 'billing', 'service', 'with', 'care', 'and', 'tested'][i % 8]).join(' ');
  const content = {
    profile: { fullName: 'Cap Everywhere', headline: 'Staff Engineer', summary: words(900).slice(0, 5000) },
    experience: Array.from({ length: 50 }, (_, i) => ({
      title: `Engineer ${i}`,
      company: 'Acme Logistics',
      startDate: '2020-01',
      description: words(1600).slice(0, 10_000),
    })),
    education: Array.from({ length: 30 }, (_, i) => ({ school: `University ${i}`, degree: 'BSc' })),
    skills: Array.from({ length: 200 }, (_, i) => `Skill ${i}`),
    languages: Array.from({ length: 50 }, (_, i) => ({ name: `Language ${i}`, proficiency: 'Fluent' })),
  };
  // Postgres measures the cap on jsonb::text, which writes one space after every ","
  // and ":" separator (none of the texts here holds either): trim the last descriptions
  // until that text is at most the cap.
  const size = () => {
    const text = JSON.stringify(content);
    return Buffer.byteLength(text) + text.split(/[,:]/).length - 1;
  };
  while (size() > versionCap) {
    const last = content.experience[content.experience.length - 1];
    last.description = last.description.slice(0, Math.max(0, last.description.length - (size() - versionCap > 2000 ? 2000 : Math.max(1, size() - versionCap))));
    if (last.description === '') content.experience.pop();
  }
  return content;
}

// A one-page resume: what the 9,999 other versions hold.
const shortVersion = {
  profile: { fullName: 'Cap Everywhere', headline: 'Staff Engineer', summary: 'Builds calm, observable systems.' },
  experience: [
    { title: 'Staff Engineer', company: 'Acme Logistics', startDate: '2021-03', description: 'Led the move of 40 services to Kubernetes.' },
    { title: 'Backend Engineer', company: 'Parcel Co', startDate: '2017-06', endDate: '2021-02', description: 'Built the tracking API.' },
  ],
  skills: ['Go', 'Kubernetes', 'PostgreSQL'],
};

// A job description of exactly descriptionCap bytes (ASCII).
const description = Array.from({ length: 500 }, (_, i) =>
  ['We are hiring engineers to build and operate distributed services in Kubernetes,',
   'with PostgreSQL, observability, on-call rotations and mentoring across product teams.'][i % 2]).join(' ').slice(0, descriptionCap);
// What the profile's work experience and the cover letters hold (their own caps are smaller).
const shortText = description.slice(0, 4000);

export type CappedUser = { resumeAtCap: string; capVersion: number; buildMs: number; stepsMs: Record<string, number> };

export async function fillToEveryCap(admin: Sql, userId: string): Promise<CappedUser> {
  const started = performance.now();
  const capContent = versionAtSizeCap();
  const stepsMs: Record<string, number> = {};
  // Each transaction's steps timed on its own clock.
  const clock = () => {
    let mark = performance.now();
    return (label: string) => {
      const now = performance.now();
      stepsMs[label] = Math.round(now - mark);
      mark = now;
    };
  };
  const u = userId;
  const [template] = await admin`select id, slug from public.templates where is_active order by slug limit 1`;

  // The jobs and every table that refers to them.
  const jobs = admin.begin(async (tx) => {
    const step = clock();
    // The jobs with every trigger but the search document's, then their search documents
    // in one statement. The trigger parses each description (30,000 characters, about
    // 20 ms a job here: 5,000 identical texts took the build past three minutes); the
    // description's part of every document is parsed once instead and joined to the title,
    // company and location parts exactly as private.job_search_document does (A || B || C
    // || D, positions shifted the same way). The test compares rows with the function.
    await tx`alter table public.jobs disable trigger sync_job_search_document_on_insert`;
    await tx`insert into public.jobs (user_id, job_title, company, location, status, description)
             select ${u},
                    (array['Platform Engineer', 'Data Scientist', 'Product Manager', 'Backend Developer', 'Site Reliability Engineer'])[1 + i % 5] || ' ' || i,
                    'Company ' || (i % 500), 'City ' || (i % 50),
                    (array['bookmarked', 'applied', 'interviewing', 'rejected'])[1 + i % 4], ${description}
               from generate_series(1, 5000) i`;
    await tx`alter table public.jobs enable trigger sync_job_search_document_on_insert`;
    await tx`with b as materialized (
               select setweight(to_tsvector('english', left(${description}, 30000)), 'D') as body,
                      setweight(to_tsvector('english', left(${description}, 2000)), 'D') as rank_body
             ), d as materialized (
               select j.id, j.user_id, j.job_title || ' ' || j.company as title_company,
                      private.job_search_document(j.job_title, j.company, j.location, '') || b.body as document,
                      private.job_search_document(j.job_title, j.company, j.location, '') || b.rank_body as rank_document
                 from public.jobs j cross join b
                where j.user_id = ${u}
             )
             insert into public.job_search_documents (job_id, user_id, document, title_company, keys, rank_document)
             select d.id, d.user_id, d.document, d.title_company, private.job_search_keys(d.user_id, d.document), d.rank_document from d`;
    await tx`select private.flush_job_search_index()`;
    step('jobs');
    await tx`create temp table capped_jobs on commit drop as
             select id, row_number() over (order by id) as n from public.jobs where user_id = ${u}`;
    await tx`insert into public.contacts (user_id, name, email)
             select ${u}, 'Contact ' || i, 'contact' || i || '@example.test' from generate_series(1, 5000) i`;
    await tx`create temp table capped_contacts on commit drop as
             select id, row_number() over (order by id) as n from public.contacts where user_id = ${u}`;
    await tx`insert into public.job_contacts (user_id, job_id, contact_id, part)
             select ${u}, j.id, c.id, 'recruiter' from capped_jobs j cross join generate_series(0, 3) k
               join capped_contacts c on c.n = 1 + (j.n + k) % 5000`;
    await tx`insert into public.interviews (user_id, job_id, starts_at, time_zone)
             select ${u}, j.id, now() + (j.n || ' hours')::interval, 'UTC' from capped_jobs j`;
    await tx`insert into public.interview_participants (user_id, interview_id, contact_id)
             select ${u}, i.id, c.id from (select id, row_number() over (order by id) as n from public.interviews where user_id = ${u}) i
               cross join generate_series(0, 3) k join capped_contacts c on c.n = 1 + (i.n + k) % 5000`;
    await tx`insert into public.tags (user_id, name) select ${u}, 'tag ' || i from generate_series(1, 200) i`;
    await tx`insert into public.job_tags (user_id, job_id, tag_id)
             select ${u}, j.id, t.id from capped_jobs j cross join generate_series(0, 4) k
               join (select id, row_number() over (order by id) as n from public.tags where user_id = ${u}) t on t.n = 1 + (j.n + k) % 200`;
    step('contacts, interviews, tags');
    await tx`insert into public.cover_letters (user_id, job_id, content)
             select ${u}, j.id, ${shortText.slice(0, 2500)} from capped_jobs j where j.n <= 1000`;
    await tx`insert into public.job_materials (user_id, job_id) select ${u}, j.id from capped_jobs j`;
    await tx`insert into public.email_proposals (user_id, email_kind, summary, job_id)
             select ${u}, 'other', 'A reply from the company.', j.id from capped_jobs j where j.n <= 1000`;
    // The status history last: the jobs and interviews above wrote some of it.
    await tx`insert into public.job_status_events (user_id, job_id, from_status, to_status)
             select ${u}, j.id, 'bookmarked', 'applied'
               from capped_jobs j cross join generate_series(1, 10) k
              order by k, j.n
              limit (select 50000 - count(*) from public.job_status_events where user_id = ${u})`;
    step('letters, materials, proposals, status history');
    for (const table of ['jobs', 'job_search_documents', 'job_status_events', 'job_contacts', 'job_tags', 'interviews',
      'interview_participants', 'contacts']) {
      await tx.unsafe(`analyze public.${table}`);
    }
    step('analyze the jobs\' tables');
  });

  // The tables that do not refer to the jobs.
  const rest = admin.begin(async (tx) => {
    const step = clock();
    await tx`update public.user_profile set professional_summary = 'Builds calm, observable systems.' where user_id = ${u}`;
    await tx`insert into public.user_skills (user_id, name) select ${u}, 'Skill ' || i from generate_series(1, 500) i`;
    await tx`insert into public.user_work_experience (user_id, title, company, description)
             select ${u}, 'Engineer ' || i, 'Company ' || i, ${shortText} from generate_series(1, 100) i`;
    await tx`insert into public.user_education (user_id, school) select ${u}, 'University ' || i from generate_series(1, 50) i`;
    await tx`insert into public.user_languages (user_id, language) select ${u}, 'Language ' || i from generate_series(1, 50) i`;
    await tx`insert into public.application_form_answers (user_id, work_auth_us, current_location) values (${u}, true, 'Oslo')`;
    await tx`insert into public.subscriptions (user_id, stripe_customer_id, tier, status) values (${u}, ${'cus_' + u.slice(0, 8)}, 'pro', 'active')`;
    await tx`insert into public.tracker_settings (user_id, follow_up_days) values (${u}, 7)`;
    step('profile');
    await tx`insert into public.resumes (user_id, filename, file_url, file_size)
             select ${u}, 'cv' || i || '.pdf', ${u} || '/resumes/cv' || i || '.pdf', 120000 from generate_series(1, 100) i`;
    await tx`insert into public.resume_builder_data (user_id, template_id, resume_data)
             select ${u}, ${template.slug}, ${tx.json(shortVersion)} from generate_series(1, 100) i`;
    await tx`insert into public.generated_resumes (user_id, template_id, title)
             select ${u}, ${template.id}, 'Resume ' || i from generate_series(1, 100) i`;
    // 99 short versions each (the trigger numbers them), then the 100th: the size cap on
    // the first resume, short on the others.
    await tx`insert into public.generated_resume_versions (generated_resume_id, content_json)
             select r.id, ${tx.json(shortVersion)} from public.generated_resumes r cross join generate_series(1, 99)
              where r.user_id = ${u} order by r.id`;
    const [first] = await tx`select id from public.generated_resumes where user_id = ${u} order by id limit 1`;
    await tx`insert into public.generated_resume_versions (generated_resume_id, content_json) values (${first.id}, ${tx.json(capContent)})`;
    await tx`insert into public.generated_resume_versions (generated_resume_id, content_json)
             select r.id, ${tx.json(shortVersion)} from public.generated_resumes r where r.user_id = ${u} and r.id <> ${first.id}`;
    step('resumes and versions');
    await tx`insert into public.wizard_sessions (user_id, template_id, status)
             select ${u}, ${template.id}, 'abandoned' from generate_series(1, 200)`;
    await tx`insert into public.ai_events (user_id, provider, model, status, input_tokens, output_tokens, latency_ms)
             select ${u}, 'openai', 'gpt-4o-mini', 'success', 500, 200, 900 from generate_series(1, 20000)`;
    step('wizard sessions, AI events');
    for (const table of ['generated_resume_versions', 'ai_events']) await tx.unsafe(`analyze public.${table}`);
    const [version] = await tx`select version_number from public.generated_resume_versions
                                where generated_resume_id = ${first.id} order by version_number desc limit 1`;
    return { resumeAtCap: first.id as string, capVersion: version.version_number as number };
  });

  const [, result] = await Promise.all([jobs, rest]);
  return { ...result, buildMs: performance.now() - started, stepsMs };
}
