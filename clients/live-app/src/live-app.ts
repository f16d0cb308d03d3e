// createLiveAppApi(supabase): the objects of the live JobStalker2 web app's
// frontend/src/lib/api.ts (jobApi, aiApi, profileApi, ...), with the same names,
// arguments and answers, built on the app's own supabase-js client. Every call runs as
// the signed-in user: PostgREST under RLS for the data, /functions/v1 for the AI and the
// account, never a service key. What is translated, and only that: Title Case statuses
// and proficiencies, 'YYYY-MM' months, the errors the live request helper threw, the
// stats object, {success, message} for deletes, the email from the session.
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '../../../supabase/functions/_shared/database.types.ts';
import { functionError, LiveAppError, messages, notFound, restError } from './errors.ts';
import { applyFairUse } from './fair-use.ts';
import {
  InvalidDateError,
  monthToApp,
  monthToDb,
  proficiencyToApp,
  proficiencyToDb,
  statusToApp,
  statusToDb,
} from './translate.ts';
import type {
  BuilderResume,
  CreateEducationData,
  CreateExperienceData,
  CreateJobData,
  CreateLanguageData,
  CreateSkillData,
  Done,
  Education,
  FormAnswers,
  GeneratedResume,
  Job,
  JobMatch,
  Language,
  Profile,
  ProfileStats,
  Skill,
  SubscriptionInfo,
  TemplateDetail,
  TemplateSummary,
  UpdateJobData,
  UpdateLanguageData,
  UpdateProfileData,
  WorkDescriptionRequest,
  WorkExperience,
} from './types.ts';

type Row = Record<string, any>;
type Db = SupabaseClient<Database>;

/** The columns of a job the live app reads (its Job type), in its order. */
export const jobColumns =
  'id, user_id, job_title, company, location, salary, job_url, status, excitement_level, date_applied, deadline, description, created_at, updated_at';

/** user_profile columns a client may write (the rest are the database's). */
const profileColumns = [
  'full_name',
  'first_name',
  'last_name',
  'phone',
  'job_title',
  'location',
  'professional_summary',
  'social_links',
  'referral_source',
  'profile_completed',
] as const;

/** application_form_answers columns: the extension's form-filling answers. */
export const formAnswerColumns = [
  'work_auth_us',
  'work_auth_canada',
  'work_auth_uk',
  'requires_sponsorship',
  'current_location',
  'phone_country_code',
  'date_of_birth',
  'ethnicity',
  'gender',
  'has_disability',
  'is_veteran',
  'is_lgbtq',
] as const;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (value: unknown): value is string => typeof value === 'string' && uuidPattern.test(value);

// PostgREST's answer for a table it does not know (42P01 in 12.0, PGRST205 later).
const missingTable = (error: { code?: string }, status: number) =>
  status === 404 && (error.code === '42P01' || error.code === 'PGRST205');

const done = (message: string): Done => ({ success: true, message });

// An empty text field in a form means "no answer", which these columns store as null
// (their checks refuse blank text).
const blankToNull = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? null : value);

function pick<K extends string>(data: Row, keys: readonly K[]): Partial<Record<K, unknown>> {
  const out: Partial<Record<K, unknown>> = {};
  for (const key of keys) if (data[key] !== undefined) out[key] = data[key];
  return out;
}

export function jobToApp(row: Row): Job {
  return { ...(row as Job), status: statusToApp(row.status) as Job['status'] };
}

function jobToDb(data: Row): Row {
  const out: Row = pick(data, [
    'job_title',
    'company',
    'location',
    'salary',
    'job_url',
    'status',
    'excitement_level',
    'date_applied',
    'deadline',
    'description',
  ] as const);
  if (out.status !== undefined) out.status = statusToDb(out.status as string);
  // The extension and old forms send 0 for "not rated"; the database stores that as null.
  if (out.excitement_level === 0) out.excitement_level = null;
  for (const key of ['date_applied', 'deadline', 'job_url', 'location', 'salary'] as const) {
    if (out[key] === '') out[key] = null;
  }
  return out;
}

export function skillToApp(row: Row): Skill {
  const proficiency = proficiencyToApp(row.proficiency) as Skill['proficiency'];
  return { ...(row as Skill), proficiency, proficiency_level: proficiency ?? 'Beginner' };
}

export function languageToApp(row: Row): Language {
  return { ...(row as Language), proficiency: proficiencyToApp(row.proficiency) as Language['proficiency'] };
}

export function experienceToApp(row: Row): WorkExperience {
  return {
    ...(row as WorkExperience),
    start_date: monthToApp(row.start_date),
    end_date: monthToApp(row.end_date),
    is_current: row.is_current === true,
  };
}

export function educationToApp(row: Row): Education {
  return { ...(row as Education), start_date: monthToApp(row.start_date), end_date: monthToApp(row.end_date) };
}

// Dates the app sent → the database's; a date that names no day is the live helper's
// friendly 422 message instead of a null stored in silence.
function datesToDb(data: Row, keys: readonly string[]): Row {
  const out: Row = {};
  for (const key of keys) {
    if (data[key] === undefined) continue;
    try {
      out[key] = monthToDb(data[key]);
    } catch (e) {
      if (e instanceof InvalidDateError) throw new LiveAppError(e.message, 422, '22007');
      throw e;
    }
  }
  return out;
}

export function createLiveAppApi(client: SupabaseClient<any, any, any>) {
  const db = client as unknown as Db;
  // At most the user's fair-use share in flight; a 429 is sent again after Retry-After.
  applyFairUse(client);
  // Tables the generated types may not list yet on an older checkout.
  const untyped = client as unknown as SupabaseClient<any, any, any>;

  // A client made with supabase-js's `accessToken` option has no auth namespace (reading
  // it throws): its requests carry the token it is given, so it counts as signed in.
  let tokenClient = false;
  try {
    void client.auth.getSession;
  } catch {
    tokenClient = true;
  }

  async function session() {
    if (tokenClient) return null;
    const { data } = await client.auth.getSession();
    return data.session;
  }

  // The live helper refused /api/jobs calls without a token before sending them.
  async function requireSession() {
    if (tokenClient) return;
    if (!(await session())) throw new LiveAppError(messages.authRequired, 401);
  }

  async function invoke<T>(
    name: string,
    options: { body?: unknown; method?: 'GET' | 'POST' | 'DELETE'; notFound?: string } = {},
  ): Promise<T> {
    const { data, error } = await client.functions.invoke(name, {
      body: options.body as any,
      method: options.method ?? 'POST',
    });
    if (error) throw await functionError(error, `/functions/v1/${name}`, options.notFound);
    return data as T;
  }

  // ---------------------------------------------------------------- jobs
  const jobApi = {
    getJobs: async (): Promise<Job[]> => {
      await requireSession();
      const { data, error, status } = await db.from('jobs').select(jobColumns).order('created_at', { ascending: true });
      if (error) throw restError(error, status, 'Failed to get jobs');
      return (data ?? []).map(jobToApp);
    },

    getJob: async (id: string): Promise<Job> => {
      await requireSession();
      if (!isUuid(id)) throw notFound('Job');
      const { data, error, status } = await db.from('jobs').select(jobColumns).eq('id', id).maybeSingle();
      if (error) throw restError(error, status, 'Failed to get job');
      if (!data) throw notFound('Job');
      return jobToApp(data);
    },

    createJob: async (jobData: CreateJobData): Promise<Job> => {
      await requireSession();
      const { data, error, status } = await db
        .from('jobs')
        .insert(jobToDb(jobData) as any)
        .select(jobColumns)
        .single();
      if (error) throw restError(error, status, 'Job creation failed');
      return jobToApp(data);
    },

    updateJob: async (id: string, jobData: UpdateJobData): Promise<Job> => {
      await requireSession();
      if (!isUuid(id)) throw notFound('Job');
      const { data, error, status } = await db
        .from('jobs')
        .update(jobToDb(jobData) as any)
        .eq('id', id)
        .select(jobColumns)
        .maybeSingle();
      if (error) throw restError(error, status, 'Job update failed');
      if (!data) throw notFound('Job');
      return jobToApp(data);
    },

    deleteJob: async (id: string): Promise<Done> => {
      await requireSession();
      if (!isUuid(id)) throw notFound('Job');
      const { data, error, status } = await db.from('jobs').delete().eq('id', id).select('id');
      if (error) throw restError(error, status, 'Job deletion failed');
      if (!data?.length) throw notFound('Job');
      return done('Job deleted successfully');
    },
  };

  // ---------------------------------------------------------------- AI
  const aiApi = {
    analyzeJobMatch: async (jobId: string): Promise<JobMatch> => {
      if (!isUuid(jobId)) throw notFound('Job');
      return invoke<JobMatch>('ai/job-match', { body: { jobId }, notFound: 'Job not found' });
    },
  };

  const resumeAiApi = {
    generateSkills: async (
      description: string,
      context: 'resume' | 'job' = 'resume',
    ): Promise<{ skills: string[]; message: string }> => {
      const { skills } = await invoke<{ skills: string[] }>('ai/skills', { body: { description, context } });
      return { skills, message: `Successfully generated ${skills.length} skills` };
    },
  };

  // The live /ping needed no session: any answer from the functions runtime (even 401
  // without a session) means the backend is up; only an unreachable one throws.
  const healthCheck = async (): Promise<{ message: string; status: string; timestamp: number }> => {
    const { error } = await client.functions.invoke('health', { method: 'GET' });
    const context = (error as { context?: unknown } | null)?.context;
    if (error && !(context instanceof Response)) throw await functionError(error, '/functions/v1/health');
    return { message: 'pong', status: 'healthy', timestamp: Date.now() / 1000 };
  };

  const apiUtils = {
    isAuthenticated: async (): Promise<boolean> => {
      try {
        return tokenClient || !!(await session())?.access_token;
      } catch {
        return false;
      }
    },
    getSession: async () => session(),
    refreshToken: async () => {
      const { data, error } = await client.auth.refreshSession();
      if (error) throw new Error('Failed to refresh authentication token');
      return data.session;
    },
  };

  // ---------------------------------------------------------------- profile
  async function readFormAnswers(): Promise<FormAnswers> {
    const { data, error, status } = await untyped
      .from('application_form_answers')
      .select(formAnswerColumns.join(', '))
      .maybeSingle();
    // A database from before the upgrade that adds the table has no answers to read.
    if (error && missingTable(error, status)) return {};
    if (error) throw restError(error, status, 'Failed to get profile');
    return (data ?? {}) as FormAnswers;
  }

  async function profileRow(): Promise<Row> {
    const { data, error, status } = await db.from('user_profile').select('*').maybeSingle();
    if (error) throw restError(error, status, 'Failed to get profile');
    if (data) return data;
    // Made at sign-up by a trigger; an account from before it gets one now, as the live
    // service did on first read.
    const made = await db.from('user_profile').insert({ full_name: 'Your Name' } as any).select('*').single();
    if (made.error) throw restError(made.error, made.status, 'Failed to create profile');
    return made.data;
  }

  async function profileToApp(row: Row, answers: FormAnswers, lists?: Partial<Profile>): Promise<Profile> {
    const current = await session();
    const blankAnswers = Object.fromEntries(formAnswerColumns.map((key) => [key, null])) as FormAnswers;
    return {
      ...(row as Profile),
      ...blankAnswers,
      ...answers,
      social_links: Array.isArray(row.social_links) ? row.social_links : [],
      profile_completed: row.profile_completed === true,
      subscription_tier: row.subscription_tier === 'pro' ? 'pro' : 'free',
      email: row.email || current?.user?.email || null,
      skills: [],
      work_experience: [],
      education: [],
      languages: [],
      ...lists,
    };
  }

  const skillsApi = {
    getSkills: async (): Promise<Skill[]> => {
      const { data, error, status } = await db.from('user_skills').select('*').order('created_at', { ascending: true });
      if (error) throw restError(error, status, 'Failed to get skills');
      return (data ?? []).map(skillToApp);
    },

    addSkill: async (input: CreateSkillData): Promise<Skill> => {
      const { data, error, status } = await db
        .from('user_skills')
        .insert({
          name: input.name,
          proficiency: proficiencyToDb(input.proficiency_level ?? null),
          category: input.category ?? 'Technical',
        } as any)
        .select('*')
        .single();
      if (error) throw restError(error, status, 'Failed to add skill');
      return skillToApp(data);
    },

    updateSkill: async (id: string, input: Partial<CreateSkillData>): Promise<Skill> => {
      const patch: Row = {};
      if (input.name !== undefined) patch.name = input.name;
      if (input.proficiency_level !== undefined) patch.proficiency = proficiencyToDb(input.proficiency_level);
      if (input.category !== undefined) patch.category = input.category;
      if (!Object.keys(patch).length) throw new LiveAppError('No fields to update', 400);
      if (!isUuid(id)) throw notFound('Skill');
      const { data, error, status } = await db.from('user_skills').update(patch as any).eq('id', id).select('*').maybeSingle();
      if (error) throw restError(error, status, 'Failed to update skill');
      if (!data) throw notFound('Skill');
      return skillToApp(data);
    },

    deleteSkill: async (id: string): Promise<Done> => {
      if (isUuid(id)) {
        const { error, status } = await db.from('user_skills').delete().eq('id', id);
        if (error) throw restError(error, status, 'Failed to delete skill');
      }
      return done('Skill deleted successfully');
    },

    // A fixed list of common skills, as the live service answered.
    getSkillSuggestions: async (): Promise<string[]> => [...skillSuggestions],
  };

  const experienceApi = {
    getExperience: async (): Promise<WorkExperience[]> => {
      const { data, error, status } = await db
        .from('user_work_experience')
        .select('*')
        .order('start_date', { ascending: false, nullsFirst: false });
      if (error) throw restError(error, status, 'Failed to get experience');
      return (data ?? []).map(experienceToApp);
    },

    addExperience: async (input: CreateExperienceData): Promise<WorkExperience> => {
      if (!input.title?.trim()) throw new LiveAppError('Please enter a job title', 400);
      if (!input.company?.trim()) throw new LiveAppError('Please enter a company name', 400);
      const isCurrent = input.is_current === true;
      const dates = datesToDb({ ...input, end_date: isCurrent ? null : input.end_date }, ['start_date', 'end_date']);
      const row = {
        title: input.title.trim(),
        company: input.company.trim(),
        location: input.location?.trim() || null,
        description: input.description?.trim() || null,
        is_current: isCurrent,
        start_date: dates.start_date ?? null,
        end_date: dates.end_date ?? null,
      };
      const { data, error, status } = await db.from('user_work_experience').insert(row as any).select('*').single();
      if (error) throw restError(error, status, 'Failed to add experience');
      return experienceToApp(data);
    },

    updateExperience: async (id: string, input: Partial<CreateExperienceData>): Promise<WorkExperience> => {
      if (input.title != null && !input.title.trim()) throw new LiveAppError('Please enter a job title', 400);
      if (input.company != null && !input.company.trim()) throw new LiveAppError('Please enter a company name', 400);
      const patch: Row = {};
      if (input.title != null) patch.title = input.title.trim();
      if (input.company != null) patch.company = input.company.trim();
      if (input.location != null) patch.location = input.location.trim();
      if (input.description != null) patch.description = input.description.trim();
      if (input.is_current != null) patch.is_current = input.is_current;
      Object.assign(patch, datesToDb(input, ['start_date', 'end_date']));
      if (input.is_current === true) patch.end_date = null;
      if (!Object.keys(patch).length) throw new LiveAppError('No fields to update', 400);
      if (!isUuid(id)) throw notFound('Experience');
      const { data, error, status } = await db
        .from('user_work_experience')
        .update(patch as any)
        .eq('id', id)
        .select('*')
        .maybeSingle();
      if (error) throw restError(error, status, 'Failed to update experience');
      if (!data) throw notFound('Experience');
      return experienceToApp(data);
    },

    deleteExperience: async (id: string): Promise<Done> => {
      if (isUuid(id)) {
        const { error, status } = await db.from('user_work_experience').delete().eq('id', id);
        if (error) throw restError(error, status, 'Failed to delete experience');
      }
      return done('Experience deleted successfully');
    },
  };

  const educationApi = {
    getEducation: async (): Promise<Education[]> => {
      const { data, error, status } = await db
        .from('user_education')
        .select('*')
        .order('start_date', { ascending: false, nullsFirst: false });
      if (error) throw restError(error, status, 'Failed to get education');
      return (data ?? []).map(educationToApp);
    },

    addEducation: async (input: CreateEducationData): Promise<Education> => {
      const dates = datesToDb(input, ['start_date', 'end_date']);
      const row = {
        school: input.school,
        degree: input.degree ?? null,
        field: input.field ?? null,
        start_date: dates.start_date ?? null,
        end_date: dates.end_date ?? null,
      };
      const { data, error, status } = await db.from('user_education').insert(row as any).select('*').single();
      if (error) throw restError(error, status, 'Failed to add education');
      return educationToApp(data);
    },

    updateEducation: async (id: string, input: Partial<CreateEducationData>): Promise<Education> => {
      const patch: Row = { ...pick(input, ['school', 'degree', 'field'] as const), ...datesToDb(input, ['start_date', 'end_date']) };
      if (!Object.keys(patch).length) throw new LiveAppError('No fields to update', 400);
      if (!isUuid(id)) throw notFound('Education');
      const { data, error, status } = await db.from('user_education').update(patch as any).eq('id', id).select('*').maybeSingle();
      if (error) throw restError(error, status, 'Failed to update education');
      if (!data) throw notFound('Education');
      return educationToApp(data);
    },

    deleteEducation: async (id: string): Promise<Done> => {
      if (isUuid(id)) {
        const { error, status } = await db.from('user_education').delete().eq('id', id);
        if (error) throw restError(error, status, 'Failed to delete education');
      }
      return done('Education deleted successfully');
    },
  };

  const languagesApi = {
    getLanguages: async (): Promise<Language[]> => {
      const { data, error, status } = await db.from('user_languages').select('*').order('created_at', { ascending: true });
      if (error) throw restError(error, status, 'Failed to get languages');
      return (data ?? []).map(languageToApp);
    },

    createLanguage: async (input: CreateLanguageData): Promise<Language> => {
      const { data, error, status } = await db
        .from('user_languages')
        .insert({ language: input.language, proficiency: proficiencyToDb(input.proficiency) } as any)
        .select('*')
        .single();
      if (error?.code === '23505') throw new LiveAppError('Language already exists', 400, error.code);
      if (error) throw restError(error, status, 'Failed to add language');
      return languageToApp(data);
    },

    updateLanguage: async (id: string, input: UpdateLanguageData): Promise<Language> => {
      const patch: Row = {};
      if (input.language != null) patch.language = input.language;
      if (input.proficiency != null) patch.proficiency = proficiencyToDb(input.proficiency);
      if (!Object.keys(patch).length) throw new LiveAppError('No fields to update', 400);
      if (!isUuid(id)) throw notFound('Language');
      const { data, error, status } = await db.from('user_languages').update(patch as any).eq('id', id).select('*').maybeSingle();
      if (error?.code === '23505') throw new LiveAppError('Language already exists', 400, error.code);
      if (error) throw restError(error, status, 'Failed to update language');
      if (!data) throw notFound('Language');
      return languageToApp(data);
    },

    deleteLanguage: async (id: string): Promise<Done> => {
      if (isUuid(id)) {
        const { error, status } = await db.from('user_languages').delete().eq('id', id);
        if (error) throw restError(error, status, 'Failed to delete language');
      }
      return done('Language deleted successfully');
    },
  };

  const profileApi = {
    /** The profile with its lists, the form-filling answers, and the email from the session. */
    getProfile: async (): Promise<Profile> => {
      const row = await profileRow();
      const [answers, skills, work_experience, education, languages] = await Promise.all([
        readFormAnswers(),
        skillsApi.getSkills(),
        experienceApi.getExperience(),
        educationApi.getEducation(),
        languagesApi.getLanguages(),
      ]);
      return profileToApp(row, answers, { skills, work_experience, education, languages });
    },

    /** Profile fields go to user_profile, form answers to application_form_answers. */
    updateProfile: async (input: UpdateProfileData): Promise<Profile> => {
      const profilePatch: Row = pick(input as Row, profileColumns);
      if (profilePatch.referral_source !== undefined) profilePatch.referral_source = blankToNull(profilePatch.referral_source);
      const answersPatch: Row = pick(input as Row, formAnswerColumns);
      for (const key of Object.keys(answersPatch)) answersPatch[key] = blankToNull(answersPatch[key]);
      if (answersPatch.date_of_birth !== undefined) Object.assign(answersPatch, datesToDb(answersPatch, ['date_of_birth']));

      let row: Row;
      if (Object.keys(profilePatch).length) {
        await profileRow();
        const { data, error, status } = await db.from('user_profile').update(profilePatch as any).select('*').single();
        if (error) throw restError(error, status, 'Profile update failed');
        row = data;
      } else {
        row = await profileRow();
      }
      let answers: FormAnswers;
      if (Object.keys(answersPatch).length) {
        const { data, error, status } = await untyped
          .from('application_form_answers')
          .upsert(answersPatch, { onConflict: 'user_id' })
          .select(formAnswerColumns.join(', '))
          .single();
        if (error) throw restError(error, status, 'Profile update failed');
        answers = data as FormAnswers;
      } else {
        answers = await readFormAnswers();
      }
      return profileToApp(row, answers);
    },

    /** An image into the private `avatars` bucket, under the user's folder; the profile keeps its path. */
    uploadProfilePicture: async (file: Blob & { name?: string; type: string }): Promise<{ profile_picture_url: string }> => {
      if (!file.type?.startsWith('image/')) throw new LiveAppError('File must be an image', 400);
      if (file.size > 2 * 1024 * 1024) throw new LiveAppError('File size must be less than 2MB', 400);
      const current = await session();
      if (!current) throw new LiveAppError(messages.authFailed, 401);
      const ext = /\.[A-Za-z0-9]{1,5}$/.exec(file.name ?? '')?.[0]?.toLowerCase() ?? '';
      const path = `${current.user.id}/profile-pictures/${crypto.randomUUID()}${ext}`;
      const uploaded = await client.storage.from('avatars').upload(path, file, { contentType: file.type });
      if (uploaded.error) throw new LiveAppError(`Profile picture upload failed: ${uploaded.error.message}`, 500);
      const signed = await client.storage.from('avatars').createSignedUrl(path, 60 * 60 * 24 * 7);
      if (signed.error) throw new LiveAppError(`Profile picture upload failed: ${signed.error.message}`, 500);
      await profileRow();
      const { error, status } = await db.from('user_profile').update({ profile_picture_url: signed.data.signedUrl } as any).select('id').single();
      if (error) throw restError(error, status, 'Failed to update profile picture');
      return { profile_picture_url: signed.data.signedUrl };
    },

    /** Counts of Applied, Interviewing and Accepted jobs, from the job_dashboard RPC. */
    getProfileStats: async (): Promise<ProfileStats> => {
      const { data, error, status } = await db.rpc('job_dashboard', {});
      if (error) throw restError(error, status, 'Failed to get profile stats');
      const byStatus = ((data as Row | null)?.by_status ?? {}) as Record<string, number>;
      return {
        jobs_applied: Number(byStatus.applied ?? 0),
        interviews: Number(byStatus.interviewing ?? 0),
        offers: Number(byStatus.accepted ?? 0),
      };
    },

    /** Deletes the account (files, rows, the auth user) through the `account` function. */
    deleteProfile: async (): Promise<Done> => {
      await invoke('account', { method: 'DELETE' });
      return done('Account and all associated data deleted successfully');
    },

    completeProfile: async (): Promise<Done> => {
      await profileRow();
      const { error, status } = await db.from('user_profile').update({ profile_completed: true } as any).select('id').single();
      if (error) throw restError(error, status, 'Failed to complete profile');
      return done('Profile marked as completed');
    },
  };

  // ---------------------------------------------------------------- templates
  const templatesApi = {
    list: async (): Promise<TemplateSummary[]> => {
      const { data, error, status } = await db
        .from('templates')
        .select('id, name, slug, schema, preview_url, is_active')
        .eq('is_active', true)
        .order('name');
      if (error) throw restError(error, status, 'Failed to list templates');
      return (data ?? []).map((t: Row) => {
        const metadata = (t.schema?.metadata ?? {}) as Row;
        return {
          id: t.id,
          slug: t.slug,
          name: t.name || metadata.name || 'Untitled Template',
          description: metadata.description ?? '',
          category: metadata.category ?? 'professional',
          badge: metadata.badge ?? null,
          preview_url: t.preview_url ?? null,
          colors: Array.isArray(metadata.colors) ? metadata.colors : [],
          is_active: t.is_active !== false,
        };
      });
    },

    /** By slug, or by id. */
    get: async (id: string): Promise<TemplateDetail> => {
      const columns = 'id, name, slug, schema, preview_url, is_active';
      let { data, error, status } = await db.from('templates').select(columns).eq('slug', id).eq('is_active', true).maybeSingle();
      if (!error && !data && isUuid(id)) {
        ({ data, error, status } = await db.from('templates').select(columns).eq('id', id).eq('is_active', true).maybeSingle());
      }
      if (error) throw restError(error, status, 'Failed to get template');
      if (!data) throw new LiveAppError(`Template '${id}' not found`, 404, 'PT404');
      const t = data as Row;
      return { id: t.id, slug: t.slug, name: t.name, schema: t.schema ?? {}, preview_url: t.preview_url ?? null, is_active: t.is_active !== false };
    },
  };

  // ---------------------------------------------------------------- subscription
  const subscriptionApi = {
    getStatus: async (): Promise<SubscriptionInfo> => {
      const sub = await untyped.from('subscriptions').select('*').maybeSingle();
      // A database from before the upgrade that adds the table: no subscription, free.
      if (sub.error && missingTable(sub.error, sub.status)) sub.data = null;
      else if (sub.error) throw restError(sub.error, sub.status, 'Failed to get subscription status');
      const [resumes, jobs] = await Promise.all([
        db.from('resume_builder_data').select('id', { count: 'exact', head: true }),
        db.from('jobs').select('id', { count: 'exact', head: true }),
      ]);
      const subscription = (sub.data ?? null) as Row | null;
      return {
        tier: subscription?.tier === 'pro' ? 'pro' : 'free',
        status: subscription?.status ?? 'free',
        // Every feature is free: no limits, as in the live service.
        limits: { max_resumes: null, max_jobs_from_extension: null },
        usage: { resumes: resumes.count ?? 0, jobs: jobs.count ?? 0 },
        subscription,
      };
    },
    // Checkout and the billing portal talk to Stripe with a secret key: a server's job,
    // not this client's. The live service answered the same when Stripe was not set up.
    createCheckoutSession: async (_priceId?: string): Promise<{ session_id: string; url: string }> => {
      throw new LiveAppError('Stripe is not configured', 501);
    },
    createPortalSession: async (): Promise<{ url: string }> => {
      throw new LiveAppError('Stripe is not configured', 501);
    },
  };

  // ---------------------------------------------------------------- resume builder
  // The calls ResumeBuilderContext, AIGenerate and Edit make with fetch() today.
  const builderColumns = 'id, user_id, template_id, title, resume_data, is_current, created_at, updated_at';
  const builderToApp = (row: Row): BuilderResume => ({ ...(row as BuilderResume), is_current: row.is_current === true });

  const resumeBuilderApi = {
    /** POST /api/resume-builder/save */
    save: async (input: { template_id: string; title?: string | null; resume_data: Record<string, unknown> }) => {
      const { data, error, status } = await db
        .from('resume_builder_data')
        .insert({ template_id: input.template_id, title: input.title || 'My Resume', resume_data: input.resume_data } as any)
        .select('id')
        .single();
      if (error) throw restError(error, status, 'Failed to save resume');
      return { id: data.id as string, success: true, message: 'Resume saved successfully' };
    },

    /** GET /api/resume-builder/list: newest first. */
    list: async (): Promise<BuilderResume[]> => {
      const { data, error, status } = await db
        .from('resume_builder_data')
        .select(builderColumns)
        .order('updated_at', { ascending: false });
      if (error) throw restError(error, status, 'Failed to list resumes');
      return (data ?? []).map(builderToApp);
    },

    /** GET /api/resume-builder/:id */
    get: async (id: string): Promise<BuilderResume> => {
      if (!isUuid(id)) throw notFound('Resume');
      const { data, error, status } = await db.from('resume_builder_data').select(builderColumns).eq('id', id).maybeSingle();
      if (error) throw restError(error, status, 'Failed to load resume');
      if (!data) throw notFound('Resume');
      return builderToApp(data);
    },

    /** PUT /api/resume-builder/:id */
    update: async (id: string, input: { title?: string; resume_data?: Record<string, unknown> }): Promise<BuilderResume> => {
      const patch = pick(input as Row, ['title', 'resume_data'] as const);
      if (!Object.keys(patch).length) throw new LiveAppError('No fields to update', 400);
      if (!isUuid(id)) throw new LiveAppError('Resume not found or no changes made', 404, 'PT404');
      const { data, error, status } = await db
        .from('resume_builder_data')
        .update(patch as any)
        .eq('id', id)
        .select(builderColumns)
        .maybeSingle();
      if (error) throw restError(error, status, 'Failed to update resume');
      if (!data) throw new LiveAppError('Resume not found or no changes made', 404, 'PT404');
      return builderToApp(data);
    },

    /** DELETE /api/resume-builder/:id */
    delete: async (id: string): Promise<Done> => {
      if (isUuid(id)) {
        const { error, status } = await db.from('resume_builder_data').delete().eq('id', id);
        if (error) throw restError(error, status, 'Failed to delete resume');
      }
      return done('Resume deleted successfully');
    },

    /** GET /api/generated-resumes/:id: a wizard's resume, its current version's content. */
    getGenerated: async (id: string): Promise<GeneratedResume> => {
      if (!isUuid(id)) throw notFound('Resume');
      const { data, error, status } = await db
        .from('generated_resumes')
        .select('id, title, template_id, current_version, created_at, updated_at, generated_resume_versions(version_number, content_json)')
        .eq('id', id)
        .maybeSingle();
      if (error) throw restError(error, status, 'Failed to load resume');
      if (!data) throw notFound('Resume');
      const row = data as Row;
      const versions = (row.generated_resume_versions ?? []) as Row[];
      const current =
        versions.find((v) => v.version_number === row.current_version) ??
        versions.sort((a, b) => b.version_number - a.version_number)[0];
      // The editor wants the template's slug.
      const template = await db.from('templates').select('slug').eq('id', row.template_id).maybeSingle();
      return {
        id: row.id,
        title: row.title,
        templateId: (template.data as Row | null)?.slug ?? row.template_id,
        currentVersion: row.current_version,
        contentJson: (current?.content_json ?? {}) as Record<string, unknown>,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      };
    },

    /** POST /api/ai/generate-work-description */
    generateWorkDescription: async (input: WorkDescriptionRequest): Promise<{ description: string; success: boolean }> => {
      const { description } = await invoke<{ description: string }>('ai/work-description', { body: input });
      return { description, success: true };
    },

    /** POST /api/ai/profile-summary {resumeData} */
    generateProfileSummary: async (input: { resumeData: Record<string, unknown> }): Promise<{ summary: string; success: boolean }> => {
      const { summary } = await invoke<{ summary: string }>('ai/profile-summary', { body: { resumeData: input.resumeData } });
      return { summary, success: true };
    },
  };

  return {
    jobApi,
    aiApi,
    profileApi,
    skillsApi,
    experienceApi,
    educationApi,
    languagesApi,
    templatesApi,
    resumeAiApi,
    subscriptionApi,
    apiUtils,
    healthCheck,
    resumeBuilderApi,
  };
}

export type LiveAppApi = ReturnType<typeof createLiveAppApi>;

const skillSuggestions = [
  'JavaScript', 'TypeScript', 'Python', 'Java', 'Go', 'SQL', 'PostgreSQL', 'React', 'Node.js',
  'HTML/CSS', 'Git', 'Docker', 'Kubernetes', 'AWS', 'REST APIs', 'GraphQL', 'Linux', 'CI/CD',
  'Data Analysis', 'Machine Learning', 'Agile', 'Scrum', 'Jira', 'Project Management',
  'Communication', 'Leadership', 'Problem Solving', 'Teamwork', 'Time Management',
] as const;
