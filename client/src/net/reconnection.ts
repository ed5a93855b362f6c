/**
 * Coming back to the rooms after a reload or a dropped connection. A room's reconnection token
 * is tried first (a few times after a reload: the server may not have seen the old page go
 * yet; again and again after a drop, until the server's reconnection window closes); when it
 * does not take, the same person comes back another way: the class lobby by the player token or
 * the teacher key kept on this device, a class seat by its ticket.
 */
import type { Client, Room } from 'colyseus.js';
import { LIMITS, type ClassJoinOptions } from '../shared.ts';
import { readNickname, readPlayerToken, readTokens, writeTokens, type StoredTokens } from './browserStorage.ts';

export type RoomKind = 'game' | 'class';
type StoredClass = NonNullable<StoredTokens['class']>;

/**
 * After a reload the server may not have noticed yet that the old page's sockets closed (a busy
 * school laptop): a reconnection token is tried a few times, this long apart, before giving up on it.
 */
const RESUME_RETRIES_MS = [0, 400, 900, 1600];

/** What coming back needs of the connection. */
export interface Reconnectable {
  readonly client: Client;
  room(kind: RoomKind): Room | undefined;
  /** The player left on purpose: stop trying. */
  stopped(): boolean;
  status(state: 'idle' | 'reconnecting' | 'connected' | 'offline', detail?: string): void;
  /** Join a room quietly (a failure is not shown: the caller tries something else). */
  enterClass(open: () => Promise<Room>, isTeacher: boolean): Promise<void>;
  enterGame(open: () => Promise<Room>, practice: boolean): Promise<void>;
  /** A dropped room is back (the same Room object's token took). */
  attach(kind: RoomKind, room: Room): void;
  /** Given up on: the room is gone for this tab. */
  lose(kind: RoomKind): void;
  /** Who this tab is in its class, to come back as the same person (and, after a reload, to restore it). */
  classIdentity(): StoredClass;
  restoreClassIdentity(stored: StoredClass): void;
  /** The class seat in room `lostRoomId` again, by its ticket. */
  rejoinSeat(lostRoomId: string): Promise<boolean>;
}

export class Reconnection {
  constructor(private readonly conn: Reconnectable) {}

  /**
   * After a page reload: the rooms this tab was in. The class first (by its token, else by the
   * player token or teacher key kept on this device), then the game room (by its token; a class
   * seat also comes back by the ticket the class sends again, a casual room by its code).
   */
  async resume(): Promise<boolean> {
    const stored = readTokens();
    let resumed = false;
    if (stored.class) {
      const { token, isTeacher } = stored.class;
      this.conn.restoreClassIdentity(stored.class);
      try {
        await this.conn.enterClass(() => this.reconnectSoon(token), isTeacher);
        resumed = true;
      } catch {
        writeTokens({ ...readTokens(), class: undefined });
        resumed = await this.rejoinClass(stored.class);
      }
    }
    const game = stored.game;
    if (game) {
      try {
        await this.conn.enterGame(() => this.reconnectSoon(game.token), game.practice);
        resumed = true;
      } catch {
        writeTokens({ ...readTokens(), game: undefined });
      }
    }
    if (!resumed) this.conn.status('idle');
    return resumed;
  }

  /** A dropped connection: try again and again until the server's reconnection window closes. */
  async afterDrop(kind: RoomKind, token: string): Promise<void> {
    const deadline = Date.now() + LIMITS.reconnectSeconds * 1000;
    let delay = 250;
    const lost = this.conn.room(kind);
    // Meanwhile the class may have sent this student to another room (the lost one's process died): then stop here.
    const movedOn = () => this.conn.room(kind) !== lost;
    this.conn.status('reconnecting', 'Connection lost, reconnecting…');
    while (Date.now() < deadline && !this.conn.stopped()) {
      await sleep(delay);
      if (movedOn()) return;
      try {
        this.conn.attach(kind, await this.conn.client.reconnect(token));
        this.conn.status('connected');
        return;
      } catch {
        if (!movedOn() && (await this.comeBackAsTheSamePerson(kind, lost))) return;
        delay = Math.min(delay * 2, 4000);
      }
    }
    if (movedOn()) return;
    writeTokens({ ...readTokens(), [kind]: undefined });
    this.conn.status('offline', 'Could not reconnect. Join again with the code.');
    this.conn.lose(kind);
  }

  /** A reconnection token, tried again for a moment: the server may not have seen the old page go yet. */
  private async reconnectSoon(token: string): Promise<Room> {
    let last: unknown;
    for (const wait of RESUME_RETRIES_MS) {
      if (wait) await sleep(wait);
      try {
        return await this.conn.client.reconnect(token);
      } catch (e) {
        last = e;
      }
    }
    throw last;
  }

  /** The class token is no longer good (the lobby restarted, or the reload took too long): rejoin as the same person. */
  private async rejoinClass(stored: StoredClass): Promise<boolean> {
    const { code, isTeacher, teacherSecret } = stored;
    const playerToken = code && !isTeacher ? readPlayerToken(code) : undefined;
    const join: ClassJoinOptions | undefined = isTeacher && teacherSecret ? { teacherSecret } : playerToken ? { nickname: readNickname(), playerToken } : undefined;
    if (!code || !join) return false;
    try {
      await this.conn.enterClass(() => this.conn.client.joinById(code, join), isTeacher);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The token did not take (the server has not seen the drop yet, or let the seat go): a class
   * seat comes back by its ticket, the class lobby by the player token or teacher key — the same
   * person either way, so nobody is left with "Could not reconnect".
   */
  private async comeBackAsTheSamePerson(kind: RoomKind, lost: Room | undefined): Promise<boolean> {
    if (kind === 'class') return this.rejoinClass(this.conn.classIdentity());
    return lost !== undefined && this.conn.rejoinSeat(lost.roomId);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
