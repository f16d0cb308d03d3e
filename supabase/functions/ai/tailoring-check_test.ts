import assert from "node:assert/strict";
import { acmeRole, hooliRole } from "./fixtures.ts";
import { checkTailoring, type TailoredAnswer, type TailoringSource, tailoringSource } from "./tailoring-check.ts";

const content = {
  profile: { fullName: "Ada Lovelace", summary: "I build backend systems in Go and PostgreSQL." },
  targetRole: "Staff Engineer",
  experience: [
    {
      ...acmeRole,
      isCurrent: true,
      description: "Built the shipment tracking API\nCut report time from 40 minutes to 5 minutes",
    },
    { ...hooliRole, description: "Maintained billing jobs" },
  ],
  education: [{ id: "edu-1", school: "University of London", degree: "BSc", field: "Mathematics" }],
  skills: ["Go", { name: "PostgreSQL", category: "Technical" }, "Mentoring"],
};
const source = tailoringSource(content);

function faithful(): TailoredAnswer {
  return {
    summary:
      "I build backend systems in Go and PostgreSQL for Acme Logistics. I want to grow into a Staff Engineer role.",
    experience: [
      { ...acmeRole, description: "Cut report time from 40 minutes to 5 minutes\nBuilt the shipment tracking API in Go" },
      { ...hooliRole, description: "Maintained the billing jobs." },
    ],
    skills: ["PostgreSQL", "Go", "Mentoring"],
  };
}

const check = (answer: TailoredAnswer) => checkTailoring(source, answer, { allowedText: "Senior Platform Engineer" });

Deno.test("tailoring check: a faithful rewrite with reordered skills passes", () => {
  assert.deepEqual(check(faithful()), []);
});

Deno.test("tailoring check: reading the source finds ids, dates and skill names of either shape", () => {
  assert.deepEqual(source.skills, ["Go", "PostgreSQL", "Mentoring"]);
  assert.deepEqual(source.experience.map((e) => [e.id, e.startDate, e.endDate]), [
    ["e1", "2021-03", null],
    ["e2", "2018-06", "2021-02"],
  ]);
  const noIds = tailoringSource({ experience: [{ title: "A", company: "B" }] });
  assert.equal(noIds.experience[0].id, "#1");
});

Deno.test("tailoring check: an invented employer is rejected, in the entry and in the text", () => {
  const moved = faithful();
  moved.experience[1].company = "Google";
  assert.deepEqual(check(moved), ["experience.1.company: employer was changed"]);

  const bragging = faithful();
  bragging.summary = "I build backend systems in Go and PostgreSQL, most recently at Globex. I want a Staff role.";
  const problems = check(bragging);
  assert.equal(problems.length, 1);
  assert.match(problems[0], /^summary: names an employer/);
});

Deno.test("tailoring check: an invented metric is rejected ('increased revenue 40%' when 40 is absent)", () => {
  const answer = faithful();
  answer.experience[1].description = "Maintained billing jobs and increased revenue 35%";
  assert.deepEqual(check(answer), [
    "experience.1.description: contains a number or metric absent from the source resume",
  ]);
  const metricFromElsewhere = faithful();
  // 40 appears in the source (another entry): numbers count when present anywhere in it.
  metricFromElsewhere.experience[1].description = "Maintained billing jobs, 40 of them";
  assert.deepEqual(check(metricFromElsewhere), []);
  const inWords = faithful();
  inWords.summary = "I doubled throughput of backend systems in Go. I want a Staff Engineer role.";
  assert.match(check(inWords).join("\n"), /summary: contains a number or metric/);
});

Deno.test("tailoring check: 'increased revenue 40%' is rejected when the source has no 40", () => {
  const noForty = tailoringSource({ ...content, experience: [{ ...content.experience[1] }] });
  const answer: TailoredAnswer = {
    summary: "I build backend systems in Go and PostgreSQL. I want a Staff Engineer role.",
    experience: [{ ...faithful().experience[1], description: "Maintained billing jobs and increased revenue 40%" }],
    skills: ["Go", "PostgreSQL", "Mentoring"],
  };
  assert.deepEqual(checkTailoring(noForty, answer), [
    "experience.0.description: contains a number or metric absent from the source resume",
  ]);
});

Deno.test("tailoring check: changed titles and dates are rejected", () => {
  const answer = faithful();
  answer.experience[0].title = "Senior Backend Engineer";
  answer.experience[1].startDate = "2017-01";
  answer.experience[1].endDate = null;
  assert.deepEqual(check(answer), [
    "experience.0.title: job title was changed",
    "experience.1.startDate: date was changed",
    "experience.1.endDate: date was changed",
  ]);
});

Deno.test("tailoring check: invented degrees and schools are rejected", () => {
  const degree = faithful();
  degree.summary = "I hold a master's degree and build backend systems in Go. I want a Staff Engineer role.";
  assert.match(check(degree).join("\n"), /summary: names a degree/);
  const school = faithful();
  school.summary = "I studied at Stanford and build backend systems in Go. I want a Staff Engineer role.";
  assert.match(check(school).join("\n"), /summary: names an employer, school/);
  const known = faithful();
  known.summary = "I studied Mathematics at the University of London (BSc). I build backend systems in Go.";
  assert.deepEqual(check(known), []);
});

Deno.test("tailoring check: adding, dropping or doubling a skill is rejected; case and spacing are not changes", () => {
  const added = faithful();
  added.skills = ["Kubernetes", "PostgreSQL", "Go", "Mentoring"];
  assert.deepEqual(check(added), ["skills: a skill was added or doubled (only reorder the source skills)"]);
  const dropped = faithful();
  dropped.skills = ["PostgreSQL", "Go"];
  assert.deepEqual(check(dropped), ["skills: a skill of the source resume was left out"]);
  const doubled = faithful();
  doubled.skills = ["Go", "Go", "PostgreSQL"];
  assert.match(check(doubled).join("\n"), /added or doubled/);
  const spelled = faithful();
  spelled.skills = ["postgresql", " go ", "Mentoring"];
  assert.deepEqual(check(spelled), []);
});

Deno.test("tailoring check: experience entries must keep their identity and count", () => {
  const removed = faithful();
  removed.experience.pop();
  assert.deepEqual(check(removed), ["experience: entries were added or removed (keep every entry, and only those)"]);
  const renamed = faithful();
  renamed.experience[0].id = "exp-9";
  assert.deepEqual(check(renamed), ["experience.0.id: not an entry of the source resume"]);
  const twice = faithful();
  twice.experience[1] = { ...twice.experience[0] };
  assert.match(check(twice).join("\n"), /experience\.1\.id: appears twice/);
});

Deno.test("tailoring check: a technology taken from the posting is an invention", () => {
  const answer = faithful();
  answer.experience[0].description = "Built the shipment tracking API on Kubernetes";
  assert.match(check(answer).join("\n"), /experience\.0\.description: names an employer, school, title, technology/);
});

Deno.test("tailoring check: sentence and bullet starts are grammar, the target job's title is allowed", () => {
  const answer = faithful();
  answer.experience[0].description = "Led the shipment tracking API\n- Shipped reports: Faster than before";
  answer.summary = "Backend engineer building systems in Go. I am aiming at a Senior Platform Engineer role.";
  assert.deepEqual(check(answer), []);
  // Words of the target title are allowed, its numbers are not.
  const numbered = faithful();
  numbered.summary = "I build systems in Go. I want a Platform Engineer 7 role.";
  assert.match(check(numbered).join("\n"), /number/);
});

// The shapes that made the check quadratic (a 217 KB resume took 19 s): a long text of
// many short words, thousands of experience entries and skills. The answers are checked
// as for a small resume.
Deno.test("tailoring check: a resume of hundreds of kilobytes and thousands of entries is checked alike", () => {
  const words = "Shipped the Go service for Acme Logistics. ".repeat(6000);
  const experience = Array.from({ length: 3000 }, (_, i) => ({
    id: `exp-${i}`,
    title: "Engineer",
    company: "Acme Logistics",
    startDate: "2020-01",
    endDate: null,
    description: i === 0 ? words : "Maintained billing jobs",
  }));
  const skills = Array.from({ length: 3000 }, (_, i) => `Skill${i}`);
  // Built directly: tailoringSource reads through the resume model, which bounds a
  // document (50 entries, 200 skills, 5,000-character summary) before the check sees it;
  // the check itself must stay linear beyond those bounds.
  const big: TailoringSource = {
    summary: words,
    experience: experience.map(({ id, title, company, startDate, endDate, description }) => ({
      id,
      title,
      company,
      startDate,
      endDate,
      description,
    })),
    skills,
    text: [words, ...experience.flatMap((e) => [e.id, e.title, e.company, e.startDate, e.description]), ...skills]
      .join("\n"),
  };
  const answer: TailoredAnswer = {
    summary: words,
    experience: experience.map((entry) => ({ ...entry })).reverse(),
    skills: [...skills].reverse(),
  };
  assert.deepEqual(checkTailoring(big, answer), []);
  answer.skills[0] = "Kubernetes";
  answer.summary += " Now at Initech.";
  assert.deepEqual(checkTailoring(big, answer), [
    "skills: a skill was added or doubled (only reorder the source skills)",
    "skills: a skill of the source resume was left out",
    "summary: names an employer, school, title, technology or other name absent from the source resume",
  ]);
});
