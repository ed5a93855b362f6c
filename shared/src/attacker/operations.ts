/**
 * The attacker's byte-level tools as pure functions over packets: edit a field, re-seal an
 * edited plaintext with a key she holds, parse raw hex. The round decides when she may use
 * them (only on packets she holds or has captured).
 */
import { fromHex } from '../codec/bytes.ts';
import { encodeInner, encodeMessage, decodeMessage } from '../messages/codec.ts';
import { setField } from '../messages/field-edit.ts';
import { CONTENT_TYPE, sealRecord, type ContentType, type RecordKeys } from '../handshake/record.ts';
import type { Message } from '../messages/types.ts';

export const MAX_PACKET_BYTES = 4096;

/** Decode, change one field, encode: lengths follow, but signatures and tags do not. */
export function editField(bytes: Uint8Array, path: string, value: string): Uint8Array {
  const message = decodeMessage(bytes);
  return encodeMessage(setField(message, path, value));
}

/**
 * Change a field inside a record she can read, and seal it again under the same key and
 * sequence number: undetectable, which is why a key in the clear is fatal.
 */
export function editPlaintext(inner: Message, keys: RecordKeys, contentType: number, path: string, value: string): Uint8Array {
  const edited = setField(inner, path, value);
  const sealed = sealRecord(keys, encodeInner(edited), contentTypeOf(contentType));
  return encodeMessage(sealed.record);
}

function contentTypeOf(n: number): ContentType {
  for (const t of Object.values(CONTENT_TYPE)) if (t === n) return t;
  throw new Error(`record content type ${n} is not one the game seals`);
}

/** Raw bytes typed by a player: hex only, bounded. */
export function parseHexBytes(hex: string): Uint8Array {
  const bytes = fromHex(hex);
  if (bytes.length === 0) throw new Error('no bytes given');
  if (bytes.length > MAX_PACKET_BYTES) throw new Error(`at most ${MAX_PACKET_BYTES} bytes`);
  return bytes;
}

/** Flip one bit: the smallest possible change to a ciphertext. */
export function flipBit(bytes: Uint8Array, index: number): Uint8Array {
  const out = bytes.slice();
  out[index % out.length]! ^= 0x01;
  return out;
}
