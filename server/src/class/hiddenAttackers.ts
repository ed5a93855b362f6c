/**
 * A hidden-attacker match (the teacher's choice at its start): each round, each room has an
 * attacker or none, drawn from the round's seed (shared attackerRooms). The room is told, so its
 * referee can score and its attacker seat can sit out; the teacher's dashboard is told; everyone
 * else learns it from each room's result.
 */
import { attackerRooms, toHex, type ClassServerMessages, type Rng } from '@heist/shared';
import type { MatchRoom } from './matchRooms.ts';

export class HiddenAttackers {
  /** The seed each round's draw of rooms with an attacker comes from (undefined: every room has one). */
  private seed: string | undefined;

  /** A new match: hidden attackers or not (`rng` is asked only for a hidden-attacker match). */
  start(hidden: boolean, rng: () => Rng): void {
    this.seed = hidden ? toHex(rng().bytes(16)) : undefined;
  }

  /** Whether this match hides its attackers. */
  get on(): boolean {
    return this.seed !== undefined;
  }

  /** Which rooms have an attacker in round `index`, from that round's seed (a fair coin per room). */
  draw(rooms: readonly MatchRoom[], index: number): void {
    const seed = this.seed;
    const present = seed === undefined ? [] : attackerRooms(`${seed}/round ${index + 1}`, rooms.length);
    rooms.forEach((room, i) => {
      room.hiddenAttacker = seed === undefined ? undefined : { present: present[i] ?? true };
    });
  }

  /** What the teacher's dashboard hears in round `round`: which rooms have an attacker (nobody else does before the result). */
  forTeacher(rooms: readonly MatchRoom[], round: number): ClassServerMessages['hiddenAttackers'] {
    return { round, rooms: rooms.flatMap((r) => (r.hiddenAttacker && !r.lost ? [{ roomCode: r.roomCode, attacker: r.hiddenAttacker.present }] : [])) };
  }
}
