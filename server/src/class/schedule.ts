/**
 * Match scheduling. Rooms pair two teams; in every pair one team defends (client, server, CA)
 * and the other attacks, and the sides swap every round, so each level is played once from
 * each side. Defenders rotate through the three defending seats from one defending turn to the
 * next, so every student plays every role over a match. Pure functions.
 */
import type { Level, LevelEvent, MatchStep, Role } from '@heist/shared';

export const DEFENDING_ROLES = ['client', 'server', 'ca'] as const satisfies readonly Role[];

export interface Pairing {
  teamA: string;
  /** null: the other side is played by bots (odd number of teams). */
  teamB: string | null;
}

export function pairTeams(teamIds: readonly string[]): Pairing[] {
  const pairs: Pairing[] = [];
  for (let i = 0; i < teamIds.length; i += 2) pairs.push({ teamA: teamIds[i]!, teamB: teamIds[i + 1] ?? null });
  return pairs;
}

export interface ScheduledRound {
  index: number;
  level: Level;
  /** The event the teacher picked for this step of the sequence, if any. */
  event?: LevelEvent;
  /** Which team of the pairing defends this round. */
  defending: 'A' | 'B';
}

/** Each step of the sequence twice, sides swapped: A defends, then B defends (a step is a level, or a level with an event). */
export function matchRounds(steps: readonly (Level | MatchStep)[]): ScheduledRound[] {
  return steps.flatMap((step, i) => {
    const { level, event } = typeof step === 'number' ? { level: step, event: undefined } : step;
    const played = event ? { level, event } : { level };
    return [
      { index: 2 * i, ...played, defending: 'A' as const },
      { index: 2 * i + 1, ...played, defending: 'B' as const },
    ];
  });
}

type DefendingRole = (typeof DEFENDING_ROLES)[number];

/**
 * The defending seat whose choices an event is about: a team too small for all three seats keeps
 * a student there (a bot in it would play the event's lesson for them). Events whose defenders
 * only follow their browser's or bank's setting name none.
 */
export const EVENT_SEATS: Partial<Record<LevelEvent, DefendingRole>> = {
  lookalikeDomain: 'client', // she reads the name she asked for
  rogueRoot: 'client', // she installs the café's root, or not
  hstsFirstVisit: 'client',
  hstsReturningVisit: 'client',
  hstsSubdomain: 'client', // she meets the stripped page, or goes straight to https://
  expiredCertificate: 'server', // the bank renews, or not
  earlyDataReplay: 'server', // the bank sets its ticket rule
  certificateTransparency: 'ca', // the CA signs into the log
  leakedKeyRevocation: 'ca', // the CA decides whether the request to revoke is the bank's
};

/**
 * Who sits where in a round. All attackers share the attacker seat; defenders are dealt
 * round the three defending seats starting at an offset that moves on each defending turn.
 * Seats nobody is dealt stay empty, and a bot plays them — never `keep`, the seat the round's
 * event is about, while a defender can take it.
 */
export function seatPlan(defenders: readonly string[], attackers: readonly string[], roundIndex: number, keep?: DefendingRole): Map<string, Role> {
  const plan = new Map<string, Role>();
  const turn = Math.floor(roundIndex / 2);
  defenders.forEach((id, j) => plan.set(id, DEFENDING_ROLES[(j + turn) % DEFENDING_ROLES.length]!));
  // The kept seat fell to a bot: the last defender dealt moves into it (the others keep their turn).
  const last = defenders.at(-1);
  if (keep && last !== undefined && ![...plan.values()].includes(keep)) plan.set(last, keep);
  for (const id of attackers) plan.set(id, 'attacker');
  return plan;
}

/**
 * Which browser the client seat has in round `index`: one that knows bank.example as
 * HTTPS-only (HSTS, a returning visitor) or a first visit, which asks http:// first — the only
 * one SSL stripping can work on. Each team meets both over its defending turns (rounds 0, 3, 4,
 * 7… a returning visitor; 1, 2, 5, 6… a first visit), so stripping can work in class.
 */
export function clientHasHsts(index: number): boolean {
  return index % 4 === 0 || index % 4 === 3;
}
