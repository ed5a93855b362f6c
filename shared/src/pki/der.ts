/**
 * Just enough of DER (ITU-T X.690 §8.1, §10.1) to show a certificate in the packet inspector:
 * where each TLV (tag, length, value) sits, so every field of the tree points at its bytes.
 * Encoding and decoding of the values is @peculiar/asn1-schema's; this only measures (and copies
 * the bytes the schemas hold).
 */
import { CodecError } from '../codec/reader.ts';

export interface Tlv {
  tag: number;
  /** Where the tag byte is. */
  offset: number;
  /** Where the value starts, and how long it is. */
  valueOffset: number;
  length: number;
  /** One past the last value byte. */
  end: number;
}

/** The TLV at `at` (single-byte tags, definite lengths: all DER needs here). */
export function readTlv(der: Uint8Array, at: number, limit = der.length): Tlv {
  if (at + 2 > limit) throw new CodecError('truncated', `truncated: a DER element needs 2 bytes at offset ${at}`, at);
  const tag = der[at]!;
  let length = der[at + 1]!;
  let valueOffset = at + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 3 || valueOffset + n > limit) throw new CodecError('badValue', `DER length at offset ${at + 1} is not one the game reads`, at + 1);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + der[valueOffset + i]!;
    valueOffset += n;
  }
  const end = valueOffset + length;
  if (end > limit) throw new CodecError('truncated', `truncated: DER element at offset ${at} says ${length} bytes follow`, at);
  return { tag, offset: at, valueOffset, length, end };
}

/** The elements inside a constructed TLV, in order. */
export function childrenOf(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.valueOffset; at < parent.end; ) {
    const t = readTlv(der, at, parent.end);
    out.push(t);
    at = t.end;
  }
  return out;
}

/** A copy, as a Uint8Array of its own, of bytes an ASN.1 schema holds (an ArrayBuffer, or a view of one). */
export const bytesOf = (b: ArrayBuffer | ArrayBufferView): Uint8Array => (b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength)).slice();
