/**
 * The embedded SQLite file: classes, teams, players, rounds, outcomes and points, so that a
 * server restart loses nothing. One synchronous connection (better-sqlite3) in WAL mode; every
 * write is a single statement or a transaction, so a crash never leaves half a round. Its
 * migrations (../schema.ts, in SQLite's dialect), by `user_version`.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { SQLITE } from '../dialect.ts';
import { migrationsFor } from '../schema.ts';

export type Db = Database.Database;

const MIGRATIONS = migrationsFor(SQLITE);

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
