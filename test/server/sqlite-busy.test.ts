/**
 * Another process holds the SQLite file (a backup, an operator's `sqlite3` shell, a second
 * server started on the same file by mistake) while a round ends: the round's write waits for
 * the lock, and the rooms keep playing meanwhile. better-sqlite3 waits out a lock with a busy
 * wait (5 s by default) on the thread that runs the statement; on the event loop that froze
 * every room of the server (8.9 s once). The store as the server opens it (openStore) must
 * leave the event loop free: here the loop's longest gap while the write waits 2.5 s for the
 * lock is bounded far below the wait (generously, for a busy machine), and the write lands
 * once the lock is let go.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../server/src/persistence/open.ts';
import type { Store } from '../../server/src/persistence/store.ts';

const driver = createRequire(import.meta.url).resolve('better-sqlite3');
const HOLD_MS = 2500;

/** Another process opens the file and holds its write lock for `ms`; resolves once it holds it. */
async function holdLock(file: string, ms: number): Promise<{ released: Promise<void> }> {
  const holder = spawn(
    process.execPath,
    ['-e', `const db = new (require(${JSON.stringify(driver)}))(${JSON.stringify(file)}); db.exec('BEGIN IMMEDIATE'); console.log('locked'); setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${ms});`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    holder.stdout!.once('data', () => resolve());
    holder.once('exit', (code) => reject(new Error(`the lock holder exited with ${code}`)));
  });
  return { released: new Promise((resolve) => holder.once('exit', () => resolve())) };
}

/** The longest gap between ticks of a 5 ms timer while `work` runs: how long the event loop was blocked. */
async function longestLoopGap<T>(work: () => Promise<T>): Promise<{ gapMs: number; result: T }> {
  let last = performance.now();
  let gapMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    gapMs = Math.max(gapMs, now - last);
    last = now;
  }, 5);
  try {
    const result = await work();
    return { gapMs: Math.max(gapMs, performance.now() - last), result };
  } finally {
    clearInterval(timer);
  }
}

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

describe('SQLite writes while another process holds the file', () => {
  it('wait for the lock off the event loop: the loop keeps ticking, and the round is written once the lock is let go', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'heist-busy-')), 'heist.db');
    store = await openStore({ dbPath: file }, () => undefined);
    await store.createClass('BUSY1', 'hash', 1);

    const lock = await holdLock(file, HOLD_MS);
    const started = performance.now();
    const { gapMs, result } = await longestLoopGap(() =>
      store!.recordRound({
        classCode: 'BUSY1',
        roomCode: 'ROOM1',
        roundIndex: 0,
        level: 1,
        defendingTeam: null,
        attackingTeam: null,
        startedAt: 1,
        endedAt: 2,
        outcome: 'secure',
        summary: 'written after the lock',
        seats: [{ role: 'client', teamId: null, bot: true, points: 2 }],
        players: [],
      }),
    );
    const waitedMs = performance.now() - started;
    await lock.released;

    expect(typeof result).toBe('number'); // the round's id: written
    expect(waitedMs).toBeGreaterThan(HOLD_MS - 500); // it did wait for the lock…
    expect(gapMs).toBeLessThan(500); // …and the event loop did not (it used to block for the whole wait)
    expect(await store.roundCount('BUSY1')).toBe(1);
  });
});
