/**
 * One class: its students and teams (persisted), and the match the teacher runs, round after
 * round. The class room (rooms/ClassRoom.ts) authenticates and wires messages here. Teams,
 * pairings and seat plans come from the pure functions beside this file; game rooms are opened
 * through `hooks` and driven by messages (matchLink.ts), so each may run on another server
 * process. Time comes from a Scheduler.
 *
 * The lobby's state lives here, in memory, and changes at once; what must survive a restart is
 * written to the store in the order it happened (one queue of writes per class). Commands whose
 * write can fail in a way the teacher should hear of (teams, levels, removing a student) wait
 * for it before changing anything. Rounds' results and the class's status are written without
 * anybody waiting (with PostgreSQL through this process's journal, which keeps them while the
 * database is away, persistence/journal.ts); the dashboard's status follows only once every
 * write before it is made, so a match shown as ended has all its rounds in the store, and the
 * teacher sees how many results are waiting for the database (`state.unsaved`).
 *
 * Every match has a number (from the store); a round's record is keyed by class, match, room
 * and round, so the same round reported twice — by its room and by the lobby, late after an
 * outage, or interrupted here while its result was on the way — is one row (persistence/store.ts).
 *
 * A round ends in every room with a result (or is interrupted: by the teacher, or because the
 * process running its room stopped, when the lobby opens a new room for the next round on a live
 * process); then a countdown runs to the next round, which the teacher can hold or skip. Every teacher command names the
 * round it was pressed in, so a click that crosses an automatic advance does nothing twice.
 */
import { randomUUID } from 'node:crypto';
import { levelModule, ROLES, type ClassServerMessages, type Level, type ProtocolError, type Role } from '@heist/shared';
import type { ServerContext } from '../context.ts';
import { classRoundRecord } from '../persistence/rounds.ts';
import type { ClassStatus, PlayerRecord, RecordedRound, RoundRecord } from '../persistence/store.ts';
import { ClassState, Match, Student, Team } from '../schema/ClassState.ts';
import { TimerSlot } from '../time/scheduler.ts';
import { planMessage, type MatchCommand, type MatchRoomOptions, type ReportAnswer, type RoundReport, type TicketHolder } from './matchLink.ts';
import { clientHasHsts, matchRounds, pairTeams, seatPlan, type Pairing, type ScheduledRound } from './schedule.ts';
import { hashSecret, newSecret, secretMatches } from './secrets.ts';
import { autoBalance, formTeams, type TeamPlan } from './teams.ts';
import { sameNickname } from '../validation/names.ts';
import { ClassJoins } from './joins.ts';

export interface LobbyHooks {
  sendToPlayer<K extends keyof ClassServerMessages>(playerId: string, type: K, payload: ClassServerMessages[K]): void;
  /** Open a game room for the match (on whichever process has room for it); resolves to its code and process. */
  openGameRoom(options: MatchRoomOptions): Promise<{ roomCode: string; processId: string }>;
  /** Send a command to a game room of the match (delivered in order; a room that is gone is not an error). */
  tellRoom(roomCode: string, matchKey: string, command: MatchCommand): void;
  /** Disconnect a removed player's lobby connection. */
  kickFromLobby(playerId: string): void;
  /** Send to every teacher connection. */
  sendToTeacher<K extends keyof ClassServerMessages>(type: K, payload: ClassServerMessages[K]): void;
  isConnected(playerId: string): boolean;
  /** Game rooms of this class still open, on any process (those of a match whose lobby died finish their round first). */
  matchRoomsOpen(): Promise<number>;
}

interface MatchPlayer {
  playerId: string;
  nickname: string;
  teamName: string;
}

interface MatchRoom {
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
  /** The current round has its result (or was interrupted). */
  done: boolean;
  /** Scheduler time the current round got its result (or was stopped): it stays on screen a while. */
  doneAt: number;
  /** Scheduler time the current round was started. */
  startedAt: number;
  schema: Match;
}

const err = (code: ProtocolError['code'], message: string, type?: string): ProtocolError => ({ code, message, type });

/** Why a round without a result was stopped, as the results record it. */
const INTERRUPTED_BY_TEACHER = 'Interrupted: the teacher stopped the round before it ended.';
const INTERRUPTED_BY_SHUTDOWN = 'Interrupted: the server running this room was restarted before the round ended.';
const INTERRUPTED_BY_LOBBY_SHUTDOWN = "Interrupted: the class's server was restarted before the round ended.";
/** A failed attempt to open a room for a pairing is tried again after this long. */
const REOPEN_RETRY_MS = 2000;
/** A result the store has not taken after this long counts on the dashboard as waiting for the database. */
const UNSAVED_AFTER_MS = 1000;
/** At shutdown, writes may take this long more; what is left stays in the journal for the next start. */
const SHUTDOWN_WRITES_MS = 3000;

export class ClassLobby {
  readonly state = new ClassState();
  /** Class size, joins per address, who joined when (joins.ts). */
  readonly joins = new ClassJoins();
  private rooms: MatchRoom[] = [];
  private schedule: ScheduledRound[] = [];
  private readonly advanceTimer = new TimerSlot();
  private readonly countdownTimer = new TimerSlot();
  /** Between rounds: ms left before the next round starts by itself (kept while paused or held). */
  private advanceLeftMs: number | undefined;
  private advanceAt = 0;
  private busy = false;
  private disposed = false;
  /** Where the match stands (the dashboard's `state.status` follows it, see setStatus). */
  private status: ClassStatus = 'lobby';
  /** The lobby's process shuts down: no new round starts; `allDone` hears when the last one ends. */
  private closing = false;
  private allDone: (() => void) | undefined;
  /** Every player of the class, removed ones too (their tokens are refused), by id. */
  private readonly players = new Map<string, PlayerRecord>();
  /** Writes to the store, one after another, in the order things happened. */
  private writes: Promise<void> = Promise.resolve();
  /** Results and statuses written (or failed) so far, in order: the dashboard's status waits for them. */
  private recorded: Promise<void> = Promise.resolve();
  /** The number of the match being played (or last played): part of every round's key. */
  private matchNumber = 0;
  /** When each student's lobby connection dropped, while it stays dropped (see `present`). */
  private readonly droppedAt = new Map<string, number>();

  private constructor(
    readonly code: string,
    private readonly ctx: ServerContext,
    private readonly hooks: LobbyHooks,
    private readonly teacherSecretHash: string,
  ) {}

  /** Opens the lobby of a class from the store. */
  static async open(code: string, ctx: ServerContext, hooks: LobbyHooks): Promise<ClassLobby> {
    const record = await ctx.store.getClass(code);
    if (!record) throw new Error(`no class ${code}`);
    const lobby = new ClassLobby(code, ctx, hooks, record.teacherSecretHash);
    const state = lobby.state;
    state.code = code;
    // A match cannot outlive the lobby that ran it. Its finished rounds are in the database; the
    // rounds its rooms are still playing are written by those rooms as they end (then they close):
    // the dashboard says the match ended once none of its rooms is left.
    const cutShort = record.status === 'playing' || record.status === 'paused';
    lobby.status = cutShort ? 'ended' : record.status;
    state.status = record.status;
    state.levels.clear();
    state.levels.push(...record.levels);
    const players = await ctx.store.players(code);
    for (const p of players) {
      lobby.players.set(p.id, p);
      if (!p.removed) lobby.putStudent(p);
    }
    const teams = await ctx.store.teams(code);
    const placed = players.filter((p) => !p.removed && p.teamId !== null).sort((a, b) => (a.teamPosition ?? 0) - (b.teamPosition ?? 0));
    for (const t of teams) {
      const team = new Team().assign({ id: t.id, name: t.name });
      for (const p of placed) if (p.teamId === t.id) team.members.push(p.id);
      // Teams emptied by a later re-forming are history, not part of the lobby.
      if (team.members.length > 0) state.teams.set(t.id, team);
    }
    await lobby.refreshLeaderboard();
    if (cutShort) lobby.endWhenRoomsClosed();
    return lobby;
  }

  /** The match cut short by the death of the lobby's process ends once its rooms have closed (unless a new match starts first). */
  private endWhenRoomsClosed(): void {
    const check = async () => {
      if (this.disposed || this.status !== 'ended' || this.rooms.length > 0) return;
      const open = await this.hooks.matchRoomsOpen().catch(() => 1);
      if (open === 0) return this.setStatus('ended');
      this.ctx.scheduler.after(this.ctx.timing.heartbeatMs, `class ${this.code}: waiting for the rooms of the match cut short`, () => void check());
    };
    void check();
  }

  /** Resolves once every write so far has been made (or has failed and been logged). */
  async settled(): Promise<void> {
    await Promise.all([this.writes, this.recorded]);
  }

  // ── Joining ───────────────────────────────────────────────────────────────

  teacherSecretMatches(secret: unknown): boolean {
    return secretMatches(secret, this.teacherSecretHash);
  }

  playerByToken(token: unknown): PlayerRecord | undefined {
    if (typeof token !== 'string') return undefined;
    return [...this.players.values()].find((p) => secretMatches(token, p.tokenHash));
  }

  nicknameTaken(nickname: string): boolean {
    return [...this.state.students.values()].some((s) => sameNickname(s.nickname, nickname));
  }

  /**
   * A new student: persisted before they are told their token, with which they rejoin as the
   * same player. Before a match, late arrivals join the smallest team; during one they wait
   * without a team until the teacher places them (a second nickname of someone already playing
   * must not get a second seat).
   */
  async addStudent(nickname: string): Promise<{ playerId: string; playerToken: string }> {
    const playerId = randomUUID();
    const playerToken = newSecret();
    const record = { id: playerId, classCode: this.code, nickname, tokenHash: hashSecret(playerToken) };
    // In the lobby at once, so that a second join with the same nickname meanwhile is refused.
    this.putStudent({ id: playerId, nickname, teamId: null });
    try {
      await this.ctx.store.addPlayer(record, this.ctx.scheduler.now());
    } catch (e) {
      this.state.students.delete(playerId);
      throw e;
    }
    this.players.set(playerId, { ...record, teamId: null, teamPosition: null, removed: false });
    this.joins.joinedNow(playerId, nickname, this.ctx.scheduler.now());
    const teams = [...this.state.teams.values()];
    if (teams.length > 0 && !this.matchRunning()) {
      const smallest = teams.reduce((a, b) => (b.members.length < a.members.length ? b : a));
      smallest.members.push(playerId);
      this.state.students.get(playerId)!.team = smallest.id;
      const plans = [...this.state.teams.values()].map((t, position) => ({ id: t.id, name: t.name, position, playerIds: [...t.members] }));
      this.write('saving teams', () => this.ctx.store.saveTeams(this.code, plans));
    }
    return { playerId, playerToken };
  }

  /** A teacher (re)joined: tell them how to watch each room of the running match. */
  teacherJoined(): void {
    for (const r of this.rooms) if (!r.lost) this.hooks.sendToTeacher('watch', { roomCode: r.roomCode, ticket: r.watchTicket });
  }

  setConnected(playerId: string, connected: boolean): void {
    const s = this.state.students.get(playerId);
    if (s) s.connected = connected;
    if (connected) this.droppedAt.delete(playerId);
    else if (!this.droppedAt.has(playerId)) this.droppedAt.set(playerId, this.ctx.scheduler.now());
    if (connected) this.resendAssignment(playerId);
  }

  /**
   * Whether a student is dealt a seat: connected, or dropped so recently that she may be
   * reloading (within the reconnect allowance). One who closed her tab is not: no bot plays a
   * seat in her name, nobody waits for her, and she is dealt again once she is back.
   */
  private present(playerId: string): boolean {
    if (this.state.students.get(playerId)?.connected) return true;
    const since = this.droppedAt.get(playerId);
    return since !== undefined && this.ctx.scheduler.now() - since < this.ctx.timing.reconnectSeconds * 1000;
  }

  // ── Game rooms of the match (their messages, see matchLink.ts) ────────────

  /** Who a ticket admits to the game room opened with `matchKey`. */
  ticketHolder(matchKey: string, ticket: unknown): TicketHolder {
    const room = this.rooms.find((r) => r.matchKey === matchKey);
    if (!room || typeof ticket !== 'string') return null;
    if (ticket === room.watchTicket) return { watcher: true };
    const player = room.tickets.get(ticket);
    return player ? { watcher: false, ...player } : null;
  }

  /**
   * A game room's round finished with a result. Written whenever it arrives (the room has
   * written it too: the same row); it moves the match on only if it is the round being played.
   * A report for a match this lobby does not run (it ended, or the lobby was reopened since)
   * tells the room its match is over.
   */
  roundReported(matchKey: string, report: RoundReport): ReportAnswer {
    const room = this.rooms.find((r) => r.matchKey === matchKey);
    if (!room) return 'unknownMatch';
    const { matchNumber, roundIndex } = report.round;
    const record = classRoundRecord(this.code, room.roomCode, report, (key) => this.players.has(key));
    const current = matchNumber === this.matchNumber && roundIndex === this.state.round && !room.done;
    this.record(`round ${roundIndex + 1} of room ${room.roomCode}`, record, (stored) => {
      // Recorded as interrupted here first (the teacher moved on while the result was on its way): the result wins.
      if (!current && room.schema.phase === 'interrupted' && stored.outcome !== 'interrupted' && roundIndex === this.state.round) room.schema.assign({ phase: 'over', outcome: stored.outcome, summary: stored.summary });
    });
    if (!current) return 'recorded';
    room.done = true;
    room.doneAt = this.ctx.scheduler.now();
    room.schema.assign({ phase: 'over', outcome: report.outcome, summary: report.summary });
    this.maybeScheduleAdvance();
    return 'recorded';
  }

  /**
   * The game room is gone without having closed on the lobby's word: the server process running
   * it died (or shuts down and could not wait for the round). Its round, unless already over, is
   * recorded as interrupted; a new room for the pairing opens on a live process, for the next
   * round (or at once for this one, if the teacher has already moved on).
   */
  roomLost(roomCode: string, why: 'stopped' | 'restarting'): void {
    const room = this.rooms.find((r) => r.roomCode === roomCode);
    if (!room || room.lost) return;
    room.lost = true;
    const summary = why === 'restarting' ? INTERRUPTED_BY_SHUTDOWN : 'Interrupted: the server running this room stopped before the round ended.';
    if (!room.done) this.recordInterrupted(room, summary);
    // Judged dead, it may yet be alive (cut off from Redis for long): it must not play on beside its replacement.
    if (why === 'stopped') this.hooks.tellRoom(roomCode, room.matchKey, { kind: 'close', reason: 'This room moved to another server: your next round is in a new room.' });
    this.ctx.log(`class ${this.code}: room ${roomCode} on process ${room.processId} is gone (${why}); opening another`);
    void this.reopen(room);
    this.maybeScheduleAdvance();
  }

  /** The game room opened with `matchKey` closes before its round could end (its process shuts down). */
  roomGoingAway(matchKey: string): void {
    const room = this.rooms.find((r) => r.matchKey === matchKey);
    if (room) this.roomLost(room.roomCode, 'restarting');
  }

  /** A game room opened with `matchKey` is one of this lobby's (of its match, or kept open for the debrief after it). */
  knowsMatch(matchKey: string): boolean {
    return this.rooms.some((r) => r.matchKey === matchKey);
  }

  /** The game rooms of the match and where they run (for the watch on dead processes). */
  roomsInPlay(): { roomCode: string; processId: string }[] {
    return this.rooms.filter((r) => !r.lost).map((r) => ({ roomCode: r.roomCode, processId: r.processId }));
  }

  // ── Teacher commands (payload shapes already checked) ─────────────────────

  /** During a match students may move between the match's teams (from the next round on); the teams themselves are fixed. */
  async formTeams(teams: string[][]): Promise<ProtocolError | null> {
    if (this.matchRunning() && teams.length !== this.state.teams.size)
      return err('wrongPhase', `The match has ${this.state.teams.size} teams; move students between them, or end the match to form new ones.`, 'formTeams');
    const plans = formTeams(this.code, teams, new Set(this.state.students.keys()));
    if ('error' in plans) return err('notFound', plans.error, 'formTeams');
    await this.saveTeams(plans);
    this.announceNextRound();
    return null;
  }

  async autoBalance(teamCount: number): Promise<ProtocolError | null> {
    if (this.matchRunning()) return err('wrongPhase', 'Teams are fixed while a match runs; place students by hand.', 'autoBalance');
    const rng = this.ctx.rng('teams');
    await this.saveTeams(autoBalance(this.code, [...this.state.students.keys()], teamCount, (m) => rng.int(m)));
    return null;
  }

  async setLevels(levels: Level[]): Promise<ProtocolError | null> {
    if (this.matchRunning()) return err('wrongPhase', 'Pick levels before the match starts.', 'setLevels');
    await this.ctx.store.setLevels(this.code, levels);
    this.state.levels.clear();
    this.state.levels.push(...levels);
    return null;
  }

  async startMatch(): Promise<ProtocolError | null> {
    if (this.matchRunning() || this.busy) return err('wrongPhase', 'A match is already running.', 'startMatch');
    const teamIds = [...this.state.teams.values()].filter((t) => t.members.length > 0).map((t) => t.id);
    if (teamIds.length === 0) return err('invalid', 'Form teams first.', 'startMatch');
    this.busy = true;
    try {
      try {
        this.matchNumber = await this.ctx.store.startMatch(this.code);
      } catch (e) {
        this.ctx.log(`class ${this.code}: could not number the match: ${(e as Error)?.message ?? e}`);
        return err('invalid', 'The match could not start: the class database is not reachable. Try again in a minute.', 'startMatch');
      }
      this.closeRooms('A new match is starting.');
      this.schedule = matchRounds([...this.state.levels] as Level[]);
      this.state.totalRounds = this.schedule.length;
      this.state.round = -1;
      const opened = await Promise.all(pairTeams(teamIds).map((pairing) => this.openRoom(pairing)));
      this.rooms.push(...opened);
      for (const room of opened) this.showRoom(room);
      this.setStatus('playing');
      this.beginRound(0);
      return null;
    } catch (e) {
      this.ctx.log(`class ${this.code}: could not start the match: ${(e as Error)?.stack ?? e}`);
      this.closeRooms('The match could not start.');
      this.setStatus('lobby');
      return err('invalid', 'The match could not start (a game room did not open). Try again.', 'startMatch');
    } finally {
      this.busy = false;
    }
  }

  pause(): ProtocolError | null {
    if (this.status !== 'playing') return err('wrongPhase', 'Nothing to pause.', 'pause');
    this.setStatus('paused');
    for (const r of this.rooms) this.tell(r, { kind: 'setSpeed', speed: 0 });
    this.stopCountdown();
    return null;
  }

  resume(): ProtocolError | null {
    if (this.status !== 'paused') return err('wrongPhase', 'The match is not paused.', 'resume');
    this.setStatus('playing');
    for (const r of this.rooms) this.tell(r, { kind: 'setSpeed', speed: 1 });
    this.runCountdown();
    return null;
  }

  /**
   * Move on from round `from`, as the teacher's button said: `stop` — stop that round where it
   * stands; otherwise start the next one now (skip the break after it). A click whose round has
   * moved on meanwhile (the automatic advance fired under the cursor) does nothing. A result
   * stays on the students' screens at least `resultMinMs`: pressed sooner, the next round
   * starts when that time is up (the countdown shows it).
   */
  nextRound(from: number, stop: boolean): ProtocolError | null {
    if (!this.matchRunning()) return err('wrongPhase', 'No match is running.', 'nextRound');
    if (from !== this.state.round) return err('wrongPhase', `Round ${this.state.round + 1} has already started: your click came too late to change anything.`, 'nextRound');
    const between = this.rooms.every((r) => r.done);
    if (!stop && !between) return err('wrongPhase', `Round ${from + 1} is still being played: stop it first if you want to move on.`, 'nextRound');
    if (this.status === 'paused') this.resume();
    const shownUntil = Math.max(...this.rooms.filter((r) => r.done).map((r) => r.doneAt + this.ctx.timing.resultMinMs));
    const wait = shownUntil - this.ctx.scheduler.now();
    if (!(wait > 0)) {
      this.beginRound(from + 1);
      return null;
    }
    // The result is still fresh: the next round starts once students have had time to read it.
    this.stopCountdown();
    this.state.holding = false;
    if (this.advanceLeftMs === undefined || this.advanceLeftMs > wait) this.advanceLeftMs = wait;
    this.runCountdown();
    return null;
  }

  holdAdvance(hold: boolean): ProtocolError | null {
    if (!this.matchRunning()) return err('wrongPhase', 'No match is running.', 'holdAdvance');
    this.state.holding = hold;
    if (hold) this.stopCountdown();
    else this.runCountdown();
    return null;
  }

  endMatch(): ProtocolError | null {
    if (!this.matchRunning()) return err('wrongPhase', 'No match is running.', 'endMatch');
    this.finishMatch('The teacher ended the match.');
    return null;
  }

  async removePlayer(playerId: string): Promise<ProtocolError | null> {
    if (!this.state.students.has(playerId)) return err('notFound', 'No such player in this class.', 'removePlayer');
    await this.ctx.store.removePlayer(playerId);
    const record = this.players.get(playerId);
    if (record) this.players.set(playerId, { ...record, removed: true, teamId: null, teamPosition: null });
    this.state.students.delete(playerId);
    for (const t of this.state.teams.values()) {
      const i = t.members.indexOf(playerId);
      if (i >= 0) t.members.splice(i, 1);
    }
    for (const r of this.rooms) {
      const ticket = r.ticketOf.get(playerId);
      if (ticket) r.tickets.delete(ticket);
      r.ticketOf.delete(playerId);
      this.tell(r, { kind: 'kick', playerId });
    }
    this.hooks.kickFromLobby(playerId);
    this.joins.left(playerId);
    return null;
  }

  setClassSize(maxStudents: number): ProtocolError | null {
    this.joins.setMaxStudents(maxStudents);
    this.state.maxStudents = maxStudents;
    return null;
  }

  /** Remove every student who joined in the last `minutes` (one made-up name after another, by a script). */
  async removeRecent(minutes: number): Promise<ProtocolError | null> {
    for (const id of this.joins.joinedSince(this.ctx.scheduler.now() - minutes * 60_000)) {
      const failed = await this.removePlayer(id);
      if (failed && failed.code !== 'notFound') return { ...failed, type: 'removeRecent' };
    }
    return null;
  }

  /**
   * The lobby's process shuts down: no new round starts; rounds being played may finish (for up
   * to `waitMs`), then the match ends here (rounds still playing are recorded as interrupted;
   * the class starts a new match wherever its lobby opens next). Resolves once every write is made.
   */
  async shutDown(waitMs: number): Promise<void> {
    this.closing = true;
    this.advanceTimer.clear();
    this.countdownTimer.clear();
    if (this.matchRunning() && !this.rooms.every((r) => r.done))
      await new Promise<void>((resolve) => {
        this.allDone = resolve;
        this.ctx.scheduler.after(waitMs, `class ${this.code}: shutdown wait`, resolve);
      });
    if (this.matchRunning()) this.finishMatch('The server is restarting: join the class again with its code in a moment.', INTERRUPTED_BY_LOBBY_SHUTDOWN);
    // The database may be away: its writes are in the journal, replayed when this process starts again.
    await new Promise<void>((resolve) => {
      this.ctx.scheduler.after(SHUTDOWN_WRITES_MS, `class ${this.code}: shutdown writes`, resolve);
      void this.settled().then(resolve);
    });
  }

  dispose(): void {
    this.disposed = true;
    this.advanceTimer.clear();
    this.countdownTimer.clear();
    this.closeRooms('The class closed.');
  }

  // ── The match ─────────────────────────────────────────────────────────────

  private matchRunning(): boolean {
    return this.status === 'playing' || this.status === 'paused';
  }

  /**
   * The status changes at once here, and on the dashboard once every write before it is made:
   * a match shown as ended has every one of its results in the store (and in the CSV).
   */
  private setStatus(status: ClassStatus): void {
    this.status = status;
    const written = this.ctx.store.setClassStatus(this.code, status).catch((e: unknown) => this.ctx.log(`class ${this.code}: status ${status} failed: ${(e as Error)?.stack ?? e}`));
    this.recorded = Promise.all([this.recorded, written]).then(() => void (this.state.status = status));
  }

  /**
   * A round's record, written at once (in the order of the journal) and counted on the
   * dashboard while the database does not have it; `then` hears what the store kept.
   */
  private record(what: string, record: RoundRecord, then: (stored: RecordedRound) => void = () => undefined): void {
    let counted = false;
    const slow = this.ctx.scheduler.after(UNSAVED_AFTER_MS, `class ${this.code}: unsaved`, () => {
      counted = true;
      this.state.unsaved++;
    });
    const written = this.ctx.store.recordRound(record).then(
      (stored) => {
        then(stored);
        // Counted on the leaderboard before the dashboard moves on: a match shown as ended shows its points.
        return this.write('the leaderboard', () => this.refreshLeaderboard());
      },
      (e: unknown) => this.ctx.log(`class ${this.code}: recording ${what} failed: ${(e as Error)?.stack ?? e}`),
    );
    const done = written.finally(() => {
      slow.cancel();
      if (counted) this.state.unsaved--;
    });
    this.recorded = Promise.all([this.recorded, done]).then(() => undefined);
  }

  /** Queue a write; a failure is logged (the lobby carries on: what it shows is still right). Resolves once it is done. */
  private write(what: string, op: () => Promise<unknown>): Promise<void> {
    this.writes = this.writes.then(op).then(
      () => undefined,
      (e: unknown) => this.ctx.log(`class ${this.code}: ${what} failed: ${(e as Error)?.stack ?? e}`),
    );
    return this.writes;
  }

  private tell(room: MatchRoom, command: MatchCommand): void {
    if (!room.lost) this.hooks.tellRoom(room.roomCode, room.matchKey, command);
  }

  private async openRoom(pairing: Pairing): Promise<MatchRoom> {
    const matchKey = newSecret(32);
    const opened = await this.hooks.openGameRoom({ openKey: this.ctx.cluster.openKey, classCode: this.code, matchKey, lobbyProcessId: this.ctx.cluster.processId });
    const schema = new Match().assign({ roomCode: opened.roomCode, teamA: pairing.teamA, teamB: pairing.teamB ?? '' });
    return { pairing, matchKey, roomCode: opened.roomCode, processId: opened.processId, lost: false, watchTicket: newSecret(), tickets: new Map(), ticketOf: new Map(), plan: new Map(), done: true, doneAt: Number.NEGATIVE_INFINITY, startedAt: 0, schema };
  }

  /** The room appears on the dashboard, and the teacher may watch it. */
  private showRoom(room: MatchRoom): void {
    this.state.matches.set(room.roomCode, room.schema);
    this.hooks.sendToTeacher('watch', { roomCode: room.roomCode, ticket: room.watchTicket });
  }

  /** A new room for a lost room's pairing, on a live process; the same students and tickets. */
  private async reopen(room: MatchRoom): Promise<void> {
    // A lobby shutting down plays no further round: its match ends with the rounds being played.
    if (this.disposed || this.closing || !this.matchRunning() || !this.rooms.includes(room)) return;
    let opened: MatchRoom;
    try {
      opened = await this.openRoom(room.pairing);
    } catch (e) {
      this.ctx.log(`class ${this.code}: could not open a room for ${room.pairing.teamA}: ${(e as Error)?.message ?? e}; trying again`);
      this.ctx.scheduler.after(REOPEN_RETRY_MS, `class ${this.code}: reopen`, () => void this.reopen(room));
      return;
    }
    if (this.disposed || !this.matchRunning() || !this.rooms.includes(room)) return this.hooks.tellRoom(opened.roomCode, opened.matchKey, { kind: 'close', reason: 'The match is over.' });
    this.state.matches.delete(room.roomCode);
    Object.assign(room, { matchKey: opened.matchKey, roomCode: opened.roomCode, processId: opened.processId, lost: false, watchTicket: opened.watchTicket });
    room.schema.roomCode = room.roomCode;
    this.showRoom(room);
    // The teacher has moved on while the room was being opened: play this round there now.
    if (!room.done) this.startRoundIn(room, this.state.round, '');
  }

  private closeRooms(reason: string): void {
    for (const r of this.rooms) this.tell(r, { kind: 'close', reason });
    this.rooms = [];
    this.state.matches.clear();
  }

  /** A team's members who are here to play (see `present`). */
  private teamMembers(teamId: string | null): string[] {
    return teamId ? (this.state.teams.get(teamId)?.members ?? []).filter((id) => this.present(id)) : [];
  }

  private sides(room: MatchRoom, round: ScheduledRound): { defending: string | null; attacking: string | null } {
    return round.defending === 'A' ? { defending: room.pairing.teamA, attacking: room.pairing.teamB } : { defending: room.pairing.teamB, attacking: room.pairing.teamA };
  }

  private planFor(room: MatchRoom, index: number): Map<string, Role> {
    const { defending, attacking } = this.sides(room, this.schedule[index]!);
    return seatPlan(this.teamMembers(defending), this.teamMembers(attacking), index);
  }

  /** Round `index` starts in every room; a room still playing the last one is stopped (and the stop recorded). */
  private beginRound(index: number): void {
    this.advanceTimer.clear();
    this.stopCountdown();
    this.advanceLeftMs = undefined;
    this.state.nextRoundIn = -1;
    this.state.holding = false; // a hold is for one break between rounds
    if (index >= this.schedule.length || this.closing) return this.finishMatch('');
    const stopped = new Set(this.rooms.filter((r) => !r.done));
    for (const room of stopped) this.recordInterrupted(room, INTERRUPTED_BY_TEACHER);
    this.state.round = index;
    this.state.nextLevel = 0;
    for (const s of this.state.students.values()) s.assign({ role: '', nextRole: '' });
    for (const room of this.rooms) this.startRoundIn(room, index, stopped.has(room) ? `The teacher moved on to round ${index + 1}.` : '');
  }

  /** Seats round `index` in one room (tickets for newcomers), tells the room, then its students. */
  private startRoundIn(room: MatchRoom, index: number, notice: string): void {
    const round = this.schedule[index]!;
    const { defending, attacking } = this.sides(room, round);
    const plan = this.planFor(room, index);
    const teamOf = new Map<string, string>();
    for (const [playerId, role] of plan) {
      const student = this.state.students.get(playerId);
      if (student) student.role = role;
      teamOf.set(playerId, this.state.teams.get(student?.team ?? '')?.name ?? '');
      if (!room.ticketOf.has(playerId)) {
        const ticket = newSecret();
        room.ticketOf.set(playerId, ticket);
        room.tickets.set(ticket, { playerId, nickname: student?.nickname ?? '', teamName: teamOf.get(playerId)! });
      }
    }
    room.done = false;
    room.plan = plan;
    room.startedAt = this.ctx.scheduler.now();
    room.schema.assign({ defending: defending ?? '', attacking: attacking ?? '', level: round.level, phase: 'playing', outcome: '', summary: '' });
    const bots = { client: 'careful', ca: 'strict', attacker: levelModule(round.level).botAttack } as const;
    const expected = [...plan.keys()].filter((id) => this.hooks.isConnected(id));
    const record = { matchNumber: this.matchNumber, roundIndex: index, defendingTeam: defending, attackingTeam: attacking };
    const clientHsts = clientHasHsts(index);
    this.tell(room, { kind: 'startRound', plan: planMessage({ level: round.level, bots, clientHsts, seats: plan, teamOf, expected, graceMs: this.ctx.timing.seatingGraceMs }), record, notice });
    if (!room.lost) for (const [playerId] of plan) this.sendAssignment(room, playerId);
  }

  private sendAssignment(room: MatchRoom, playerId: string): void {
    const role = room.plan.get(playerId);
    const ticket = room.ticketOf.get(playerId);
    if (!role || !ticket) return;
    const teamId = this.state.students.get(playerId)?.team ?? '';
    this.hooks.sendToPlayer(playerId, 'assignment', { roomCode: room.roomCode, role, team: this.state.teams.get(teamId)?.name ?? '', ticket });
  }

  private resendAssignment(playerId: string): void {
    if (!this.matchRunning()) return;
    for (const room of this.rooms) if (room.plan.has(playerId) && !room.lost) this.sendAssignment(room, playerId);
  }

  /** A round stopped before its end: kept in the results, with no points. */
  private recordInterrupted(room: MatchRoom, summary: string): void {
    const round = this.schedule[this.state.round];
    room.done = true;
    room.doneAt = this.ctx.scheduler.now();
    if (!round) return;
    const { defending, attacking } = this.sides(room, round);
    const record: RoundRecord = {
      classCode: this.code,
      matchNumber: this.matchNumber,
      roomCode: room.roomCode,
      roundIndex: this.state.round,
      level: round.level,
      defendingTeam: defending,
      attackingTeam: attacking,
      startedAt: room.startedAt,
      endedAt: this.ctx.scheduler.now(),
      outcome: 'interrupted',
      summary,
      seats: ROLES.map((role) => ({ role, teamId: role === 'attacker' ? attacking : defending, bot: ![...room.plan.values()].includes(role), points: 0 })),
      players: [...room.plan].filter(([playerId]) => this.players.has(playerId)).map(([playerId, role]) => ({ playerId, role, points: 0 })),
    };
    const roundIndex = this.state.round;
    this.record(`the interrupted round ${roundIndex + 1} of room ${room.roomCode}`, record, (stored) => {
      // The room's result was there first (its report was on the way): the store keeps it, and so does the dashboard.
      if (stored.outcome !== 'interrupted' && this.state.round === roundIndex && room.schema.phase === 'interrupted') room.schema.assign({ phase: 'over', outcome: stored.outcome, summary: stored.summary });
    });
    room.schema.assign({ phase: 'interrupted', outcome: 'interrupted', summary });
  }

  /** When every room has finished its round: the countdown to the next one (or the teacher's word, if timing says so). */
  private maybeScheduleAdvance(): void {
    if (this.closing) return void (this.rooms.every((r) => r.done) && this.allDone?.());
    if (!this.matchRunning() || !this.rooms.every((r) => r.done) || this.advanceTimer.pending || this.advanceLeftMs !== undefined) return;
    if (this.state.round + 1 >= this.schedule.length) return this.finishMatch('');
    this.announceNextRound();
    const wait = this.ctx.timing.betweenRoundsMs;
    if (wait <= 0) return; // the teacher presses Next round
    this.advanceLeftMs = wait;
    this.runCountdown();
  }

  /** Tell every student the next round's level and their seat in it. */
  private announceNextRound(): void {
    const next = this.state.round + 1;
    if (!this.matchRunning() || next >= this.schedule.length || !this.rooms.every((r) => r.done)) return;
    this.state.nextLevel = this.schedule[next]!.level;
    for (const s of this.state.students.values()) s.nextRole = '';
    for (const room of this.rooms)
      for (const [playerId, role] of this.planFor(room, next)) {
        const s = this.state.students.get(playerId);
        if (s) s.nextRole = role;
      }
  }

  /** Runs (or resumes) the countdown unless the match is paused or the teacher holds it. */
  private runCountdown(): void {
    if (this.advanceLeftMs === undefined || this.status !== 'playing' || this.state.holding) return;
    const from = this.state.round;
    this.advanceAt = this.ctx.scheduler.now() + this.advanceLeftMs;
    const tick = () => (this.state.nextRoundIn = Math.max(0, Math.ceil((this.advanceAt - this.ctx.scheduler.now()) / 1000)));
    tick();
    this.countdownTimer.set(this.ctx.scheduler.every(1000, `class ${this.code}: countdown`, tick));
    this.advanceTimer.set(this.ctx.scheduler.after(this.advanceLeftMs, `class ${this.code}: advance`, () => this.state.round === from && this.beginRound(from + 1)));
  }

  /** Freezes the countdown where it stands (pause, hold). */
  private stopCountdown(): void {
    if (this.advanceLeftMs !== undefined && this.advanceTimer.pending) this.advanceLeftMs = Math.max(0, this.advanceAt - this.ctx.scheduler.now());
    this.advanceTimer.clear();
    this.countdownTimer.clear();
  }

  /** The match is over: rounds still playing are stopped and their rooms closed; finished rooms stay open for the debrief. */
  private finishMatch(reason: string, summary = INTERRUPTED_BY_TEACHER): void {
    this.advanceTimer.clear();
    this.countdownTimer.clear();
    this.advanceLeftMs = undefined;
    this.state.nextRoundIn = -1;
    this.state.holding = false;
    this.state.nextLevel = 0;
    for (const s of this.state.students.values()) s.nextRole = '';
    const stopped = this.rooms.filter((r) => !r.done);
    for (const room of stopped) {
      this.recordInterrupted(room, summary);
      this.tell(room, { kind: 'close', reason: reason || 'The match is over.' });
      room.schema.open = false;
    }
    this.rooms = this.rooms.filter((r) => !stopped.includes(r) && !r.lost);
    this.setStatus('ended');
  }

  // ── Students, teams, leaderboard ──────────────────────────────────────────

  private putStudent(p: Pick<PlayerRecord, 'id' | 'nickname' | 'teamId'>): void {
    this.state.students.set(p.id, new Student().assign({ id: p.id, nickname: p.nickname, team: p.teamId ?? '', connected: false }));
  }

  private async saveTeams(plans: TeamPlan[]): Promise<void> {
    // After the writes before it (a late student's team), and before any after it.
    const saved = this.writes.then(() => this.ctx.store.saveTeams(this.code, plans));
    this.writes = saved.then(
      () => undefined,
      () => undefined,
    );
    await saved;
    for (const s of this.state.students.values()) s.team = '';
    for (const p of plans) for (const id of p.playerIds) this.state.students.get(id)!.team = p.id;
    this.state.teams.clear();
    for (const p of plans) {
      const team = new Team().assign({ id: p.id, name: p.name });
      team.members.push(...p.playerIds);
      this.state.teams.set(p.id, team);
    }
    await this.refreshLeaderboard();
  }

  private async refreshLeaderboard(): Promise<void> {
    const [teams, players] = await Promise.all([this.ctx.store.teamStandings(this.code), this.ctx.store.playerStandings(this.code)]);
    for (const t of teams) {
      const team = this.state.teams.get(t.id);
      if (team) team.points = t.points;
    }
    for (const p of players) {
      const s = this.state.students.get(p.id);
      if (s) s.points = p.points;
    }
  }
}
