/**
 * Bots in the seats nobody holds. They take turns, one move at a time after a human-like pause,
 * in the engine's BOT_ORDER (the attacker sets up her tools before the client dials, as in the
 * engine's simulations); re-planned after every change, quiet when no bot has anything to do.
 * A bot attacker is already on the Wi-Fi when a round opens: her setup moves happen at once.
 */
import { BOT_ORDER, applyAction, botAction, viewFor, type BotBehaviours, type Rng, type Role, type Round } from '@heist/shared';
import { TimerSlot, type Scheduler } from '../time/scheduler.ts';
import type { GameClock } from './clock.ts';

/** How bots play a room's seats until the host (or the teacher's plan, or the demo) says otherwise. */
export const DEFAULT_BOTS: BotBehaviours = { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' };

/** What the bots need to know of the room, and whom they tell when they moved. */
export interface BotTable {
  /** The round being played (null: none, so the bots rest). */
  playing(): Round | null;
  behaviours(): BotBehaviours;
  isBot(role: Role): boolean;
  /** A bot moved: the room tells everyone, and plans the next wake. */
  moved(): void;
  log(line: string): void;
}

/** Setup moves a bot attacker makes at once when a round opens, at the most. */
const SETUP_MOVES = 5;

export class BotPlayer {
  private readonly timer = new TimerSlot();

  constructor(
    private readonly table: BotTable,
    private readonly scheduler: Scheduler,
    private readonly clock: GameClock,
    private readonly rng: Rng,
    /** A bot's thinking time before each move, in game ms: from, to. */
    private readonly delayMs: readonly [number, number],
    private readonly label: string,
  ) {}

  /**
   * A bot attacker's setup (intercept, substitution, stripping, a certificate request) as the
   * round opens, not after a pause that a quick human client would beat.
   */
  setUp(): void {
    const round = this.table.playing();
    if (!round || !this.table.isBot('attacker')) return;
    for (let i = 0; i < SETUP_MOVES; i++) {
      const action = botAction(viewFor(round, 'attacker'), this.table.behaviours(), this.rng);
      if (!action || applyAction(round, 'attacker', action, this.clock.now())) return;
    }
  }

  /** The next move, after a pause, unless one is planned already, the game is paused, or no seat is a bot's. */
  schedule(): void {
    if (!this.table.playing() || this.clock.speed === 0 || this.timer.pending) return;
    if (!BOT_ORDER.some((role) => this.table.isBot(role))) return;
    const [min, max] = this.delayMs;
    const delay = this.clock.realDuration(min + this.rng.int(Math.max(1, max - min + 1)));
    if (delay === null) return;
    this.timer.set(
      this.scheduler.after(delay, `${this.label}: bot`, () => {
        this.timer.fired();
        this.move();
      }),
    );
  }

  /** Forget the planned move (the speed changed, the round ended). */
  clear(): void {
    this.timer.clear();
  }

  private move(): void {
    const round = this.table.playing();
    if (!round) return;
    for (const role of BOT_ORDER) {
      if (!this.table.isBot(role)) continue;
      const action = botAction(viewFor(round, role), this.table.behaviours(), this.rng);
      if (!action) continue;
      const rejected = applyAction(round, role, action, this.clock.now());
      if (rejected) {
        this.table.log(`${this.label}: ${role} bot's ${action.type} rejected: ${rejected.code} ${rejected.message}`);
        continue;
      }
      return this.table.moved();
    }
    // Nothing to do until something changes.
  }
}
