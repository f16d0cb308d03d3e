// The value formats the live JobStalker2 web app uses, and the ones this backend stores.
// The database accepts any spelling on write (it normalises statuses and proficiencies
// itself) but always answers in its own vocabulary: lowercase values and full dates.
// These functions are the only translation the app needs, in both directions.

/** The eight pipeline statuses, as the app shows them (Title Case). */
export const appStatuses = [
  'Bookmarked',
  'Applying',
  'Applied',
  'Interviewing',
  'Negotiating',
  'Accepted',
  'Rejected',
  'Withdrawn',
] as const;
export type AppStatus = (typeof appStatuses)[number];

/** The same eight, as the database stores them (jobs.status). */
export const dbStatuses = [
  'bookmarked',
  'applying',
  'applied',
  'interviewing',
  'negotiating',
  'accepted',
  'rejected',
  'withdrawn',
] as const;
export type DbStatus = (typeof dbStatuses)[number];

export const skillProficiencies = ['Beginner', 'Intermediate', 'Advanced', 'Expert'] as const;
export type SkillProficiency = (typeof skillProficiencies)[number];
export const languageProficiencies = ['Beginner', 'Intermediate', 'Advanced', 'Native'] as const;
export type LanguageProficiency = (typeof languageProficiencies)[number];

function titleCase(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1).toLowerCase();
}

/** 'applied' → 'Applied'. A value outside the eight is returned as it came. */
export function statusToApp(value: string | null | undefined): string {
  if (value == null) return 'Bookmarked';
  const lower = value.trim().toLowerCase();
  return (dbStatuses as readonly string[]).includes(lower) ? titleCase(lower) : value;
}

/** 'Applied' → 'applied'. Anything else is sent as it came; the database normalises
 * known synonyms ('interview', 'offer', ...) and refuses the rest with 23514. */
export function statusToDb(value: string | null | undefined): string | undefined {
  if (value == null) return undefined;
  const lower = value.trim().toLowerCase();
  return (dbStatuses as readonly string[]).includes(lower) ? lower : value;
}

/** 'expert' → 'Expert' (skills and languages alike); null stays null. */
export function proficiencyToApp(value: string | null | undefined): string | null {
  if (value == null || value === '') return null;
  return titleCase(value.trim());
}

/** 'Expert' → 'expert'; '' or null → null (no proficiency). */
export function proficiencyToDb(value: string | null | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value.trim() === '') return null;
  return value.trim().toLowerCase();
}

/** Thrown for a month or date the app sent that names no real day. */
export class InvalidDateError extends Error {
  constructor(readonly input: string) {
    super('Please enter a valid date');
    this.name = 'InvalidDateError';
  }
}

function realDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= last;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * A date the app sends ('YYYY-MM' from its month pickers, 'YYYY-MM-DD', an ISO timestamp,
 * or 'MM/DD/YYYY') → the 'YYYY-MM-DD' a Postgres date column takes. A month becomes its
 * first day. '' (a cleared picker) → null. Anything else throws InvalidDateError, never
 * stores null silently.
 */
export function monthToDb(value: string | null | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const text = value.trim();
  if (text === '' || text.toLowerCase() === 'mm/dd/yyyy') return null;
  let m = /^(\d{4})-(\d{1,2})$/.exec(text);
  if (m) {
    const [year, month] = [Number(m[1]), Number(m[2])];
    if (!realDay(year, month, 1)) throw new InvalidDateError(value);
    return `${m[1]}-${pad(month)}-01`;
  }
  m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(text);
  if (m) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!realDay(year, month, day)) throw new InvalidDateError(value);
    return `${m[1]}-${pad(month)}-${pad(day)}`;
  }
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (m) {
    const [month, day, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!realDay(year, month, day)) throw new InvalidDateError(value);
    return `${m[3]}-${pad(month)}-${pad(day)}`;
  }
  throw new InvalidDateError(value);
}

/** A stored date '2024-03-01' → the app's month '2024-03'; null stays null. */
export function monthToApp(value: string | null | undefined): string | null {
  if (value == null) return null;
  const m = /^(\d{4}-\d{2})/.exec(value);
  return m ? m[1] : value;
}
