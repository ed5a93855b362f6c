/** The four seats of a round, and how a bot plays each. Imports nothing: every layer may use these words. */
export const ROLES = ['client', 'server', 'ca', 'attacker'] as const;
export type Role = (typeof ROLES)[number];

/**
 * careful: Alice visited bank.example before, so her browser has it on its HSTS list (it goes
 * straight to https://), and she goes back at any failed check. careless: a first visit (no
 * HSTS: the browser asks http:// first), and she clicks through every warning.
 */
export const CLIENT_BEHAVIOURS = ['careful', 'careless'] as const;
export type ClientBehaviour = (typeof CLIENT_BEHAVIOURS)[number];
/**
 * standard: the bank as the game's rules describe it; where 0-RTT early data is read (the event
 * earlyDataReplay), its tickets are single-use (RFC 8446 §8.1). careless: the same, but it takes a
 * ticket as often as it comes, so a copy of a ClientHello's early data is read again; where a
 * Certificate Transparency log runs (the event certificateTransparency), it never looks at it.
 * shortLived: the standard bank, but its ACME client orders short-lived certificates (Let's
 * Encrypt's "shortlived" profile, 160 hours) with a new key each time; at the leaked-key event
 * the stolen key's certificate has run out before the round (round/events.ts).
 */
export const SERVER_BEHAVIOURS = ['standard', 'careless', 'shortLived'] as const;
export type ServerBehaviour = (typeof SERVER_BEHAVIOURS)[number];
export const CA_BEHAVIOURS = ['strict', 'sloppy'] as const;
export type CaBehaviour = (typeof CA_BEHAVIOURS)[number];
export const ATTACKER_BEHAVIOURS = [
  'none',
  'passive',
  'keySubstitution',
  'fakeCertificate',
  'fraudulentCsr',
  'tamper',
  'replay',
  'strip',
  'ownNameCertificate',
  'ownCertificateAsCa',
] as const;
export type AttackerBehaviour = (typeof ATTACKER_BEHAVIOURS)[number];

export interface BotBehaviours {
  client: ClientBehaviour;
  server: ServerBehaviour;
  ca: CaBehaviour;
  attacker: AttackerBehaviour;
}
