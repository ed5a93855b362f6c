/**
 * The encoding side of `reader.ts`: big-endian integers (RFC 8446 §3.3), fixed-length byte
 * strings and length-prefixed vectors (RFC 8446 §3.4). Every method checks its range, so a
 * value that could not be decoded again is refused here rather than sent.
 */
import { utf8 } from './bytes.ts';
import { CodecError } from './reader.ts';

export class Writer {
  /** The bytes so far: `buffer[0, size)`, grown by doubling (a byte-at-a-time array was the engine's hottest path). */
  private buffer = new Uint8Array(64);
  private size = 0;

  get length(): number {
    return this.size;
  }

  private room(n: number): void {
    if (this.size + n <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < this.size + n) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.buffer.subarray(0, this.size));
    this.buffer = grown;
  }

  private uint(value: number, n: number, what: string): this {
    const max = 2 ** (8 * n) - 1;
    if (!Number.isSafeInteger(value) || value < 0 || value > max) {
      throw new CodecError('badValue', `${what} must be a whole number from 0 to ${max}, got ${value}`, this.length);
    }
    this.room(n);
    for (let i = n - 1; i >= 0; i--) this.buffer[this.size++] = Math.floor(value / 2 ** (8 * i)) % 256;
    return this;
  }

  u8(value: number, what = 'a 1-byte number'): this {
    return this.uint(value, 1, what);
  }
  u16(value: number, what = 'a 2-byte number'): this {
    return this.uint(value, 2, what);
  }
  u24(value: number, what = 'a 3-byte number'): this {
    return this.uint(value, 3, what);
  }
  u32(value: number, what = 'a 4-byte number'): this {
    return this.uint(value, 4, what);
  }
  /** Up to Number.MAX_SAFE_INTEGER: the game never needs more. */
  u64(value: number, what = 'an 8-byte number'): this {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new CodecError('badValue', `${what} must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, got ${value}`, this.length);
    }
    return this.uint(value, 8, what);
  }

  /** Raw bytes; with `expectLength`, refuses any other length. */
  bytes(value: Uint8Array, expectLength?: number, what = 'value'): this {
    if (expectLength !== undefined && value.length !== expectLength) {
      throw new CodecError('badValue', `${what} must be ${expectLength} bytes, got ${value.length}`, this.length);
    }
    this.room(value.length);
    this.buffer.set(value, this.size);
    this.size += value.length;
    return this;
  }

  /** A `lenBytes`-prefixed field whose inside `write` produces. */
  sub(lenBytes: 1 | 2 | 3, write: (w: Writer) => void, what = 'field'): this {
    const inner = new Writer();
    write(inner);
    const max = 2 ** (8 * lenBytes) - 1;
    if (inner.length > max) {
      throw new CodecError('badValue', `${what} is ${inner.length} bytes, at most ${max} fit`, this.length);
    }
    this.uint(inner.length, lenBytes, `length of ${what}`);
    return this.bytes(inner.buffer.subarray(0, inner.size));
  }

  /** A `lenBytes`-prefixed byte string. */
  vector(lenBytes: 1 | 2 | 3, value: Uint8Array, what = 'field'): this {
    return this.sub(lenBytes, (w) => w.bytes(value), what);
  }

  /** A `lenBytes`-prefixed UTF-8 string. Lone surrogates cannot round-trip, so they are refused. */
  text(lenBytes: 1 | 2 | 3, value: string, what = 'text'): this {
    if (/\p{Cs}/u.test(value)) throw new CodecError('badValue', `${what} contains a broken character`, this.length);
    return this.vector(lenBytes, utf8(value), what);
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.size);
  }
}
