/**
 * TCP bytes → TLS records, as another implementation sends them (RFC 5246 §6.2.1, RFC 8446
 * §5.1): a read may end inside a record or hold several; a handshake record may hold several
 * handshake messages, and a message may run on into the next handshake record. The engine's
 * machines take one message per record (messages/tls.ts), so plaintext handshake messages are
 * joined and cut here and each handed on in a record of its own.
 *
 * The peer is hostile until its bytes are read: every header is checked before its length is
 * trusted (a length beyond what the record may carry is record_overflow, before its body is
 * awaited), and nothing is buffered beyond one record and one handshake message of bounded size.
 */
import { CodecError } from '../../shared/src/codec/reader.ts';

const HEADER = 5;
/** RFC 8446 §5.1, RFC 5246 §6.2.1: a plaintext fragment is at most 2^14 bytes. */
export const MAX_PLAINTEXT = 2 ** 14;
/** A protected record's fragment: RFC 5246 §6.2.3 allows 2^14 + 2048 bytes, RFC 8446 §5.2 only 2^14 + 256. */
export const MAX_CIPHERTEXT = { tls12: 2 ** 14 + 2048, tls13: 2 ** 14 + 256 } as const;
/** The longest fragment any TLS peer may send (what a reader that does not know the record's protection accepts). */
export const MAX_FRAGMENT = MAX_CIPHERTEXT.tls12;
/** The largest handshake message accepted (a certificate chain of a few certificates fits with room to spare). */
export const MAX_HANDSHAKE_MESSAGE = 2 ** 16;
const CONTENT_TYPES = new Set([20, 21, 22, 23]);

export const RECORD_TYPE = { changeCipherSpec: 20, alert: 21, handshake: 22, applicationData: 23 } as const;

export interface RawRecord {
  type: number;
  /** The whole record, header included. */
  bytes: Uint8Array;
  fragment: Uint8Array;
}

/**
 * A record longer than its kind may be (RFC 8446 §5.1 and §5.2, RFC 5246 §6.2): record_overflow,
 * as OpenSSL answers — told apart from bytes that are no TLS record at all (decode_error).
 */
export class RecordOverflow extends CodecError {}

/** The largest fragment a record of `type` may have, given what the reader knows of the connection. */
export type FragmentLimit = (type: number) => number;

/** Collects TCP reads and cuts them into whole records. */
export class RecordReader {
  private buffer = new Uint8Array(0);

  constructor(private readonly limit: FragmentLimit = () => MAX_FRAGMENT) {}

  push(chunk: Uint8Array): void {
    const next = new Uint8Array(this.buffer.length + chunk.length);
    next.set(this.buffer, 0);
    next.set(chunk, this.buffer.length);
    this.buffer = next;
  }

  /** The next whole record, or undefined until more bytes arrive. Throws `CodecError` for a header no TLS peer sends. */
  next(): RawRecord | undefined {
    const b = this.buffer;
    if (b.length < 1) return undefined;
    if (!CONTENT_TYPES.has(b[0]!)) throw new CodecError('badValue', `not a TLS record: content type ${b[0]}`, 0);
    if (b.length < HEADER) return undefined;
    if (b[1] !== 3 || b[2]! < 1 || b[2]! > 4) throw new CodecError('badValue', `not a TLS record: version ${b[1]}.${b[2]}`, 1);
    const length = (b[3]! << 8) | b[4]!;
    const limit = this.limit(b[0]!);
    if (length === 0) throw new CodecError('badValue', `a record fragment is 1 to ${limit} bytes, got 0`, 3);
    if (length > limit) throw new RecordOverflow('badValue', `a record of ${length} bytes, longer than the ${limit} this record may have (RFC 8446 §5.1, RFC 5246 §6.2)`, 3);
    if (b.length < HEADER + length) return undefined;
    const bytes = b.slice(0, HEADER + length);
    this.buffer = b.slice(HEADER + length);
    return { type: bytes[0]!, bytes, fragment: bytes.subarray(HEADER) };
  }

  /** Bytes held that do not yet make a record. */
  get pending(): number {
    return this.buffer.length;
  }
}

/** Joins plaintext handshake fragments and cuts them into whole messages (type, 3-byte length, body). */
export class HandshakeJoiner {
  private buffer = new Uint8Array(0);

  /** The messages completed by this fragment, each with its 4-byte header. */
  push(fragment: Uint8Array): Uint8Array[] {
    const b = new Uint8Array(this.buffer.length + fragment.length);
    b.set(this.buffer, 0);
    b.set(fragment, this.buffer.length);
    const out: Uint8Array[] = [];
    let at = 0;
    while (b.length - at >= 4) {
      const length = (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
      if (length > MAX_HANDSHAKE_MESSAGE) throw new CodecError('badValue', `a handshake message of ${length} bytes (at most ${MAX_HANDSHAKE_MESSAGE} accepted)`, at + 1);
      if (b.length - at < 4 + length) break;
      out.push(b.slice(at, at + 4 + length));
      at += 4 + length;
    }
    this.buffer = b.slice(at);
    return out;
  }

  /** A message begun and not finished: RFC 8446 §5.1 forbids another record type in between. */
  get partial(): boolean {
    return this.buffer.length > 0;
  }
}

/** One handshake message in a record of its own (TLS 1.2 record version, as the engine reads). */
export function handshakeRecord(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER + message.length);
  out.set([RECORD_TYPE.handshake, 3, 3, message.length >> 8, message.length & 0xff], 0);
  out.set(message, HEADER);
  return out;
}
