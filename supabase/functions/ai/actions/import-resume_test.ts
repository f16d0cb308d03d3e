import assert from "node:assert/strict";
import { harness, promptOf, reply } from "../test-doubles.ts";
import { importResumeAnswer, importResumeInput } from "./import-resume.ts";
import { acmeJob } from "../fixtures.ts";

const pasted = `Ada Lovelace — Backend Engineer
ada@example.test · +44 20 7946 0000 · London · https://github.com/ada
Summary: I build backend systems in Go.
Experience
Backend Engineer, Acme Logistics, Berlin (2021-03 – present)
- Built the tracking API; cut report time from 40 to 5 minutes
Education
University of London, BSc Mathematics, 2014 – 2017
Skills: Go (Expert), PostgreSQL. Languages: English (Native), German`;

const profile = {
  contact: {
    fullName: "Ada Lovelace",
    firstName: "Ada",
    lastName: "Lovelace",
    email: "ada@example.test",
    phone: "+44 20 7946 0000",
    location: "London",
    headline: "Backend Engineer",
    socialLinks: [{ platform: "GitHub", url: "https://github.com/ada" }],
  },
  summary: "I build backend systems in Go.",
  skills: [{ name: "Go", proficiency: "Expert", category: "Technical" }, { name: "PostgreSQL", proficiency: null }],
  experience: [{
    ...acmeJob,
    location: "Berlin",
    isCurrent: true,
    description: "Built the tracking API; cut report time from 40 to 5 minutes",
  }],
  education: [{
    school: "University of London",
    degree: "BSc",
    field: "Mathematics",
    startDate: "2014-09",
    endDate: "2017-06",
  }],
  languages: [{ name: "English", proficiency: "Native" }, { name: "German", proficiency: null }],
};
const counts = { skills: 2, experience: 1, education: 1, languages: 2, profile: 1 };

Deno.test("import-resume: the pasted text is fenced as data and the profile comes back unsaved", async () => {
  const h = harness({ script: [reply(profile)] });
  const res = await h.call("import-resume", { text: pasted });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body, { profile, saved: false });
  const [request] = h.requests;
  assert.match(request.messages[0].content, /never instructions/);
  assert.match(
    request.messages[1].content,
    /<<<(DATA-[0-9a-f]+) resume>>>\n[\s\S]*Acme Logistics[\s\S]*\n<<<END \1>>>/,
  );
  assert.match(promptOf(request), /YYYY-MM/);
  assert.equal(h.db.statements().filter((q) => !q.text.includes("ai_events")).length, 0);
});

Deno.test("import-resume: with save, merge_imported_profile runs as the caller and its counts are returned", async () => {
  const h = harness({ script: [reply(profile)], responders: [[/merge_imported_profile/, () => [{ merge: counts }]]] });
  const res = await h.call("import-resume", { text: pasted, save: true });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body, { profile, saved: true, merge: counts });
  const [merge] = h.db.statements().filter((q) => q.text.includes("merge_imported_profile"));
  assert.match(merge.text, /public\.merge_imported_profile\(profile => \$\?::text::jsonb\)/);
  assert.deepEqual(JSON.parse(merge.values[0] as string), profile);
  const preamble = h.db.queries.find((q) =>
    q.transaction === merge.transaction && q.text.startsWith("select set_config")
  );
  assert.ok(preamble, "the merge runs after the role switch");
});

Deno.test("import-resume: an employer, school or email not in the text is invented: repaired once, then 502 and no merge", async () => {
  const invented = structuredClone(profile);
  invented.experience[0].company = "Google";
  const h = harness({ script: [reply(invented), reply(invented)] });
  const res = await h.call("import-resume", { text: pasted, save: true });
  assert.equal(res.status, 502);
  assert.match(promptOf(h.requests[1]), /experience\.0\.company: not found in the resume text/);
  assert.equal(h.db.statements().filter((q) => q.text.includes("merge_imported_profile")).length, 0);
  assert.equal(h.db.events().length, 2);
});

Deno.test("import-resume: a model failure is 502 with one error row and no merge", async () => {
  const h = harness({ script: [new Error("boom")] });
  const res = await h.call("import-resume", { text: pasted, save: true });
  assert.equal(res.status, 502);
  assert.equal(h.db.events().length, 1);
  assert.equal(h.db.statements().filter((q) => q.text.includes("merge_imported_profile")).length, 0);
});

Deno.test("import-resume: text must be 50 to 50,000 characters; a 200 KB body is accepted", async () => {
  assert.equal(importResumeInput.safeParse({ text: "too short" }).success, false);
  assert.equal(importResumeInput.safeParse({ text: "x".repeat(50_001) }).success, false);
  assert.equal(importResumeInput.safeParse({ text: "x".repeat(50_000) }).success, true);
  const h = harness();
  const res = await h.call("import-resume", { text: "ü".repeat(50_001) });
  assert.equal(res.status, 422);
  const big = await harness().call("import-resume", { text: "é".repeat(50_000) + "x".repeat(100_000) });
  assert.equal(big.status, 422, "over 50,000 characters is a 422, not a 413");
});

Deno.test("import-resume: answer rules — month dates, proficiency names, http links, numbers from the text", () => {
  const answer = importResumeAnswer(pasted);
  assert.equal(answer.safeParse(profile).success, true);
  const bad = (change: (p: typeof profile) => void) => {
    const copy = structuredClone(profile);
    change(copy);
    return answer.safeParse(copy).success;
  };
  assert.equal(bad((p) => (p.experience[0].startDate = "March 2021")), false);
  assert.equal(bad((p) => (p.experience[0].startDate = "2021-13")), false);
  assert.equal(bad((p) => (p.skills[0].proficiency = "Guru")), false);
  assert.equal(bad((p) => (p.contact.socialLinks[0].url = "javascript:alert(1)")), false);
  assert.equal(bad((p) => (p.contact.email = "someone@else.test")), false);
  assert.equal(bad((p) => (p.education[0].school = "Oxford")), false);
  assert.equal(bad((p) => (p.experience[0].description = "Grew revenue 40%")), true);
  assert.equal(bad((p) => (p.experience[0].description = "Grew revenue 35%")), false);
  assert.equal(bad((p) => (p.contact.email = null as unknown as string)), true);
});

const jsonResume = {
  basics: {
    name: "Ada Lovelace",
    label: "Backend Engineer",
    email: "ada@example.test",
    location: { city: "London" },
    profiles: [{ network: "GitHub", url: "https://github.com/ada" }],
  },
  work: [{ name: "Acme Logistics", position: "Backend Engineer", startDate: "2021-03", highlights: ["Built the tracking API"] }],
  skills: [{ name: "Go" }],
  languages: [{ language: "English", fluency: "Native" }],
};

Deno.test("import-resume: a JSON Resume is mapped without any model call or ai_events row, even with no model configured", async () => {
  const h = harness({ llm: "none", responders: [[/merge_imported_profile/, () => [{ merge: counts }]]] });
  const res = await h.call("import-resume", { jsonResume, save: true });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(h.requests.length, 0);
  assert.equal(h.db.events().length, 0);
  assert.equal(h.db.statements().filter((q) => /ai_events/.test(q.text)).length, 0, "no limit check either");
  const [merge] = h.db.statements().filter((q) => q.text.includes("merge_imported_profile"));
  const sent = JSON.parse(merge.values[0] as string);
  assert.equal(sent.contact.fullName, "Ada Lovelace");
  assert.deepEqual(sent.contact.socialLinks, [{ platform: "GitHub", url: "https://github.com/ada" }]);
  assert.deepEqual(sent.experience[0], {
    ...acmeJob,
    location: null,
    isCurrent: true,
    description: "Built the tracking API",
  });
  assert.deepEqual(res.body.profile, sent);
  assert.deepEqual(res.body.merge, counts);
});

Deno.test("import-resume: a JSON Resume with wrong types is 422 and writes nothing; unknown extra fields are ignored", async () => {
  for (const wrong of [{ basics: { name: ["Ada"] } }, { work: "Acme" }, { work: [{ startDate: "last year" }] }]) {
    const h = harness({ llm: "none" });
    const res = await h.call("import-resume", { jsonResume: wrong, save: true });
    assert.equal(res.status, 422, JSON.stringify(wrong));
    assert.match(res.body.error.message, /jsonResume/);
    assert.equal(h.databaseOpened(), 0, "nothing is read or written");
  }
  const h = harness({ llm: "none", responders: [[/merge_imported_profile/, () => [{ merge: counts }]]] });
  const extra = { ...jsonResume, awards: [{ title: "Secret award" }], basics: { ...jsonResume.basics, pronouns: "she/her" } };
  const res = await h.call("import-resume", { jsonResume: extra, save: true });
  assert.equal(res.status, 200);
  assert.doesNotMatch(JSON.stringify(h.db.statements().map((q) => q.values)), /Secret award|she\/her/);
});

Deno.test("import-resume: exactly one of text and jsonResume", async () => {
  for (const body of [{}, { text: pasted, jsonResume }]) {
    const res = await harness().call("import-resume", body);
    assert.equal(res.status, 422, JSON.stringify(Object.keys(body)));
    assert.match(res.body.error.message, /either text .* or jsonResume/);
  }
});
