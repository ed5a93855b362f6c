/**
 * The queries both stores run, written once and rendered in each engine's dialect, and the
 * reading of their rows into records. What an engine must do its own way (how a round is
 * inserted or found, transactions) stays in its store.
 */
// The vocabulary only, not the whole engine: the SQLite worker thread loads this file, and the
// engine's modules cost it ~0.8 s of CPU at every server start.
import { LEVEL_EVENTS, offersEvent, parseLevel, type Level, type LevelEvent, type MatchStep } from '@heist/shared/basics';
import type { Dialect } from './dialect.ts';
import type { ClassRecord, ClassStatus, PlayerRecord, RoundRecord, TeamRecord } from './store.ts';

/** Rows from before matches were numbered first, in the order written; then by match and round (rooms in the order written). */
const ROUND_ORDER = 'COALESCE(r.match_number, 0), CASE WHEN r.match_number IS NULL THEN r.id ELSE r.round_index END, r.id';
const ROLE_ORDER = `CASE sp.role WHEN 'client' THEN 0 WHEN 'server' THEN 1 WHEN 'ca' THEN 2 ELSE 3 END`;

export function queries(d: Dialect) {
  const q = d.params;
  const as = d.alias;
  return {
    createClass: q('INSERT INTO classes (code, teacher_secret_hash, created_at) VALUES (?, ?, ?)'),
    getClass: q('SELECT * FROM classes WHERE code = ?'),
    openClassCodes: q('SELECT code FROM classes WHERE created_at >= ? ORDER BY created_at'),
    classExists: q('SELECT 1 FROM classes WHERE code = ?'),
    setClassStatus: q('UPDATE classes SET status = ? WHERE code = ?'),
    setLevels: q('UPDATE classes SET levels = ? WHERE code = ?'),
    startMatch: q('UPDATE classes SET matches = matches + 1 WHERE code = ? RETURNING matches'),
    addPlayer: q('INSERT INTO players (id, class_code, nickname, token_hash, joined_at) VALUES (?, ?, ?, ?, ?)'),
    players: q(`SELECT * FROM players WHERE class_code = ? ORDER BY joined_at, ${d.joinOrder}`),
    removePlayer: q(`UPDATE players SET removed = ${d.yes}, team_id = NULL, team_position = NULL WHERE id = ?`),
    teams: q('SELECT * FROM teams WHERE class_code = ? ORDER BY position'),
    leaveTeams: q('UPDATE players SET team_id = NULL, team_position = NULL WHERE class_code = ?'),
    upsertTeam: q('INSERT INTO teams (id, class_code, name, position) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, position = excluded.position'),
    joinTeam: q('UPDATE players SET team_id = ?, team_position = ? WHERE id = ? AND class_code = ?'),
    /** A round's columns in the order of `roundValues`, after its key (class, match, room, round). */
    insertRound: q(
      `INSERT INTO rounds (class_code, match_number, room_code, round_index, level, defending_team, attacking_team, started_at, ended_at, outcome, summary, hidden_attacker, event)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    findRound: q('SELECT id, outcome, summary FROM rounds WHERE class_code = ? AND match_number = ? AND room_code = ? AND round_index = ?'),
    updateRound: q('UPDATE rounds SET level = ?, defending_team = ?, attacking_team = ?, started_at = ?, ended_at = ?, outcome = ?, summary = ?, hidden_attacker = ?, event = ? WHERE id = ?'),
    clearSeatPoints: q('DELETE FROM seat_points WHERE round_id = ?'),
    clearPlayerPoints: q('DELETE FROM player_points WHERE round_id = ?'),
    seatPoints: q('INSERT INTO seat_points (round_id, role, team_id, bot, points) VALUES (?, ?, ?, ?, ?)'),
    playerPoints: q('INSERT INTO player_points (round_id, player_id, role, points, misconceptions) VALUES (?, ?, ?, ?, ?)'),
    roundCount: q(`SELECT ${d.int('COUNT(*)')} AS n FROM rounds WHERE class_code = ?`),
    /** Team standings: the points of every seat the team's students held, each seat counted once; seats a bot played count for nobody. */
    teamStandings: q(
      `SELECT t.id AS id, t.name AS name, t.id AS ${as('teamId')},
              ${d.int('COALESCE(SUM(sp.points), 0)')} AS points, ${d.int('COUNT(DISTINCT sp.round_id)')} AS rounds
       FROM teams t
       LEFT JOIN seat_points sp ON sp.team_id = t.id AND ${d.not('sp.bot')}
       WHERE t.class_code = ?
       GROUP BY t.id ORDER BY points DESC, t.position`,
    ),
    /** Player standings: the points of the seat each player sat in, per round. */
    playerStandings: q(
      `SELECT p.id AS id, p.nickname AS name, p.team_id AS ${as('teamId')},
              ${d.int('COALESCE(SUM(pp.points), 0)')} AS points, ${d.int('COUNT(pp.round_id)')} AS rounds
       FROM players p
       LEFT JOIN player_points pp ON pp.player_id = p.id
       WHERE p.class_code = ? AND ${d.not('p.removed')}
       GROUP BY p.id ORDER BY points DESC, ${d.bytewise('p.nickname')}`,
    ),
    /** One row per seat per round: the people who sat there, or "(bot)". */
    results: q(
      `SELECT r.id AS ${as('roundId')}, r.match_number AS ${as('matchNumber')}, r.round_index AS ${as('roundIndex')}, r.level AS level, r.room_code AS ${as('roomCode')},
              r.outcome AS outcome, sp.role AS role, r.ended_at AS ${as('endedAt')}, sp.bot AS bot, r.hidden_attacker AS ${as('hiddenAttacker')}, r.event AS event, pp.misconceptions AS misconceptions,
              COALESCE(p.nickname, '(bot)') AS player,
              COALESCE(t.name, '') AS team,
              COALESCE(pp.points, sp.points) AS points
       FROM rounds r
       JOIN seat_points sp ON sp.round_id = r.id
       LEFT JOIN teams t ON t.id = sp.team_id
       LEFT JOIN player_points pp ON pp.round_id = r.id AND pp.role = sp.role
       LEFT JOIN players p ON p.id = pp.player_id
       WHERE r.class_code = ?
       ORDER BY ${ROUND_ORDER}, ${ROLE_ORDER}, ${d.bytewise('p.nickname')}`,
    ),
  };
}

/** A round's columns after its key, in the order insertRound and updateRound take them. */
export function roundValues(r: RoundRecord): (string | number | null)[] {
  return [r.level, r.defendingTeam, r.attackingTeam, r.startedAt, r.endedAt, r.outcome, r.summary, r.hiddenAttacker ?? null, r.event ?? null];
}

/** A player's row of a round after its key, in the order playerPoints takes them (misconceptions separated by spaces, or null). */
export function playerValues(p: RoundRecord['players'][number]): (string | number | null)[] {
  return [p.playerId, p.role, p.points, p.misconceptions?.length ? p.misconceptions.join(' ') : null];
}

export interface ClassRow {
  code: string;
  teacher_secret_hash: string;
  created_at: number;
  status: ClassStatus;
  levels: string;
}

export interface PlayerRow {
  id: string;
  class_code: string;
  nickname: string;
  token_hash: string;
  team_id: string | null;
  team_position: number | null;
  /** SQLite: 0 or 1; PostgreSQL: a boolean. */
  removed: number | boolean;
}

export interface TeamRow {
  id: string;
  class_code: string;
  name: string;
  position: number;
}

export function classRecord(row: ClassRow): ClassRecord {
  return { code: row.code, teacherSecretHash: row.teacher_secret_hash, createdAt: row.created_at, status: row.status, ...storedSequence(row.code, row.levels) };
}

export function playerRecord(r: PlayerRow): PlayerRecord {
  return { id: r.id, classCode: r.class_code, nickname: r.nickname, tokenHash: r.token_hash, teamId: r.team_id, teamPosition: r.team_position, removed: r.removed === true || r.removed === 1 };
}

export function teamRecord(r: TeamRow): TeamRecord {
  return { id: r.id, classCode: r.class_code, name: r.name, position: r.position };
}

/** The levels column as setLevels writes it: a JSON list of level ids, a step with an event as { level, event }. */
export function sequenceText(steps: readonly (Level | MatchStep)[]): string {
  return JSON.stringify(steps.map((s) => (typeof s === 'number' ? s : s.event ? { level: s.level, event: s.event } : s.level)));
}

/** The levels column: the match's sequence, as sequenceText wrote it; anything else is a damaged row, said so. */
function storedSequence(code: string, text: string): { levels: Level[]; sequence: MatchStep[] } {
  const parsed: unknown = JSON.parse(text);
  const steps = Array.isArray(parsed) ? parsed.map(storedStep) : [undefined];
  if (steps.some((s) => s === undefined)) throw new Error(`class ${code}: stored levels ${text} are not a list of levels`);
  const sequence = steps.filter((s) => s !== undefined);
  return { levels: sequence.map((s) => s.level), sequence };
}

function storedStep(item: unknown): MatchStep | undefined {
  if (typeof item === 'number') {
    const level = parseLevel(item);
    return level === undefined ? undefined : { level };
  }
  if (typeof item !== 'object' || item === null) return undefined;
  const { level: id, event: name } = item as { level?: unknown; event?: unknown };
  const level = parseLevel(id);
  const event = LEVEL_EVENTS.find((e): e is LevelEvent => e === name);
  return level !== undefined && event && offersEvent(level, event) ? { level, event } : undefined;
}
