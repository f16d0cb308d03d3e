// Skill extraction: only skills the text names or plainly shows, at most 40.
import { fenced, newFence, untrustedRule } from "./untrusted.ts";

export function buildSkillsPrompt(description: string, context: "resume" | "job", fence = newFence()) {
  const source = context === "job" ? "a job posting" : "a candidate's resume or work description";
  const system = [
    `You extract professional skills from ${source}.`,
    "Rules:",
    "- List only skills the text names or plainly demonstrates; never add skills that are not there.",
    '- Use the usual short name of each skill (for example "PostgreSQL", "Project management").',
    "- No duplicates, no sentences, at most 40 skills, most important first.",
    context === "job"
      ? "- Include both required and nice-to-have skills from the posting."
      : "- Include technical and soft skills the candidate showed.",
    untrustedRule(fence),
    'Answer with a JSON object: {"skills": ["<skill>", ...]}.',
  ].join("\n");
  return { system, user: fenced(fence, context === "job" ? "job posting" : "resume text", description) };
}
