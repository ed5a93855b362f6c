import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two files at a time even on two cores (Vitest's default there is one): most files wait on
    // sockets, server processes and Chromium rather than compute (`npm test` uses about half the
    // machine's CPU time with one), so a second worker halves much of the wall time.
    maxWorkers: 2,
  },
});
