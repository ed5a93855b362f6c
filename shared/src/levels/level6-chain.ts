/**
 * Level 6 — Chain of trust: root → intermediate → bank (RFC 5280 §6), on level 4e's handshake
 * (TLS 1.2 with ECDHE). The root stays offline; the CA seat runs an intermediate the root
 * certified, and the bank must send that intermediate's certificate after its own.
 *
 * TLS 1.2 rather than 1.3: its Certificate message crosses the Wi-Fi in the clear, so the chain
 * — the subject of the level — is seen by every seat (Mallory at her tap, the projector, a
 * capture opened without keys), a missing intermediate shows as one certificate where two
 * belong, and Mallory can read the intermediate off the wire. ECDHE rather than RSA transport:
 * the forged certificate's own key must sign ServerKeyExchange, and she holds it, so every
 * signature on her path verifies and only the path's rules for issuers stop her.
 */
import { EVENTS_OFFERED } from '../basics/teaching-map.ts';
import { ATTACKER_BEHAVIOURS } from '../basics/roles.ts';
import { BOT_ATTACKS } from './bot-plans.ts';
import { certifiedTls } from './certified-https.ts';
import { ECDHE_MACHINES, ECDHE_TLS, LEVEL4E, SIGNING_KEY_CERTIFIED } from './level4e-ecdhe.ts';
import { LEVEL6_TEXTS } from './texts/level6-chain.ts';
import type { LevelModule } from './types.ts';

export const LEVEL6: LevelModule = {
  ...LEVEL4E,
  // Its machines made from its own PKI, as every level's are (4e's key exchange).
  ...certifiedTls(ECDHE_TLS, { issuer: 'intermediate', trustStore: 'root', certificateKey: SIGNING_KEY_CERTIFIED }, ECDHE_MACHINES),
  level: 7,
  /** The certified levels' events and a leaked key, revoked (its OCSP answer signed by the intermediate): the teacher's map lists them. */
  events: EVENTS_OFFERED[7],
  caPlays: true,
  checks: ['hsts', 'serverName', 'cipherSuite', 'issuer', 'signature', 'caFlag', 'caKeyUsage', 'pathLength', 'name', 'notExpired', 'notYetValid', 'keyUsage', 'extendedKeyUsage', 'serverKeyExchange', 'handshakeRecord', 'finished', 'record', 'domainControl'],
  // Her own certificate as a CA: she signs a bank.example certificate with her mallory.example key.
  personas: [...LEVEL4E.personas, 'signedWithOwnCertificate'],
  attacks: ATTACKER_BEHAVIOURS,
  botAttack: BOT_ATTACKS[7],
  // The leak event plays at 4, 4e and 5, where the key exchange is the lesson; here the chain is.
  longTermKey: { of: 'signingKey', name: "bank's signing key (ECDSA P-256)", leakEvent: false },
  texts: LEVEL6_TEXTS,
};
