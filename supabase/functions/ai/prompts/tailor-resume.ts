// Tailoring a resume version to one saved job. The posting decides emphasis and order
// only; every fact must come from the resume. Both texts are fenced: the posting is
// third-party text and the resume holds whatever the user typed.
import type { TailoringSource } from "../tailoring-check.ts";
import { jobPrompt, newFence, resumeFactsRule, systemPrompt } from "./untrusted.ts";
import type { JobPosting } from "../job-for-model.ts";

export function buildTailorResumePrompt(source: TailoringSource, job: JobPosting, fence = newFence()) {
  const system = systemPrompt(
    "You tailor a candidate's resume to one job posting, using only facts already in the resume.",
    [
      "summary: rewrite the professional summary in 2 to 3 sentences, first person, under 150 words, " +
      "aimed at the job's title and the posting's needs, as one paragraph without bullets.",
      "experience: return every entry of the resume, in the same order, with its id, title, company, " +
      "startDate and endDate copied exactly. Rewrite only description: newline-separated bullets " +
      "(no bullet characters), past tense except for a current job, leading with what matters most for the posting.",
      "skills: return exactly the resume's skills, spelled as given, ordered from most to least relevant " +
      "to the posting. Never add, drop, merge or rename a skill.",
      resumeFactsRule("the resume", "the resume"),
    ],
    fence,
    'Answer with a JSON object: {"summary": "...", "experience": [{"id": "...", "title": "...", ' +
    '"company": "...", "startDate": "...", "endDate": "...", "description": "..."}], "skills": ["..."]}.',
  );
  const resume = {
    summary: source.summary || null,
    experience: source.experience,
    skills: source.skills,
  };
  const user = jobPrompt(fence, job, ["Resume to tailor (JSON)", "resume", JSON.stringify(resume, null, 2)], "Target job");
  return { system, user };
}
