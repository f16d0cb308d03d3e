import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { vitestLanes } from './scripts/lib/vitest-lanes.mjs';

// Files run in the order of npm test's lanes (scripts/lib/vitest-lanes.mjs): those that
// build whole databases first, then the larger first, so that no lane ends waiting on one
// slow file started last. Files no lane names keep vitest's own order, after them.
class LaneOrder extends BaseSequencer {
  async sort(files: TestSpecification[]) {
    const lanes: Record<string, string[]> = vitestLanes();
    const rank = new Map(Object.values(lanes).flat().map((file, n) => [file, n]));
    const sorted = await super.sort(files);
    const at = new Map(sorted.map((spec, n) => [spec, rank.get(relative(process.cwd(), spec.moduleId)) ?? rank.size + n]));
    return [...sorted].sort((a, b) => at.get(a)! - at.get(b)!);
  }
}

export default defineConfig({
  test: {
    // clients/live-app: the live app's api.ts on this backend, tested against the same stack.
    include: ['tests/**/*.test.ts', 'clients/live-app/tests/**/*.test.ts'],
    // The suites share one running test stack, so files run one at a time.
    fileParallelism: false,
    sequence: { sequencer: LaneOrder },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // No Node flags: the pinned supabase-js (see package.json and the README's "Needs")
    // runs on Node 20 as it is, as the README's examples do.
  },
});
