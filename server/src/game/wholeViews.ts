/**
 * Whole views on request, paced per connection. A whole view is the largest message a room
 * sends (an attacker's, late in a busy round, is tens of kilobytes), and a browser asks for one
 * (`resync`, or by changing seats) only when it lost track of its view or its view changed
 * shape. Asked for in a loop, it once made the server send 684 MB in 20 s from one room. Each
 * connection gets a few at once and then one every couple of seconds; one asked for sooner is
 * sent when its turn comes, once, however many times it was asked for meanwhile — and it is
 * the view as it is then, so nothing is lost by waiting.
 */
import { RateLimiter } from '../validation/rateLimit.ts';
import type { Scheduler, Timer } from '../time/scheduler.ts';

/** Whole views a connection may have at once, then one per WHOLE_VIEW_INTERVAL_MS. */
export const WHOLE_VIEWS_AT_ONCE = 3;
export const WHOLE_VIEW_INTERVAL_MS = 2000;

export class WholeViewPacer {
  private readonly budget = new RateLimiter(WHOLE_VIEWS_AT_ONCE, 1000 / WHOLE_VIEW_INTERVAL_MS);
  private readonly waiting = new Map<string, Timer>();

  constructor(
    private readonly scheduler: Scheduler,
    private readonly label: string,
  ) {}

  /** Call `send` now if this connection's turn allows, else once when it does. */
  request(sessionId: string, send: () => void): void {
    if (this.waiting.has(sessionId)) return;
    const now = this.scheduler.now();
    if (this.budget.allow(sessionId, now)) return send();
    const timer = this.scheduler.after(this.budget.waitMs(sessionId, now), `${this.label}: a whole view`, () => {
      this.waiting.delete(sessionId);
      this.budget.allow(sessionId, this.scheduler.now());
      send();
    });
    this.waiting.set(sessionId, timer);
  }

  forget(sessionId: string): void {
    this.waiting.get(sessionId)?.cancel();
    this.waiting.delete(sessionId);
    this.budget.forget(sessionId);
  }

  dispose(): void {
    for (const timer of this.waiting.values()) timer.cancel();
    this.waiting.clear();
  }
}
