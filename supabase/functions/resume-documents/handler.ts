// The owner's resume documents: any version of the caller's own generated resumes, as
// PDF, HTML or JSON Resume, and rendering one into the private renders bucket.
//
//   GET  /functions/v1/resume-documents/<generatedResumeId>?format=pdf|html|jsonresume&version=N&paper=a4|letter
//   POST /functions/v1/resume-documents/<generatedResumeId>/render?version=N&paper=a4|letter
//
// Everything is read as the caller (RLS: another user's resume is as invisible as a
// missing one, 404). Without `version` the newest one is served. A version never
// changes, so an answer for an explicit version is cached for good (private,
// immutable) and one for "the newest" is revalidated; both carry a strong ETag and a
// matching If-None-Match is answered 304 without rendering.
//
// POST .../render draws the PDF, stores it through the Storage API acting as the caller
// (their own access token) at `{user_id}/{generatedResumeId}/v{n}-{paper}.pdf`, and
// records that path in the version's render_artifact_url (record_render_artifact, which
// checks the object exists and is the caller's).
import { type CallerClaims, type CallerWithToken, callerWithToken, type VerifyCaller } from "../_shared/auth.ts";
import { asCaller, type Sql } from "../_shared/db.ts";
import { HttpError, json } from "../_shared/http.ts";
import { createPipeline } from "../_shared/pipeline.ts";
import { renderPath, type StorageConfig, uploadRender } from "../_shared/resume/render-storage.ts";
import {
  createResumeRenderer,
  formatRequest,
  matchesEtag,
  type ResumeRenderer,
  resumeEtag,
  type ResumeSource,
  untrustedPageHeaders,
} from "../_shared/resume/formats.ts";

export interface ResumeDocumentsDeps {
  verifyCaller: VerifyCaller;
  database: () => Sql;
  storage: StorageConfig;
  renderer?: ResumeRenderer;
}

interface VersionRow {
  title: string | null;
  template_slug: string | null;
  template_schema: unknown;
  version_number: number;
  content_json: unknown;
  created_at: string | Date;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const route = /\/resume-documents\/([^/]+)(\/render)?\/?$/;

export const cacheImmutable = "private, max-age=31536000, immutable";
export const cacheRevalidate = "private, no-cache";

const notFound = () => new HttpError(404, "not_found", "Generated resume not found.");

function versionParam(url: URL): number | null {
  const raw = url.searchParams.get("version");
  if (raw === null) return null;
  if (!/^[1-9]\d{0,8}$/.test(raw)) throw new HttpError(422, "invalid_version", "version must be a positive whole number.");
  return Number(raw);
}

// One version of one of the caller's resumes, with its template (the caller's RLS
// shows active templates only; an inactive one falls back to the default layout).
async function readVersion(sql: Sql, claims: CallerClaims, resumeId: string, version: number | null) {
  const [row] = await asCaller(sql, claims, (tx) =>
    tx<VersionRow[]>`
      select gr.title, t.slug as template_slug, t.schema as template_schema,
             v.version_number, v.content_json, v.created_at
        from public.generated_resumes gr
        join public.generated_resume_versions v on v.generated_resume_id = gr.id
        left join public.templates t on t.id = gr.template_id
       where gr.id = ${resumeId}
         and (${version}::integer is null or v.version_number = ${version}::integer)
       order by v.version_number desc
       limit 1`);
  if (!row) throw notFound();
  const source: ResumeSource = {
    title: row.title ?? "",
    templateSlug: row.template_slug ?? "",
    templateSchema: row.template_schema ?? null,
    content: row.content_json,
    writtenAt: new Date(row.created_at).toISOString(),
  };
  return { source, versionNumber: row.version_number };
}

export function createResumeDocumentsHandler(deps: ResumeDocumentsDeps) {
  const renderer = deps.renderer ?? createResumeRenderer();
  return createPipeline<CallerWithToken>({
    name: "resume-documents",
    methods: ["GET", "HEAD", "POST"],
    headers: untrustedPageHeaders,
    // The caller's own access token is passed on to the Storage API.
    caller: callerWithToken(deps.verifyCaller),
    route(url) {
      const match = route.exec(url.pathname);
      if (!match || !uuid.test(match[1])) throw notFound();
      const resumeId = match[1].toLowerCase();
      const rendering = Boolean(match[2]);
      return {
        // /render draws and stores (POST); the documents themselves are read (GET, HEAD).
        methods: rendering ? ["POST"] : ["GET", "HEAD"],
        async run({ request, caller }) {
          const version = versionParam(url);
          if (rendering) {
            const { paper } = formatRequest(url, ["pdf"], "pdf");
            const { source, versionNumber } = await readVersion(deps.database(), caller.claims, resumeId, version);
            const wanted = { format: "pdf" as const, paper };
            const rendered = await renderer.render(source, wanted, await resumeEtag(source, wanted));
            const path = renderPath(caller.claims.sub, resumeId, versionNumber, paper);
            await uploadRender(deps.storage, caller.token, path, rendered.body as Uint8Array);
            const [saved] = await asCaller(deps.database(), caller.claims, (tx) =>
              tx<{ version: Record<string, unknown> }[]>`
                select to_jsonb(v) - 'content_json' as version
                  from public.record_render_artifact(${resumeId}::uuid, ${versionNumber}::integer, ${path}) v`);
            return json({
              version: saved.version,
              bucket: "renders",
              path,
              pages: Number(rendered.headers["X-Page-Count"]),
              missingGlyphs: Number(rendered.headers["X-Missing-Glyphs"]),
            }, 201);
          }
          const wanted = formatRequest(url, ["pdf", "html", "jsonresume"], "pdf");
          const { source, versionNumber } = await readVersion(deps.database(), caller.claims, resumeId, version);
          const etag = await resumeEtag(source, wanted);
          const headers: Record<string, string> = {
            ETag: etag,
            "Cache-Control": version === null ? cacheRevalidate : cacheImmutable,
            "X-Version-Number": String(versionNumber),
            "Access-Control-Expose-Headers": "X-Request-Id, ETag, X-Version-Number, X-Missing-Glyphs, X-Page-Count",
          };
          if (matchesEtag(request, etag)) return new Response(null, { status: 304, headers });
          const rendered = await renderer.render(source, wanted, etag);
          return new Response(rendered.body as BodyInit, {
            status: 200,
            headers: { ...headers, "Content-Type": rendered.contentType, ...rendered.headers },
          });
        },
      };
    },
  });
}
