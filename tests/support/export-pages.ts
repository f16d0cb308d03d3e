// Every page of a user's export through PostgREST, as a client downloads it:
// rpc('export_my_data_page', { after }) until next is null. Returns the pages and each
// table's rows over all pages, in page order (what export_my_data() holds in one piece).
import type { Client } from './clients';

export type ExportPage = { format_version: number; tables: Record<string, unknown[]>; next: string | null; [key: string]: unknown };

export async function exportPages(client: Client, maxPages = 1000) {
  const pages: { page: ExportPage; bytes: number; ms: number; status: number }[] = [];
  const tables: Record<string, unknown[]> = {};
  let after: string | null = null;
  do {
    const started = performance.now();
    const { data, error, status } = await client.rpc('export_my_data_page', after === null ? {} : { after });
    if (error) throw new Error(`export_my_data_page answered ${status} ${error.code}: ${error.message}`);
    const page = data as unknown as ExportPage;
    pages.push({ page, bytes: Buffer.byteLength(JSON.stringify(page)), ms: performance.now() - started, status });
    for (const [name, rows] of Object.entries(page.tables)) (tables[name] ??= []).push(...rows);
    after = page.next;
  } while (after !== null && pages.length < maxPages);
  return { pages, tables, complete: after === null };
}
