// What PostgREST's db-pre-request (private.check_fair_use, issue 22's fair use,
// docs/fair-use.md) adds to a signed-in request and not to the bare side: the whole-request
// RLS/bare pairs compare a user's token with the service_role key, and the check returns
// at once for service_role while a signed-in user takes an advisory-lock slot. So the
// core part times some requests once more as interleaved pairs (RLS, bare; alternating
// order; a different sampled user each pair) through the data set's own PostgREST with the
// check on, then off (the setting reset on authenticator and PostgREST's config reloaded),
// then on again, and reports each state's paired difference (bench/paired.mjs). The part
// of the RLS − bare difference that the check explains is what goes away with it off.
import { httpHeaders } from './client-queries.mjs';
import { performHttp, signClaims } from './measure.mjs';
import { median, pairedRatio } from './paired.mjs';

export const preRequestStates = [['on', true], ['off', false], ['on again', true]];

// The dashboard RPC as the app calls it: the user's token, or the service_role key with
// the user's sub (job_dashboard scopes itself by auth.uid(); service_role bypasses RLS).
export const dashboardRequest = {
  key: 'job_dashboard',
  title: 'job_dashboard RPC',
  http: (ctx, side) => [{
    method: 'POST',
    path: '/rpc/job_dashboard',
    headers: httpHeaders(side === 'rls' ? ctx.token : ctx.serviceToken, { json: true }),
    body: JSON.stringify({ tz: 'America/Los_Angeles' }),
  }],
};

// Turns the check on or off for every PostgREST of the cluster: the setting is the
// authenticator role's (cluster-wide); each PostgREST reloads its config when notified in
// its own database.
export async function setPreRequest(adminQuery, adminUrls, on) {
  await adminQuery(adminUrls[0], on
    ? "alter role authenticator set pgrst.db_pre_request = 'private.check_fair_use'"
    : 'alter role authenticator reset pgrst.db_pre_request');
  for (const url of adminUrls) await adminQuery(url, "notify pgrst, 'reload config'");
  await new Promise((resolve) => setTimeout(resolve, 1500));
}

// How many times this database ran the check so far (pg_stat_statements): the proof that
// a state's switch took effect in PostgREST.
async function checkCalls(adminQuery, adminUrl) {
  const [row] = await adminQuery(adminUrl, `
    select coalesce(sum(calls), 0)::bigint as calls from extensions.pg_stat_statements
     where query ilike '%check_fair_use%' and query not ilike '%pg_stat_statements%' and query not ilike '%db_pre_request%'
       and dbid = (select oid from pg_database where datname = current_database())`);
  return Number(row.calls);
}

async function timedGroup(restUrl, requests) {
  let ms = 0;
  for (const request of requests) {
    const result = await performHttp(restUrl, request);
    if (result.status >= 400) throw new Error(`${request.method} ${request.path} answered ${result.status}: ${result.body.slice(0, 200)}`);
    ms += result.ms;
  }
  return ms;
}

// queries: [{ key, http(ctx, side) }]; dataSet: { restUrl, contexts, db }. Returns
// { states: { [state]: { [key]: { rls, bare, paired } } }, checkCalls: { [state]: n }, problems }
// with medians in ms; a problem is a switch that did not take effect.
export async function measurePreRequest({ dataSet, queries, adminQuery, adminUrls, pairs, warmup }) {
  const adminUrl = dataSet.db.adminUrl;
  for (const ctx of dataSet.contexts) {
    ctx.serviceToken ??= await signClaims({ iss: 'supabase-demo', role: 'service_role', exp: 1983812996, sub: ctx.user.id });
  }
  const out = {};
  const problems = [];
  const callsByState = {};
  try {
    for (const [state, on] of preRequestStates) {
      await setPreRequest(adminQuery, adminUrls, on);
      out[state] = {};
      const callsBefore = await checkCalls(adminQuery, adminUrl);
      for (const q of queries) {
        const rls = [];
        const bare = [];
        for (let i = 0; i < warmup + pairs; i++) {
          const ctx = dataSet.contexts[i % dataSet.contexts.length];
          const order = i % 2 ? ['bare', 'rls'] : ['rls', 'bare'];
          const ms = {};
          for (const side of order) ms[side] = await timedGroup(dataSet.restUrl, q.http(ctx, side));
          if (i >= warmup) rls.push(ms.rls), bare.push(ms.bare);
        }
        out[state][q.key] = { rls: median(rls), bare: median(bare), paired: pairedRatio(rls, bare) };
      }
      const calls = (await checkCalls(adminQuery, adminUrl)) - callsBefore;
      // Every request runs it with the check on (service_role's return at once included).
      if (on ? calls < queries.length * (warmup + pairs) : calls > 0) {
        problems.push(`with the check ${state}, PostgREST ran private.check_fair_use() ${calls} times: the switch did not take effect`);
      }
      callsByState[state] = calls;
    }
  } finally {
    await setPreRequest(adminQuery, adminUrls, true);
  }
  return { states: out, problems, checkCalls: callsByState };
}

const us = (ms) => (Number.isFinite(ms) ? Math.round(ms * 1000).toLocaleString('en-US') : 'n/a');

// One line per request and state: "RLS − bare 67 µs (95% CI 6–99), ratio 1.034".
export function describePreRequest(result, key, state) {
  const p = result.states[state][key].paired;
  return `${us(p.median)} (${us(p.low)} to ${us(p.high)}), ${p.ratio.toFixed(3)}`;
}

// The report's table: per request, the paired RLS − bare difference in µs (95% CI) and
// its ratio to the bare median, with the check on, off and on again, and the share of
// the difference that went away with the check off.
export function preRequestMarkdown(result, queries, pairs) {
  const states = preRequestStates.map(([s]) => s);
  const explained = (key) => {
    const on = (result.states.on[key].paired.median + result.states['on again'][key].paired.median) / 2;
    const off = result.states.off[key].paired.median;
    return us(on - off);
  };
  return [
    '## Fair use\'s pre-request in the RLS − bare difference',
    '',
    'PostgREST runs `private.check_fair_use()` before every request (`db-pre-request`, [docs/fair-use.md](../../docs/fair-use.md)):',
    'a signed-in user takes an advisory-lock slot, the `service_role` key of the bare side returns at once. These requests were',
    `timed again on this data set as ${pairs} interleaved pairs per state through the same PostgREST, with the check on, off`,
    '(`pgrst.db_pre_request` reset on `authenticator` and the config reloaded) and on again ([bench/prerequest.mjs](../prerequest.mjs)).',
    'Each cell: the median paired RLS − bare difference in µs (95% CI), and the ratio 1 + difference / bare median. The last',
    'column is the check\'s part: the mean of the two "on" medians minus the "off" median, in µs (noise included: see the intervals).',
    `Calls of the check in each state (pg_stat_statements): ${preRequestStates.map(([s]) => `${s} ${result.checkCalls[s]}`).join(', ')}.`,
    '',
    `| request | ${states.map((s) => `check ${s}`).join(' | ')} | the check's part, µs |`,
    `|---|${states.map(() => '---|').join('')}---:|`,
    ...queries.map((q) => `| ${q.key} | ${states.map((s) => describePreRequest(result, q.key, s)).join(' | ')} | ${explained(q.key)} |`),
  ];
}
