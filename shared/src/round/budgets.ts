/**
 * What one seat may add to a round, at most — declared once. Every view carries what the seat
 * added (a 4 KB packet injected reaches the bank's view, the attacker's and the referee's), so
 * without a bound one attacker could grow every view of her room without end. `allowed.ts`
 * refuses a move past a limit with the words below; the attacker's view shows what is left.
 * The words alone (imports nothing); limits.ts counts what a seat has used of each.
 */
export const BUDGETS = ['moves', 'injections', 'replays', 'edits', 'bytes', 'certificateRequests', 'keyTrials', 'guesses'] as const;
export type Budget = (typeof BUDGETS)[number];

/** Per seat, per round. */
export const SEAT_LIMITS: Readonly<Record<Budget, number>> = {
  /** Accepted actions of any kind (a person clicks a few dozen times in a round; a script would not stop). */
  moves: 300,
  injections: 20,
  replays: 20,
  /** Field or byte edits of held packets. */
  edits: 30,
  /** Bytes she puts on the wire herself: injected, replayed and edited packets together. */
  bytes: 32 * 1024,
  certificateRequests: 3,
  keyTrials: 30,
  /** PIN guesses: the referee's "prove it" allows three. */
  guesses: 3,
};

/** How the game names each budget to players: "3 of 20 injections left", "at most 20 injected packets per round". */
export const BUDGET_WORDS: Readonly<Record<Budget, { left: string; limit: string }>> = {
  moves: { left: 'moves', limit: 'moves' },
  injections: { left: 'injections', limit: 'injected packets' },
  replays: { left: 'replays', limit: 'replayed packets' },
  edits: { left: 'edits', limit: 'edits of held packets' },
  bytes: { left: 'bytes', limit: 'bytes of your own on the wire (injected, replayed or edited)' },
  certificateRequests: { left: 'certificate requests', limit: 'certificate requests to the CA' },
  keyTrials: { left: 'key trials', limit: 'keys tried' },
  guesses: { left: 'guesses', limit: 'PIN guesses' },
};

/** A value per budget, each written out (no cast). */
export function perBudget<T>(f: (budget: Budget) => T): Record<Budget, T> {
  return {
    moves: f('moves'),
    injections: f('injections'),
    replays: f('replays'),
    edits: f('edits'),
    bytes: f('bytes'),
    certificateRequests: f('certificateRequests'),
    keyTrials: f('keyTrials'),
    guesses: f('guesses'),
  };
}

/** The refusal once a budget is spent, naming the limit. */
export function limitWords(budget: Budget): string {
  return `at most ${SEAT_LIMITS[budget]} ${BUDGET_WORDS[budget].limit} per round`;
}

/** What a seat adds by itself: counted as it happens. */
export interface Spent {
  moves: number;
  injections: number;
  replays: number;
  edits: number;
  bytes: number;
}

export function nothingSpent(): Spent {
  return { moves: 0, injections: 0, replays: 0, edits: 0, bytes: 0 };
}
