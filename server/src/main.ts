/**
 * Start the game server: HOST (default 0.0.0.0), PORT (default 2567), DB_PATH (default
 * ./data/heist.db), CLIENT_DIR (default client/dist beside this package), CRYPTO_BACKEND
 * (default node: OpenSSL; noble for comparison).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { matchMaker } from '@colyseus/core';
import { cryptoBackend, useCryptoBackend } from '@heist/shared';
import { startServer } from './app.ts';
import { cryptoBackendNamed } from './crypto/select.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const env = process.env;
const numberFrom = (v: string | undefined) => (v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

// Handshake crypto on OpenSSL instead of JavaScript: same bytes, far shorter steps on the event loop.
useCryptoBackend(cryptoBackendNamed(env.CRYPTO_BACKEND));

const server = await startServer({
  host: env.HOST || '0.0.0.0',
  port: numberFrom(env.PORT) ?? 2567,
  dbPath: env.DB_PATH || './data/heist.db',
  clientDir: env.CLIENT_DIR || path.resolve(here, '../../client/dist'),
  limits: { joinsPerMinute: numberFrom(env.JOINS_PER_MINUTE), messagesPerSecond: numberFrom(env.MESSAGES_PER_SECOND) },
  timing: {
    latencyMs: numberFrom(env.LATENCY_MS),
    roundMs: numberFrom(env.ROUND_MS),
    closingMs: numberFrom(env.CLOSING_MS),
    betweenRoundsMs: numberFrom(env.BETWEEN_ROUNDS_MS),
    seatingGraceMs: numberFrom(env.SEATING_GRACE_MS),
    botDelayMs: env.BOT_DELAY_MS ? (env.BOT_DELAY_MS.split('-').map(Number) as [number, number]) : undefined,
  },
});
console.log(`Handshake Heist listening on http://${env.HOST || '0.0.0.0'}:${server.port} (crypto: ${cryptoBackend().name})`);

// STATS_SECONDS=n: every n seconds, one line on how the process is coping (for load tests).
const statsSeconds = numberFrom(env.STATS_SECONDS);
if (statsSeconds) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  setInterval(() => {
    const ms = (ns: number) => Math.max(0, Math.round((ns - 10e6) / 1e4) / 100); // minus the 10 ms sampling interval
    const rooms = matchMaker.stats.local;
    console.log(
      `stats rooms=${rooms.roomCount} clients=${rooms.ccu} loopDelayP50=${ms(delay.percentile(50))}ms loopDelayP99=${ms(delay.percentile(99))}ms loopDelayMax=${ms(delay.max)}ms rssMb=${Math.round(process.memoryUsage().rss / 2 ** 20)}`,
    );
    delay.reset();
  }, statsSeconds * 1000).unref();
}

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    void server.close().finally(() => process.exit(0));
  });
