/**
 * The embedded SQLite file: classes, teams, players, rounds, outcomes and points, so that a
 * server restart loses nothing. One synchronous connection (better-sqlite3) in WAL mode; every
 * write is a single statement or a transaction, so a crash never leaves half a round. Its
 * migrations, by `user_version` (PostgreSQL has its own: ../postgres/migrations.ts).
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

export type Db = Database.Database;

const MIGRATIONS: string[] = [
  `CREATE TABLE classes (
     code TEXT PRIMARY KEY,
     teacher_secret_hash TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     status TEXT NOT NULL DEFAULT 'lobby',      -- lobby | playing | paused | ended
     levels TEXT NOT NULL DEFAULT '[1]'         -- JSON array of levels
   );
   CREATE TABLE teams (
     id TEXT PRIMARY KEY,
     class_code TEXT NOT NULL REFERENCES classes(code),
     name TEXT NOT NULL,
     position INTEGER NOT NULL
   );
   CREATE TABLE players (
     id TEXT PRIMARY KEY,
     class_code TEXT NOT NULL REFERENCES classes(code),
     nickname TEXT NOT NULL,
     token_hash TEXT NOT NULL,
     team_id TEXT REFERENCES teams(id),
     removed INTEGER NOT NULL DEFAULT 0,
     joined_at INTEGER NOT NULL
   );
   CREATE UNIQUE INDEX players_nickname ON players(class_code, nickname) WHERE removed = 0;
   CREATE TABLE rounds (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     class_code TEXT REFERENCES classes(code),  -- NULL for rooms outside a class
     room_code TEXT NOT NULL,
     round_index INTEGER NOT NULL,
     level INTEGER NOT NULL,
     defending_team TEXT REFERENCES teams(id),
     attacking_team TEXT REFERENCES teams(id),
     started_at INTEGER NOT NULL,
     ended_at INTEGER NOT NULL,
     outcome TEXT NOT NULL,
     summary TEXT NOT NULL
   );
   CREATE INDEX rounds_class ON rounds(class_code);
   -- Points per seat (each seat once, whoever played it) ...
   CREATE TABLE seat_points (
     round_id INTEGER NOT NULL REFERENCES rounds(id),
     role TEXT NOT NULL,
     team_id TEXT REFERENCES teams(id),
     bot INTEGER NOT NULL,
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
  // Team order matters: defenders are dealt round the seats in it.
  `ALTER TABLE players ADD COLUMN team_position INTEGER;`,
  // A class round is one row: its key is (class, match, room, round). Rows written before
  // matches were numbered keep a NULL match (never equal to another: the old rows stay as they are).
  `ALTER TABLE classes ADD COLUMN matches INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE rounds ADD COLUMN match_number INTEGER;
   CREATE UNIQUE INDEX rounds_key ON rounds(class_code, match_number, room_code, round_index);`,
];

export function openDb(file: string): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL'); // WAL + NORMAL: durable across process crashes
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

/** Brings the schema up to `target` (every migration, unless a test builds an older database). */
export function migrate(db: Db, target = MIGRATIONS.length): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let v = version; v < target; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
