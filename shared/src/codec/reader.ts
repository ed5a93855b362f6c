/**
 * The decoding cursor, after rustls' `msgs/codec.rs` `Reader`: big-endian integers (RFC 8446
 * §3.3), fixed-length byte strings, length-prefixed sub-readers (`sub`, RFC 8446 §3.4
 * vectors) and a check that nothing trails (`expectEnd`).
 *
 * The same cursor also records the inspector's field tree: `field(key, explain, read)` notes
 * where the value started, runs `read`, and records the bytes it consumed. Decoding and the
 * packet inspector therefore share one code path, so the hex view can never disagree with
 * what the game actually decoded.
 */
import type { FieldNode } from './fields.ts';
import { toHex } from './bytes.ts';

/** Strict, and keeps a leading U+FEFF: stripping it would give two encodings of one string. */
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Every way bytes can fail to decode. */
export type CodecErrorReason = 'truncated' | 'trailing' | 'unknownType' | 'badValue';

export class CodecError extends Error {
  override readonly name = 'CodecError';
  constructor(
    readonly reason: CodecErrorReason,
    message: string,
    /** Absolute byte offset (in the outermost buffer) where the problem was found. */
    readonly offset: number,
  ) {
    super(message);
  }
}

/** How the inspector shows a decoded value, unless the field says otherwise. */
export function showValue(value: unknown): string {
  if (value instanceof Uint8Array) return value.length === 0 ? '(empty)' : toHex(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(showValue).join(', ');
  return '';
}

export interface FieldOptions<T> {
  /** Display name; defaults to the key. */
  name?: string;
  /** Display value; defaults to `showValue`. */
  show?: (value: T) => string;
  /** A more specific explanation once the value is known (e.g. which cipher suite it is). */
  explainValue?: (value: T) => string;
  /**
   * A grouping node (a TLS record header around its handshake message): its children keep the
   * paths they would have without it, so `setField` paths stay those of the message's fields.
   */
  group?: boolean;
}

/** Shared by a reader and its sub-readers: the tree under construction. */
interface Recorder {
  readonly root: FieldNode[];
  /** Children list of the field being read now (the root list when outside any field). */
  current: FieldNode[];
  /** Dotted path of the field being read now ('' at the root). */
  path: string;
}

export class Reader {
  private constructor(
    private readonly buf: Uint8Array,
    private pos: number,
    private readonly end: number,
    private readonly recorder: Recorder | undefined,
  ) {}

  /**
   * A cursor over `bytes`. With `record`, fields are collected into `fields`; `path` prefixes
   * every recorded path (e.g. 'certificate' for a certificate decoded on its own).
   */
  static over(bytes: Uint8Array, options: { record?: boolean; path?: string } = {}): Reader {
    const root: FieldNode[] = [];
    const recorder = options.record ? { root, current: root, path: options.path ?? '' } : undefined;
    return new Reader(bytes, 0, bytes.length, recorder);
  }

  /** The recorded field tree (empty when not recording). */
  get fields(): FieldNode[] {
    return this.recorder ? this.recorder.root : [];
  }

  /** Absolute offset of the next byte. */
  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private take(n: number, what: string): Uint8Array {
    if (n > this.remaining) {
      throw new CodecError(
        'truncated',
        `truncated: ${what} needs ${n} byte${n === 1 ? '' : 's'} at offset ${this.pos}, only ${this.remaining} left`,
        this.pos,
      );
    }
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  private uint(n: number, what: string): number {
    const b = this.take(n, what);
    let v = 0;
    for (const byte of b) v = v * 256 + byte; // multiplication, not <<, so u32 stays unsigned
    return v;
  }

  u8(): number {
    return this.uint(1, 'a 1-byte number');
  }
  u16(): number {
    return this.uint(2, 'a 2-byte number');
  }
  u24(): number {
    return this.uint(3, 'a 3-byte number');
  }
  u32(): number {
    return this.uint(4, 'a 4-byte number');
  }
  /** An 8-byte number; rejects values a JavaScript number cannot hold exactly. */
  u64(): number {
    const at = this.pos;
    const v = this.uint(8, 'an 8-byte number');
    if (!Number.isSafeInteger(v)) throw new CodecError('badValue', `8-byte number at offset ${at} is too large for the game`, at);
    return v;
  }

  /** `n` bytes starting `skip` bytes ahead, without moving; undefined when fewer remain. */
  peek(n: number, skip = 0): Uint8Array | undefined {
    const from = this.pos + skip;
    return from + n <= this.end ? this.buf.slice(from, from + n) : undefined;
  }

  /** The next byte without moving past it, or undefined at the end. */
  peekByte(): number | undefined {
    return this.pos < this.end ? this.buf[this.pos] : undefined;
  }

  /** Exactly `n` bytes (a copy). */
  bytes(n: number): Uint8Array {
    return this.take(n, `a ${n}-byte value`);
  }

  /** Everything left in this reader. */
  rest(): Uint8Array {
    return this.take(this.remaining, 'the rest');
  }

  /**
   * A reader over the next `lenBytes`-prefixed field (RFC 8446 §3.4). This reader moves past
   * the whole field at once; the caller reads the inside and calls `expectEnd()` on it.
   */
  sub(lenBytes: 1 | 2 | 3): Reader {
    const at = this.pos;
    const len = this.uint(lenBytes, 'a length');
    if (len > this.remaining) {
      this.pos = at; // leave the cursor on the length that lied
      throw new CodecError('truncated', `truncated: length at offset ${at} says ${len} bytes follow, only ${this.remaining - lenBytes} do`, at);
    }
    return this.window(len);
  }

  /** A reader over the next `len` bytes (a length read separately); this reader moves past them. */
  window(len: number): Reader {
    if (len > this.remaining) {
      throw new CodecError('truncated', `truncated: ${len} bytes should follow offset ${this.pos}, only ${this.remaining} do`, this.pos);
    }
    const inner = new Reader(this.buf, this.pos, this.pos + len, this.recorder);
    this.pos += len;
    return inner;
  }

  /** A `lenBytes`-prefixed byte string. */
  vector(lenBytes: 1 | 2 | 3): Uint8Array {
    return this.sub(lenBytes).rest();
  }

  /** A `lenBytes`-prefixed UTF-8 string; invalid UTF-8 is a `badValue`. */
  text(lenBytes: 1 | 2 | 3): string {
    const at = this.pos;
    const raw = this.vector(lenBytes);
    try {
      return utf8Decoder.decode(raw);
    } catch {
      throw new CodecError('badValue', `text at offset ${at} is not valid UTF-8`, at);
    }
  }

  /** Rejects trailing bytes: a canonical encoding has exactly one byte string per value. */
  expectEnd(): void {
    if (this.pos !== this.end) {
      throw new CodecError('trailing', `${this.end - this.pos} unexpected trailing byte(s) at offset ${this.pos}`, this.pos);
    }
  }

  /** Whether this reader records the field tree. */
  get recording(): boolean {
    return this.recorder !== undefined;
  }

  /** When recording, the dotted path a field named `key` read now would get; undefined otherwise. */
  pathOf(key: string): string | undefined {
    const rec = this.recorder;
    if (!rec) return undefined;
    return rec.path ? `${rec.path}.${key}` : key;
  }

  /**
   * When recording, adds nodes built elsewhere (offsets absolute, e.g. a DER structure walked
   * by pki/der.ts) as children of the field being read; otherwise does nothing.
   */
  note(...nodes: FieldNode[]): void {
    this.recorder?.current.push(...nodes);
  }

  /** A `badValue` error located at `offset` (defaults to the cursor). */
  bad(message: string, offset = this.pos): CodecError {
    return new CodecError('badValue', message, offset);
  }

  /**
   * Reads one named field and, when recording, notes it in the tree. Fields read inside
   * `read` (on this reader or its sub-readers) become its children. If `read` throws, the
   * partial node stays in the tree, marked, so the inspector can show where decoding broke.
   */
  field<T>(key: string, explain: string, read: () => T, options: FieldOptions<T> = {}): T {
    const rec = this.recorder;
    if (!rec) return read();
    const start = this.pos;
    const node: FieldNode = {
      path: rec.path ? `${rec.path}.${key}` : key,
      name: options.name ?? key,
      offset: start,
      length: 0,
      value: '',
      explain,
    };
    rec.current.push(node);
    const parent = { current: rec.current, path: rec.path };
    const children: FieldNode[] = [];
    rec.current = children;
    if (!options.group) rec.path = node.path;
    try {
      const value = read();
      node.value = (options.show ?? showValue)(value);
      if (options.explainValue) node.explain = options.explainValue(value);
      return value;
    } catch (e) {
      node.value = `(malformed: ${e instanceof Error ? e.message : String(e)})`;
      throw e;
    } finally {
      node.length = Math.max(0, this.pos - start);
      if (children.length > 0) node.children = children;
      rec.current = parent.current;
      rec.path = parent.path;
    }
  }
}
