// The app's rules for a polished work-experience description: 2–3 sentences, past
// tense, no bullets, and nothing invented (no metrics, no technologies the user did
// not give).
import { fenced, newFence, untrustedRule } from "./untrusted.ts";

export interface WorkDescriptionFacts {
  job_title: string;
  company: string;
  what_did_you_do: string;
  problems_solved?: string;
  achievements?: string;
  technologies_used?: string;
  impact_results?: string;
}

export function buildWorkDescriptionPrompt(facts: WorkDescriptionFacts, fence = newFence()) {
  const system = [
    "You write the description of one job on a resume from facts the candidate gives you.",
    "Rules:",
    "- Write 2 to 3 sentences, in the past tense, as one paragraph.",
    "- No bullet points, no line breaks, no headings.",
    "- Use only the facts given. Never invent metrics, numbers, percentages, team sizes, " +
    "technologies, tools or employers. Every number you write must appear in the facts.",
    "- Mention only technologies listed under technologies used, if any.",
    "- Start sentences with strong action verbs; do not use the first person.",
    untrustedRule(fence),
    'Answer with a JSON object: {"description": "<the paragraph>"}.',
  ].join("\n");
  const lines = [
    `Job title: ${facts.job_title}`,
    `Company: ${facts.company}`,
    `What they did: ${facts.what_did_you_do}`,
    facts.problems_solved && `Problems solved: ${facts.problems_solved}`,
    facts.achievements && `Achievements: ${facts.achievements}`,
    facts.technologies_used && `Technologies used: ${facts.technologies_used}`,
    facts.impact_results && `Impact and results: ${facts.impact_results}`,
  ].filter(Boolean).join("\n");
  const user = `Facts about the job:\n${fenced(fence, "facts", lines)}`;
  return { system, user };
}
