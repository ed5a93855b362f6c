/**
 * The Redis connections of one process — ours (redisCluster.ts) and Colyseus' presence and
 * driver — set so that nothing waits on Redis without end:
 *
 * - a command not answered within 5 s fails (ioredis' `commandTimeout`: a Redis that hangs, e.g. a
 *   stopped process or a dead network, otherwise leaves every caller waiting; the clock runs from
 *   the moment the command is issued, while connecting too, so it leaves a loaded machine time
 *   to connect at start-up);
 * - a command queued while the connection is down fails after three reconnection attempts;
 * - reconnection attempts come at most `heartbeatMs` apart, so a process is back in Redis
 *   (and beats again) within a heartbeat of Redis coming back: liveness judged after an outage
 *   relies on it (RedisCluster.isDead).
 *
 * SafePresence mends one failure of Colyseus 0.16's `requestFromIPC` (@colyseus/core
 * build/IPC.mjs), which every cross-process call goes through (remoteRoomCall, createRoom on
 * another process, health checks). It runs `await presence.subscribe('ipc:<id>')` inside
 * `new Promise(async (resolve, reject) => …)`: when that subscribe rejects (Redis down), the
 * rejection escapes as an unhandled one and the request's promise never settles: its timeout
 * is only set after the subscribe. A class game room's report chain waited on it for good.
 * Here a failed subscribe to a reply channel resolves instead: the request goes out or not,
 * and Colyseus' own timeout settles it. Publishing never rejects either (Colyseus does not
 * await its replies' publish). Calls are bounded once more by remote.ts.
 */
import { RedisDriver } from '@colyseus/redis-driver';
import { RedisPresence } from '@colyseus/redis-presence';
import type { RedisOptions } from 'ioredis';
import type { Timing } from '../config.ts';
import type { Log } from '../safety.ts';

export type RedisTiming = Pick<Timing, 'heartbeatMs'>;

/** No Redis command waits longer than this. */
export const REDIS_COMMAND_TIMEOUT_MS = 5000;

/** A `redis://[user:password@]host[:port][/db]` (or `rediss://`) URL as ioredis options, with the bounds above. */
export function redisOptions(url: string, timing: RedisTiming): RedisOptions {
  const u = new URL(url);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error('REDIS_URL must be a redis:// or rediss:// URL');
  const options: RedisOptions = {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : 6379,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 3,
    retryStrategy: (times: number) => Math.min(times * 100, timing.heartbeatMs),
  };
  if (u.username) options.username = decodeURIComponent(u.username);
  if (u.password) options.password = decodeURIComponent(u.password);
  if (u.protocol === 'rediss:') options.tls = {};
  return options;
}

/** One line when a connection breaks, one when it is back (ioredis would print every failed attempt). */
function reportOutages(connection: { on(event: string, fn: (e?: Error) => void): unknown }, name: string, log: Log): void {
  let down = false;
  connection.on('error', (e) => {
    if (!down) log(`redis (${name}): ${e?.message ?? 'connection failed'}; reconnecting`);
    down = true;
  });
  connection.on('ready', () => {
    if (down) log(`redis (${name}): connected again`);
    down = false;
  });
}

export class SafePresence extends RedisPresence {
  constructor(
    options: RedisOptions,
    log: Log,
  ) {
    super(options);
    reportOutages(this.sub, 'presence subscriber', log);
    reportOutages(this.pub, 'presence publisher', log);
  }

  /** Both connections are up (they may still hang: every call has a deadline all the same). */
  get reachable(): boolean {
    return this.sub.status === 'ready' && this.pub.status === 'ready';
  }

  override async subscribe(topic: string, callback: (...args: any[]) => void): Promise<this> {
    try {
      return await super.subscribe(topic, callback);
    } catch (e) {
      // A reply channel: let requestFromIPC carry on to its timeout (see above). Anything else fails as before.
      if (!topic.startsWith('ipc:')) throw e;
      return this;
    }
  }

  override async unsubscribe(topic: string, callback?: (...args: any[]) => void): Promise<this> {
    // Colyseus does not await this; a rejection would be an unhandled one.
    return super.unsubscribe(topic, callback).catch(() => this);
  }

  override async publish(topic: string, data: unknown): Promise<void> {
    await super.publish(topic, data).catch(() => undefined);
  }
}

export function redisDriver(options: RedisOptions, log: Log): RedisDriver {
  const driver = new RedisDriver(options);
  reportOutages((driver as unknown as { _client: Parameters<typeof reportOutages>[0] })._client, 'room listings', log);
  return driver;
}
