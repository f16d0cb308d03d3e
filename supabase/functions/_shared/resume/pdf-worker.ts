// The PDF renderer in a worker thread of its own (pdf-pool.ts starts it): drawing a long
// document is CPU work that would otherwise hold the one event loop every request of the
// instance shares. One message in, one out; the document bytes are transferred, not copied.
/// <reference lib="deno.worker" />
import { loadFonts } from "./fonts.ts";
import { PdfTooLongError, renderResumePdf } from "./pdf.ts";
import type { PdfJob, PdfJobResult } from "./pdf-pool.ts";

// Only as a worker's entry module (import.meta.main): importing this file does nothing.
if (import.meta.main) {
  self.onmessage = async (event: MessageEvent<PdfJob>) => {
    const { id, resume, layout, options } = event.data;
    let result: PdfJobResult;
    try {
      const pdf = await renderResumePdf(resume, layout, options);
      result = { id, ok: true, bytes: pdf.bytes, pages: pdf.pages, missingGlyphs: pdf.missingGlyphs };
      self.postMessage(result, [pdf.bytes.buffer as ArrayBuffer]);
      return;
    } catch (error) {
      result = { id, ok: false, tooLong: error instanceof PdfTooLongError, message: String((error as Error)?.message ?? error) };
    }
    self.postMessage(result);
  };
  // Ready once pdf-lib and both font families are loaded, so a render's time bound
  // counts only the drawing.
  await Promise.all([loadFonts("sans"), loadFonts("serif")]);
  self.postMessage({ ready: true });
}
