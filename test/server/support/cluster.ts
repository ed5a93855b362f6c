/**
 * A deployment in miniature for tests: a real redis-server, a real PostgreSQL with a fresh
 * database, and N server processes sharing them, started together (as a deployment starts
 * them: they migrate the database and meet in Redis at once). `spawn` adds one more (a process
 * replaced after a crash).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnServer, type ServerProcess } from '../process.ts';
import { FAST_PROCESS_ENV, freePort, freshDatabase, startPostgres, startRedis, type Service } from './services.ts';

export interface Cluster {
  redis: Service;
  postgres: Service;
  /** Every process started, in the order started (stopped ones too). */
  servers: ServerProcess[];
  spawn(): Promise<ServerProcess>;
  stop(): Promise<void>;
}

export async function startCluster(options: { processes: number; database: string; env?: Record<string, string> }): Promise<Cluster> {
  const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  if ('skipped' in redis || 'skipped' in postgres) throw new Error('services went missing');
  // Whatever started is stopped again if the rest fails (a process that did not start in time, say): nothing is left running.
  const started: ServerProcess[] = [];
  const giveUp = async (e: unknown): Promise<never> => {
    for (const s of started) await s.stop().catch(() => undefined);
    await Promise.all([redis.stop(), postgres.stop()]);
    throw e;
  };
  const databaseUrl = await freshDatabase(postgres.url, options.database).catch(giveUp);
  // Each process keeps its own journal (results waiting for PostgreSQL), in a folder of the test's.
  const journals = fs.mkdtempSync(path.join(os.tmpdir(), 'heist-journals-'));
  const spawn = async () => {
    const port = await freePort();
    return spawnServer({
      ...FAST_PROCESS_ENV,
      ...options.env,
      PORT: String(port),
      PUBLIC_ADDRESS: `127.0.0.1:${port}`,
      REDIS_URL: redis.url,
      DATABASE_URL: databaseUrl,
      DB_PATH: '/nonexistent/unused.db',
      JOURNAL_PATH: path.join(journals, `${port}.db`),
    });
  };
  const spawned = await Promise.allSettled(Array.from({ length: options.processes }, spawn));
  for (const r of spawned) if (r.status === 'fulfilled') started.push(r.value);
  const failed = spawned.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) await giveUp(failed.reason);
  const servers = started;
  return {
    redis,
    postgres,
    servers,
    async spawn() {
      const server = await spawn();
      servers.push(server);
      return server;
    },
    async stop() {
      for (const s of servers) await s.stop().catch(() => undefined);
      await redis.stop();
      await postgres.stop();
      fs.rmSync(journals, { recursive: true, force: true });
    },
  };
}
