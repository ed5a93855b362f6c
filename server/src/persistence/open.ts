/**
 * Picks the engine: PostgreSQL when a `postgres://` URL is given (several server processes
 * share it), else the SQLite file (one process; the embedded default, nothing to set up), run
 * on a thread of its own so that no query blocks the rooms' event loop (sqlite/offThread.ts).
 * PostgreSQL, which may be away while rounds are played, is fronted by this process's journal
 * (journal.ts) when a journal file is named.
 */
import type { Log } from '../safety.ts';
import { RealScheduler, type Scheduler } from '../time/scheduler.ts';
import { DEFAULT_JOURNAL, JournaledStore, type JournalSettings } from './journal.ts';
import { openSqliteOffThread } from './sqlite/offThread.ts';
import type { Store } from './store.ts';

export interface StoreSettings {
  /** `postgres://user:password@host:port/database` (or `postgresql://…`); wins over dbPath. */
  databaseUrl?: string;
  /** SQLite file; ':memory:' for throwaway tests. */
  dbPath: string;
  /** With databaseUrl: this process's journal file (results and statuses kept while PostgreSQL is away). */
  journalPath?: string;
  journal?: Partial<JournalSettings>;
}

export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url);
}

export async function openStore(settings: StoreSettings, log: Log, scheduler: Scheduler = new RealScheduler(log)): Promise<Store> {
  if (settings.databaseUrl !== undefined) {
    if (!isPostgresUrl(settings.databaseUrl)) throw new Error('DATABASE_URL must be a postgres:// URL');
    // pg is loaded only for a process that uses it.
    const { openPostgresStore } = await import('./postgres/store.ts');
    const postgres = await openPostgresStore(settings.databaseUrl, log);
    if (settings.journalPath === undefined) return postgres;
    try {
      return JournaledStore.open(postgres, settings.journalPath, scheduler, log, { ...DEFAULT_JOURNAL, ...settings.journal });
    } catch (e) {
      await postgres.close();
      throw e;
    }
  }
  return openSqliteOffThread(settings.dbPath, log);
}
