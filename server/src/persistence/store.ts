/**
 * Everything that must survive a restart, behind one interface with two engines: SQLite
 * (`sqlite/`, embedded, the default for one process) and PostgreSQL (`postgres/`, when
 * DATABASE_URL is set, for several processes sharing one database). The rooms call these;
 * nothing else touches SQL. Every method is async (PostgreSQL answers over the network); a
 * round's result is written in one transaction with its points, so a crash never leaves half
 * a round. test/server/store.test.ts runs the same cases against both engines.
 */
import type { Level, LevelEvent, MatchStep, Misconception, Outcome, Role } from '@heist/shared';

export type ClassStatus = 'lobby' | 'playing' | 'paused' | 'ended';

export interface ClassRecord {
  code: string;
  teacherSecretHash: string;
  createdAt: number;
  status: ClassStatus;
  levels: Level[];
  /** The match's sequence as the teacher picked it on the map: its levels, each with its event if any. */
  sequence: MatchStep[];
}

export interface PlayerRecord {
  id: string;
  classCode: string;
  nickname: string;
  tokenHash: string;
  teamId: string | null;
  /** Place within the team (defenders are dealt round the seats in this order). */
  teamPosition: number | null;
  removed: boolean;
}

export interface TeamRecord {
  id: string;
  classCode: string;
  name: string;
  position: number;
}

export interface TeamPlanRecord {
  id: string;
  name: string;
  position: number;
  playerIds: string[];
}

/** A round's outcome as recorded: the referee's, or 'interrupted' when it was stopped first. */
export type RecordedOutcome = Outcome | 'interrupted';

export interface RoundRecord {
  classCode: string | null;
  /** The class's match, numbered from 1 (Store.startMatch); null outside a class. */
  matchNumber: number | null;
  roomCode: string;
  roundIndex: number;
  level: Level;
  defendingTeam: string | null;
  attackingTeam: string | null;
  startedAt: number;
  endedAt: number;
  outcome: RecordedOutcome;
  summary: string;
  /** A hidden-attacker match's round: whether its room had an attacker; absent in any other round. */
  hiddenAttacker?: HiddenAttackerTruth;
  /** The event the round was played with (the teacher's sequence), if any. */
  event?: LevelEvent;
  seats: { role: Role; teamId: string | null; bot: boolean; points: number }[];
  /** `misconceptions`: what the player's play showed (referee/misconceptions.ts), for the teacher's report. */
  players: { playerId: string; role: Role; points: number; misconceptions?: Misconception[] }[];
}

/** A hidden-attacker round's truth, as the store and the CSV write it. */
export type HiddenAttackerTruth = 'present' | 'absent';

/** What the store holds for a round after writing it: its row, and the outcome kept there. */
export interface RecordedRound {
  roundId: number;
  outcome: RecordedOutcome;
  summary: string;
}

/** A round already stored gives way to another record of it only when it was interrupted and the other has a result. */
export function supersedes(incoming: RecordedOutcome, stored: RecordedOutcome): boolean {
  return stored === 'interrupted' && incoming !== 'interrupted';
}

export interface Standing {
  id: string;
  name: string;
  teamId: string | null;
  points: number;
  rounds: number;
}

export interface ResultRow {
  roundId: number;
  /** null for rounds recorded before matches were numbered. */
  matchNumber: number | null;
  roundIndex: number;
  level: number;
  roomCode: string;
  outcome: string;
  role: string;
  player: string;
  team: string;
  points: number;
  endedAt: number;
  /** A bot played the seat (SQLite gives 1/0, PostgreSQL a boolean). */
  bot: boolean | number;
  /** A hidden-attacker match's round: whether its room had an attacker; null in any other round. */
  hiddenAttacker: HiddenAttackerTruth | null;
  /** The round's event, if it had one. */
  event: string | null;
  /** What this player's play showed, as stored: misconception names separated by spaces (null: none, or a bot's seat). */
  misconceptions: string | null;
}

export interface Store {
  /** Which engine answers (for logs and the health check). */
  readonly engine: 'sqlite' | 'postgres';
  createClass(code: string, teacherSecretHash: string, now: number): Promise<void>;
  getClass(code: string): Promise<ClassRecord | undefined>;
  /** Classes whose lobby should be open after a restart: those created since `since`, oldest first. */
  openClassCodes(since: number): Promise<string[]>;
  classExists(code: string): Promise<boolean>;
  setClassStatus(code: string, status: ClassStatus): Promise<void>;
  /** The match's sequence: levels alone, or steps with an event. */
  setLevels(code: string, levels: readonly (Level | MatchStep)[]): Promise<void>;
  addPlayer(p: Omit<PlayerRecord, 'removed' | 'teamId' | 'teamPosition'>, now: number): Promise<void>;
  /** A class's players (removed ones too), in the order they joined. */
  players(classCode: string): Promise<PlayerRecord[]>;
  removePlayer(playerId: string): Promise<void>;
  /** A class's teams, in their order. */
  teams(classCode: string): Promise<TeamRecord[]>;
  /** Replace the class's team membership (team rows are kept: past rounds refer to them). */
  saveTeams(classCode: string, teams: TeamPlanRecord[]): Promise<void>;
  /** The class's next match: its number (1, 2, …), counted in the store so no two matches of a class share one. */
  startMatch(classCode: string): Promise<number>;
  /**
   * A round and its points, in one transaction, once per key (class, match, room, round): a
   * second record of the same round changes nothing, unless it supersedes the first (see
   * `supersedes`). Resolves to what is stored.
   */
  recordRound(r: RoundRecord): Promise<RecordedRound>;
  roundCount(classCode: string): Promise<number>;
  /** Team standings: the points of every seat the team's students held, each seat counted once; seats a bot played count for nobody. */
  teamStandings(classCode: string): Promise<Standing[]>;
  /** Player standings: the points of the seat each player sat in, per round. */
  playerStandings(classCode: string): Promise<Standing[]>;
  /** One row per seat per round: the people who sat there, or "(bot)"; rounds by match and round (rows from before matches were numbered first, in the order written), seats client, server, ca, attacker. */
  results(classCode: string): Promise<ResultRow[]>;
  close(): Promise<void>;
}
