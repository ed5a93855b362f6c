/** What a seat has used, and has left, of each budget (budgets.ts declares them) this round. */
import { SEAT_LIMITS, type Budget } from './budgets.ts';
import type { Round } from './state.ts';
import type { Role } from './types.ts';

export * from './budgets.ts';

/** What `role` has used of each budget this round. */
export function used(round: Round, role: Role): Record<Budget, number> {
  const spent = round.spent[role];
  const a = round.attacker;
  const requests = role === 'attacker' ? a.csrsSent : role === 'server' ? round.server.csrsSent : 0;
  return {
    moves: spent.moves,
    injections: spent.injections,
    replays: spent.replays,
    edits: spent.edits,
    bytes: spent.bytes,
    certificateRequests: requests,
    keyTrials: role === 'attacker' ? a.keyTrials.length : 0,
    guesses: role === 'attacker' ? a.submissions.length : 0,
  };
}

export function left(round: Round, role: Role, budget: Budget): number {
  return Math.max(0, SEAT_LIMITS[budget] - used(round, role)[budget]);
}
