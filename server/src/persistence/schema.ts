/**
 * The tables, described once, as numbered migrations; each engine renders them in its dialect
 * and applies them its own way (sqlite/db.ts by `user_version`, postgres/migrations.ts under an
 * advisory lock). The two engines' histories differ by one step: SQLite's players got their
 * team order in a migration of its own, PostgreSQL's had it from its first (it came later), so
 * that step is SQLite's only and the numbers each database has recorded stay what they are.
 */
import type { Dialect } from './dialect.ts';

interface Migration {
  sql(d: Dialect): string;
  /** Applied by this engine only. */
  only?: Dialect['name'];
}

/** Only in PostgreSQL's first step: the lines it has that SQLite's lacks. */
const pg = (d: Dialect, sql: string): string => (d.name === 'postgres' ? sql : '');

const MIGRATIONS: Migration[] = [
  {
    sql: (d) => `CREATE TABLE classes (
     code TEXT PRIMARY KEY,
     teacher_secret_hash TEXT NOT NULL,
     created_at ${d.millis} NOT NULL,
     status TEXT NOT NULL DEFAULT 'lobby',      -- lobby | playing | paused | ended
     levels TEXT NOT NULL DEFAULT '[1]'         -- JSON array of levels
   );
   ${pg(d, 'CREATE INDEX classes_created ON classes(created_at);')}
   CREATE TABLE teams (
     id TEXT PRIMARY KEY,
     class_code TEXT NOT NULL REFERENCES classes(code),
     name TEXT NOT NULL,
     position INTEGER NOT NULL
   );
   ${pg(d, 'CREATE INDEX teams_class ON teams(class_code);')}
   CREATE TABLE players (
     id TEXT PRIMARY KEY,
     ${pg(d, 'seq BIGINT GENERATED ALWAYS AS IDENTITY,   -- join order among equal joined_at')}
     class_code TEXT NOT NULL REFERENCES classes(code),
     nickname TEXT NOT NULL,
     token_hash TEXT NOT NULL,
     team_id TEXT REFERENCES teams(id),
     ${pg(d, 'team_position INTEGER,')}
     removed ${d.flag} NOT NULL DEFAULT ${d.no},
     joined_at ${d.millis} NOT NULL
   );
   CREATE UNIQUE INDEX players_nickname ON players(class_code, nickname) WHERE ${d.not('removed')};
   CREATE TABLE rounds (
     id ${d.autoId},
     class_code TEXT REFERENCES classes(code),  -- NULL for rooms outside a class
     room_code TEXT NOT NULL,
     round_index INTEGER NOT NULL,
     level INTEGER NOT NULL,
     defending_team TEXT REFERENCES teams(id),
     attacking_team TEXT REFERENCES teams(id),
     started_at ${d.millis} NOT NULL,
     ended_at ${d.millis} NOT NULL,
     outcome TEXT NOT NULL,
     summary TEXT NOT NULL
   );
   CREATE INDEX rounds_class ON rounds(class_code);
   -- Points per seat (each seat once, whoever played it) ...
   CREATE TABLE seat_points (
     round_id INTEGER NOT NULL REFERENCES rounds(id),
     role TEXT NOT NULL,
     team_id TEXT REFERENCES teams(id),
     bot ${d.flag} NOT NULL,
     points INTEGER NOT NULL,
     PRIMARY KEY (round_id, role)
   );
   -- ... and per player who sat there.
   CREATE TABLE player_points (
     round_id INTEGER NOT NULL REFERENCES rounds(id),
     player_id TEXT NOT NULL REFERENCES players(id),
     role TEXT NOT NULL,
     points INTEGER NOT NULL,
     PRIMARY KEY (round_id, player_id)
   );`,
  },
  // Team order matters: defenders are dealt round the seats in it.
  { sql: () => 'ALTER TABLE players ADD COLUMN team_position INTEGER;', only: 'sqlite' },
  // A class round is one row: its key is (class, match, room, round). Rows written before
  // matches were numbered keep a NULL match (never equal to another: the old rows stay as they are).
  {
    sql: () => `ALTER TABLE classes ADD COLUMN matches INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE rounds ADD COLUMN match_number INTEGER;
   CREATE UNIQUE INDEX rounds_key ON rounds(class_code, match_number, room_code, round_index);`,
  },
  // A hidden-attacker match's round: whether its room had an attacker ('present' | 'absent'); NULL in any other round.
  { sql: () => 'ALTER TABLE rounds ADD COLUMN hidden_attacker TEXT;' },
  // The teacher's map: the event a class round was played with (NULL: none), and what each player's play showed (misconception names separated by spaces; NULL: none).
  { sql: () => `ALTER TABLE rounds ADD COLUMN event TEXT;
   ALTER TABLE player_points ADD COLUMN misconceptions TEXT;` },
];

/** This engine's migrations, in order: the one at index n brings a database from version n to n + 1. */
export function migrationsFor(d: Dialect): string[] {
  return MIGRATIONS.filter((m) => m.only === undefined || m.only === d.name).map((m) => m.sql(d));
}
