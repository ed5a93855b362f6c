/** Level 3 — Two keys: a session key sealed to a bare public key that nothing vouches for. */
import { findMessage, noTrial, sessionKeyTrial, type Recording } from '../attacker/recording.ts';
import { x25519KeyPair } from '../crypto/primitives.ts';
import { openSealed } from '../crypto/seal.ts';
import { LEVEL3_SEAL_INFO, level3Client, level3Server } from '../handshake/level3-public-key.ts';
import { clientSide, serverSide } from '../handshake/machine.ts';
import { LEVEL3_TEXTS } from './texts/level3-two-keys.ts';
import { PROXY_TOOLS } from './tools.ts';
import { BOT_ATTACKS } from './bot-plans.ts';
import type { LevelModule } from './types.ts';

/** The bank's private key opens the sealed session key; the session key itself opens the records. */
function tryKey(r: Recording, key: Uint8Array) {
  const kex = findMessage(r, 'SealedKey', 'client');
  const unwrapped = kex ? openSealed(x25519KeyPair(key), kex.ephemeralPublicKey, kex.nonce, kex.sealedSecret, LEVEL3_SEAL_INFO) : null;
  const sessionKey = unwrapped ?? key;
  const opened = sessionKeyTrial(r, sessionKey);
  if (opened.size === 0) return noTrial('this key neither opens the key exchange nor any record');
  return {
    opened,
    recovered: { 'AES-256 session key': sessionKey },
    explanation: unwrapped ? `opened the sealed session key with that private key, then ${opened.size} record(s)` : `the key opened ${opened.size} record(s)`,
  };
}

export const LEVEL3: LevelModule = {
  level: 3,
  keyExchange: 'transport',
  encryptionKeyType: 'x25519',
  protection: 'unauthenticatedKey',
  caPlays: false,
  httpFirst: false,
  checks: ['keyExchange', 'record', 'sequence'],
  attackerTools: PROXY_TOOLS,
  personas: ['ownKey'],
  ownKeyShows: 'bareKey',
  attacks: ['none', 'passive', 'keySubstitution', 'fakeCertificate', 'tamper', 'replay'],
  botAttack: BOT_ATTACKS[3],
  longTermKey: { of: 'encryptionKey', name: "bank's private key (X25519)", leakEvent: false },
  clientHandshakeRecords: 0,
  client: clientSide(level3Client),
  server: serverSide(level3Server),
  tryKey,
  texts: LEVEL3_TEXTS,
};
