import { defineConfig } from 'vitest/config';

const shared = { testTimeout: 60_000, hookTimeout: 120_000 };

export default defineConfig({
  test: {
    // Three files at a time even on two cores (Vitest's default there is one): most files wait on
    // sockets, server processes and Chromium rather than compute (with two, `npm test` used 12 of
    // its 13 minutes' worth of one core: half the machine idle). But never two browser files at
    // once: two Chromiums playing real-time rounds starve each other on two cores, and their round
    // timers then run out (a class lesson timed out that way). So one worker plays the browser
    // files one after another while two share everything else. One Vitest would run the browser
    // files only after every other file (a one-at-a-time project goes last, in a group of its
    // own), so `npm test` runs two side by side: `--project browser`, and `--project '!browser'
    // --maxWorkers 2` (package.json).
    maxWorkers: 3,
    projects: [
      // The rules engine's tests share one module cache per worker (no isolation): they hold no
      // state between files but the crypto backend, which each file that changes it restores.
      // Loading the engine afresh for every file took half their CPU (test/shared: 110.7 -> 57.7 s).
      // They run on the server's crypto backend (support/server-crypto.ts): 78.7 -> 52.2 s of CPU.
      { test: { ...shared, name: 'rules engine', include: ['test/shared/**/*.test.ts'], isolate: false, setupFiles: ['test/shared/support/server-crypto.ts'] } },
      // The server's and tools' tests share one module cache per worker too: each file stops what it
      // started and puts back what it changed (the crypto backend, an environment variable), so
      // the next file in the worker starts clean. Importing the server afresh for each of ~75 files
      // was most of this project's CPU (docs/benchmarks.md, "The test suite").
      { test: { ...shared, name: 'server and tools', include: ['test/**/*.test.ts'], exclude: ['test/shared/**', 'test/browser/**', 'test/docs/**'], isolate: false } },
      // One game server for all of them (support/shared.ts), and one Chromium: their one worker
      // keeps its module cache, and with it the Chromium it launched (support/chromium.ts), from
      // file to file; each file closes the contexts it opened.
      { test: { ...shared, name: 'browser', include: ['test/browser/**/*.test.ts'], fileParallelism: false, isolate: false, globalSetup: ['test/browser/support/shared.ts'] } },
      // Every command the README and docs/ show, run on a clean copy (npm ci included): minutes,
      // mostly waiting on npm and the servers it starts, beside the other two.
      { test: { ...shared, name: 'documented commands', include: ['test/docs/**/*.test.ts'] } },
    ],
  },
});
