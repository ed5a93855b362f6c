/**
 * Calls between rooms that may run on different processes, each with a deadline. Colyseus'
 * own (`matchMaker.remoteRoomCall`, `createRoom` on another process, `healthCheckProcessId`)
 * travel through Redis pub/sub and, when Redis fails at the wrong moment, may never settle
 * (redisConnections.ts says how). Whoever waits on one waits with a deadline here, and gets
 * an error it can retry on (courier.ts) instead of waiting for good.
 *
 * A call to a room of this very process goes straight to it (Colyseus does so), Redis or not;
 * a call to another process while Redis is known to be down fails at once.
 */
import { matchMaker, requestFromIPC } from '@colyseus/core';
import type { Cluster } from './cluster.ts';
import type { SafePresence } from './redisConnections.ts';

/**
 * How long Colyseus itself waits for another process (COLYSEUS_PRESENCE_SHORT_TIMEOUT, read as
 * @colyseus/core reads it when first imported: cluster/presenceTimeout.ts sets it first in a
 * server, 10 s): its health checks and rooms created on another process take that long to fail.
 */
const COLYSEUS_WAIT_MS = Number(process.env.COLYSEUS_PRESENCE_SHORT_TIMEOUT || 2000);

/** The other side did not answer in time (or could not be reached at all). */
export class RemoteUnanswered extends Error {}

/** Colyseus' presence is up (always, for one process on its own). */
export function presenceReachable(): boolean {
  // Only our Redis presence can be away (and says so); read without loading Redis' clients.
  const presence = matchMaker.presence as Partial<Pick<SafePresence, 'reachable'>>;
  return presence.reachable !== false;
}

/** `work`, or RemoteUnanswered once `ms` have passed (what `work` does after that is ignored). */
export function withDeadline<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RemoteUnanswered(`${what}: no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  work.catch(() => undefined); // settled late, after the deadline: nobody listens any more
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * Waits until a room is listed, so that a join by its id finds it (Colyseus lists a room only
 * once its onCreate has finished, wherever it runs); false if it is not within `ms`.
 */
export async function untilListed(roomId: string, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    // Promise.resolve: the local driver answers at once; Redis away or slow counts as not listed yet.
    const listing = await withDeadline(`looking up room ${roomId}`, ms, Promise.resolve(matchMaker.getRoomById(roomId))).catch(() => undefined);
    if (listing) return true;
  }
  return false;
}

/** A method of a room, wherever it runs. */
export function callRoom<T>(roomId: string, method: string, args: unknown[], ms: number): Promise<T> {
  if (matchMaker.getLocalRoomById(roomId) === undefined && !presenceReachable())
    return Promise.reject(new RemoteUnanswered(`${method} to room ${roomId}: Redis is not reachable`));
  // Colyseus gives up after `ms`; the deadline after that catches a request that never settles.
  return withDeadline(`${method} to room ${roomId}`, ms + 1000, matchMaker.remoteRoomCall<T>(roomId, method, args as never, ms));
}

/** A new room, on whichever process Colyseus' placement picks. */
export function createRoom(roomName: string, options: Record<string, unknown>, ms: number): ReturnType<typeof matchMaker.createRoom> {
  if (!presenceReachable()) return Promise.reject(new RemoteUnanswered(`opening a ${roomName} room: Redis is not reachable`));
  // Colyseus asks the chosen process for COLYSEUS_WAIT_MS, then creates the room here instead.
  return withDeadline(`opening a ${roomName} room`, Math.max(ms, COLYSEUS_WAIT_MS) + ms + 1000, matchMaker.createRoom(roomName, options));
}

/**
 * Does the process answer Colyseus' health check within `ms`? True or false; RemoteUnanswered
 * when the question could not be put (Redis away or hung): no verdict then.
 */
async function answersHealthCheck(processId: string, ms: number): Promise<boolean> {
  if (!presenceReachable()) throw new RemoteUnanswered(`checking process ${processId}: Redis is not reachable`);
  try {
    await withDeadline(`checking process ${processId}`, ms + 1000, requestFromIPC(matchMaker.presence, `p:${processId}`, 'healthcheck', [], ms));
    return true;
  } catch (e) {
    if ((e as Error)?.message === 'ipc_timeout') return false;
    throw e;
  }
}

/**
 * What Colyseus does when its own health check of a process fails (MatchMaker.mjs
 * healthCheckProcessId): the process out of its stats (no room is placed there, and a process
 * starting does not health-check it again), its rooms out of the listings (no join is sent
 * there). Both are idempotent: whoever judges it gone does both (a half-done forget is finished
 * by the next).
 */
async function forget(processId: string, ms: number): Promise<void> {
  const forgetting = (async () => {
    await matchMaker.stats.excludeProcess(processId);
    await matchMaker.driver.cleanup?.(processId);
  })();
  await withDeadline(`forgetting process ${processId}`, ms, forgetting);
}

/**
 * A process is gone: its heartbeat has stopped (Cluster.isDead) and it does not answer a
 * health check within `ms` either. Two witnesses, so that a process too busy to beat for a
 * moment (a starved event loop) is not given up for dead. Colyseus then forgets it, as after a
 * failed health check of its own — which would wait COLYSEUS_WAIT_MS (10 s in a server): every
 * join to the dead process's rooms, and every process starting meanwhile, would wait that long.
 */
export async function processGone(cluster: Pick<Cluster, 'isDead'>, processId: string, ms: number): Promise<boolean> {
  if (!(await cluster.isDead(processId))) return false;
  if (await answersHealthCheck(processId, ms).catch(() => true)) return false;
  await forget(processId, ms).catch(() => undefined); // (Redis away again: the next look forgets it)
  return true;
}
