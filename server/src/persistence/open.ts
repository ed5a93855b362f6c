/**
 * Picks the engine: PostgreSQL when a `postgres://` URL is given (several server processes
 * share it), else the SQLite file (one process; the embedded default, nothing to set up), run
 * on a thread of its own so that no query blocks the rooms' event loop (sqlite/offThread.ts).
 */
import type { Log } from '../safety.ts';
import { openPostgresStore } from './postgres/store.ts';
import { openSqliteOffThread } from './sqlite/offThread.ts';
import type { Store } from './store.ts';

export interface StoreSettings {
  /** `postgres://user:password@host:port/database` (or `postgresql://…`); wins over dbPath. */
  databaseUrl?: string;
  /** SQLite file; ':memory:' for throwaway tests. */
  dbPath: string;
}

export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url);
}

export async function openStore(settings: StoreSettings, log: Log): Promise<Store> {
  if (settings.databaseUrl !== undefined) {
    if (!isPostgresUrl(settings.databaseUrl)) throw new Error('DATABASE_URL must be a postgres:// URL');
    return openPostgresStore(settings.databaseUrl, log);
  }
  return openSqliteOffThread(settings.dbPath, log);
}
