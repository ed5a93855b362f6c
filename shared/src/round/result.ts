/**
 * The referee's verdict on a round, as every seat receives it once the round is over: the
 * outcome, the points, and the debrief — which check caught or missed what, who knew which key,
 * and the reveals some events add (a leaked key, a flip without a tag, a quantum computer).
 */
import type { Level } from '../basics/levels.ts';
import type { Role } from '../basics/roles.ts';
import type { CheckName } from '../basics/checks.ts';
import type { Call } from '../basics/hidden-attacker.ts';

export const OUTCOMES = [
  'secure',
  'unprotected',
  'exposed',
  'eavesdropped',
  'tampered',
  'impersonated',
  'attackDetected',
  'misconfigured',
  'keyRefused',
  'falseAlarm',
  'timedOut',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface RoundResult {
  outcome: Outcome;
  /** One sentence for the scoreboard. */
  summary: string;
  points: Record<Role, number>;
  /** The debrief: which check caught or missed what, and who knew which key. */
  debrief: Debrief;
  /** A hidden-attacker match: the truth for this room, revealed with the result. */
  hiddenAttacker?: HiddenAttackerReveal;
}

/** The debrief's reveal in a hidden-attacker match (referee/hidden-attacker.ts). */
export interface HiddenAttackerReveal {
  present: boolean;
  /** The truth in the words every seat reads: there was an attacker (and how it went for her), or none. */
  headline: string;
  /** A room without an attacker: what the sitting-out seat called, and whether it was right. */
  call?: { verdict: Call; right: boolean };
}

/** One row of the debrief's check table: did the check flag a problem, and did its party stop because of it? */
export interface DebriefCheck {
  by: Role;
  check: CheckName;
  /** False when the check could not run because another failed first. */
  ran: boolean;
  /** The check failed (a check that could not run is not flagged). */
  flagged: boolean;
  /** The party stopped (aborted, refused, closed) because of it. */
  actedOn: boolean;
  /** Not run because the party decided without it (a CA that signed without fetching the challenge), rather than because another check failed first. */
  skipped?: boolean;
  detail: string;
}

/** The "server key leaked" event on this round's recording, beside the same leak at the other levels. */
export interface KeyLeak {
  opened: boolean;
  headline: string;
  text: string;
  /** Each level's leak; `quantum`: a row for the harvest event's quantum computer (years later, X25519 broken), not a leaked key. */
  compare: { level: Level; how: string; opens: boolean; thisRound: boolean; quantum?: string; name?: string }[];
  /** What still follows from the leak even when the recording stays shut. */
  afterword?: string;
}

/**
 * Where the attacker flipped bits in a record she could not read: the same flip on the same
 * record, sealed without a tag (AES-CTR) and with one (AES-GCM), each computed for real.
 */
export interface IntegrityCompare {
  /** Her guess of how the record ended, what she wanted there, and their XOR (hex). */
  flip: { known: string; wanted: string; mask: string };
  rows: { cipher: string; thisRound: boolean; accepted: boolean; result: string }[];
  moral: string;
}

/**
 * Harvest now, decrypt later: "years later" a quantum computer breaks X25519, and the game hands
 * the recording's owner the X25519 shared secret it would have computed — what that opens.
 */
export interface HarvestReveal {
  /** The section's title, and what in it is a story (the engine's words: the browser loads none of them). */
  title: string;
  fiction: string;
  /** The group the session's keys came from: "X25519" or "X25519MLKEM768". */
  group: string;
  hybrid: boolean;
  /** The X25519 shared secret handed over (hex): the stated fiction's gift, computed by the game, not broken. */
  x25519Secret: string;
  opened: boolean;
  /** The HTTP request the opened recording shows (PIN included), when it opens one. */
  request?: string;
  headline: string;
  text: string;
  /** The two key shares side by side; `thisRound` marks this round's. */
  rows: { keyShare: string; browser: string; hybrid: boolean; opens: boolean; why: string; thisRound: boolean }[];
}

export interface Debrief {
  checks: DebriefCheck[];
  keys: { key: string; knownBy: Role[] }[];
  notes: string[];
  /** When the level has a long-term key that can leak: what the attacker's recording of this round gives up. */
  serverKeyLeak?: KeyLeak;
  /** When the attacker flipped bits in a record: what that flip does without a tag and with one. */
  integrity?: IntegrityCompare;
  /** The harvest event: what the recording gives up once a quantum computer breaks X25519. */
  harvest?: HarvestReveal;
}
