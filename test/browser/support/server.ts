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

/**
 * Build client/dist as `npm start` does (`npm run build -w client`: it builds only when a source is
 * newer than the last build, one build at a time; client/build.mjs). Its output only when it fails.
 */
export async function ensureClientBuilt(): Promise<void> {
  try {
    execFileSync('npm', ['run', 'build', '-w', 'client'], { cwd: root, env: terminalEnv(), stdio: 'pipe' });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`npm run build -w client failed:\n${stdout ?? ''}${stderr ?? ''}`);
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
