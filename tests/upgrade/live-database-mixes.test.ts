// The production upgrade on mixes of the v2.0 and the live shape (see live-database.test.ts):
// each live object present or absent, in a covering design and a random mix, each upgraded,
// counted and reconciled.
import { describe, expect, it } from 'vitest';
import { dropScratchDatabase } from '../../scripts/lib/database.mjs';
import { stack } from '../support/stack';
import { applyPending, buildLive, countProblems, useLiveDatabases } from './live-database';
import { type LiveObject, liveObjects, seededRandom } from './live-shape';
import { reconcile } from './reconcile';

useLiveDatabases();

// Mixes: each object is given its own set of half the mixes (a distinct 3 of 6, so k = 6
// mixes serve up to C(6, 3) = 20 objects) and is present in exactly those. No object's set
// contains another's, so for any two objects there is a mix with the one present and the other
// absent, and one the other way round: the handling of no object depends on another being there
// or not, and every object is absent in half the mixes and present in the other half (the test
// below checks this of the mixes it builds). Each mix is a full v2.0 database upgraded, the
// slowest step of the upgrade tests, so the mixes are as few as that property allows. Then a
// random mix (a fixed seed, so that a failure reproduces).
const mixCount = 6;
const halves = Array.from({ length: 1 << mixCount }, (_, set) => set)
  .filter((set) => set.toString(2).split('1').length - 1 === mixCount / 2);
if (halves.length < liveObjects.length) throw new Error(`${mixCount} mixes cannot tell ${liveObjects.length} objects apart`);
const random = seededRandom(20261207);
const mixes: { name: string; objects: LiveObject[] }[] = [
  ...Array.from({ length: mixCount }, (_, b) => ({
    name: `mix ${b + 1} of ${mixCount}`,
    objects: liveObjects.filter((_, n) => (halves[n] >> b) & 1),
  })),
  { name: 'a random mix', objects: liveObjects.filter(() => random() < 0.5) },
];

describe('mixes of the two: each live object present or absent', () => {
  it('cover every object present and absent, and every pair of objects in both orders', () => {
    for (const x of liveObjects) {
      expect(mixes.some((m) => m.objects.includes(x)), `${x} present`).toBe(true);
      expect(mixes.some((m) => !m.objects.includes(x)), `${x} absent`).toBe(true);
      for (const y of liveObjects.filter((o) => o !== x)) {
        expect(mixes.some((m) => m.objects.includes(x) && !m.objects.includes(y)), `${x} without ${y}`).toBe(true);
      }
    }
  });

  it.each(mixes.map((m, n) => [`${m.name} (${m.objects.join(', ') || 'none'})`, m.objects, n] as const))('%s: upgrades, counts every row and finds every value', async (_name, objects, n) => {
    const live = await buildLive(`upgrade_mix${n}_${process.pid}`, objects, 8, 0x2a000000 + n * 0x100000);
    try {
      applyPending(live.db.dbUrl);
      expect(await reconcile(live.sql, live.data.expectations)).toEqual([]);
      expect(await countProblems(live.sql, live.data, live.before)).toEqual([]);
    } finally {
      await live.sql.end();
      dropScratchDatabase(stack, live.db.name);
    }
  }, 600_000);
});

