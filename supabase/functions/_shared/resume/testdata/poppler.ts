// poppler-utils (Debian), for reading rendered PDFs back the way a person's tools do.
// Each rendered file and page-1 picture is kept under test-output/ for a person to look at.
export const outputDir = new URL("../../../../../test-output/pdf/", import.meta.url);

async function run(command: string, args: string[]): Promise<string> {
  const { code, stdout, stderr } = await new Deno.Command(command, { args, stdout: "piped", stderr: "piped" }).output();
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${new TextDecoder().decode(stderr)}`);
  return new TextDecoder().decode(stdout);
}

export async function savePdf(name: string, bytes: Uint8Array): Promise<string> {
  await Deno.mkdir(outputDir, { recursive: true });
  const path = new URL(`${name}.pdf`, outputDir).pathname;
  await Deno.writeFile(path, bytes);
  return path;
}

// Text in content order (-raw): what a reader's copy and a screen reader get.
export const pdfText = (path: string) => run("pdftotext", ["-raw", "-enc", "UTF-8", path, "-"]);
export const pdfInfo = (path: string) => run("pdfinfo", ["-enc", "UTF-8", path]);
export const pdfUrls = async (path: string) =>
  (await run("pdfinfo", ["-url", path])).split("\n").slice(1).map((l) => l.trim().split(/\s+/)).filter((p) => p.length >= 3)
    .map(([page, , url]) => ({ page: Number(page), url }));

export async function pagePng(path: string, name: string): Promise<string> {
  const prefix = new URL(name, outputDir).pathname;
  await run("pdftoppm", ["-png", "-r", "72", "-f", "1", "-l", "1", "-singlefile", path, prefix]);
  return `${prefix}.png`;
}

export interface TextLine {
  page: number;
  pageHeight: number;
  yMin: number;
  yMax: number;
  xMin: number;
  text: string;
}

// Every text line with its box, page by page (pdftotext -bbox-layout; y grows downwards).
export async function pdfLines(path: string): Promise<TextLine[]> {
  const xml = await run("pdftotext", ["-bbox-layout", "-enc", "UTF-8", path, "-"]);
  const lines: TextLine[] = [];
  const pages = xml.split("<page ").slice(1);
  pages.forEach((page, index) => {
    const height = Number(/height="([\d.]+)"/.exec(page)![1]);
    for (const match of page.matchAll(/<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([\s\S]*?)<\/line>/g)) {
      const words = [...match[4].matchAll(/<word[^>]*>([^<]*)<\/word>/g)].map((w) => w[1]);
      lines.push({
        page: index + 1,
        pageHeight: height,
        xMin: Number(match[1]),
        yMin: Number(match[2]),
        yMax: Number(match[3]),
        text: words.join(" ").replaceAll("&amp;", "&").replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"'),
      });
    }
  });
  return lines;
}
