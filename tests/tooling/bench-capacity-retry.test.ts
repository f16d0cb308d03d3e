// The capacity part's simulated users send a fair-use 429 again after its Retry-After, as
// the app's client module does (clients/live-app/src/fair-use.ts), and count those 429s
// apart from what the user would see.
import { describe, expect, it } from 'vitest';
import { fetchAsClient, retriesAfter429 } from '../../bench/parts/capacity.mjs';
import { retriesAfter429 as clientRetries } from '../../clients/live-app/src/fair-use.ts';

const answer = (status: number, retryAfter?: string) =>
  new Response(status === 200 ? '[]' : '{"code":"PT429"}', { status, headers: retryAfter ? { 'Retry-After': retryAfter } : {} });

function scripted(statuses: Array<[number, string?]>) {
  const calls: string[] = [];
  const waits: number[] = [];
  const fetchImpl = async (url: string) => {
    calls.push(url);
    const [status, retryAfter] = statuses[Math.min(calls.length - 1, statuses.length - 1)];
    return answer(status, retryAfter);
  };
  const wait = async (ms: number) => void waits.push(ms);
  return { calls, waits, options: { fetchImpl, wait } };
}

describe('the capacity part as the app client', () => {
  it('retries as many times as the client module', () => {
    expect(retriesAfter429).toBe(clientRetries);
  });

  it('sends a 429 again after Retry-After and counts it apart', async () => {
    const s = scripted([[429, '1'], [429, '1'], [200]]);
    const { res, retried } = await fetchAsClient('http://x/rpc/share', {}, s.options);
    expect(res.status).toBe(200);
    expect(retried).toBe(2);
    expect(s.calls).toHaveLength(3);
    // Jittered within the wait's last half: 0.5 to 1 s.
    for (const ms of s.waits) expect(ms >= 500 && ms <= 1000).toBe(true);
  });

  it('shows the 429 after the last retry', async () => {
    const s = scripted([[429, '1']]);
    const { res, retried } = await fetchAsClient('http://x/rpc/share', {}, s.options);
    expect(res.status).toBe(429);
    expect(retried).toBe(retriesAfter429);
    expect(s.calls).toHaveLength(retriesAfter429 + 1);
  });

  it('does not retry a 429 asking for a wait over 5 s, nor another error', async () => {
    for (const statuses of [[[429, '60']], [[429, 'soon']], [[500, '1']]] as Array<Array<[number, string?]>>) {
      const s = scripted(statuses);
      const { res, retried } = await fetchAsClient('http://x/jobs', {}, s.options);
      expect(res.status).toBe(statuses[0][0]);
      expect(retried).toBe(0);
      expect(s.waits).toHaveLength(0);
    }
  });
});
