// POST /ai/work-description: polishes what a user wrote about one job into 2–3 sentences.
import { z } from "zod";
import { type AiAction, defineAction } from "../action.ts";
import { buildWorkDescriptionPrompt, type WorkDescriptionFacts } from "../prompts/work-description.ts";
import { hasBullets, inventedNumbers } from "./text-rules.ts";

// The app sends empty strings or null for blank optional fields.
const optionalText = (max: number) => z.string().trim().max(max).nullish().transform((value) => value || undefined);

export const workDescriptionInput = z.object({
  job_title: z.string().trim().min(1).max(200),
  company: z.string().trim().min(1).max(200),
  what_did_you_do: z.string().trim().min(1).max(4000),
  problems_solved: optionalText(2000),
  achievements: optionalText(2000),
  technologies_used: z.union([z.string(), z.array(z.string().max(100)).max(50)]).nullish()
    .transform((value) => (Array.isArray(value) ? value.join(", ") : value)?.trim() || undefined)
    .pipe(z.string().max(2000).optional()),
  impact_results: optionalText(2000),
});

export type WorkDescriptionInput = z.infer<typeof workDescriptionInput>;

export function workDescriptionAnswer(facts: WorkDescriptionFacts) {
  const source = Object.values(facts).filter(Boolean).join("\n");
  return z.object({
    description: z.string().trim().min(1).max(1200)
      .refine((text) => !hasBullets(text) && !text.includes("\n"), "must be one paragraph without bullets")
      .refine((text) => inventedNumbers(text, source).length === 0, "must not contain numbers absent from the facts"),
  });
}

export const workDescription: AiAction<WorkDescriptionInput> = {
  input: workDescriptionInput,
  async run(context, input) {
    const { system, user } = buildWorkDescriptionPrompt(input);
    const answer = await context.generate({
      schemaName: "work_description",
      system,
      user,
      answer: workDescriptionAnswer(input),
      maxTokens: 400,
    });
    return { description: answer.description };
  },
};

export default defineAction(workDescription);
