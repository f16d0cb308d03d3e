// Job match: the saved job's description against the caller's own profile. The
// posting is third-party text, so it is fenced as data.
import { type Candidate, describeCandidate } from "../candidate.ts";
import { jobPrompt, newFence, untrustedRule } from "./untrusted.ts";
import type { JobPosting } from "../job-for-model.ts";

export function buildJobMatchPrompt(job: JobPosting, candidate: Candidate, fence = newFence()) {
  const system = [
    "You compare a candidate's profile with a job posting and score how well they match.",
    "Rules:",
    "- matchScore is an integer from 0 (no fit) to 100 (perfect fit), based on skills, recent experience and education.",
    "- matchedSkills: skills the posting asks for that the profile shows. missingSkills: skills the posting " +
    "asks for that the profile does not show. Use only skills that appear in the texts.",
    "- strengths: up to 5 short sentences on why the candidate fits. improvements: up to 5 short, concrete " +
    "suggestions to close the gaps.",
    "- Never invent experience, degrees or skills the profile does not contain.",
    untrustedRule(fence),
    'Answer with a JSON object: {"matchScore": 0-100, "strengths": [], "improvements": [], ' +
    '"missingSkills": [], "matchedSkills": []}.',
  ].join("\n");
  const user = jobPrompt(fence, job, ["Candidate profile", "profile", describeCandidate(candidate) || "(empty profile)"]);
  return { system, user };
}
