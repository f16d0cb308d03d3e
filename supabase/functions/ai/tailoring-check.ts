// The deterministic faithfulness check for a tailored resume. A model asked to tailor
// a resume to a job is tempted to make the candidate fit: a new employer, a better
// title, a metric, a degree, the posting's technologies. This module compares the
// source version with the model's rewrite and names every such change, so the answer
// is rejected before anything is saved. It is pure (no I/O) so it can be tested alone.
//
// What is checked:
// - experience: same count and same ids; title, company, startDate and endDate unchanged;
// - skills: exactly the same set (reordering only, nothing added, removed or doubled);
// - the rewritten summary and descriptions: every number, number word, degree word and
//   name-like word (capitalised mid-sentence, or with inner capitals like "PostgreSQL")
//   must occur somewhere in the source (or, for words, in the target job's title).
// Problems name the place and the rule, never the offending text: they are stored in
// ai_events and shown to the model in the repair turn.

import { experienceKey, readResumeDocument, skillNames } from "../_shared/resume-document.ts";

export interface TailoringExperience {
  id: string;
  title: string;
  company: string;
  startDate: string | null;
  endDate: string | null;
  description: string;
}

export interface TailoringSource {
  summary: string;
  experience: TailoringExperience[];
  skills: string[];
  // Every string and number in the source content, for the "present in the source" rules.
  text: string;
}

export interface TailoredAnswer {
  summary: string;
  experience: TailoringExperience[];
  skills: string[];
}

function leaves(value: unknown, out: string[]): string[] {
  if (typeof value === "string" || typeof value === "number") out.push(String(value));
  else if (Array.isArray(value)) value.forEach((item) => leaves(item, out));
  else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) if (key !== "provenance") leaves(item, out);
  }
  return out;
}

// A version's content_json as the check sees it, read through the resume model.
export function tailoringSource(content: unknown): TailoringSource {
  const document = readResumeDocument(content);
  return {
    summary: document.profile.summary,
    experience: document.experience.map((entry, index) => ({
      id: experienceKey(entry, index),
      title: entry.title,
      company: entry.company,
      startDate: entry.startDate,
      endDate: entry.endDate,
      description: entry.description,
    })),
    skills: skillNames(document),
    text: leaves(document, []).join("\n"),
  };
}

const same = (a: string | null, b: string | null) =>
  (a ?? "").replace(/\s+/g, " ").trim().toLowerCase() === (b ?? "").replace(/\s+/g, " ").trim().toLowerCase();

// "1,200" and "1200", "03" and "3" are the same number.
function numbersIn(text: string): Set<string> {
  return new Set(
    (text.match(/\d+(?:[.,]\d+)*/g) ?? []).map((n) => n.replaceAll(",", "").replace(/^0+(?=\d)/, "")),
  );
}

const numberWords = new Set([
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
  "twenty",
  "thirty",
  "forty",
  "fifty",
  "sixty",
  "seventy",
  "eighty",
  "ninety",
  "hundred",
  "hundreds",
  "thousand",
  "thousands",
  "million",
  "millions",
  "billion",
  "billions",
  "dozen",
  "dozens",
  "doubled",
  "tripled",
  "quadrupled",
  "tenfold",
  "percent",
]);

const degreeWords = new Set([
  "bachelor",
  "bachelors",
  "master",
  "masters",
  "mba",
  "phd",
  "ph.d",
  "doctorate",
  "doctoral",
  "degree",
  "diploma",
  "bsc",
  "msc",
  "b.sc",
  "m.sc",
  "b.s",
  "m.s",
  "b.a",
  "m.a",
  "beng",
  "meng",
  "llb",
]);

// Capitalised words that are not names: months (dates are checked through their years).
const notNames = new Set([
  "i",
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
  "jan",
  "feb",
  "mar",
  "apr",
  "jun",
  "jul",
  "aug",
  "sep",
  "sept",
  "oct",
  "nov",
  "dec",
]);

interface Token {
  word: string;
  lower: string;
  sentenceStart: boolean;
}

// Words with their position: a capital after a sentence end, a colon, a line break or a
// bullet marker is grammar, not a name.
function tokens(text: string): Token[] {
  const out: Token[] = [];
  for (const match of text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}+#.&]*/gu)) {
    const word = match[0].replace(/\.+$/, "");
    if (!word) continue;
    const before = text.slice(0, match.index);
    const gap = /[\s\-*•▪◦"“'‘(\[]*$/.exec(before)!;
    const rest = before.slice(0, gap.index);
    const sentenceStart = rest === "" || gap[0].includes("\n") || /[.!?:;]$/.test(rest);
    out.push({ word, lower: word.toLowerCase(), sentenceStart });
  }
  return out;
}

function wordSet(text: string): Set<string> {
  return new Set(tokens(text).map((token) => token.lower));
}

function isNameLike(token: Token): boolean {
  if (notNames.has(token.lower) || !/\p{L}/u.test(token.word)) return false;
  const innerCapital = /\p{Lu}/u.test(token.word.slice(1));
  const leadingCapital = /^\p{Lu}/u.test(token.word);
  return innerCapital || (leadingCapital && !token.sentenceStart);
}

// Problems in one rewritten text, measured against everything the source says.
export function inventedFacts(
  text: string,
  source: { numbers: Set<string>; words: Set<string>; allowedWords: Set<string> },
): string[] {
  const problems = new Set<string>();
  for (const number of numbersIn(text)) {
    if (!source.numbers.has(number)) problems.add("contains a number or metric absent from the source resume");
  }
  for (const token of tokens(text)) {
    const known = source.words.has(token.lower) || source.allowedWords.has(token.lower);
    if (known) continue;
    if (numberWords.has(token.lower)) problems.add("contains a number or metric absent from the source resume");
    else if (degreeWords.has(token.lower)) problems.add("names a degree absent from the source resume");
    else if (isNameLike(token)) {
      problems.add("names an employer, school, title, technology or other name absent from the source resume");
    }
  }
  return [...problems];
}

export interface CheckOptions {
  // Words the rewrite may use although the source lacks them: the target job's title,
  // so a summary can say which role it aims at. Never the job's company or posting.
  allowedText?: string;
}

export function checkTailoring(source: TailoringSource, answer: TailoredAnswer, options: CheckOptions = {}): string[] {
  const problems: string[] = [];

  if (answer.experience.length !== source.experience.length) {
    problems.push("experience: entries were added or removed (keep every entry, and only those)");
  }
  const seen = new Set<string>();
  answer.experience.forEach((entry, index) => {
    if (seen.has(entry.id)) problems.push(`experience.${index}.id: appears twice`);
    seen.add(entry.id);
    const original = source.experience.find((item) => item.id === entry.id);
    if (!original) {
      problems.push(`experience.${index}.id: not an entry of the source resume`);
      return;
    }
    if (!same(entry.company, original.company)) problems.push(`experience.${index}.company: employer was changed`);
    if (!same(entry.title, original.title)) problems.push(`experience.${index}.title: job title was changed`);
    if (!same(entry.startDate, original.startDate)) problems.push(`experience.${index}.startDate: date was changed`);
    if (!same(entry.endDate, original.endDate)) problems.push(`experience.${index}.endDate: date was changed`);
  });

  const key = (skill: string) => skill.replace(/\s+/g, " ").trim().toLowerCase();
  const remaining = source.skills.map(key);
  let added = false;
  for (const skill of answer.skills) {
    const at = remaining.indexOf(key(skill));
    if (at === -1) added = true;
    else remaining.splice(at, 1);
  }
  if (added) problems.push("skills: a skill was added or doubled (only reorder the source skills)");
  if (remaining.length) problems.push("skills: a skill of the source resume was left out");

  const known = {
    numbers: numbersIn(source.text),
    words: wordSet(source.text),
    allowedWords: wordSet(options.allowedText ?? ""),
  };
  for (const problem of inventedFacts(answer.summary, known)) problems.push(`summary: ${problem}`);
  answer.experience.forEach((entry, index) => {
    for (const problem of inventedFacts(entry.description, known)) {
      problems.push(`experience.${index}.description: ${problem}`);
    }
  });
  return problems;
}
