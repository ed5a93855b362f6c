/**
 * The cluster in Redis (REDIS_URL), beside Colyseus' RedisPresence and RedisDriver, under
 * keys starting `heist:`. Every check that must hold across processes is one Lua script, so
 * two processes never both win the same code or the last token of a budget.
 *
 * - Heartbeats: each process refreshes `heist:alive:<processId>` every `heartbeatMs` (1 s; it
 *   expires after `deadAfterMs`, 3 s: a process killed with SIGKILL, or a machine that drops
 *   off the network, is dead within 3 s); its value says whether it drains for a shutdown.
 *   A missing heartbeat means a dead process only once this process has itself reached Redis
 *   for `deadAfterMs` without a failure: after an outage (Redis restarted, hung, or out of
 *   reach) every live process needs that long to beat again, and until then none is judged.
 * - Codes: `heist:code:<code>` names the process that holds it; a code held by a dead process
 *   may be taken again.
 * - Budgets: a token bucket per address and budget (`heist:bucket:…`), timed by Redis' clock.
 * - Holdings: seats reserved (`heist:seats:<address>`, a sorted set expiring with Colyseus'
 *   seat reservation time; the room's process removes a seat when its websocket arrives) and
 *   rooms opened (`heist:rooms:<address>`, pruned against Colyseus' room listings).
 */
import { matchMaker } from '@colyseus/core';
import { Redis } from 'ioredis';
import { newSecret } from '../class/secrets.ts';
import type { Limits, Timing } from '../config.ts';
import type { Log } from '../safety.ts';
import type { Cluster } from './cluster.ts';
import { budgets, type AddressLedger, type Budget } from './ledger.ts';
import { redisOptions } from './redisConnections.ts';
import { withDeadline } from './remote.ts';

const PREFIX = 'heist:';
const ALIVE = `${PREFIX}alive:`;

export type LivenessTiming = Pick<Timing, 'heartbeatMs' | 'deadAfterMs' | 'remoteCallMs'>;
/** Colyseus keeps a reserved seat this long (its default, or COLYSEUS_SEAT_RESERVATION_TIME). */
const SEAT_RESERVATION_MS = Number(process.env.COLYSEUS_SEAT_RESERVATION_TIME || 15) * 1000 + 1000;
/** Colyseus' RedisDriver keeps every room's listing in this hash. */
const ROOM_LISTINGS = 'roomcaches';

const CLAIM = `
local owner = redis.call('GET', KEYS[1])
if owner and owner ~= ARGV[1] and redis.call('EXISTS', ARGV[2] .. owner) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
return 1`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;

const SPEND = `
local capacity = tonumber(ARGV[1])
local perSecond = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or capacity
local at = tonumber(b[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) / 1000 * perSecond)
local ok = 0
if tokens >= 1 then tokens = tokens - 1; ok = 1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / perSecond * 1000) + 1000)
return ok`;

const SEATS_HELD = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZCARD', KEYS[1])`;

const SEAT_RESERVED = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('SET', KEYS[2], KEYS[1], 'PX', ttl)
return 1`;

const SEAT_TAKEN = `
local seats = redis.call('GET', KEYS[1])
if seats then redis.call('ZREM', seats, ARGV[1]); redis.call('DEL', KEYS[1]) end
return 1`;

export class RedisCluster implements Cluster {
  readonly kind = 'redis' as const;
  readonly ledger: AddressLedger;
  draining = false;
  private heartbeat: NodeJS.Timeout | undefined;
  /** Codes this process holds (each its room's id), claimed and listed again if Redis comes back empty (a restart). */
  private readonly held = new Set<string>();
  /** Since when every call to Redis has worked (undefined: the last one failed). */
  private reachableSince: number | undefined;

  private constructor(
    private readonly redis: Redis,
    readonly processId: string,
    readonly openKey: string,
    limits: Limits,
    private readonly log: Log,
    private readonly timing: LivenessTiming,
  ) {
    this.ledger = new RedisLedger(redis, limits);
  }

  static async connect(url: string, processId: string, limits: Limits, log: Log, timing: LivenessTiming): Promise<RedisCluster> {
    const redis = new Redis({ ...redisOptions(url, timing), enableAutoPipelining: true });
    let down = false;
    redis.on('error', (e: Error) => {
      if (!down) log(`redis: ${e.message}; reconnecting`);
      down = true;
    });
    redis.on('ready', () => (down = false));
    // The first process to start picks the deployment's secret; the others read it.
    await redis.set(`${PREFIX}openKey`, newSecret(32), 'NX');
    const openKey = await redis.get(`${PREFIX}openKey`);
    if (!openKey) throw new Error('redis: no open key');
    const cluster = new RedisCluster(redis, processId, openKey, limits, log, timing);
    await cluster.beat();
    // After a reconnection (Redis restarted empty, say): claim again what this process holds.
    redis.on('ready', () => void cluster.reclaim().catch((e: unknown) => log(`redis: reclaiming rooms failed: ${(e as Error).message}`)));
    // Until it is working again, no process is judged dead (see isDead).
    redis.on('close', () => (cluster.reachableSince = undefined));
    let failing = false;
    cluster.heartbeat = setInterval(
      () =>
        void cluster.beat().then(
          () => (failing = false),
          (e: unknown) => {
            if (!failing) log(`redis heartbeat: ${(e as Error).message}`);
            failing = true;
          },
        ),
      timing.heartbeatMs,
    );
    cluster.heartbeat.unref();
    return cluster;
  }

  /** Also puts the deployment's secret back if Redis lost it: every process knows the same one. */
  private async beat(): Promise<void> {
    await this.call(() =>
      this.redis
        .multi()
        .set(`${ALIVE}${this.processId}`, this.draining ? 'draining' : 'up', 'PX', this.timing.deadAfterMs)
        .sadd(`${PREFIX}processes`, this.processId)
        .set(`${PREFIX}openKey`, this.openKey, 'NX')
        .exec(),
    );
  }

  /** A call to Redis, noting whether Redis answered (liveness is judged only after a spell of answers). */
  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      this.reachableSince ??= Date.now();
      return result;
    } catch (e) {
      this.reachableSince = undefined;
      throw e;
    }
  }

  /**
   * Each code again, and each room's Colyseus listing (RedisDriver keeps listings only in
   * Redis, and writes one only when a room changes): without it, a join sent to any process
   * finds no such room, though the room still plays here.
   */
  private async reclaim(): Promise<void> {
    await this.beat();
    for (const code of this.held) {
      await this.redis.eval(CLAIM, 1, `${PREFIX}code:${code}`, this.processId, ALIVE);
      await matchMaker.getLocalRoomById(code)?.listing.save();
    }
  }

  async claimCode(code: string): Promise<boolean> {
    const won = (await this.redis.eval(CLAIM, 1, `${PREFIX}code:${code}`, this.processId, ALIVE)) === 1;
    if (won) this.held.add(code);
    return won;
  }

  async releaseCode(code: string): Promise<void> {
    this.held.delete(code);
    await this.redis.eval(RELEASE, 1, `${PREFIX}code:${code}`, this.processId);
  }

  async processes(): Promise<Map<string, { draining: boolean }>> {
    const known = await this.call(() => this.redis.smembers(`${PREFIX}processes`));
    const states = known.length ? await this.call(() => this.redis.mget(known.map((p) => `${ALIVE}${p}`))) : [];
    const alive = new Map<string, { draining: boolean }>();
    const dead: string[] = [];
    known.forEach((p, i) => (states[i] ? alive.set(p, { draining: states[i] === 'draining' }) : dead.push(p)));
    if (dead.length) await this.redis.srem(`${PREFIX}processes`, ...dead);
    return alive;
  }

  get settled(): boolean {
    return this.reachableSince !== undefined && Date.now() - this.reachableSince >= this.timing.deadAfterMs;
  }

  async isDead(processId: string): Promise<boolean> {
    if (processId === this.processId) return false;
    const beats = (await this.call(() => this.redis.exists(`${ALIVE}${processId}`))) === 1;
    return !beats && this.settled;
  }

  async listedOn(roomIds: string[]): Promise<Map<string, string>> {
    const listed = new Map<string, string>();
    if (roomIds.length === 0) return listed;
    const listings = await this.call(() => this.redis.hmget(ROOM_LISTINGS, ...roomIds));
    roomIds.forEach((id, i) => {
      const listing = listings[i];
      if (listing) listed.set(id, (JSON.parse(listing) as { processId: string }).processId);
    });
    return listed;
  }

  async drain(): Promise<void> {
    this.draining = true;
    await this.beat();
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    // Said goodbye if Redis answers soon; otherwise the heartbeat expires by itself.
    const goodbye = this.redis.multi().del(`${ALIVE}${this.processId}`).srem(`${PREFIX}processes`, this.processId).exec();
    await withDeadline('leaving the cluster', this.timing.remoteCallMs, goodbye).catch(() => undefined);
    this.redis.disconnect();
    this.log(`cluster: process ${this.processId} left`);
  }
}

class RedisLedger implements AddressLedger {
  private readonly budgets: ReturnType<typeof budgets>;

  constructor(
    private readonly redis: Redis,
    limits: Limits,
  ) {
    this.budgets = budgets(limits);
  }

  async spend(budget: Budget, address: string): Promise<boolean> {
    const { capacity, perSecond } = this.budgets[budget];
    return (await this.redis.eval(SPEND, 1, `${PREFIX}bucket:${budget}:${address}`, capacity, perSecond)) === 1;
  }

  async seatsHeld(address: string): Promise<number> {
    return Number(await this.redis.eval(SEATS_HELD, 1, `${PREFIX}seats:${address}`));
  }

  async roomsHeld(address: string): Promise<number> {
    const key = `${PREFIX}rooms:${address}`;
    const rooms = await this.redis.smembers(key);
    if (rooms.length === 0) return 0;
    const listed = await this.redis.hmget(ROOM_LISTINGS, ...rooms);
    const gone = rooms.filter((_, i) => listed[i] === null);
    if (gone.length) await this.redis.srem(key, ...gone);
    return rooms.length - gone.length;
  }

  async seatReserved(address: string, _roomId: string, sessionId: string): Promise<void> {
    await this.redis.eval(SEAT_RESERVED, 2, `${PREFIX}seats:${address}`, `${PREFIX}seat:${sessionId}`, sessionId, SEAT_RESERVATION_MS);
  }

  async roomOpened(address: string, roomId: string): Promise<void> {
    await this.redis.multi().sadd(`${PREFIX}rooms:${address}`, roomId).expire(`${PREFIX}rooms:${address}`, 24 * 3600).exec();
  }

  seatTaken(sessionId: string): void {
    this.redis.eval(SEAT_TAKEN, 1, `${PREFIX}seat:${sessionId}`, sessionId).catch(() => undefined);
  }

  sweep(): void {
    // Redis expires what nobody holds.
  }
}
