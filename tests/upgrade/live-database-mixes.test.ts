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

// Mixes: object n is present in mix b when bit b of n is set, and in mix b' when it is not
// (4 bits cover the 12 objects, 8 mixes). So every object is absent in half the mixes and
// present in the other half, and for any two objects there is a mix with the one present and
// the other absent, and one the other way round: the handling of no object depends on another
// being there or not. Then a random mix (a fixed seed, so that a failure reproduces).
const bits = Math.ceil(Math.log2(liveObjects.length));
const random = seededRandom(20261207);
const mixes: { name: string; objects: LiveObject[] }[] = [
  ...Array.from({ length: bits }, (_, b) => [
    { name: `objects with bit ${b} set`, objects: liveObjects.filter((_, n) => (n >> b) & 1) },
    { name: `objects with bit ${b} clear`, objects: liveObjects.filter((_, n) => !((n >> b) & 1)) },
  ]).flat(),
  { name: 'a random mix', objects: liveObjects.filter(() => random() < 0.5) },
];

describe('mixes of the two: each live object present or absent', () => {
  it('cover every object present and absent, and every pair of objects in both orders', () => {
    for (const x of liveObjects) {
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
  }, 60_000);
});

