/**
 * The real game server for browser tests: the client is built (or a fresh build reused), then
 * the server's app factory serves it on a random port over a throwaway SQLite file.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type HeistServer } from '../../../server/src/app.ts';
import type { Timing } from '../../../server/src/config.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const clientDir = path.join(root, 'client/dist');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  const built = path.join(clientDir, 'index.html');
  const sources = Math.max(
    newestMtime(path.join(root, 'client/src')),
    newestMtime(path.join(root, 'shared/src')),
    fs.statSync(path.join(root, 'client/index.html')).mtimeMs,
    fs.statSync(path.join(root, 'client/vite.config.ts')).mtimeMs,
  );
  return fs.existsSync(built) && fs.statSync(built).mtimeMs > sources;
}

/**
 * Build client/dist unless it is newer than every source it is made from. Test files run in
 * parallel workers: a lock directory makes one of them build while the others wait.
 */
export async function ensureClientBuilt(): Promise<void> {
  const lock = path.join(root, 'client/.build-lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (isFresh()) return;
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // Another worker builds; a lock older than the deadline is left over from a crash.
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 180_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another worker to build the client');
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (!isFresh()) {
      execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
        cwd: path.join(root, 'client'),
        stdio: 'inherit',
      });
    }
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

export interface TestServer {
  url: string;
  server: HeistServer;
  close(): Promise<void>;
}

/** Fast network and bots, so a round takes seconds; the round timer stays long enough to act. */
export async function startTestServer(timing: Partial<Timing> = {}, options: { publicUrl?: string } = {}): Promise<TestServer> {
  await ensureClientBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heist-browser-'));
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dbPath: path.join(dir, 'heist.db'),
    clientDir,
    seed: 'browser-tests',
    log: () => undefined,
    // shutdownWaitMs: closing the server does not wait for rounds still being played.
    timing: { latencyMs: 250, roundMs: 120_000, prepareMs: 60_000, botDelayMs: [150, 300], betweenRoundsMs: 0, shutdownWaitMs: 500, ...timing },
    limits: { joinsPerMinute: 600, messagesPerSecond: 50 },
    ...options,
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    server,
    async close() {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
