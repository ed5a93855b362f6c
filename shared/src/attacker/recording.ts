/**
 * "Try a key on captured ciphertext": a recorded conversation, and the helpers every level's
 * module uses to replay its key derivation with a key the attacker holds. What a key opens is
 * the level's own knowledge (levels/*: `tryKey`); `tryKeyOnRecording` asks the level.
 * With the bank's leaked private key she opens every level-4 session she recorded (the
 * pre-master secret was sealed to that key); level-5 sessions stay shut, because their keys
 * came from ephemeral key shares deleted after the handshake (RFC 8446 §1.2, forward secrecy).
 */
import { decodeHandshakes } from '../messages/codec.ts';
import { ALERTS } from '../messages/codes.ts';
import { parseHttp } from '../messages/http.ts';
import type { Message, MessageOf, MessageType } from '../messages/types.ts';
import { CONTENT_TYPE, openRecord, type RecordKeys } from '../handshake/record.ts';
import { sessionKeyDirections } from '../handshake/level2-symmetric.ts';
import type { Level } from '../basics/levels.ts';

export interface RecordedPacket {
  id: number;
  /** Direction as seen on the wire. */
  from: 'client' | 'server';
  message: Message;
}

export interface Recording {
  level: Level;
  packets: RecordedPacket[];
  /** The game's records were AES-CTR without a tag (the event "encryption without integrity"), not AES-GCM. */
  withoutTag?: boolean;
}

/**
 * A record someone could open (a party in its round, the attacker with a key she tried): its
 * plaintext, and, where it is known, the keys that opened it and its inner content type (for
 * re-sealing an edit). A party's own records are readable to it without them.
 */
export interface OpenedRecord {
  message: Message;
  keys?: RecordKeys;
  contentType?: number;
}

export interface KeyTrial {
  opened: Map<number, OpenedRecord>;
  /** Secrets the trial recovered, by name. */
  recovered: Record<string, Uint8Array>;
  explanation: string;
}

export function noTrial(explanation: string): KeyTrial {
  return { opened: new Map(), recovered: {}, explanation };
}

function isType<T extends MessageType>(m: Message, type: T): m is MessageOf<T> {
  return m.type === type;
}

/** The first recorded message of this type (from this side). */
export function findMessage<T extends MessageType>(r: Recording, type: T, from?: 'client' | 'server'): MessageOf<T> | undefined {
  for (const p of r.packets) if (isType(p.message, type) && (!from || p.from === from)) return p.message;
  return undefined;
}

/** What a decrypted record holds, by its real content type: HTTP, a handshake message, an alert. */
export function innerMessage(plaintext: Uint8Array, contentType: number, tls13: boolean): Message | undefined {
  try {
    if (contentType === CONTENT_TYPE.applicationData) return parseHttp(plaintext);
    if (contentType === CONTENT_TYPE.handshake) return decodeHandshakes(plaintext, { tls13, lenient: true })[0];
    if (contentType === CONTENT_TYPE.alert) {
      const description = ALERTS.name(plaintext[1] ?? -1);
      return description ? { type: 'Alert', description } : undefined;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** Opens each direction's records in order, as the receiver would. */
export function openAll(r: Recording, client: RecordKeys, server: RecordKeys): Map<number, OpenedRecord> {
  const opened = new Map<number, OpenedRecord>();
  const keys = { client, server };
  for (const p of r.packets) {
    if (!isType(p.message, 'EncryptedRecord')) continue;
    const result = openRecord(keys[p.from], p.message);
    if (!result.ok) continue;
    const inner = innerMessage(result.plaintext, result.contentType, keys[p.from].style === 'tls13');
    if (inner) opened.set(p.id, { message: inner, keys: keys[p.from], contentType: result.contentType });
    keys[p.from] = result.next;
  }
  return opened;
}

/** Levels 2-3: one session key for both directions. A wrong key "opens" a tagless record too, to noise that reads as no message. */
export function sessionKeyTrial(r: Recording, sessionKey: Uint8Array): Map<number, OpenedRecord> {
  const d = sessionKeyDirections(sessionKey, 'client', r.withoutTag ? 'gameCtr' : 'game');
  return d.sendKeys && d.receiveKeys ? openAll(r, d.sendKeys, d.receiveKeys) : new Map();
}

/** Records of one side only, as a recording of its own. */
export function fromSide(r: Recording, side: 'client' | 'server', records: RecordedPacket[] = r.packets): Recording {
  return { ...r, packets: records.filter((p) => p.from === side) };
}

export function isRecord(p: RecordedPacket): p is RecordedPacket & { message: MessageOf<'EncryptedRecord'> } {
  return p.message.type === 'EncryptedRecord';
}
