/**
 * "Try a key on captured ciphertext": replay a recorded conversation's key derivation with a
 * key the attacker holds. With the bank's leaked private key she opens every level-4 session
 * she recorded (the pre-master secret was sealed to that key); level-5 sessions stay shut,
 * because their keys came from ephemeral key shares deleted after the handshake (RFC 8446
 * §1.2, forward secrecy).
 */
import { x25519KeyPair, x25519SharedSecret } from '../crypto/primitives.ts';
import { openSealed } from '../crypto/seal.ts';
import { tls13HandshakeSecrets, tls13ApplicationSecrets, tls13TrafficKeys } from '../crypto/tls13-key-schedule.ts';
import { level2Directions } from '../handshake/level2-symmetric.ts';
import { LEVEL3_SEAL_INFO } from '../handshake/level3-public-key.ts';
import { LEVEL4_SEAL_INFO, level4Keys, safeDecode } from '../handshake/level4-tls12.ts';
import { CONTENT_TYPE, openRecord, type RecordKeys } from '../handshake/record.ts';
import { append, transcriptHash, type Transcript } from '../handshake/transcript.ts';
import type { Message, MessageOf } from '../messages/types.ts';
import type { Level } from '../round/types.ts';

export interface RecordedPacket {
  id: number;
  /** Direction as seen on the wire. */
  from: 'client' | 'server';
  message: Message;
}

export interface Recording {
  level: Level;
  packets: RecordedPacket[];
}

export interface OpenedRecord {
  message: Message;
  keys: RecordKeys;
  contentType: number;
}

export interface KeyTrial {
  opened: Map<number, OpenedRecord>;
  /** Secrets the trial recovered, by name. */
  recovered: Record<string, Uint8Array>;
  explanation: string;
}

function find<T extends Message['type']>(r: Recording, type: T, from?: 'client' | 'server'): MessageOf<T> | undefined {
  return r.packets.find((p) => p.message.type === type && (!from || p.from === from))?.message as MessageOf<T> | undefined;
}

/** Opens each direction's records in order, as the receiver would. */
function openAll(r: Recording, client: RecordKeys, server: RecordKeys): Map<number, OpenedRecord> {
  const opened = new Map<number, OpenedRecord>();
  const keys = { client, server };
  for (const p of r.packets) {
    if (p.message.type !== 'EncryptedRecord') continue;
    for (const type of [CONTENT_TYPE.applicationData, CONTENT_TYPE.handshake]) {
      const result = openRecord(keys[p.from], p.message, type);
      if (!result.ok) continue;
      const inner = safeDecode(result.plaintext);
      if (inner) opened.set(p.id, { message: inner, keys: keys[p.from], contentType: result.contentType });
      keys[p.from] = result.next;
      break;
    }
  }
  return opened;
}

function sessionKeyTrial(r: Recording, sessionKey: Uint8Array): Map<number, OpenedRecord> {
  const d = level2Directions(sessionKey, 'client');
  return openAll(r, d.sendKeys!, d.receiveKeys!);
}

export function tryKeyOnRecording(r: Recording, key: Uint8Array): KeyTrial {
  const none = (explanation: string): KeyTrial => ({ opened: new Map(), recovered: {}, explanation });
  if (key.length !== 32) return none('keys in this game are 32 bytes');
  switch (r.level) {
    case 1:
      return none('nothing is encrypted at level 1: just read the packets');
    case 2: {
      const opened = sessionKeyTrial(r, key);
      return opened.size > 0
        ? { opened, recovered: { 'AES-256 session key': key }, explanation: `the key opened ${opened.size} record(s)` }
        : none('this key opens none of the records');
    }
    case 3: {
      const kex = find(r, 'ClientKeyExchange', 'client');
      const unwrapped = kex && openSealed(x25519KeyPair(key), kex.ephemeralPublicKey, kex.nonce, kex.sealedSecret, LEVEL3_SEAL_INFO);
      const sessionKey = unwrapped ?? key;
      const opened = sessionKeyTrial(r, sessionKey);
      if (opened.size === 0) return none('this key neither opens the key exchange nor any record');
      return { opened, recovered: { 'AES-256 session key': sessionKey }, explanation: unwrapped ? `opened the sealed session key with that private key, then ${opened.size} record(s)` : `the key opened ${opened.size} record(s)` };
    }
    case 4: {
      const hello = find(r, 'ClientHello', 'client');
      const serverHello = find(r, 'ServerHello', 'server');
      const kex = find(r, 'ClientKeyExchange', 'client');
      if (!hello || !serverHello || !kex) return none('the recording lacks the hellos or the key exchange');
      const preMaster = openSealed(x25519KeyPair(key), kex.ephemeralPublicKey, kex.nonce, kex.sealedSecret, LEVEL4_SEAL_INFO);
      if (!preMaster) return none('this key does not open the pre-master secret: it is not the private key it was sealed to');
      const keys = level4Keys(preMaster, { clientRandom: hello.random, serverRandom: serverHello.random });
      const opened = openAll(r, keys.clientWrite, keys.serverWrite);
      return {
        opened,
        recovered: { 'pre-master secret': preMaster, 'master secret': keys.masterSecret },
        explanation: `opened the pre-master secret with the private key; with the public randoms that gives every session key: ${opened.size} record(s) decrypted`,
      };
    }
    case 5:
      return level5Trial(r, key, none);
  }
}

function level5Trial(r: Recording, key: Uint8Array, none: (e: string) => KeyTrial): KeyTrial {
  const hello = find(r, 'ClientHello', 'client');
  const serverHello = find(r, 'ServerHello', 'server');
  const forward = 'no luck: the session keys came from ephemeral X25519 key shares that both sides deleted after the handshake (forward secrecy); a long-term key cannot recreate them';
  if (!hello || !serverHello) return none(forward);
  for (const share of [serverHello.keyShare, hello.keyShare]) {
    let shared: Uint8Array;
    try {
      shared = x25519SharedSecret(key, share);
    } catch {
      continue;
    }
    let transcript: Transcript = append([], hello, serverHello);
    const hs = tls13HandshakeSecrets(shared, transcriptHash(transcript));
    const serverHs: RecordKeys = { style: 'tls13', ...tls13TrafficKeys(hs.serverHandshakeTrafficSecret), seq: 0 };
    const first = r.packets.find((p) => p.from === 'server' && p.message.type === 'EncryptedRecord');
    if (!first || !openRecord(serverHs, first.message as MessageOf<'EncryptedRecord'>, CONTENT_TYPE.handshake).ok) continue;
    // The key was an ephemeral secret after all: follow the schedule to the application keys.
    const handshakeServer = openAll({ ...r, packets: r.packets.filter((p) => p.from === 'server') }, serverHs, serverHs);
    for (const o of handshakeServer.values()) transcript = append(transcript, o.message);
    const app = tls13ApplicationSecrets(hs.handshakeSecret, transcriptHash(transcript));
    const clientApp: RecordKeys = { style: 'tls13', ...tls13TrafficKeys(app.clientApplicationTrafficSecret), seq: 0 };
    const serverApp: RecordKeys = { style: 'tls13', ...tls13TrafficKeys(app.serverApplicationTrafficSecret), seq: 0 };
    const opened = new Map([...handshakeServer]);
    const clientRecords = r.packets.filter((p) => p.from === 'client' && p.message.type === 'EncryptedRecord').slice(1); // skip client Finished
    const serverRecords = r.packets.filter((p) => p.from === 'server' && p.message.type === 'EncryptedRecord').slice(handshakeServer.size);
    for (const [id, o] of openAll({ ...r, packets: clientRecords }, clientApp, clientApp)) opened.set(id, o);
    for (const [id, o] of openAll({ ...r, packets: serverRecords }, serverApp, serverApp)) opened.set(id, o);
    return { opened, recovered: { 'ECDHE shared secret': shared }, explanation: `that was an ephemeral secret: ${opened.size} record(s) decrypted` };
  }
  return none(forward);
}
