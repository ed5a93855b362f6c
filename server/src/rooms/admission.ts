/**
 * Who may reserve a seat in a room, decided when the seat is asked for, not when its websocket
 * arrives. Colyseus 0.16 runs only a room class's *static* `onAuth(token, options, context)` at
 * matchmaking (MatchMaker.js `callOnAuth`, before `reserveSeatFor`), without the room; an
 * instance `onAuth` runs only at the websocket connect, after the seat was reserved. Checking
 * tickets there let 40 reservations without a ticket lock a class's game room (40 seats) for
 * the 15 s a reservation lasts, again and again.
 *
 * So the matchmaker's door (http/matchmake.ts) asks first: the room itself, wherever it runs
 * (`matchMaker.remoteRoomCall(roomId, 'admission', …)`), for a join by code; the room class for
 * a create. A refusal goes back to the browser at once, and no seat is reserved. An admission
 * travels on in the auth context to the room's static onAuth, which returns it: Colyseus keeps
 * it with the reserved seat and hands it to onJoin as the client's auth (the instance onAuth is
 * not run). A room counts the seats still reserved for one address against it (and for one
 * person), so the seats a class needs cannot all be held by one network's reservations.
 */
import { matchMaker, ServerError, type AuthContext } from '@colyseus/core';
import { ROOM, type GameJoinOptions } from '@heist/shared';
import { casualAuth, refuse, type Admission } from '../core/admission.ts';
import { isPlainObject } from '../validation/messages.ts';
import { JOIN_ERRORS } from '../validation/joinErrors.ts';

/** The auth context the door passes to Colyseus: its own, plus the room's admission. */
export type AdmittingContext = AuthContext & { admitted?: unknown };

/**
 * For a room class's static onAuth: the admission the door obtained. Reaching the matchmaker
 * any other way (no admission) is refused, so no seat is ever reserved unchecked.
 */
export function admittedBy(context: AdmittingContext | undefined): unknown {
  if (context?.admitted === undefined) throw new ServerError(JOIN_ERRORS.badRequest.code, JOIN_ERRORS.badRequest.message);
  return context.admitted;
}

/** Auth data of the seats a room has reserved that no websocket has taken up yet (Room.reservedSeats: [options, auth, consumed, reconnecting]). */
export function pendingAdmissions<A>(reservedSeats: Record<string, [unknown, unknown, boolean?, boolean?]>): A[] {
  return Object.values(reservedSeats).flatMap(([, auth, consumed, reconnecting]) => (consumed || reconnecting || auth === undefined ? [] : [auth as A]));
}

/** A room that answers for itself before a seat is reserved (GameRoom, ClassRoom). */
export interface AdmittingRoom {
  admission(options: unknown, address: string): Promise<Admission>;
}

/**
 * The door's answer for a matchmaking call, before Colyseus reserves anything: a join by code
 * asks the room; creating a game room checks the creator's nickname (the room does not exist
 * yet). Undefined: nothing to ask (Colyseus answers by itself).
 */
export async function admit(call: { method: string; roomName: string }, options: unknown, address: string, processDead?: (processId: string) => Promise<boolean>): Promise<Admission | undefined> {
  if (call.method === 'joinById') return askRoom(call.roomName, options, address, processDead);
  if (call.roomName !== ROOM.game) return undefined;
  const creator = casualAuth((isPlainObject(options) ? options : {}) as Partial<GameJoinOptions>);
  return creator.ok ? { ok: true, auth: { ...creator.auth, address } } : creator;
}

/**
 * The door's question for a join by code: the room's own answer, wherever it runs; undefined
 * when there is no such room (Colyseus then answers "not found" in its own words). A room still
 * listed on a process whose heartbeat has stopped (`processDead`: killed, its listings not yet
 * dropped) is not asked: the question would wait out Colyseus' whole cross-process timeout
 * (cluster/presenceTimeout.ts) for nobody. The join is told to try again in a moment, by when
 * a class lobby is open again on a live process (cluster/lobbyKeeper.ts).
 */
export async function askRoom(roomId: string, options: unknown, address: string, processDead?: (processId: string) => Promise<boolean>): Promise<Admission | undefined> {
  const listing = await matchMaker.getRoomById(roomId);
  if (!listing) return undefined;
  if (processDead && listing.processId !== matchMaker.processId && (await processDead(listing.processId).catch(() => false))) return refuse(JOIN_ERRORS.roomBusy);
  try {
    return await matchMaker.remoteRoomCall<Admission>(roomId, 'admission', [options, address]);
  } catch {
    return refuse(JOIN_ERRORS.roomBusy);
  }
}
