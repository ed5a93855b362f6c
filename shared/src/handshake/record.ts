/**
 * The AEAD record layer: application data (and, at levels 4-5, the encrypted handshake
 * messages) sealed with AES-GCM under a per-direction key and a sequence number that both
 * sides count. A changed record fails its tag.
 *
 * Every protected record is a real TLS record (messages/tls.ts: type, version, length,
 * fragment). Three nonce styles:
 * - 'tls12' (level 4, RFC 5246 §6.2.3.3 with RFC 5288 §3): nonce = 4-byte salt ‖ 8-byte
 *   explicit nonce, the explicit nonce sent first in the fragment (the sender uses its sequence number,
 *   but the receiver does not read it as one); AAD = seq_num ‖ type ‖ version ‖ length, where
 *   seq_num is the receiver's own count. The sequence number is never on the wire: a replayed
 *   or reordered record is sealed under another count, so it fails its tag (bad_record_mac).
 * - 'tls13' (level 5, RFC 8446 §5.3): nonce = iv XOR the padded sequence number, implicit;
 *   AAD = the record header; the inner plaintext ends with its content type (§5.2). A replay
 *   fails its tag here too.
 * - 'game' (levels 2-3, the game's own): as 'tls12', but the receiver reads the explicit nonce
 *   as the sequence number and refuses a record out of sequence before its tag is checked, so
 *   a replay shows as a visible sequence check. Real TLS has no such check.
 * - 'gameCtr' (level 2 with the event "encryption without integrity"): the 'game' record with
 *   AES-256-CTR (NIST SP 800-38A) and no tag. Its counter block is salt ‖ explicit nonce ‖
 *   00000002, exactly the counter GCM encrypts with for that nonce (SP 800-38D §7.1: J0 = nonce ‖
 *   0^31 ‖ 1, the plaintext from inc32(J0)), so its ciphertext is byte for byte the GCM record's
 *   without the 16-byte tag: GCM is this CTR plus a tag, and what the tag adds is the whole lesson.
 *   Nothing checks the bytes: a flipped ciphertext bit flips the same plaintext bit.
 */
import { aesCtr, aesGcmOpen, aesGcmSeal } from '../crypto/primitives.ts';
import { tls13TrafficKeys } from '../crypto/tls13-key-schedule.ts';
import { concat, equalBytes } from '../codec/bytes.ts';
import type { MessageOf, RecordContentType } from '../messages/types.ts';
import type { Failure } from './failures.ts';

/** RFC 5246 §6.2.1 / RFC 8446 §5.1 content types. */
export const CONTENT_TYPE = { alert: 21, handshake: 22, applicationData: 23 } as const;
export type ContentType = (typeof CONTENT_TYPE)[keyof typeof CONTENT_TYPE];

const TLS12_VERSION = [0x03, 0x03];
/** RFC 8446 §5.1, RFC 5246 §6.2.1: a record carries at most 2^14 bytes of plaintext. */
export const MAX_PLAINTEXT = 2 ** 14;

export type RecordStyle = 'game' | 'gameCtr' | 'tls12' | 'tls13';

/** One direction of a connection: its key, its IV (salt), and the next sequence number. */
export interface RecordKeys {
  style: RecordStyle;
  key: Uint8Array;
  /** 4 bytes for 'game', 'gameCtr' and 'tls12', 12 bytes for 'tls13'. */
  iv: Uint8Array;
  seq: number;
}

/** RFC 8446 §7.3: the record keys of a TLS 1.3 traffic secret (the suite's key length; AES-128 unless told), the count starting at 0. */
export function tls13RecordKeys(trafficSecret: Uint8Array, keyLength?: number): RecordKeys {
  return { style: 'tls13', ...tls13TrafficKeys(trafficSecret, keyLength), seq: 0 };
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

/** SP 800-38D §7.1 with a 96-bit nonce: GCM encrypts from the counter block nonce ‖ 00000002 (J0 is nonce ‖ 00000001, kept for the tag). */
export function gcmFirstCounter(nonce: Uint8Array): Uint8Array {
  return concat(nonce, new Uint8Array([0, 0, 0, 2]));
}

/** Where a 'game' or 'gameCtr' record's parts lie in its fragment: the explicit nonce (the sequence number), the ciphertext, the tag (none without integrity). */
export function gameRecordParts(style: 'game' | 'gameCtr', fragment: Uint8Array): { nonce: Uint8Array; ciphertext: Uint8Array; tag?: Uint8Array } | undefined {
  const tagLength = style === 'game' ? 16 : 0;
  if (fragment.length < 8 + tagLength) return undefined;
  const end = fragment.length - tagLength;
  return { nonce: fragment.subarray(0, 8), ciphertext: fragment.subarray(8, end), ...(tagLength ? { tag: fragment.subarray(end) } : {}) };
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

const NAME_OF: Readonly<Record<ContentType, RecordContentType>> = { 21: 'alert', 22: 'handshake', 23: 'applicationData' };
const CODE_OF: Readonly<Record<RecordContentType, number>> = { changeCipherSpec: 20, alert: 21, handshake: 22, applicationData: 23 };

export function sealRecord(keys: RecordKeys, plaintext: Uint8Array, contentType: ContentType): Sealed {
  let record: MessageOf<'EncryptedRecord'>;
  if (keys.style === 'tls13') {
    // §5.2: the real type goes inside; outside, every protected record says application_data.
    const inner = concat(plaintext, new Uint8Array([contentType]));
    const aad = tls13Aad(inner.length + 16);
    record = { type: 'EncryptedRecord', contentType: 'applicationData', fragment: aesGcmSeal(keys.key, tls13Nonce(keys.iv, keys.seq), inner, aad) };
  } else if (keys.style === 'gameCtr') {
    const explicitNonce = seqBytes(keys.seq);
    const ciphertext = aesCtr(keys.key, gcmFirstCounter(concat(keys.iv, explicitNonce)), plaintext);
    record = { type: 'EncryptedRecord', contentType: NAME_OF[contentType], fragment: concat(explicitNonce, ciphertext) };
  } else {
    const explicitNonce = seqBytes(keys.seq);
    const nonce = concat(keys.iv, explicitNonce);
    const ciphertext = aesGcmSeal(keys.key, nonce, plaintext, tls12Aad(keys.seq, contentType, plaintext.length));
    record = { type: 'EncryptedRecord', contentType: NAME_OF[contentType], fragment: concat(explicitNonce, ciphertext) };
  }
  return { record, next: { ...keys, seq: keys.seq + 1 } };
}

function tls13Aad(ciphertextLength: number): Uint8Array {
  return new Uint8Array([CONTENT_TYPE.applicationData, ...TLS12_VERSION, ...u16(ciphertextLength)]);
}

/** What trying to open a record gives: its plaintext and the keys for the next one, or why it failed. */
export type RecordOpening =
  /** `check`: what opening it checked — the tag ('record'), or only the game's sequence number where there is no tag. */
  | { ok: true; plaintext: Uint8Array; contentType: number; next: RecordKeys; detail: string; check?: 'sequence' }
  | { ok: false; failure: Failure };

/** Opens the next record in sequence; never throws. The record's outer type feeds the TLS 1.2 AAD, so changing it fails the tag too. */
export function openRecord(keys: RecordKeys, record: MessageOf<'EncryptedRecord'>): RecordOpening {
  if (keys.style === 'tls13') {
    if (record.contentType !== 'applicationData') return { ok: false, failure: { reason: 'unexpectedMessage', expected: 'an application_data record (TLS 1.3 protects every record as one)', got: 'EncryptedRecord' } };
    const inner = aesGcmOpen(keys.key, tls13Nonce(keys.iv, keys.seq), record.fragment, tls13Aad(record.fragment.length));
    if (!inner || inner.length === 0) return { ok: false, failure: { reason: 'badRecordMac' } };
    // §5.2: TLSInnerPlaintext (content, type, padding) is at most 2^14 + 1 bytes.
    if (inner.length > MAX_PLAINTEXT + 1) return { ok: false, failure: { reason: 'recordOverflow', detail: `${inner.length} bytes of plaintext inside one record (at most 2^14 + 1 with its content type)` } };
    // §5.2: strip zero padding, the last non-zero byte is the content type.
    let end = inner.length - 1;
    while (end > 0 && inner[end] === 0) end--;
    return { ok: true, plaintext: inner.slice(0, end), contentType: inner[end]!, next: { ...keys, seq: keys.seq + 1 }, detail: `AEAD tag valid for record number ${keys.seq} (counted by both sides, mixed into the nonce)` };
  }
  if (keys.style === 'gameCtr') return openCtrRecord(keys, record);
  if (record.fragment.length < 8 + 16) return { ok: false, failure: { reason: 'badRecordMac' } };
  const explicitNonce = record.fragment.subarray(0, 8);
  const ciphertext = record.fragment.subarray(8);
  if (keys.style === 'game') {
    const outOfSequence = sequenceCheck(keys, explicitNonce);
    if (outOfSequence) return outOfSequence;
  }
  const type = CODE_OF[record.contentType];
  const length = ciphertext.length - 16;
  const plaintext = aesGcmOpen(keys.key, concat(keys.iv, explicitNonce), ciphertext, tls12Aad(keys.seq, type, length));
  if (!plaintext) return { ok: false, failure: { reason: 'badRecordMac' } };
  if (plaintext.length > MAX_PLAINTEXT) return { ok: false, failure: { reason: 'recordOverflow', detail: `${plaintext.length} bytes of plaintext inside one record (at most 2^14)` } };
  const detail =
    keys.style === 'game'
      ? `AEAD tag valid; sequence number ${keys.seq} as expected (the game's own check)`
      : `AEAD tag valid for record number ${keys.seq} (counted by both sides, in the tag's additional data)`;
  return { ok: true, plaintext, contentType: type, next: { ...keys, seq: keys.seq + 1 }, detail };
}

/** The game's own visible check: the explicit nonce must be the receiver's count. */
function sequenceCheck(keys: RecordKeys, explicitNonce: Uint8Array): RecordOpening | undefined {
  if (equalBytes(explicitNonce, seqBytes(keys.seq))) return undefined;
  const got = Number(new DataView(explicitNonce.buffer, explicitNonce.byteOffset, 8).getBigUint64(0));
  return { ok: false, failure: { reason: 'recordOutOfSequence', expected: keys.seq, got } };
}

/** AES-CTR has nothing to verify: whatever the ciphertext says, it decrypts to something, and that is handed up. */
function openCtrRecord(keys: RecordKeys, record: MessageOf<'EncryptedRecord'>): RecordOpening {
  const parts = gameRecordParts('gameCtr', record.fragment);
  if (!parts) return { ok: false, failure: { reason: 'decodeError', detail: `a record starts with its 8-byte sequence number; this one has ${record.fragment.length} bytes` } };
  const outOfSequence = sequenceCheck(keys, parts.nonce);
  if (outOfSequence) return outOfSequence;
  const plaintext = aesCtr(keys.key, gcmFirstCounter(concat(keys.iv, parts.nonce)), parts.ciphertext);
  if (plaintext.length > MAX_PLAINTEXT) return { ok: false, failure: { reason: 'recordOverflow', detail: `${plaintext.length} bytes of plaintext inside one record (at most 2^14)` } };
  return {
    ok: true,
    plaintext,
    contentType: CODE_OF[record.contentType],
    next: { ...keys, seq: keys.seq + 1 },
    detail: `sequence number ${keys.seq} as expected (the game's own check); decrypted with AES-CTR — no tag, so nothing checked that these are the bytes that were sent`,
    check: 'sequence',
  };
}
