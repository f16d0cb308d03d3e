// The gateway bounds request bodies (scripts/body-limit.ts, docs/limits.md): 413 beyond
// the bound, before PostgREST or a function processes anything, for a declared length
// and for a chunked body alike; the bound for signed-in users still admits a bulk import
// of 5,000 realistic jobs in one supabase-js insert. Threats covered:
// - an anonymous 50 MB JSON body to an RPC (issue 22 finding 4: PostgREST grew to
//   1.2 GB and the request ended in a statement timeout after 6 s);
// - the same without Content-Length (chunked), so no header check can see it;
// - a signed-in body over its larger bound.
import { request } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import * as words from '../../bench/vocabulary.mjs';
import { anonKey, newUser, stack } from '../support/stack';

let user: Awaited<ReturnType<typeof newUser>>;
beforeAll(async () => {
  user = await newUser('body-limit');
});

const megabyte = 1024 * 1024;

// A JSON body of about `bytes` bytes for get_public_generated_resume's argument.
const rpcBody = (bytes: number) => JSON.stringify({ share_token: 'A'.repeat(bytes) });

// The same body, sent in chunks without a Content-Length.
function chunked(text: string) {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + 64 * 1024));
      offset += 64 * 1024;
    },
  });
}

// 5,000 jobs as an import from another tracker sends them: the benchmark's vocabulary,
// each with the longest description the benchmark generates (six paragraphs, ~1.9 KB).
function realisticJobs(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    job_title: words.jobTitles[i % words.jobTitles.length],
    company: words.companies[i % words.companies.length],
    location: words.locations[i % words.locations.length],
    salary: '$120,000 - $150,000',
    job_url: `https://${words.companyHosts[i % words.companyHosts.length]}/jobs/${100_000_000 + i}`,
    status: 'applied',
    excitement_level: 4,
    date_applied: '2026-10-01',
    deadline: '2026-11-01',
    description: `${words.companies[i % words.companies.length]} is hiring a ${words.jobTitles[i % words.jobTitles.length]}.\n\n` +
      words.paragraphs.slice(i % 58, (i % 58) + 6).join('\n\n'),
  }));
}

describe('request bodies through the gateway', () => {
  it('refuses an anonymous 50 MB body to an RPC with 413 at once, before the client has sent most of it', async () => {
    // node:http, so the answer is seen while the body is still being written.
    const url = new URL(`${stack.restUrl}/rpc/get_public_generated_resume`);
    const total = 50 * megabyte;
    const { status, body, written } = await new Promise<{ status: number; body: string; written: number }>((resolve, reject) => {
      let written = 0;
      let answered = false;
      const req = request(url, {
        method: 'POST',
        headers: { apikey: anonKey, 'Content-Type': 'application/json', 'Content-Length': String(total) },
      }, (res) => {
        answered = true;
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, written }));
      });
      req.on('error', (error) => (answered ? undefined : reject(error)));
      const chunk = Buffer.alloc(megabyte, 'A');
      const pump = () => {
        while (!answered && written < total) {
          written += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!answered) req.end();
      };
      pump();
    });
    expect(status, body).toBe(413);
    expect(JSON.parse(body)).toMatchObject({ code: 'payload_too_large', message: 'The request body is larger than 1 MB.' });
    expect(written).toBeLessThan(total);
  });

  it('counts a chunked body as it streams: an anonymous 2 MB body without Content-Length is 413 too', async () => {
    const res = await fetch(`${stack.restUrl}/rpc/get_public_generated_resume`, {
      method: 'POST',
      headers: { apikey: anonKey, 'Content-Type': 'application/json' },
      body: chunked(rpcBody(2 * megabyte)),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'payload_too_large' });
  });

  it('admits an anonymous body under its bound (the RPC answers as before)', async () => {
    const res = await fetch(`${stack.restUrl}/rpc/get_public_generated_resume`, {
      method: 'POST',
      headers: { apikey: anonKey, 'Content-Type': 'application/json' },
      body: chunked(rpcBody(64 * 1024)),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).not.toBe(413);
    await res.text();
  });

  it('admits the insert supabase-js sends for 5,000 realistic jobs from a signed-in user (measured: under the 16 MB bound)', async () => {
    const jobs = realisticJobs(5000);
    // The first row breaks a rule, so PostgREST parses the whole body and the insert
    // stops at once: the test proves the body passed the gateway without writing 5,000 rows.
    const body = JSON.stringify([{ ...jobs[0], excitement_level: 99 }, ...jobs.slice(1)]);
    const size = Buffer.byteLength(body);
    console.log(`body-limit: 5,000 realistic jobs are ${(size / megabyte).toFixed(1)} MB of JSON`);
    expect(size).toBeGreaterThan(8 * megabyte);
    expect(size).toBeLessThan(16 * megabyte);
    const res = await fetch(`${stack.restUrl}/jobs`, {
      method: 'POST',
      headers: { apikey: anonKey, Authorization: `Bearer ${user.token}`, 'Content-Type': 'application/json', Prefer: 'return=minimal' },
      body,
    });
    const answer = await res.json();
    expect(res.status, JSON.stringify(answer)).toBe(400);
    expect(answer.code).toBe('23514');
  });

  it('refuses a signed-in body over 16 MB with 413, chunked or declared, through /rest/v1 and /functions/v1', async () => {
    const big = JSON.stringify([{ description: 'x'.repeat(17 * megabyte) }]);
    const declared = await fetch(`${stack.restUrl}/jobs`, {
      method: 'POST',
      headers: { apikey: anonKey, Authorization: `Bearer ${user.token}`, 'Content-Type': 'application/json' },
      body: big,
    });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ message: 'The request body is larger than 16 MB.' });
    const streamed = await fetch(`${stack.restUrl}/jobs`, {
      method: 'POST',
      headers: { apikey: anonKey, Authorization: `Bearer ${user.token}`, 'Content-Type': 'application/json' },
      body: chunked(big),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    await streamed.text();
    const fn = await fetch(`${stack.apiUrl}/functions/v1/ai/parse-job`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${user.token}`, 'Content-Type': 'application/json' },
      body: chunked(big),
      duplex: 'half',
    } as RequestInit);
    expect(fn.status).toBe(413);
    expect(await fn.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  });
});
