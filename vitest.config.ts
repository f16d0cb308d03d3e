import { defineConfig } from 'vitest/config';

const nodeMajor = Number(process.versions.node.split('.')[0]);

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The suites share one running test stack, so files run one at a time.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // supabase-js needs a global WebSocket, which Node 20 has only behind this flag.
    execArgv: nodeMajor < 22 ? ['--experimental-websocket'] : [],
  },
});
