// The capacity part's simulated users send a fair-use 429 again after its Retry-After
// through the app's own client module (clients/live-app/src/fair-use.ts, bundled for plain
// Node by bench/client-module.mjs), and count those 429s apart from what the user sees.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchAsClient } from '../../bench/parts/capacity.mjs';
import { retriesAfter429 } from '../../clients/live-app/src/fair-use.ts';

const answer = (status: number, retryAfter?: string) =>
  new Response(status === 200 ? '[]' : '{"code":"PT429"}', { status, headers: retryAfter ? { 'Retry-After': retryAfter } : {} });

function scripted(statuses: Array<[number, string?]>) {
  const calls: string[] = [];
  const fetchImpl = async (url: string) => {
    calls.push(url);
    const [status, retryAfter] = statuses[Math.min(calls.length - 1, statuses.length - 1)];
    return answer(status, retryAfter);
  };
  return { calls, options: { fetchImpl } };
}

// The module waits with the global setTimeout: each wait is recorded and cut short.
const waits: number[] = [];
const realSetTimeout = globalThis.setTimeout;
beforeEach(() => {
  waits.length = 0;
  globalThis.setTimeout = ((fn: () => void, ms?: number) => {
    waits.push(ms ?? 0);
    return realSetTimeout(fn, 0);
  }) as typeof setTimeout;
});
afterEach(() => {
  globalThis.setTimeout = realSetTimeout;
});

describe('the capacity part as the app client', () => {
  it('sends a 429 again after Retry-After and counts it apart', async () => {
    const s = scripted([[429, '1'], [429, '1'], [200]]);
    const { res, body, retried } = await fetchAsClient('http://x/rpc/share', {}, s.options);
    expect(res.status).toBe(200);
    expect(body).toBe('[]');
    expect(retried).toBe(2);
    expect(s.calls).toHaveLength(3);
    // Jittered within the wait's last half: 0.5 to 1 s.
    expect(waits).toHaveLength(2);
    for (const ms of waits) expect(ms >= 500 && ms <= 1000).toBe(true);
  });

  it('shows the 429 after the client module\'s last retry, and does not count it as sent again', async () => {
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
      expect(s.calls).toHaveLength(1);
      expect(waits).toHaveLength(0);
    }
  });
});
