/** Level 5 — One-time keys, always: TLS 1.3 (RFC 8446), one-time key shares (forward secrecy, mandatory) and CertificateVerify. */
import { findMessage, fromSide, isRecord, noTrial, openAll, type KeyTrial, type OpenedRecord, type Recording } from '../attacker/recording.ts';
import { x25519SharedSecret } from '../crypto/primitives.ts';
import { tls13ApplicationSecrets, tls13HandshakeSecrets } from '../crypto/tls13-key-schedule.ts';
import { negotiatingClient, negotiatingServer } from '../handshake/downgrade.ts';
import { tlsSpec } from '../handshake/tls-spec.ts';
import { openRecord, tls13RecordKeys } from '../handshake/record.ts';
import { keyShareOf } from '../handshake/hello.ts';
import { GROUP } from '../messages/tls-codes.ts';
import { isHandshakeType, type HandshakeMessage } from '../messages/tls.ts';
import { append, transcriptHash, type Transcript } from '../handshake/transcript.ts';
import { EVENTS_OFFERED } from '../basics/teaching-map.ts';
import { LEVEL5_TEXTS } from './texts/level5-tls13.ts';
import { CERTIFIED_HTTPS, certifiedTls } from './certified-https.ts';
import { ECDHE_TLS } from './level4e-ecdhe.ts';
import { BOT_ATTACKS } from './bot-plans.ts';
import type { LevelModule } from './types.ts';

const FORWARD_SECRECY =
  'no luck: the session keys came from ephemeral X25519 key shares that both sides deleted after the handshake (forward secrecy); a long-term key cannot recreate them';

/**
 * The key schedule from a recorded session's (EC)DHE secret (§7.1) to its application keys:
 * undefined when the secret does not open the server's first encrypted record.
 */
function openWithSecret(r: Recording, shared: Uint8Array): KeyTrial | undefined {
  const hello = findMessage(r, 'ClientHello', 'client');
  const serverHello = findMessage(r, 'ServerHello', 'server');
  const firstServerRecord = r.packets.find((p) => p.from === 'server' && isRecord(p));
  if (!hello || !serverHello || !firstServerRecord || !isRecord(firstServerRecord)) return undefined;
  let transcript: Transcript = append([], hello, serverHello);
  const hs = tls13HandshakeSecrets(shared, transcriptHash(transcript));
  const serverHs = tls13RecordKeys(hs.serverHandshakeTrafficSecret);
  if (!openRecord(serverHs, firstServerRecord.message).ok) return undefined;
  const handshakeServer = openAll(fromSide(r, 'server'), serverHs, serverHs);
  for (const o of handshakeServer.values()) if (isHandshakeType(o.message.type)) transcript = append(transcript, o.message as HandshakeMessage);
  const app = tls13ApplicationSecrets(hs.handshakeSecret, transcriptHash(transcript));
  const clientApp = tls13RecordKeys(app.clientApplicationTrafficSecret);
  const serverApp = tls13RecordKeys(app.serverApplicationTrafficSecret);
  const opened = new Map<number, OpenedRecord>(handshakeServer);
  const clientRecords = r.packets.filter((p) => p.from === 'client' && isRecord(p)).slice(1); // skip client Finished
  const serverRecords = r.packets.filter((p) => p.from === 'server' && isRecord(p)).slice(handshakeServer.size);
  for (const [id, o] of openAll(fromSide(r, 'client', clientRecords), clientApp, clientApp)) opened.set(id, o);
  for (const [id, o] of openAll(fromSide(r, 'server', serverRecords), serverApp, serverApp)) opened.set(id, o);
  return { opened, recovered: { 'ECDHE shared secret': shared }, explanation: `${opened.size} record(s) decrypted` };
}

/** Only an ephemeral secret (never a long-term key) recreates the key schedule: follow it to the application keys. */
function tryKey(r: Recording, key: Uint8Array): KeyTrial {
  const hello = findMessage(r, 'ClientHello', 'client');
  const serverHello = findMessage(r, 'ServerHello', 'server');
  const firstServerRecord = r.packets.find((p) => p.from === 'server' && isRecord(p));
  if (!hello || !serverHello || !firstServerRecord) return noTrial('the recording lacks the hellos or any encrypted record: no session to open');
  for (const share of [keyShareOf(serverHello, GROUP.x25519), keyShareOf(hello, GROUP.x25519)]) {
    let shared: Uint8Array;
    try {
      shared = x25519SharedSecret(key, share ?? new Uint8Array(0));
    } catch {
      continue;
    }
    const trial = openWithSecret(r, shared);
    if (trial) return { ...trial, explanation: `that was an ephemeral secret: ${trial.explanation}` };
  }
  return noTrial(FORWARD_SECRECY);
}

/** What a key-exchange secret handed over from outside (the harvest event's quantum computer) opens of a recording. */
function trySharedSecret(r: Recording, shared: Uint8Array): KeyTrial {
  return openWithSecret(r, shared) ?? noTrial('the handshake keys it makes do not open the first encrypted record: it is not the secret this session’s keys came from');
}

export const LEVEL5: LevelModule = {
  ...CERTIFIED_HTTPS,
  ...certifiedTls(
    { version: '1.3', suite: 'TLS_AES_128_GCM_SHA256', groups: ['X25519', 'P-256'] },
    { issuer: 'root', trustStore: 'root', certificateKey: { of: 'signingKey', keyType: 'p256', keyUsage: 'digitalSignature' } },
    // TLS 1.3; at the downgrade event also level 4e's TLS 1.2, which both ends speak beside it.
    { client: (spec) => negotiatingClient(spec, tlsSpec(ECDHE_TLS, spec.certificateKey)), server: (spec) => negotiatingServer(spec, tlsSpec(ECDHE_TLS, spec.certificateKey)) },
  ),
  level: 5,
  /** The certified levels' events, a downgrade to TLS 1.2 (its sentinel), and harvest now, decrypt later: what X25519 alone gives up to a quantum computer one day (the teacher's map lists them). */
  events: EVENTS_OFFERED[5],
  keyExchange: 'ephemeral',
  checks: ['hsts', 'serverName', 'cipherSuite', 'downgradeSentinel', 'handshakeRecord', 'issuer', 'signature', 'name', 'notExpired', 'notYetValid', 'keyUsage', 'extendedKeyUsage', 'certificateVerify', 'finished', 'pskBinder', 'earlyDataReplay', 'ticketFreshness', 'record', 'domainControl'],
  ownKeyShows: 'genuineCertificate',
  botAttack: BOT_ATTACKS[5],
  longTermKey: { of: 'signingKey', name: "bank's signing key (ECDSA P-256)", leakEvent: true },
  tryKey,
  trySharedSecret,
  texts: LEVEL5_TEXTS,
};
