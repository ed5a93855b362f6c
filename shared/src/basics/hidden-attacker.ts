/**
 * Class play's hidden-attacker mode, in words every layer may use (this file imports nothing).
 * The teacher switches it on for a match. Each round, each room has an attacker or none, drawn
 * from the round's seed (round/hidden-attacker.ts), and its defenders are not told which: the
 * debrief reveals it. In a room without one the attacking team keeps its seat but is off the
 * Wi-Fi for the round; while the round prepares it *calls* what the defenders will do.
 */

/** The sitting-out team's call: the defenders complete an honest session, or abort it (a false alarm). */
export const CALLS = ['complete', 'abort'] as const;
export type Call = (typeof CALLS)[number];

/** A round of a hidden-attacker match: whether this room has an attacker. Only the referee, the attacker seat and the teacher's dashboard know it before the debrief. */
export interface HiddenAttacker {
  present: boolean;
}
