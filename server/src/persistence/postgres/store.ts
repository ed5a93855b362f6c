/**
 * The PostgreSQL engine of the Store (node-postgres, a pool of connections), for several
 * server processes sharing one database. Every query for PostgreSQL is here; the answers are
 * the same as SQLite's, row for row (test/server/store.test.ts runs both).
 */
import pg from 'pg';
import type { Level } from '@heist/shared';
import type { Log } from '../../safety.ts';
import { supersedes, type ClassRecord, type ClassStatus, type PlayerRecord, type RecordedOutcome, type RecordedRound, type ResultRow, type RoundRecord, type Standing, type Store, type TeamPlanRecord, type TeamRecord } from '../store.ts';
import { migrate } from './migrations.ts';

/** Milliseconds since 1970 are BIGINT; they fit a JavaScript number exactly (below 2^53). */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** Rows from before matches were numbered first, in the order written; then by match and round (rooms in the order written). */
const ROUND_ORDER = 'COALESCE(r.match_number, 0), CASE WHEN r.match_number IS NULL THEN r.id ELSE r.round_index END, r.id';
const ROLE_ORDER = `CASE sp.role WHEN 'client' THEN 0 WHEN 'server' THEN 1 WHEN 'ca' THEN 2 ELSE 3 END`;

export async function openPostgresStore(url: string, log: Log): Promise<PostgresStore> {
  // Bounded waits: a database that does not answer (stopped, hung, unreachable) fails a call within 10 s
  // instead of holding it (and what waits on it) for good.
  const pool = new pg.Pool({ connectionString: url, types: TYPES, max: 10, connectionTimeoutMillis: 5_000, query_timeout: 10_000 });
  // An idle connection the server drops (a restart, a failover) must not crash the process.
  pool.on('error', (e) => log(`postgres: idle connection failed: ${e.message}`));
  const client = await pool.connect();
  try {
    await migrate(client);
  } finally {
    client.release();
  }
  return new PostgresStore(pool);
}

export class PostgresStore implements Store {
  readonly engine = 'postgres' as const;

  constructor(private readonly pool: pg.Pool) {}

  async createClass(code: string, teacherSecretHash: string, now: number): Promise<void> {
    await this.pool.query('INSERT INTO classes (code, teacher_secret_hash, created_at) VALUES ($1, $2, $3)', [code, teacherSecretHash, now]);
  }

  async getClass(code: string): Promise<ClassRecord | undefined> {
    const { rows } = await this.pool.query<{ code: string; teacher_secret_hash: string; created_at: number; status: ClassStatus; levels: string }>(
      'SELECT * FROM classes WHERE code = $1',
      [code],
    );
    const row = rows[0];
    if (!row) return undefined;
    return { code: row.code, teacherSecretHash: row.teacher_secret_hash, createdAt: row.created_at, status: row.status, levels: JSON.parse(row.levels) as Level[] };
  }

  async openClassCodes(since: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ code: string }>('SELECT code FROM classes WHERE created_at >= $1 ORDER BY created_at', [since]);
    return rows.map((r) => r.code);
  }

  async classExists(code: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM classes WHERE code = $1', [code]);
    return (rowCount ?? 0) > 0;
  }

  async setClassStatus(code: string, status: ClassStatus): Promise<void> {
    await this.pool.query('UPDATE classes SET status = $1 WHERE code = $2', [status, code]);
  }

  async setLevels(code: string, levels: Level[]): Promise<void> {
    await this.pool.query('UPDATE classes SET levels = $1 WHERE code = $2', [JSON.stringify(levels), code]);
  }

  async addPlayer(p: Omit<PlayerRecord, 'removed' | 'teamId' | 'teamPosition'>, now: number): Promise<void> {
    await this.pool.query('INSERT INTO players (id, class_code, nickname, token_hash, joined_at) VALUES ($1, $2, $3, $4, $5)', [p.id, p.classCode, p.nickname, p.tokenHash, now]);
  }

  async players(classCode: string): Promise<PlayerRecord[]> {
    const { rows } = await this.pool.query<{ id: string; class_code: string; nickname: string; token_hash: string; team_id: string | null; team_position: number | null; removed: boolean }>(
      'SELECT * FROM players WHERE class_code = $1 ORDER BY joined_at, seq',
      [classCode],
    );
    return rows.map((r) => ({ id: r.id, classCode: r.class_code, nickname: r.nickname, tokenHash: r.token_hash, teamId: r.team_id, teamPosition: r.team_position, removed: r.removed }));
  }

  async removePlayer(playerId: string): Promise<void> {
    await this.pool.query('UPDATE players SET removed = TRUE, team_id = NULL, team_position = NULL WHERE id = $1', [playerId]);
  }

  async teams(classCode: string): Promise<TeamRecord[]> {
    const { rows } = await this.pool.query<{ id: string; class_code: string; name: string; position: number }>('SELECT * FROM teams WHERE class_code = $1 ORDER BY position', [classCode]);
    return rows.map((r) => ({ id: r.id, classCode: r.class_code, name: r.name, position: r.position }));
  }

  async saveTeams(classCode: string, teams: TeamPlanRecord[]): Promise<void> {
    await this.transaction(async (c) => {
      await c.query('UPDATE players SET team_id = NULL, team_position = NULL WHERE class_code = $1', [classCode]);
      for (const t of teams) {
        await c.query(
          'INSERT INTO teams (id, class_code, name, position) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET name = excluded.name, position = excluded.position',
          [t.id, classCode, t.name, t.position],
        );
        for (const [i, p] of t.playerIds.entries()) await c.query('UPDATE players SET team_id = $1, team_position = $2 WHERE id = $3 AND class_code = $4', [t.id, i, p, classCode]);
      }
    });
  }

  async startMatch(classCode: string): Promise<number> {
    const { rows } = await this.pool.query<{ matches: number }>('UPDATE classes SET matches = matches + 1 WHERE code = $1 RETURNING matches', [classCode]);
    if (!rows[0]) throw new Error(`no class ${classCode}`);
    return rows[0].matches;
  }

  async recordRound(r: RoundRecord): Promise<RecordedRound> {
    return this.transaction(async (c) => {
      const values = [r.level, r.defendingTeam, r.attackingTeam, r.startedAt, r.endedAt, r.outcome, r.summary];
      // Two processes may write the same round at once: the unique key lets one insert, and the other finds its row.
      const inserted = await c.query<{ id: number }>(
        `INSERT INTO rounds (class_code, match_number, room_code, round_index, level, defending_team, attacking_team, started_at, ended_at, outcome, summary)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (class_code, match_number, room_code, round_index) DO NOTHING RETURNING id`,
        [r.classCode, r.matchNumber, r.roomCode, r.roundIndex, ...values],
      );
      let roundId = inserted.rows[0]?.id;
      if (roundId === undefined) {
        const { rows } = await c.query<{ id: number; outcome: RecordedOutcome; summary: string }>(
          'SELECT id, outcome, summary FROM rounds WHERE class_code = $1 AND match_number = $2 AND room_code = $3 AND round_index = $4 FOR UPDATE',
          [r.classCode, r.matchNumber, r.roomCode, r.roundIndex],
        );
        const stored = rows[0]!;
        if (!supersedes(r.outcome, stored.outcome)) return { roundId: stored.id, outcome: stored.outcome, summary: stored.summary };
        roundId = stored.id;
        await c.query('UPDATE rounds SET level = $1, defending_team = $2, attacking_team = $3, started_at = $4, ended_at = $5, outcome = $6, summary = $7 WHERE id = $8', [...values, roundId]);
        await c.query('DELETE FROM seat_points WHERE round_id = $1', [roundId]);
        await c.query('DELETE FROM player_points WHERE round_id = $1', [roundId]);
      }
      for (const s of r.seats) await c.query('INSERT INTO seat_points (round_id, role, team_id, bot, points) VALUES ($1, $2, $3, $4, $5)', [roundId, s.role, s.teamId, s.bot, s.points]);
      for (const p of r.players) await c.query('INSERT INTO player_points (round_id, player_id, role, points) VALUES ($1, $2, $3, $4)', [roundId, p.playerId, p.role, p.points]);
      return { roundId, outcome: r.outcome, summary: r.summary };
    });
  }

  async roundCount(classCode: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM rounds WHERE class_code = $1', [classCode]);
    return rows[0]!.n;
  }

  async teamStandings(classCode: string): Promise<Standing[]> {
    const { rows } = await this.pool.query<Standing>(
      `SELECT t.id AS id, t.name AS name, t.id AS "teamId",
              COALESCE(SUM(sp.points), 0)::int AS points, COUNT(DISTINCT sp.round_id)::int AS rounds
       FROM teams t
       LEFT JOIN seat_points sp ON sp.team_id = t.id AND NOT sp.bot
       WHERE t.class_code = $1
       GROUP BY t.id ORDER BY points DESC, t.position`,
      [classCode],
    );
    return rows;
  }

  async playerStandings(classCode: string): Promise<Standing[]> {
    const { rows } = await this.pool.query<Standing>(
      `SELECT p.id AS id, p.nickname AS name, p.team_id AS "teamId",
              COALESCE(SUM(pp.points), 0)::int AS points, COUNT(pp.round_id)::int AS rounds
       FROM players p
       LEFT JOIN player_points pp ON pp.player_id = p.id
       WHERE p.class_code = $1 AND NOT p.removed
       GROUP BY p.id ORDER BY points DESC, p.nickname COLLATE "C"`,
      [classCode],
    );
    return rows;
  }

  async results(classCode: string): Promise<ResultRow[]> {
    const { rows } = await this.pool.query<ResultRow>(
      `SELECT r.id AS "roundId", r.match_number AS "matchNumber", r.round_index AS "roundIndex", r.level AS level, r.room_code AS "roomCode",
              r.outcome AS outcome, sp.role AS role, r.ended_at AS "endedAt", sp.bot AS bot,
              COALESCE(p.nickname, '(bot)') AS player,
              COALESCE(t.name, '') AS team,
              COALESCE(pp.points, sp.points) AS points
       FROM rounds r
       JOIN seat_points sp ON sp.round_id = r.id
       LEFT JOIN teams t ON t.id = sp.team_id
       LEFT JOIN player_points pp ON pp.round_id = r.id AND pp.role = sp.role
       LEFT JOIN players p ON p.id = pp.player_id
       WHERE r.class_code = $1
       ORDER BY ${ROUND_ORDER}, ${ROLE_ORDER}, p.nickname COLLATE "C"`,
      [classCode],
    );
    return rows;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async transaction<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    // The server gone mid-transaction (a restart): the query in flight fails with it, and the client
    // also emits 'error', which nobody would hear (the pool listens to idle clients only) and so would be thrown.
    const lost = () => undefined;
    c.on('error', lost);
    let broken: Error | undefined;
    try {
      await c.query('BEGIN');
      const result = await work(c);
      await c.query('COMMIT');
      return result;
    } catch (e) {
      await c.query('ROLLBACK').catch((r: Error) => (broken = r));
      throw e;
    } finally {
      c.off('error', lost);
      c.release(broken); // a connection that cannot even roll back is dropped, not reused
    }
  }
}
