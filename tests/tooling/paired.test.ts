// The benchmark's paired verdicts (bench/paired.mjs): the sign-test interval of the
// median paired difference, its ratio to the bare median, and the met / missed /
// undecided rule, on fixed inputs whose answers are worked out by hand.
import { describe, expect, it } from 'vitest';
import { binomialCdfHalf, describeInterval, judge, pairedDifference, pairedRatio, pairedVerdict, signTestRank } from '../../bench/paired.mjs';

describe('the sign-test interval of a median', () => {
  it('uses the ranks of the published tables (95%, two-sided)', () => {
    // Too few pairs for 95%: 2 · 0.5^5 = 0.0625.
    expect(signTestRank(5)).toBe(0);
    expect(signTestRank(6)).toBe(1);
    expect(signTestRank(10)).toBe(2);
    expect(signTestRank(20)).toBe(6);
    expect(signTestRank(50)).toBe(18);
    // Beyond the tables: the normal approximation n/2 − 1.96·√n/2 gives 180.4 for 400 pairs.
    expect(signTestRank(400)).toBe(180);
    expect(2 * binomialCdfHalf(400, 179)).toBeLessThanOrEqual(0.05);
    expect(2 * binomialCdfHalf(400, 180)).toBeGreaterThan(0.05);
    expect(binomialCdfHalf(10, 1)).toBeCloseTo(11 / 1024, 12);
  });

  it('stays finite for thousands of pairs', () => {
    const k = signTestRank(5000);
    expect(k).toBeGreaterThan(2400);
    expect(k).toBeLessThan(2500);
  });

  it('takes the median of the differences, not the difference of the medians', () => {
    // a and b have the same median (5.5), but in nine pairs of ten a is 1 slower.
    const b = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const a = [2, 3, 4, 5, 6, 7, 8, 9, 10, 1];
    const d = pairedDifference(a, b);
    expect(d.median).toBe(1);
    // Sorted differences −9, 1 × 9; k = 2: the 2nd and the 9th.
    expect([d.low, d.high]).toEqual([1, 1]);
    expect(d.coverage).toBeCloseTo(1 - 2 * (11 / 1024), 12);
  });

  it('expresses the difference as a ratio of the bare median', () => {
    const rls = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
    const bare = [9, 10, 10, 11, 12, 12, 13, 14, 15, 16];
    const r = pairedRatio(rls, bare);
    // Differences 1,1,2,2,2,3,3,3,3,3: median 2.5, interval [d2, d9] = [1, 3]; bare median 12.
    expect(r.base).toBe(12);
    expect(r.ratio).toBeCloseTo(1 + 2.5 / 12, 12);
    expect(r.ratioLow).toBeCloseTo(1 + 1 / 12, 12);
    expect(r.ratioHigh).toBeCloseTo(1.25, 12);
  });

  it('refuses samples that are not pairs', () => {
    expect(() => pairedDifference([1, 2], [1])).toThrow(/differ in length/);
  });

  it('gives no interval for too few pairs', () => {
    const r = pairedRatio([2, 2, 2], [1, 1, 1]);
    expect(r.ratio).toBe(2);
    expect(Number.isNaN(r.ratioLow)).toBe(true);
    expect(judge(r.ratioLow, r.ratioHigh, 1.05)).toBe('undecided');
  });
});

describe('the verdict rule', () => {
  it('for an upper limit: met below, missed above, undecided across', () => {
    expect(judge(0.98, 1.05, 1.05)).toBe('met');
    expect(judge(1.051, 1.2, 1.05)).toBe('missed');
    expect(judge(1.01, 1.09, 1.05)).toBe('undecided');
  });

  it('for a lower limit: the same mirrored', () => {
    expect(judge(0.95, 1.1, 0.95, { atMost: false })).toBe('met');
    expect(judge(0.8, 0.94, 0.95, { atMost: false })).toBe('missed');
    expect(judge(0.9, 1.0, 0.95, { atMost: false })).toBe('undecided');
  });

  it('fails a run only on a miss, and reports the interval beside the value', () => {
    // Ten pairs whose RLS side is 2–4 % slower: the whole interval is under 1.05.
    const bare = [100, 101, 99, 100, 102, 98, 100, 101, 99, 100];
    const met = pairedVerdict('x ≤ 1.05', pairedRatio(bare.map((b, i) => b * (1.02 + (i % 3) / 100)), bare), 1.05);
    expect(met.outcome).toBe('met');
    expect(met.pass).toBe(true);
    expect(describeInterval(met)).toMatch(/^1\.03 \(95% CI 1\.02–1\.04, 10 pairs\)$/);
    const wide = pairedVerdict('y ≤ 1.05', pairedRatio([100, 120, 95, 110, 101, 130, 99, 104, 125, 97], bare), 1.05);
    expect(wide.outcome).toBe('undecided');
    expect(wide.pass).toBe(true);
    const missed = pairedVerdict('z ≤ 1.05', pairedRatio(bare.map((b) => b * 1.2), bare), 1.05);
    expect(missed.outcome).toBe('missed');
    expect(missed.pass).toBe(false);
  });
});
