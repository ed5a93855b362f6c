/**
 * What the certified HTTPS levels (4, 4e and 5) have in common; each level module spreads it
 * and says the rest itself (its key exchange, TLS, PKI, checks, leak and machines).
 */
import { ATTACKER_BEHAVIOURS } from '../basics/roles.ts';
import { HTTPS_TOOLS } from './tools.ts';
import { LEVEL_EVENTS } from '../basics/events.ts';
import type { LevelModule } from './types.ts';

export const CERTIFIED_HTTPS = {
  /** The bank's encryption key is RSA-2048 wherever a certificate may carry it. */
  encryptionKeyType: 'rsa',
  protection: 'tls',
  caPlays: true,
  /** A first visit asks http:// before HTTPS, so stripping exists. */
  httpFirst: true,
  attackerTools: HTTPS_TOOLS,
  personas: ['ownKey', 'selfSignedCertificate', 'issuedCertificate', 'ownNameCertificate'],
  /** Her own certificate as a CA needs an intermediate to chain to: the chain-of-trust level adds it. */
  attacks: ATTACKER_BEHAVIOURS.filter((b) => b !== 'ownCertificateAsCa'),
  /** A look-alike name and an expired certificate need certificates and a name check: every certified level has them. */
  events: LEVEL_EVENTS,
  /** The client's Finished, before its first application record. */
  clientHandshakeRecords: 1,
} as const satisfies Partial<LevelModule>;
