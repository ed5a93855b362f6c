/**
 * A class's match: the teacher's levels played round after round, teams paired in game rooms
 * and swapping sides, each round's record (its result from the room, or "interrupted"), the
 * countdown between rounds, and the teacher's commands that steer it (start, pause, resume,
 * next, hold, end). The rooms run wherever there was room (matchRooms.ts); the students and
 * teams come from the roster. Time comes from the Scheduler.
 *
 * A round ends in every room with a result (or is interrupted: by the teacher, or because the
 * process running its room stopped, when a new room for the next round opens on a live
 * process); then a countdown runs to the next round, which the teacher can hold or skip. Every
 * teacher command names the round it was pressed in, so a click that crosses an automatic
 * advance does nothing twice.
 *
 * A hidden-attacker match (the teacher's choice at its start) draws which rooms have an attacker
 * each round: hiddenAttackers.ts.
 */
import { botAttackFor, ROLES, type HiddenAttacker, type Level, type MatchStep, type ProtocolError, type Role } from '@heist/shared';
import type { ServerContext } from '../context.ts';
import { classRoundRecord } from '../persistence/rounds.ts';
import type { ClassStatus, RecordedRound, RoundRecord } from '../persistence/store.ts';
import type { ClassState } from '../schema/ClassState.ts';
import { protocolError as err } from '../validation/messages.ts';
import type { ClassWrites } from './classWrites.ts';
import { Countdown } from './countdown.ts';
import { HiddenAttackers } from './hiddenAttackers.ts';
import type { LobbyHooks } from './lobbyHooks.ts';
import { planMessage, type ReportAnswer, type RoundReport } from './matchLink.ts';
import { MatchRooms, type MatchRoom } from './matchRooms.ts';
import { ClassReport } from './classReport.ts';
import type { ClassRoster } from './roster.ts';
import { EVENT_SEATS, clientHasHsts, matchRounds, pairTeams, seatPlan, type ScheduledRound } from './schedule.ts';

/** Why a round without a result was stopped, as the results record it. */
const INTERRUPTED_BY_TEACHER = 'Interrupted: the teacher stopped the round before it ended.';
const INTERRUPTED_BY_SHUTDOWN = 'Interrupted: the server running this room was restarted before the round ended.';
const INTERRUPTED_BY_LOBBY_SHUTDOWN = "Interrupted: the class's server was restarted before the round ended.";

export class ClassMatch {
  readonly rooms: MatchRooms;
  /** What each student's play showed, for the teacher's dashboard only. */
  readonly report = new ClassReport();
  private readonly countdown: Countdown;
  private schedule: ScheduledRound[] = [];
  private busy = false;
  private disposed = false;
  /** Where the match stands (the dashboard's `state.status` follows it, see setStatus). */
  private status: ClassStatus;
  /** The lobby's process shuts down: no new round starts; `allDone` hears when the last one ends. */
  private closing = false;
  private allDone: (() => void) | undefined;
  /** The number of the match being played (or last played): part of every round's key. */
  private matchNumber = 0;
  /** A hidden-attacker match: which rooms have an attacker, each round. */
  private readonly hidden = new HiddenAttackers();

  constructor(
    private readonly code: string,
    private readonly ctx: ServerContext,
    private readonly hooks: LobbyHooks,
    private readonly state: ClassState,
    private readonly roster: ClassRoster,
    private readonly writes: ClassWrites,
    /** The status the store had (see `endIfCutShort`). */
    stored: ClassStatus,
  ) {
    this.rooms = new MatchRooms(code, ctx, hooks, state);
    this.countdown = new Countdown(code, ctx, state);
    this.status = stored;
    state.status = stored;
  }

  /**
   * A match cannot outlive the lobby that ran it. Its finished rounds are in the database; the
   * rounds its rooms are still playing are written by those rooms as they end (then they close):
   * the dashboard says the match ended once none of its rooms is left.
   */
  endIfCutShort(): void {
    if (!this.running()) return;
    this.status = 'ended';
    this.endWhenRoomsClosed();
  }

  running(): boolean {
    return this.status === 'playing' || this.status === 'paused';
  }

  /** The match cut short by the death of the lobby's process ends once its rooms have closed (unless a new match starts first). */
  private endWhenRoomsClosed(): void {
    const check = async () => {
      if (this.disposed || this.status !== 'ended' || this.rooms.size > 0) return;
      const open = await this.hooks.matchRoomsOpen().catch(() => 1);
      if (open === 0) return this.setStatus('ended');
      this.ctx.scheduler.after(this.ctx.timing.heartbeatMs, `class ${this.code}: waiting for the rooms of the match cut short`, () => void check());
    };
    void check();
  }

  /**
   * A game room's round finished with a result. Written whenever it arrives (the room has
   * written it too: the same row); it moves the match on only if it is the round being played.
   * A report for a match this lobby does not run (it ended, or the lobby was reopened since)
   * tells the room its match is over.
   */
  roundReported(matchKey: string, report: RoundReport): ReportAnswer {
    const room = this.rooms.byMatchKey(matchKey);
    if (!room) return 'unknownMatch';
    const { matchNumber, roundIndex } = report.round;
    const record = classRoundRecord(this.code, room.roomCode, report, (key) => this.roster.isPlayer(key));
    this.report.add(record);
    this.tellTeacherReport();
    const current = matchNumber === this.matchNumber && roundIndex === this.state.round && !room.done;
    this.record(`round ${roundIndex + 1} of room ${room.roomCode}`, record, (stored) => {
      // Recorded as interrupted here first (the teacher moved on while the result was on its way): the result wins.
      if (!current && room.schema.phase === 'interrupted' && stored.outcome !== 'interrupted' && roundIndex === this.state.round) room.schema.assign({ phase: 'over', outcome: stored.outcome, summary: stored.summary });
    });
    if (!current) return 'recorded';
    room.done = true;
    room.doneAt = this.ctx.scheduler.now();
    // A hidden attacker's truth comes out with the result, for the projector and the students too.
    room.schema.assign({ phase: 'over', outcome: report.outcome, summary: report.summary, attacker: report.hiddenAttacker ?? '' });
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
    const room = this.rooms.byRoomCode(roomCode);
    if (!room || room.lost) return;
    room.lost = true;
    const summary = why === 'restarting' ? INTERRUPTED_BY_SHUTDOWN : 'Interrupted: the server running this room stopped before the round ended.';
    if (!room.done) this.recordInterrupted(room, summary);
    // Judged dead, it may yet be alive (cut off from Redis for long): it must not play on beside its replacement.
    if (why === 'stopped') this.hooks.tellRoom(roomCode, room.matchKey, { kind: 'close', reason: 'This room moved to another server: your next round is in a new room.' });
    this.ctx.log(`class ${this.code}: room ${roomCode} on process ${room.processId} is gone (${why}); opening another`);
    this.reopen(room);
    this.maybeScheduleAdvance();
  }

  /** The game room opened with `matchKey` closes before its round could end (its process shuts down). */
  roomGoingAway(matchKey: string): void {
    const room = this.rooms.byMatchKey(matchKey);
    if (room) this.roomLost(room.roomCode, 'restarting');
  }

  async start(levels: readonly (Level | MatchStep)[], options: { hiddenAttacker: boolean } = { hiddenAttacker: false }): Promise<ProtocolError | null> {
    if (this.running() || this.busy) return err('wrongPhase', 'A match is already running.', 'startMatch');
    const teamIds = this.roster.teamIds();
    if (teamIds.length === 0) return err('invalid', 'Form teams first.', 'startMatch');
    this.busy = true;
    try {
      try {
        this.matchNumber = await this.ctx.store.startMatch(this.code);
      } catch (e) {
        this.ctx.log(`class ${this.code}: could not number the match: ${(e as Error)?.message ?? e}`);
        return err('invalid', 'The match could not start: the class database is not reachable. Try again in a minute.', 'startMatch');
      }
      this.rooms.closeAll('A new match is starting.');
      this.hidden.start(options.hiddenAttacker, () => this.ctx.rng('hidden attackers'));
      this.state.hiddenAttacker = options.hiddenAttacker;
      this.schedule = matchRounds(levels);
      this.state.totalRounds = this.schedule.length;
      this.state.round = -1;
      await this.rooms.openAll(pairTeams(teamIds));
      this.setStatus('playing');
      this.beginRound(0);
      return null;
    } catch (e) {
      this.ctx.log(`class ${this.code}: could not start the match: ${(e as Error)?.stack ?? e}`);
      this.rooms.closeAll('The match could not start.');
      this.setStatus('lobby');
      return err('invalid', 'The match could not start (a game room did not open). Try again.', 'startMatch');
    } finally {
      this.busy = false;
    }
  }

  pause(): ProtocolError | null {
    if (this.status !== 'playing') return err('wrongPhase', 'Nothing to pause.', 'pause');
    this.setStatus('paused');
    this.rooms.tellAll({ kind: 'setSpeed', speed: 0 });
    this.countdown.freeze();
    return null;
  }

  resume(): ProtocolError | null {
    if (this.status !== 'paused') return err('wrongPhase', 'The match is not paused.', 'resume');
    this.setStatus('playing');
    this.rooms.tellAll({ kind: 'setSpeed', speed: 1 });
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
    if (!this.running()) return err('wrongPhase', 'No match is running.', 'nextRound');
    if (from !== this.state.round) return err('wrongPhase', `Round ${this.state.round + 1} has already started: your click came too late to change anything.`, 'nextRound');
    const between = this.rooms.allDone();
    if (!stop && !between) return err('wrongPhase', `Round ${from + 1} is still being played: stop it first if you want to move on.`, 'nextRound');
    if (this.status === 'paused') this.resume();
    const shownUntil = Math.max(...this.rooms.all.filter((r) => r.done).map((r) => r.doneAt + this.ctx.timing.resultMinMs));
    const wait = shownUntil - this.ctx.scheduler.now();
    if (!(wait > 0)) {
      this.beginRound(from + 1);
      return null;
    }
    // The result is still fresh: the next round starts once students have had time to read it.
    this.countdown.freeze();
    this.state.holding = false;
    this.countdown.arm(wait, true);
    this.runCountdown();
    return null;
  }

  holdAdvance(hold: boolean): ProtocolError | null {
    if (!this.running()) return err('wrongPhase', 'No match is running.', 'holdAdvance');
    this.state.holding = hold;
    if (hold) this.countdown.freeze();
    else this.runCountdown();
    return null;
  }

  end(): ProtocolError | null {
    if (!this.running()) return err('wrongPhase', 'No match is running.', 'endMatch');
    this.finishMatch('The teacher ended the match.');
    return null;
  }

  /**
   * The lobby's process shuts down: no new round starts; rounds being played may finish (for up
   * to `waitMs`), then the match ends here (rounds still playing are recorded as interrupted;
   * the class starts a new match wherever its lobby opens next).
   */
  async shutDown(waitMs: number): Promise<void> {
    this.closing = true;
    this.countdown.stopTimers();
    if (this.running() && !this.rooms.allDone())
      await new Promise<void>((resolve) => {
        this.allDone = resolve;
        this.ctx.scheduler.after(waitMs, `class ${this.code}: shutdown wait`, resolve);
      });
    if (this.running()) this.finishMatch('The server is restarting: join the class again with its code in a moment.', INTERRUPTED_BY_LOBBY_SHUTDOWN);
  }

  dispose(): void {
    this.disposed = true;
    this.countdown.stopTimers();
    this.rooms.closeAll('The class closed.');
  }

  // ── The match ─────────────────────────────────────────────────────────────

  private setStatus(status: ClassStatus): void {
    this.status = status;
    this.writes.status(status);
  }

  /** A round's record, written at once; `then` hears what the store kept. The leaderboard follows. */
  private record(what: string, record: RoundRecord, then: (stored: RecordedRound) => void = () => undefined): void {
    this.writes.record(what, record, then, () => this.roster.refreshLeaderboard());
  }

  private reopen(room: MatchRoom): void {
    // A lobby shutting down plays no further round: its match ends with the rounds being played.
    void this.rooms
      .reopen(
        room,
        (opened) => !this.disposed && (opened || !this.closing) && this.running(),
        // The teacher has moved on while the room was being opened: play this round there now.
        (again) => this.startRoundIn(again, this.state.round, ''),
      )
      .then(() => this.tellTeacherAttackers()); // the room has a new code
  }

  /** A teacher (re)joined: how to watch each room, and in a hidden-attacker match which have an attacker. */
  teacherJoined(): void {
    this.rooms.showToTeacher();
    this.tellTeacherAttackers();
    this.tellTeacherReport();
  }

  /** The teacher's dashboard hears what each student's play has shown so far (students and the projector never do). */
  tellTeacherReport(): void {
    this.hooks.sendToTeacher('misconceptions', this.report.message());
  }

  /** A hidden-attacker match: the teacher's dashboard hears which rooms have an attacker this round (nobody else does before the result). */
  private tellTeacherAttackers(): void {
    if (!this.hidden.on || !this.running() || this.state.round < 0) return;
    this.hooks.sendToTeacher('hiddenAttackers', this.hidden.forTeacher(this.rooms.all, this.state.round));
  }

  private sides(room: MatchRoom, round: ScheduledRound): { defending: string | null; attacking: string | null } {
    return round.defending === 'A' ? { defending: room.pairing.teamA, attacking: room.pairing.teamB } : { defending: room.pairing.teamB, attacking: room.pairing.teamA };
  }

  /** The round at `index` of the match's schedule (the callers keep within it). */
  private scheduled(index: number): ScheduledRound {
    const round = this.schedule[index];
    if (!round) throw new Error(`class ${this.code}: no round ${index + 1} in a match of ${this.schedule.length}`);
    return round;
  }

  private planFor(room: MatchRoom, index: number): Map<string, Role> {
    const round = this.scheduled(index);
    const { defending, attacking } = this.sides(room, round);
    return seatPlan(this.roster.teamMembers(defending), this.roster.teamMembers(attacking), index, round.event && EVENT_SEATS[round.event]);
  }

  /** Round `index` starts in every room; a room still playing the last one is stopped (and the stop recorded). */
  private beginRound(index: number): void {
    this.countdown.cancel();
    this.state.holding = false; // a hold is for one break between rounds
    if (index >= this.schedule.length || this.closing) return this.finishMatch('');
    const stopped = new Set(this.rooms.all.filter((r) => !r.done));
    for (const room of stopped) this.recordInterrupted(room, INTERRUPTED_BY_TEACHER);
    this.state.round = index;
    this.state.nextLevel = 0;
    this.state.nextEvent = '';
    for (const s of this.state.students.values()) s.assign({ role: '', nextRole: '' });
    this.hidden.draw(this.rooms.all, index);
    for (const room of this.rooms.all) this.startRoundIn(room, index, stopped.has(room) ? `The teacher moved on to round ${index + 1}.` : '');
    this.tellTeacherAttackers();
  }

  /** Seats round `index` in one room (tickets for newcomers), tells the room, then its students. */
  private startRoundIn(room: MatchRoom, index: number, notice: string): void {
    const round = this.scheduled(index);
    const { defending, attacking } = this.sides(room, round);
    const plan = this.planFor(room, index);
    const teamOf = new Map<string, string>();
    for (const [playerId, role] of plan) {
      const student = this.state.students.get(playerId);
      if (student) student.role = role;
      const teamName = this.roster.teamName(student?.team ?? '');
      teamOf.set(playerId, teamName);
      this.rooms.admit(room, { playerId, nickname: student?.nickname ?? '', teamName });
    }
    room.done = false;
    room.plan = plan;
    room.startedAt = this.ctx.scheduler.now();
    room.schema.assign({ defending: defending ?? '', attacking: attacking ?? '', level: round.level, event: round.event ?? '', phase: 'playing', outcome: '', summary: '', attacker: '' });
    // The attacker bot plays the level's attack, or its event's, in every room; in a room without an attacker the round keeps it off the Wi-Fi.
    const bots = { client: 'careful', ca: 'strict', attacker: botAttackFor(round.level, round.event) } as const;
    const expected = [...plan.keys()].filter((id) => this.hooks.isConnected(id));
    const record = { matchNumber: this.matchNumber, roundIndex: index, defendingTeam: defending, attackingTeam: attacking };
    const clientHsts = clientHasHsts(index);
    const hiddenAttacker: HiddenAttacker | undefined = room.hiddenAttacker;
    // The round's event is the teacher's (none: the level as it is), whatever the room played before.
    const seating = { level: round.level, bots, clientHsts, event: round.event ?? null, ...(hiddenAttacker ? { hiddenAttacker } : {}), seats: plan, teamOf, expected, graceMs: this.ctx.timing.seatingGraceMs };
    this.rooms.tell(room, { kind: 'startRound', plan: planMessage(seating), record, notice });
    for (const [playerId] of plan) this.rooms.sendAssignment(room, playerId);
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
      ...(room.hiddenAttacker ? { hiddenAttacker: room.hiddenAttacker.present ? ('present' as const) : ('absent' as const) } : {}),
      ...(round.event ? { event: round.event } : {}),
      seats: ROLES.map((role) => ({ role, teamId: role === 'attacker' ? attacking : defending, bot: ![...room.plan.values()].includes(role), points: 0 })),
      players: [...room.plan].filter(([playerId]) => this.roster.isPlayer(playerId)).map(([playerId, role]) => ({ playerId, role, points: 0 })),
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
    if (this.closing) return void (this.rooms.allDone() && this.allDone?.());
    if (!this.running() || !this.rooms.allDone() || this.countdown.running || this.countdown.armed) return;
    if (this.state.round + 1 >= this.schedule.length) return this.finishMatch('');
    this.announceNextRound();
    const wait = this.ctx.timing.betweenRoundsMs;
    if (wait <= 0) return; // the teacher presses Next round
    this.countdown.arm(wait);
    this.runCountdown();
  }

  /** Tell every student the next round's level and their seat in it. */
  announceNextRound(): void {
    const next = this.state.round + 1;
    if (!this.running() || next >= this.schedule.length || !this.rooms.allDone()) return;
    this.state.nextLevel = this.scheduled(next).level;
    this.state.nextEvent = this.scheduled(next).event ?? '';
    for (const s of this.state.students.values()) s.nextRole = '';
    for (const room of this.rooms.all)
      for (const [playerId, role] of this.planFor(room, next)) {
        const s = this.state.students.get(playerId);
        if (s) s.nextRole = role;
      }
  }

  /** Runs (or resumes) the countdown unless the match is paused or the teacher holds it. */
  private runCountdown(): void {
    if (!this.countdown.armed || this.status !== 'playing' || this.state.holding) return;
    const from = this.state.round;
    this.countdown.run(() => this.state.round === from && this.beginRound(from + 1));
  }

  /** The match is over: rounds still playing are stopped and their rooms closed; finished rooms stay open for the debrief. */
  private finishMatch(reason: string, summary = INTERRUPTED_BY_TEACHER): void {
    this.countdown.cancel();
    this.state.holding = false;
    this.state.nextLevel = 0;
    this.state.nextEvent = '';
    for (const s of this.state.students.values()) s.nextRole = '';
    const stopped = this.rooms.all.filter((r) => !r.done);
    for (const room of stopped) {
      this.recordInterrupted(room, summary);
      this.rooms.tell(room, { kind: 'close', reason: reason || 'The match is over.' });
      room.schema.open = false;
    }
    this.rooms.keepOnly((r) => !stopped.includes(r) && !r.lost);
    this.setStatus('ended');
  }
}
