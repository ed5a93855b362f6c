/**
 * The AEAD record layer: application data (and, at level 5, the encrypted handshake) sealed
 * with AES-GCM under a per-direction key and a sequence number, so that a changed record
 * fails its tag and a replayed one fails its sequence check.
 *
 * Two nonce styles, as in the RFCs:
 * - 'explicit' (levels 2-4): nonce = 4-byte salt ‖ 8-byte explicit nonce, the explicit nonce
 *   being the sequence number, sent on the wire (RFC 5288 §3); AAD = seq_num ‖ type ‖
 *   version ‖ length (RFC 5246 §6.2.3.3).
 * - 'tls13' (level 5): nonce = iv XOR padded sequence number, implicit (RFC 8446 §5.3);
 *   AAD = the record header; the inner plaintext ends with its content type (§5.2).
 */
import { aesGcmOpen, aesGcmSeal } from '../crypto/primitives.ts';
import { concat, equalBytes } from '../codec/bytes.ts';
import type { MessageOf } from '../messages/types.ts';
import type { Failure } from './failures.ts';

/** RFC 5246 §6.2.1 / RFC 8446 §5.1 content types. */
export const CONTENT_TYPE = { alert: 21, handshake: 22, applicationData: 23 } as const;
export type ContentType = (typeof CONTENT_TYPE)[keyof typeof CONTENT_TYPE];

const TLS12_VERSION = [0x03, 0x03];

/** One direction of a connection: its key, its IV (salt), and the next sequence number. */
export interface RecordKeys {
  style: 'explicit' | 'tls13';
  key: Uint8Array;
  /** 4 bytes for 'explicit', 12 bytes for 'tls13'. */
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

function nonceFor(keys: RecordKeys, seq: number): Uint8Array {
  if (keys.style === 'explicit') return concat(keys.iv, seqBytes(seq));
  const nonce = keys.iv.slice();
  const s = seqBytes(seq);
  for (let i = 0; i < 8; i++) nonce[4 + i]! ^= s[i]!;
  return nonce;
}

export interface Sealed {
  record: MessageOf<'EncryptedRecord'>;
  next: RecordKeys;
}

export function sealRecord(keys: RecordKeys, plaintext: Uint8Array, contentType: ContentType): Sealed {
  const nonce = nonceFor(keys, keys.seq);
  let record: MessageOf<'EncryptedRecord'>;
  if (keys.style === 'explicit') {
    const aad = concat(seqBytes(keys.seq), new Uint8Array([contentType, ...TLS12_VERSION]), u16(plaintext.length));
    record = { type: 'EncryptedRecord', explicitNonce: seqBytes(keys.seq), ciphertext: aesGcmSeal(keys.key, nonce, plaintext, aad) };
  } else {
    const inner = concat(plaintext, new Uint8Array([contentType]));
    const aad = tls13Aad(inner.length + 16);
    record = { type: 'EncryptedRecord', explicitNonce: new Uint8Array(0), ciphertext: aesGcmSeal(keys.key, nonce, inner, aad) };
  }
  return { record, next: { ...keys, seq: keys.seq + 1 } };
}

function tls13Aad(ciphertextLength: number): Uint8Array {
  return new Uint8Array([CONTENT_TYPE.applicationData, ...TLS12_VERSION, ...u16(ciphertextLength)]);
}

export type Opened =
  | { ok: true; plaintext: Uint8Array; contentType: number; next: RecordKeys }
  | { ok: false; failure: Failure };

/** Opens the next record in sequence; never throws. */
export function openRecord(keys: RecordKeys, record: MessageOf<'EncryptedRecord'>, expectedType?: ContentType): Opened {
  const nonce = nonceFor(keys, keys.seq);
  if (keys.style === 'explicit') {
    if (record.explicitNonce.length !== 8) return { ok: false, failure: { reason: 'decodeError', detail: 'record without its 8-byte explicit nonce' } };
    if (!equalBytes(record.explicitNonce, seqBytes(keys.seq))) {
      const got = Number(new DataView(record.explicitNonce.buffer, record.explicitNonce.byteOffset, 8).getBigUint64(0));
      return { ok: false, failure: { reason: 'recordOutOfSequence', expected: keys.seq, got } };
    }
    const type = expectedType ?? CONTENT_TYPE.applicationData;
    const length = record.ciphertext.length - 16;
    if (length < 0) return { ok: false, failure: { reason: 'badRecordMac' } };
    const aad = concat(seqBytes(keys.seq), new Uint8Array([type, ...TLS12_VERSION]), u16(length));
    const plaintext = aesGcmOpen(keys.key, nonce, record.ciphertext, aad);
    if (!plaintext) return { ok: false, failure: { reason: 'badRecordMac' } };
    return { ok: true, plaintext, contentType: type, next: { ...keys, seq: keys.seq + 1 } };
  }
  const inner = aesGcmOpen(keys.key, nonce, record.ciphertext, tls13Aad(record.ciphertext.length));
  if (!inner || inner.length === 0) return { ok: false, failure: { reason: 'badRecordMac' } };
  // §5.2: strip zero padding, the last non-zero byte is the content type.
  let end = inner.length - 1;
  while (end > 0 && inner[end] === 0) end--;
  return { ok: true, plaintext: inner.slice(0, end), contentType: inner[end]!, next: { ...keys, seq: keys.seq + 1 } };
}
