/**
 * The game rooms of a class's match, wherever they run: opened through the lobby's hooks on
 * whichever process has room (so each may be on another server process), told what to do in
 * messages (matchLink.ts), shown on the dashboard, and reopened on a live process when the one
 * running a room dies. Each room keeps the tickets that admit the match's students (and the
 * teacher, as a watcher) and who sits where in its current round.
 */
import type { HiddenAttacker, Role } from '@heist/shared';
import type { ServerContext } from '../context.ts';
import { Match, type ClassState } from '../schema/ClassState.ts';
import type { LobbyHooks } from './lobbyHooks.ts';
import type { MatchCommand, TicketHolder } from './matchLink.ts';
import type { Pairing } from './schedule.ts';
import { newSecret } from './secrets.ts';

interface MatchPlayer {
  playerId: string;
  nickname: string;
  teamName: string;
}

export interface MatchRoom {
  pairing: Pairing;
  matchKey: string;
  roomCode: string;
  /** The server process running the room. */
  processId: string;
  /** Its process stopped: a new room is being opened for the pairing. */
  lost: boolean;
  watchTicket: string;
  tickets: Map<string, MatchPlayer>;
  ticketOf: Map<string, string>;
  /** Who sits where this round (kept to resend assignments to returning students). */
  plan: ReadonlyMap<string, Role>;
  /** A hidden-attacker match: whether this room has an attacker this round. */
  hiddenAttacker?: HiddenAttacker;
  /** The current round has its result (or was interrupted). */
  done: boolean;
  /** Scheduler time the current round got its result (or was stopped): it stays on screen a while. */
  doneAt: number;
  /** Scheduler time the current round was started. */
  startedAt: number;
  schema: Match;
}

/** A failed attempt to open a room for a pairing is tried again after this long. */
const REOPEN_RETRY_MS = 2000;

export class MatchRooms {
  private rooms: MatchRoom[] = [];

  constructor(
    private readonly code: string,
    private readonly ctx: ServerContext,
    private readonly hooks: LobbyHooks,
    private readonly state: ClassState,
  ) {}

  get all(): readonly MatchRoom[] {
    return this.rooms;
  }

  get size(): number {
    return this.rooms.length;
  }

  byMatchKey(matchKey: string): MatchRoom | undefined {
    return this.rooms.find((r) => r.matchKey === matchKey);
  }

  byRoomCode(roomCode: string): MatchRoom | undefined {
    return this.rooms.find((r) => r.roomCode === roomCode);
  }

  /** Every room has finished its current round. */
  allDone(): boolean {
    return this.rooms.every((r) => r.done);
  }

  /** Who a ticket admits to the game room opened with `matchKey`. */
  ticketHolder(matchKey: string, ticket: unknown): TicketHolder {
    const room = this.byMatchKey(matchKey);
    if (!room || typeof ticket !== 'string') return null;
    if (ticket === room.watchTicket) return { watcher: true };
    const player = room.tickets.get(ticket);
    return player ? { watcher: false, ...player } : null;
  }

  /** The game rooms of the match and where they run (for the watch on dead processes). */
  inPlay(): { roomCode: string; processId: string }[] {
    return this.rooms.filter((r) => !r.lost).map((r) => ({ roomCode: r.roomCode, processId: r.processId }));
  }

  /** Open one room for each pairing; on the dashboard once all are open. */
  async openAll(pairings: readonly Pairing[]): Promise<void> {
    const opened = await Promise.all(pairings.map((pairing) => this.open(pairing)));
    this.rooms.push(...opened);
    for (const room of opened) this.show(room);
  }

  tell(room: MatchRoom, command: MatchCommand): void {
    if (!room.lost) this.hooks.tellRoom(room.roomCode, room.matchKey, command);
  }

  /** Tell every room (a lost one is being replaced: it hears nothing). */
  tellAll(command: MatchCommand): void {
    for (const r of this.rooms) this.tell(r, command);
  }

  /** A teacher (re)joined: tell them how to watch each room of the running match. */
  showToTeacher(): void {
    for (const r of this.rooms) if (!r.lost) this.hooks.sendToTeacher('watch', { roomCode: r.roomCode, ticket: r.watchTicket });
  }

  closeAll(reason: string): void {
    for (const r of this.rooms) this.tell(r, { kind: 'close', reason });
    this.rooms = [];
    this.state.matches.clear();
  }

  /** Only these rooms stay the match's (the others are closed, or lost). */
  keepOnly(keep: (room: MatchRoom) => boolean): void {
    this.rooms = this.rooms.filter(keep);
  }

  /** A ticket for this student in this room, unless she has one. */
  admit(room: MatchRoom, player: MatchPlayer): void {
    if (room.ticketOf.has(player.playerId)) return;
    const ticket = newSecret();
    room.ticketOf.set(player.playerId, ticket);
    room.tickets.set(ticket, player);
  }

  /** A removed student's tickets no longer admit her; her rooms put her out. */
  turnAway(playerId: string): void {
    for (const r of this.rooms) {
      const ticket = r.ticketOf.get(playerId);
      if (ticket) r.tickets.delete(ticket);
      r.ticketOf.delete(playerId);
      this.tell(r, { kind: 'kick', playerId });
    }
  }

  /** Tell the student her seat this round, with the ticket to her room. */
  sendAssignment(room: MatchRoom, playerId: string): void {
    const role = room.plan.get(playerId);
    const ticket = room.ticketOf.get(playerId);
    if (!role || !ticket || room.lost) return;
    const teamId = this.state.students.get(playerId)?.team ?? '';
    this.hooks.sendToPlayer(playerId, 'assignment', { roomCode: room.roomCode, role, team: this.state.teams.get(teamId)?.name ?? '', ticket });
  }

  /** A returning student hears her seat again. */
  resendAssignment(playerId: string): void {
    for (const room of this.rooms) if (room.plan.has(playerId)) this.sendAssignment(room, playerId);
  }

  /**
   * A new room for a lost room's pairing, on a live process; the same students and tickets.
   * `wanted` says whether the match still wants one (asked before opening it, and again once it
   * is open); `replay` plays the current round there if the teacher moved on meanwhile.
   */
  async reopen(room: MatchRoom, wanted: (opened: boolean) => boolean, replay: (room: MatchRoom) => void): Promise<void> {
    if (!wanted(false) || !this.rooms.includes(room)) return;
    let opened: MatchRoom;
    try {
      opened = await this.open(room.pairing);
    } catch (e) {
      this.ctx.log(`class ${this.code}: could not open a room for ${room.pairing.teamA}: ${(e as Error)?.message ?? e}; trying again`);
      this.ctx.scheduler.after(REOPEN_RETRY_MS, `class ${this.code}: reopen`, () => void this.reopen(room, wanted, replay));
      return;
    }
    if (!wanted(true) || !this.rooms.includes(room)) return this.hooks.tellRoom(opened.roomCode, opened.matchKey, { kind: 'close', reason: 'The match is over.' });
    this.state.matches.delete(room.roomCode);
    Object.assign(room, { matchKey: opened.matchKey, roomCode: opened.roomCode, processId: opened.processId, lost: false, watchTicket: opened.watchTicket });
    room.schema.roomCode = room.roomCode;
    this.show(room);
    if (!room.done) replay(room);
  }

  private async open(pairing: Pairing): Promise<MatchRoom> {
    const matchKey = newSecret(32);
    const opened = await this.hooks.openGameRoom({ openKey: this.ctx.cluster.openKey, classCode: this.code, matchKey, lobbyProcessId: this.ctx.cluster.processId });
    const schema = new Match().assign({ roomCode: opened.roomCode, teamA: pairing.teamA, teamB: pairing.teamB ?? '' });
    return { pairing, matchKey, roomCode: opened.roomCode, processId: opened.processId, lost: false, watchTicket: newSecret(), tickets: new Map(), ticketOf: new Map(), plan: new Map(), done: true, doneAt: Number.NEGATIVE_INFINITY, startedAt: 0, schema };
  }

  /** The room appears on the dashboard, and the teacher may watch it. */
  private show(room: MatchRoom): void {
    this.state.matches.set(room.roomCode, room.schema);
    this.hooks.sendToTeacher('watch', { roomCode: room.roomCode, ticket: room.watchTicket });
  }
}
