import assert from "node:assert/strict";
import {
  displayName,
  documentLimits,
  fromProfileRows,
  fromResumeData,
  publicResume,
  readResumeDocument,
  storedContent,
} from "./document.ts";
import { polyglotDraft } from "./testdata/resumes.ts";

Deno.test("resume document: a wizard draft reads as itself, skills and languages as objects", () => {
  const document = readResumeDocument(polyglotDraft);
  assert.equal(document.profile.fullName, polyglotDraft.profile.fullName);
  assert.equal(document.experience.length, 2);
  assert.deepEqual(document.experience[0], polyglotDraft.experience[0]);
  assert.deepEqual(document.skills[0], { name: "Go", proficiency: "Expert", category: "Technical" });
  assert.equal(document.targetRole, "Principal Engineer");
  assert.deepEqual(document.provenance, { kind: "wizard" });
  assert.deepEqual(readResumeDocument(storedContent(document)), document, "stored content reads back the same");
});

Deno.test("resume document: any stored JSON reads without throwing; wrong types count as missing", () => {
  for (const stored of [null, "text", 42, [], { profile: "x", experience: "y", skills: {} }]) {
    const document = readResumeDocument(stored);
    assert.equal(document.profile.fullName, "");
    assert.deepEqual(document.experience, []);
    assert.deepEqual(document.skills, []);
  }
  const document = readResumeDocument({
    profile: { fullName: ["Ada"], email: 7, socialLinks: [{ platform: "github" }, "x", { url: " https://a.example " }] },
    experience: [null, "job", { title: 5, company: { name: "x" }, isCurrent: "yes", startDate: 2020 }, {}],
    skills: ["  Go ", { name: "" }, { name: "SQL", proficiency: 3 }, 9],
    languages: ["English", { language: "French", proficiency: "Native" }],
    targetRole: { role: "x" },
  });
  assert.equal(document.profile.fullName, "");
  assert.equal(document.profile.email, "7");
  assert.deepEqual(document.profile.socialLinks, [{ platform: "", url: "https://a.example" }]);
  assert.deepEqual(document.experience, [{
    id: undefined,
    title: "5",
    company: "",
    location: "",
    startDate: "2020",
    endDate: null,
    isCurrent: false,
    description: "",
  }]);
  assert.deepEqual(document.skills.map((s) => s.name), ["Go", "SQL"]);
  assert.deepEqual(document.languages, [{ name: "English", proficiency: "" }, { name: "French", proficiency: "Native" }]);
  assert.equal(document.targetRole, "");
});

Deno.test("resume document: text and lists are bounded, so a huge draft costs what a normal one does", () => {
  const document = readResumeDocument({
    profile: { summary: "x".repeat(100_000) },
    skills: Array.from({ length: 10_000 }, (_, i) => `skill ${i}`),
    experience: Array.from({ length: 1000 }, () => ({ title: "t", description: "d".repeat(50_000) })),
  });
  assert.equal(document.profile.summary.length, documentLimits.summary);
  assert.equal(document.skills.length, documentLimits.skills);
  assert.equal(document.experience.length, documentLimits.experience);
  assert.equal(document.experience[0].description.length, documentLimits.description);
});

Deno.test("resume document: builder resume_data maps to the same document shape", () => {
  const document = fromResumeData({
    personalInfo: {
      firstName: "Ada",
      lastName: "Lovelace",
      jobTitle: "Engineer",
      email: "ada@example.test",
      linkedin: "https://linkedin.com/in/ada",
    },
    summary: "Builds engines.",
    workExperience: [{ id: "w1", title: "Engineer", company: "Analytical", startDate: "1840-01", isCurrent: true }],
    skills: [{ id: "s1", name: "Mathematics", category: "Technical" }],
    languages: [{ name: "English", proficiency: "Native" }],
  });
  assert.equal(displayName(document), "Ada Lovelace");
  assert.equal(document.profile.headline, "Engineer");
  assert.equal(document.targetRole, "Engineer");
  assert.equal(document.profile.summary, "Builds engines.");
  assert.deepEqual(document.profile.socialLinks, [{ platform: "linkedin", url: "https://linkedin.com/in/ada" }]);
  assert.equal(document.experience[0].company, "Analytical");
  assert.deepEqual(document.skills, [{ name: "Mathematics", proficiency: "", category: "Technical" }]);
});

Deno.test("resume document: profile table rows map to the same document shape", () => {
  const document = fromProfileRows({
    profile: { full_name: "Ada Lovelace", job_title: "Engineer", professional_summary: "Builds engines." },
    skills: [{ name: "Go", proficiency: "expert", category: "Technical" }],
    experience: [{ id: "x", title: "Engineer", company: "Acme", start_date: "2020-03-01", end_date: "2021-01-01", is_current: true }],
    education: [{ school: "MIT", degree: "BSc", start_date: "2010-09-01" }],
    languages: [{ language: "English", proficiency: "native" }],
  });
  assert.equal(document.profile.fullName, "Ada Lovelace");
  assert.deepEqual(
    [document.experience[0].startDate, document.experience[0].endDate, document.experience[0].isCurrent],
    ["2020-03", null, true],
  );
  assert.equal(document.education[0].startDate, "2010-09");
  assert.deepEqual(document.languages, [{ name: "English", proficiency: "native" }]);
});

Deno.test("public view: only what the resume shows (no ids, provenance, target role), links labelled, only http(s)", () => {
  const view = publicResume(readResumeDocument({
    ...polyglotDraft,
    profile: {
      ...polyglotDraft.profile,
      socialLinks: [...polyglotDraft.profile.socialLinks, { platform: "x", url: "javascript:alert(1)" }],
    },
  }));
  const json = JSON.stringify(view);
  for (const hidden of ["11111111", "33333333", "Principal Engineer", "provenance", "wizard", "javascript:", "firstName"]) {
    assert.ok(!json.includes(hidden), `${hidden} is not in the public view`);
  }
  assert.deepEqual(view.profile.links, [
    { label: "LinkedIn", url: "https://www.linkedin.com/in/zoe-l" },
    { label: "GitHub", url: "https://github.com/zoe-l" },
  ]);
  assert.deepEqual(view.experience[0].highlights, [
    "Led the move of 40 services to Kubernetes",
    "Cut deploy time from 30 to 4 minutes",
  ]);
});

// The model is the one reader of stored resume JSON: no other function module keeps a
// coercer of its own (the helpers four modules used to copy: record/asDict/list/text...).
Deno.test("no module but the resume model carries its own coercers for resume JSON", async () => {
  const offenders: string[] = [];
  const walk = async (dir: URL) => {
    for await (const entry of Deno.readDir(dir)) {
      const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
      if (entry.isDirectory) await walk(url);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts") && entry.name !== "document.ts") {
        const source = await Deno.readTextFile(url);
        if (/function (record|asDict|asList|list|text|str|skillName|experienceId)\(value: unknown/.test(source)) {
          offenders.push(url.pathname.replace(/.*supabase\/functions\//, ""));
        }
        if (/\.(content_json|draft_json)\s*(as|\?\.|\.)/.test(source)) offenders.push(`${entry.name}: reads stored JSON directly`);
      }
    }
  };
  await walk(new URL("../../", import.meta.url));
  assert.deepEqual(offenders, []);
});
