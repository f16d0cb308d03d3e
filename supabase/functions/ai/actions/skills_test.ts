import assert from "node:assert/strict";
import { harness, reply } from "../test-doubles.ts";
import { distinctSkills, skillsAnswer, skillsInput } from "./skills.ts";

const posting = "We need TypeScript, PostgreSQL and a calm head for on-call.";

Deno.test("skills: the posting is fenced as data and the context changes the instructions", async () => {
  const h = harness({ script: [reply({ skills: ["TypeScript"] }), reply({ skills: ["TypeScript"] })] });
  await h.call("skills", { description: posting, context: "job" });
  await h.call("skills", { description: posting, context: "resume" });
  const [job, resume] = h.requests;
  assert.match(job.messages[0].content, /from a job posting/);
  assert.match(job.messages[1].content, new RegExp(`<<<DATA-[0-9a-f]+ job posting>>>\\n${posting}`));
  assert.match(resume.messages[0].content, /candidate's resume/);
  assert.match(job.messages[0].content, /never add skills that are not there/);
});

Deno.test("skills: duplicates differing in case are dropped, order kept", async () => {
  const h = harness({ script: [reply({ skills: ["SQL", "Go", "sql", "GO", "Rust"] })] });
  const res = await h.call("skills", { description: posting, context: "job" });
  assert.deepEqual(res.body, { skills: ["SQL", "Go", "Rust"] });
  assert.deepEqual(distinctSkills([]), []);
});

Deno.test("skills: input needs 20 characters and a known context", () => {
  assert.equal(skillsInput.safeParse({ description: "short", context: "job" }).success, false);
  assert.equal(skillsInput.safeParse({ description: posting, context: "cv" }).success, false);
  assert.equal(skillsInput.parse({ description: posting }).context, "resume");
});

Deno.test("skills: more than 40 skills or blank names are invalid answers", () => {
  assert.equal(skillsAnswer.safeParse({ skills: Array.from({ length: 41 }, (_, i) => `s${i}`) }).success, false);
  assert.equal(skillsAnswer.safeParse({ skills: [" "] }).success, false);
  assert.equal(skillsAnswer.safeParse({ skills: "SQL" }).success, false);
});
