/**
 * Messages to one other room (a class lobby's commands to a game room, a game room's reports
 * to its lobby), which may run on another process: delivered one after another, in the order
 * sent, each tried again until it is answered. Every attempt has a deadline (remote.ts), so
 * a Redis that is down or hangs delays the line, never wedges it. A message is given up when
 * it is no longer wanted (the room it was for is gone), after `giveUpMs`, or when the courier
 * stops (the process shuts down); the receiver must take a message twice as once (a lost
 * answer means a second delivery), which the match messages do (class/matchLink.ts).
 */
import { stackOf, type Log } from '../safety.ts';
import type { Scheduler, Timer } from '../time/scheduler.ts';

export interface CourierSettings {
  /** Wait before trying again: `retryMs`, growing by as much each time, at most `retryMaxMs`. */
  retryMs: number;
  retryMaxMs: number;
  /** A message is given up this long after its first attempt. */
  giveUpMs: number;
}

export const DEFAULT_COURIER: CourierSettings = { retryMs: 250, retryMaxMs: 2000, giveUpMs: 10 * 60_000 };

export class Courier {
  private line: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private queued = 0;
  private readonly waits = new Set<{ timer: Timer; wake: () => void }>();

  constructor(
    /** Who is talking to whom, for the log. */
    private readonly what: string,
    private readonly scheduler: Scheduler,
    private readonly log: Log,
    private readonly settings: CourierSettings = DEFAULT_COURIER,
  ) {}

  /** Resolves to the answer, or to undefined if the message was given up. */
  send<T>(label: string, attempt: () => Promise<T>, wanted: () => boolean = () => true): Promise<T | undefined> {
    this.queued++;
    const sent = this.line.then(() => this.deliver(label, attempt, wanted)).finally(() => this.queued--);
    this.line = sent;
    return sent;
  }

  /** Messages sent and not yet delivered nor given up. */
  get pending(): number {
    return this.queued;
  }

  /** Everything sent so far has been delivered or given up. */
  idle(): Promise<void> {
    return this.line.then(() => undefined);
  }

  /** Gives up every message not yet delivered (each waiting one at once). */
  stop(): void {
    this.stopped = true;
    for (const w of this.waits) {
      w.timer.cancel();
      w.wake();
    }
    this.waits.clear();
  }

  private async deliver<T>(label: string, attempt: () => Promise<T>, wanted: () => boolean): Promise<T | undefined> {
    const giveUpAt = this.scheduler.now() + this.settings.giveUpMs;
    for (let failures = 0; !this.stopped; ) {
      try {
        const answer = await attempt();
        if (failures > 0) this.log(`${this.what}: ${label} delivered after ${failures} failed attempts`);
        return answer;
      } catch (e) {
        failures++;
        if (failures === 1) this.log(`${this.what}: ${label} failed (${e instanceof Error ? e.message : stackOf(e)}); trying again`);
        if (this.stopped || !wanted() || this.scheduler.now() >= giveUpAt) break;
        await this.pause(Math.min(this.settings.retryMaxMs, this.settings.retryMs * failures));
      }
    }
    this.log(`${this.what}: ${label} given up`);
    return undefined;
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wait = { timer: this.scheduler.after(ms, `${this.what}: waiting to try again`, () => done()), wake: () => resolve() };
      const done = () => {
        this.waits.delete(wait);
        resolve();
      };
      this.waits.add(wait);
    });
  }
}
