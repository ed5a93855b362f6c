/**
 * The hidden-attacker mode's rules for a round (basics/hidden-attacker.ts has its words; the
 * referee scores it, referee/hidden-attacker.ts):
 * - which rooms of a round have an attacker: a fair coin per room, from the round's seed;
 * - a room without one: its attacker seat sits out (off the Wi-Fi, it only calls);
 * - the wait for the attacker's proof after the conversation, which must say nothing of whether
 *   anyone was listening: it follows only what crossed the café Wi-Fi readable.
 */
import { toHex } from '../codec/bytes.ts';
import { seededRng } from '../crypto/rng.ts';
import { describe, inspect } from './inspected.ts';
import type { Round } from './state.ts';

/**
 * Which of a round's `rooms` have an attacker (true) and which none, from the round's seed.
 * Each room tosses its own fair coin (a fork per room: a room added to the match changes no
 * other room's draw), so the truth of a room whose debrief came early says nothing about a room
 * still playing; and the defenders' odds are even, so neither guess is safe.
 */
export function attackerRooms(seed: string, rooms: number): boolean[] {
  const rng = seededRng(`hidden attacker/${seed}`);
  return Array.from({ length: rooms }, (_, i) => rng.fork(`room ${i + 1}`).int(2) === 1);
}

/** A hidden-attacker round in a room without an attacker: the attacker seat is off the Wi-Fi. */
export function sitsOut(round: Round): boolean {
  return round.config.hiddenAttacker?.present === false;
}

function plainText(bytes: Uint8Array): string {
  const m = inspect(bytes).message;
  return m ? describe(m) : '';
}

/**
 * The PIN, or a key of the client's session, crossed the café Wi-Fi readable in what Alice or the
 * bank sent (level 1's plain form, level 2's key in the clear): whoever listened could prove it.
 * With or without an attacker in the room, the honest parties send the same bytes.
 */
export function readableOnTheWire(round: Round): boolean {
  const pin = `pin=${round.client.secret}`;
  const keys = Object.values(round.client.learned).map(toHex);
  return round.packets.some((p) => p.path === 'wifi' && (p.from === 'client' || p.from === 'server') && (plainText(p.bytes).includes(pin) || keys.some((k) => toHex(p.bytes).includes(k))));
}
