/** The words the panels use for the contract's codes. */
import type { Endpoint, Outcome, ParcelLook, Role } from '../shared.ts';
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
  secure: { icon: '✔', title: 'Secure', good: true },
  eavesdropped: { icon: '✘', title: 'Eavesdropped', good: false },
  tampered: { icon: '✂', title: 'Tampered', good: false },
  impersonated: { icon: '☠', title: 'Impersonated', good: false },
  attackDetected: { icon: '⚑', title: 'Attack detected', good: true },
  falseAlarm: { icon: '⚠', title: 'False alarm', good: false },
  timedOut: { icon: '○', title: 'Timed out', good: false },
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
