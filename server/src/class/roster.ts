/**
 * A class's students and teams, as the store keeps them and the dashboard shows them: who
 * joined (removed players too: their tokens are refused), who is connected or may be reloading,
 * which team each is in and in what order, and the leaderboard's points. Writes go through the
 * class's queue (classWrites.ts), in the order things happened.
 */
import { randomUUID } from 'node:crypto';
import type { ServerContext } from '../context.ts';
import type { PlayerRecord } from '../persistence/store.ts';
import { Student, Team, type ClassState } from '../schema/ClassState.ts';
import { sameNickname } from '../validation/names.ts';
import type { ClassWrites } from './classWrites.ts';
import { hashSecret, newSecret, secretMatches } from './secrets.ts';
import type { TeamPlan } from './teams.ts';

export class ClassRoster {
  /** Every player of the class, removed ones too (their tokens are refused), by id. */
  private readonly players = new Map<string, PlayerRecord>();
  /** When each student's lobby connection dropped, while it stays dropped (see `present`). */
  private readonly droppedAt = new Map<string, number>();

  constructor(
    private readonly code: string,
    private readonly ctx: ServerContext,
    private readonly state: ClassState,
    private readonly writes: ClassWrites,
  ) {}

  /** The students and teams the store has, and their points. */
  async load(): Promise<void> {
    const players = await this.ctx.store.players(this.code);
    for (const p of players) {
      this.players.set(p.id, p);
      if (!p.removed) this.putStudent(p);
    }
    const teams = await this.ctx.store.teams(this.code);
    const placed = players.filter((p) => !p.removed && p.teamId !== null).sort((a, b) => (a.teamPosition ?? 0) - (b.teamPosition ?? 0));
    for (const t of teams) {
      const team = new Team().assign({ id: t.id, name: t.name });
      for (const p of placed) if (p.teamId === t.id) team.members.push(p.id);
      // Teams emptied by a later re-forming are history, not part of the lobby.
      if (team.members.length > 0) this.state.teams.set(t.id, team);
    }
    await this.refreshLeaderboard();
  }

  playerByToken(token: unknown): PlayerRecord | undefined {
    if (typeof token !== 'string') return undefined;
    return [...this.players.values()].find((p) => secretMatches(token, p.tokenHash));
  }

  /** Whether the player's rounds count in the class's results (removed players' past rounds too). */
  isPlayer(playerId: string): boolean {
    return this.players.has(playerId);
  }

  nicknameTaken(nickname: string): boolean {
    return [...this.state.students.values()].some((s) => sameNickname(s.nickname, nickname));
  }

  /**
   * A new student: persisted before they are told their token, with which they rejoin as the
   * same player. Late arrivals join the smallest team when `intoTeam` (before a match); during
   * one they wait without a team until the teacher places them.
   */
  async add(nickname: string, intoTeam: boolean): Promise<{ playerId: string; playerToken: string }> {
    const playerId = randomUUID();
    const playerToken = newSecret();
    const record = { id: playerId, classCode: this.code, nickname, tokenHash: hashSecret(playerToken) };
    // In the lobby at once, so that a second join with the same nickname meanwhile is refused.
    const student = this.putStudent({ id: playerId, nickname, teamId: null });
    try {
      await this.ctx.store.addPlayer(record, this.ctx.scheduler.now());
    } catch (e) {
      this.state.students.delete(playerId);
      throw e;
    }
    this.players.set(playerId, { ...record, teamId: null, teamPosition: null, removed: false });
    const teams = [...this.state.teams.values()];
    if (intoTeam && teams.length > 0) {
      const smallest = teams.reduce((a, b) => (b.members.length < a.members.length ? b : a));
      smallest.members.push(playerId);
      student.team = smallest.id;
      const plans = teams.map((t, position) => ({ id: t.id, name: t.name, position, playerIds: [...t.members] }));
      void this.writes.write('saving teams', () => this.ctx.store.saveTeams(this.code, plans));
    }
    return { playerId, playerToken };
  }

  /** A student leaves the class for good: their token is refused from now on. False if there is no such student. */
  async remove(playerId: string): Promise<boolean> {
    if (!this.state.students.has(playerId)) return false;
    await this.ctx.store.removePlayer(playerId);
    const record = this.players.get(playerId);
    if (record) this.players.set(playerId, { ...record, removed: true, teamId: null, teamPosition: null });
    this.state.students.delete(playerId);
    for (const t of this.state.teams.values()) {
      const i = t.members.indexOf(playerId);
      if (i >= 0) t.members.splice(i, 1);
    }
    return true;
  }

  setConnected(playerId: string, connected: boolean): void {
    const s = this.state.students.get(playerId);
    if (s) s.connected = connected;
    if (connected) this.droppedAt.delete(playerId);
    else if (!this.droppedAt.has(playerId)) this.droppedAt.set(playerId, this.ctx.scheduler.now());
  }

  /** A team's members who are here to play (see `present`). */
  teamMembers(teamId: string | null): string[] {
    return teamId ? (this.state.teams.get(teamId)?.members ?? []).filter((id) => this.present(id)) : [];
  }

  /** The teams that have members. */
  teamIds(): string[] {
    return [...this.state.teams.values()].filter((t) => t.members.length > 0).map((t) => t.id);
  }

  teamName(teamId: string): string {
    return this.state.teams.get(teamId)?.name ?? '';
  }

  /** Replace the teams: written first (after the writes before it); the lobby shows them once the store has them. */
  async saveTeams(plans: TeamPlan[]): Promise<void> {
    await this.writes.writeOrFail(() => this.ctx.store.saveTeams(this.code, plans));
    for (const s of this.state.students.values()) s.team = '';
    for (const p of plans)
      for (const id of p.playerIds) {
        const s = this.state.students.get(id);
        if (s) s.team = p.id;
      }
    this.state.teams.clear();
    for (const p of plans) {
      const team = new Team().assign({ id: p.id, name: p.name });
      team.members.push(...p.playerIds);
      this.state.teams.set(p.id, team);
    }
    await this.refreshLeaderboard();
  }

  async refreshLeaderboard(): Promise<void> {
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

  private putStudent(p: Pick<PlayerRecord, 'id' | 'nickname' | 'teamId'>): Student {
    const student = new Student().assign({ id: p.id, nickname: p.nickname, team: p.teamId ?? '', connected: false });
    this.state.students.set(p.id, student);
    return student;
  }
}
