/**
 * Plays a whole round with bots in every seat and no waiting: time jumps from one event to
 * the next. The scenario matrix, the benchmarks and demo replays use it; a seed replays a
 * round exactly.
 */
import { botAction } from '../bots/index.ts';
import { seededRng } from '../crypto/rng.ts';
import { applyAction, createRound, isOver, nextEventAt, tick, type Round, type RoundConfig } from './round.ts';
import { viewFor } from './views.ts';
import { DEFAULT_CONFIG } from '../round/state.ts';
import type { ActionError, BotBehaviours, Level, Role } from '../round/types.ts';

/** Bots set up in this order each moment, so the attacker's tools are ready before the client dials. */
export const BOT_ORDER: readonly Role[] = ['attacker', 'ca', 'server', 'client'];

export interface Simulation {
  round: Round;
  /** Actions bots tried that the round refused (a bot bug if ever non-empty). */
  refused: { role: Role; error: ActionError }[];
}

export function simulateRound(level: Level, bots: BotBehaviours, seed: string, overrides: Partial<RoundConfig> = {}): Simulation {
  const rng = seededRng(seed);
  const config: RoundConfig = { ...DEFAULT_CONFIG, latencyMs: 100, graceMs: 0, ...overrides, level, bots };
  const round = createRound(config, rng.fork('round'), 0);
  const refused: Simulation['refused'] = [];
  for (let step = 0; step < 1_000 && round.phase !== 'over'; step++) {
    playBots(round, bots, refused);
    if (isOver(round)) break;
    const at = nextEventAt(round);
    if (at === null) break;
    tick(round, at);
  }
  return { round, refused };
}

/**
 * Lets every bot act until all are quiet at this moment. A seat whose bot had no move is not
 * asked again (its view not built again) until an action is tried: a bot's move is a function of
 * its seat's view alone (bots/index.ts: no rng, no state of its own), and the view one of the
 * round, which nothing but an action changes here (the clock stands still; a refused action may
 * still have changed it, so any action counts). So the skipped view would be the same, and its
 * bot quiet again: the same moves, in the same order, for 1 view in 11 fewer (the scenario matrix:
 * 37,948 -> 34,604).
 */
export function playBots(round: Round, bots: BotBehaviours, refused: Simulation['refused'] = [], seats: readonly Role[] = BOT_ORDER): void {
  const quiet = new Set<Role>();
  for (let pass = 0; pass < 50; pass++) {
    let acted = false;
    for (const role of seats) {
      if (round.phase === 'over') return;
      if (quiet.has(role)) continue;
      const action = botAction(viewFor(round, role), bots);
      if (!action) {
        quiet.add(role);
        continue;
      }
      quiet.clear();
      const error = applyAction(round, role, action, round.now);
      if (error) refused.push({ role, error });
      else acted = true;
    }
    if (!acted) return;
  }
}
