// @jobstalker/live-app: the live JobStalker2 app's api.ts, on this backend.
//   import { createLiveAppApi } from '@jobstalker/live-app';
//   export const { jobApi, aiApi, profileApi, ... } = createLiveAppApi(supabase);
// See docs/migrating-the-app.md.
export { createLiveAppApi, formAnswerColumns, jobColumns } from './live-app.ts';
export type { LiveAppApi } from './live-app.ts';
export { LiveAppError, messages } from './errors.ts';
// The browser extension's flows (token check, job capture); docs/extension.md.
export { createExtensionApi, ExtensionApiError, reducePage, saveJobBody } from './extension.ts';
export type { ExtensionApi, ExtensionApiOptions, ExtensionJobPayload, SaveJobAnswer, TokenCheck } from './extension.ts';
export {
  appStatuses,
  dbStatuses,
  InvalidDateError,
  languageProficiencies,
  monthToApp,
  monthToDb,
  proficiencyToApp,
  proficiencyToDb,
  skillProficiencies,
  statusToApp,
  statusToDb,
} from './translate.ts';
export type * from './types.ts';
