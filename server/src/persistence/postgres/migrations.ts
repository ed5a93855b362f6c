/**
 * The PostgreSQL schema, as numbered migrations (the same tables as SQLite's, in PostgreSQL's
 * types: BIGINT milliseconds, BOOLEAN flags, identity columns). Several server processes may
 * start at once against one database: each migrates inside a transaction holding an advisory
 * lock, so exactly one applies each step and the others find it done.
 */
import type { PoolClient } from 'pg';

/** Any constant of our own: the key of the advisory lock that serialises migrations. */
const MIGRATION_LOCK = 0x4845_4953; // "HEIS"

const MIGRATIONS: string[] = [
  `CREATE TABLE classes (
     code TEXT PRIMARY KEY,
     teacher_secret_hash TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     status TEXT NOT NULL DEFAULT 'lobby',      -- lobby | playing | paused | ended
     levels TEXT NOT NULL DEFAULT '[1]'         -- JSON array of levels
   );
   CREATE INDEX classes_created ON classes(created_at);
   CREATE TABLE teams (
     id TEXT PRIMARY KEY,
     class_code TEXT NOT NULL REFERENCES classes(code),
     name TEXT NOT NULL,
     position INTEGER NOT NULL
   );
   CREATE INDEX teams_class ON teams(class_code);
   CREATE TABLE players (
     id TEXT PRIMARY KEY,
     seq BIGINT GENERATED ALWAYS AS IDENTITY,   -- join order among equal joined_at
     class_code TEXT NOT NULL REFERENCES classes(code),
     nickname TEXT NOT NULL,
     token_hash TEXT NOT NULL,
     team_id TEXT REFERENCES teams(id),
     team_position INTEGER,                      -- team order matters: defenders are dealt round the seats in it
     removed BOOLEAN NOT NULL DEFAULT FALSE,
     joined_at BIGINT NOT NULL
   );
   CREATE UNIQUE INDEX players_nickname ON players(class_code, nickname) WHERE NOT removed;
   CREATE TABLE rounds (
     id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     class_code TEXT REFERENCES classes(code),  -- NULL for rooms outside a class
     room_code TEXT NOT NULL,
     round_index INTEGER NOT NULL,
     level INTEGER NOT NULL,
     defending_team TEXT REFERENCES teams(id),
     attacking_team TEXT REFERENCES teams(id),
     started_at BIGINT NOT NULL,
     ended_at BIGINT NOT NULL,
     outcome TEXT NOT NULL,
     summary TEXT NOT NULL
   );
   CREATE INDEX rounds_class ON rounds(class_code);
   -- Points per seat (each seat once, whoever played it) ...
   CREATE TABLE seat_points (
     round_id INTEGER NOT NULL REFERENCES rounds(id),
     role TEXT NOT NULL,
     team_id TEXT REFERENCES teams(id),
     bot BOOLEAN NOT NULL,
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
  // A class round is one row: its key is (class, match, room, round). Rows written before
  // matches were numbered keep a NULL match (never equal to another: the old rows stay as they are).
  `ALTER TABLE classes ADD COLUMN matches INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE rounds ADD COLUMN match_number INTEGER;
   CREATE UNIQUE INDEX rounds_key ON rounds(class_code, match_number, room_code, round_index);`,
];

/** Brings the schema up to `target` (every migration, unless a test builds an older database). */
export async function migrate(client: Pick<PoolClient, 'query'>, target = MIGRATIONS.length): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS heist_schema (version INTEGER NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM heist_schema');
    let version = rows[0]?.version ?? 0;
    if (rows.length === 0) await client.query('INSERT INTO heist_schema (version) VALUES (0)');
    for (; version < target; version++) {
      await client.query(MIGRATIONS[version]!);
      await client.query('UPDATE heist_schema SET version = $1', [version + 1]);
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
