/**
 * Start the game server: HOST (default 0.0.0.0), PORT (default 2567), DB_PATH (default
 * ./data/heist.db), CLIENT_DIR (default client/dist beside this package).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './app.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const env = process.env;
const numberFrom = (v: string | undefined) => (v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

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
console.log(`Handshake Heist listening on http://${env.HOST || '0.0.0.0'}:${server.port}`);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    void server.close().finally(() => process.exit(0));
  });
