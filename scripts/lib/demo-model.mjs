// The local demo model: what `npm start` gives the AI actions when no model is configured
// (no OPENAI_API_KEY and no OPENAI_BASE_URL in supabase/functions/.env or the shell), so
// that a newcomer can try every action. It is the scripted OpenAI-compatible server of
// the tests (model-server.mjs) answering every request with a canned, deterministic
// answer that satisfies the schema the action asks for and its checks (a tailored resume
// is the resume the prompt shows, unchanged, so the tailoring check passes). It runs only
// beside a local stack, started by scripts/stack.mjs; the functions know nothing of it:
// to them it is an OpenAI-compatible base URL like any other.
import { respond, startModelServer } from './model-server.mjs';

// What ai_events.model and .provider say for every call it answers.
export const demoModelName = 'local-demo-model (canned answers, not AI)';
export const demoProvider = 'jobstalker-local-demo';
export const demoApiKey = 'local-demo-model-no-key-needed';

const canned = 'This is a canned answer from the local demo model, not from an AI model.';
const setKey = 'Set a model key in the functions settings file for real answers.';
const letterWords = ['This', 'letter', 'is', 'a', 'canned', 'answer', 'from', 'the', 'local', 'demo', 'model,', 'not', 'from', 'an', 'AI', 'model.'];
const letter = Array.from({ length: 272 }, (_, i) => letterWords[i % letterWords.length]).join(' ');

// A faithful tailoring: the resume the prompt shows, unchanged (its fenced data block).
function echoResume(prompt) {
  const block = /<<<DATA-[0-9a-f]+ resume>>>\n([\s\S]*?)\n<<<END DATA-/.exec(prompt)?.[1];
  let resume;
  try {
    resume = block ? JSON.parse(block) : undefined;
  } catch {
    resume = undefined;
  }
  resume ??= { summary: null, experience: [], skills: [] };
  return {
    summary: resume.summary || 'I build software with care and work well with a team.',
    experience: (resume.experience ?? []).map((e) => ({ ...e, description: e.description || 'Worked on the product with the team.' })),
    skills: resume.skills ?? [],
  };
}

// One canned answer per schema an action asks for (response_format.json_schema.name).
export function demoAnswer(body) {
  const prompt = (body?.messages ?? []).map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
  switch (body?.response_format?.json_schema?.name) {
    case 'work_description':
      return { description: `${canned} ${setKey}` };
    case 'profile_summary':
    case 'wizard_summary':
      return { summary: `${canned} ${setKey}` };
    case 'skills':
      return { skills: ['Communication', 'Teamwork'] };
    case 'job_match':
      return { matchScore: 50, strengths: [canned], improvements: [setKey], missingSkills: [], matchedSkills: [] };
    case 'job_posting':
      return {
        job_title: 'Demo job title', company: 'Demo company', location: null, salary: null, description: `${canned} ${setKey}`,
        job_type: null, experience_level: null, remote_work: null, benefits: [], requirements: [], skills: [],
      };
    case 'tailored_resume':
      return echoResume(prompt);
    case 'cover_letter':
      return { content: letter };
    case 'email_proposal': {
      const known = /\bJ1:/.test(prompt);
      return {
        emailKind: 'confirmation', summary: canned,
        jobRef: known ? 'J1' : null, newJob: known ? null : { jobTitle: 'Demo job title', company: 'Demo company' },
        status: 'applied', closingReason: null, interview: null, contact: null,
      };
    }
    case 'imported_profile':
      return {
        contact: { fullName: 'Demo Candidate', firstName: null, lastName: null, email: null, phone: null, location: null, headline: null, socialLinks: [] },
        summary: canned, skills: [{ name: 'Communication' }], experience: [], education: [], languages: [],
      };
    default:
      return {};
  }
}

export async function startDemoModel(port) {
  const server = await startModelServer(port);
  server.setDefault(respond(demoAnswer));
  return server;
}
