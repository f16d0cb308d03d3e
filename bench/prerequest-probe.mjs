// What PostgREST's db-pre-request (private.check_fair_use, issue 22's fair use) adds to a
// signed-in request and not to the bare side: the bench's whole-request RLS/bare pairs
// compare a user's token with the service_role key, and service_role returns from the
// check at once while a user takes an advisory-lock slot. Times the bench's jobs list and
// resume-by-id reads as interleaved pairs (RLS, bare) straight to a running stack's
// PostgREST, with the check on and then off (the setting reset on authenticator and
// PostgREST's config reloaded), and reports each side's median, the median paired
// difference with its 95% interval (bench/paired.mjs), and the ratio to the bare median.
// Usage: `npm start`, then `node bench/prerequest-probe.mjs [pairs]`. It turns the check
// back on before it exits.
import postgres from 'postgres';
import { anonKey, serviceRoleKey } from '../scripts/lib/keys.mjs';
import { demoUser, tokenFor } from '../scripts/lib/users.mjs';
import { stackProfile } from '../scripts/lib/profiles.mjs';
import { median, pairedRatio } from './paired.mjs';

const pairs = Number(process.argv[2] ?? 400);
const profile = stackProfile('dev');
const admin = postgres(profile.adminUrl, { max: 1, onnotice: () => {} });
const { token } = await tokenFor(profile, demoUser.email);
const [resume] = await admin`select id from public.generated_resumes where user_id = ${demoUser.id} limit 1`;

const requests = {
  jobs_list: {
    rls: ['/jobs?select=*&order=updated_at.desc&limit=50', token, {}],
    bare: [`/jobs?select=*&user_id=eq.${demoUser.id}&order=updated_at.desc&limit=50`, serviceRoleKey, {}],
  },
  resume_by_id: {
    rls: [`/generated_resumes?select=*&id=eq.${resume.id}`, token, { accept: 'application/vnd.pgrst.object+json' }],
    bare: [`/generated_resumes?select=*&id=eq.${resume.id}&user_id=eq.${demoUser.id}`, serviceRoleKey, { accept: 'application/vnd.pgrst.object+json' }],
  },
};

async function timed([path, bearer, headers]) {
  const started = performance.now();
  const res = await fetch(`${profile.postgrestUrl}${path}`, { headers: { apikey: anonKey, authorization: `Bearer ${bearer}`, ...headers } });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  return performance.now() - started;
}

async function measure(label) {
  const out = {};
  for (const [key, sides] of Object.entries(requests)) {
    for (let i = 0; i < 50; i++) await timed(sides.rls), await timed(sides.bare); // warm
    const rls = [], bare = [];
    for (let i = 0; i < pairs; i++) {
      if (i % 2) { bare.push(await timed(sides.bare)); rls.push(await timed(sides.rls)); }
      else { rls.push(await timed(sides.rls)); bare.push(await timed(sides.bare)); }
    }
    const r = pairedRatio(rls, bare);
    out[key] = r;
    const us = (ms) => Math.round(ms * 1000);
    console.log(`${label} ${key}: rls p50 ${us(median(rls))} µs, bare p50 ${us(median(bare))} µs, ` +
      `RLS − bare ${us(r.median)} µs (95% CI ${us(r.low)}–${us(r.high)}), ratio ${r.ratio.toFixed(3)} (${r.ratioLow.toFixed(3)}–${r.ratioHigh.toFixed(3)}), ${r.n} pairs`);
  }
  return out;
}

async function setCheck(on) {
  if (on) await admin`alter role authenticator set pgrst.db_pre_request = 'private.check_fair_use'`;
  else await admin`alter role authenticator reset pgrst.db_pre_request`;
  await admin`notify pgrst, 'reload config'`;
  await new Promise((r) => setTimeout(r, 1500));
}

try {
  await measure('check on ');
  await setCheck(false);
  await measure('check off');
  await setCheck(true);
  await measure('check on ');
} finally {
  await setCheck(true);
  await admin.end();
}
