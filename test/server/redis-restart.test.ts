/**
 * Redis restarts (empty: it keeps nothing on disk) under two running server processes. The
 * processes reconnect by themselves; what they must put back is everything a join needs:
 * Colyseus' listing of each room they host, and the room's code. Before the fix, a room opened
 * before the restart kept playing but nobody could join it any more ("room not found").
 *
 * Without redis-server on the machine the test is skipped and says why.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Person, tempDbPath, until } from './helpers.ts';
import { spawnServer, type ServerProcess } from './process.ts';
import { FAST_PROCESS_ENV, freePort, startRedis, type Service } from './support/services.ts';

const probe = await startRedis();
const missing = 'skipped' in probe ? probe.skipped : undefined;
if (missing) console.warn(`redis-restart.test.ts skipped: ${missing}`);

let redis: Service | undefined = 'skipped' in probe ? undefined : probe;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  if (!redis) return;
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    servers.push(await spawnServer({ ...FAST_PROCESS_ENV, PORT: String(port), PUBLIC_ADDRESS: `127.0.0.1:${port}`, REDIS_URL: redis.url, DB_PATH: tempDbPath() }));
  }
}, 60_000);

afterAll(async () => {
  for (const s of servers) await s.stop().catch(() => undefined);
  await redis?.stop();
});

describe.skipIf(missing)(`a Redis restart${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('a room opened before it can still be joined after it, from either process', async () => {
    const ws = servers.map((s) => `ws://127.0.0.1:${s.port}`);
    const host = await Person.create(ws[0]!, 'Ada');
    const code = host.room.roomId;

    const port = Number(new URL(redis!.url).port);
    await redis!.stop();
    const restarted = await startRedis({ port });
    if ('skipped' in restarted) throw new Error('redis-server went missing');
    redis = restarted;

    const client = new Redis(redis.url);
    try {
      // Each process puts back what it holds once its connection is ready again.
      for (const deadline = Date.now() + 15_000; (await client.hexists('roomcaches', code)) !== 1; await new Promise((r) => setTimeout(r, 50))) {
        if (Date.now() > deadline) throw new Error(`the room's listing was not put back:\n${servers[0]!.output.join('')}`);
      }
      expect(await client.get(`heist:code:${code}`)).toBeTruthy();
    } finally {
      client.disconnect();
    }
    const bea = await Person.join(ws[1]!, code, 'Bea');
    const cyd = await Person.join(ws[0]!, code, 'Cyd');
    await until('three members, as everyone sees it', () => [host, bea, cyd].every((p) => p.state.members.size === 3));
    expect(host.left).toBeUndefined();
    await Promise.all([host.leave(), bea.leave(), cyd.leave()]);
  });
});
