// The live JobStalker2 web app's src/lib/api.ts, replaced: every export is built by
// createLiveAppApi from the app's own supabase-js client (./supabaseClient), so the pages
// import the same names as before and talk to this backend under the user's session.
// Copy this file over frontend/src/lib/api.ts and add the package (docs/migrating-the-app.md).
import { createLiveAppApi } from '@jobstalker/live-app';
import { supabase } from './supabaseClient';

export const {
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
} = createLiveAppApi(supabase);
