/**
 * The one points table: per outcome and role, plus the CA's points per decision. Shown in
 * the game (scoreboard and rules page) exactly as written here.
 */
import type { Role } from '../basics/roles.ts';
import type { Outcome } from '../round/result.ts';

export const OUTCOME_POINTS: Readonly<Record<Outcome, Readonly<Record<Role, number>>>> = {
  secure: { client: 3, server: 3, ca: 2, attacker: 0 },
  // Came through unharmed, but only because nobody attacked: the level protected nothing.
  unprotected: { client: 1, server: 1, ca: 0, attacker: 0 },
  // She held the keys and could read everything, without proving it: less than eavesdropped.
  exposed: { client: 0, server: 0, ca: 0, attacker: 3 },
  attackDetected: { client: 4, server: 4, ca: 2, attacker: 1 },
  eavesdropped: { client: 0, server: 0, ca: 0, attacker: 5 },
  tampered: { client: 0, server: 0, ca: 0, attacker: 5 },
  impersonated: { client: 0, server: 0, ca: 0, attacker: 6 },
  // The bank had the wrong certificate certified: Alice's browser was right to stop; the fault is the bank's.
  misconfigured: { client: 2, server: -2, ca: 0, attacker: 0 },
  // Level 3: Alice would not use a bare key nothing vouched for — right, though nobody had swapped it (an unverified SSH host key).
  keyRefused: { client: 1, server: 0, ca: 0, attacker: 0 },
  falseAlarm: { client: -1, server: -1, ca: 0, attacker: 2 },
  timedOut: { client: 0, server: 0, ca: 0, attacker: 1 },
};

/** The CA scores for each request it decides; a mis-issued certificate costs heavily. */
export const CA_DECISION_POINTS = {
  signedGenuine: 1,
  refusedFraud: 3,
  misIssued: -8,
  refusedGenuine: -2,
  /** The leaked-key event: the bank's genuine request to revoke its old certificate, answered. */
  revokedLeakedKey: 1,
  refusedRevocation: -4,
} as const;

/** The Certificate Transparency event: the bank's log monitor spotted a certificate for its name it never asked for (whatever the outcome: the first use is not stopped). */
export const CT_MONITOR_POINTS = { spotted: 3 } as const;

/**
 * A hidden-attacker match (referee/hidden-attacker.ts): the attacker seat's points where they
 * differ from OUTCOME_POINTS; the defenders score by OUTCOME_POINTS as always.
 */
export const HIDDEN_ATTACKER_POINTS = {
  /** She wins only by staying unnoticed: a detected attack scores her nothing (OUTCOME_POINTS gives 1 for trying). */
  attackDetected: 0,
  /** No attacker in the room: the sitting-out seat's call of what the defenders would do. */
  rightCall: 2,
  wrongCall: 0,
} as const;

export const OUTCOME_TITLES: Readonly<Record<Outcome, string>> = {
  secure: 'Secure',
  unprotected: 'Unharmed, not secure',
  exposed: 'Exposed',
  eavesdropped: 'Eavesdropped',
  tampered: 'Tampered',
  impersonated: 'Impersonated',
  attackDetected: 'Attack detected',
  misconfigured: 'Wrong certificate',
  keyRefused: 'Refused an unverifiable key',
  falseAlarm: 'False alarm',
  timedOut: 'Timed out',
};
