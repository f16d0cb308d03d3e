// Paired verdicts: RLS and bare are timed as interleaved pairs (the same iteration, the
// same user, back to back in alternating order), so a noisy neighbour that slows one
// pair slows both of its sides. The verdict is judged from the paired differences
// d = a − b: their median, with a distribution-free 95% confidence interval from the
// sign test's order statistics (the interval [d(k), d(n−k+1)] covers the median of d
// with probability ≥ 95% whatever the distribution, for independent pairs), expressed
// as a ratio of b's median: ratio = 1 + d / median(b).
//
// Verdict rule (bench/README.md): for an upper limit (ratio ≤ target) the target is met
// when the interval's upper bound is ≤ target, missed when its lower bound is > target,
// and otherwise undecided at this noise; for a lower limit (ratio ≥ target) the same
// mirrored.

// P(B = i) for B ~ Binomial(n, 1/2), i = 0..upTo, computed in logs so that n in the
// thousands neither overflows nor underflows (0.5^1075 is 0 in a double).
function binomialHalfTerms(n, upTo) {
  const terms = [];
  let logTerm = -n * Math.LN2;
  for (let i = 0; i <= upTo; i++) {
    if (i > 0) logTerm += Math.log(n - i + 1) - Math.log(i);
    terms.push(Math.exp(logTerm));
  }
  return terms;
}

// P(B ≤ j) for B ~ Binomial(n, 1/2).
export function binomialCdfHalf(n, j) {
  if (j < 0) return 0;
  if (j >= n) return 1;
  return Math.min(binomialHalfTerms(n, j).reduce((sum, t) => sum + t, 0), 1);
}

// The 1-based rank k of the lower bound: the largest k with 2·P(B ≤ k−1) ≤ 1 − level.
// 0 when n pairs are too few for that level (n < 6 at 95%).
export function signTestRank(n, level = 0.95) {
  const alpha = 1 - level;
  const half = Math.floor((n + 1) / 2);
  let k = 0;
  let cdf = 0;
  for (const term of binomialHalfTerms(n, half - 1)) {
    cdf += term;
    if (2 * cdf > alpha) break;
    k++;
  }
  return k;
}

const sorted = (values) => [...values].sort((x, y) => x - y);

export function median(values) {
  if (!values.length) return NaN;
  const s = sorted(values);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

// The median of the paired differences and its distribution-free confidence interval.
// a, b: equal-length arrays, a[i] and b[i] measured as a pair.
export function pairedDifference(a, b, level = 0.95) {
  if (a.length !== b.length) throw new Error(`paired samples differ in length (${a.length} and ${b.length})`);
  const d = sorted(a.map((x, i) => x - b[i]));
  const n = d.length;
  const k = signTestRank(n, level);
  return {
    n,
    median: median(d),
    low: k ? d[k - 1] : NaN,
    high: k ? d[n - k] : NaN,
    // The interval's exact coverage for these n and k.
    coverage: k ? 1 - 2 * binomialCdfHalf(n, k - 1) : NaN,
  };
}

// The paired difference as a ratio of b's median: 1 + d / median(b), with its interval.
export function pairedRatio(a, b, level = 0.95) {
  const diff = pairedDifference(a, b, level);
  const base = median(b);
  return { ...diff, base, ratio: 1 + diff.median / base, ratioLow: 1 + diff.low / base, ratioHigh: 1 + diff.high / base };
}

// 'met' | 'missed' | 'undecided' for an interval [low, high] against a limit.
// atMost: the target is value ≤ limit (otherwise value ≥ limit).
export function judge(low, high, limit, { atMost = true } = {}) {
  if (!Number.isFinite(low) || !Number.isFinite(high)) return 'undecided';
  if (atMost) return high <= limit ? 'met' : low > limit ? 'missed' : 'undecided';
  return low >= limit ? 'met' : high < limit ? 'missed' : 'undecided';
}

// A verdict from a paired ratio, in the shape run.mjs and report.mjs print:
// { target, value, low, high, n, coverage, outcome, pass } (pass: only 'missed' fails a run;
// 'undecided' is reported with its interval and fails nothing).
export function pairedVerdict(target, paired, limit, { atMost = true, value = 'ratio', low = 'ratioLow', high = 'ratioHigh', unit } = {}) {
  const outcome = judge(paired[low], paired[high], limit, { atMost });
  return {
    target,
    value: paired[value],
    low: paired[low],
    high: paired[high],
    n: paired.n,
    coverage: paired.coverage,
    outcome,
    pass: outcome !== 'missed',
    unit,
  };
}

const fixed = (v, digits) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

// "1.03 (95% CI 1.01–1.05, 400 pairs)"
export function describeInterval(v, digits = 2) {
  if (v.low === undefined) return fixed(v.value, digits);
  return `${fixed(v.value, digits)} (95% CI ${fixed(v.low, digits)}–${fixed(v.high, digits)}, ${v.n} pairs)`;
}

export const outcomeLabel = (v) => (v.outcome ? { met: 'MET', missed: 'MISSED', undecided: 'UNDECIDED' }[v.outcome] : v.pass ? 'MET' : 'MISSED');
