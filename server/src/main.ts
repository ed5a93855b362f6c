/**
 * Start the game server from the environment (every setting is listed in docs/server.md):
 * HOST (default 0.0.0.0), PORT (default 2567), DB_PATH (default ./data/heist.db), CLIENT_DIR
 * (default client/dist beside this package), PUBLIC_URL, ALLOWED_ORIGINS, the limits, the
 * timing, and CRYPTO_BACKEND (default node: OpenSSL; noble for comparison). Several processes
 * (docs/deploy.md): DATABASE_URL, REDIS_URL, PUBLIC_ADDRESS, TRUST_PROXY. SIGTERM or SIGINT
 * stops it gracefully (see HeistServer.close).
 */
// First: sets Colyseus' cross-process timeout before @colyseus/core reads it (cluster/presenceTimeout.ts).
import './cluster/presenceTimeout.ts';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { matchMaker } from '@colyseus/core';
import { cryptoBackend, useCryptoBackend } from '@heist/shared';
import { startServer } from './app.ts';
import { trustProxyList } from './http/trustProxy.ts';
import { cryptoBackendNamed } from './crypto/select.ts';
import { guardedInterval, installSafetyNet } from './safety.ts';

// The log is best effort: a reader that went away (a closed pipe) must not turn every line into
// an uncaught EPIPE, which once kept the process from ever stopping on SIGTERM.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
const log = (line: string) => {
  try {
    console.log(line);
  } catch {
    // nowhere to write
  }
};
installSafetyNet(log);

const here = path.dirname(fileURLToPath(import.meta.url));
const env = process.env;
const numberFrom = (v: string | undefined) => (v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);
const listFrom = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

// Handshake crypto on OpenSSL instead of JavaScript: same bytes, far shorter steps on the event loop.
useCryptoBackend(cryptoBackendNamed(env.CRYPTO_BACKEND));

// Failing to start (the port taken, the database unreadable) must end the process, net or not.
const server = await startServer({
  host: env.HOST || '0.0.0.0',
  port: numberFrom(env.PORT) ?? 2567,
  dbPath: env.DB_PATH || './data/heist.db',
  databaseUrl: env.DATABASE_URL || undefined,
  // One journal per process (it is locked while open): by default named after the port.
  journalPath: env.JOURNAL_PATH || `./data/journal-${numberFrom(env.PORT) ?? 2567}.db`,
  redisUrl: env.REDIS_URL || undefined,
  publicAddress: env.PUBLIC_ADDRESS || undefined,
  trustProxy: trustProxyList(env.TRUST_PROXY),
  clientDir: env.CLIENT_DIR || path.resolve(here, '../../client/dist'),
  publicUrl: env.PUBLIC_URL || undefined,
  allowedOrigins: listFrom(env.ALLOWED_ORIGINS),
  log,
  limits: {
    joinsPerMinute: numberFrom(env.JOINS_PER_MINUTE),
    messagesPerSecond: numberFrom(env.MESSAGES_PER_SECOND),
    classesPerHour: numberFrom(env.CLASSES_PER_HOUR),
    socketsPerAddress: numberFrom(env.SOCKETS_PER_ADDRESS),
    maxSockets: numberFrom(env.MAX_SOCKETS),
    reservationsPerAddress: numberFrom(env.RESERVATIONS_PER_ADDRESS),
    roomsPerAddress: numberFrom(env.ROOMS_PER_ADDRESS),
  },
  timing: {
    latencyMs: numberFrom(env.LATENCY_MS),
    roundMs: numberFrom(env.ROUND_MS),
    prepareMs: numberFrom(env.PREPARE_MS),
    closingMs: numberFrom(env.CLOSING_MS),
    betweenRoundsMs: numberFrom(env.BETWEEN_ROUNDS_MS),
    seatingGraceMs: numberFrom(env.SEATING_GRACE_MS),
    resultMinMs: numberFrom(env.RESULT_MIN_MS),
    unattendedSeatMs: numberFrom(env.UNATTENDED_SEAT_MS),
    reconnectSeconds: numberFrom(env.RECONNECT_SECONDS),
    shutdownWaitMs: numberFrom(env.SHUTDOWN_WAIT_MS),
    heartbeatMs: numberFrom(env.HEARTBEAT_MS),
    deadAfterMs: numberFrom(env.DEAD_AFTER_MS),
    remoteCallMs: numberFrom(env.REMOTE_CALL_MS),
    botDelayMs: env.BOT_DELAY_MS ? (env.BOT_DELAY_MS.split('-').map(Number) as [number, number]) : undefined,
  },
}).catch((e: unknown) => {
  log(`could not start: ${(e as Error)?.message ?? e}`);
  process.exit(1);
});
log(`Handshake Heist listening on http://${env.HOST || '0.0.0.0'}:${server.port} (crypto: ${cryptoBackend().name})`);
log(`process ${server.ctx.cluster.processId}: results in ${server.ctx.store.engine}, ${server.ctx.cluster.kind === 'redis' ? `one of the processes sharing ${redact(env.REDIS_URL!)}` : 'a single process'}`);

// STATS_SECONDS=n: every n seconds, one line on how the process is coping (for load tests).
const statsSeconds = numberFrom(env.STATS_SECONDS);
if (statsSeconds) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  // Guarded: reading the memory figure opens a file, which fails when descriptors run out.
  guardedInterval('stats', statsSeconds * 1000, log, () => {
    const ms = (ns: number) => Math.max(0, Math.round((ns - 10e6) / 1e4) / 100); // minus the 10 ms sampling interval
    // The share of this window's samples (%) delayed more than `limitMs`, found by bisecting the percentiles:
    // summed over windows by their sample counts, it gives a whole run's share over a limit (a p99 ≤ 20 ms is a share ≤ 1 %).
    const over = (limitMs: number) => {
      const limit = 10e6 + limitMs * 1e6;
      if (delay.count === 0 || delay.max <= limit) return 0;
      let below = 0;
      let above = 100;
      for (let i = 0; i < 24; i++) {
        const p = (below + above) / 2;
        if (delay.percentile(p) <= limit) below = p;
        else above = p;
      }
      return Math.round((100 - below) * 1000) / 1000;
    };
    const rooms = matchMaker.stats.local;
    const line =
      `stats process=${matchMaker.processId} rooms=${rooms.roomCount} clients=${rooms.ccu} loopDelayP50=${ms(delay.percentile(50))}ms loopDelayP99=${ms(delay.percentile(99))}ms loopDelayMax=${ms(delay.max)}ms ` +
      `loopDelaySamples=${delay.count} loopDelayOver=${[10, 20, 50, 100].map((limit) => `${limit}ms:${over(limit)}%`).join(',')}`;
    delay.reset();
    log(`${line} rssMb=${Math.round(process.memoryUsage().rss / 2 ** 20)}`);
  });
}

/**
 * SIGTERM or SIGINT: stop gracefully (HeistServer.close). Bounded: a stop that cannot finish
 * (a database or Redis that stopped answering) ends the process anyway a few seconds after
 * SHUTDOWN_WAIT_MS; a second signal ends it at once.
 */
const STOP_DEADLINE_MS = server.ctx.timing.shutdownWaitMs + 5000;
let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    if (closing) {
      log(`${signal} again: stopping now`);
      process.exit(1);
    }
    closing = true;
    log(`${signal}: finishing the rounds being played, then stopping`);
    setTimeout(() => {
      log(`did not finish stopping within ${STOP_DEADLINE_MS} ms; exiting`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    server
      .close()
      .catch((e: unknown) => log(`shutdown: ${(e as Error)?.message ?? e}`))
      .finally(() => {
        log('stopped');
        process.exit(0);
      });
  });

/** A URL without its password, for the log. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured Redis';
  }
}
