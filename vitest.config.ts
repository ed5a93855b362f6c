import { defineConfig } from 'vitest/config';

const shared = { testTimeout: 60_000, hookTimeout: 120_000 };

export default defineConfig({
  test: {
    // Two files at a time even on two cores (Vitest's default there is one): most files wait on
    // sockets, server processes and Chromium rather than compute (`npm test` uses about half the
    // machine's CPU time with one), so a second worker saves much of the wall time. But never two
    // browser files at once: two Chromiums playing real-time rounds starve each other on two
    // cores, and their round timers then run out (a class lesson timed out that way).
    maxWorkers: 2,
    projects: [
      { test: { ...shared, name: 'engine and server', include: ['test/**/*.test.ts'], exclude: ['test/browser/**', 'test/docs/**'] } },
      { test: { ...shared, name: 'browser', include: ['test/browser/**/*.test.ts'], fileParallelism: false } },
      // Every command the README and docs/ show, run on a clean copy (npm ci included): minutes,
      // mostly waiting on npm and the servers it starts, beside the other two.
      { test: { ...shared, name: 'documented commands', include: ['test/docs/**/*.test.ts'] } },
    ],
  },
});
