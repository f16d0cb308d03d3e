// The free text of a JSON answer while it is being written. The actions ask the model
// for JSON against a schema (so the answer is validated exactly as a whole answer is),
// and the model streams that JSON: `{"content": "Dear Ms Doe,\nI ...`. A reader of the
// letter wants the letter, not braces, key names and escapes, so this reader follows
// the JSON as it arrives and hands out only the decoded text of one top-level string
// field (`content`, `summary`), piece by piece.
//
// It is one forward scan with a few variables of state, so each piece costs time in
// proportion to its own length, never to the answer so far: re-parsing the growing text
// with a partial-JSON parser at every piece would be quadratic in the answer's length
// and spend the edge runtime's 2 s of CPU on long answers. Pieces may split the text
// anywhere, inside a key, an escape (`\`, `\u00e9`) or a surrogate pair. What it hands
// out is a preview: the validated answer (the stream's result event) is the truth.
const quote = 0x22;
const backslash = 0x5c;
const simpleEscapes: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

type Role = "key" | "text" | "other";

export class AnswerTextReader {
  // Text before the answer's opening brace (a code fence some servers add) is skipped;
  // nothing after its closing brace is read.
  #phase: "before" | "inside" | "after" = "before";
  #depth = 0;
  #expectKey = false;
  #key: string | null = null;
  #keyText = "";
  #done = false;
  #inString = false;
  #role: Role = "other";
  #escape: "" | "\\" | "u" = "";
  #hex = "";
  // A high surrogate is held until the unit after it is known, so no piece ends half a character.
  #heldHigh = "";

  constructor(readonly field: string) {}

  // The field's text that this piece of the JSON adds (often "").
  read(piece: string): string {
    let out = this.#heldHigh;
    this.#heldHigh = "";
    let i = 0;
    const length = piece.length;
    while (i < length && this.#phase !== "after") {
      if (this.#inString) {
        if (this.#escape !== "") {
          const decoded = this.#readEscape(piece[i++]);
          if (decoded !== null) out = this.#add(out, decoded);
          continue;
        }
        // A run of plain characters up to the next quote or backslash, taken at once.
        let end = i;
        while (end < length) {
          const code = piece.charCodeAt(end);
          if (code === quote || code === backslash) break;
          end++;
        }
        if (end > i) out = this.#add(out, piece.slice(i, end));
        i = end;
        if (i === length) break;
        if (piece.charCodeAt(i) === backslash) {
          this.#escape = "\\";
        } else {
          this.#endString();
        }
        i++;
        continue;
      }
      this.#readStructure(piece[i++]);
    }
    if (this.#role === "text" && out !== "") {
      const last = out.charCodeAt(out.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        this.#heldHigh = out.slice(-1);
        out = out.slice(0, -1);
      }
    }
    return out;
  }

  #readStructure(char: string) {
    switch (char) {
      case "{":
        if (this.#phase === "before") {
          this.#phase = "inside";
          this.#expectKey = true;
        }
        this.#depth++;
        return;
      case "[":
        if (this.#phase === "inside") this.#depth++;
        return;
      case "}":
      case "]":
        if (this.#phase !== "inside") return;
        if (--this.#depth === 0) this.#phase = "after";
        return;
      case ":":
        if (this.#depth === 1) this.#expectKey = false;
        return;
      case ",":
        if (this.#depth === 1) {
          this.#expectKey = true;
          this.#key = null;
        }
        return;
      case '"':
        if (this.#phase !== "inside") return;
        this.#inString = true;
        if (this.#depth !== 1) this.#role = "other";
        else if (this.#expectKey) {
          this.#role = "key";
          this.#keyText = "";
        } else {
          // Only the first value of the field is handed out (JSON.parse would keep a
          // later duplicate, and the result event says so).
          this.#role = this.#key === this.field && !this.#done ? "text" : "other";
        }
        return;
    }
  }

  #readEscape(char: string): string | null {
    if (this.#escape === "\\") {
      if (char === "u") {
        this.#escape = "u";
        this.#hex = "";
        return null;
      }
      this.#escape = "";
      return simpleEscapes[char] ?? char;
    }
    this.#hex += char;
    if (this.#hex.length < 4) return null;
    this.#escape = "";
    const code = Number.parseInt(this.#hex, 16);
    return Number.isNaN(code) ? "\ufffd" : String.fromCharCode(code);
  }

  #add(out: string, text: string): string {
    if (this.#role === "text") return out + text;
    // A key longer than the field cannot be it; no need to keep more of it.
    if (this.#role === "key" && this.#keyText.length <= this.field.length) this.#keyText += text;
    return out;
  }

  #endString() {
    if (this.#role === "key") this.#key = this.#keyText;
    if (this.#role === "text") this.#done = true;
    this.#inString = false;
    this.#role = "other";
  }
}
