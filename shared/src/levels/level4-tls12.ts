/** Level 4 — Certified: TLS 1.2 (RFC 5246), RSA key transport to a certificate's key. */
import { findMessage, noTrial, openAll, type Recording } from '../attacker/recording.ts';
import { decryptPreMaster, level4Client, level4Server } from '../handshake/level4-tls12.ts';
import { recordedKeys, UNKNOWN_SUITE } from './tls12-recorded-keys.ts';
import { LEVEL4_TEXTS } from './texts/level4-tls12.ts';
import { CERTIFIED_HTTPS, certifiedTls } from './certified-https.ts';
import { BOT_ATTACKS } from './bot-plans.ts';
import type { LevelModule } from './types.ts';
import { EVENTS_OFFERED } from '../basics/teaching-map.ts';

/**
 * With the bank's RSA private key (PKCS #1 DER, as Wireshark takes it in PEM): decrypt the
 * pre-master secret, and with the public randoms, every session key. A wrong key decrypts to
 * noise, so nothing opens.
 */
function tryKey(r: Recording, key: Uint8Array) {
  const hello = findMessage(r, 'ClientHello', 'client');
  const serverHello = findMessage(r, 'ServerHello', 'server');
  const kex = findMessage(r, 'ClientKeyExchange', 'client');
  if (!hello || !serverHello || !kex) return noTrial('the recording lacks the hellos or the key exchange');
  const preMaster = decryptPreMaster(key, kex.encryptedPreMaster, new Uint8Array(48));
  const keys = recordedKeys(r, preMaster);
  if (!keys) return noTrial(UNKNOWN_SUITE);
  const opened = openAll(r, keys.clientWrite, keys.serverWrite);
  if (opened.size === 0) return noTrial('this key does not decrypt the pre-master secret: it is not the RSA private key it was encrypted to');
  return {
    opened,
    recovered: { 'pre-master secret': preMaster, 'master secret': keys.masterSecret },
    explanation: `decrypted the pre-master secret with the RSA private key; with the public randoms that gives every session key: ${opened.size} record(s) decrypted`,
  };
}

export const LEVEL4: LevelModule = {
  ...CERTIFIED_HTTPS,
  ...certifiedTls(
    { version: '1.2', suite: 'TLS_RSA_WITH_AES_128_GCM_SHA256', groups: [] },
    { issuer: 'root', trustStore: 'root', certificateKey: { of: 'encryptionKey', keyType: 'rsa', keyUsage: 'keyEncipherment' } },
    { client: level4Client, server: level4Server },
  ),
  level: 4,
  /** The certified levels' events and a first visit (HSTS, its preload list): the teacher's map lists them. */
  events: EVENTS_OFFERED[4],
  keyExchange: 'transport',
  checks: ['hsts', 'serverName', 'cipherSuite', 'issuer', 'signature', 'name', 'notExpired', 'notYetValid', 'keyUsage', 'extendedKeyUsage', 'handshakeRecord', 'finished', 'record', 'domainControl'],
  ownKeyShows: 'certificateWithHerKey',
  botAttack: BOT_ATTACKS[4],
  longTermKey: { of: 'encryptionKey', name: "bank's private key (RSA-2048)", leakEvent: true },
  tryKey,
  texts: LEVEL4_TEXTS,
};
