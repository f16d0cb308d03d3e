// The streamed answer's free text: what a reader sees equals the field JSON.parse reads,
// however the JSON is cut into pieces, and nothing else of the JSON shows.
import assert from "node:assert/strict";
import { AnswerTextReader } from "./answer-text.ts";

function readAll(field: string, pieces: string[]): string[] {
  const reader = new AnswerTextReader(field);
  return pieces.map((piece) => reader.read(piece));
}

const letter = 'Dear Ms Doe,\n\nI "ship" APIs \\ tools — café 😀 \u0001 and\ttabs.';
const answer = JSON.stringify({
  title: "Not this",
  nested: { content: "nor this", list: ["}", "{", '"content"'] },
  content: letter,
  after: "nor this either",
});

Deno.test("the field's decoded text, cut at every position into two pieces", () => {
  for (let cut = 0; cut <= answer.length; cut++) {
    const text = readAll("content", [answer.slice(0, cut), answer.slice(cut)]).join("");
    assert.equal(text, letter, `cut at ${cut}`);
  }
});

Deno.test("one character at a time: escapes, \\u sequences and surrogate pairs split across pieces", () => {
  const escaped = '{"summary": "caf\\u00e9 \\ud83d\\ude00 \\"quoted\\" \\\\ \\/ line\\nbreak"}';
  const pieces = readAll("summary", [...escaped]);
  assert.equal(pieces.join(""), JSON.parse(escaped).summary);
  for (const piece of pieces) {
    if (piece === "") continue;
    const last = piece.charCodeAt(piece.length - 1);
    assert.ok(last < 0xd800 || last > 0xdbff, "no piece ends with half a surrogate pair");
  }
});

Deno.test("text arrives as it is written, before the answer is complete", () => {
  const reader = new AnswerTextReader("content");
  assert.equal(reader.read('{"content": "Dear'), "Dear");
  assert.equal(reader.read(" Ms Doe"), " Ms Doe");
  assert.equal(reader.read(",\\n"), ",\n");
  assert.equal(reader.read('I build."}'), "I build.");
});

Deno.test("keys are matched decoded, only at the top level, and only the first value is read", () => {
  assert.equal(readAll("content", ['{"cont\\u0065nt": "yes"}']).join(""), "yes");
  assert.equal(readAll("content", ['{"contents": "no", "conten": "no", "x": {"content": "no"}}']).join(""), "");
  assert.equal(readAll("content", ['{"content": "first", "content": "second"}']).join(""), "first");
  assert.equal(readAll("content", ['{"content": 42, "other": "no"}']).join(""), "");
});

Deno.test("a code fence before the JSON and text after it are skipped", () => {
  const fenced = '```json\n{"summary": "I lead teams."}\n```\n{"summary": "ignored"}';
  assert.equal(readAll("summary", [fenced]).join(""), "I lead teams.");
});

Deno.test("a 1 MB answer in 7-character pieces reads back whole (one forward scan; quadratic re-reading would not finish)", () => {
  const body = "word ".repeat(200_000);
  const json = JSON.stringify({ content: body });
  const pieces: string[] = [];
  for (let at = 0; at < json.length; at += 7) pieces.push(json.slice(at, at + 7));
  assert.equal(readAll("content", pieces).join(""), body);
});
