// What PostgREST's handling of the access token adds to a request, apart from RLS.
//   node scripts/bench/jwt-probe.mjs [--runs N]      (against a running `npm start` stack)
//
// The full benchmark's whole-request RLS / bare ratio over HTTP compares a user's access
// token (GoTrue's claims: email, metadata, amr, session...) with the service_role key
// plus a user filter, so it carries two costs: the policy, and PostgREST decoding and
// validating a larger token on every request (PostgREST 12 caches nothing unless
// jwt-cache-max-lifetime is set; the stack sets it, as PostgREST 14 on Supabase caches by
// default). This probe sends one and the same RLS request (the jobs list of the demo
// user, no filter) with:
//   * the access token as GoTrue shapes it (scripts/lib/keys.mjs signAccessToken);
//   * a minimal token for the same user ({ sub, role, exp });
// to the stack's PostgREST (with the cache) and to a second PostgREST started here with
// the same settings but jwt-cache-max-lifetime = 0 (no cache), interleaved, and prints
// the p50s.
// Same SQL, same user, same rows: any difference is the token's handling in PostgREST.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { runMain, StackError, step } from '../lib/console.mjs';
import { jwtSecret, signAccessToken } from '../lib/keys.mjs';
import { postgrestBin } from '../lib/postgrest-process.mjs';
import { stackProfile } from '../lib/profiles.mjs';
import { demoUser } from '../lib/users.mjs';
import { percentile } from './measure.mjs';

const argv = process.argv.slice(2);
const runsAt = argv.indexOf('--runs');
const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 2000;
const warmup = Math.min(200, Math.ceil(runs / 10));
const path = '/jobs?select=*&order=updated_at.desc&limit=50';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function answers(url) {
  try {
    const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

async function startUncachedPostgrest(profile) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'jobstalker-jwt-probe-'));
  const config = readFileSync(profile.postgrestConfig, 'utf8')
    .replace(/^server-port = .*$/m, `server-port = ${port}`)
    .replace(/^jwt-cache-max-lifetime = .*\n/m, '') + 'jwt-cache-max-lifetime = 0\n';
  writeFileSync(join(dir, 'postgrest.conf'), config);
  const child = spawn(postgrestBin, [join(dir, 'postgrest.conf')], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  // Resolves once the process has exited, so nothing of the probe outlives it.
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  while (!(await answers(url))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new StackError(`The second PostgREST (without a JWT cache) did not start on port ${port}.`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, stop };
}

await runMain(async () => {
  const profile = stackProfile(process.env.JOBSTALKER_STACK ?? 'dev');
  if (!(await answers(profile.postgrestUrl))) {
    throw new StackError(`No PostgREST answers on ${profile.postgrestUrl}: start the stack first (npm start).`);
  }
  const now = Math.floor(Date.now() / 1000);
  const tokens = {
    'access token (GoTrue claims)': await signAccessToken(demoUser),
    'minimal token (sub, role, exp)': await new SignJWT({ sub: demoUser.id, role: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setExpirationTime(now + 3600)
      .sign(new TextEncoder().encode(jwtSecret)),
  };
  step(`Starting a second PostgREST without a JWT cache (jwt-cache-max-lifetime = 0) beside ${profile.postgrestUrl}`);
  const uncached = await startUncachedPostgrest(profile);
  const servers = { 'no JWT cache (12.0.2 default)': uncached.url, 'the stack (JWT cache, as 14.x)': profile.postgrestUrl };
  const samples = {};
  let body;
  try {
    step(`GET ${path} as ${demoUser.email}: ${runs} runs (+${warmup} warm-up) of each token on each server, interleaved`);
    for (let i = 0; i < warmup + runs; i++) {
      for (const [server, url] of Object.entries(servers)) {
        for (const [token, jwt] of Object.entries(tokens)) {
          const start = performance.now();
          const response = await fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${jwt}`, Accept: 'application/json' } });
          const text = await response.text();
          const ms = performance.now() - start;
          if (response.status !== 200) throw new StackError(`${server}, ${token}: HTTP ${response.status} ${text.slice(0, 200)}`);
          // Every variant must answer the same rows, or the comparison means nothing.
          if (body === undefined) body = text;
          else if (text !== body) throw new StackError(`${server}, ${token} answered different rows.`);
          if (i >= warmup) (samples[`${server}|${token}`] ??= []).push(ms);
        }
      }
    }
  } finally {
    await uncached.stop();
  }
  const p50 = (server, token) => percentile(samples[`${server}|${token}`], 0.5);
  const [plain, cached] = Object.keys(servers);
  const [full, minimal] = Object.keys(tokens);
  console.log('');
  console.log(`${'p50 ms'.padEnd(32)}${Object.keys(tokens).map((t) => t.padStart(34)).join('')}`);
  for (const server of Object.keys(servers)) {
    console.log(`${server.padEnd(32)}${Object.keys(tokens).map((t) => p50(server, t).toFixed(3).padStart(34)).join('')}`);
  }
  const us = (ms) => `${Math.round(ms * 1000)} µs`;
  console.log('');
  console.log(`GoTrue's claims over a minimal token, no cache: ${us(p50(plain, full) - p50(plain, minimal))}`);
  console.log(`Validating the access token on each request (no cache − cache): ${us(p50(plain, full) - p50(cached, full))}`);
  console.log(`GoTrue's claims over a minimal token, with the cache: ${us(p50(cached, full) - p50(cached, minimal))}`);
});
