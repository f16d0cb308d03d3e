// POST /ai/wizard-summary {wizardSessionId, promptHints?}: writes the summary step of a
// wizard session. The session is read as the caller (another user's session is as
// invisible as a missing one: 404), the model call is logged with the session's id,
// and the summary is written through update_wizard_session as the caller.
import { z } from "zod";
import { HttpError } from "../../_shared/http.ts";
import { type AiAction, defineAction } from "../action.ts";
import { candidateFromWizardDraft, describeCandidate } from "../candidate.ts";
import { promptHints, readWizardSession, writeSummary } from "./profile-summary.ts";
import { hasBullets, inventedNumbers, sentenceCount, wordCount } from "./text-rules.ts";

export const wizardSummaryInput = z.object({
  wizardSessionId: z.uuid(),
  promptHints,
});

export type WizardSummaryInput = z.infer<typeof wizardSummaryInput>;

// The app's summary rules, checked after the fact so a broken rule triggers the repair.
export function wizardSummaryAnswer(facts: string) {
  return z.object({
    summary: z.string().trim().min(1).max(1200)
      .refine((text) => wordCount(text) < 150, "must be under 150 words")
      .refine((text) => !hasBullets(text) && !text.includes("\n"), "must be one paragraph without bullets")
      .refine((text) => {
        const sentences = sentenceCount(text);
        return sentences >= 2 && sentences <= 3;
      }, "must be 2 to 3 sentences")
      .refine((text) => inventedNumbers(text, facts).length === 0, "must not contain numbers absent from the profile"),
  });
}

export const wizardSummary: AiAction<WizardSummaryInput> = {
  input: wizardSummaryInput,
  async run(context, input) {
    const session = await readWizardSession(context, input.wizardSessionId);
    // Checked before the model call: update_wizard_session would refuse the write anyway.
    if (session.status !== "active") {
      // PT409: what update_wizard_session raises for the same condition (private.error_codes).
      throw new HttpError(
        409,
        "session_not_active",
        `This wizard session is ${session.status}; start a new one.`,
        {},
        "PT409",
      );
    }
    const candidate = candidateFromWizardDraft(session.draft_json);
    const summary = await writeSummary(context, candidate, {
      schemaName: "wizard_summary",
      answer: wizardSummaryAnswer(describeCandidate(candidate)),
      hints: input.promptHints,
      wizardSessionId: session.id,
    });
    // The profile is merged in SQL from its current value, not the one read before the
    // model call, so a step the user saved meanwhile is kept. The patch is a shallow
    // merge, hence the whole profile object.
    const [saved] = await context.asCaller((tx) =>
      tx<{ session: Record<string, unknown> }[]>`
        select to_jsonb(s) as session
          from public.update_wizard_session(
                 id => ${session.id},
                 draft_patch => jsonb_build_object(
                   'profile',
                   coalesce((select w.draft_json -> 'profile' from public.wizard_sessions w
                              where w.id = ${session.id} and jsonb_typeof(w.draft_json -> 'profile') = 'object'),
                            '{}'::jsonb)
                   || jsonb_build_object('summary', ${summary}::text))
               ) s`
    );
    return { summary, session: saved.session };
  },
};

export default defineAction(wizardSummary);
