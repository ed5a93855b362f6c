/**
 * The SQLite engine of the Store (better-sqlite3, synchronous underneath: each method does its
 * work at once and returns a settled promise). Every query for SQLite is here.
 */
import type { Level } from '@heist/shared';
import { supersedes, type ClassRecord, type ClassStatus, type PlayerRecord, type RecordedOutcome, type RecordedRound, type ResultRow, type RoundRecord, type Standing, type Store, type TeamPlanRecord, type TeamRecord } from '../store.ts';
import type { Db } from './db.ts';

/** Rows from before matches were numbered first, in the order written; then by match and round (rooms in the order written). */
const ROUND_ORDER = 'COALESCE(r.match_number, 0), CASE WHEN r.match_number IS NULL THEN r.id ELSE r.round_index END, r.id';

export class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;

  constructor(
    readonly db: Db,
    private readonly onClose: () => Promise<void> = async () => undefined,
  ) {}

  async createClass(code: string, teacherSecretHash: string, now: number): Promise<void> {
    this.db
      .prepare('INSERT INTO classes (code, teacher_secret_hash, created_at) VALUES (?, ?, ?)')
      .run(code, teacherSecretHash, now);
  }

  async getClass(code: string): Promise<ClassRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM classes WHERE code = ?').get(code) as
      | { code: string; teacher_secret_hash: string; created_at: number; status: ClassStatus; levels: string }
      | undefined;
    if (!row) return undefined;
    return {
      code: row.code,
      teacherSecretHash: row.teacher_secret_hash,
      createdAt: row.created_at,
      status: row.status,
      levels: JSON.parse(row.levels) as Level[],
    };
  }

  /** Classes whose lobby should be open after a restart: those created since `since`. */
  async openClassCodes(since: number): Promise<string[]> {
    return (this.db.prepare('SELECT code FROM classes WHERE created_at >= ? ORDER BY created_at').all(since) as { code: string }[]).map((r) => r.code);
  }

  async classExists(code: string): Promise<boolean> {
    return this.db.prepare('SELECT 1 FROM classes WHERE code = ?').get(code) !== undefined;
  }

  async setClassStatus(code: string, status: ClassStatus): Promise<void> {
    this.db.prepare('UPDATE classes SET status = ? WHERE code = ?').run(status, code);
  }

  async setLevels(code: string, levels: Level[]): Promise<void> {
    this.db.prepare('UPDATE classes SET levels = ? WHERE code = ?').run(JSON.stringify(levels), code);
  }

  async addPlayer(p: Omit<PlayerRecord, 'removed' | 'teamId' | 'teamPosition'>, now: number): Promise<void> {
    this.db
      .prepare('INSERT INTO players (id, class_code, nickname, token_hash, joined_at) VALUES (?, ?, ?, ?, ?)')
      .run(p.id, p.classCode, p.nickname, p.tokenHash, now);
  }

  async players(classCode: string): Promise<PlayerRecord[]> {
    const rows = this.db
      .prepare('SELECT * FROM players WHERE class_code = ? ORDER BY joined_at, rowid')
      .all(classCode) as { id: string; class_code: string; nickname: string; token_hash: string; team_id: string | null; team_position: number | null; removed: number }[];
    return rows.map((r) => ({
      id: r.id,
      classCode: r.class_code,
      nickname: r.nickname,
      tokenHash: r.token_hash,
      teamId: r.team_id,
      teamPosition: r.team_position,
      removed: r.removed === 1,
    }));
  }

  async removePlayer(playerId: string): Promise<void> {
    this.db.prepare('UPDATE players SET removed = 1, team_id = NULL, team_position = NULL WHERE id = ?').run(playerId);
  }

  async teams(classCode: string): Promise<TeamRecord[]> {
    const rows = this.db.prepare('SELECT * FROM teams WHERE class_code = ? ORDER BY position').all(classCode) as {
      id: string;
      class_code: string;
      name: string;
      position: number;
    }[];
    return rows.map((r) => ({ id: r.id, classCode: r.class_code, name: r.name, position: r.position }));
  }

  /** Replace the class's team membership (team rows are kept: past rounds refer to them). */
  async saveTeams(classCode: string, teams: TeamPlanRecord[]): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('UPDATE players SET team_id = NULL, team_position = NULL WHERE class_code = ?').run(classCode);
      const upsert = this.db.prepare(
        'INSERT INTO teams (id, class_code, name, position) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, position = excluded.position',
      );
      const join = this.db.prepare('UPDATE players SET team_id = ?, team_position = ? WHERE id = ? AND class_code = ?');
      for (const t of teams) {
        upsert.run(t.id, classCode, t.name, t.position);
        t.playerIds.forEach((p, i) => join.run(t.id, i, p, classCode));
      }
    })();
  }

  async startMatch(classCode: string): Promise<number> {
    const row = this.db.prepare('UPDATE classes SET matches = matches + 1 WHERE code = ? RETURNING matches').get(classCode) as { matches: number } | undefined;
    if (!row) throw new Error(`no class ${classCode}`);
    return row.matches;
  }

  async recordRound(r: RoundRecord): Promise<RecordedRound> {
    // BEGIN IMMEDIATE: the write lock first, then the look for a stored row. A deferred transaction
    // would read first and then need the lock: with another connection writing meanwhile (another
    // process, a backup) SQLite refuses that upgrade at once (SQLITE_BUSY), without the busy wait.
    return this.db.transaction((): RecordedRound => {
      const stored = this.db
        .prepare('SELECT id, outcome, summary FROM rounds WHERE class_code = ? AND match_number = ? AND room_code = ? AND round_index = ?')
        .get(r.classCode, r.matchNumber, r.roomCode, r.roundIndex) as { id: number; outcome: RecordedOutcome; summary: string } | undefined;
      if (stored && !supersedes(r.outcome, stored.outcome)) return { roundId: stored.id, outcome: stored.outcome, summary: stored.summary };
      const values = [r.level, r.defendingTeam, r.attackingTeam, r.startedAt, r.endedAt, r.outcome, r.summary];
      let roundId: number;
      if (stored) {
        roundId = stored.id;
        this.db.prepare('UPDATE rounds SET level = ?, defending_team = ?, attacking_team = ?, started_at = ?, ended_at = ?, outcome = ?, summary = ? WHERE id = ?').run(...values, roundId);
        this.db.prepare('DELETE FROM seat_points WHERE round_id = ?').run(roundId);
        this.db.prepare('DELETE FROM player_points WHERE round_id = ?').run(roundId);
      } else {
        const info = this.db
          .prepare(
            `INSERT INTO rounds (class_code, match_number, room_code, round_index, level, defending_team, attacking_team, started_at, ended_at, outcome, summary)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(r.classCode, r.matchNumber, r.roomCode, r.roundIndex, ...values);
        roundId = Number(info.lastInsertRowid);
      }
      const seat = this.db.prepare('INSERT INTO seat_points (round_id, role, team_id, bot, points) VALUES (?, ?, ?, ?, ?)');
      for (const s of r.seats) seat.run(roundId, s.role, s.teamId, s.bot ? 1 : 0, s.points);
      const player = this.db.prepare('INSERT INTO player_points (round_id, player_id, role, points) VALUES (?, ?, ?, ?)');
      for (const p of r.players) player.run(roundId, p.playerId, p.role, p.points);
      return { roundId, outcome: r.outcome, summary: r.summary };
    }).immediate();
  }

  async roundCount(classCode: string): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM rounds WHERE class_code = ?').get(classCode) as { n: number }).n;
  }

  /** Team standings: the points of every seat the team's students held, each seat counted once; seats a bot played count for nobody. */
  async teamStandings(classCode: string): Promise<Standing[]> {
    return this.db
      .prepare(
        `SELECT t.id AS id, t.name AS name, t.id AS teamId,
                COALESCE(SUM(sp.points), 0) AS points, COUNT(DISTINCT sp.round_id) AS rounds
         FROM teams t
         LEFT JOIN seat_points sp ON sp.team_id = t.id AND sp.bot = 0
         WHERE t.class_code = ?
         GROUP BY t.id ORDER BY points DESC, t.position`,
      )
      .all(classCode) as Standing[];
  }

  /** Player standings: the points of the seat each player sat in, per round. */
  async playerStandings(classCode: string): Promise<Standing[]> {
    return this.db
      .prepare(
        `SELECT p.id AS id, p.nickname AS name, p.team_id AS teamId,
                COALESCE(SUM(pp.points), 0) AS points, COUNT(pp.round_id) AS rounds
         FROM players p
         LEFT JOIN player_points pp ON pp.player_id = p.id
         WHERE p.class_code = ? AND p.removed = 0
         GROUP BY p.id ORDER BY points DESC, p.nickname`,
      )
      .all(classCode) as Standing[];
  }

  /** One row per seat per round: the people who sat there, or "(bot)". */
  async results(classCode: string): Promise<ResultRow[]> {
    return this.db
      .prepare(
        `SELECT r.id AS roundId, r.match_number AS matchNumber, r.round_index AS roundIndex, r.level AS level, r.room_code AS roomCode,
                r.outcome AS outcome, sp.role AS role, r.ended_at AS endedAt, sp.bot AS bot,
                COALESCE(p.nickname, '(bot)') AS player,
                COALESCE(t.name, '') AS team,
                COALESCE(pp.points, sp.points) AS points
         FROM rounds r
         JOIN seat_points sp ON sp.round_id = r.id
         LEFT JOIN teams t ON t.id = sp.team_id
         LEFT JOIN player_points pp ON pp.round_id = r.id AND pp.role = sp.role
         LEFT JOIN players p ON p.id = pp.player_id
         WHERE r.class_code = ?
         ORDER BY ${ROUND_ORDER}, CASE sp.role WHEN 'client' THEN 0 WHEN 'server' THEN 1 WHEN 'ca' THEN 2 ELSE 3 END, p.nickname`,
      )
      .all(classCode) as ResultRow[];
  }

  async close(): Promise<void> {
    await this.onClose();
  }
}
