// A template's layout as the renderers use it, read from templates.schema (the app's
// format: metadata, layout, sections, theme, styles). The share page (HTML) and the PDF
// both follow it: one or two columns, which sections sit at the top, in the main
// column, in the sidebar or at the bottom, in which order and under which title, and
// the theme's colours and sizes. A schema is data from the database, so it is read
// leniently: a bad colour or size falls back to the default, never into CSS unchecked.

export type SectionType = "header" | "summary" | "work" | "education" | "skills" | "languages";

export interface SectionSpec {
  type: SectionType;
  title: string;
  showTitle: boolean;
}

export interface ResumeTheme {
  primary: string;
  secondary: string;
  text: string;
  background: string;
  accent: string;
  border: string;
  serif: boolean;
  // Points, for print; the HTML page scales them to pixels.
  headingSize: number;
  bodySize: number;
}

export interface ResumeLayout {
  slug: string;
  twoColumns: boolean;
  sidebarSide: "left" | "right";
  // Share of the content width the main column takes when there are two columns.
  mainShare: number;
  top: SectionSpec[];
  main: SectionSpec[];
  sidebar: SectionSpec[];
  bottom: SectionSpec[];
  theme: ResumeTheme;
}

const sectionTypes: SectionType[] = ["header", "summary", "work", "education", "skills", "languages"];
const defaultTitles: Record<SectionType, string> = {
  header: "",
  summary: "Summary",
  work: "Experience",
  education: "Education",
  skills: "Skills",
  languages: "Languages",
};

export const defaultTheme: ResumeTheme = {
  primary: "#334155",
  secondary: "#475569",
  text: "#1f2937",
  background: "#ffffff",
  accent: "#f1f5f9",
  border: "#e5e7eb",
  serif: false,
  headingSize: 12,
  bodySize: 10,
};

type Json = Record<string, unknown>;
const objectOf = (value: unknown): Json =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? value as Json : {};

// #rgb or #rrggbb only: the value ends up in CSS and in PDF colour operators.
function colour(value: unknown, fallback: string): string {
  if (typeof value !== "string") return fallback;
  const hex = value.trim().toLowerCase();
  if (/^#[0-9a-f]{6}$/.test(hex)) return hex;
  if (/^#[0-9a-f]{3}$/.test(hex)) return `#${[...hex.slice(1)].map((c) => c + c).join("")}`;
  return fallback;
}

// "1.25rem", "16px" or "12pt" as print points (1rem of body text ≈ 10.5 pt on paper).
function points(value: unknown, fallback: number, min: number, max: number): number {
  const match = typeof value === "string" ? /^\s*(\d+(?:\.\d+)?)\s*(rem|em|px|pt)\s*$/.exec(value) : null;
  if (!match) return fallback;
  const amount = Number(match[1]);
  const pt = match[2] === "pt" ? amount : match[2] === "px" ? amount * 10.5 / 16 : amount * 10.5;
  return Math.min(max, Math.max(min, Math.round(pt * 10) / 10));
}

// "2fr 1fr" → the first column's share; a grid whose first track is the narrow one puts
// the sidebar on the left.
function columnShares(layout: Json, areas: string): { mainShare: number; sidebarSide: "left" | "right" } {
  if (areas) {
    // Count how many tracks of the first row holding work are work, e.g. 'work work skills'.
    const row = /['"]([^'"]*\bwork\b[^'"]*)['"]/.exec(areas)?.[1]?.trim().split(/\s+/) ?? [];
    const work = row.filter((cell) => cell === "work").length;
    if (row.length >= 2 && work > 0 && work < row.length) {
      return { mainShare: work / row.length, sidebarSide: row[0] === "work" ? "right" : "left" };
    }
  }
  const tracks = typeof layout.gridTemplateColumns === "string"
    ? [...layout.gridTemplateColumns.matchAll(/(\d+(?:\.\d+)?)fr/g)].map((m) => Number(m[1]))
    : [];
  if (tracks.length === 2 && tracks[0] > 0 && tracks[1] > 0) {
    const first = tracks[0] / (tracks[0] + tracks[1]);
    return first >= 0.5 ? { mainShare: first, sidebarSide: "right" } : { mainShare: 1 - first, sidebarSide: "left" };
  }
  return { mainShare: 2 / 3, sidebarSide: "right" };
}

export function readTemplateLayout(slug: string, schema: unknown): ResumeLayout {
  const root = objectOf(schema);
  const layout = objectOf(root.layout);
  const theme = objectOf(root.theme);
  const declared = Array.isArray(root.sections) ? root.sections.slice(0, 20).map(objectOf) : [];
  const seen = new Set<SectionType>();
  const sections = declared
    .map((section, index) => ({ section, index, order: Number.isFinite(section.order) ? Number(section.order) : index }))
    .sort((a, b) => a.order - b.order || a.index - b.index)
    .flatMap(({ section }) => {
      const type = section.type as SectionType;
      if (!sectionTypes.includes(type) || seen.has(type) || section.visible === false) return [];
      seen.add(type);
      const title = typeof section.title === "string" && section.title.trim()
        ? section.title.trim().slice(0, 60)
        : defaultTitles[type];
      const position = typeof section.position === "string" ? section.position : "main";
      return [{ spec: { type, title, showTitle: section.showTitle !== false }, position }];
    });
  // A template that lists no sections shows them all, in the usual order.
  const placed = sections.length ? sections : sectionTypes.map((type) => ({
    spec: { type, title: defaultTitles[type], showTitle: type !== "header" },
    position: type === "header" ? "top" : type === "summary" ? "after-header" : "main",
  }));
  const layoutType = typeof layout.type === "string" ? layout.type : "single-column";
  const hasSidebar = placed.some((s) => s.position === "sidebar");
  const twoColumns = layoutType !== "single-column" && hasSidebar;
  const areas = typeof layout.gridTemplateAreas === "string" ? layout.gridTemplateAreas : "";
  const { mainShare, sidebarSide } = columnShares(layout, areas);
  const at = (...positions: string[]) => placed.filter((s) => positions.includes(s.position)).map((s) => s.spec);
  const fontFamily = typeof theme.fontFamily === "string" ? theme.fontFamily.toLowerCase() : "";
  return {
    slug,
    twoColumns,
    sidebarSide,
    mainShare: Math.min(0.8, Math.max(0.5, mainShare)),
    top: at("top", "after-header"),
    main: twoColumns ? at("main") : placed.filter((s) => !["top", "after-header", "bottom"].includes(s.position))
      .map((s) => s.spec),
    sidebar: twoColumns ? at("sidebar") : [],
    bottom: at("bottom"),
    theme: {
      primary: colour(theme.primaryColor, defaultTheme.primary),
      secondary: colour(theme.secondaryColor, colour(theme.primaryColor, defaultTheme.secondary)),
      text: colour(theme.textColor, defaultTheme.text),
      background: colour(theme.backgroundColor, defaultTheme.background),
      accent: colour(theme.accentColor, defaultTheme.accent),
      border: colour(theme.borderColor, defaultTheme.border),
      serif: /serif/.test(fontFamily) && !/sans/.test(fontFamily),
      headingSize: points(theme.headingFontSize, defaultTheme.headingSize, 9, 20),
      bodySize: points(theme.bodyFontSize, defaultTheme.bodySize, 7.5, 13),
    },
  };
}
