/**
 * A class's writes to the store, in the order things happened. The lobby changes at once in
 * memory; what must survive a restart goes through here. Writes the teacher must hear fail
 * about are awaited (`writeOrFail`); the others are logged when they fail. Rounds' results and
 * the class's status are written without anybody waiting (with PostgreSQL through this
 * process's journal, persistence/journal.ts): the dashboard's status follows only once every
 * write before it is made, and a result the store has not taken after a second is counted as
 * waiting for the database (`state.unsaved`).
 */
import type { ServerContext } from '../context.ts';
import type { ClassStatus, RecordedRound, RoundRecord } from '../persistence/store.ts';
import type { ClassState } from '../schema/ClassState.ts';

/** A result the store has not taken after this long counts on the dashboard as waiting for the database. */
const UNSAVED_AFTER_MS = 1000;

export class ClassWrites {
  /** Writes to the store, one after another, in the order things happened. */
  private writes: Promise<void> = Promise.resolve();
  /** Results and statuses written (or failed) so far, in order: the dashboard's status waits for them. */
  private recorded: Promise<void> = Promise.resolve();

  constructor(
    private readonly code: string,
    private readonly ctx: ServerContext,
    private readonly state: ClassState,
  ) {}

  /** Resolves once every write so far has been made (or has failed and been logged). */
  async settled(): Promise<void> {
    await Promise.all([this.writes, this.recorded]);
  }

  /** Queue a write; a failure is logged (the lobby carries on: what it shows is still right). Resolves once it is done. */
  write(what: string, op: () => Promise<unknown>): Promise<void> {
    this.writes = this.writes.then(op).then(
      () => undefined,
      (e: unknown) => this.ctx.log(`class ${this.code}: ${what} failed: ${(e as Error)?.stack ?? e}`),
    );
    return this.writes;
  }

  /** Queue a write after those before it, and before any after it; its failure is the caller's to tell. */
  async writeOrFail(op: () => Promise<unknown>): Promise<void> {
    const done = this.writes.then(op);
    this.writes = done.then(
      () => undefined,
      () => undefined,
    );
    await done;
  }

  /**
   * The status is written at once, and shown on the dashboard once every write before it is
   * made: a match shown as ended has every one of its results in the store (and in the CSV).
   */
  status(status: ClassStatus): void {
    const written = this.ctx.store.setClassStatus(this.code, status).catch((e: unknown) => this.ctx.log(`class ${this.code}: status ${status} failed: ${(e as Error)?.stack ?? e}`));
    this.recorded = Promise.all([this.recorded, written]).then(() => void (this.state.status = status));
  }

  /**
   * A round's record, written at once (in the order of the journal) and counted on the
   * dashboard while the database does not have it; `then` hears what the store kept, and
   * `afterwards` is queued before the dashboard moves on (the leaderboard, so a match shown as
   * ended shows its points).
   */
  record(what: string, record: RoundRecord, then: (stored: RecordedRound) => void, afterwards: () => Promise<unknown>): void {
    let counted = false;
    const slow = this.ctx.scheduler.after(UNSAVED_AFTER_MS, `class ${this.code}: unsaved`, () => {
      counted = true;
      this.state.unsaved++;
    });
    const written = this.ctx.store.recordRound(record).then(
      (stored) => {
        then(stored);
        return this.write('the leaderboard', afterwards);
      },
      (e: unknown) => this.ctx.log(`class ${this.code}: recording ${what} failed: ${(e as Error)?.stack ?? e}`),
    );
    const done = written.finally(() => {
      slow.cancel();
      if (counted) this.state.unsaved--;
    });
    this.recorded = Promise.all([this.recorded, done]).then(() => undefined);
  }
}
