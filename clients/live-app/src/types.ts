// The shapes the live JobStalker2 web app reads and sends (its frontend/src/lib/types.ts),
// written out here so the module's answers are checked against them. Statuses and
// proficiencies are Title Case, months 'YYYY-MM', as the app's pages expect.
import type { AppStatus, LanguageProficiency, SkillProficiency } from './translate.ts';

export type { AppStatus, LanguageProficiency, SkillProficiency };

export interface Job {
  id: string;
  user_id: string;
  job_title: string;
  company: string;
  location: string | null;
  salary: string | null;
  job_url: string | null;
  status: AppStatus;
  excitement_level: number | null;
  date_applied: string | null;
  deadline: string | null;
  description: string | null;
  created_at: string | null;
  updated_at: string | null;
}

export interface CreateJobData {
  job_title: string;
  company: string;
  location?: string | null;
  salary?: string | null;
  job_url?: string | null;
  status?: AppStatus | string;
  excitement_level?: number | null;
  date_applied?: string | null;
  deadline?: string | null;
  description?: string | null;
}
export type UpdateJobData = Partial<CreateJobData>;

export interface JobMatch {
  matchScore: number;
  strengths: string[];
  improvements: string[];
  missingSkills: string[];
  matchedSkills: string[];
}

export interface SocialLink {
  platform: string;
  url: string;
}

/** The answers the extension types into job-application forms (application_form_answers). */
export interface FormAnswers {
  work_auth_us?: boolean | null;
  work_auth_canada?: boolean | null;
  work_auth_uk?: boolean | null;
  requires_sponsorship?: boolean | null;
  current_location?: string | null;
  phone_country_code?: string | null;
  date_of_birth?: string | null;
  ethnicity?: string | null;
  gender?: string | null;
  has_disability?: string | null;
  is_veteran?: string | null;
  is_lgbtq?: string | null;
}

export interface Skill {
  id: string;
  user_id: string;
  name: string;
  proficiency: SkillProficiency | null;
  /** What the app's pages read: the proficiency, 'Beginner' when none is set. */
  proficiency_level: SkillProficiency;
  category: string | null;
  created_at: string | null;
  updated_at: string | null;
}

export interface WorkExperience {
  id: string;
  user_id: string;
  title: string;
  company: string;
  location: string | null;
  /** 'YYYY-MM' */
  start_date: string | null;
  /** 'YYYY-MM', null while is_current */
  end_date: string | null;
  description: string | null;
  is_current: boolean;
  created_at: string | null;
  updated_at: string | null;
}

export interface Education {
  id: string;
  user_id: string;
  school: string;
  degree: string | null;
  field: string | null;
  /** 'YYYY-MM' */
  start_date: string | null;
  /** 'YYYY-MM' */
  end_date: string | null;
  created_at: string | null;
  updated_at: string | null;
}

export interface Language {
  id: string;
  user_id: string;
  language: string;
  proficiency: LanguageProficiency | null;
  created_at: string;
  updated_at: string;
}

export interface Profile extends FormAnswers {
  id: string;
  user_id: string;
  full_name: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  job_title: string | null;
  location: string | null;
  professional_summary: string | null;
  social_links: SocialLink[];
  profile_completed: boolean;
  profile_picture_url: string | null;
  referral_source: string | null;
  subscription_tier: 'free' | 'pro';
  skills: Skill[];
  work_experience: WorkExperience[];
  education: Education[];
  languages: Language[];
  created_at: string | null;
  updated_at: string | null;
}

export interface UpdateProfileData extends FormAnswers {
  full_name?: string;
  first_name?: string | null;
  last_name?: string | null;
  /** Ignored, as the live service ignored it: the account's email comes from the session. */
  email?: string | null;
  phone?: string | null;
  job_title?: string | null;
  location?: string | null;
  professional_summary?: string | null;
  social_links?: SocialLink[];
  referral_source?: string | null;
  profile_completed?: boolean;
}

export interface ProfileStats {
  jobs_applied: number;
  interviews: number;
  offers: number;
}

export interface CreateSkillData {
  name: string;
  proficiency_level?: SkillProficiency | string | null;
  category?: string | null;
}

export interface CreateExperienceData {
  title: string;
  company: string;
  location?: string | null;
  start_date?: string | null;
  end_date?: string | null;
  description?: string | null;
  is_current?: boolean;
}

export interface CreateEducationData {
  school: string;
  degree?: string | null;
  field?: string | null;
  start_date?: string | null;
  end_date?: string | null;
}

export interface CreateLanguageData {
  language: string;
  proficiency: LanguageProficiency | string;
}
export type UpdateLanguageData = Partial<CreateLanguageData>;

export interface Done {
  success: boolean;
  message: string;
}

export interface TemplateSummary {
  id: string;
  slug: string;
  name: string;
  description: string;
  category: string;
  badge: string | null;
  preview_url: string | null;
  colors: string[];
  is_active: boolean;
}

export interface TemplateDetail {
  id: string;
  slug: string;
  name: string;
  schema: Record<string, unknown>;
  preview_url: string | null;
  is_active: boolean;
}

export type SubscriptionTier = 'free' | 'pro';
export type SubscriptionStatus = 'free' | 'active' | 'canceled' | 'past_due' | 'trialing' | string;

export interface SubscriptionInfo {
  tier: SubscriptionTier;
  status: SubscriptionStatus;
  limits: { max_resumes: number | null; max_jobs_from_extension: number | null };
  usage: { resumes: number; jobs: number };
  subscription: Record<string, unknown> | null;
}

export interface BuilderResume {
  id: string;
  user_id?: string;
  template_id: string;
  title: string | null;
  resume_data: Record<string, unknown>;
  is_current: boolean;
  created_at: string | null;
  updated_at: string | null;
}

export interface GeneratedResume {
  id: string;
  title: string | null;
  templateId: string;
  currentVersion: number | null;
  contentJson: Record<string, unknown>;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface WorkDescriptionRequest {
  job_title: string;
  company: string;
  what_did_you_do: string;
  problems_solved?: string;
  achievements?: string;
  technologies_used?: string;
  impact_results?: string;
}
