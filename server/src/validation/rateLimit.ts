/**
 * A token bucket per key: `capacity` events at once, refilled at `perSecond`. Used for actions
 * (per client) and for join attempts (per address). Time is passed in, so tests need no clock.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly capacity: number,
    readonly perSecond: number,
  ) {}

  /** Spend `cost` tokens (one by default) for `key`; false when the bucket holds fewer. */
  allow(key: string, now: number, cost = 1): boolean {
    const b = this.refill(key, now);
    if (b.tokens < cost) return false;
    b.tokens -= cost;
    return true;
  }

  /** How long until `cost` tokens are there for `key` (0: now); spends nothing. */
  waitMs(key: string, now: number, cost = 1): number {
    const missing = cost - this.refill(key, now).tokens;
    return missing <= 0 ? 0 : Math.ceil((missing / this.perSecond) * 1000);
  }

  private refill(key: string, now: number): { tokens: number; at: number } {
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: this.capacity, at: now };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(this.capacity, b.tokens + ((Math.max(now, b.at) - b.at) / 1000) * this.perSecond);
    b.at = Math.max(now, b.at);
    return b;
  }

  forget(key: string): void {
    this.buckets.delete(key);
  }

  /** Drop full buckets so the map does not grow with every address ever seen. */
  sweep(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.perSecond >= this.capacity) this.buckets.delete(key);
    }
  }
}
