/**
 * What the hosts (core/gameHost.ts, core/classHost.ts) need of the server, as Colyseus provides
 * it: a room's clients to send to and close, its allowReconnection (in manual mode: the host's
 * scheduler keeps the allowance), the matchmaker for calls between rooms on any process
 * (cluster/remote.ts, each with a deadline), and a host's refusal as the error Colyseus hands
 * on to the browser.
 */
import { matchMaker, ServerError, type Client, type Room } from '@colyseus/core';
import { ROOM } from '@heist/shared';
import { callRoom, createRoom, processGone, withDeadline } from '../cluster/remote.ts';
import type { ServerContext } from '../context.ts';
import { Refused } from '../core/admission.ts';
import type { Reconnection, RoomIO } from '../core/connections.ts';
import type { RoomCalls } from '../core/roomCalls.ts';

export function roomIO<Out>(room: Room): RoomIO<Out> {
  return {
    send: (id, type, payload) => room.clients.getById(id)?.send(type as string, payload),
    close: (id, code, reason) => room.clients.getById(id)?.leave(code, reason),
    dispose: () => room.disconnect(),
  };
}

/** The client's place kept for it to come back with its reconnection token; the host says for how long. */
export function reconnectionOf(room: Room, client: Client): Reconnection<Client> {
  const waiting = room.allowReconnection(client, 'manual');
  return { back: waiting, giveUp: (why) => waiting.reject?.(new Error(why)) };
}

/** A host's refusal (core/admission.ts), as Colyseus hands it on: its code and words. */
export async function refusedAsServerError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    throw e instanceof Refused ? new ServerError(e.code, e.message) : e;
  }
}

export function colyseusCalls(ctx: Pick<ServerContext, 'cluster' | 'timing'>): RoomCalls {
  const ms = ctx.timing.remoteCallMs;
  return {
    severalProcesses: ctx.cluster.kind !== 'local',
    async openGameRoom(options) {
      const listing = await createRoom(ROOM.game, { ...options }, ms);
      return { roomCode: listing.roomId, processId: listing.processId };
    },
    toGameRoom: (roomCode, method, args) => callRoom(roomCode, method, args, ms),
    toLobby: (classCode, method, args) => callRoom(classCode, method, args, ms),
    async gameRoomsOfClass(classCode) {
      const listings = await withDeadline('listing game rooms', ms, matchMaker.query({ name: ROOM.game }));
      return listings.filter((l) => (l.metadata as { classCode?: string } | undefined)?.classCode === classCode).length;
    },
    processGone: (processId) => processGone(ctx.cluster, processId, ms),
  };
}
