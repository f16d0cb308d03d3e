// Reading a pasted resume into the profile shape. The text is whatever the user pasted
// (possibly copied from anywhere), so it is fenced as data; extraction must copy, not
// compose: nothing absent from the text may appear in the answer.
import { fenced, newFence, untrustedRule } from "./untrusted.ts";

export function buildImportResumePrompt(text: string, fence = newFence()) {
  const system = [
    "You extract a structured profile from the text of a resume.",
    "Rules:",
    "- Copy facts exactly as written; never invent, guess or embellish. A field the text does not state is null " +
    "(or an empty list).",
    "- contact: fullName, firstName, lastName, email, phone, location, headline (the current or desired title), " +
    'socialLinks as [{"platform": "LinkedIn|GitHub|Website|...", "url": "https://..."}] for links in the text.',
    "- summary: the resume's own summary or profile paragraph, or null.",
    '- skills: each skill once, as [{"name", "proficiency": "Beginner|Intermediate|Expert" or null, ' +
    '"category": "Technical", "Soft", "Tool"... or null}].',
    "- experience: one entry per job, most recent first: title, company, location, startDate and endDate as " +
    "YYYY-MM (null when unknown; endDate null for a current job), isCurrent, and description as the job's " +
    "bullets joined by newlines without bullet characters.",
    "- education: school, degree, field, startDate, endDate (YYYY-MM or null).",
    '- languages: [{"name", "proficiency": "Beginner|Intermediate|Advanced|Native" or null}].',
    untrustedRule(fence),
    "Answer with a JSON object with exactly the keys contact, summary, skills, experience, education, languages.",
  ].join("\n");
  const user = `Resume text:\n${fenced(fence, "resume", text)}`;
  return { system, user };
}
