// A resume as a PDF, drawn with pdf-lib (pure JavaScript, so it runs on the edge
// runtime without a browser). The template's layout decides the columns and where each
// section goes; text is set line by line, and a page break only ever falls between two
// lines. A section heading, an entry's title and its date line are kept with the line
// after them, so none of them ends a page alone. Pages are numbered, links are real
// link annotations, and the document carries its title, author and creator.
//
// Every character is drawn with the embedded DejaVu font; one the font lacks is drawn
// as U+FFFD (a visible "�") and counted, never dropped silently.
import { PDFDocument, type PDFFont, type PDFPage, PDFName, PDFString, rgb } from "pdf-lib";
import type fontkit from "@pdf-lib/fontkit";
import { dateRange, type PublicResume } from "./document.ts";
import { type FontFace, type FontPair, loadFonts, parsedFace } from "./fonts.ts";
import type { ResumeLayout, SectionSpec } from "./template.ts";

export type Paper = "a4" | "letter";

// A real resume is one to three pages; the long fixtures of the tests take five. A
// document longer than this is refused with a clear error instead of drawn: its cost
// grows with its pages (a 512 KB version took 120–234 pages and 0.6–1.2 s of CPU, over
// hosted Supabase's 2 s CPU limit on a loaded instance; issue 22 finding 3), and the
// text is not wrapped past what these pages could hold.
export const maxPdfPages = 10;

export class PdfTooLongError extends Error {
  constructor() {
    super(`This resume is longer than ${maxPdfPages} pages as a PDF. Shorten it, or use format=html.`);
    this.name = "PdfTooLongError";
  }
}

export const paperSizes: Record<Paper, [number, number]> = {
  a4: [595.28, 841.89],
  letter: [612, 792],
};

export interface PdfOptions {
  paper?: Paper;
  // Fixed dates keep the document's metadata the same for the same version.
  createdAt?: Date;
  title?: string;
}

export interface RenderedPdf {
  bytes: Uint8Array;
  pages: number;
  // Characters the font has no glyph for, drawn as U+FFFD.
  missingGlyphs: number;
}

const margin = 48;
const footerHeight = 20;
const columnGap = 28;
const replacement = "\uFFFD";

type Weight = "regular" | "bold";

interface Run {
  text: string;
  weight: Weight;
  size: number;
  color: string;
  link?: string;
}

interface Line {
  runs: Run[];
  height: number;
  indent: number;
  spaceBefore: number;
  // Must share its page (and column) with the line after it.
  keepWithNext: boolean;
  // A thin rule under the line (section headings).
  rule?: string;
  align?: "left" | "center";
}

interface Fonts {
  pdf: Record<Weight, PDFFont>;
  faces: Record<Weight, FontFace>;
}

// Measures and sanitises text for one document: widths are cached per word, since
// pdf-lib lays out the whole string with the font for every measurement.
class TextSetter {
  missing = 0;
  private widths = new Map<string, number>();

  constructor(private fonts: Fonts) {}

  // Control characters become spaces; characters without a glyph become U+FFFD.
  clean(text: string, weight: Weight): string {
    let out = "";
    for (const char of text) {
      const code = char.codePointAt(0)!;
      if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += " ";
      else if (!this.fonts.faces[weight].hasGlyph(code)) {
        this.missing++;
        out += replacement;
      } else out += char;
    }
    return out;
  }

  width(text: string, weight: Weight, size: number): number {
    const key = `${weight}\u0000${text}`;
    let unit = this.widths.get(key);
    if (unit === undefined) {
      unit = this.fonts.pdf[weight].widthOfTextAtSize(text, 1);
      this.widths.set(key, unit);
    }
    return unit * size;
  }
}

interface Style {
  weight: Weight;
  size: number;
  color: string;
  link?: string;
}

// Wraps styled pieces into lines no wider than `width`. A word wider than a line (a
// long URL) is cut by characters. Linear in the text's length.
function wrap(setter: TextSetter, pieces: { text: string; style: Style }[], width: number): Run[][] {
  const lines: Run[][] = [];
  let current: Run[] = [];
  let used = 0;
  const push = (text: string, style: Style) => {
    const last = current[current.length - 1];
    if (last && last.weight === style.weight && last.size === style.size && last.color === style.color &&
      last.link === style.link) {
      last.text += text;
    } else current.push({ text, ...style });
  };
  const breakLine = () => {
    if (current.length) {
      const last = current[current.length - 1];
      last.text = last.text.replace(/\s+$/, "");
      lines.push(current);
    }
    current = [];
    used = 0;
  };
  for (const piece of pieces) {
    const words = setter.clean(piece.text, piece.style.weight).split(/(\s+)/).filter((w) => w !== "");
    for (const word of words) {
      const space = /^\s+$/.test(word);
      if (space) {
        if (used === 0) continue;
        const w = setter.width(" ", piece.style.weight, piece.style.size);
        push(" ", piece.style);
        used += w;
        continue;
      }
      let rest = word;
      while (rest) {
        const w = setter.width(rest, piece.style.weight, piece.style.size);
        if (used + w <= width) {
          push(rest, piece.style);
          used += w;
          break;
        }
        if (used > 0) {
          breakLine();
          continue;
        }
        // Cut the word: as many characters as fit (at least one).
        const chars = [...rest];
        let fit = 1;
        let fitWidth = setter.width(chars[0], piece.style.weight, piece.style.size);
        while (fit < chars.length) {
          const next = fitWidth + setter.width(chars[fit], piece.style.weight, piece.style.size);
          if (next > width) break;
          fitWidth = next;
          fit++;
        }
        push(chars.slice(0, fit).join(""), piece.style);
        breakLine();
        rest = chars.slice(fit).join("");
      }
    }
  }
  breakLine();
  return lines;
}

interface SectionContext {
  setter: TextSetter;
  resume: PublicResume;
  layout: ResumeLayout;
  width: number;
  sidebar: boolean;
  // The height a column may still fill within maxPdfPages; wrapping stops past it.
  budget: { height: number };
}

function paragraph(
  ctx: SectionContext,
  pieces: { text: string; style: Style }[],
  options: { indent?: number; spaceBefore?: number; keepWithNext?: boolean; lead?: string; align?: "left" | "center" } = {},
): Line[] {
  const indent = options.indent ?? 0;
  const size = Math.max(...pieces.map((p) => p.style.size));
  const lead = options.lead ? ctx.setter.width(options.lead, "regular", size) : 0;
  const wrapped = wrap(ctx.setter, pieces, ctx.width - indent - lead);
  ctx.budget.height -= wrapped.length * size * 1.38 + (options.spaceBefore ?? 0);
  if (ctx.budget.height < 0) throw new PdfTooLongError();
  return wrapped.map((runs, index) => ({
    runs: index === 0 && options.lead
      ? [{ text: options.lead, weight: "regular", size, color: pieces[0].style.color }, ...runs]
      : runs,
    height: size * 1.38,
    indent: indent + (index === 0 ? 0 : lead),
    spaceBefore: index === 0 ? options.spaceBefore ?? 0 : 0,
    // Every line but the last of a kept paragraph holds on to the next one.
    keepWithNext: index < wrapped.length - 1 ? false : options.keepWithNext ?? false,
    align: options.align,
  }));
}

function heading(ctx: SectionContext, spec: SectionSpec, first: boolean): Line[] {
  if (!spec.showTitle || !spec.title) return [];
  const { theme } = ctx.layout;
  const lines = paragraph(ctx, [{
    text: spec.title.toUpperCase(),
    style: { weight: "bold", size: theme.headingSize * (ctx.sidebar ? 0.9 : 1), color: theme.primary },
  }], { spaceBefore: first ? 0 : theme.bodySize * 1.3, keepWithNext: true });
  for (const line of lines) line.keepWithNext = true;
  const last = lines[lines.length - 1];
  last.rule = theme.border;
  last.height += theme.bodySize * 0.45;
  return lines;
}

function body(ctx: SectionContext, scale = 1): Style {
  return { weight: "regular", size: ctx.layout.theme.bodySize * scale, color: ctx.layout.theme.text };
}

function muted(ctx: SectionContext): Style {
  return { weight: "regular", size: ctx.layout.theme.bodySize * 0.92, color: ctx.layout.theme.secondary };
}

function headerLines(ctx: SectionContext): Line[] {
  const { profile } = ctx.resume;
  const { theme } = ctx.layout;
  const align = theme.serif ? "center" : "left";
  const lines: Line[] = [];
  lines.push(...paragraph(ctx, [{
    text: profile.name,
    style: { weight: "bold", size: theme.headingSize * 1.9, color: theme.primary },
  }], { align }));
  if (profile.headline) {
    lines.push(...paragraph(ctx, [{ text: profile.headline, style: { ...body(ctx, 1.2), color: theme.secondary } }], {
      align,
    }));
  }
  const contact = [profile.location, profile.email, profile.phone].filter(Boolean).join("  ·  ");
  if (contact) lines.push(...paragraph(ctx, [{ text: contact, style: muted(ctx) }], { spaceBefore: 2, align }));
  // Links read as their platform, and the URL is printed so it survives on paper.
  const links = profile.links.flatMap((link, index) => [
    ...(index ? [{ text: "   ", style: muted(ctx) }] : []),
    { text: `${link.label}: `, style: { ...muted(ctx), weight: "bold" as Weight } },
    { text: link.url, style: { ...muted(ctx), color: theme.primary, link: link.url } },
  ]);
  if (links.length) lines.push(...paragraph(ctx, links, { align }));
  return lines;
}

function sectionLines(ctx: SectionContext, spec: SectionSpec, first: boolean): Line[] {
  const { resume } = ctx;
  const { theme } = ctx.layout;
  const gap = theme.bodySize * 0.7;
  switch (spec.type) {
    case "header":
      return headerLines(ctx);
    case "summary": {
      if (!resume.profile.summary) return [];
      const paragraphs = resume.profile.summary.split(/\n+/).filter((p) => p.trim());
      return [
        ...heading(ctx, spec, first),
        ...paragraphs.flatMap((text, i) => paragraph(ctx, [{ text, style: body(ctx) }], { spaceBefore: i ? 3 : 0 })),
      ];
    }
    case "work": {
      if (!resume.experience.length) return [];
      return [
        ...heading(ctx, spec, first),
        ...resume.experience.flatMap((job, index) => {
          const title = job.title && job.company
            ? [{ text: job.title, style: { ...body(ctx, 1.05), weight: "bold" as Weight } }, {
              text: ` — ${job.company}`,
              style: body(ctx, 1.05),
            }]
            : [{ text: job.title || job.company, style: { ...body(ctx, 1.05), weight: "bold" as Weight } }];
          const meta = [dateRange(job.startDate, job.endDate, job.isCurrent), job.location].filter(Boolean).join(" · ");
          const titleLines = paragraph(ctx, title, { spaceBefore: index ? gap : 0, keepWithNext: true });
          titleLines.forEach((line) => (line.keepWithNext = true));
          const metaLines = meta ? paragraph(ctx, [{ text: meta, style: muted(ctx) }], { keepWithNext: true }) : [];
          metaLines.forEach((line) => (line.keepWithNext = job.highlights.length > 0));
          const points = job.highlights.flatMap((point) =>
            paragraph(ctx, [{ text: point, style: body(ctx) }], { indent: 4, lead: "•  ", spaceBefore: 1 })
          );
          return [...titleLines, ...metaLines, ...points];
        }),
      ];
    }
    case "education": {
      if (!resume.education.length) return [];
      return [
        ...heading(ctx, spec, first),
        ...resume.education.flatMap((school, index) => {
          const degree = [school.degree, school.field].filter(Boolean).join(", ");
          const range = dateRange(school.startDate, school.endDate);
          const name = school.school || degree;
          const rest = [...(school.school && degree ? [degree] : []), ...(range ? [range] : [])];
          const titleLines = paragraph(ctx, [{ text: name, style: { ...body(ctx, 1.05), weight: "bold" } }], {
            spaceBefore: index ? gap : 0,
          });
          titleLines.forEach((line) => (line.keepWithNext = rest.length > 0));
          const detail = rest.length
            ? paragraph(ctx, [{ text: rest.join(" · "), style: muted(ctx) }])
            : [];
          return [...titleLines, ...detail];
        }),
      ];
    }
    case "skills": {
      if (!resume.skills.length) return [];
      const lines = ctx.sidebar
        ? resume.skills.flatMap((name) => paragraph(ctx, [{ text: name, style: body(ctx) }], { spaceBefore: 1 }))
        : paragraph(ctx, [{ text: resume.skills.join("  ·  "), style: body(ctx) }]);
      return [...heading(ctx, spec, first), ...lines];
    }
    case "languages": {
      if (!resume.languages.length) return [];
      const lines = resume.languages.flatMap((language) =>
        paragraph(ctx, [
          { text: language.name, style: body(ctx) },
          ...(language.proficiency ? [{ text: ` — ${language.proficiency}`, style: muted(ctx) }] : []),
        ], { spaceBefore: 1 })
      );
      return [...heading(ctx, spec, first), ...lines];
    }
  }
}

function hexColour(hex: string) {
  const n = Number.parseInt(hex.slice(1), 16);
  return rgb(((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255);
}

interface Frame {
  x: number;
  width: number;
}

interface Cursor {
  page: number;
  y: number;
}

// Places lines into one column frame, starting at `from`, adding pages as needed.
class PageFlow {
  readonly pages: PDFPage[] = [];
  private linkCount = 0;

  constructor(
    private doc: PDFDocument,
    private fonts: Fonts,
    private setter: TextSetter,
    private size: [number, number],
    private decorate: (page: PDFPage) => void,
  ) {}

  get top(): number {
    return this.size[1] - margin;
  }

  get bottom(): number {
    return margin + footerHeight;
  }

  page(index: number): PDFPage {
    if (index >= maxPdfPages) throw new PdfTooLongError();
    while (this.pages.length <= index) {
      const page = this.doc.addPage(this.size);
      this.decorate(page);
      this.pages.push(page);
    }
    return this.pages[index];
  }

  flow(lines: Line[], frame: Frame, from: Cursor): Cursor {
    let { page, y } = from;
    this.page(page);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      const atTop = y === this.top;
      // The line plus every line it is kept with, plus the first line that is free.
      let needed = (atTop ? 0 : line.spaceBefore) + line.height;
      for (let j = i; j < lines.length - 1 && lines[j].keepWithNext; j++) {
        needed += lines[j + 1].spaceBefore + lines[j + 1].height;
      }
      if (y - needed < this.bottom && !atTop) {
        page++;
        y = this.top;
        this.page(page);
      }
      if (y !== this.top) y -= line.spaceBefore;
      y -= line.height;
      this.draw(this.pages[page], line, frame, y);
    }
    return { page, y };
  }

  private draw(page: PDFPage, line: Line, frame: Frame, baselineBox: number) {
    const size = Math.max(...line.runs.map((run) => run.size));
    // Text hangs from the top of the line's box; what is left below the descenders is
    // room for a heading's rule.
    const baseline = baselineBox + line.height - size * 1.02;
    const widths = line.runs.map((run) => this.setter.width(run.text, run.weight, run.size));
    const total = widths.reduce((a, b) => a + b, 0);
    let x = frame.x + line.indent + (line.align === "center" ? Math.max(0, (frame.width - line.indent - total) / 2) : 0);
    line.runs.forEach((run, index) => {
      if (run.text) {
        page.drawText(run.text, {
          x,
          y: baseline,
          size: run.size,
          font: this.fonts.pdf[run.weight],
          color: hexColour(run.color),
        });
        if (run.link) this.link(page, run.link, [x, baselineBox, x + widths[index], baselineBox + line.height]);
      }
      x += widths[index];
    });
    if (line.rule) {
      page.drawLine({
        start: { x: frame.x, y: baselineBox + 1.5 },
        end: { x: frame.x + frame.width, y: baselineBox + 1.5 },
        thickness: 0.75,
        color: hexColour(line.rule),
      });
    }
  }

  private link(page: PDFPage, url: string, rect: number[]) {
    const annotation = this.doc.context.register(this.doc.context.obj({
      Type: "Annot",
      Subtype: "Link",
      Rect: rect,
      Border: [0, 0, 0],
      A: { Type: "Action", S: "URI", URI: PDFString.of(url) },
    }));
    page.node.addAnnot(annotation);
    this.linkCount++;
  }

  get links(): number {
    return this.linkCount;
  }
}

// pdf-lib would parse each font file again for every document: it gets the instance's
// one parsed face instead (fonts.ts), whose layout is a plain glyph lookup.
const parsedFaces = { create: (bytes: Uint8Array) => parsedFace(bytes) };

async function embedFonts(doc: PDFDocument, pair: FontPair): Promise<Fonts> {
  doc.registerFontkit(parsedFaces as unknown as typeof fontkit);
  const [regular, bold] = await Promise.all([
    doc.embedFont(pair.regular.bytes, { subset: true }),
    doc.embedFont(pair.bold.bytes, { subset: true }),
  ]);
  return { pdf: { regular, bold }, faces: { regular: pair.regular, bold: pair.bold } };
}

export async function renderResumePdf(
  resume: PublicResume,
  layout: ResumeLayout,
  options: PdfOptions = {},
): Promise<RenderedPdf> {
  const size = paperSizes[options.paper ?? "a4"];
  const doc = await PDFDocument.create({ updateMetadata: false });
  const fonts = await embedFonts(doc, await loadFonts(layout.theme.serif ? "serif" : "sans"));
  const setter = new TextSetter(fonts);
  const { theme } = layout;
  const contentWidth = size[0] - 2 * margin;
  const twoColumns = layout.twoColumns && layout.sidebar.length > 0;
  const mainWidth = twoColumns ? (contentWidth - columnGap) * layout.mainShare : contentWidth;
  const sideWidth = contentWidth - columnGap - mainWidth;
  const mainX = twoColumns && layout.sidebarSide === "left" ? margin + sideWidth + columnGap : margin;
  const sideX = layout.sidebarSide === "left" ? margin : margin + mainWidth + columnGap;

  const flow = new PageFlow(doc, fonts, setter, size, (page) => {
    if (theme.background !== "#ffffff") {
      page.drawRectangle({ x: 0, y: 0, width: size[0], height: size[1], color: hexColour(theme.background) });
    }
  });

  const linesFor = (specs: SectionSpec[], width: number, sidebar: boolean, firstOfColumn: boolean) => {
    const ctx: SectionContext = { setter, resume, layout, width, sidebar, budget: { height: maxPdfPages * (flow.top - flow.bottom) } };
    const out: Line[] = [];
    for (const spec of specs) {
      const lines = sectionLines(ctx, spec, firstOfColumn && out.length === 0);
      if (lines.length && out.length && spec.type !== "header") {
        lines[0].spaceBefore = Math.max(lines[0].spaceBefore, theme.bodySize * 1.3);
      }
      out.push(...lines);
    }
    return out;
  };

  let cursor: Cursor = { page: 0, y: flow.top };
  cursor = flow.flow(linesFor(layout.top, contentWidth, false, true), { x: margin, width: contentWidth }, cursor);
  if (twoColumns) {
    const start = { page: cursor.page, y: cursor.y === flow.top ? cursor.y : cursor.y - theme.bodySize };
    const mainEnd = flow.flow(linesFor(layout.main, mainWidth, false, true), { x: mainX, width: mainWidth }, start);
    const sideEnd = flow.flow(linesFor(layout.sidebar, sideWidth, true, true), { x: sideX, width: sideWidth }, start);
    cursor = mainEnd.page > sideEnd.page
      ? mainEnd
      : sideEnd.page > mainEnd.page
      ? sideEnd
      : { page: mainEnd.page, y: Math.min(mainEnd.y, sideEnd.y) };
  } else {
    cursor = flow.flow(linesFor(layout.main, contentWidth, false, false), { x: margin, width: contentWidth }, cursor);
  }
  flow.flow(linesFor(layout.bottom, contentWidth, false, false), { x: margin, width: contentWidth }, cursor);

  const pages = flow.pages.length;
  flow.pages.forEach((page, index) => {
    const label = `${index + 1} / ${pages}`;
    const labelSize = 8;
    page.drawText(label, {
      x: (size[0] - fonts.pdf.regular.widthOfTextAtSize(label, labelSize)) / 2,
      y: margin / 2,
      size: labelSize,
      font: fonts.pdf.regular,
      color: hexColour(theme.secondary),
    });
  });

  const name = resume.profile.name;
  doc.setTitle(options.title ?? (name ? `${name} — Resume` : "Resume"), { showInWindowTitleBar: true });
  if (name) doc.setAuthor(name);
  if (resume.profile.headline) doc.setSubject(resume.profile.headline);
  doc.setCreator("JobStalker");
  doc.setProducer("JobStalker resume renderer (pdf-lib)");
  doc.setLanguage("en");
  const created = options.createdAt ?? new Date();
  doc.setCreationDate(created);
  doc.setModificationDate(created);
  doc.catalog.set(PDFName.of("PageLayout"), PDFName.of("OneColumn"));

  const bytes = await doc.save({ useObjectStreams: true });
  return { bytes, pages, missingGlyphs: setter.missing };
}
