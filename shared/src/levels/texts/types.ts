/**
 * Everything a level says to players and teachers. Kept apart from the level's machines so the
 * browser can show briefings without loading any cryptography.
 */
import type { Role } from '../../basics/roles.ts';

/** What the browser shows of a level: its name, briefing, steps and the words of its screens. */
export interface LevelPageTexts {
  /** What players call the level: its number, or "4e" (the ids are numbers: basics/levels.ts LEVELS). */
  label: string;
  title: string;
  concept: string;
  /** At most 80 words in `summary` + `firstSteps` together, for a 15-year-old; the depth goes in `more`. */
  briefing: {
    summary: string;
    /** Each role's first move (the attacker's named explicitly). */
    firstSteps: Record<Role, string>;
    /** Shown folded, under "More". */
    more: string[];
  };
  /** The handshake in order, as the briefing's "more" lists it. */
  steps: string[];
  /** The client panel's line before any check has run. */
  noChecksYet: string;
  /** What the network map calls the CA seat's node, where the seat runs an intermediate rather than the root. */
  caNode?: { label: string; caption: string };
}

/**
 * What only the server says of a level, in the referee's debrief and the packet inspector's views:
 * the browser receives these already written, so its bundle leaves them out (client/src/shared.ts).
 */
export interface LevelServerTexts {
  /** Said in the debrief of every round at this level. */
  debriefNote: string;
  /** Levels without protection: why a round that came through unharmed was still not secure. */
  unprotected?: string;
  /** What a TLS-framed record at this level is, as the packet inspector says it: TLS itself, or the game's own construction. */
  wire: string;
  /** What the inspector says an encrypted record's fragment is at this level (its first bytes differ: a sequence number, an explicit nonce, nothing). */
  recordFragment?: string;
  /** Levels with the key-leak event: how the session keys are made, for the comparison table, and what still follows from a leak. */
  leak?: { how: string; afterword?: string };
}

export type LevelTexts = LevelPageTexts & LevelServerTexts;
