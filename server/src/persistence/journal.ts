/**
 * PostgreSQL may be away (restarted, failed over, the network down) while rounds go on being
 * played. What the server writes by itself, without a person waiting for an answer — a round's
 * result and a class's status — goes through a journal: a small SQLite file of this process's
 * own (JOURNAL_PATH), appended to at once (so a result survives a killed process), then applied
 * to the database in the order written, and deleted once applied. While the database is away
 * the journal waits and tries again (every second at first, then every `retryMaxMs`), however
 * long the outage lasts; when it is back, everything is replayed in order. Replaying is safe
 * twice over: a round is one row per (class, match, room, round) (store.ts), so a write applied
 * whose acknowledgement was lost is not doubled.
 *
 * A write the database refuses for a reason of its own (a constraint, say: retrying cannot
 * help) is tried `refusedAttempts` times, then set aside in the journal (kept, marked, logged)
 * so the writes behind it go on.
 *
 * Each write's promise resolves once the database has it: the class lobby shows a match as
 * ended only then (lobby.ts). Everything else (reads, teams, players) goes straight to the
 * database, and fails at once while it is away: those answer a teacher or a student.
 *
 * One process per journal file: it is locked while open.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { stackOf, type Log } from '../safety.ts';
import type { Scheduler, Timer } from '../time/scheduler.ts';
import type { ClassStatus, RecordedRound, RoundRecord, Store } from './store.ts';

/** A write the journal carries. */
type Entry = { kind: 'round'; record: RoundRecord } | { kind: 'status'; classCode: string; status: ClassStatus };

export interface JournalSettings {
  /** Wait before trying again, doubling from `retryMinMs` up to `retryMaxMs`. */
  retryMinMs: number;
  retryMaxMs: number;
  /** A write the database refuses (not for being away) is set aside after this many attempts. */
  refusedAttempts: number;
}

export const DEFAULT_JOURNAL: JournalSettings = { retryMinMs: 1000, retryMaxMs: 10_000, refusedAttempts: 5 };

/**
 * The database refused the write itself (PostgreSQL's SQLSTATE outside the classes that mean
 * "not now": 08 connection, 53 resources, 57 operator intervention, 58 system): retrying the
 * same write will not help. Anything without a SQLSTATE (a refused or dropped connection, a
 * timeout) means the database is away.
 */
export function refusedByDatabase(e: unknown): boolean {
  const { code, severity } = (e ?? {}) as { code?: unknown; severity?: unknown };
  return typeof severity === 'string' && typeof code === 'string' && !/^(08|53|57|58)/.test(code);
}

interface Waiter {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export class JournaledStore implements Store {
  readonly engine: Store['engine'];
  private readonly db: Database.Database;
  private readonly waiters = new Map<number, Waiter>();
  private pumping = false;
  private closed = false;
  private retry: Timer | undefined;
  private wake: (() => void) | undefined;
  /** The database did not answer the last attempt. */
  private away = false;

  private constructor(
    private readonly inner: Store,
    file: string,
    private readonly scheduler: Scheduler,
    private readonly log: Log,
    private readonly settings: JournalSettings,
  ) {
    this.engine = inner.engine;
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file, { timeout: 0 });
    try {
      this.db.pragma('locking_mode = EXCLUSIVE');
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL'); // a committed append survives a killed process
      this.db.exec(`CREATE TABLE IF NOT EXISTS writes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        body TEXT NOT NULL,       -- the Entry, as JSON
        attempts INTEGER NOT NULL DEFAULT 0,
        refused TEXT              -- set aside: why the database refused it
      )`);
    } catch (e) {
      this.db.close();
      if ((e as { code?: string }).code === 'SQLITE_BUSY') throw new Error(`the journal ${file} is in use by another process: give each process its own JOURNAL_PATH`);
      throw e;
    }
  }

  /** Opens (or creates) the journal file and replays what a previous run left in it. */
  static open(inner: Store, file: string, scheduler: Scheduler, log: Log, settings: JournalSettings = DEFAULT_JOURNAL): JournaledStore {
    const store = new JournaledStore(inner, file, scheduler, log, settings);
    const left = store.pending;
    if (left > 0) log(`journal: ${left} writes from before the last stop, replaying them`);
    store.pump();
    return store;
  }

  /** Writes in the journal not yet in the database (those set aside not counted). */
  get pending(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM writes WHERE refused IS NULL').get() as { n: number }).n;
  }

  /** Writes the database refused, set aside in the journal. */
  get setAside(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM writes WHERE refused IS NOT NULL').get() as { n: number }).n;
  }

  recordRound(r: RoundRecord): Promise<RecordedRound> {
    return this.append({ kind: 'round', record: r }) as Promise<RecordedRound>;
  }

  setClassStatus(classCode: string, status: ClassStatus): Promise<void> {
    return this.append({ kind: 'status', classCode, status }) as Promise<void>;
  }

  /** Stops replaying; what is not applied yet stays in the file for the next start. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.retry?.cancel();
    this.wake?.();
    const left = this.pending;
    if (left > 0) this.log(`journal: ${left} writes not in the database yet; kept for the next start of this process`);
    const closing = new Error('the server stopped before the database had this write; it is kept in the journal for the next start');
    for (const w of this.waiters.values()) w.reject(closing);
    this.waiters.clear();
    this.db.close();
    await this.inner.close();
  }

  // ── Straight to the database ──────────────────────────────────────────────

  createClass: Store['createClass'] = (...a) => this.inner.createClass(...a);
  getClass: Store['getClass'] = (...a) => this.inner.getClass(...a);
  openClassCodes: Store['openClassCodes'] = (...a) => this.inner.openClassCodes(...a);
  classExists: Store['classExists'] = (...a) => this.inner.classExists(...a);
  setLevels: Store['setLevels'] = (...a) => this.inner.setLevels(...a);
  addPlayer: Store['addPlayer'] = (...a) => this.inner.addPlayer(...a);
  players: Store['players'] = (...a) => this.inner.players(...a);
  removePlayer: Store['removePlayer'] = (...a) => this.inner.removePlayer(...a);
  teams: Store['teams'] = (...a) => this.inner.teams(...a);
  saveTeams: Store['saveTeams'] = (...a) => this.inner.saveTeams(...a);
  startMatch: Store['startMatch'] = (...a) => this.inner.startMatch(...a);
  roundCount: Store['roundCount'] = (...a) => this.inner.roundCount(...a);
  teamStandings: Store['teamStandings'] = (...a) => this.inner.teamStandings(...a);
  playerStandings: Store['playerStandings'] = (...a) => this.inner.playerStandings(...a);
  results: Store['results'] = (...a) => this.inner.results(...a);

  // ── The journal ───────────────────────────────────────────────────────────

  private append(entry: Entry): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    const seq = Number(this.db.prepare('INSERT INTO writes (body) VALUES (?)').run(JSON.stringify(entry)).lastInsertRowid);
    const applied = new Promise((resolve, reject) => this.waiters.set(seq, { resolve, reject }));
    this.pump();
    return applied;
  }

  private apply(entry: Entry): Promise<unknown> {
    switch (entry.kind) {
      case 'round':
        return this.inner.recordRound(entry.record);
      case 'status':
        return this.inner.setClassStatus(entry.classCode, entry.status);
    }
  }

  /** Applies the journal's writes in order, one at a time, until it is empty (one pump at a time). */
  private pump(): void {
    if (this.pumping || this.closed) return;
    this.pumping = true;
    void this.drain()
      .catch((e: unknown) => this.log(`journal: replay stopped: ${stackOf(e)}`))
      .finally(() => (this.pumping = false));
  }

  private async drain(): Promise<void> {
    let failures = 0;
    while (!this.closed) {
      const head = this.db.prepare('SELECT seq, body, attempts FROM writes WHERE refused IS NULL ORDER BY seq LIMIT 1').get() as { seq: number; body: string; attempts: number } | undefined;
      if (!head) return;
      let result: unknown;
      try {
        result = await this.apply(JSON.parse(head.body) as Entry);
      } catch (e) {
        if (this.closed) return;
        failures++;
        const wait = Math.min(this.settings.retryMaxMs, this.settings.retryMinMs * 2 ** Math.min(failures - 1, 16));
        if (refusedByDatabase(e)) {
          const attempts = head.attempts + 1;
          if (attempts >= this.settings.refusedAttempts) {
            this.db.prepare('UPDATE writes SET attempts = ?, refused = ? WHERE seq = ?').run(attempts, (e as Error).message, head.seq);
            this.log(`journal: the database refused write ${head.seq} ${attempts} times (${(e as Error).message}); set aside in the journal, the writes after it go on: ${head.body}`);
            this.settle(head.seq, undefined, e);
            continue;
          }
          this.db.prepare('UPDATE writes SET attempts = ? WHERE seq = ?').run(attempts, head.seq);
          this.log(`journal: the database refused write ${head.seq} (${(e as Error).message}); trying again in ${wait} ms`);
        } else if (!this.away) {
          this.away = true;
          this.log(`journal: the database is not reachable (${(e as Error).message}); ${this.pending} writes kept here, trying again every ${this.settings.retryMinMs}-${this.settings.retryMaxMs} ms`);
        }
        await this.sleep(wait);
        continue;
      }
      if (this.closed) return;
      if (this.away) this.log(`journal: the database is back; replaying ${this.pending} writes`);
      this.away = false;
      failures = 0;
      this.db.prepare('DELETE FROM writes WHERE seq = ?').run(head.seq);
      this.settle(head.seq, result);
    }
  }

  private settle(seq: number, result: unknown, error?: unknown): void {
    const waiter = this.waiters.get(seq);
    this.waiters.delete(seq);
    if (!waiter) return;
    if (error === undefined) waiter.resolve(result);
    else waiter.reject(error);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.retry = this.scheduler.after(ms, 'journal: trying the database again', resolve);
    });
  }
}
