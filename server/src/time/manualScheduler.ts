/**
 * A scheduler whose clock only moves when told to (like starwards' headless runner): tests
 * advance it, and every callback due by then runs in time order. Callbacks are guarded as the
 * real scheduler's are; what they log is kept in `errors` so a test can assert there were none.
 */
import { stackOf } from '../safety.ts';
import type { Scheduler, Timer } from './scheduler.ts';

interface Entry {
  at: number;
  seq: number;
  what: string;
  fn: () => void;
  every?: number;
  cancelled: boolean;
}

export class ManualScheduler implements Scheduler {
  private time: number;
  private seq = 0;
  private queue: Entry[] = [];
  readonly errors: string[] = [];

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  after(ms: number, what: string, fn: () => void): Timer {
    return this.push({ at: this.time + Math.max(0, ms), seq: this.seq++, what, fn, cancelled: false });
  }

  every(ms: number, what: string, fn: () => void): Timer {
    return this.push({ at: this.time + ms, seq: this.seq++, what, fn, every: Math.max(1, ms), cancelled: false });
  }

  /** Moves the clock forward by `ms`, running every callback that falls due on the way. */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const next = this.nextDue(until);
      if (!next) break;
      this.time = Math.max(this.time, next.at);
      this.run(next);
    }
    this.time = until;
  }

  /** Runs callbacks (advancing time) until `done()` holds, or fails after `limitMs` of game time. */
  advanceUntil(done: () => boolean, limitMs = 600_000, stepMs = 50): void {
    const deadline = this.time + limitMs;
    while (!done()) {
      if (this.time >= deadline) throw new Error(`condition not reached within ${limitMs} ms of scheduler time`);
      this.advance(stepMs);
    }
  }

  /** Callbacks still waiting (cancelled ones excluded). */
  get pending(): string[] {
    return this.queue.filter((e) => !e.cancelled).map((e) => e.what);
  }

  private push(entry: Entry): Timer {
    this.queue.push(entry);
    return { cancel: () => (entry.cancelled = true) };
  }

  private nextDue(until: number): Entry | undefined {
    this.queue = this.queue.filter((e) => !e.cancelled);
    let best: Entry | undefined;
    for (const e of this.queue) if (e.at <= until && (!best || e.at < best.at || (e.at === best.at && e.seq < best.seq))) best = e;
    return best;
  }

  private run(entry: Entry): void {
    if (entry.every) entry.at += entry.every;
    else entry.cancelled = true;
    try {
      entry.fn();
    } catch (e) {
      this.errors.push(`${entry.what} failed: ${stackOf(e)}`);
    }
  }
}
