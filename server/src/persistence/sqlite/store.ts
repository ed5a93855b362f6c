/**
 * The SQLite engine of the Store (better-sqlite3, synchronous underneath: each method does its
 * work at once and returns a settled promise). Its queries are the shared ones (../queries.ts)
 * in SQLite's dialect; how a round is written (under the write lock) is its own.
 */
import type { Level, MatchStep } from '@heist/shared';
import { SQLITE } from '../dialect.ts';
import { classRecord, playerRecord, playerValues, queries, roundValues, sequenceText, teamRecord, type ClassRow, type PlayerRow, type TeamRow } from '../queries.ts';
import { supersedes, type ClassRecord, type ClassStatus, type PlayerRecord, type RecordedOutcome, type RecordedRound, type ResultRow, type RoundRecord, type Standing, type Store, type TeamPlanRecord, type TeamRecord } from '../store.ts';
import type { Db } from './db.ts';

const Q = queries(SQLITE);

export class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;

  constructor(
    readonly db: Db,
    private readonly onClose: () => Promise<void> = async () => undefined,
  ) {}

  async createClass(code: string, teacherSecretHash: string, now: number): Promise<void> {
    this.db.prepare(Q.createClass).run(code, teacherSecretHash, now);
  }

  async getClass(code: string): Promise<ClassRecord | undefined> {
    const row = this.db.prepare(Q.getClass).get(code) as ClassRow | undefined;
    return row && classRecord(row);
  }

  /** Classes whose lobby should be open after a restart: those created since `since`. */
  async openClassCodes(since: number): Promise<string[]> {
    return (this.db.prepare(Q.openClassCodes).all(since) as { code: string }[]).map((r) => r.code);
  }

  async classExists(code: string): Promise<boolean> {
    return this.db.prepare(Q.classExists).get(code) !== undefined;
  }

  async setClassStatus(code: string, status: ClassStatus): Promise<void> {
    this.db.prepare(Q.setClassStatus).run(status, code);
  }

  async setLevels(code: string, levels: readonly (Level | MatchStep)[]): Promise<void> {
    this.db.prepare(Q.setLevels).run(sequenceText(levels), code);
  }

  async addPlayer(p: Omit<PlayerRecord, 'removed' | 'teamId' | 'teamPosition'>, now: number): Promise<void> {
    this.db.prepare(Q.addPlayer).run(p.id, p.classCode, p.nickname, p.tokenHash, now);
  }

  async players(classCode: string): Promise<PlayerRecord[]> {
    return (this.db.prepare(Q.players).all(classCode) as PlayerRow[]).map(playerRecord);
  }

  async removePlayer(playerId: string): Promise<void> {
    this.db.prepare(Q.removePlayer).run(playerId);
  }

  async teams(classCode: string): Promise<TeamRecord[]> {
    return (this.db.prepare(Q.teams).all(classCode) as TeamRow[]).map(teamRecord);
  }

  /** Replace the class's team membership (team rows are kept: past rounds refer to them). */
  async saveTeams(classCode: string, teams: TeamPlanRecord[]): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare(Q.leaveTeams).run(classCode);
      const upsert = this.db.prepare(Q.upsertTeam);
      const join = this.db.prepare(Q.joinTeam);
      for (const t of teams) {
        upsert.run(t.id, classCode, t.name, t.position);
        t.playerIds.forEach((p, i) => join.run(t.id, i, p, classCode));
      }
    })();
  }

  async startMatch(classCode: string): Promise<number> {
    const row = this.db.prepare(Q.startMatch).get(classCode) as { matches: number } | undefined;
    if (!row) throw new Error(`no class ${classCode}`);
    return row.matches;
  }

  async recordRound(r: RoundRecord): Promise<RecordedRound> {
    // BEGIN IMMEDIATE: the write lock first, then the look for a stored row. A deferred transaction
    // would read first and then need the lock: with another connection writing meanwhile (another
    // process, a backup) SQLite refuses that upgrade at once (SQLITE_BUSY), without the busy wait.
    return this.db.transaction((): RecordedRound => {
      const stored = this.db.prepare(Q.findRound).get(r.classCode, r.matchNumber, r.roomCode, r.roundIndex) as { id: number; outcome: RecordedOutcome; summary: string } | undefined;
      if (stored && !supersedes(r.outcome, stored.outcome)) return { roundId: stored.id, outcome: stored.outcome, summary: stored.summary };
      const values = roundValues(r);
      let roundId: number;
      if (stored) {
        roundId = stored.id;
        this.db.prepare(Q.updateRound).run(...values, roundId);
        this.db.prepare(Q.clearSeatPoints).run(roundId);
        this.db.prepare(Q.clearPlayerPoints).run(roundId);
      } else {
        const info = this.db.prepare(Q.insertRound).run(r.classCode, r.matchNumber, r.roomCode, r.roundIndex, ...values);
        roundId = Number(info.lastInsertRowid);
      }
      const seat = this.db.prepare(Q.seatPoints);
      for (const s of r.seats) seat.run(roundId, s.role, s.teamId, s.bot ? 1 : 0, s.points);
      const player = this.db.prepare(Q.playerPoints);
      for (const p of r.players) player.run(roundId, ...playerValues(p));
      return { roundId, outcome: r.outcome, summary: r.summary };
    }).immediate();
  }

  async roundCount(classCode: string): Promise<number> {
    return (this.db.prepare(Q.roundCount).get(classCode) as { n: number }).n;
  }

  async teamStandings(classCode: string): Promise<Standing[]> {
    return this.db.prepare(Q.teamStandings).all(classCode) as Standing[];
  }

  async playerStandings(classCode: string): Promise<Standing[]> {
    return this.db.prepare(Q.playerStandings).all(classCode) as Standing[];
  }

  async results(classCode: string): Promise<ResultRow[]> {
    return this.db.prepare(Q.results).all(classCode) as ResultRow[];
  }

  async close(): Promise<void> {
    await this.onClose();
  }
}
