/**
 * Demo mode: four bots play by themselves, one level after another in the game's order
 * (1, 2, 3, 4, 4e, 5), each with the attack its level module says the bots play, for as long
 * as anyone watches. Whoever opened the demo may pause it and change its speed; nothing else.
 */
import { LEVELS, levelModule, type BotBehaviours, type Level } from '@heist/shared';
import { DEFAULT_BOTS } from './bots.ts';

export const DEMO_LEVELS: readonly Level[] = LEVELS;

export class DemoTour {
  private step = 0;

  /** The next round's level and bots. */
  next(): { level: Level; bots: BotBehaviours } {
    // An index modulo the list's length is in the list.
    const level = DEMO_LEVELS[this.step++ % DEMO_LEVELS.length]!;
    return { level, bots: { ...DEFAULT_BOTS, attacker: levelModule(level).botAttack } };
  }
}
