/** Level 4 — Certified: TLS 1.2 style, RSA-like key transport to a certificate's key. */
import { findMessage, noTrial, openAll, type Recording } from '../attacker/recording.ts';
import { x25519KeyPair } from '../crypto/primitives.ts';
import { openSealed } from '../crypto/seal.ts';
import { LEVEL4_SEAL_INFO, level4Client, level4Keys, level4Server } from '../handshake/level4-tls12.ts';
import { clientSide, serverSide } from '../handshake/machine.ts';
import { ATTACKER_BEHAVIOURS } from '../round/types.ts';
import { LEVEL4_TEXTS } from './texts/level4-tls12.ts';
import { HTTPS_TOOLS } from './tools.ts';
import { BOT_ATTACKS } from './bot-plans.ts';
import type { LevelModule } from './types.ts';

/** With the bank's private key: open the pre-master secret, and with the public randoms, every session key. */
function tryKey(r: Recording, key: Uint8Array) {
  const hello = findMessage(r, 'ClientHello', 'client');
  const serverHello = findMessage(r, 'ServerHello', 'server');
  const kex = findMessage(r, 'ClientKeyExchange', 'client');
  if (!hello || !serverHello || !kex) return noTrial('the recording lacks the hellos or the key exchange');
  const preMaster = openSealed(x25519KeyPair(key), kex.ephemeralPublicKey, kex.nonce, kex.sealedSecret, LEVEL4_SEAL_INFO);
  if (!preMaster) return noTrial('this key does not open the pre-master secret: it is not the private key it was sealed to');
  const keys = level4Keys(preMaster, { clientRandom: hello.random, serverRandom: serverHello.random });
  const opened = openAll(r, keys.clientWrite, keys.serverWrite);
  return {
    opened,
    recovered: { 'pre-master secret': preMaster, 'master secret': keys.masterSecret },
    explanation: `opened the pre-master secret with the private key; with the public randoms that gives every session key: ${opened.size} record(s) decrypted`,
  };
}

export const LEVEL4: LevelModule = {
  level: 4,
  keyExchange: 'transport',
  protection: 'tls',
  caPlays: true,
  httpFirst: true,
  checks: ['hsts', 'serverName', 'cipherSuite', 'issuer', 'signature', 'name', 'notExpired', 'notYetValid', 'keyUsage', 'keyExchange', 'handshakeRecord', 'finished', 'record', 'domainControl'],
  attackerTools: HTTPS_TOOLS,
  personas: ['ownKey', 'selfSignedCertificate', 'issuedCertificate', 'ownNameCertificate'],
  ownKeyShows: 'certificateWithHerKey',
  attacks: ATTACKER_BEHAVIOURS,
  botAttack: BOT_ATTACKS[4],
  certificateKey: { of: 'encryptionKey', keyType: 'x25519', keyUsage: 'keyEncipherment' },
  longTermKey: { of: 'encryptionKey', name: "bank's private key (X25519)", leakEvent: true },
  clientHandshakeRecords: 1, // Finished
  client: clientSide(level4Client),
  server: serverSide(level4Server),
  tryKey,
  texts: LEVEL4_TEXTS,
};
