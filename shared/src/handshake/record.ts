/**
 * The AEAD record layer: application data (and, at levels 4-5, the encrypted handshake
 * messages) sealed with AES-GCM under a per-direction key and a sequence number that both
 * sides count. A changed record fails its tag.
 *
 * Three nonce styles:
 * - 'tls12' (level 4, RFC 5246 §6.2.3.3 with RFC 5288 §3): nonce = 4-byte salt ‖ 8-byte
 *   explicit nonce, the explicit nonce sent on the wire (the sender uses its sequence number,
 *   but the receiver does not read it as one); AAD = seq_num ‖ type ‖ version ‖ length, where
 *   seq_num is the receiver's own count. The sequence number is never on the wire: a replayed
 *   or reordered record is sealed under another count, so it fails its tag (bad_record_mac).
 * - 'tls13' (level 5, RFC 8446 §5.3): nonce = iv XOR the padded sequence number, implicit;
 *   AAD = the record header; the inner plaintext ends with its content type (§5.2). A replay
 *   fails its tag here too.
 * - 'game' (levels 2-3, the game's own): as 'tls12', but the receiver reads the explicit nonce
 *   as the sequence number and refuses a record out of sequence before its tag is checked, so
 *   a replay shows as a visible sequence check. Real TLS has no such check.
 */
import { aesGcmOpen, aesGcmSeal } from '../crypto/primitives.ts';
import { concat, equalBytes } from '../codec/bytes.ts';
import type { MessageOf } from '../messages/types.ts';
import type { Failure } from './failures.ts';

/** RFC 5246 §6.2.1 / RFC 8446 §5.1 content types. */
export const CONTENT_TYPE = { alert: 21, handshake: 22, applicationData: 23 } as const;
export type ContentType = (typeof CONTENT_TYPE)[keyof typeof CONTENT_TYPE];

const TLS12_VERSION = [0x03, 0x03];

export type RecordStyle = 'game' | 'tls12' | 'tls13';

/** One direction of a connection: its key, its IV (salt), and the next sequence number. */
export interface RecordKeys {
  style: RecordStyle;
  key: Uint8Array;
  /** 4 bytes for 'game' and 'tls12', 12 bytes for 'tls13'. */
  iv: Uint8Array;
  seq: number;
}

export function seqBytes(seq: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(seq));
  return out;
}

function u16(n: number): Uint8Array {
  return new Uint8Array([(n >> 8) & 0xff, n & 0xff]);
}

function tls12Aad(seq: number, contentType: number, length: number): Uint8Array {
  return concat(seqBytes(seq), new Uint8Array([contentType, ...TLS12_VERSION]), u16(length));
}

function tls13Nonce(iv: Uint8Array, seq: number): Uint8Array {
  const nonce = iv.slice();
  const s = seqBytes(seq);
  for (let i = 0; i < 8; i++) nonce[4 + i]! ^= s[i]!;
  return nonce;
}

export interface Sealed {
  record: MessageOf<'EncryptedRecord'>;
  next: RecordKeys;
}

export function sealRecord(keys: RecordKeys, plaintext: Uint8Array, contentType: ContentType): Sealed {
  let record: MessageOf<'EncryptedRecord'>;
  if (keys.style === 'tls13') {
    const inner = concat(plaintext, new Uint8Array([contentType]));
    const aad = tls13Aad(inner.length + 16);
    record = { type: 'EncryptedRecord', explicitNonce: new Uint8Array(0), ciphertext: aesGcmSeal(keys.key, tls13Nonce(keys.iv, keys.seq), inner, aad) };
  } else {
    const explicitNonce = seqBytes(keys.seq);
    const nonce = concat(keys.iv, explicitNonce);
    record = { type: 'EncryptedRecord', explicitNonce, ciphertext: aesGcmSeal(keys.key, nonce, plaintext, tls12Aad(keys.seq, contentType, plaintext.length)) };
  }
  return { record, next: { ...keys, seq: keys.seq + 1 } };
}

function tls13Aad(ciphertextLength: number): Uint8Array {
  return new Uint8Array([CONTENT_TYPE.applicationData, ...TLS12_VERSION, ...u16(ciphertextLength)]);
}

export type OpenedRecord =
  | { ok: true; plaintext: Uint8Array; contentType: number; next: RecordKeys; detail: string }
  | { ok: false; failure: Failure };

/** Opens the next record in sequence; never throws. */
export function openRecord(keys: RecordKeys, record: MessageOf<'EncryptedRecord'>, expectedType?: ContentType): OpenedRecord {
  if (keys.style === 'tls13') {
    const inner = aesGcmOpen(keys.key, tls13Nonce(keys.iv, keys.seq), record.ciphertext, tls13Aad(record.ciphertext.length));
    if (!inner || inner.length === 0) return { ok: false, failure: { reason: 'badRecordMac' } };
    // §5.2: strip zero padding, the last non-zero byte is the content type.
    let end = inner.length - 1;
    while (end > 0 && inner[end] === 0) end--;
    return { ok: true, plaintext: inner.slice(0, end), contentType: inner[end]!, next: { ...keys, seq: keys.seq + 1 }, detail: `AEAD tag valid for record number ${keys.seq} (counted by both sides, mixed into the nonce)` };
  }
  if (record.explicitNonce.length !== 8) return { ok: false, failure: { reason: 'decodeError', detail: 'record without its 8-byte explicit nonce' } };
  if (keys.style === 'game' && !equalBytes(record.explicitNonce, seqBytes(keys.seq))) {
    const got = Number(new DataView(record.explicitNonce.buffer, record.explicitNonce.byteOffset, 8).getBigUint64(0));
    return { ok: false, failure: { reason: 'recordOutOfSequence', expected: keys.seq, got } };
  }
  const type = expectedType ?? CONTENT_TYPE.applicationData;
  const length = record.ciphertext.length - 16;
  if (length < 0) return { ok: false, failure: { reason: 'badRecordMac' } };
  const plaintext = aesGcmOpen(keys.key, concat(keys.iv, record.explicitNonce), record.ciphertext, tls12Aad(keys.seq, type, length));
  if (!plaintext) return { ok: false, failure: { reason: 'badRecordMac' } };
  const detail =
    keys.style === 'game'
      ? `AEAD tag valid; sequence number ${keys.seq} as expected (the game's own check)`
      : `AEAD tag valid for record number ${keys.seq} (counted by both sides, in the tag's additional data)`;
  return { ok: true, plaintext, contentType: type, next: { ...keys, seq: keys.seq + 1 }, detail };
}
