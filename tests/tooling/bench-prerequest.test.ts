// The core part's table of fair use's pre-request (bench/prerequest.mjs): per request, the
// paired RLS − bare difference with the check on, off and on again, and the check's part.
import { describe, expect, it } from 'vitest';
import { pairedRatio } from '../../bench/paired.mjs';
import { describePreRequest, preRequestMarkdown } from '../../bench/prerequest.mjs';

// Ten pairs whose differences are all `us` µs, on a bare side of 3 ms.
const state = (us: number) => {
  const bare = Array.from({ length: 10 }, (_, i) => 3 + i / 1000);
  return { jobs_list: { paired: pairedRatio(bare.map((b) => b + us / 1000), bare) } };
};
const result = {
  states: { on: state(100), off: state(20), 'on again': state(140) },
  checkCalls: { on: 40, off: 0, 'on again': 40 },
};

describe("the pre-request's table", () => {
  it('gives each state its paired difference in µs, interval and ratio', () => {
    expect(describePreRequest(result, 'jobs_list', 'off')).toBe('20 (20 to 20), 1.007');
  });

  it("says the check's part as the mean of the two on states less the off state", () => {
    const lines = preRequestMarkdown(result, [{ key: 'jobs_list' }], 10);
    expect(lines.at(-1)).toBe('| jobs_list | 100 (100 to 100), 1.033 | 20 (20 to 20), 1.007 | 140 (140 to 140), 1.047 | 100 |');
    expect(lines.join('\n')).toContain('on 40, off 0, on again 40');
  });
});
