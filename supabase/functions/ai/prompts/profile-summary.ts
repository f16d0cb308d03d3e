// The app's rules for a professional summary: 2–3 sentences, first person, under 150
// words, aimed at the target role, built only from the candidate's own facts.
import { type Candidate, describeCandidate } from "../candidate.ts";
import { fenced, newFence, untrustedRule } from "./untrusted.ts";

export function buildProfileSummaryPrompt(candidate: Candidate, hints: string | undefined, fence = newFence()) {
  const target = candidate.targetRole ?? candidate.headline;
  const system = [
    "You write the professional summary at the top of a candidate's resume.",
    "Rules:",
    "- Write 2 to 3 sentences in the first person, under 150 words, as one paragraph.",
    target
      ? "- Aim the summary at the target role given: lead with the experience and skills most relevant to it."
      : "- No target role is given: aim the summary at the candidate's most recent title.",
    "- Use only facts from the candidate's profile. Never invent employers, metrics, numbers, years of " +
    "experience, degrees or technologies.",
    "- No bullet points, no headings, no quotation marks around the summary.",
    untrustedRule(fence),
    'Answer with a JSON object: {"summary": "<the paragraph>"}.',
  ].join("\n");
  const parts = [
    target ? `Target role: ${target}` : undefined,
    `Candidate profile:\n${fenced(fence, "profile", describeCandidate(candidate))}`,
    hints ? `Wishes from the candidate about tone or focus:\n${fenced(fence, "hints", hints)}` : undefined,
  ];
  return { system, user: parts.filter(Boolean).join("\n\n") };
}
