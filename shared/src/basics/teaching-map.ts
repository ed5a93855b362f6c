/**
 * The teacher's map (this file imports nothing but basics: every layer, the browser too, may use
 * it): the levels in teaching order, each with the events a teacher can switch on for it — the
 * one list the level modules (`LevelModule.events`), the class setup's map and the server's
 * checks of a match's sequence all read.
 */
import type { LevelEvent } from './events.ts';
import { LEVELS, type Level } from './levels.ts';

/** A look-alike name, an expired certificate and a rogue root need certificates and a name check: every certified level has them. */
export const CERTIFIED_EVENTS = ['lookalikeDomain', 'expiredCertificate', 'rogueRoot'] as const satisfies readonly LevelEvent[];

/** The events each level offers, in the order the map shows them. */
export const EVENTS_OFFERED: Readonly<Record<Level, readonly LevelEvent[]>> = {
  1: [],
  2: ['encryptionWithoutIntegrity'],
  3: [],
  // A first visit, where HSTS has nothing to remember yet: the preload list (at TLS 1.2 and 1.3; the same at 4e and 6).
  // A returning visit, where what HSTS remembered lasts only max-age (the bank's header decides it).
  // A leaked key's certificate revoked, and who checks: the OCSP answer stapled (TLS 1.2's CertificateStatus; TLS 1.3's certificate entry).
  4: [...CERTIFIED_EVENTS, 'hstsFirstVisit', 'hstsReturningVisit', 'hstsSubdomain', 'leakedKeyRevocation'],
  6: [...CERTIFIED_EVENTS, 'leakedKeyRevocation'],
  // TLS 1.3 talked down to 1.2 (its downgrade sentinel); TLS 1.3's X25519, and what a quantum computer one day makes of a recording of it;
  // its resumption with 0-RTT early data, and a copy of it. Certificate Transparency after the other CA events: a CA's mistake made visible.
  5: [...CERTIFIED_EVENTS, 'certificateTransparency', 'hstsFirstVisit', 'hstsReturningVisit', 'hstsSubdomain', 'leakedKeyRevocation', 'versionDowngrade', 'harvestNowDecryptLater', 'earlyDataReplay'],
  7: [...CERTIFIED_EVENTS, 'leakedKeyRevocation'],
};

/** One round of a class match's sequence, as the teacher picks it on the map: a level, and optionally an event for it. */
export interface MatchStep {
  level: Level;
  event?: LevelEvent;
}

/** The map, in teaching order: each level with its events. */
export const TEACHING_MAP: readonly { level: Level; events: readonly LevelEvent[] }[] = LEVELS.map((level) => ({ level, events: EVENTS_OFFERED[level] }));

/** Whether a level offers an event (a step of a sequence must be one the map shows). */
export function offersEvent(level: Level, event: LevelEvent): boolean {
  return EVENTS_OFFERED[level].includes(event);
}
