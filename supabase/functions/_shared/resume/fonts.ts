// The fonts a rendered resume embeds: DejaVu Sans and DejaVu Serif (regular and bold),
// from the npm package dejavu-fonts-ttf, which covers Latin, Latin Extended, Cyrillic
// and Greek. The files are read once per function instance and kept: a render then
// only parses and subsets them (pdf-lib embeds just the glyphs used).
import fontkit from "@pdf-lib/fontkit";
// A static import puts the package into the module graph, so the runtime fetches it and
// import.meta.resolve below finds its files.
import "dejavu-fonts-ttf/package.json" with { type: "json" };

export interface FontFace {
  bytes: Uint8Array;
  // The parsed font, for asking which characters it has.
  hasGlyph(codePoint: number): boolean;
}

interface Glyph {
  id: number;
  advanceWidth: number;
}

// The part of a parsed fontkit font the renderers rely on.
interface ParsedFont {
  hasGlyphForCodePoint(codePoint: number): boolean;
  glyphForCodePoint(codePoint: number): Glyph;
  layout(text: string): { glyphs: Glyph[] };
}

// pdf-lib shapes every string through the font's full OpenType layout (GSUB/GPOS),
// which for DejaVu costs about a millisecond a call: more than everything else in a
// render. A resume needs neither ligatures nor kerning, so a face's layout is a plain
// character-to-glyph lookup, cached per character. Text extraction gains too: no
// ligature glyph stands for two letters. pdf-lib only reads the parsed font (each
// document makes its own subset), so every render shares one parse per face.
//
// fontkit copies a Uint8Array it is given into a Buffer of its own, which would keep
// every font file in memory twice (the bench measured 2.8 MB of external memory for
// the 1.4 MB sans pair). Given the ArrayBuffer instead, its Buffer is a view over the
// same bytes: one copy per face, shared by fontkit and pdf-lib.
function parseFace(bytes: Uint8Array): ParsedFont {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? bytes.buffer
    : bytes.slice().buffer;
  const parsed = fontkit.create(whole as unknown as Uint8Array) as unknown as ParsedFont;
  const glyphs = new Map<number, Glyph>();
  parsed.layout = (text: string) => {
    const out: Glyph[] = [];
    for (const char of text) {
      const codePoint = char.codePointAt(0)!;
      let glyph = glyphs.get(codePoint);
      if (!glyph) {
        glyph = parsed.glyphForCodePoint(codePoint);
        glyphs.set(codePoint, glyph);
      }
      out.push(glyph);
    }
    return { glyphs: out };
  };
  return parsed;
}

const parsedByBytes = new WeakMap<Uint8Array, ParsedFont>();

// The parsed face for bytes loadFonts returned (pdf-lib asks for it by the bytes).
export function parsedFace(bytes: Uint8Array): ParsedFont {
  let font = parsedByBytes.get(bytes);
  if (!font) {
    font = parseFace(bytes);
    parsedByBytes.set(bytes, font);
  }
  return font;
}

export interface FontPair {
  regular: FontFace;
  bold: FontFace;
}

const files = {
  sans: ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"],
  serif: ["DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"],
} as const;

export type FontFamily = keyof typeof files;

async function loadFace(file: string): Promise<FontFace> {
  const bytes = await Deno.readFile(new URL(import.meta.resolve(`dejavu-fonts-ttf/ttf/${file}`)));
  const parsed = parsedFace(bytes);
  return { bytes, hasGlyph: (codePoint) => parsed.hasGlyphForCodePoint(codePoint) };
}

const loaded = new Map<FontFamily, Promise<FontPair>>();

export function loadFonts(family: FontFamily): Promise<FontPair> {
  let pair = loaded.get(family);
  if (!pair) {
    const [regular, bold] = files[family];
    pair = Promise.all([loadFace(regular), loadFace(bold)]).then(([r, b]) => ({ regular: r, bold: b }));
    // A failed read is not cached, so the next request tries again.
    pair.catch(() => loaded.delete(family));
    loaded.set(family, pair);
  }
  return pair;
}
