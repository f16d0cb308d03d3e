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
  const parsed = fontkit.create(bytes);
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
