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
  const databaseUrl = await freshDatabase(postgres.url, options.database);
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
  const servers = await Promise.all(Array.from({ length: options.processes }, spawn));
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
