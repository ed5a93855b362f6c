/**
 * What processes agree on through Redis (server/src/cluster/redisCluster.ts), against a real
 * redis-server, with two processes' views of it side by side: a code has one holder; a code
 * whose holder died can be taken; only the holder releases it; both read the same open key;
 * a draining process is seen draining and a dead one is not seen at all, and is judged dead only
 * once the judge has reached Redis for as long as a heartbeat may take (and not while Redis is
 * out of its reach); an address's budget is one, whichever process spends it; a reserved seat
 * is held until its websocket arrives.
 *
 * Skipped, saying why, without redis-server.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCluster } from '../../server/src/cluster/redisCluster.ts';
import { DEFAULT_LIMITS, DEFAULT_TIMING } from '../../server/src/config.ts';
import { startRedis, type Started } from './support/services.ts';

let redis: Started | undefined;
beforeAll(async () => {
  redis = await startRedis();
  if ('skipped' in redis) console.warn(`redis-cluster.test.ts skipped: ${redis.skipped}`);
}, 60_000);
afterAll(async () => {
  if (redis && !('skipped' in redis)) await redis.stop();
});

const limits = { ...DEFAULT_LIMITS, joinsPerMinute: 6, classesPerHour: 2 };
const log = () => undefined;
/** Heartbeats every 100 ms, dead after 400 ms: the rules at a tenth of the default pace. */
const timing = { ...DEFAULT_TIMING, heartbeatMs: 100, deadAfterMs: 400, remoteCallMs: 500 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('processes sharing a Redis', () => {
  const skip = () => !redis || 'skipped' in redis;
  const connect = (id: string, url = (redis as { url: string }).url) => RedisCluster.connect(url, id, limits, log, timing);

  it('hold a code one at a time; a dead holder’s code can be taken; only the holder releases it', async (ctx) => {
    if (skip()) return ctx.skip();
    const [a, b] = [await connect('proc-a'), await connect('proc-b')];
    expect(a.openKey).toBe(b.openKey);
    expect(await a.claimCode('ABCDE')).toBe(true);
    expect(await b.claimCode('ABCDE')).toBe(false);
    expect(await a.claimCode('ABCDE'), 'the holder may claim again (a lobby reopened in place)').toBe(true);
    await b.releaseCode('ABCDE'); // not b's to release
    expect(await b.claimCode('ABCDE')).toBe(false);
    await a.releaseCode('ABCDE');
    expect(await b.claimCode('ABCDE')).toBe(true);
    // a goes away holding a code it never released: once its heartbeat is gone, another may take it.
    expect(await a.claimCode('FGHJK')).toBe(true);
    await a.close(); // its heartbeat goes with it (a killed process's expires: see below)
    const c = await connect('proc-c');
    expect(await c.claimCode('FGHJK')).toBe(true);
    expect(await c.claimCode('ABCDE')).toBe(false); // b is still alive
    await Promise.all([b.close(), c.close()]);
  });

  it('see which processes are alive and which drain', async (ctx) => {
    if (skip()) return ctx.skip();
    const [a, b] = [await connect('live-a'), await connect('live-b')];
    await b.drain();
    const seen = await a.processes();
    expect(seen.get('live-a')).toEqual({ draining: false });
    expect(seen.get('live-b')).toEqual({ draining: true });
    expect(await a.isDead('live-b')).toBe(false);
    await b.close();
    // a judges once its own connection has worked for a heartbeat's life: then b's silence means b is gone.
    await sleep(timing.deadAfterMs);
    expect(await a.isDead('live-b')).toBe(true);
    expect((await a.processes()).has('live-b')).toBe(false);
    // A process killed without closing: its heartbeat expires by itself.
    const raw = new Redis((redis as { url: string }).url);
    await raw.set('heist:alive:killed', 'up', 'PX', 200);
    await raw.sadd('heist:processes', 'killed');
    expect(await a.isDead('killed')).toBe(false);
    await sleep(300);
    expect(await a.isDead('killed')).toBe(true);
    raw.disconnect();
    await a.close();
  });

  it('judge nobody dead while Redis is out of reach, nor until live processes have had time to beat again', async (ctx) => {
    if (skip()) return ctx.skip();
    const own = await startRedis();
    if ('skipped' in own) return ctx.skip();
    const a = await connect('judge-a', own.url);
    // Another process, which beat a moment ago.
    const raw = new Redis(own.url);
    await raw.set('heist:alive:judge-b', 'up', 'PX', 60_000);
    raw.disconnect();
    await sleep(timing.deadAfterMs);
    expect(await a.isDead('judge-b')).toBe(false);
    // Redis hangs (its process stopped): no verdict at all.
    own.pause();
    await expect(a.isDead('judge-b')).rejects.toThrow();
    own.resume();
    // Redis restarts, empty: b's heartbeat is gone. Until a has reached Redis for a heartbeat's
    // life, b may be a live process that has not reconnected yet; after that, it is dead.
    await own.halt();
    // No process can reach Redis before it starts again: no verdict of "dead" may come sooner than
    // a heartbeat's life after this (a's own first answer from Redis can come before the test's
    // first answer below, by as long as a busy machine delays the test's call).
    const restarting = Date.now();
    await own.restart();
    let back: number | undefined;
    const verdicts: [sinceBack: number, dead: boolean, sinceRestart: number][] = [];
    for (const until = Date.now() + 10_000; Date.now() < until; await sleep(25)) {
      const dead = await a.isDead('judge-b').catch(() => undefined);
      if (dead === undefined) continue;
      back ??= Date.now();
      verdicts.push([Date.now() - back, dead, Date.now() - restarting]);
      if (Date.now() - back > 2 * timing.deadAfterMs) break;
    }
    expect(back, 'a reconnected').toBeDefined();
    expect(verdicts.filter(([, , sinceRestart]) => sinceRestart < timing.deadAfterMs).every(([, dead]) => !dead), JSON.stringify(verdicts)).toBe(true);
    expect(verdicts.filter(([t]) => t > timing.deadAfterMs + 100).every(([, dead]) => dead), JSON.stringify(verdicts)).toBe(true);
    await a.close();
    await own.stop();
  });

  it('give an address one budget across processes, and hold its reserved seats until taken up', async (ctx) => {
    if (skip()) return ctx.skip();
    const [a, b] = [await connect('budget-a'), await connect('budget-b')];
    const spent: boolean[] = [];
    for (let i = 0; i < 8; i++) spent.push(await (i % 2 ? b : a).ledger.spend('joins', '10.1.2.3'));
    expect(spent).toEqual([true, true, true, true, true, true, false, false]);
    expect(await a.ledger.spend('joins', '10.9.9.9')).toBe(true);
    expect(await a.ledger.spend('reconnects', '10.1.2.3'), 'reconnections have their own budget').toBe(true);
    expect([await a.ledger.spend('classes', 'x'), await b.ledger.spend('classes', 'x'), await a.ledger.spend('classes', 'x')]).toEqual([true, true, false]);

    await a.ledger.seatReserved('10.1.2.3', 'ROOM1', 'sess-1');
    await a.ledger.seatReserved('10.1.2.3', 'ROOM1', 'sess-2');
    expect(await b.ledger.seatsHeld('10.1.2.3')).toBe(2);
    b.ledger.seatTaken('sess-1'); // the websocket arrived at the room's process
    await new Promise((r) => setTimeout(r, 50));
    expect(await a.ledger.seatsHeld('10.1.2.3')).toBe(1);

    // Rooms opened count while Colyseus lists them.
    const raw = new Redis((redis as { url: string }).url);
    await raw.hset('roomcaches', 'ROOM1', '{}');
    await a.ledger.roomOpened('10.1.2.3', 'ROOM1');
    await a.ledger.roomOpened('10.1.2.3', 'ROOM2'); // never listed (or gone)
    expect(await b.ledger.roomsHeld('10.1.2.3')).toBe(1);
    await raw.hdel('roomcaches', 'ROOM1');
    expect(await b.ledger.roomsHeld('10.1.2.3')).toBe(0);
    raw.disconnect();
    await Promise.all([a.close(), b.close()]);
  });
});
