/**
 * The room's game time. The rules engine only ever sees this clock, so the host (or the
 * teacher) can slow the network down or pause it: packets, bots and the round timer all stop.
 */
export class GameClock {
  private anchorGame: number;
  private anchorReal: number;
  private rate = 1;

  constructor(private readonly realNow: () => number = Date.now) {
    this.anchorReal = realNow();
    this.anchorGame = this.anchorReal;
  }

  now(): number {
    return this.anchorGame + (this.realNow() - this.anchorReal) * this.rate;
  }

  get speed(): number {
    return this.rate;
  }

  setSpeed(speed: number): void {
    this.anchorGame = this.now();
    this.anchorReal = this.realNow();
    this.rate = speed;
  }

  /** Real milliseconds until game time `at`; null while paused. */
  realDelayUntil(at: number): number | null {
    if (this.rate === 0) return null;
    return Math.max(0, (at - this.now()) / this.rate);
  }

  /** Real milliseconds for a game-time duration; null while paused. */
  realDuration(gameMs: number): number | null {
    return this.rate === 0 ? null : gameMs / this.rate;
  }
}
