// The recording double of the Storage and Auth APIs (supabase/functions/account/
// platform-double.ts) served on loopback at PLATFORM_DOUBLE_PORT, where the test
// gateway's functions find it as PLATFORM_API_URL (scripts/test.mjs). It does to the
// database what the real services do: Storage deletes the objects' rows (it may:
// storage.allow_delete_query), GoTrue deletes the auth.users row.
import { createServer } from 'node:http';
import type postgres from 'postgres';
import { platformDouble, type PlatformDouble } from '../../supabase/functions/account/platform-double.ts';
import { defaultModelServerPort } from './model-server';
import { serviceRoleKey } from './stack';

export const platformDoublePort = Number(process.env.PLATFORM_DOUBLE_PORT ?? Number(process.env.MODEL_SERVER_PORT ?? defaultModelServerPort) - 1);

export async function startPlatformDouble(admin: postgres.Sql): Promise<{ double: PlatformDouble; stop: () => Promise<void> }> {
  const double = platformDouble({ serviceRoleKey, buckets: ['avatars', 'resumes'] });
  double.onUserDeleted = async (id) => {
    await admin`delete from auth.users where id = ${id}`;
  };
  double.onObjectsDeleted = async (bucket, paths) => {
    await admin.begin(async (tx) => {
      await tx`select set_config('storage.allow_delete_query', 'true', true)`;
      await tx`delete from storage.objects where bucket_id = ${bucket} and name = any(${paths})`;
    });
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    const answer = await double.fetch(`http://127.0.0.1:${platformDoublePort}${req.url}`, {
      method: req.method, headers, body: chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined,
    });
    res.writeHead(answer.status, { 'Content-Type': 'application/json' });
    res.end(await answer.text());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(platformDoublePort, '127.0.0.1', () => resolve());
  });
  // Stopping ends every connection too: the gateway keeps its connections to the double
  // alive, and close() alone waits for those it does not see as idle (an afterAll hang).
  const stop = () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  return { double, stop };
}
