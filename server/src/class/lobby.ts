/**
 * One class: its lobby. The class's host (core/classHost.ts) authenticates and wires messages
 * here. The students and teams are the roster's (roster.ts), the match the teacher runs is
 * match.ts (its game rooms, wherever they run, matchRooms.ts; the countdown between rounds,
 * countdown.ts), the class's writes go out in order through classWrites.ts, and teams,
 * pairings and seat plans come from the pure functions beside this file. Time comes from a
 * Scheduler.
 *
 * The lobby's state lives in memory and changes at once; what must survive a restart is written
 * in the order it happened. Commands whose write can fail in a way the teacher should hear of
 * (teams, levels, removing a student) wait for it before changing anything; rounds' results and
 * the class's status do not (classWrites.ts).
 *
 * Every match has a number (from the store); a round's record is keyed by class, match, room
 * and round, so the same round reported twice — by its room and by the lobby, late after an
 * outage, or interrupted here while its result was on the way — is one row (persistence/store.ts).
 */
import type { Level, MatchStep, ProtocolError } from '@heist/shared';
import type { ServerContext } from '../context.ts';
import type { ClassStatus, PlayerRecord } from '../persistence/store.ts';
import { ClassState } from '../schema/ClassState.ts';
import { protocolError as err } from '../validation/messages.ts';
import { ClassWrites } from './classWrites.ts';
import { ClassJoins } from './joins.ts';
import { ClassMatch } from './match.ts';
import type { LobbyHooks } from './lobbyHooks.ts';
import type { ReportAnswer, RoundReport, TicketHolder } from './matchLink.ts';
import { ClassRoster } from './roster.ts';
import { secretMatches } from './secrets.ts';
import { autoBalance, formTeams } from './teams.ts';


/** At shutdown, writes may take this long more; what is left stays in the journal for the next start. */
const SHUTDOWN_WRITES_MS = 3000;

export class ClassLobby {
  readonly state = new ClassState();
  /** Class size, joins per address, who joined when (joins.ts). */
  readonly joins = new ClassJoins();
  private readonly writes: ClassWrites;
  private readonly roster: ClassRoster;
  private readonly match: ClassMatch;
  /** The sequence the teacher picked: levels, each with its event if any (the dashboard shows it). */
  private sequence: MatchStep[] = [];

  private constructor(
    readonly code: string,
    private readonly ctx: ServerContext,
    private readonly hooks: LobbyHooks,
    private readonly teacherSecretHash: string,
    storedStatus: ClassStatus,
  ) {
    this.writes = new ClassWrites(code, ctx, this.state);
    this.roster = new ClassRoster(code, ctx, this.state, this.writes);
    this.match = new ClassMatch(code, ctx, hooks, this.state, this.roster, this.writes, storedStatus);
  }

  /** Opens the lobby of a class from the store. */
  static async open(code: string, ctx: ServerContext, hooks: LobbyHooks): Promise<ClassLobby> {
    const record = await ctx.store.getClass(code);
    if (!record) throw new Error(`no class ${code}`);
    const lobby = new ClassLobby(code, ctx, hooks, record.teacherSecretHash, record.status);
    lobby.state.code = code;
    lobby.showSequence(record.sequence);
    await lobby.roster.load();
    await lobby.loadReport();
    lobby.match.endIfCutShort();
    return lobby;
  }

  /** Resolves once every write so far has been made (or has failed and been logged). */
  settled(): Promise<void> {
    return this.writes.settled();
  }

  // ── Joining ───────────────────────────────────────────────────────────────

  teacherSecretMatches(secret: unknown): boolean {
    return secretMatches(secret, this.teacherSecretHash);
  }

  playerByToken(token: unknown): PlayerRecord | undefined {
    return this.roster.playerByToken(token);
  }

  nicknameTaken(nickname: string): boolean {
    return this.roster.nicknameTaken(nickname);
  }

  /**
   * A new student: persisted before they are told their token, with which they rejoin as the
   * same player. Before a match, late arrivals join the smallest team; during one they wait
   * without a team until the teacher places them (a second nickname of someone already playing
   * must not get a second seat).
   */
  async addStudent(nickname: string): Promise<{ playerId: string; playerToken: string }> {
    const added = await this.roster.add(nickname, !this.matchRunning());
    this.joins.joinedNow(added.playerId, nickname, this.ctx.scheduler.now());
    return added;
  }

  /** A teacher (re)joined: tell them how to watch each room of the running match (and, with a hidden attacker, where she is). */
  teacherJoined(): void {
    this.match.teacherJoined();
  }

  setConnected(playerId: string, connected: boolean): void {
    this.roster.setConnected(playerId, connected);
    if (connected && this.matchRunning()) this.match.rooms.resendAssignment(playerId);
  }

  // ── Game rooms of the match (their messages, see matchLink.ts) ────────────

  /** Who a ticket admits to the game room opened with `matchKey`. */
  ticketHolder(matchKey: string, ticket: unknown): TicketHolder {
    return this.match.rooms.ticketHolder(matchKey, ticket);
  }

  /** A game room's round finished with a result (see ClassMatch.roundReported). */
  roundReported(matchKey: string, report: RoundReport): ReportAnswer {
    return this.match.roundReported(matchKey, report);
  }

  /** The game room is gone without having closed on the lobby's word (see ClassMatch.roomLost). */
  roomLost(roomCode: string, why: 'stopped' | 'restarting'): void {
    this.match.roomLost(roomCode, why);
  }

  /** The game room opened with `matchKey` closes before its round could end (its process shuts down). */
  roomGoingAway(matchKey: string): void {
    this.match.roomGoingAway(matchKey);
  }

  /** A game room opened with `matchKey` is one of this lobby's (of its match, or kept open for the debrief after it). */
  knowsMatch(matchKey: string): boolean {
    return this.match.rooms.byMatchKey(matchKey) !== undefined;
  }

  /** The game rooms of the match and where they run (for the watch on dead processes). */
  roomsInPlay(): { roomCode: string; processId: string }[] {
    return this.match.rooms.inPlay();
  }

  // ── Teacher commands (payload shapes already checked) ─────────────────────

  /** During a match students may move between the match's teams (from the next round on); the teams themselves are fixed. */
  async formTeams(teams: string[][]): Promise<ProtocolError | null> {
    if (this.matchRunning() && teams.length !== this.state.teams.size)
      return err('wrongPhase', `The match has ${this.state.teams.size} teams; move students between them, or end the match to form new ones.`, 'formTeams');
    const plans = formTeams(this.code, teams, new Set(this.state.students.keys()));
    if ('error' in plans) return err('notFound', plans.error, 'formTeams');
    await this.roster.saveTeams(plans);
    this.match.announceNextRound();
    return null;
  }

  async autoBalance(teamCount: number): Promise<ProtocolError | null> {
    if (this.matchRunning()) return err('wrongPhase', 'Teams are fixed while a match runs; place students by hand.', 'autoBalance');
    const rng = this.ctx.rng('teams');
    await this.roster.saveTeams(autoBalance(this.code, [...this.state.students.keys()], teamCount, (m) => rng.int(m)));
    return null;
  }

  async setLevels(levels: Level[]): Promise<ProtocolError | null> {
    if (this.matchRunning()) return err('wrongPhase', 'Pick levels before the match starts.', 'setLevels');
    await this.ctx.store.setLevels(this.code, levels);
    this.showSequence(levels.map((level) => ({ level })));
    return null;
  }

  /** The teacher's map: the match's steps, each a level and optionally an event it offers (the message's check made sure). */
  async setSequence(steps: MatchStep[]): Promise<ProtocolError | null> {
    if (this.matchRunning()) return err('wrongPhase', 'Pick the sequence before the match starts.', 'setSequence');
    await this.ctx.store.setLevels(this.code, steps);
    this.showSequence(steps);
    return null;
  }

  /** `hiddenAttacker`: each round, each room has an attacker or none, and its defenders are not told which. */
  async startMatch(options: { hiddenAttacker: boolean } = { hiddenAttacker: false }): Promise<ProtocolError | null> {
    return this.match.start(this.sequence, options);
  }

  pause(): ProtocolError | null {
    return this.match.pause();
  }

  resume(): ProtocolError | null {
    return this.match.resume();
  }

  /** Move on from round `from` (see ClassMatch.nextRound). */
  nextRound(from: number, stop: boolean): ProtocolError | null {
    return this.match.nextRound(from, stop);
  }

  holdAdvance(hold: boolean): ProtocolError | null {
    return this.match.holdAdvance(hold);
  }

  endMatch(): ProtocolError | null {
    return this.match.end();
  }

  async removePlayer(playerId: string): Promise<ProtocolError | null> {
    if (!(await this.roster.remove(playerId))) return err('notFound', 'No such player in this class.', 'removePlayer');
    this.match.rooms.turnAway(playerId);
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
   * to `waitMs`), then the match ends here. Resolves once every write is made (or after a while:
   * what is left stays in the journal for the next start).
   */
  async shutDown(waitMs: number): Promise<void> {
    await this.match.shutDown(waitMs);
    // The database may be away: its writes are in the journal, replayed when this process starts again.
    await new Promise<void>((resolve) => {
      this.ctx.scheduler.after(SHUTDOWN_WRITES_MS, `class ${this.code}: shutdown writes`, resolve);
      void this.settled().then(resolve);
    });
  }

  dispose(): void {
    this.match.dispose();
  }

  // ── The match ─────────────────────────────────────────────────────────────

  private matchRunning(): boolean {
    return this.match.running();
  }

  /** After a restart: what each student's play showed in the rounds the store has (a student by nickname). */
  private async loadReport(): Promise<void> {
    const rows = await this.ctx.store.results(this.code).catch((e: unknown) => {
      this.ctx.log(`class ${this.code}: the report of past rounds could not be read: ${(e as Error)?.message ?? e}`);
      return [];
    });
    const byNickname = new Map([...this.state.students.values()].map((s) => [s.nickname, s.id]));
    this.match.report.load(rows, (nickname) => byNickname.get(nickname));
  }

  private showSequence(steps: readonly MatchStep[]): void {
    this.sequence = steps.map((s) => ({ ...s }));
    this.state.levels.clear();
    this.state.levels.push(...steps.map((s) => s.level));
    this.state.events.clear();
    this.state.events.push(...steps.map((s) => s.event ?? ''));
  }

}
