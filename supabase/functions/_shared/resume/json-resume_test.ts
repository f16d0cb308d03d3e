import assert from "node:assert/strict";
import jsonResumeSchema from "@jsonresume/schema";
import { fromJsonResume, importedProfileOf, jsonResumeInput, toJsonResume } from "./json-resume.ts";
import { publicResume, readResumeDocument } from "./document.ts";
import { polyglotDraft } from "./testdata/resumes.ts";

// The official validator (npm @jsonresume/schema), as the standard's own tools run it.
function officialErrors(document: unknown): string[] {
  let errors: string[] = [];
  jsonResumeSchema.validate(document, (failures: { stack: string }[] | null) => {
    errors = (failures ?? []).map((failure) => failure.stack);
  });
  return errors;
}

const exported = () => toJsonResume(publicResume(readResumeDocument(polyglotDraft)), { version: "3" });

Deno.test("json resume export: valid against the official schema, with what the resume shows", () => {
  const document = exported();
  assert.deepEqual(officialErrors(document), []);
  const basics = document.basics as Record<string, unknown>;
  assert.equal(basics.name, "Zoë Łukasiewicz-Παπαδοπούλου");
  assert.equal(basics.label, "Staff Platform Engineer");
  assert.deepEqual(basics.location, { city: "Thessaloniki, Greece" });
  assert.deepEqual(basics.profiles, [
    { network: "LinkedIn", url: "https://www.linkedin.com/in/zoe-l" },
    { network: "GitHub", url: "https://github.com/zoe-l" },
  ]);
  assert.deepEqual((document.work as unknown[])[0], {
    name: "Ἀκρόπολις Cloud",
    position: "Staff Platform Engineer",
    location: "Thessaloniki",
    startDate: "2021-03",
    highlights: ["Led the move of 40 services to Kubernetes", "Cut deploy time from 30 to 4 minutes"],
  });
  const json = JSON.stringify(document);
  for (const secret of ["11111111-1111", "Principal Engineer", "provenance", "wizard"]) {
    assert.ok(!json.includes(secret), `${secret} is not exported`);
  }
});

Deno.test("json resume export: dates and emails the standard would reject are left out, not exported broken", () => {
  const draft = {
    ...polyglotDraft,
    profile: { ...polyglotDraft.profile, email: "not an email" },
    experience: [{ title: "Engineer", company: "Acme", startDate: "last spring", endDate: "2024-13-45x" }],
  };
  const document = toJsonResume(publicResume(readResumeDocument(draft)));
  assert.deepEqual(officialErrors(document), []);
  assert.deepEqual((document.work as unknown[])[0], { name: "Acme", position: "Engineer" });
  assert.equal((document.basics as Record<string, unknown>).email, undefined);
});

Deno.test("json resume import: deterministic mapping into the profile import's shape", () => {
  const parsed = jsonResumeInput.parse(exported());
  const profile = importedProfileOf(fromJsonResume(parsed));
  assert.deepEqual(profile, importedProfileOf(fromJsonResume(jsonResumeInput.parse(exported()))));
  assert.equal(profile.contact.fullName, "Zoë Łukasiewicz-Παπαδοπούλου");
  assert.equal(profile.contact.headline, "Staff Platform Engineer");
  assert.equal(profile.contact.location, "Thessaloniki, Greece");
  assert.deepEqual(profile.contact.socialLinks, [
    { platform: "LinkedIn", url: "https://www.linkedin.com/in/zoe-l" },
    { platform: "GitHub", url: "https://github.com/zoe-l" },
  ]);
  const { id: _id, ...firstRole } = polyglotDraft.experience[0];
  assert.deepEqual(profile.experience[0], firstRole);
  assert.equal(profile.experience[1].isCurrent, false);
  assert.deepEqual(profile.skills[0], { name: "Go", proficiency: null, category: null });
  assert.deepEqual(profile.languages, [
    { name: "Greek", proficiency: "Native" },
    { name: "Polish", proficiency: "Advanced" },
  ]);
});

Deno.test("json resume import: summary and highlights become the description; unknown levels are left out", () => {
  const profile = importedProfileOf(fromJsonResume(jsonResumeInput.parse({
    basics: { name: "Ada", location: { city: "London", countryCode: "GB" }, url: "https://ada.example" },
    work: [{ name: "Acme", position: "Engineer", startDate: "2020-01", endDate: "2021", summary: "Ran billing.", highlights: ["Shipped v2"] }],
    skills: [{ name: "Go", level: "Wizard" }, { name: "Rust", level: "master" }],
    languages: [{ language: "English", fluency: "Native speaker" }, { language: "French", fluency: "Conversational" }],
  })));
  assert.equal(profile.contact.location, "London, GB");
  assert.deepEqual(profile.contact.socialLinks, [{ platform: "website", url: "https://ada.example/" }]);
  assert.equal(profile.experience[0].description, "Ran billing.\nShipped v2");
  assert.equal(profile.experience[0].isCurrent, false);
  assert.deepEqual(profile.skills.map((s) => s.proficiency), [null, "Expert"]);
  assert.deepEqual(profile.languages.map((l) => l.proficiency), ["Native", null]);
});

Deno.test("json resume import: unknown extra fields are allowed by the standard and ignored", () => {
  const input = {
    ...exported(),
    awards: [{ title: "Best" }],
    "x-reactive-resume": { theme: "onyx" },
    basics: { ...(exported().basics as object), pronouns: "she/her" },
  };
  assert.deepEqual(officialErrors(input), []);
  const profile = importedProfileOf(fromJsonResume(jsonResumeInput.parse(input)));
  const json = JSON.stringify(profile);
  for (const extra of ["Best", "onyx", "she/her"]) assert.ok(!json.includes(extra), `${extra} is not imported`);
});

Deno.test("json resume import: wrong types, bad dates and oversized lists are refused, as the official schema refuses them", () => {
  const wrong = [
    { basics: { name: 42 } },
    { work: { name: "Acme" } },
    { work: [{ name: "Acme", startDate: "March 2020" }] },
    { skills: [{ name: "Go", keywords: "go" }] },
    { basics: { profiles: [{ url: ["https://x.example"] }] } },
  ];
  for (const document of wrong) {
    assert.equal(jsonResumeInput.safeParse(document).success, false, JSON.stringify(document));
    assert.notDeepEqual(officialErrors(document), [], `the official schema also rejects ${JSON.stringify(document)}`);
  }
  const tooMany = { skills: Array.from({ length: 201 }, (_, i) => ({ name: `s${i}` })) };
  assert.equal(jsonResumeInput.safeParse(tooMany).success, false);
});
