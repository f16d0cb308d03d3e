// Checks on model prose that enforce the prompts' rules after the fact, so a rule
// the model ignored triggers the repair attempt instead of reaching the user.

// Numbers in the answer ("40%", "3", "1,200") that do not occur in the source text.
export function inventedNumbers(answer: string, source: string): string[] {
  const normalise = (value: string) => value.replaceAll(",", "");
  const known = new Set((source.match(/\d+(?:[.,]\d+)*/g) ?? []).map(normalise));
  return (answer.match(/\d+(?:[.,]\d+)*/g) ?? []).map(normalise).filter((number) => !known.has(number));
}

// Horizontal space only before the marker: \s would cross line breaks, and every
// line start would then rescan the same run of blank lines (quadratic on "\n\n\n...").
export function hasBullets(text: string): boolean {
  return /(^|\n)[^\S\n]*([-*•▪◦]|\d+[.)])\s/.test(text);
}

export function wordCount(text: string): number {
  return text.trim().split(/\s+/).filter(Boolean).length;
}

// Abbreviations whose full stop does not end a sentence.
const abbreviations = /\b(?:e\.g|i\.e|etc|vs|inc|ltd|co|corp|jr|sr|dr|mr|mrs|ms|st|no)\.(?=\s)/gi;

// Sentences as the app counts them: text ending in . ! or ? followed by a space or the end.
export function sentenceCount(text: string): number {
  const cleaned = text.replace(abbreviations, (match) => match.slice(0, -1));
  return cleaned.split(/[.!?]+(?:\s+|$)/).filter((part) => part.trim()).length;
}
