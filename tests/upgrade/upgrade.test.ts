// The v2.0 → v2.1 upgrade with data, the way production takes it: a database holding
// only the v2.0 baseline (marked applied with `supabase migration repair`), filled with
// a generated v2.0 data set, then `supabase db push`. Every entry of the deprecated
// JSONB columns must end up exactly once in its table or in the archive, and no row
// that already lived in the normalized tables may be lost or changed.
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createScratchDatabase,
  dropScratchDatabase,
  markMigrationsApplied,
  psqlFile,
  pushMigrationsTo,
} from '../../scripts/lib/database.mjs';
import { repoRoot } from '../../scripts/lib/profiles.mjs';
import { stack } from '../support/stack';

const USERS = 240;
const databaseName = `upgrade_${process.pid}`;

type Source = 'skills' | 'work_experience' | 'education' | 'resumes';
// Where the generator expects an entry to land: a key in its table, or the archive.
type Expected = { table: string } | { archive: true };
type Entry = { userId: string; source: Source; value: unknown; expected: Expected };

// Deterministic pseudo-random numbers, so a failure can be reproduced.
let seed = 20250107;
function random() {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];

function uuid(prefix: number, n: number) {
  return `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

const skillNames = ['Python', 'JavaScript', 'SQL', 'React', 'Go', 'Docker', 'Kubernetes', 'TypeScript', 'Rust', 'Figma', 'Excel', 'GraphQL'];
// What the v2.1 vocabulary makes of the spellings old apps wrote.
const proficiencyMap: Record<string, string | null> = {
  Expert: 'expert', beginner: 'beginner', 'Intermediate ': 'intermediate', advanced: 'advanced', Master: 'expert', Novice: 'beginner', '': null,
};
const monthDate = (s: string) => `${s}-01`;
// [text, min, max, currency, period] as the upgrade must read them (numeric as Postgres prints it).
const salaryTexts: [string, string | null, string | null, string | null, string | null][] = [
  ['$120,000 – $150,000', '120000.00', '150000.00', 'USD', 'year'],
  ['€60k–70k', '60000.00', '70000.00', 'EUR', 'year'],
  ['£45,000 per annum', '45000.00', '45000.00', 'GBP', 'year'],
  ['$50/hr', '50.00', '50.00', 'USD', 'hour'],
  ['120-150k USD', '120000.00', '150000.00', 'USD', 'year'],
  ['Competitive', null, null, null, null],
  ['$120k + 401k', null, null, null, null],
];

function skillKey(userId: string, name: string) {
  return `${userId}|${name.trim().toLowerCase()}`;
}
function workKey(userId: string, title: string, company: string, start: string | null) {
  return `${userId}|${title.toLowerCase()}|${company.toLowerCase()}|${start ?? ''}`;
}
function educationKey(userId: string, school: string, degree: string | null, start: string | null) {
  return `${userId}|${school.toLowerCase()}|${(degree ?? '').toLowerCase()}|${start ?? ''}`;
}

type Row = Record<string, unknown>;
// Byte order, as Postgres sorts uuids.
const byId = (a: { id: unknown }, b: { id: unknown }) => (String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0);
const dataSet = {
  users: [] as { id: string; email: string }[],
  profiles: [] as { userId: string; skills: unknown[]; work: unknown[]; education: unknown[]; resumes: unknown[] }[],
  entries: [] as Entry[],
  skills: [] as Row[],
  work: [] as Row[],
  education: [] as Row[],
  resumes: [] as Row[],
  jobs: [] as { id: string; userId: string; status: string; expected: string; dateApplied: string | null }[],
  builder: [] as { id: string; userId: string; stored: unknown; expected: unknown }[],
};

function generate() {
  for (let i = 0; i < USERS; i += 1) {
    const userId = uuid(0xa0000000, i + 1);
    dataSet.users.push({ id: userId, email: `user${i}@upgrade.test` });
    const names = [...skillNames].sort(() => random() - 0.5);
    const skills: unknown[] = [];
    const work: unknown[] = [];
    const education: unknown[] = [];
    const resumes: unknown[] = [];
    const add = (source: Source, list: unknown[], value: unknown, expected: Expected) => {
      list.push(value);
      dataSet.entries.push({ userId, source, value, expected });
    };

    // Pre-existing normalized skills, some overlapping the JSONB copy in another case.
    const existingSkills = names.slice(0, Math.floor(random() * 3));
    existingSkills.forEach((name, n) => {
      const proficiency = n === 0 && i % 17 === 0 ? 'guru' : pick(['Expert', 'beginner', null]);
      dataSet.skills.push({
        id: uuid(0xb0000000, i * 10 + n), user_id: userId, name: i % 2 ? name.toLowerCase() : name,
        proficiency, category: pick(['Technical', 'Tools']),
      });
    });
    const jsonSkills = names.slice(0, 2 + Math.floor(random() * 5));
    for (const name of jsonSkills) {
      const key = { table: skillKey(userId, name) };
      switch (Math.floor(random() * 4)) {
        case 0: add('skills', skills, name, key); break;
        case 1: add('skills', skills, { name: ` ${name} `, proficiency: pick(Object.keys(proficiencyMap)), category: 'Technical' }, key); break;
        case 2: add('skills', skills, { skill: name, level: 'Novice', years: 3, note: 'extra field' }, key); break;
        default: add('skills', skills, { name, proficiency: null }, key);
      }
    }
    if (i % 3 === 0) add('skills', skills, pick<unknown>([{ proficiency: 'expert' }, 42, null, '', { name: 'Cobol', proficiency: 'guru' }, ['SQL']]), { archive: true });

    // Work experience in the shapes old apps wrote.
    const companies = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli'];
    const jobCount = 1 + Math.floor(random() * 3);
    for (let n = 0; n < jobCount; n += 1) {
      const company = `${companies[n]} ${i}`;
      const year = 2010 + n * 3;
      switch (n) {
        case 0:
          add('work_experience', work, { title: 'Engineer', company, start_date: `${year}-01`, end_date: `${year + 2}-06`, description: 'Built things.' },
            { table: workKey(userId, 'Engineer', company, monthDate(`${year}-01`)) });
          break;
        case 1:
          add('work_experience', work, { position: 'Senior Engineer', company_name: company, startDate: `${year}-03-15`, endDate: 'Present', location: 'Remote' },
            { table: workKey(userId, 'Senior Engineer', company, `${year}-03-15`) });
          break;
        default:
          add('work_experience', work, { title: 'Lead', company, start_date: `${year}`, is_current: true, extra: { team: 5 } },
            { table: workKey(userId, 'Lead', company, `${year}-01-01`) });
      }
    }
    if (i % 4 === 0) {
      // The same job as the first JSONB entry, already normalized (title in another case).
      dataSet.work.push({
        id: uuid(0xc0000000, i), user_id: userId, title: 'ENGINEER', company: `${companies[0]} ${i}`, location: null,
        start_date: '2010-01-01', end_date: '2012-06-01', is_current: false, description: 'Already migrated by hand.',
      });
    }
    if (i % 5 === 0) {
      dataSet.work.push({
        id: uuid(0xc1000000, i), user_id: userId, title: 'Intern', company: 'Elsewhere', location: 'Paris',
        start_date: '2008-06-01', end_date: '2008-09-01', is_current: false, description: null,
      });
    }
    if (i % 3 === 1) add('work_experience', work, pick<unknown>(['Engineer at Acme', { title: 'Ghost' }, { title: 'Dev', company: 'X', start_date: 'sometime' }, { title: 'Dev', company: 'Y', start_date: '2020-13' }]), { archive: true });

    // Education.
    add('education', education, { school: `State University ${i}`, degree: 'BSc', field: 'Physics', start_date: '2006-09', end_date: '2010-06-01' },
      { table: educationKey(userId, `State University ${i}`, 'BSc', '2006-09-01') });
    if (i % 2 === 0) {
      add('education', education, { institution: `Tech Institute ${i}`, degree: 'MSc', fieldOfStudy: 'CS', startDate: '2011-09-01' },
        { table: educationKey(userId, `Tech Institute ${i}`, 'MSc', '2011-09-01') });
    }
    if (i % 6 === 0) {
      dataSet.education.push({
        id: uuid(0xd0000000, i), user_id: userId, school: `state university ${i}`, degree: 'bsc', field: 'Physics',
        start_date: '2006-09-01', end_date: '2010-06-01',
      });
    }
    if (i % 5 === 2) add('education', education, pick<unknown>(['MIT', { degree: 'BSc' }, { school: 'Yale', start_date: 'fall 2010' }]), { archive: true });

    // Resumes (file URLs are object paths in the owner's folder, as v2.1 expects).
    const resumeUrl = (n: number) => `${userId}/resumes/${n}.pdf`;
    add('resumes', resumes, { filename: 'cv.pdf', file_url: resumeUrl(1), file_size: 1234, is_default: true }, { table: `${userId}|${resumeUrl(1)}` });
    if (i % 2 === 1) add('resumes', resumes, { name: 'cv-2.pdf', url: resumeUrl(2), size: '2048' }, { table: `${userId}|${resumeUrl(2)}` });
    if (i % 3 === 0) {
      dataSet.resumes.push({
        id: uuid(0xe0000000, i), user_id: userId, filename: 'cv.pdf', file_url: resumeUrl(1), file_size: 1234, is_default: i % 6 === 0,
      });
    }
    if (i % 7 === 0) add('resumes', resumes, pick<unknown>([{ filename: 'lost.pdf' }, resumeUrl(9), { url: resumeUrl(8), name: 'nosize.pdf' }]), { archive: true });

    dataSet.profiles.push({ userId, skills, work, education, resumes });

    // A few jobs with the statuses old clients sent.
    const statuses: [string, string][] = [['Applied', 'applied'], ['interview', 'interviewing'], [' APPLIED ', 'applied'], ['Bookmarked', 'bookmarked'], ['ghosted', 'fallback']];
    if (i % 4 === 0) {
      statuses.forEach(([status, expected], n) => {
        const dateApplied = n % 2 ? '2024-05-01' : null;
        dataSet.jobs.push({
          id: uuid(0xf0000000, i * 10 + n), userId, status,
          expected: expected === 'fallback' ? (dateApplied ? 'applied' : 'bookmarked') : expected, dateApplied,
        });
      });
    }
    // Builder data the old service stored JSON-encoded inside JSONB.
    if (i % 8 === 0) {
      const doc = { personalInfo: { firstName: `User${i}` }, summary: 'Hello' };
      dataSet.builder.push({ id: uuid(0xf1000000, i), userId, stored: JSON.stringify(doc), expected: doc });
    }
  }
}

let sql: postgres.Sql;
let scratch: { dbUrl: string };
const before = { skills: 0, work: 0, education: 0, resumes: 0 };

describe('upgrading a v2.0 database with data', () => {
  beforeAll(async () => {
    generate();
    scratch = createScratchDatabase(stack, databaseName);
    const baseline = psqlFile(scratch.dbUrl, join(repoRoot, 'supabase', 'migrations', '20250107000000_v2_0_baseline.sql'));
    if (!baseline.ok) throw new Error(`The v2.0 baseline failed to load: ${baseline.stderr}`);
    markMigrationsApplied(scratch.dbUrl, ['20250107000000']);

    sql = postgres(scratch.dbUrl, { max: 1, onnotice: () => {} });
    await sql.begin(async (tx) => {
      await tx`insert into auth.users ${tx(dataSet.users.map((u) => ({ ...u, raw_user_meta_data: tx.json({ full_name: u.email }) })))}`;
      for (const p of dataSet.profiles) {
        await tx`insert into public.user_profile (user_id, full_name, skills, work_experience, education, resumes)
                 values (${p.userId}, 'Your Name', ${tx.json(p.skills as postgres.JSONValue)}, ${tx.json(p.work as postgres.JSONValue)},
                         ${tx.json(p.education as postgres.JSONValue)}, ${tx.json(p.resumes as postgres.JSONValue)})`;
      }
      await tx`insert into public.user_skills ${tx(dataSet.skills)}`;
      await tx`insert into public.user_work_experience ${tx(dataSet.work)}`;
      await tx`insert into public.user_education ${tx(dataSet.education)}`;
      await tx`insert into public.resumes ${tx(dataSet.resumes)}`;
      for (const j of dataSet.jobs) {
        await tx`insert into public.jobs (id, user_id, job_title, company, status, date_applied)
                 values (${j.id}, ${j.userId}, 'Engineer', 'Acme', ${j.status}, ${j.dateApplied})`;
      }
      // Salaries as v2.0 users typed them: the upgrade reads the structured salary where the
      // text reads one way only and leaves the others empty.
      for (const [n, salary] of salaryTexts.entries()) {
        // With a URL, so that the status test (jobs without one) does not count them.
        await tx`insert into public.jobs (id, user_id, job_title, company, status, salary, job_url)
                 values (${uuid(0xf3000000, n)}, ${dataSet.users[1].id}, 'Paid', 'Acme', 'Applied', ${salary[0]}, ${`https://salary.example/${n}`})`;
      }
      // The same posting saved three times (and another once) by 30 users: the upgrade
      // keeps the oldest of each URL and archives the later two.
      for (const [n, user] of dataSet.users.slice(0, 30).entries()) {
        for (const [k, month] of ['01', '02', '03'].entries()) {
          await tx`insert into public.jobs (id, user_id, job_title, company, status, job_url, created_at)
                   values (${uuid(0xf2000000, n * 10 + k)}, ${user.id}, ${`Copy ${k}`}, 'Acme', 'Bookmarked',
                           ${`https://jobs.example/posting/${n}`}, ${`2024-${month}-01T00:00:00Z`})`;
        }
        await tx`insert into public.jobs (user_id, job_title, company, status, job_url)
                 values (${user.id}, 'Other posting', 'Acme', 'Bookmarked', ${`https://jobs.example/other/${n}`})`;
      }
      // AI calls: most logged by the server, a few forged by a client (negative token
      // counts or latency, a time in 2099) that the upgrade must move to the archive.
      for (const [n, user] of dataSet.users.slice(0, 20).entries()) {
        const forged = n % 4 === 0 ? { input_tokens: -2147483648, output_tokens: -2147483648, latency_ms: 5, created_at: new Date() }
          : n % 4 === 1 ? { input_tokens: 1, output_tokens: 1, latency_ms: -1, created_at: new Date() }
          : n % 4 === 2 ? { input_tokens: 10, output_tokens: 10, latency_ms: 5, created_at: new Date('2099-01-01T00:00:00Z') }
          : null;
        await tx`insert into public.ai_events (user_id, provider, model, input_tokens, output_tokens, latency_ms, status)
                 values (${user.id}, 'openai', 'logged', 100, 50, 900, 'success')`;
        if (forged) {
          await tx`insert into public.ai_events (user_id, provider, model, input_tokens, output_tokens, latency_ms, status, created_at)
                   values (${user.id}, 'openai', 'forged', ${forged.input_tokens}, ${forged.output_tokens}, ${forged.latency_ms}, 'success', ${forged.created_at})`;
        }
      }
      for (const b of dataSet.builder) {
        await tx`insert into public.resume_builder_data (id, user_id, template_id, resume_data)
                 values (${b.id}, ${b.userId}, 'modern-professional', ${tx.json(b.stored as postgres.JSONValue)})`;
      }
    });
    const [counts] = await sql`select
        (select count(*)::int from public.user_skills) as skills,
        (select count(*)::int from public.user_work_experience) as work,
        (select count(*)::int from public.user_education) as education,
        (select count(*)::int from public.resumes) as resumes`;
    Object.assign(before, counts);
    // Pin created/updated timestamps as stored, to compare after the upgrade.
    for (const [table, rows] of [['user_skills', dataSet.skills], ['user_work_experience', dataSet.work], ['user_education', dataSet.education], ['resumes', dataSet.resumes]] as const) {
      const stored = await sql`select id, created_at, updated_at from ${sql('public')}.${sql(table)}`;
      const byId = new Map(stored.map((r) => [r.id, r]));
      for (const row of rows) Object.assign(row, { created_at: byId.get(row.id)?.created_at, updated_at: byId.get(row.id)?.updated_at });
    }

    pushMigrationsTo(scratch.dbUrl);
  }, 180_000);

  afterAll(async () => {
    await sql?.end();
    dropScratchDatabase(stack, databaseName);
  });

  it('generated a v2.0 data set of at least 200 users with every kind of entry', () => {
    expect(dataSet.users.length).toBeGreaterThanOrEqual(200);
    for (const source of ['skills', 'work_experience', 'education', 'resumes'] as Source[]) {
      const ofSource = dataSet.entries.filter((e) => e.source === source);
      expect(ofSource.some((e) => 'archive' in e.expected), `${source} has unmappable entries`).toBe(true);
      expect(ofSource.some((e) => 'table' in e.expected), `${source} has mappable entries`).toBe(true);
    }
  });

  it('drops the JSONB columns and the deprecated helpers', async () => {
    const columns = await sql`select column_name from information_schema.columns
                               where table_schema = 'public' and table_name = 'user_profile'
                                 and column_name in ('skills', 'work_experience', 'education', 'resumes')`;
    expect(columns).toEqual([]);
    const helpers = await sql`select proname from pg_proc where proname in ('add_skill_to_profile', 'add_work_experience_to_profile')`;
    expect(helpers).toEqual([]);
  });

  it('puts every JSONB entry exactly once in its table or in the archive, where expected', async () => {
    const keys = new Map<string, number>();
    const count = (key: string) => keys.set(key, (keys.get(key) ?? 0) + 1);
    for (const r of await sql`select user_id, name from public.user_skills`) count(`skills:${skillKey(r.user_id, r.name)}`);
    for (const r of await sql`select user_id, title, company, to_char(start_date, 'YYYY-MM-DD') as start from public.user_work_experience`) {
      count(`work_experience:${workKey(r.user_id, r.title, r.company, r.start)}`);
    }
    for (const r of await sql`select user_id, school, degree, to_char(start_date, 'YYYY-MM-DD') as start from public.user_education`) {
      count(`education:${educationKey(r.user_id, r.school, r.degree, r.start)}`);
    }
    for (const r of await sql`select user_id, file_url from public.resumes`) count(`resumes:${r.user_id}|${r.file_url}`);

    // Archived entries, compared as Postgres' canonical jsonb text.
    const archived = new Map<string, number>();
    for (const r of await sql`select user_id, source, entry::text as entry from private.legacy_profile_entries where source like 'user_profile.%'`) {
      const key = `${r.user_id}|${r.source}|${r.entry}`;
      archived.set(key, (archived.get(key) ?? 0) + 1);
    }
    const canonical = new Map<string, string>();
    for (const r of await sql`select x::text as t, x::jsonb::text as c from unnest(${dataSet.entries.map((e) => JSON.stringify(e.value))}::text[]) as x`) {
      canonical.set(r.t, r.c);
    }

    const wantArchived = new Map<string, number>();
    const problems: string[] = [];
    for (const e of dataSet.entries) {
      const archiveKey = `${e.userId}|user_profile.${e.source}|${canonical.get(JSON.stringify(e.value))}`;
      if ('table' in e.expected) {
        const inTable = keys.get(`${e.source}:${e.expected.table}`) ?? 0;
        if (inTable !== 1) problems.push(`${e.source} entry ${JSON.stringify(e.value)} of ${e.userId} is in its table ${inTable} times`);
        if (archived.has(archiveKey)) problems.push(`${e.source} entry ${JSON.stringify(e.value)} of ${e.userId} is also archived`);
      } else {
        wantArchived.set(archiveKey, (wantArchived.get(archiveKey) ?? 0) + 1);
      }
    }
    for (const [key, n] of wantArchived) {
      if (archived.get(key) !== n) problems.push(`archive holds ${archived.get(key) ?? 0} of ${n} copies of ${key}`);
    }
    expect(problems).toEqual([]);
    expect([...archived.values()].reduce((a, b) => a + b, 0)).toBe([...wantArchived.values()].reduce((a, b) => a + b, 0));
  });

  it('keeps every pre-existing normalized row, unchanged but for the proficiency vocabulary', async () => {
    const skills = await sql`select id, user_id, name, proficiency, category, created_at, updated_at from public.user_skills where id in ${sql(dataSet.skills.map((r) => r.id as string))} order by id`;
    const expectedSkills = dataSet.skills
      .map((r) => ({ ...r, proficiency: r.proficiency === 'guru' ? null : r.proficiency === null ? null : proficiencyMap[r.proficiency as string] }))
      .sort(byId);
    expect(skills.map((r) => ({ ...r }))).toEqual(expectedSkills);

    const work = await sql`select id, user_id, title, company, location, to_char(start_date, 'YYYY-MM-DD') as start_date, to_char(end_date, 'YYYY-MM-DD') as end_date,
                                  is_current, description, created_at, updated_at
                             from public.user_work_experience where id in ${sql(dataSet.work.map((r) => r.id as string))} order by id`;
    expect(work.map((r) => ({ ...r }))).toEqual([...dataSet.work].sort(byId));

    const education = await sql`select id, user_id, school, degree, field, to_char(start_date, 'YYYY-MM-DD') as start_date, to_char(end_date, 'YYYY-MM-DD') as end_date,
                                       created_at, updated_at
                                  from public.user_education where id in ${sql(dataSet.education.map((r) => r.id as string))} order by id`;
    expect(education.map((r) => ({ ...r }))).toEqual([...dataSet.education].sort(byId));

    const resumes = await sql`select id, user_id, filename, file_url, file_size, is_default, created_at, updated_at
                                from public.resumes where id in ${sql(dataSet.resumes.map((r) => r.id as string))} order by id`;
    expect(resumes.map((r) => ({ ...r }))).toEqual([...dataSet.resumes].sort(byId));

    // The one unknown proficiency was archived with its row before being cleared.
    const guru = dataSet.skills.filter((r) => r.proficiency === 'guru').length;
    const [{ n }] = await sql`select count(*)::int as n from private.legacy_profile_entries where source = 'user_skills.proficiency' and entry ->> 'proficiency' = 'guru'`;
    expect(n).toBe(guru);
  });

  it('reconciles the counts: rows before + distinct new entries = rows after', async () => {
    const distinctNew = (source: Source, existing: Set<string>) => {
      const fresh = new Set<string>();
      for (const e of dataSet.entries) if (e.source === source && 'table' in e.expected && !existing.has(e.expected.table)) fresh.add(e.expected.table);
      return fresh.size;
    };
    const existingSkills = new Set(dataSet.skills.map((r) => skillKey(r.user_id as string, r.name as string)));
    const existingWork = new Set(dataSet.work.map((r) => workKey(r.user_id as string, r.title as string, r.company as string, r.start_date as string)));
    const existingEducation = new Set(dataSet.education.map((r) => educationKey(r.user_id as string, r.school as string, r.degree as string, r.start_date as string)));
    const existingResumes = new Set(dataSet.resumes.map((r) => `${r.user_id}|${r.file_url}`));
    const [after] = await sql`select
        (select count(*)::int from public.user_skills) as skills,
        (select count(*)::int from public.user_work_experience) as work,
        (select count(*)::int from public.user_education) as education,
        (select count(*)::int from public.resumes) as resumes`;
    expect(after).toEqual({
      skills: before.skills + distinctNew('skills', existingSkills),
      work: before.work + distinctNew('work_experience', existingWork),
      education: before.education + distinctNew('education', existingEducation),
      resumes: before.resumes + distinctNew('resumes', existingResumes),
    });
    const [{ defaults }] = await sql`select count(*)::int as defaults from (select user_id from public.resumes where is_default group by user_id having count(*) > 1) d`;
    expect(defaults).toBe(0);
  });

  it('normalises job statuses, archives the unknown ones, and starts each job\'s history', async () => {
    // The jobs with a job_url are the duplicate-URL cases (their own test below).
    const jobs = await sql`select id, status from public.jobs where job_url is null order by id`;
    expect(jobs.map((r) => ({ ...r }))).toEqual(
      [...dataSet.jobs].sort(byId).map((j) => ({ id: j.id, status: j.expected })),
    );
    const [{ archived }] = await sql`select count(*)::int as archived from private.legacy_profile_entries where source = 'jobs.status'`;
    expect(archived).toBe(dataSet.jobs.filter((j) => j.status === 'ghosted').length);
    const events = await sql`select e.job_id, e.from_status, e.to_status from public.job_status_events e
                               join public.jobs j on j.id = e.job_id where j.job_url is null order by e.job_id`;
    expect(events.map((r) => ({ ...r }))).toEqual(jobs.map((j) => ({ job_id: j.id, from_status: null, to_status: j.status })));
  });

  it('decodes builder data that v2.0 stored as JSON strings', async () => {
    const rows = await sql`select id, resume_data from public.resume_builder_data order by id`;
    expect(rows.map((r) => ({ ...r }))).toEqual(
      [...dataSet.builder].sort(byId).map((b) => ({ id: b.id, resume_data: b.expected })),
    );
  });

  it('moves forged ai_events rows to the archive and keeps the logged ones', async () => {
    const rows = await sql`select model, count(*)::int as n from public.ai_events group by model order by model`;
    expect(rows.map((r) => ({ ...r }))).toEqual([{ model: 'logged', n: 20 }]);
    const archived = await sql`select entry ->> 'model' as model, entry ->> 'input_tokens' as input_tokens
                                 from private.legacy_profile_entries where source = 'ai_events'`;
    expect(archived.length).toBe(15);
    expect(archived.every((r) => r.model === 'forged')).toBe(true);
    expect(archived.filter((r) => r.input_tokens === '-2147483648').length).toBe(5);
  });

  it('archives later jobs with the same job_url per user, keeps the oldest, and then refuses new duplicates', async () => {
    const archived = await sql`select user_id, entry ->> 'job_title' as title, entry ->> 'kept_job_id' as kept
                                 from private.legacy_profile_entries where source = 'jobs.job_url'`;
    expect(archived.length).toBe(60);
    expect(new Set(archived.map((r) => r.title))).toEqual(new Set(['Copy 1', 'Copy 2']));
    const kept = await sql`select id, job_title, user_id from public.jobs where job_url like 'https://jobs.example/posting/%'`;
    expect(kept.length).toBe(30);
    expect(kept.every((r) => r.job_title === 'Copy 0')).toBe(true);
    const keptIds = new Map(kept.map((r) => [r.user_id, r.id]));
    expect(archived.every((r) => keptIds.get(r.user_id) === r.kept)).toBe(true);
    const [{ others }] = await sql`select count(*)::int as others from public.jobs where job_url like 'https://jobs.example/other/%'`;
    expect(others).toBe(30);
    const [{ duplicates }] = await sql`select count(*)::int as duplicates from (
        select 1 from public.jobs where job_url is not null group by user_id, job_url having count(*) > 1) d`;
    expect(duplicates).toBe(0);
    await expect(sql`insert into public.jobs (user_id, job_title, company, job_url)
                     values (${dataSet.users[0].id}, 'Again', 'Acme', 'https://jobs.example/posting/0')`)
      .rejects.toMatchObject({ code: '23505' });
  });

  it('reads the structured salary of existing jobs where the text reads one way only', async () => {
    const rows = await sql`select salary, salary_min, salary_max, salary_currency, salary_period from public.jobs
                            where id::text like 'f3000000-%' order by id`;
    expect(rows.map((r) => [r.salary, r.salary_min, r.salary_max, r.salary_currency, r.salary_period])).toEqual(salaryTexts);
  });

  it('gives every existing user a profile', async () => {
    const [{ missing }] = await sql`select count(*)::int as missing from auth.users u where not exists (select 1 from public.user_profile p where p.user_id = u.id)`;
    expect(missing).toBe(0);
  });
});
