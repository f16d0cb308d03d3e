// Checks on model prose that enforce the prompts' rules after the fact, so a rule
// the model ignored triggers the repair attempt instead of reaching the user.

// Numbers in the answer ("40%", "3", "1,200") that do not occur in the source text.
export function inventedNumbers(answer: string, source: string): string[] {
  const normalise = (value: string) => value.replaceAll(",", "");
  const known = new Set((source.match(/\d+(?:[.,]\d+)*/g) ?? []).map(normalise));
  return (answer.match(/\d+(?:[.,]\d+)*/g) ?? []).map(normalise).filter((number) => !known.has(number));
}

export function hasBullets(text: string): boolean {
  return /(^|\n)\s*([-*•▪◦]|\d+[.)])\s/.test(text);
}

export function wordCount(text: string): number {
  return text.trim().split(/\s+/).filter(Boolean).length;
}
