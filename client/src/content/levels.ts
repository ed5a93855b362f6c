/**
 * What the client says about roles and bot behaviours. The level texts the pages show (briefings,
 * steps) live in the shared level modules (shared/src/levels/texts), worded against the brief's
 * accuracy notes; they are re-exported here for the screens.
 */
import { BOT_ATTACKS, LEVEL_TEXTS, levelName, type BotBehaviours, type Level, type Role } from '../shared.ts';

export { LEVEL_TEXTS, levelName };
/** The level texts by number (title, concept, briefing…). */
export const LEVEL_INFO = LEVEL_TEXTS;

export const ROLE_INFO: Record<Role, { name: string; who: string }> = {
  client: { name: 'Client', who: 'Alice’s browser' },
  server: { name: 'Server', who: 'bank.example' },
  ca: { name: 'Certificate authority', who: 'Heist Root CA' },
  attacker: { name: 'Attacker', who: 'Mallory on the café Wi-Fi' },
};

export const BEHAVIOUR_LABELS: Record<string, string> = {
  careful: 'careful (has HSTS for bank.example from an earlier visit; aborts on a failed check)',
  careless: 'careless (first visit, no HSTS; clicks through warnings)',
  standard: 'standard (has bank.example certified with the right key; a ticket once; HSTS for a year, subdomains included)',
  strict: 'strict (fetches each challenge; signs only who controls the name)',
  sloppy: 'sloppy (signs anything, without looking)',
  none: 'none (no attacker)',
  passive: 'passive eavesdropper',
  keySubstitution: 'key substitution',
  fakeCertificate: 'fake certificate',
  fraudulentCsr: 'fraudulent CSR to the CA',
  tamper: 'tamper with messages',
  replay: 'replay old packets',
  strip: 'strip HTTPS (sslstrip)',
  ownNameCertificate: 'her own valid certificate, for mallory.example',
  ownCertificateAsCa: 'her own certificate used as a CA (level 6)',
};

/** Where two seats' bots share a behaviour's name (a careless Alice, a careless bank), the seat's own words. */
const SEAT_BEHAVIOUR_LABELS: Partial<Record<Role, Record<string, string>>> = {
  server: { careless: 'careless (takes a session ticket as often as it comes; HSTS for a month, or without its subdomains)', shortLived: 'short-lived certificates (6-day ones, a new key each time)' },
};

/** What the lobby calls a seat's bot behaviour. */
export function behaviourLabel(role: Role, behaviour: string): string {
  return SEAT_BEHAVIOUR_LABELS[role]?.[behaviour] ?? BEHAVIOUR_LABELS[behaviour] ?? behaviour;
}

/** Bots for a practice round: a careful client and strict CA, and the level's own attack. */
export function practiceBots(level: Level): Partial<BotBehaviours> {
  return { client: 'careful', server: 'standard', ca: 'strict', attacker: BOT_ATTACKS[level] };
}
