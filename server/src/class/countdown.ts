/**
 * The countdown between two rounds of a class match: armed when every room has its result,
 * shown on every screen in whole seconds (`state.nextRoundIn`, -1 when none runs), frozen
 * where it stands while the match is paused or the teacher holds it, and firing the next round
 * when it reaches zero. Time comes from the Scheduler.
 */
import type { ServerContext } from '../context.ts';
import type { ClassState } from '../schema/ClassState.ts';
import { TimerSlot } from '../time/scheduler.ts';

export class Countdown {
  private readonly advanceTimer = new TimerSlot();
  private readonly tickTimer = new TimerSlot();
  /** Ms left before the next round starts by itself (kept while frozen); undefined: no countdown. */
  private leftMs: number | undefined;
  private endsAt = 0;

  constructor(
    private readonly code: string,
    private readonly ctx: ServerContext,
    private readonly state: ClassState,
  ) {}

  /** A countdown is set (running or frozen). */
  get armed(): boolean {
    return this.leftMs !== undefined;
  }

  /** It runs (it will fire unless frozen or cancelled). */
  get running(): boolean {
    return this.advanceTimer.pending;
  }

  /** Set it to `ms` (or to `ms` at most, if one is already set: a teacher's Next never waits longer). */
  arm(ms: number, atMost = false): void {
    if (!atMost || this.leftMs === undefined || this.leftMs > ms) this.leftMs = ms;
  }

  /** Runs (or resumes) it: `fire` when it reaches zero. */
  run(fire: () => void): void {
    const left = this.leftMs;
    if (left === undefined) return;
    this.endsAt = this.ctx.scheduler.now() + left;
    const tick = () => (this.state.nextRoundIn = Math.max(0, Math.ceil((this.endsAt - this.ctx.scheduler.now()) / 1000)));
    tick();
    this.tickTimer.set(this.ctx.scheduler.every(1000, `class ${this.code}: countdown`, tick));
    this.advanceTimer.set(this.ctx.scheduler.after(left, `class ${this.code}: advance`, fire));
  }

  /** Freezes it where it stands (pause, hold). */
  freeze(): void {
    if (this.leftMs !== undefined && this.advanceTimer.pending) this.leftMs = Math.max(0, this.endsAt - this.ctx.scheduler.now());
    this.stopTimers();
  }

  /** No countdown any more (the next round started, the match ended). */
  cancel(): void {
    this.stopTimers();
    this.leftMs = undefined;
    this.state.nextRoundIn = -1;
  }

  /** The timers stop; what is left is forgotten with the lobby (shutdown, dispose). */
  stopTimers(): void {
    this.advanceTimer.clear();
    this.tickTimer.clear();
  }
}
