/**
 * TLS 1.3 (RFC 8446) for both ends of level 5: the key schedule's handshake and application keys
 * (§7.1) as each machine records them, the states' encrypted part, CertificateVerify's signed
 * content (§4.4.3) and the opening of an encrypted handshake record. The client's machine is
 * tls13-client.ts, the bank's tls13-server.ts, tickets and binders tls13-tickets.ts.
 */
import { concat, utf8 } from '../codec/bytes.ts';
import { tls13ApplicationSecrets, tls13HandshakeSecrets } from '../crypto/tls13-key-schedule.ts';
import type { Message, MessageType } from '../messages/types.ts';
import type { Failure } from './failures.ts';
import { joinHandshake, type Joined } from './fragments.ts';
import { keyLogLine } from './key-log.ts';
import { CONTENT_TYPE, openRecord, tls13RecordKeys, type RecordKeys } from './record.ts';
import type { TlsSpec } from './tls-spec.ts';
import { transcriptHash, type Transcript } from './transcript.ts';
import type { Output } from './types.ts';

export interface HandshakeKeys {
  handshakeSecret: Uint8Array;
  clientTrafficSecret: Uint8Array;
  serverTrafficSecret: Uint8Array;
  clientKeys: RecordKeys;
  serverKeys: RecordKeys;
}

/**
 * Every encrypted state: the transcript so far, the handshake keys, whether the first encrypted
 * record has opened yet, and the start of a handshake message whose rest is in a later record.
 */
export type Encrypted = { transcript: Transcript; clientRandom: Uint8Array; opened: boolean; held?: Uint8Array; resumed?: Resumed } & HandshakeKeys;

/**
 * A client's resumed session (the bank took its ticket): the early data's keys, whether it sent
 * some, and whether the bank read it (early_data in EncryptedExtensions) — if not, it goes again
 * after the handshake, as browsers resend a rejected 0-RTT request.
 */
export interface Resumed {
  /** The bank took the ticket: no certificate comes, the ticket's secret vouches for the bank. */
  psk?: boolean;
  earlyKeys?: RecordKeys;
  earlyData?: Uint8Array;
  accepted?: boolean;
}

/** §7.1 and §7.3: each side's application traffic secret (which a KeyUpdate moves on) and the record keys from it. */
export interface ApplicationKeys {
  client: RecordKeys;
  server: RecordKeys;
  clientSecret: Uint8Array;
  serverSecret: Uint8Array;
  /** §7.1: the master secret, from which the resumption master secret comes once the client's Finished is in. */
  masterSecret: Uint8Array;
}

/** The TLS 1.3 these machines speak: its version, suite (and key length), groups and certificate key, from the level's module. */
export type Tls13Spec = TlsSpec<'1.3'>;

/** §7.1: (EC)DHE secret + hash(ClientHello‖ServerHello) → handshake traffic keys, which both sides now hold. */
export function handshakeKeys(shared: Uint8Array, transcript: Transcript, clientRandom: Uint8Array, spec: Tls13Spec, out: Output, earlySecret?: Uint8Array): HandshakeKeys {
  const s = tls13HandshakeSecrets(shared, transcriptHash(transcript), ...(earlySecret ? [earlySecret] : []));
  out.learned['client handshake traffic secret'] = s.clientHandshakeTrafficSecret;
  out.learned['server handshake traffic secret'] = s.serverHandshakeTrafficSecret;
  out.keyLog.push(keyLogLine('CLIENT_HANDSHAKE_TRAFFIC_SECRET', clientRandom, s.clientHandshakeTrafficSecret), keyLogLine('SERVER_HANDSHAKE_TRAFFIC_SECRET', clientRandom, s.serverHandshakeTrafficSecret));
  return {
    handshakeSecret: s.handshakeSecret,
    clientTrafficSecret: s.clientHandshakeTrafficSecret,
    serverTrafficSecret: s.serverHandshakeTrafficSecret,
    clientKeys: tls13RecordKeys(s.clientHandshakeTrafficSecret, spec.keyLength),
    serverKeys: tls13RecordKeys(s.serverHandshakeTrafficSecret, spec.keyLength),
  };
}

/** §4.4.3: 64 spaces ‖ context string ‖ 0 ‖ transcript hash. */
export function certificateVerifyContent(transcript: Transcript): Uint8Array {
  return concat(new Uint8Array(64).fill(0x20), utf8('TLS 1.3, server CertificateVerify'), new Uint8Array([0]), transcriptHash(transcript));
}

export function applicationKeys(handshakeSecret: Uint8Array, transcript: Transcript, clientRandom: Uint8Array, spec: Tls13Spec, out: Output): ApplicationKeys {
  const s = tls13ApplicationSecrets(handshakeSecret, transcriptHash(transcript));
  const client = tls13RecordKeys(s.clientApplicationTrafficSecret, spec.keyLength);
  const server = tls13RecordKeys(s.serverApplicationTrafficSecret, spec.keyLength);
  out.learned['client application key'] = client.key;
  out.learned['server application key'] = server.key;
  out.keyLog.push(
    keyLogLine('CLIENT_TRAFFIC_SECRET_0', clientRandom, s.clientApplicationTrafficSecret),
    keyLogLine('SERVER_TRAFFIC_SECRET_0', clientRandom, s.serverApplicationTrafficSecret),
    keyLogLine('EXPORTER_SECRET', clientRandom, s.exporterMasterSecret),
  );
  return { client, server, clientSecret: s.clientApplicationTrafficSecret, serverSecret: s.serverApplicationTrafficSecret, masterSecret: s.masterSecret };
}

/** The groups a side speaks this round: an event's (ClientConfig.groups, ServerConfig.groups), else the level's. */
export const groupsOf = (config: { groups?: readonly number[] }, spec: Tls13Spec): readonly number[] => config.groups ?? spec.groups;

/**
 * Decrypts one handshake record under `keys`. The first one is the first encrypted message:
 * if its tag fails, the two sides' keys differ. A record may carry several messages, and a
 * message may run on into the next record (fragments.ts): `held` is what earlier records left.
 */
export function openHandshake(keys: RecordKeys, message: Message, first: boolean, firstName: MessageType, out: Output, side: 'client' | 'server', held: Uint8Array | undefined): (Joined & { next: RecordKeys }) | Failure {
  if (message.type !== 'EncryptedRecord') return { reason: 'unexpectedMessage', expected: 'an encrypted handshake record', got: message.type };
  const opened = openRecord(keys, message);
  if (!opened.ok) return first && opened.failure.reason === 'badRecordMac' ? { reason: 'handshakeKeysDiffer', message: firstName } : opened.failure;
  if (first) {
    const detail =
      side === 'client'
        ? 'the first encrypted handshake message opened: both sides derived the same handshake keys from the key shares and both hellos'
        : "the client's first encrypted message opened: both sides derived the same handshake keys";
    out.checks.push({ check: 'handshakeRecord', passed: true, detail });
  }
  if (opened.contentType !== CONTENT_TYPE.handshake) return { reason: 'unexpectedMessage', expected: held?.length ? 'the rest of a handshake message' : 'a handshake message', got: opened.contentType === CONTENT_TYPE.alert ? 'Alert' : 'EncryptedRecord' };
  const joined = joinHandshake(held, opened.plaintext, { tls13: true, lenient: true });
  return 'reason' in joined ? joined : { ...joined, next: opened.next };
}
