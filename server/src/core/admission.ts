/**
 * Who may have a place in a room: the rules a host applies (core/gameHost.ts, core/classHost.ts),
 * whichever way the person arrives — the matchmaker's door before a seat is reserved
 * (rooms/admission.ts says why it asks first), or the headless server (core/headless.ts).
 * A refusal carries a join error's code and plain words (validation/joinErrors.ts).
 */
import { LIMITS, type GameJoinOptions } from '@heist/shared';
import { checkNickname } from '../validation/names.ts';
import { JOIN_ERRORS } from '../validation/joinErrors.ts';

export type Admission<A = unknown> = { ok: true; auth: A } | { ok: false; code: number; message: string };

/** What a reserved seat remembers of its admission: who asked, from where. */
export interface Admitted {
  /** The sender's address, as the per-address limits count it. */
  address: string;
}

/** Seats of one room reserved for one address and not yet taken up: half a game room. */
export const RESERVATIONS_PER_ADDRESS_IN_ROOM = 20;
/** Seats reserved for one person (a ticket, a device key) not yet taken up: a retry after a failed connect is fine. */
export const RESERVATIONS_PER_PERSON = 2;

export function refuse(error: { code: number; message: string }, message: string = error.message): Admission<never> {
  return { ok: false, code: error.code, message };
}

/** A room that will not open (or a person it will not let in), with a join error's code and words. */
export class Refused extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Who creates or joins a casual game room: a nickname the game accepts, and the browser's device key if it sent one. */
export function casualAuth(opts: Partial<GameJoinOptions>): Admission<{ nickname: string; key?: string }> {
  const checked = checkNickname(opts.nickname);
  if (!checked.ok) return refuse(JOIN_ERRORS.badNickname, checked.reason);
  const key = typeof opts.deviceKey === 'string' && LIMITS.deviceKeyPattern.test(opts.deviceKey) ? opts.deviceKey : undefined;
  return { ok: true, auth: { nickname: checked.nickname, key } };
}
