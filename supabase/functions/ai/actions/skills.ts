// POST /ai/skills: the skills named in a resume text or a job posting.
import { z } from "zod";
import { type AiAction, defineAction } from "../action.ts";
import { buildSkillsPrompt } from "../prompts/skills.ts";

export const skillsInput = z.object({
  description: z.string().trim().min(20, "Describe it in at least 20 characters.").max(20_000),
  context: z.enum(["resume", "job"]).default("resume"),
});

export type SkillsInput = z.infer<typeof skillsInput>;

export const skillsAnswer = z.object({
  skills: z.array(z.string().trim().min(1).max(80)).max(40),
});

// Case-insensitive duplicates are dropped, keeping the model's order and first spelling.
export function distinctSkills(skills: string[]): string[] {
  const seen = new Set<string>();
  return skills.filter((skill) => {
    const key = skill.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export const skills: AiAction<SkillsInput> = {
  input: skillsInput,
  async run(context, input) {
    const { system, user } = buildSkillsPrompt(input.description, input.context);
    const answer = await context.generate({ schemaName: "skills", system, user, answer: skillsAnswer, maxTokens: 600 });
    return { skills: distinctSkills(answer.skills) };
  },
};

export default defineAction(skills);
