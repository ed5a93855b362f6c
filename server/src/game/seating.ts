/**
 * Who is in a game room and where they sit. One person holds one connection and one seat: a
 * second connection of the same person replaces the first, and a person who comes back gets the
 * seat they had (casual rooms) or the one the teacher's plan gives them (class play). A seat
 * nobody holds is a bot's. No round and no clock here: GameSession asks and tells.
 */
import { parseRole, ROLES, type BotBehaviours, type ProtocolError, type Role } from '@heist/shared';
import { Member, Seat, type GameState } from '../schema/GameState.ts';
import { sameNickname } from '../validation/names.ts';
import { protocolError as err } from '../validation/messages.ts';

/**
 * People in one seat of a casual room: a team of friends, not the whole room (every connection
 * in a seat is sent its views). Class rooms seat people by the teacher's plan.
 */
export const PLAYERS_PER_SEAT = 6;

export interface MemberInfo {
  nickname: string;
  host?: boolean;
  team?: string;
  /**
   * Who this is across connections: a class player's id, or a casual player's device key. One
   * person holds one connection and one seat; a second connection replaces the first, and a
   * person who comes back gets the seat they had.
   */
  key?: string;
  /** Watches only (the teacher's projector): never seated. */
  watcher?: boolean;
}

/** Class play: who sits where this round, and in which team, by person key. */
export interface SeatPlan {
  seats: ReadonlyMap<string, Role>;
  teamOf: ReadonlyMap<string, string>;
}

/** A connected member and the seat it holds (none: it watches). */
export interface Audience {
  sessionId: string;
  role: Role | undefined;
}

export class Seating {
  /** Person key of each connection. */
  private readonly keyOf = new Map<string, string>();
  /** Casual rooms: the seat each person last took, returned when they come back. */
  private readonly seatOfKey = new Map<string, Role>();

  constructor(
    private readonly state: GameState,
    /** Class play: the teacher's plan decides seats, not the players. */
    private readonly managed: boolean,
  ) {
    for (const role of ROLES) state.seats.set(role, new Seat().assign({ role, bot: true }));
  }

  /**
   * A connection joins. Earlier connections of the same person are forgotten (their host flag
   * passes to this one) and returned, for the room to close them.
   */
  add(sessionId: string, info: MemberInfo, plan: SeatPlan | undefined): string[] {
    const key = info.watcher ? undefined : info.key;
    let role: Role | '' = '';
    let host = info.host ?? false;
    const replaced: string[] = [];
    if (key !== undefined) {
      for (const [other, otherKey] of [...this.keyOf]) {
        if (otherKey !== key) continue;
        host ||= this.state.members.get(other)?.host ?? false;
        this.forget(other);
        replaced.push(other);
      }
      this.keyOf.set(sessionId, key);
      role = this.managed ? (plan?.seats.get(key) ?? '') : (this.seatOfKey.get(key) ?? '');
    }
    this.state.members.set(
      sessionId,
      new Member().assign({ sessionId, nickname: info.nickname, host, team: (key && plan?.teamOf.get(key)) || info.team || '', role, watcher: info.watcher ?? false }),
    );
    return replaced;
  }

  /** Gone for good: the member and its key are forgotten; a host's flag passes to someone still here. False if it was not a member. */
  remove(sessionId: string): boolean {
    const m = this.state.members.get(sessionId);
    if (!m) return false;
    this.forget(sessionId);
    if (m.host) {
      const next = [...this.state.members.values()].find((x) => x.connected && !x.watcher);
      if (next) next.host = true;
    }
    return true;
  }

  private forget(sessionId: string): void {
    this.state.members.delete(sessionId);
    this.keyOf.delete(sessionId);
  }

  /** False if it is not a member. */
  setConnected(sessionId: string, connected: boolean): boolean {
    const m = this.state.members.get(sessionId);
    if (m) m.connected = connected;
    return m !== undefined;
  }

  has(sessionId: string): boolean {
    return this.state.members.has(sessionId);
  }

  isHost(sessionId: string): boolean {
    return this.state.members.get(sessionId)?.host ?? false;
  }

  /** The seat a member holds (none: it watches, or it is not a member). */
  roleOf(sessionId: string): Role | undefined {
    return parseRole(this.state.members.get(sessionId)?.role);
  }

  nicknameOf(sessionId: string): string {
    return this.state.members.get(sessionId)?.nickname ?? '';
  }

  /** The nickname is held by someone else (a person coming back under their own key may reuse theirs). */
  nicknameTaken(nickname: string, key?: string): boolean {
    return [...this.state.members.values()].some((m) => sameNickname(m.nickname, nickname) && (key === undefined || this.keyOf.get(m.sessionId) !== key));
  }

  holders(role: Role): Member[] {
    return [...this.state.members.values()].filter((m) => m.role === role);
  }

  /** A casual player picks a seat (the session has checked who may). */
  choose(sessionId: string, role: Role): ProtocolError | null {
    const m = this.state.members.get(sessionId);
    if (!m) return err('notAllowed', 'You are not in this room.', 'chooseSeat');
    if (this.managed || this.state.demo || m.watcher) return err('notAllowed', 'Seats are assigned in this room.', 'chooseSeat');
    // Taking or changing a seat mid-round would hand one role's secrets to someone else.
    if (this.state.phase === 'playing') return err('wrongPhase', 'Seats change between rounds: watch this one, then pick your seat.', 'chooseSeat');
    if (m.role !== role && this.holders(role).length >= PLAYERS_PER_SEAT)
      return err('notAllowed', `The ${role} seat already has ${PLAYERS_PER_SEAT} players: pick another seat, or watch.`, 'chooseSeat');
    m.role = role;
    const key = this.keyOf.get(sessionId);
    if (key !== undefined) this.seatOfKey.set(key, role);
    return null;
  }

  /** Class play: everyone here sits where the plan says (nowhere, if it leaves them out). */
  follow(plan: SeatPlan): void {
    for (const m of this.state.members.values()) {
      const key = this.keyOf.get(m.sessionId);
      if (m.watcher || key === undefined) continue;
      m.role = plan.seats.get(key) ?? '';
      m.team = plan.teamOf.get(key) ?? m.team;
    }
  }

  /** The people connected now, by key. */
  presentKeys(): Set<string> {
    const present = new Set<string>();
    for (const m of this.state.members.values()) {
      const key = this.keyOf.get(m.sessionId);
      if (key !== undefined && m.connected) present.add(key);
    }
    return present;
  }

  /** Who holds a seat (kept seats of dropped players included), by person key. */
  seated(): { key: string; role: Role }[] {
    const seated: { key: string; role: Role }[] = [];
    for (const m of this.state.members.values()) {
      const key = this.keyOf.get(m.sessionId);
      const role = parseRole(m.role);
      if (role !== undefined && key !== undefined) seated.push({ key, role });
    }
    return seated;
  }

  /** Connected members, each with its seat: who is sent views. */
  audience(): Audience[] {
    return [...this.state.members.values()].filter((m) => m.connected).map((m) => ({ sessionId: m.sessionId, role: parseRole(m.role) }));
  }

  /**
   * Seats nobody holds are played by a bot, with the behaviour the room set; the room's state
   * leaves out the behaviour of the `unsaid` seats (a hidden-attacker round's attacker bot, whose
   * behaviour would say whether it attacks).
   */
  assignBots(bots: BotBehaviours, unsaid: readonly Role[]): void {
    for (const role of ROLES) this.seat(role).assign({ bot: this.holders(role).length === 0, behaviour: unsaid.includes(role) ? '' : bots[role] });
  }

  isBot(role: Role): boolean {
    return this.seat(role).bot;
  }

  /** The seat's record in the room's state. */
  seat(role: Role): Seat {
    // The constructor put every role's seat in the map, and nothing takes one out.
    return this.state.seats.get(role)!;
  }
}
