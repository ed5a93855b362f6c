/** Level 4e — One-time keys: TLS 1.2 with ECDHE (TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256), the server's share signed. */
import { EVENTS_OFFERED } from '../basics/teaching-map.ts';
import { findMessage, noTrial, openAll, type KeyTrial, type Recording } from '../attacker/recording.ts';
import { p256SharedSecret } from '../crypto/primitives.ts';
import { level4eClient, level4eServer } from '../handshake/level4e-ecdhe.ts';
import { recordedKeys, UNKNOWN_SUITE } from './tls12-recorded-keys.ts';
import { BOT_ATTACKS } from './bot-plans.ts';
import { LEVEL4E_TEXTS } from './texts/level4e-ecdhe.ts';
import { CERTIFIED_HTTPS, certifiedTls } from './certified-https.ts';
import type { LevelModule } from './types.ts';

const FORWARD_SECRECY =
  'no luck: the session keys came from one-time P-256 key shares (ECDHE) that both sides deleted after the handshake (forward secrecy); a long-term key cannot recreate them';

/** Only a one-time P-256 secret, with the other side's public share, recreates the pre-master secret; a long-term key opens nothing. */
function tryKey(r: Recording, key: Uint8Array): KeyTrial {
  const hello = findMessage(r, 'ClientHello', 'client');
  const serverHello = findMessage(r, 'ServerHello', 'server');
  const ske = findMessage(r, 'ServerKeyExchange', 'server');
  const kex = findMessage(r, 'ClientKeyExchange', 'client');
  if (!hello || !serverHello || !ske || !kex) return noTrial('the recording lacks the hellos or the key exchange: no session to open');
  for (const peerShare of [kex.ecdhPublic, ske.publicKey]) {
    let preMaster: Uint8Array;
    try {
      preMaster = p256SharedSecret(key, peerShare);
    } catch {
      continue; // not a P-256 secret (an RSA or X25519 key): it cannot even be tried
    }
    const keys = recordedKeys(r, preMaster);
    if (!keys) return noTrial(UNKNOWN_SUITE);
    const opened = openAll(r, keys.clientWrite, keys.serverWrite);
    if (opened.size > 0) return { opened, recovered: { 'pre-master secret (ECDHE)': preMaster, 'master secret': keys.masterSecret }, explanation: `that was a one-time ECDHE secret: ${opened.size} record(s) decrypted` };
  }
  return noTrial(FORWARD_SECRECY);
}

/** TLS 1.2 with ECDHE, the share signed with an ECDSA P-256 key: what 4e speaks, and the chain of trust on top of it. */
export const ECDHE_TLS = { version: '1.2', suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', groups: ['P-256'] } as const;
export const ECDHE_MACHINES = { client: level4eClient, server: level4eServer };
/** The bank's certificate carries its ECDSA P-256 signing key. */
export const SIGNING_KEY_CERTIFIED = { of: 'signingKey', keyType: 'p256', keyUsage: 'digitalSignature' } as const;

export const LEVEL4E: LevelModule = {
  ...CERTIFIED_HTTPS,
  ...certifiedTls(ECDHE_TLS, { issuer: 'root', trustStore: 'root', certificateKey: SIGNING_KEY_CERTIFIED }, ECDHE_MACHINES),
  level: 6,
  /** The certified levels' events and a leaked key, revoked (its OCSP answer in TLS 1.2's CertificateStatus): the teacher's map lists them. */
  events: EVENTS_OFFERED[6],
  keyExchange: 'ephemeral',
  checks: ['hsts', 'serverName', 'cipherSuite', 'issuer', 'signature', 'name', 'notExpired', 'notYetValid', 'keyUsage', 'extendedKeyUsage', 'serverKeyExchange', 'handshakeRecord', 'finished', 'record', 'domainControl'],
  // She can show the bank's certificate, but cannot sign a key share with its key: ServerKeyExchange exposes her.
  ownKeyShows: 'genuineCertificate',
  botAttack: BOT_ATTACKS[6],
  longTermKey: { of: 'signingKey', name: "bank's signing key (ECDSA P-256)", leakEvent: true },
  tryKey,
  texts: LEVEL4E_TEXTS,
};
