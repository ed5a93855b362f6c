/** The words the panels use for the contract's codes. */
import { OUTCOME_TITLES, type Endpoint, type Outcome, type ParcelLook, type Role } from '../shared.ts';
import { ROLE_INFO } from '../content/levels.ts';

export const LOOK_WORDS: Record<ParcelLook, string> = {
  postcard: '✉ postcard (readable)',
  lockedBox: '■ locked box (encrypted)',
  sealed: '✍ sealed (signed)',
};

export function endpointName(e: Endpoint): string {
  return e === 'attacker' ? 'Mallory' : e === 'client' ? 'Alice' : e === 'server' ? 'bank' : 'CA';
}

export function roleName(role: Role): string {
  return ROLE_INFO[role].name;
}

export const OUTCOME_WORDS: Record<Outcome, { icon: string; title: string; good: boolean }> = {
  secure: { icon: '✔', title: OUTCOME_TITLES.secure, good: true },
  eavesdropped: { icon: '✘', title: OUTCOME_TITLES.eavesdropped, good: false },
  tampered: { icon: '✂', title: OUTCOME_TITLES.tampered, good: false },
  impersonated: { icon: '☠', title: OUTCOME_TITLES.impersonated, good: false },
  attackDetected: { icon: '⚑', title: OUTCOME_TITLES.attackDetected, good: true },
  falseAlarm: { icon: '⚠', title: OUTCOME_TITLES.falseAlarm, good: false },
  timedOut: { icon: '○', title: OUTCOME_TITLES.timedOut, good: false },
};

export const STATUS_WORDS: Record<string, string> = {
  idle: 'Not connected',
  handshaking: 'Handshake in progress…',
  awaitingDecision: 'Your decision is needed',
  established: 'Secure session established',
  done: 'Done',
  aborted: 'Aborted',
  failed: 'Failed',
};

/**
 * The handshake status in words, honest about the level: below level 4 an "established" session
 * is encrypted at best, and nothing proved who is at the other end.
 */
export function statusWords(status: string, level: number): string {
  if (status === 'established' && level === 1) return 'Connected (plain HTTP: readable by anyone on the way)';
  if (status === 'established' && level < 4) return 'Session established (encrypted, but nothing proved who holds the other end)';
  return STATUS_WORDS[status] ?? status;
}
