/**
 * Time for the server's game logic: what `now` is and when to call back. Rooms get the real
 * one; tests drive a ManualScheduler instead, so a whole class lesson runs in milliseconds
 * without sleeping. Every callback is guarded: a failing one is logged, never thrown into the
 * event loop (where it would take down every room of the process).
 */
import { stackOf, type Log } from '../safety.ts';

export interface Timer {
  cancel(): void;
}

export interface Scheduler {
  /** Real time in ms (Date.now for the real scheduler). */
  now(): number;
  /** Calls `fn` once after `ms`; `what` names it in the log if it fails. */
  after(ms: number, what: string, fn: () => void): Timer;
  /** Calls `fn` every `ms` until cancelled. */
  every(ms: number, what: string, fn: () => void): Timer;
}

/** Runs `fn`, logging (not throwing) whatever it throws or rejects with. */
function guarded(log: Log, what: string, fn: () => unknown): void {
  try {
    const result = fn();
    if (result instanceof Promise) result.catch((e: unknown) => log(`${what} failed: ${stackOf(e)}`));
  } catch (e) {
    log(`${what} failed: ${stackOf(e)}`);
  }
}

export class RealScheduler implements Scheduler {
  constructor(private readonly log: Log) {}

  now(): number {
    return Date.now();
  }

  after(ms: number, what: string, fn: () => void): Timer {
    const handle = setTimeout(() => guarded(this.log, what, fn), Math.max(0, ms));
    return { cancel: () => clearTimeout(handle) };
  }

  every(ms: number, what: string, fn: () => void): Timer {
    const handle = setInterval(() => guarded(this.log, what, fn), ms);
    return { cancel: () => clearInterval(handle) };
  }
}

/**
 * `fn` again `ms` after each run ends (runs never overlap, however long one takes); what it
 * throws or rejects with is logged, and the loop goes on until cancelled.
 */
export function repeat(scheduler: Scheduler, ms: number, what: string, log: Log, fn: () => Promise<void> | void): Timer {
  let timer: Timer | undefined;
  let stopped = false;
  const next = (): void => {
    if (!stopped) timer = scheduler.after(ms, what, () => void run());
  };
  const run = async (): Promise<void> => {
    try {
      await fn();
    } catch (e) {
      log(`${what} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    next();
  };
  next();
  return {
    cancel: () => {
      stopped = true;
      timer?.cancel();
    },
  };
}

/** A timer slot that holds at most one pending callback: setting it again replaces the old one. */
export class TimerSlot {
  private timer: Timer | undefined;

  set(timer: Timer): void {
    this.timer?.cancel();
    this.timer = timer;
  }

  get pending(): boolean {
    return this.timer !== undefined;
  }

  clear(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Call from inside the callback, so `pending` is false while it runs. */
  fired(): void {
    this.timer = undefined;
  }
}
