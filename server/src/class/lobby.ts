/**
 * One class: its students and teams (persisted), and the match the teacher runs, round after
 * round. The class room (rooms/ClassRoom.ts) authenticates and wires messages here. Teams,
 * pairings and seat plans come from the pure functions beside this file; game rooms are opened
 * through `hooks` and driven through their MatchRoomControls. Time comes from a Scheduler.
 *
 * A round ends in every room with a result (or is interrupted by the teacher); then a countdown
 * runs to the next round, which the teacher can hold or skip. Every teacher command names the
 * round it was pressed in, so a click that crosses an automatic advance does nothing twice.
 */
import { randomUUID } from 'node:crypto';
import { levelModule, ROLES, type ClassServerMessages, type Level, type ProtocolError, type Role } from '@heist/shared';
import type { ServerContext } from '../context.ts';
import type { RoundOver } from '../game/session.ts';
import type { PlayerRecord } from '../persistence/store.ts';
import { ClassState, Match, Student, Team } from '../schema/ClassState.ts';
import { TimerSlot } from '../time/scheduler.ts';
import type { MatchLink, MatchPlayer, MatchRoomControls } from './registry.ts';
import { matchRounds, pairTeams, seatPlan, type Pairing, type ScheduledRound } from './schedule.ts';
import { hashSecret, newSecret, secretMatches } from './secrets.ts';
import { autoBalance, formTeams, type TeamPlan } from './teams.ts';

export interface LobbyHooks {
  sendToPlayer<K extends keyof ClassServerMessages>(playerId: string, type: K, payload: ClassServerMessages[K]): void;
  /** Open a game room for a match; resolves to its code. */
  openGameRoom(matchKey: string): Promise<string>;
  /** Disconnect a removed player's lobby connection. */
  kickFromLobby(playerId: string): void;
  /** Send to every teacher connection. */
  sendToTeacher<K extends keyof ClassServerMessages>(type: K, payload: ClassServerMessages[K]): void;
  isConnected(playerId: string): boolean;
}

interface MatchRoom {
  pairing: Pairing;
  matchKey: string;
  roomCode: string;
  watchTicket: string;
  controls: MatchRoomControls | undefined;
  tickets: Map<string, MatchPlayer>;
  ticketOf: Map<string, string>;
  /** Who sits where this round (kept to resend assignments to returning students). */
  plan: ReadonlyMap<string, Role>;
  /** The current round has its result (or was interrupted). */
  done: boolean;
  /** Scheduler time the current round was started. */
  startedAt: number;
  schema: Match;
}

const err = (code: ProtocolError['code'], message: string, type?: string): ProtocolError => ({ code, message, type });

export class ClassLobby {
  readonly state = new ClassState();
  private rooms: MatchRoom[] = [];
  private schedule: ScheduledRound[] = [];
  private readonly advanceTimer = new TimerSlot();
  private readonly countdownTimer = new TimerSlot();
  /** Between rounds: ms left before the next round starts by itself (kept while paused or held). */
  private advanceLeftMs: number | undefined;
  private advanceAt = 0;
  private busy = false;

  constructor(
    readonly code: string,
    private readonly ctx: ServerContext,
    private readonly hooks: LobbyHooks,
  ) {
    const record = ctx.store.getClass(code);
    if (!record) throw new Error(`no class ${code}`);
    this.state.code = code;
    // A match cannot outlive the process that ran it; its finished rounds are in the database.
    this.state.status = record.status === 'playing' || record.status === 'paused' ? 'ended' : record.status;
    if (this.state.status !== record.status) ctx.store.setClassStatus(code, this.state.status as 'ended');
    this.state.levels.clear();
    this.state.levels.push(...record.levels);
    for (const p of ctx.store.players(code)) if (!p.removed) this.putStudent(p);
    this.loadTeams();
    this.refreshLeaderboard();
  }

  // ── Joining ───────────────────────────────────────────────────────────────

  teacherSecretMatches(secret: unknown): boolean {
    const record = this.ctx.store.getClass(this.code);
    return record !== undefined && secretMatches(secret, record.teacherSecretHash);
  }

  playerByToken(token: unknown): PlayerRecord | undefined {
    if (typeof token !== 'string') return undefined;
    return this.ctx.store.players(this.code).find((p) => secretMatches(token, p.tokenHash));
  }

  nicknameTaken(nickname: string): boolean {
    const lower = nickname.toLocaleLowerCase();
    return [...this.state.students.values()].some((s) => s.nickname.toLocaleLowerCase() === lower);
  }

  /**
   * A new student: persisted at once, with a token to rejoin as the same player. Before a match,
   * late arrivals join the smallest team; during one they wait without a team until the teacher
   * places them (a second nickname of someone already playing must not get a second seat).
   */
  addStudent(nickname: string): { playerId: string; playerToken: string } {
    const playerId = randomUUID();
    const playerToken = newSecret();
    const record = { id: playerId, classCode: this.code, nickname, tokenHash: hashSecret(playerToken) };
    this.ctx.store.addPlayer(record, this.ctx.scheduler.now());
    this.putStudent({ id: playerId, nickname, teamId: null });
    const teams = [...this.state.teams.values()];
    if (teams.length > 0 && !this.matchRunning()) {
      const smallest = teams.reduce((a, b) => (b.members.length < a.members.length ? b : a));
      smallest.members.push(playerId);
      this.state.students.get(playerId)!.team = smallest.id;
      this.persistTeams();
    }
    return { playerId, playerToken };
  }

  /** A teacher (re)joined: tell them how to watch each room of the running match. */
  teacherJoined(): void {
    for (const r of this.rooms) this.hooks.sendToTeacher('watch', { roomCode: r.roomCode, ticket: r.watchTicket });
  }

  setConnected(playerId: string, connected: boolean): void {
    const s = this.state.students.get(playerId);
    if (s) s.connected = connected;
    if (connected) this.resendAssignment(playerId);
  }

  // ── Teacher commands (payload shapes already checked) ─────────────────────

  /** During a match students may move between the match's teams (from the next round on); the teams themselves are fixed. */
  formTeams(teams: string[][]): ProtocolError | null {
    if (this.matchRunning() && teams.length !== this.state.teams.size)
      return err('wrongPhase', `The match has ${this.state.teams.size} teams; move students between them, or end the match to form new ones.`, 'formTeams');
    const plans = formTeams(this.code, teams, new Set(this.state.students.keys()));
    if ('error' in plans) return err('notFound', plans.error, 'formTeams');
    this.saveTeams(plans);
    this.announceNextRound();
    return null;
  }

  autoBalance(teamCount: number): ProtocolError | null {
    if (this.matchRunning()) return err('wrongPhase', 'Teams are fixed while a match runs; place students by hand.', 'autoBalance');
    const rng = this.ctx.rng('teams');
    this.saveTeams(autoBalance(this.code, [...this.state.students.keys()], teamCount, (m) => rng.int(m)));
    return null;
  }

  setLevels(levels: Level[]): ProtocolError | null {
    if (this.matchRunning()) return err('wrongPhase', 'Pick levels before the match starts.', 'setLevels');
    this.ctx.store.setLevels(this.code, levels);
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
      this.closeRooms('A new match is starting.');
      this.schedule = matchRounds([...this.state.levels] as Level[]);
      this.state.totalRounds = this.schedule.length;
      this.state.round = -1;
      for (const pairing of pairTeams(teamIds)) this.rooms.push(await this.openRoom(pairing));
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
    if (this.state.status !== 'playing') return err('wrongPhase', 'Nothing to pause.', 'pause');
    this.setStatus('paused');
    for (const r of this.rooms) r.controls?.setSpeed(0);
    this.stopCountdown();
    return null;
  }

  resume(): ProtocolError | null {
    if (this.state.status !== 'paused') return err('wrongPhase', 'The match is not paused.', 'resume');
    this.setStatus('playing');
    for (const r of this.rooms) r.controls?.setSpeed(1);
    this.runCountdown();
    return null;
  }

  /** Move on from round `from`: skip the wait, or stop that round where it stands. */
  nextRound(from: number): ProtocolError | null {
    if (!this.matchRunning()) return err('wrongPhase', 'No match is running.', 'nextRound');
    if (from !== this.state.round) return err('wrongPhase', `Round ${this.state.round + 1} has already started.`, 'nextRound');
    if (this.state.status === 'paused') this.resume();
    this.beginRound(from + 1);
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

  removePlayer(playerId: string): ProtocolError | null {
    if (!this.state.students.has(playerId)) return err('notFound', 'No such player in this class.', 'removePlayer');
    this.ctx.store.removePlayer(playerId);
    this.state.students.delete(playerId);
    for (const t of this.state.teams.values()) {
      const i = t.members.indexOf(playerId);
      if (i >= 0) t.members.splice(i, 1);
    }
    for (const r of this.rooms) {
      const ticket = r.ticketOf.get(playerId);
      if (ticket) r.tickets.delete(ticket);
      r.ticketOf.delete(playerId);
      r.controls?.kick(playerId);
    }
    this.hooks.kickFromLobby(playerId);
    return null;
  }

  dispose(): void {
    this.advanceTimer.clear();
    this.countdownTimer.clear();
    this.closeRooms('The class closed.');
  }

  // ── The match ─────────────────────────────────────────────────────────────

  private matchRunning(): boolean {
    return this.state.status === 'playing' || this.state.status === 'paused';
  }

  private setStatus(status: 'lobby' | 'playing' | 'paused' | 'ended'): void {
    this.state.status = status;
    this.ctx.store.setClassStatus(this.code, status);
  }

  private async openRoom(pairing: Pairing): Promise<MatchRoom> {
    const matchKey = newSecret(32);
    const schema = new Match().assign({ teamA: pairing.teamA, teamB: pairing.teamB ?? '' });
    const room: MatchRoom = { pairing, matchKey, roomCode: '', watchTicket: newSecret(), controls: undefined, tickets: new Map(), ticketOf: new Map(), plan: new Map(), done: true, startedAt: 0, schema };
    const link: MatchLink = {
      classCode: this.code,
      player: (ticket) => room.tickets.get(ticket),
      isWatcher: (ticket) => ticket === room.watchTicket,
      attach: (roomCode, controls) => {
        room.roomCode = roomCode;
        room.controls = controls;
      },
      roundOver: (_roomCode, info) => this.roundOver(room, info),
    };
    this.ctx.matches.register(matchKey, link);
    try {
      room.roomCode = await this.hooks.openGameRoom(matchKey);
    } catch (e) {
      this.ctx.matches.unregister(matchKey);
      throw e;
    }
    schema.roomCode = room.roomCode;
    this.state.matches.set(room.roomCode, schema);
    this.hooks.sendToTeacher('watch', { roomCode: room.roomCode, ticket: room.watchTicket });
    return room;
  }

  private closeRooms(reason: string): void {
    for (const r of this.rooms) {
      this.ctx.matches.unregister(r.matchKey);
      r.controls?.close(reason);
    }
    this.rooms = [];
    this.state.matches.clear();
  }

  private teamMembers(teamId: string | null): string[] {
    return teamId ? [...(this.state.teams.get(teamId)?.members ?? [])] : [];
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
    if (index >= this.schedule.length) return this.finishMatch('');
    const round = this.schedule[index]!;
    const stopped = new Set(this.rooms.filter((r) => !r.done));
    for (const room of stopped) this.recordInterrupted(room);
    this.state.round = index;
    this.state.nextLevel = 0;
    for (const s of this.state.students.values()) s.assign({ role: '', nextRole: '' });
    for (const room of this.rooms) {
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
      room.controls?.startRound(
        {
          level: round.level,
          seats: plan,
          teamOf,
          bots: { client: 'careful', ca: 'strict', attacker: levelModule(round.level).botAttack },
          expected: [...plan.keys()].filter((id) => this.hooks.isConnected(id)),
          graceMs: this.ctx.timing.seatingGraceMs,
        },
        stopped.has(room) ? `The teacher moved on to round ${index + 1}.` : '',
      );
      for (const [playerId] of plan) this.sendAssignment(room, playerId);
    }
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
    for (const room of this.rooms) if (room.plan.has(playerId)) this.sendAssignment(room, playerId);
  }

  private roundOver(room: MatchRoom, info: RoundOver): void {
    const round = this.schedule[this.state.round];
    if (!round || room.done) return;
    room.done = true;
    const { defending, attacking } = this.sides(room, round);
    const teamOfRole = (role: Role) => (role === 'attacker' ? attacking : defending);
    const players = new Map<string, Role>();
    for (const { key, role } of info.seated) if (!players.has(key)) players.set(key, role);
    this.ctx.store.recordRound({
      classCode: this.code,
      roomCode: room.roomCode,
      roundIndex: this.state.round,
      level: info.level,
      defendingTeam: defending,
      attackingTeam: attacking,
      startedAt: info.startedAt,
      endedAt: info.endedAt,
      outcome: info.result.outcome,
      summary: info.result.summary,
      seats: ROLES.map((role) => ({ role, teamId: teamOfRole(role), bot: info.botSeats.includes(role), points: info.result.points[role] ?? 0 })),
      players: [...players].map(([playerId, role]) => ({ playerId, role, points: info.result.points[role] ?? 0 })),
    });
    room.schema.assign({ phase: 'over', outcome: info.result.outcome, summary: info.result.summary });
    this.refreshLeaderboard();
    this.maybeScheduleAdvance();
  }

  /** A round the teacher stopped before its end: kept in the results, with no points. */
  private recordInterrupted(room: MatchRoom): void {
    const round = this.schedule[this.state.round];
    room.done = true;
    if (!round) return;
    const { defending, attacking } = this.sides(room, round);
    const summary = 'Interrupted: the teacher stopped the round before it ended.';
    this.ctx.store.recordRound({
      classCode: this.code,
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
      players: [...room.plan].map(([playerId, role]) => ({ playerId, role, points: 0 })),
    });
    room.schema.assign({ phase: 'interrupted', outcome: 'interrupted', summary });
  }

  /** When every room has finished its round: the countdown to the next one (or the teacher's word, if timing says so). */
  private maybeScheduleAdvance(): void {
    if (!this.matchRunning() || !this.rooms.every((r) => r.done)) return;
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
    for (const room of this.rooms) for (const [playerId, role] of this.planFor(room, next)) {
      const s = this.state.students.get(playerId);
      if (s) s.nextRole = role;
    }
  }

  /** Runs (or resumes) the countdown unless the match is paused or the teacher holds it. */
  private runCountdown(): void {
    if (this.advanceLeftMs === undefined || this.state.status !== 'playing' || this.state.holding) return;
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
  private finishMatch(reason: string): void {
    this.advanceTimer.clear();
    this.countdownTimer.clear();
    this.advanceLeftMs = undefined;
    this.state.nextRoundIn = -1;
    this.state.holding = false;
    this.state.nextLevel = 0;
    for (const s of this.state.students.values()) s.nextRole = '';
    const stopped = this.rooms.filter((r) => !r.done);
    for (const room of stopped) {
      this.recordInterrupted(room);
      this.ctx.matches.unregister(room.matchKey);
      room.controls?.close(reason || 'The match is over.');
    }
    this.rooms = this.rooms.filter((r) => !stopped.includes(r));
    for (const r of this.rooms) this.ctx.matches.unregister(r.matchKey);
    this.setStatus('ended');
    this.refreshLeaderboard();
  }

  // ── Students, teams, leaderboard ──────────────────────────────────────────

  private putStudent(p: Pick<PlayerRecord, 'id' | 'nickname' | 'teamId'>): void {
    this.state.students.set(p.id, new Student().assign({ id: p.id, nickname: p.nickname, team: p.teamId ?? '', connected: false }));
  }

  private loadTeams(): void {
    this.state.teams.clear();
    const teams = this.ctx.store.teams(this.code);
    const players = this.ctx.store.players(this.code).filter((p) => !p.removed && p.teamId !== null);
    players.sort((a, b) => (a.teamPosition ?? 0) - (b.teamPosition ?? 0));
    for (const t of teams) {
      const team = new Team().assign({ id: t.id, name: t.name });
      for (const p of players) if (p.teamId === t.id) team.members.push(p.id);
      // Teams emptied by a later re-forming are history, not part of the lobby.
      if (team.members.length > 0) this.state.teams.set(t.id, team);
    }
  }

  private saveTeams(plans: TeamPlan[]): void {
    this.ctx.store.saveTeams(this.code, plans);
    for (const s of this.state.students.values()) s.team = '';
    for (const p of plans) for (const id of p.playerIds) this.state.students.get(id)!.team = p.id;
    this.state.teams.clear();
    for (const p of plans) {
      const team = new Team().assign({ id: p.id, name: p.name });
      team.members.push(...p.playerIds);
      this.state.teams.set(p.id, team);
    }
    this.refreshLeaderboard();
  }

  private persistTeams(): void {
    const plans = [...this.state.teams.values()].map((t, position) => ({ id: t.id, name: t.name, position, playerIds: [...t.members] }));
    this.ctx.store.saveTeams(this.code, plans);
  }

  private refreshLeaderboard(): void {
    for (const t of this.ctx.store.teamStandings(this.code)) {
      const team = this.state.teams.get(t.id);
      if (team) team.points = t.points;
    }
    for (const p of this.ctx.store.playerStandings(this.code)) {
      const s = this.state.students.get(p.id);
      if (s) s.points = p.points;
    }
  }
}
