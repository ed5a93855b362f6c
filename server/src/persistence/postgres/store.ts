/**
 * The PostgreSQL engine of the Store (node-postgres, a pool of connections), for several
 * server processes sharing one database. Its queries are the shared ones (../queries.ts) in
 * PostgreSQL's dialect, the round's insert-or-find its own; the answers are the same as
 * SQLite's, row for row (test/server/store.test.ts runs both).
 */
import pg from 'pg';
import type { Level, MatchStep } from '@heist/shared';
import type { Log } from '../../safety.ts';
import { supersedes, type ClassRecord, type ClassStatus, type PlayerRecord, type RecordedOutcome, type RecordedRound, type ResultRow, type RoundRecord, type Standing, type Store, type TeamPlanRecord, type TeamRecord } from '../store.ts';
import { POSTGRES } from '../dialect.ts';
import { classRecord, playerRecord, playerValues, queries, roundValues, sequenceText, teamRecord, type ClassRow, type PlayerRow, type TeamRow } from '../queries.ts';
import { migrate } from './migrations.ts';

/** Milliseconds since 1970 are BIGINT; they fit a JavaScript number exactly (below 2^53). */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

const Q = queries(POSTGRES);

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
    await this.pool.query(Q.createClass, [code, teacherSecretHash, now]);
  }

  async getClass(code: string): Promise<ClassRecord | undefined> {
    const { rows } = await this.pool.query<ClassRow>(Q.getClass, [code]);
    const row = rows[0];
    return row && classRecord(row);
  }

  async openClassCodes(since: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ code: string }>(Q.openClassCodes, [since]);
    return rows.map((r) => r.code);
  }

  async classExists(code: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(Q.classExists, [code]);
    return (rowCount ?? 0) > 0;
  }

  async setClassStatus(code: string, status: ClassStatus): Promise<void> {
    await this.pool.query(Q.setClassStatus, [status, code]);
  }

  async setLevels(code: string, levels: readonly (Level | MatchStep)[]): Promise<void> {
    await this.pool.query(Q.setLevels, [sequenceText(levels), code]);
  }

  async addPlayer(p: Omit<PlayerRecord, 'removed' | 'teamId' | 'teamPosition'>, now: number): Promise<void> {
    await this.pool.query(Q.addPlayer, [p.id, p.classCode, p.nickname, p.tokenHash, now]);
  }

  async players(classCode: string): Promise<PlayerRecord[]> {
    const { rows } = await this.pool.query<PlayerRow>(Q.players, [classCode]);
    return rows.map(playerRecord);
  }

  async removePlayer(playerId: string): Promise<void> {
    await this.pool.query(Q.removePlayer, [playerId]);
  }

  async teams(classCode: string): Promise<TeamRecord[]> {
    const { rows } = await this.pool.query<TeamRow>(Q.teams, [classCode]);
    return rows.map(teamRecord);
  }

  async saveTeams(classCode: string, teams: TeamPlanRecord[]): Promise<void> {
    await this.transaction(async (c) => {
      await c.query(Q.leaveTeams, [classCode]);
      for (const t of teams) {
        await c.query(Q.upsertTeam, [t.id, classCode, t.name, t.position]);
        for (const [i, p] of t.playerIds.entries()) await c.query(Q.joinTeam, [t.id, i, p, classCode]);
      }
    });
  }

  async startMatch(classCode: string): Promise<number> {
    const { rows } = await this.pool.query<{ matches: number }>(Q.startMatch, [classCode]);
    if (!rows[0]) throw new Error(`no class ${classCode}`);
    return rows[0].matches;
  }

  async recordRound(r: RoundRecord): Promise<RecordedRound> {
    return this.transaction(async (c) => {
      const key = [r.classCode, r.matchNumber, r.roomCode, r.roundIndex];
      const values = roundValues(r);
      // Two processes may write the same round at once: the unique key lets one insert, and the other finds its row.
      const inserted = await c.query<{ id: number }>(`${Q.insertRound} ON CONFLICT (class_code, match_number, room_code, round_index) DO NOTHING RETURNING id`, [...key, ...values]);
      let roundId = inserted.rows[0]?.id;
      if (roundId === undefined) {
        const { rows } = await c.query<{ id: number; outcome: RecordedOutcome; summary: string }>(`${Q.findRound} FOR UPDATE`, key);
        // The insert met a row with this key, and the lock held since keeps it there.
        const stored = rows[0]!;
        if (!supersedes(r.outcome, stored.outcome)) return { roundId: stored.id, outcome: stored.outcome, summary: stored.summary };
        roundId = stored.id;
        await c.query(Q.updateRound, [...values, roundId]);
        await c.query(Q.clearSeatPoints, [roundId]);
        await c.query(Q.clearPlayerPoints, [roundId]);
      }
      for (const s of r.seats) await c.query(Q.seatPoints, [roundId, s.role, s.teamId, s.bot, s.points]);
      for (const p of r.players) await c.query(Q.playerPoints, [roundId, ...playerValues(p)]);
      return { roundId, outcome: r.outcome, summary: r.summary };
    });
  }

  async roundCount(classCode: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(Q.roundCount, [classCode]);
    // COUNT(*) answers one row, always.
    return rows[0]!.n;
  }

  async teamStandings(classCode: string): Promise<Standing[]> {
    return (await this.pool.query<Standing>(Q.teamStandings, [classCode])).rows;
  }

  async playerStandings(classCode: string): Promise<Standing[]> {
    return (await this.pool.query<Standing>(Q.playerStandings, [classCode])).rows;
  }

  async results(classCode: string): Promise<ResultRow[]> {
    return (await this.pool.query<ResultRow>(Q.results, [classCode])).rows;
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
