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

import { experienceKey, readResumeDocument, skillNames } from "../_shared/resume/document.ts";

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

// Every string and number in a JSON value, depth first. A stack instead of recursion, so
// deeply nested stored content cannot overflow the call stack.
function leaves(root: unknown): string[] {
  const out: string[] = [];
  const pending: unknown[] = [root];
  while (pending.length) {
    const value = pending.pop();
    if (typeof value === "string" || typeof value === "number") out.push(String(value));
    else if (Array.isArray(value)) { for (let i = value.length - 1; i >= 0; i--) pending.push(value[i]); }
    else if (value && typeof value === "object") {
      const entries = Object.entries(value).filter(([key]) => key !== "provenance");
      for (let i = entries.length - 1; i >= 0; i--) pending.push(entries[i][1]);
    }
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
    text: leaves(document).join("\n"),
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

const wordPattern = /[\p{L}\p{N}][\p{L}\p{N}+#.&]*/gu;
// Characters that may stand between a sentence end and the next word: spaces, bullet
// markers, opening quotes and brackets.
const gapCharacter = /[\s\-*•▪◦"“'‘(\[]/u;
const sentenceEnd = /[.!?:;]/;

// Words with their position: a capital after a sentence end, a colon, a line break or a
// bullet marker is grammar, not a name. Each word looks back only over the gap before
// it, which no other word's look-back crosses, so the whole text is read in linear time
// (slicing the text before every word, as this once did, was quadratic: 19 s for 217 KB).
function tokens(text: string): Token[] {
  const out: Token[] = [];
  for (const match of text.matchAll(wordPattern)) {
    const word = match[0].replace(/\.+$/, "");
    if (!word) continue;
    let start = match.index;
    let lineBreak = false;
    while (start > 0 && gapCharacter.test(text[start - 1])) {
      start--;
      if (text[start] === "\n") lineBreak = true;
    }
    const sentenceStart = start === 0 || lineBreak || sentenceEnd.test(text[start - 1]);
    out.push({ word, lower: word.toLowerCase(), sentenceStart });
  }
  return out;
}

function wordSet(text: string): Set<string> {
  const words = new Set<string>();
  for (const match of text.matchAll(wordPattern)) {
    const word = match[0].replace(/\.+$/, "");
    if (word) words.add(word.toLowerCase());
  }
  return words;
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

// The source's numbers and words, read once per source: the repair turn checks a second
// answer against the same source.
const knownFactsOf = new WeakMap<TailoringSource, { numbers: Set<string>; words: Set<string> }>();
function knownFacts(source: TailoringSource) {
  let facts = knownFactsOf.get(source);
  if (!facts) {
    facts = { numbers: numbersIn(source.text), words: wordSet(source.text) };
    knownFactsOf.set(source, facts);
  }
  return facts;
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
  const sourceById = new Map<string, TailoringExperience>();
  for (const item of source.experience) if (!sourceById.has(item.id)) sourceById.set(item.id, item);
  answer.experience.forEach((entry, index) => {
    if (seen.has(entry.id)) problems.push(`experience.${index}.id: appears twice`);
    seen.add(entry.id);
    const original = sourceById.get(entry.id);
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
  // Counts per skill: the answer must use each source skill exactly as often as the source.
  const remaining = new Map<string, number>();
  for (const skill of source.skills) remaining.set(key(skill), (remaining.get(key(skill)) ?? 0) + 1);
  let added = false;
  for (const skill of answer.skills) {
    const left = remaining.get(key(skill)) ?? 0;
    if (left === 0) added = true;
    else remaining.set(key(skill), left - 1);
  }
  if (added) problems.push("skills: a skill was added or doubled (only reorder the source skills)");
  if ([...remaining.values()].some((left) => left > 0)) {
    problems.push("skills: a skill of the source resume was left out");
  }

  const known = { ...knownFacts(source), allowedWords: wordSet(options.allowedText ?? "") };
  for (const problem of inventedFacts(answer.summary, known)) problems.push(`summary: ${problem}`);
  answer.experience.forEach((entry, index) => {
    for (const problem of inventedFacts(entry.description, known)) {
      problems.push(`experience.${index}.description: ${problem}`);
    }
  });
  return problems;
}
