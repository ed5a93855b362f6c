/**
 * The real game server for browser tests, started as the README starts it: the client is built
 * (or a fresh build reused), then `npm start -w server` serves it on a random port.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnServer, type ServerProcess } from '../../server/process.ts';
import { terminalEnv } from '../../support/terminal.ts';
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
 * Build client/dist (`npm run build -w client`) unless it is newer than every source it is made from. Test files run in
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
      // As `npm start` builds it; its output only when it fails.
      try {
        execFileSync('npm', ['run', 'build', '-w', 'client'], { cwd: root, env: terminalEnv(), stdio: 'pipe' });
      } catch (e) {
        const { stdout, stderr } = e as { stdout?: Buffer; stderr?: Buffer };
        throw new Error(`npm run build -w client failed:\n${stdout ?? ''}${stderr ?? ''}`);
      }
    }
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

export interface TestServer {
  url: string;
  process: ServerProcess;
  close(): Promise<void>;
}

/** The environment variable main.ts reads for each timing (docs/server.md). */
const TIMING_ENV: Record<keyof Timing, string | undefined> = {
  latencyMs: 'LATENCY_MS',
  roundMs: 'ROUND_MS',
  prepareMs: 'PREPARE_MS',
  closingMs: 'CLOSING_MS',
  botDelayMs: 'BOT_DELAY_MS',
  betweenRoundsMs: 'BETWEEN_ROUNDS_MS',
  seatingGraceMs: 'SEATING_GRACE_MS',
  resultMinMs: 'RESULT_MIN_MS',
  unattendedSeatMs: 'UNATTENDED_SEAT_MS',
  reconnectSeconds: 'RECONNECT_SECONDS',
  shutdownWaitMs: 'SHUTDOWN_WAIT_MS',
  heartbeatMs: 'HEARTBEAT_MS',
  deadAfterMs: 'DEAD_AFTER_MS',
  remoteCallMs: 'REMOTE_CALL_MS',
};

/**
 * The game as a user serves it: the client built (`npm run build -w client`), the server started
 * with `npm start -w server` over a throwaway SQLite file, settings in its environment. Fast
 * network and bots, so a round takes seconds; the round timer stays long enough to act.
 */
export async function startTestServer(timing: Partial<Timing> = {}, options: { publicUrl?: string } = {}): Promise<TestServer> {
  await ensureClientBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heist-browser-'));
  const env: Record<string, string> = { DB_PATH: path.join(dir, 'heist.db'), JOINS_PER_MINUTE: '600', MESSAGES_PER_SECOND: '50' };
  if (options.publicUrl) env.PUBLIC_URL = options.publicUrl;
  // shutdownWaitMs: closing the server does not wait for rounds still being played.
  const settings: Partial<Timing> = { latencyMs: 250, roundMs: 120_000, prepareMs: 60_000, botDelayMs: [150, 300], betweenRoundsMs: 0, shutdownWaitMs: 500, ...timing };
  for (const [key, value] of Object.entries(settings) as [keyof Timing, Timing[keyof Timing]][]) {
    const name = TIMING_ENV[key];
    if (!name) throw new Error(`the server reads no environment variable for ${key}`);
    env[name] = Array.isArray(value) ? value.join('-') : String(value);
  }
  const server = await spawnServer(env);
  return {
    url: `http://127.0.0.1:${server.port}`,
    process: server,
    async close() {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
