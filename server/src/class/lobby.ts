/**
 * One class: its students and teams (persisted), and the match the teacher runs. The class
 * room (rooms/ClassRoom.ts) authenticates and wires messages here. Teams, pairings and seat
 * plans come from the pure functions beside this file; game rooms are opened through `hooks`.
 */
import { randomUUID } from 'node:crypto';
import { ROLES, type ClassServerMessages, type Level, type ProtocolError, type Role } from '@heist/shared';
import type { ServerContext } from '../context.ts';
import { DEMO_SCRIPT } from '../game/session.ts';
import type { PlayerRecord } from '../persistence/store.ts';
import { ClassState, Match, Student, Team } from '../schema/ClassState.ts';
import type { MatchLink, MatchPlayer, MatchRoomControls, MatchRoundOver } from './registry.ts';
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
  /** Result of the current round received. */
  done: boolean;
  schema: Match;
}

const err = (code: ProtocolError['code'], message: string, type?: string): ProtocolError => ({ code, message, type });

export class ClassLobby {
  readonly state = new ClassState();
  private rooms: MatchRoom[] = [];
  private schedule: ScheduledRound[] = [];
  private advanceTimer: NodeJS.Timeout | undefined;
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

  /** A new student: persisted at once, with a token to rejoin as the same player. */
  addStudent(nickname: string): { playerId: string; playerToken: string } {
    const playerId = randomUUID();
    const playerToken = newSecret();
    const record = { id: playerId, classCode: this.code, nickname, tokenHash: hashSecret(playerToken) };
    this.ctx.store.addPlayer(record, Date.now());
    this.putStudent({ id: playerId, nickname, teamId: null });
    // Late arrivals join the smallest team, so nobody waits out a match; the teacher can re-form.
    const teams = [...this.state.teams.values()];
    if (teams.length > 0) {
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

  formTeams(teams: string[][]): ProtocolError | null {
    if (this.matchRunning()) return err('wrongPhase', 'Teams are fixed while a match runs.', 'formTeams');
    const plans = formTeams(this.code, teams, new Set(this.state.students.keys()));
    if ('error' in plans) return err('notFound', plans.error, 'formTeams');
    this.saveTeams(plans);
    return null;
  }

  autoBalance(teamCount: number): ProtocolError | null {
    if (this.matchRunning()) return err('wrongPhase', 'Teams are fixed while a match runs.', 'autoBalance');
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
      this.closeRooms();
      this.schedule = matchRounds([...this.state.levels] as Level[]);
      this.state.totalRounds = this.schedule.length;
      this.state.round = -1;
      for (const pairing of pairTeams(teamIds)) this.rooms.push(await this.openRoom(pairing));
      this.setStatus('playing');
      this.beginRound(0);
      return null;
    } finally {
      this.busy = false;
    }
  }

  pause(): ProtocolError | null {
    if (this.state.status !== 'playing') return err('wrongPhase', 'Nothing to pause.', 'pause');
    clearTimeout(this.advanceTimer);
    this.setStatus('paused');
    for (const r of this.rooms) r.controls?.setSpeed(0);
    return null;
  }

  resume(): ProtocolError | null {
    if (this.state.status !== 'paused') return err('wrongPhase', 'The match is not paused.', 'resume');
    this.setStatus('playing');
    for (const r of this.rooms) r.controls?.setSpeed(1);
    this.maybeScheduleAdvance();
    return null;
  }

  nextRound(): ProtocolError | null {
    if (!this.matchRunning()) return err('wrongPhase', 'No match is running.', 'nextRound');
    this.beginRound(this.state.round + 1);
    return null;
  }

  endMatch(): ProtocolError | null {
    if (!this.matchRunning()) return err('wrongPhase', 'No match is running.', 'endMatch');
    this.finishMatch();
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
    clearTimeout(this.advanceTimer);
    this.closeRooms();
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
    const room: MatchRoom = { pairing, matchKey, roomCode: '', watchTicket: newSecret(), controls: undefined, tickets: new Map(), ticketOf: new Map(), plan: new Map(), done: false, schema };
    const link: MatchLink = {
      classCode: this.code,
      player: (ticket) => room.tickets.get(ticket),
      isWatcher: (ticket) => ticket === room.watchTicket,
      attach: (roomCode, controls) => {
        room.roomCode = roomCode;
        room.controls = controls;
      },
      roundOver: (roomCode, info) => this.roundOver(room, info),
    };
    this.ctx.matches.register(matchKey, link);
    room.roomCode = await this.hooks.openGameRoom(matchKey);
    schema.roomCode = room.roomCode;
    this.state.matches.set(room.roomCode, schema);
    this.hooks.sendToTeacher('watch', { roomCode: room.roomCode, ticket: room.watchTicket });
    return room;
  }

  private closeRooms(): void {
    for (const r of this.rooms) {
      this.ctx.matches.unregister(r.matchKey);
      r.controls?.close();
    }
    this.rooms = [];
    this.state.matches.clear();
  }

  private teamMembers(teamId: string | null): string[] {
    return teamId ? [...(this.state.teams.get(teamId)?.members ?? [])] : [];
  }

  private beginRound(index: number): void {
    clearTimeout(this.advanceTimer);
    if (index >= this.schedule.length) return this.finishMatch();
    const round = this.schedule[index]!;
    this.state.round = index;
    for (const room of this.rooms) {
      const defending = round.defending === 'A' ? room.pairing.teamA : room.pairing.teamB;
      const attacking = round.defending === 'A' ? room.pairing.teamB : room.pairing.teamA;
      const plan = seatPlan(this.teamMembers(defending), this.teamMembers(attacking), index);
      const teamOf = new Map<string, string>();
      for (const playerId of plan.keys()) {
        const teamId = this.state.students.get(playerId)?.team ?? '';
        teamOf.set(playerId, this.state.teams.get(teamId)?.name ?? '');
        if (!room.ticketOf.has(playerId)) {
          const ticket = newSecret();
          room.ticketOf.set(playerId, ticket);
          room.tickets.set(ticket, { playerId, nickname: this.state.students.get(playerId)?.nickname ?? '', teamName: teamOf.get(playerId)! });
        }
      }
      room.done = false;
      room.plan = plan;
      room.schema.assign({ defending: defending ?? '', attacking: attacking ?? '', level: round.level, phase: 'playing', outcome: '', summary: '' });
      room.controls?.startRound({
        level: round.level,
        plan,
        teamOf,
        bots: { client: 'careful', ca: 'strict', attacker: DEMO_SCRIPT.find((s) => s.level === round.level)?.attacker ?? 'passive' },
        expected: [...plan.keys()].filter((id) => this.hooks.isConnected(id)),
        graceMs: this.ctx.timing.seatingGraceMs,
      });
      for (const [playerId] of plan) this.sendAssignment(room, playerId, plan);
    }
  }

  private sendAssignment(room: MatchRoom, playerId: string, plan: ReadonlyMap<string, Role>): void {
    const role = plan.get(playerId);
    const ticket = room.ticketOf.get(playerId);
    if (!role || !ticket) return;
    const teamId = this.state.students.get(playerId)?.team ?? '';
    this.hooks.sendToPlayer(playerId, 'assignment', { roomCode: room.roomCode, role, team: this.state.teams.get(teamId)?.name ?? '', ticket });
  }

  private resendAssignment(playerId: string): void {
    if (!this.matchRunning()) return;
    for (const room of this.rooms) if (room.plan.has(playerId)) this.sendAssignment(room, playerId, room.plan);
  }

  private roundOver(room: MatchRoom, info: MatchRoundOver): void {
    const round = this.schedule[this.state.round];
    if (!round || room.done) return;
    room.done = true;
    const defending = round.defending === 'A' ? room.pairing.teamA : room.pairing.teamB;
    const attacking = round.defending === 'A' ? room.pairing.teamB : room.pairing.teamA;
    const teamOfRole = (role: Role) => (role === 'attacker' ? attacking : defending);
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
      players: dedupe(info.players).map(({ playerId, role }) => ({ playerId, role, points: info.result.points[role] ?? 0 })),
    });
    room.schema.assign({ phase: 'over', outcome: info.result.outcome, summary: info.result.summary });
    this.refreshLeaderboard();
    this.maybeScheduleAdvance();
  }

  /** When every room has finished its round, move on after the debrief pause (if automatic). */
  private maybeScheduleAdvance(): void {
    if (this.state.status !== 'playing' || !this.rooms.every((r) => r.done)) return;
    if (this.state.round + 1 >= this.schedule.length) return this.finishMatch();
    const wait = this.ctx.timing.betweenRoundsMs;
    if (wait > 0) this.advanceTimer = setTimeout(() => this.beginRound(this.state.round + 1), wait);
  }

  private finishMatch(): void {
    clearTimeout(this.advanceTimer);
    this.setStatus('ended');
    // The rooms stay open for the debrief; they close when the next match starts or the class does.
    for (const r of this.rooms) this.ctx.matches.unregister(r.matchKey);
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

/** One row per player per round, even if they had two connections open. */
function dedupe(players: { playerId: string; role: Role }[]): { playerId: string; role: Role }[] {
  const seen = new Map<string, { playerId: string; role: Role }>();
  for (const p of players) if (!seen.has(p.playerId)) seen.set(p.playerId, p);
  return [...seen.values()];
}
