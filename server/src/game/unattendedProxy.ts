/**
 * Mallory's proxy with nobody at it. An attacker who turned intercept on and then closed her tab
 * leaves packets held that nobody can forward, and the whole room would wait out the round's
 * timer. When nobody of the attacker seat has been connected for `unattendedSeatMs` (a reload
 * comes back sooner), or a bot takes the seat over mid-round (bots do not pick up a person's
 * half-made plan), the proxy lets go: intercept off, its held packets on their way. Teammates
 * still connected at the seat keep control; their panel asks them to forward or drop.
 */
import { TimerSlot, type Scheduler } from '../time/scheduler.ts';

export interface AttackerSeat {
  /** People hold the seat (connected or keeping it while they may reconnect). */
  people: number;
  /** Of those, connected now. */
  connected: number;
  /** The proxy intercepts, or holds packets. */
  holding: boolean;
}

export class UnattendedProxy {
  private readonly timer = new TimerSlot();
  private hadPeople = false;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly graceMs: number,
    private readonly label: string,
    /** Lets go of what the proxy holds (the engine's releaseUnattendedProxy). */
    private readonly release: () => void,
  ) {}

  /** After anything that changes who is at the attacker seat, or what its proxy holds. */
  check(seat: AttackerSeat): void {
    const handedToBot = this.hadPeople && seat.people === 0;
    this.hadPeople = seat.people > 0;
    if (!seat.holding || seat.connected > 0) return this.timer.clear();
    if (handedToBot) {
      this.timer.clear();
      return this.release();
    }
    if (seat.people > 0 && !this.timer.pending)
      this.timer.set(
        this.scheduler.after(this.graceMs, `${this.label}: nobody at the proxy`, () => {
          this.timer.fired();
          this.release();
        }),
      );
  }

  /** A new round (or none): whoever sat there before is no reason to let go now. */
  reset(people: number): void {
    this.timer.clear();
    this.hadPeople = people > 0;
  }

  dispose(): void {
    this.timer.clear();
  }
}
