/**
 * A student follows the class's assignments: each round's seat comes with a ticket to its
 * game room, and the tab joins that room (a class room keeps its code from round to round: a
 * student already in it stays, and the room seats her by the teacher's plan). A tab that another
 * tab of the same person replaced stops following until asked to play here again, or the two
 * would take the seat from each other every round; a page coming back after a reload holds
 * assignments until it is back in its rooms, so the two never race for the seat.
 */
import type { ClassServerMessages } from '../shared.ts';

type Assignment = ClassServerMessages['assignment'];

export interface SeatJoiner {
  /** Whether this tab is in that game room now. */
  inRoom(roomCode: string): boolean;
  /** Join the room with a seat ticket; quiet: the player is not told if it fails. Rejects if it does. */
  join(roomCode: string, ticket: string, quiet: boolean): Promise<void>;
  /** Nothing to play: tell the player. */
  nothingToPlay(): void;
}

export class AssignmentFollower {
  private assignment?: Assignment;
  private superseded = false;
  private held = false;

  constructor(private readonly joiner: SeatJoiner) {}

  /** This round's seat: join its room (now, or once the page is back in its rooms). */
  async follow(a: Assignment): Promise<void> {
    this.assignment = a;
    if (this.held) return;
    if (this.superseded || this.joiner.inRoom(a.roomCode)) return;
    try {
      await this.joiner.join(a.roomCode, a.ticket, false);
    } catch {
      /* the join's failure was told to the player */
    }
  }

  /** A reloaded page is coming back to its rooms: assignments wait. */
  hold(): void {
    this.held = true;
  }

  /** Back in its rooms: the last assignment is followed. */
  release(): void {
    this.held = false;
    if (this.assignment) void this.follow(this.assignment);
  }

  /** Another tab of this person took the seat. */
  replaced(): void {
    this.superseded = true;
  }

  /** The match is over: no seat to share with another tab, nor one to follow. */
  matchEnded(): void {
    this.superseded = false;
    this.assignment = undefined;
  }

  /** This tab was replaced by another one of the same person; play here again (taking the seat back). */
  async playHere(): Promise<void> {
    this.superseded = false;
    if (this.assignment) await this.follow(this.assignment);
    else this.joiner.nothingToPlay();
  }

  get isSuperseded(): boolean {
    return this.superseded;
  }

  /** The connection to room `lostRoomId` did not come back by its token: take the seat again by its ticket. */
  async rejoin(lostRoomId: string): Promise<boolean> {
    const a = this.assignment;
    if (!a || a.roomCode !== lostRoomId || this.superseded) return false;
    try {
      await this.joiner.join(a.roomCode, a.ticket, true);
      return true;
    } catch {
      return false;
    }
  }
}
