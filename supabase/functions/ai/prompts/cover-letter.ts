// A cover letter for one saved job from the candidate's own resume or profile: 250–400
// words, nothing invented. The posting is third-party text, fenced as data.
import { type Candidate, describeCandidate } from "../candidate.ts";
import { jobPrompt, newFence, resumeFactsRule, systemPrompt } from "./untrusted.ts";
import type { JobPosting } from "../job-for-model.ts";

export function buildCoverLetterPrompt(job: JobPosting, candidate: Candidate, fence = newFence()) {
  const system = systemPrompt(
    "You write a cover letter from a candidate to the company of one job posting.",
    [
      "Between 250 and 400 words, in the first person, in 3 to 5 paragraphs separated by blank lines, " +
      "with a greeting and a sign-off using the candidate's name when it is given.",
      "Connect the candidate's real experience and skills to what the posting asks for.",
      resumeFactsRule("the candidate's resume", "the resume or the posting"),
      "No placeholders in brackets, no addresses, no date line.",
    ],
    fence,
    'Answer with a JSON object: {"content": "<the letter>"}.',
  );
  const user = jobPrompt(fence, job, ["Candidate resume", "resume", describeCandidate(candidate) || "(empty resume)"]);
  return { system, user };
}
