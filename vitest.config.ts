import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // clients/live-app: the live app's api.ts on this backend, tested against the same stack.
    include: ['tests/**/*.test.ts', 'clients/live-app/tests/**/*.test.ts'],
    // The suites share one running test stack, so files run one at a time.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // No Node flags: the pinned supabase-js (see package.json and the README's "Needs")
    // runs on Node 20 as it is, as the README's examples do.
  },
});
