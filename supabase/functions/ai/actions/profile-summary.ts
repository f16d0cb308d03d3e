// POST /ai/profile-summary: a first-person summary from the builder's resume data
// ({resumeData}) or from a wizard session ({wizardSessionId}), read as the caller.
import { z } from "zod";
import { HttpError } from "../../_shared/http.ts";
import { type ActionContext, type AiAction, defineAction } from "../action.ts";
import { type Candidate, candidateFromResumeData, candidateFromWizardDraft, isEmptyCandidate } from "../candidate.ts";
import { buildProfileSummaryPrompt } from "../prompts/profile-summary.ts";
import { hasBullets, wordCount } from "./text-rules.ts";

// Hints arrive as free text or as a small map of named wishes (tone, focus...).
export const promptHints = z.union([
  z.string().max(2000),
  z.record(z.string().max(50), z.union([z.string().max(500), z.number(), z.boolean()])),
]).nullish().transform((hints) => {
  if (!hints) return undefined;
  if (typeof hints === "string") return hints.trim() || undefined;
  return Object.entries(hints).map(([key, value]) => `${key}: ${value}`).join("\n").slice(0, 2000) || undefined;
});

// The builder's shape; every part optional, unknown keys allowed (the candidate
// reader picks what it needs), arrays bounded so a prompt stays small.
const resumeData = z.looseObject({
  personalInfo: z.looseObject({}).optional(),
  summary: z.string().max(5000).nullish(),
  workExperience: z.array(z.looseObject({})).max(50).optional(),
  education: z.array(z.looseObject({})).max(30).optional(),
  skills: z.array(z.union([z.string(), z.looseObject({})])).max(200).optional(),
  languages: z.array(z.union([z.string(), z.looseObject({})])).max(50).optional(),
  targetRole: z.string().max(200).nullish(),
});

export const profileSummaryInput = z.object({
  resumeData: resumeData.optional(),
  wizardSessionId: z.uuid().optional(),
  promptHints,
}).refine((body) => (body.resumeData === undefined) !== (body.wizardSessionId === undefined), {
  message: "Send either resumeData or wizardSessionId.",
});

export type ProfileSummaryInput = z.infer<typeof profileSummaryInput>;

export const profileSummaryAnswer = z.object({
  summary: z.string().trim().min(1).max(1200)
    .refine((text) => wordCount(text) < 150, "must be under 150 words")
    .refine((text) => !hasBullets(text), "must not contain bullets"),
});

// A wizard session of the caller's (RLS hides other users' sessions: theirs and
// missing ones both answer 404).
export async function readWizardSession(context: ActionContext, id: string) {
  const [session] = await context.asCaller((tx) =>
    tx<{ id: string; status: string; draft_json: unknown }[]>`
      select id, status, draft_json from public.wizard_sessions where id = ${id}`
  );
  if (!session) throw new HttpError(404, "not_found", "Wizard session not found.");
  return session;
}

// The one path both summary actions take: a candidate with nothing to summarise is a
// 422; otherwise the model writes the summary under `answer`'s rules, its call logged
// with the wizard session when there is one.
export async function writeSummary(
  context: ActionContext,
  candidate: Candidate,
  options: { schemaName: string; answer: z.ZodType<{ summary: string }>; hints?: string; wizardSessionId: string | null },
): Promise<string> {
  if (isEmptyCandidate(candidate)) {
    throw new HttpError(
      422,
      "not_enough_context",
      "Add a target role, some experience or skills first: there is nothing to summarise yet.",
    );
  }
  const { system, user } = buildProfileSummaryPrompt(candidate, options.hints);
  const answer = await context.generate({
    schemaName: options.schemaName,
    system,
    user,
    answer: options.answer,
    maxTokens: 400,
    streamField: "summary",
    wizardSessionId: options.wizardSessionId,
  });
  return answer.summary;
}

export const profileSummary: AiAction<ProfileSummaryInput> = {
  input: profileSummaryInput,
  async run(context, input) {
    let candidate: Candidate;
    let wizardSessionId: string | null = null;
    if (input.wizardSessionId) {
      const session = await readWizardSession(context, input.wizardSessionId);
      candidate = candidateFromWizardDraft(session.draft_json);
      wizardSessionId = session.id;
    } else {
      candidate = candidateFromResumeData(input.resumeData);
    }
    const summary = await writeSummary(context, candidate, {
      schemaName: "profile_summary",
      answer: profileSummaryAnswer,
      hints: input.promptHints,
      wizardSessionId,
    });
    return { summary };
  },
};

export default defineAction(profileSummary);
