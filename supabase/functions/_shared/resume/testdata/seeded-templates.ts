// The templates supabase/seed.sql inserts, read from the seed itself so the renderers
// are tested against exactly what a stack serves.
export async function loadSeededTemplates(): Promise<Record<string, unknown>> {
  const seed = await Deno.readTextFile(new URL("../../../../seed.sql", import.meta.url));
  return Object.fromEntries(
    [...seed.matchAll(/\('[^']+', '([a-z-]+)', '(\{.*?\})'::jsonb, true\)/g)].map((m) => [
      m[1],
      JSON.parse(m[2].replaceAll("''", "'")),
    ]),
  );
}
