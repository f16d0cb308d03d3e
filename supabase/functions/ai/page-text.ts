// The readable text of a job page's HTML, for the extraction prompt. Scripts,
// styles and comments go (they are code, not posting); block ends become newlines.
const entities: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  ndash: "–",
  mdash: "—",
  hellip: "…",
  rsquo: "’",
  lsquo: "‘",
  rdquo: "”",
  ldquo: "“",
  bull: "•",
  euro: "€",
  pound: "£",
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return entities[name.toLowerCase()] ?? whole;
  });
}

// Tags whose content is code, not posting text.
const rawTextElements = new Set(["script", "style", "noscript", "template", "svg", "iframe"]);
// A hidden <code> holds data, not posting: LinkedIn's pages carry hundreds of kilobytes of
// JSON in <code style="display: none"> elements. (<code> does not nest, so its content
// ends at the first </code>, like a script's.)
const hiddenTag = /\shidden(?:[\s=>/]|$)|display\s*:\s*none/;
// Closing tags that end a block of text.
const blockEnds = new Set([
  "p",
  "div",
  "li",
  "ul",
  "ol",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "tr",
  "table",
  "section",
  "article",
  "header",
  "footer",
  "title",
]);
const tagStart = /<(\/?)([a-z][a-z0-9-]*)/y;

// One pass from left to right: every search starts where the last one ended and the
// scan never returns, so the work is linear in the page whatever it holds (a page of
// unclosed "<!--" or "<script" is no slower than prose). What a browser does at the
// end of the input, this does too: an unclosed comment, script or tag runs to the end.
export function htmlToText(html: string): string {
  // Lower-casing only ASCII keeps every index equal to the original's.
  const lower = html.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
  const out: string[] = [];
  // Text runs from `at`; the next tag is searched from `from` (past any "<" that opened none).
  let at = 0;
  let from = 0;
  while (at < html.length) {
    const lt = html.indexOf("<", from);
    if (lt === -1) {
      out.push(html.slice(at));
      break;
    }
    if (lower.startsWith("<!--", lt)) {
      out.push(html.slice(at, lt));
      out.push(" ");
      const end = html.indexOf("-->", lt + 4);
      if (end === -1) break;
      at = from = end + 3;
      continue;
    }
    const next = lower.charCodeAt(lt + 1);
    const opensTag = next === 47 /* / */ || (next >= 97 && next <= 122); // a-z
    tagStart.lastIndex = lt;
    const tag = opensTag ? tagStart.exec(lower) : null;
    if (!tag && (html[lt + 1] === "!" || html[lt + 1] === "?")) {
      // <!DOCTYPE ...>, <?xml ...?>: markup without text.
      out.push(html.slice(at, lt));
      const end = html.indexOf(">", lt + 2);
      if (end === -1) break;
      out.push(" ");
      at = from = end + 1;
      continue;
    }
    if (!tag) {
      // A "<" that opens no tag ("a < b") is text: keep scanning after it.
      from = lt + 1;
      continue;
    }
    out.push(html.slice(at, lt));
    const gt = html.indexOf(">", lt + tag[0].length);
    if (gt === -1) break;
    const [, closing, name] = tag;
    at = from = gt + 1;
    if (!closing && (rawTextElements.has(name) || (name === "code" && hiddenTag.test(lower.slice(lt, gt))))) {
      const close = lower.indexOf(`</${name}`, at);
      const end = close === -1 ? -1 : html.indexOf(">", close);
      out.push(" ");
      if (end === -1) break;
      at = from = end + 1;
    } else if (name === "br") out.push("\n");
    else if (!closing && name === "li") out.push("\n- ");
    else if (closing && blockEnds.has(name)) out.push("\n");
    else out.push(" ");
  }
  return decodeEntities(out.join(""))
    .split("\n")
    .map((line) => line.replace(/[ \t\r\f\v\u00a0]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
