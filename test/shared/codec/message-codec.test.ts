/**
 * The message codec in its real formats: TLS records and handshake messages (RFC 5246, RFC 8446,
 * RFC 8422), HTTP/1.1 text (RFC 9112) and the game's own frames. Properties for every message
 * type (round trip, truncation, trailing bytes, canonical bytes, hostile bytes, field trees whose
 * offsets point at the bytes), then hand-written frames checked against the RFCs' own bytes
 * (RFC 8448's TLS 1.3 trace, RFC 8446's record and alert layouts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex, utf8 } from '../../../shared/src/codec/bytes.ts';
import { CodecError, Reader } from '../../../shared/src/codec/reader.ts';
import { Writer } from '../../../shared/src/codec/writer.ts';
import { decodeHandshakes, decodeMessage, encodeHandshake, encodeMessage, inspectMessage, type Inspection } from '../../../shared/src/messages/codec.ts';
import { editablePaths, setField } from '../../../shared/src/messages/field-edit.ts';
import { encodeCsr } from '../../../shared/src/pki/csr.ts';
import { ALERTS, CIPHER_SUITES, CodeTable, GAME_FRAMES, SUITE } from '../../../shared/src/messages/codes.ts';
import { CONTENT_TYPES, EXTENSION_TYPES, HANDSHAKE_TYPES } from '../../../shared/src/messages/tls-codes.ts';
import type { TlsReadOptions } from '../../../shared/src/messages/tls.ts';
import type { FieldNode, Message } from '../../../shared/src/messages/types.ts';
import rfc8448 from '../../vectors/rfc8448-simple-1rtt.json';
import { MESSAGE_TYPE_NAMES, anyMessage, messageArbitraries, readOptionsFor } from './arbitraries.ts';

const RUNS = { numRuns: 60 };
const HTTP = new Set(['HttpRequest', 'HttpResponse']);

function codecError(run: () => unknown): CodecError {
  try {
    run();
  } catch (e) {
    if (e instanceof CodecError) return e;
    throw new Error(`expected a CodecError, got ${String(e)}`);
  }
  throw new Error('expected a CodecError, but decoding succeeded');
}

function flatten(nodes: FieldNode[]): FieldNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children ?? [])]);
}

function leaves(nodes: FieldNode[]): FieldNode[] {
  return flatten(nodes).filter((n) => !n.children);
}

const byPath = (fields: FieldNode[]) => new Map(flatten(fields).map((f) => [f.path, f]));

/** Offsets and lengths inside the bytes; children inside their parent, in order, not overlapping. */
function expectWellFormedTree(nodes: FieldNode[], size: number, parent?: FieldNode): void {
  let cursor = parent?.offset ?? 0;
  for (const n of nodes) {
    expect(n.offset).toBeGreaterThanOrEqual(cursor);
    expect(n.length).toBeGreaterThanOrEqual(0);
    expect(n.offset + n.length).toBeLessThanOrEqual(size);
    if (parent) expect(n.offset + n.length).toBeLessThanOrEqual(parent.offset + parent.length);
    expect(n.explain.length).toBeGreaterThan(0);
    cursor = n.offset + n.length;
    if (n.children) expectWellFormedTree(n.children, size, n);
  }
}

/** A TLS record by hand (RFC 8446 §5.1): type, version 0x0303, u16 length, fragment. */
function record(contentType: number, fragment: Uint8Array, version = 0x0303): Uint8Array {
  return new Writer().u8(contentType).u16(version).vector(2, fragment).finish();
}
/** A handshake message by hand (RFC 8446 §4): type, u24 length, body. */
function handshake(type: number, body: Uint8Array): Uint8Array {
  return new Writer().u8(type).vector(3, body).finish();
}
/** A game frame by hand: [type ≥ 0xE0][u24 length][body]. */
function frame(type: number, body: Uint8Array): Uint8Array {
  return new Writer().u8(type).vector(3, body).finish();
}
const hs = (name: Parameters<typeof HANDSHAKE_TYPES.code>[0], body: Uint8Array) => record(22, handshake(HANDSHAKE_TYPES.code(name), body));

/** The value at a dotted path of a plain object (undefined when there is none). */
function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v !== null && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, k) ? (v as Record<string, unknown>)[k] : undefined), value);
}
function putAt(target: unknown, path: string, value: unknown): void {
  const keys = path.split('.');
  const parent = keys.length === 1 ? target : at(target, keys.slice(0, -1).join('.'));
  (parent as Record<string, unknown>)[keys[keys.length - 1]!] = value;
}

const bigEndian = (b: Uint8Array) => b.reduce((v, x) => v * 256 + x, 0);
function endsWith(span: Uint8Array, tail: Uint8Array): boolean {
  return span.length >= tail.length && toHex(span.subarray(span.length - tail.length)) === toHex(tail);
}

/**
 * Each leaf of the tree that holds a field of the message points at that field's bytes: a byte
 * string or text at the end of its span (after at most a 3-byte length), a number as big-endian
 * bytes (or, in HTTP, as decimal digits), a list of numbers as its u8/u16 entries. X.509 and
 * PKCS #10 internals are checked in test/shared/pki.
 */
function expectOffsetsMatch(m: Message, bytes: Uint8Array, fields: FieldNode[]): number {
  let checked = 0;
  for (const leaf of leaves(fields)) {
    if (/^(certificate|chain|csr)\b/.test(leaf.path)) continue;
    const value = at(m, leaf.path);
    if (value === undefined) continue;
    const span = bytes.subarray(leaf.offset, leaf.offset + leaf.length);
    const where = `${m.type}.${leaf.path} at ${leaf.offset}+${leaf.length}`;
    checked++;
    // Names that travel as code points.
    if (leaf.path === 'type') expect([...span], where).toEqual([GAME_FRAMES.code(value as never)]);
    else if (leaf.path === 'contentType') expect([...span], where).toEqual([CONTENT_TYPES.code(value as never)]);
    else if (leaf.path.endsWith('description')) expect(span[span.length - 1], where).toBe(ALERTS.code(value as never));
    else if (value instanceof Uint8Array) {
      expect(endsWith(span, value), where).toBe(true);
      expect(span.length - value.length, where).toBeLessThanOrEqual(3);
    } else if (typeof value === 'string') {
      expect(endsWith(span, utf8(value)), where).toBe(true);
      expect(span.length - utf8(value).length, where).toBeLessThanOrEqual(HTTP.has(m.type) ? 0 : 3);
    } else if (typeof value === 'number') {
      expect(HTTP.has(m.type) ? new TextDecoder().decode(span) : bigEndian(span), where).toBe(HTTP.has(m.type) ? String(value) : value);
    } else if (Array.isArray(value) && value.every((v) => typeof v === 'number')) {
      const asU16 = (p: number) => span.length - p === 2 * value.length && value.every((v, i) => bigEndian(span.subarray(p + 2 * i, p + 2 * i + 2)) === v);
      const asU8 = (p: number) => span.length - p === value.length && value.every((v, i) => span[p + i] === v);
      expect([0, 1, 2].some((p) => asU16(p) || asU8(p)), where).toBe(true);
    } else checked--;
  }
  return checked;
}

describe('message codec: round trip', () => {
  it.each(MESSAGE_TYPE_NAMES)('%s: decode(encode(m)) equals m, and the inspector decodes the same', (type) => {
    fc.assert(
      fc.property(messageArbitraries[type], (m) => {
        const bytes = encodeMessage(m);
        const options = readOptionsFor(m);
        expect(decodeMessage(bytes, options)).toEqual(m);
        const inspection = inspectMessage(bytes, options);
        expect(inspection.message).toEqual(m);
        expect(inspection.error).toBeUndefined();
      }),
      RUNS,
    );
  });

  it('each kind of message starts with its kind: a TLS content type, an HTTP token, or a game frame type', () => {
    fc.assert(
      fc.property(anyMessage, (m) => {
        const first = encodeMessage(m)[0]!;
        if (HTTP.has(m.type)) expect(String.fromCharCode(first)).toMatch(/[A-Z]/);
        else if (GAME_FRAMES.has(m.type)) expect(first).toBe(GAME_FRAMES.code(m.type as never));
        else expect(first).toBe(CONTENT_TYPES.code(m.type === 'ChangeCipherSpec' ? 'changeCipherSpec' : m.type === 'Alert' ? 'alert' : m.type === 'EncryptedRecord' ? m.contentType : 'handshake'));
      }),
      RUNS,
    );
  });

  it('is canonical: any bytes that decode re-encode to exactly themselves', () => {
    fc.assert(
      fc.property(anyMessage, fc.nat(), fc.integer({ min: 0, max: 255 }), (m, where, byte) => {
        const bytes = encodeMessage(m);
        bytes[where % bytes.length] = byte;
        for (const options of [readOptionsFor(m), {}]) {
          let decoded: Message;
          try {
            decoded = decodeMessage(bytes, options);
          } catch {
            continue;
          }
          expect(toHex(encodeMessage(decoded))).toBe(toHex(bytes));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('encoding refuses a value that could not be read back, rather than send it', () => {
    const refused = (m: Message) => codecError(() => encodeMessage(m)).reason;
    const hello = { type: 'ClientHello' as const, random: new Uint8Array(32), sessionId: new Uint8Array(0), cipherSuites: [0x1301] };
    expect(refused({ ...hello, extensions: [{ type: 'server_name', hostName: 'a' }, { type: 'server_name', hostName: 'b' }] })).toBe('badValue');
    expect(refused({ ...hello, extensions: [{ type: 'unknown', code: 0, data: new Uint8Array(0) }] })).toBe('badValue'); // 0 is server_name: use the typed form
    expect(refused({ type: 'EncryptedRecord', contentType: 'changeCipherSpec', fragment: new Uint8Array(30) })).toBe('badValue');
    expect(refused({ type: 'EncryptedRecord', contentType: 'alert', fragment: new Uint8Array(2) })).toBe('badValue');
    expect(refused({ type: 'HttpRequest', method: 'GET', host: ' bank.example', path: '/', body: '' })).toBe('badValue'); // header values are trimmed
    expect(refused({ type: 'HttpRequest', method: 'GET', host: 'bank.example', path: '/à', body: '' })).toBe('badValue'); // à is C3 A0: A0 reads as a space
    expect(refused({ type: 'HttpRequest', method: 'G T', host: 'bank.example', path: '/', body: '' })).toBe('badValue');
  });
});

describe('message codec: rejects what is not canonical', () => {
  it.each(MESSAGE_TYPE_NAMES)('%s: every strict prefix is truncated', (type) => {
    fc.assert(
      fc.property(messageArbitraries[type], (m) => {
        const bytes = encodeMessage(m);
        for (let n = 0; n < bytes.length; n++) {
          expect(codecError(() => decodeMessage(bytes.subarray(0, n), readOptionsFor(m))).reason, `${n} of ${bytes.length} bytes`).toBe('truncated');
        }
      }),
      { numRuns: 12 },
    );
  });

  it.each(MESSAGE_TYPE_NAMES)('%s: any appended byte is trailing', (type) => {
    fc.assert(
      fc.property(messageArbitraries[type], fc.integer({ min: 0, max: 255 }), (m, extra) => {
        const longer = new Uint8Array([...encodeMessage(m), extra]);
        expect(codecError(() => decodeMessage(longer, readOptionsFor(m))).reason).toBe('trailing');
      }),
      RUNS,
    );
  });

  it('a handshake body that ends early inside its record is trailing, not silently accepted', () => {
    // A record of 5 bytes whose ServerHelloDone (length 0) takes only 4.
    expect(codecError(() => decodeMessage(fromHex('16030300050e00000000'))).reason).toBe('trailing');
    // ServerHelloDone saying its body is 1 byte: RFC 5246 §7.4.5 gives it none.
    expect(codecError(() => decodeMessage(fromHex('16030300050e00000100'))).reason).toBe('trailing');
  });

  it('rejects an unknown record content type and an unknown game frame, pointing at byte 0', () => {
    for (const bytes of [fromHex('1803030001ff'), fromHex('e00000010a'), fromHex('0000')]) {
      const e = codecError(() => decodeMessage(bytes));
      expect(['unknownType', 'badValue']).toContain(e.reason);
      expect(e.offset).toBe(0);
    }
  });

  it('rejects a record version other than 0x0303 unless lenient (what the game writes, versus what a peer may send)', () => {
    const alert = fromHex('150301000202' + '28');
    const e = codecError(() => decodeMessage(alert));
    expect(e.reason).toBe('badValue');
    expect(e.offset).toBe(1);
    expect(decodeMessage(alert, { lenient: true })).toEqual({ type: 'Alert', description: 'handshake_failure' });
  });

  it('rejects an unknown alert description, an alert at the wrong level, an empty record', () => {
    expect(codecError(() => decodeMessage(fromHex('150303000202ff'))).reason).toBe('badValue');
    expect(codecError(() => decodeMessage(fromHex('15030300020128'))).reason).toBe('badValue'); // handshake_failure is fatal (2)
    expect(codecError(() => decodeMessage(fromHex('1703030000'))).reason).toBe('badValue'); // RFC 8446 §5.1: no empty records
  });

  it('rejects wrong fixed lengths, both encoding and decoding', () => {
    const random31: Message = { type: 'ServerHello', random: new Uint8Array(31), sessionId: new Uint8Array(0), cipherSuite: 0x1301, extensions: [] };
    expect(codecError(() => encodeMessage(random31)).reason).toBe('badValue');
    for (const m of [
      { type: 'KeyTransport', key: new Uint8Array(16) },
      { type: 'ServerPublicKey', publicKey: new Uint8Array(33) },
      { type: 'Finished', verifyData: new Uint8Array(11) },
      { type: 'ClientHello', random: new Uint8Array(32), sessionId: new Uint8Array(33), cipherSuites: [], extensions: [] },
      { type: 'ClientHello', random: new Uint8Array(32), sessionId: new Uint8Array(0), cipherSuites: [], extensions: [{ type: 'key_share', shares: [{ group: 0x1d, key: new Uint8Array(0) }] }] },
      { type: 'ServerHello', random: new Uint8Array(32), sessionId: new Uint8Array(0), cipherSuite: 0x1301, extensions: [{ type: 'supported_versions', versions: [0x0304, 0x0303] }] },
      { type: 'ClientKeyExchange', encryptedPreMaster: new Uint8Array(4), ecdhPublic: new Uint8Array(4) },
      { type: 'EncryptedRecord', contentType: 'applicationData', fragment: new Uint8Array(0) },
    ] as Message[]) {
      expect(codecError(() => encodeMessage(m)).reason, m.type).toBe('badValue');
    }
    // An 11-byte Finished on the wire: neither TLS 1.2's 12 nor TLS 1.3's 32 (with SHA-256).
    const e = codecError(() => decodeMessage(hs('Finished', new Uint8Array(11))));
    expect(e.reason).toBe('badValue');
    expect(e.offset).toBe(9);
  });

  it('rejects a ClientHello with compression, an odd-length cipher suite list, a repeated extension', () => {
    const hello = (suites: string, compression: string, exts: string) =>
      hs('ClientHello', fromHex('0303' + '00'.repeat(32) + '00' + suites + compression + exts));
    expect(decodeMessage(hello('00021301', '0100', '0000'))).toMatchObject({ type: 'ClientHello', cipherSuites: [0x1301], extensions: [] });
    expect(codecError(() => decodeMessage(hello('00021301', '020100', '0000'))).reason).toBe('badValue'); // DEFLATE offered: CRIME
    expect(codecError(() => decodeMessage(hello('0003130113', '0100', '0000'))).reason).toBe('badValue');
    const e = codecError(() => decodeMessage(hello('00021301', '0100', '0008' + 'ff010001' + '00' + 'ff010001' + '00')));
    expect(e.reason).toBe('badValue');
    expect(e.message).toMatch(/appears twice/);
  });

  it("rejects a CSR that is not PKCS #10 in the game's profile: trailing DER, a P-256 key that is not a point, an empty key", () => {
    const good = { subject: 'bank.example', keyType: 'p256', keyUsage: 'digitalSignature', publicKey: new Uint8Array(65).fill(4), signature: new Uint8Array(70) } as const;
    const der = encodeCsr(good);
    const framed = (body: Uint8Array) => frame(GAME_FRAMES.code('CertificateRequest'), new Writer().vector(2, body).finish());
    expect(decodeMessage(framed(der))).toEqual({ type: 'CertificateRequest', csr: good });
    expect(codecError(() => decodeMessage(framed(new Uint8Array([...der, 0])))).reason).toBe('badValue');
    const notAPoint = encodeCsr({ ...good, publicKey: new Uint8Array(65).fill(5) });
    expect(codecError(() => decodeMessage(framed(notAPoint))).reason).toBe('badValue');
    expect(codecError(() => encodeMessage({ type: 'CertificateRequest', csr: { ...good, publicKey: new Uint8Array(0) } })).reason).toBe('badValue');
  });

  it('rejects invalid UTF-8 in a game frame and in an HTTP body', () => {
    const body = new Writer().text(1, 'bank.example').vector(2, new Uint8Array([0x68, 0xc3, 0x28])).finish();
    const e = codecError(() => decodeMessage(frame(GAME_FRAMES.code('CertificateRefused'), body)));
    expect(e.reason).toBe('badValue');
    expect(e.message).toContain('UTF-8');
    const http = new Uint8Array([...utf8('HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 3\r\n\r\n'), 0x68, 0xc3, 0x28]);
    expect(codecError(() => decodeMessage(http)).message).toContain('UTF-8');
  });

  it('HTTP: a request without Content-Length has no body (RFC 9112 §6.3), so anything after it is trailing', () => {
    const get = utf8('GET / HTTP/1.1\r\nHost: bank.example\r\n\r\n');
    expect(decodeMessage(get)).toEqual({ type: 'HttpRequest', method: 'GET', host: 'bank.example', path: '/', body: '' });
    expect(codecError(() => decodeMessage(new Uint8Array([...get, 0x41]))).reason).toBe('trailing');
  });

  it('keeps a leading byte-order mark in text, so each string has one encoding', () => {
    const m: Message = { type: 'CertificateRefused', subject: '\uFEFFbank.example', reason: '\uFEFFno' };
    expect(decodeMessage(encodeMessage(m))).toEqual(m);
  });
});

const HANDSHAKE_CODES = HANDSHAKE_TYPES.names.map((n) => HANDSHAKE_TYPES.code(n));

/** Random bytes, and valid encodings broken in the ways an attacker's raw edit breaks them. */
const hostileBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.tuple(fc.integer({ min: 20, max: 23 }), fc.uint8Array({ maxLength: 250 })).map(([type, body]) => record(type, body)),
  fc.tuple(fc.constantFrom(...HANDSHAKE_CODES), fc.uint8Array({ maxLength: 250 })).map(([type, body]) => record(22, handshake(type, body))),
  fc.tuple(fc.constantFrom(...GAME_FRAMES.names.map((n) => GAME_FRAMES.code(n))), fc.uint8Array({ maxLength: 250 })).map(([type, body]) => frame(type, body)),
  fc.tuple(anyMessage, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([m, where, byte]) => {
    const b = encodeMessage(m);
    b[where % b.length] = byte;
    return b;
  }),
  fc.tuple(anyMessage, fc.nat()).map(([m, cut]) => {
    const b = encodeMessage(m);
    return b.subarray(0, cut % (b.length + 1));
  }),
);
const readOptions = fc.constantFrom<TlsReadOptions>({}, { tls13: true }, { encrypted: true }, { lenient: true });

describe('message codec: hostile bytes', () => {
  it('decode only ever throws CodecError; inspect never throws', () => {
    fc.assert(
      fc.property(hostileBytes, readOptions, (bytes, options) => {
        try {
          decodeMessage(bytes, options);
        } catch (e) {
          expect(e).toBeInstanceOf(CodecError);
          expect(['truncated', 'trailing', 'unknownType', 'badValue']).toContain((e as CodecError).reason);
        }
        const inspection = inspectMessage(bytes, options);
        expect(inspection.message === undefined).toBe(inspection.error !== undefined);
        try {
          decodeHandshakes(bytes, options);
        } catch (e) {
          expect(e).toBeInstanceOf(CodecError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('field trees stay inside the bytes, children inside parents, for good and broken packets alike', () => {
    fc.assert(
      fc.property(fc.oneof(anyMessage.map(encodeMessage), hostileBytes), readOptions, (bytes, options) => {
        expectWellFormedTree(inspectMessage(bytes, options).fields, bytes.length);
      }),
      { numRuns: 500 },
    );
  });

  it('a well-formed record or frame is covered exactly by its top-level fields: record → header fields and the message', () => {
    fc.assert(
      fc.property(anyMessage.filter((m) => !HTTP.has(m.type)), (m) => {
        const bytes = encodeMessage(m);
        const top = inspectMessage(bytes, readOptionsFor(m)).fields;
        if (GAME_FRAMES.has(m.type)) {
          expect(top[0]).toMatchObject({ path: 'type', offset: 0, length: 1 });
          expect(top[1]).toMatchObject({ path: 'length', offset: 1, length: 3, value: String(bytes.length - 4) });
        } else {
          expect(top).toHaveLength(1);
          expect(top[0]).toMatchObject({ path: 'record', offset: 0, length: bytes.length, value: m.type });
          const header = top[0]!.children!.slice(0, 3);
          expect(header.map((f) => [f.path, f.offset, f.length])).toEqual([
            ['contentType', 0, 1],
            ['recordVersion', 1, 2],
            ['recordLength', 3, 2],
          ]);
          expect(header[2]!.value).toBe(String(bytes.length - 5));
          // After the header, the message itself (a handshake node, or the alert's or fragment's fields) fills the record.
          const body = top[0]!.children!.slice(3);
          let next = 5;
          for (const n of body) {
            expect(n.offset).toBe(next);
            next += n.length;
          }
          expect(next).toBe(bytes.length);
          const carried = body[0]!;
          if (carried.path === 'handshake') {
            expect(carried.children!.slice(0, 2).map((f) => [f.path, f.offset, f.length])).toEqual([
              ['handshakeType', 5, 1],
              ['handshakeLength', 6, 3],
            ]);
          }
          return;
        }
        let next = 0;
        for (const n of top) {
          expect(n.offset).toBe(next);
          next += n.length;
        }
        expect(next).toBe(bytes.length);
      }),
      RUNS,
    );
  });

  it.each(MESSAGE_TYPE_NAMES)('%s: every field of the tree points at the bytes of that field', (type) => {
    let checked = 0;
    fc.assert(
      fc.property(messageArbitraries[type], (m) => {
        const bytes = encodeMessage(m);
        checked += expectOffsetsMatch(m, bytes, inspectMessage(bytes, readOptionsFor(m)).fields);
      }),
      { numRuns: 30 },
    );
    // Messages with fields of their own have their fields checked, not just skipped.
    if (!['ServerHelloDone', 'HelloRequest', 'EndOfEarlyData', 'ChangeCipherSpec', 'Certificate', 'CertificateIssued', 'CertificateRequest'].includes(type)) expect(checked).toBeGreaterThan(0);
  });

  it('a truncated packet shows the fields read so far and says where it broke', () => {
    const bytes = encodeMessage({
      type: 'ClientHello',
      random: new Uint8Array(32).fill(1),
      sessionId: new Uint8Array(0),
      cipherSuites: [0x1301, 0xff9c],
      extensions: [{ type: 'server_name', hostName: 'bank.example' }],
    });
    const inspection: Inspection = inspectMessage(bytes.subarray(0, 5 + 4 + 2 + 32 + 1 + 3));
    expect(inspection.message).toBeUndefined();
    expect(inspection.error).toMatch(/truncated/);
    const paths = flatten(inspection.fields).map((f) => f.path);
    expect(paths).toEqual(['record', 'contentType', 'recordVersion', 'recordLength']);
    expect(inspection.fields[0]!.value).toMatch(/malformed/);
    // Cut inside the cipher suites, but the record's own length left intact: the record shows its body up to the cut.
    const cut = new Uint8Array(bytes.subarray(0, 5 + 4 + 2 + 32 + 1 + 3));
    const fixedUp = record(22, cut.subarray(5));
    const inner = inspectMessage(fixedUp);
    const innerPaths = flatten(inner.fields).map((f) => f.path);
    expect(innerPaths).toEqual(['record', 'contentType', 'recordVersion', 'recordLength', 'handshake', 'handshakeType', 'handshakeLength']);
    expect(inner.error).toMatch(/handshake message says \d+ bytes follow/);
  });
});

describe('hand-written frames, checked against the RFCs', () => {
  const m = rfc8448.messages;

  it('RFC 8446 §5.1 / §6: an alert record is type 21, version 0x0303, length 2, level and description', () => {
    expect(toHex(encodeMessage({ type: 'Alert', description: 'bad_certificate' }))).toBe('150303000202' + '2a');
    expect(toHex(encodeMessage({ type: 'Alert', description: 'close_notify' }))).toBe('150303000201' + '00');
    // RFC 8446 D.4 (middlebox compatibility) and RFC 5246 §7.1: ChangeCipherSpec is the single byte 1.
    expect(toHex(encodeMessage({ type: 'ChangeCipherSpec' }))).toBe('1403030001' + '01');
  });

  it("RFC 8448 §3: the ClientHello's record header (16 03 01 00 c4), read leniently as a peer sends it, written as the game does", () => {
    const peerRecord = record(22, fromHex(m.clientHello), 0x0301);
    expect(toHex(peerRecord.subarray(0, 5))).toBe('16030100c4'); // as printed in RFC 8448 §3, "complete record"
    const hello = decodeMessage(peerRecord, { lenient: true });
    expect(hello.type).toBe('ClientHello');
    expect(codecError(() => decodeMessage(peerRecord)).offset).toBe(1); // the game writes 0x0303 only
    expect(toHex(encodeMessage(hello))).toBe('16030300c4' + m.clientHello);
  });

  it('RFC 8448 §3: the ClientHello extension block, typed where the game reads it, and re-encoded byte for byte', () => {
    const [hello] = decodeHandshakes(fromHex(m.clientHello));
    expect(hello).toMatchObject({ type: 'ClientHello', sessionId: new Uint8Array(0), cipherSuites: [0x1301, 0x1303, 0x1302] });
    if (hello!.type !== 'ClientHello') throw new Error('not a ClientHello');
    expect(hello!.extensions).toEqual([
      { type: 'server_name', hostName: 'server' },
      { type: 'renegotiation_info', renegotiatedConnection: new Uint8Array(0) },
      { type: 'supported_groups', groups: [0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104] },
      { type: 'unknown', code: 0x0023, data: new Uint8Array(0) }, // session_ticket
      { type: 'key_share', shares: [{ group: 0x001d, key: fromHex('99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c') }] },
      { type: 'supported_versions', versions: [0x0304] },
      { type: 'signature_algorithms', schemes: [0x0403, 0x0503, 0x0603, 0x0203, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0201, 0x0402, 0x0502, 0x0602, 0x0202] },
      { type: 'psk_key_exchange_modes', modes: [1] }, // psk_dhe_ke
      { type: 'unknown', code: 0x001c, data: fromHex('4001') }, // record_size_limit
    ]);
    expect(toHex(encodeHandshake(hello!))).toBe(m.clientHello);
  });

  it("RFC 8448 §3: the field tree's extension nodes sit on the trace's own bytes", () => {
    const bytes = record(22, fromHex(m.clientHello));
    const fields = byPath(inspectMessage(bytes).fields);
    // record header 5, handshake header 4, version 2, random 32, session id 1, suites 2+6, compression 2, extensions length 2.
    const first = fields.get('extensions.0')!;
    expect(first.offset).toBe(5 + 4 + 2 + 32 + 1 + 8 + 2 + 2);
    expect(toHex(bytes.subarray(first.offset, first.offset + first.length))).toBe('0000000b0009000006' + toHex(utf8('server')));
    expect(fields.get('extensions.0.extensionType')!.value).toBe('server_name (0x0000)');
    expect(fields.get('extensions.0.hostName')!.value).toBe('server');
    const share = fields.get('extensions.4.shares.0.key')!;
    expect(toHex(bytes.subarray(share.offset + 2, share.offset + share.length))).toBe('99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c');
    expect(fields.get('extensions.5')!.value).toBe('supported_versions');
    expect(fields.get('extensions.7.extensionType')!.value).toBe('psk_key_exchange_modes (0x002d)');
    expect(fields.get('extensions.7.modes')!.value).toBe('1 (psk_dhe_ke)');
    expect(fields.get('extensions.8.extensionType')!.value).toBe('0x001c'); // record_size_limit, kept as bytes
  });

  it('RFC 8448 §3: ServerHello, EncryptedExtensions, CertificateVerify and both Finished messages re-encode byte for byte', () => {
    for (const hex of [m.serverHello, m.encryptedExtensions, m.certificateVerify, m.serverFinished, m.clientFinished]) {
      const [one, ...more] = decodeHandshakes(fromHex(hex), { tls13: true });
      expect(more).toEqual([]);
      expect(toHex(encodeHandshake(one!))).toBe(hex);
    }
    const [serverHello] = decodeHandshakes(fromHex(m.serverHello));
    expect(serverHello).toMatchObject({
      cipherSuite: SUITE.TLS_AES_128_GCM_SHA256,
      extensions: [
        { type: 'key_share', shares: [{ group: 0x001d }] },
        { type: 'supported_versions', versions: [0x0304] },
      ],
    });
    expect(decodeHandshakes(fromHex(m.encryptedExtensions))[0]).toMatchObject({
      extensions: [{ type: 'supported_groups' }, { type: 'unknown', code: 0x001c }, { type: 'server_name', hostName: '' }],
    });
    expect(decodeHandshakes(fromHex(m.certificateVerify))[0]).toMatchObject({ type: 'CertificateVerify', scheme: 0x0804 });
  });

  it('RFC 8422 §5.4 / §5.7: an ECDHE ServerKeyExchange (named_curve 3, secp256r1 23) and a ClientKeyExchange point', () => {
    const point = new Uint8Array(65).fill(4);
    const ske = encodeMessage({ type: 'ServerKeyExchange', group: 0x0017, publicKey: point, scheme: 0x0403, signature: new Uint8Array(3).fill(9) });
    expect(toHex(ske)).toBe('160303' + '0050' + '0c00004c' + '03' + '0017' + '41' + toHex(point) + '0403' + '0003' + '090909');
    const cke = encodeMessage({ type: 'ClientKeyExchange', encryptedPreMaster: new Uint8Array(0), ecdhPublic: point });
    expect(toHex(cke)).toBe('160303' + '0046' + '10000042' + '41' + toHex(point));
    // RFC 5246 §7.4.7.1: RSA's EncryptedPreMasterSecret is a 2-byte-length vector.
    const rsa = encodeMessage({ type: 'ClientKeyExchange', encryptedPreMaster: new Uint8Array(256).fill(7), ecdhPublic: new Uint8Array(0) });
    expect(toHex(rsa.subarray(0, 11))).toBe('160303' + '0106' + '10000102' + '0100');
  });
});

describe('message codec: the inspector field tree', () => {
  it('explains ClientHello.random and shows cipher suites and extensions by name', () => {
    const fields = inspectMessage(
      encodeMessage({
        type: 'ClientHello',
        random: new Uint8Array(32),
        sessionId: new Uint8Array(0),
        cipherSuites: [SUITE.TLS_AES_128_GCM_SHA256, 0x0a0a],
        extensions: [{ type: 'server_name', hostName: 'bank.example' }],
      }),
    ).fields;
    const f = byPath(fields);
    expect(f.get('record')!.value).toBe('ClientHello');
    expect(f.get('contentType')!.value).toBe('handshake (22)');
    expect(f.get('handshakeType')!.value).toBe('ClientHello (1)');
    expect(f.get('random')!.explain).toBe('32 public random bytes; they make each session’s keys unique, but they are not secret');
    expect(f.get('cipherSuites.0')!.value).toBe('TLS_AES_128_GCM_SHA256 (0x1301)');
    expect(f.get('cipherSuites.1')!.explain).toMatch(/does not speak/);
    expect(f.get('extensions.0')!.explain).toBe(EXTENSION_TYPES.explain('server_name'));
    expect(f.get('extensions.0.hostName')!.value).toBe('bank.example');
  });

  it("shows a Certificate message's certificate fields as children, the chain after it", () => {
    fc.assert(
      fc.property(messageArbitraries.Certificate, (m) => {
        const bytes = encodeMessage(m);
        const fields = flatten(inspectMessage(bytes, readOptionsFor(m)).fields);
        const cert = fields.find((f) => f.path === 'certificate')!;
        // X.509's own layout: the signed part, the algorithm, the signature.
        expect(cert.children!.map((c) => c.path)).toEqual(['certificate.tbsCertificate', 'certificate.signatureAlgorithm', 'certificate.signature']);
        const tbs = cert.children![0]!.children!.map((c) => c.path);
        expect(tbs).toEqual([
          'certificate.version',
          'certificate.serial',
          'certificate.tbsSignatureAlgorithm',
          'certificate.issuer',
          'certificate.validity',
          'certificate.subject',
          'certificate.subjectPublicKeyInfo',
          'certificate.extensions',
        ]);
        const subject = cert.children![0]!.children![5]!;
        expect(subject.value).toBe(m.certificate.subject);
        // Each node covers its own DER element: tag 0x30 (SEQUENCE) for a Name, and the certificate itself.
        expect(bytes[subject.offset]).toBe(0x30);
        expect(bytes[cert.offset + 3]).toBe(0x30); // after its u24 length
        expect(fields.filter((f) => /^chain\.\d+$/.test(f.path))).toHaveLength(m.chain.length);
      }),
      { numRuns: 20 },
    );
  });
});

describe('setField: the attacker edits one field', () => {
  it.each(MESSAGE_TYPE_NAMES)('%s: setting a leaf to another message’s shown value changes exactly that field', (type) => {
    const arb = messageArbitraries[type] as fc.Arbitrary<Message>;
    fc.assert(
      fc.property(arb, arb, fc.nat(), (m, donor, pick) => {
        // Leaves that are fields of the message (headers and X.509's fixed parts, such as its version, are not).
        // An empty chain of certificates is shown on one line, but its certificates are what one edits: refused, below.
        const leavesOf = (x: Message) => leaves(inspectMessage(encodeMessage(x), readOptionsFor(x)).fields).filter((f) => f.path !== 'type' && f.path !== 'chain' && at(x, f.path) !== undefined);
        const ownPaths = new Set(leavesOf(m).map((f) => f.path));
        const editable = leavesOf(donor).filter((f) => ownPaths.has(f.path) && typeof at(m, f.path) === typeof at(donor, f.path));
        if (editable.length === 0) return;
        const node = editable[pick % editable.length]!;
        const expected = structuredClone(m);
        putAt(expected, node.path, at(donor, node.path));
        let edited: Message;
        try {
          edited = setField(m, node.path, node.value);
        } catch (e) {
          // Only a value this message cannot carry (e.g. another hello's share of another length is fine, but a 301's Location in a 200 body is not) may be refused, and it says why.
          expect(() => encodeMessage(expected)).toThrow(CodecError);
          expect(String(e)).toMatch(/cannot set/);
          return;
        }
        expect(edited).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('refuses to set a CA chain with no certificate in it as one value, saying what to change, and does not offer it', () => {
    // The smallest such message fast-check found (a certificate the root signed, so no chain).
    const certificate = { serial: 1n, subject: 'a', issuer: 'a', notBefore: 0, notAfter: 0, keyUsage: ['digitalSignature'], names: [], ca: false, signature: Uint8Array.from([0]), keyType: 'rsa', publicKey: Uint8Array.from([0]) };
    const issued = { type: 'CertificateIssued', certificate, chain: [] } as Message;
    const shown = inspectMessage(encodeMessage(issued)).fields.find((f) => f.path === 'chain');
    expect(shown?.value).toBe('none: the root signed it');
    expect(() => setField(issued, 'chain', shown!.value)).toThrow('chain lists certificates: edit a field of one of them, or change the raw bytes to add or drop one');
    expect(editablePaths(issued, inspectMessage(encodeMessage(issued)).fields)).not.toContain('chain');
  });

  it('does not change the original message', () => {
    const m: Message = { type: 'HttpRequest', method: 'POST', host: 'bank.example', path: '/pay', body: 'to=Bob&amount=100' };
    const edited = setField(m, 'body', 'to=Mallory&amount=9999');
    expect(edited).toEqual({ ...m, body: 'to=Mallory&amount=9999' });
    expect(m.body).toBe('to=Bob&amount=100');
  });

  const hello: Message = {
    type: 'ClientHello',
    random: new Uint8Array(32),
    sessionId: new Uint8Array(0),
    cipherSuites: [0x1301],
    extensions: [
      { type: 'server_name', hostName: 'bank.example' },
      { type: 'key_share', shares: [{ group: 0x001d, key: new Uint8Array(32) }] },
    ],
  };

  it('parses each kind of field, down into the extensions', () => {
    expect(setField(hello, 'cipherSuites', '4865, 0x009c, GAME_AES_256_GCM')).toMatchObject({ cipherSuites: [0x1301, 0x009c, 0xff01] });
    expect(setField(hello, 'cipherSuites', '')).toMatchObject({ cipherSuites: [] });
    expect(setField(hello, 'cipherSuites.0', '0xff01')).toMatchObject({ cipherSuites: [0xff01] });
    expect(setField(hello, 'cipherSuites.0', 'TLS_RSA_WITH_AES_128_GCM_SHA256 (0x009c)')).toMatchObject({ cipherSuites: [0x009c] });
    expect(setField(hello, 'random', 'ab'.repeat(32))).toMatchObject({ random: new Uint8Array(32).fill(0xab) });
    expect(setField(hello, 'extensions.0.hostName', 'evil.example')).toMatchObject({ extensions: [{ hostName: 'evil.example' }, {}] });
    expect(setField(hello, 'extensions.1.shares.0.key', '11'.repeat(32))).toMatchObject({ extensions: [{}, { shares: [{ key: new Uint8Array(32).fill(0x11) }] }] });
    expect(setField({ type: 'HttpResponse', status: 200, body: '' }, 'status', '403')).toMatchObject({ status: 403 });
    expect(setField({ type: 'Alert', description: 'close_notify' }, 'description', 'unknown_ca')).toEqual({ type: 'Alert', description: 'unknown_ca' });
  });

  it('edits a certificate field inside a Certificate message', () => {
    const m: Message = {
      type: 'Certificate',
      certificate: {
        serial: 7n,
        subject: 'bank.example',
        issuer: 'Heist Root CA',
        notBefore: 0,
        notAfter: 600,
        keyType: 'p256',
        keyUsage: ['keyEncipherment'],
        publicKey: new Uint8Array(65).fill(4),
        names: ['bank.example'],
        ca: false,
        signature: new Uint8Array(64),
      },
      chain: [],
    };
    const edited = setField(m, 'certificate.subject', 'evil.example');
    expect(edited.type === 'Certificate' && edited.certificate).toEqual({ ...m.certificate, subject: 'evil.example' });
    expect(setField(m, 'certificate.keyUsage', 'digitalSignature')).toMatchObject({ certificate: { keyUsage: ['digitalSignature'] } });
    expect(setField(m, 'certificate.keyUsage', 'digitalSignature, keyEncipherment')).toMatchObject({ certificate: { keyUsage: ['digitalSignature', 'keyEncipherment'] } });
    expect(setField(m, 'certificate.serial', '0x1d')).toMatchObject({ certificate: { serial: 29n } });
    expect(setField(m, 'certificate.serial', '04:2a:9f:31:0e:77:c5:1b:de:00:83:5a:11:02:f4:6b:90:3c')).toMatchObject({ certificate: { serial: 0x042a9f310e77c51bde00835a1102f46b903cn } });
    expect(setField(m, 'certificate.names', 'evil.example, bank.example')).toMatchObject({ certificate: { names: ['evil.example', 'bank.example'] } });
    expect(setField(m, 'certificate.ca', 'cA TRUE')).toMatchObject({ certificate: { ca: true } });
    expect(setField(m, 'certificate.keyType', 'rsa (rsaEncryption)')).toMatchObject({ certificate: { keyType: 'rsa' } });
  });

  it('throws a clear error on bad input', () => {
    expect(() => setField(hello, 'random', 'zz')).toThrow(/random: "zz" is not hex/);
    expect(() => setField(hello, 'random', 'ab'.repeat(31))).toThrow(/cannot set random: random must be 32 bytes, got 31/);
    expect(() => setField(hello, 'cipherSuites', '1, two')).toThrow(/cipherSuites: " two" is not a cipher suite name/);
    expect(() => setField(hello, 'cipherSuites', '70000')).toThrow(/cannot set cipherSuites/);
    expect(() => setField(hello, 'extensions.0.hostName', '')).toThrow(/cannot set extensions\.0\.hostName: server_name needs a host name/);
    expect(() => setField(hello, 'nonsense', '1')).toThrow(/ClientHello has no field nonsense/);
    expect(() => setField(hello, 'random.3', '1')).toThrow(/has no field random\.3/);
    expect(() => setField(hello, 'type', 'ServerHello')).toThrow(/type is fixed/);
    expect(() => setField(hello, 'recordLength', '3')).toThrow(/recordLength is computed/);
    expect(() => setField(hello, 'legacyVersion', '0x0304')).toThrow(/legacyVersion is always 0x0303/);
    expect(() => setField(hello, 'extensions.0.extensionType', '5')).toThrow(/extensionType names the extension/);
    expect(() => setField({ type: 'Alert', description: 'close_notify' }, 'description', 'oops')).toThrow(/not one of close_notify/);
    expect(() => setField({ type: 'HttpResponse', status: 200, body: '' }, 'status', '-1')).toThrow(/not a whole number/);
    expect(() => setField({ type: 'CertificateIssued', certificate: {} as never, chain: [] }, 'certificate', 'x')).toThrow(/group of fields/);
  });
});

describe('code points', () => {
  it('uses the RFC numbers for TLS code points', () => {
    expect(SUITE.TLS_AES_128_GCM_SHA256).toBe(0x1301);
    expect(SUITE.TLS_RSA_WITH_AES_128_GCM_SHA256).toBe(0x009c); // RFC 5288 §3
    expect(SUITE.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256).toBe(0xc02b); // RFC 5289 §3.2
    expect(SUITE.GAME_AES_256_GCM).toBe(0xff01);
    expect(CIPHER_SUITES.name(0xc02b)).toBe('TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
    // RFC 8446 §6
    expect(ALERTS.code('close_notify')).toBe(0);
    expect(ALERTS.code('bad_record_mac')).toBe(20);
    expect(ALERTS.code('bad_certificate')).toBe(42);
    expect(ALERTS.code('certificate_expired')).toBe(45);
    expect(ALERTS.code('unknown_ca')).toBe(48);
    expect(ALERTS.code('decrypt_error')).toBe(51);
    expect(ALERTS.code('unrecognized_name')).toBe(112);
    // RFC 8446 §4 / RFC 5246 §7.4
    expect(HANDSHAKE_TYPES.code('ClientHello')).toBe(1);
    expect(HANDSHAKE_TYPES.code('ServerKeyExchange')).toBe(12);
    expect(HANDSHAKE_TYPES.code('ServerHelloDone')).toBe(14);
    expect(HANDSHAKE_TYPES.code('Finished')).toBe(20);
    // RFC 8446 §5.1
    expect(CONTENT_TYPES.names.map((n) => CONTENT_TYPES.code(n))).toEqual([20, 21, 22, 23]);
    // RFC 8446 §4.2, RFC 6066 §3, RFC 5746 §3.2
    expect(EXTENSION_TYPES.code('server_name')).toBe(0);
    expect(EXTENSION_TYPES.code('key_share')).toBe(51);
    expect(EXTENSION_TYPES.code('renegotiation_info')).toBe(0xff01);
  });

  it("the game's own frames start at 0xE0, where no TLS record (20-23) or HTTP text (A-Z) does", () => {
    for (const name of GAME_FRAMES.names) expect(GAME_FRAMES.code(name)).toBeGreaterThanOrEqual(0xe0);
  });

  it('refuses to declare a code point twice', () => {
    expect(() => new CodeTable('test', { a: { code: 1, explain: 'a' }, b: { code: 1, explain: 'b' } })).toThrow(/declared twice/);
  });
});

describe('Reader and Writer', () => {
  it('round-trip integers of every width, including u64 up to 2^53-1', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xff }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.maxSafeNat(),
        (a, b, c, d, e) => {
          const bytes = new Writer().u8(a).u16(b).u24(c).u32(d).u64(e).finish();
          expect(bytes.length).toBe(18);
          const r = Reader.over(bytes);
          expect([r.u8(), r.u16(), r.u24(), r.u32(), r.u64()]).toEqual([a, b, c, d, e]);
          r.expectEnd();
        },
      ),
    );
  });

  it('refuses a u64 too large for a JavaScript number, and out-of-range writes', () => {
    expect(codecError(() => Reader.over(new Uint8Array(8).fill(0xff)).u64()).reason).toBe('badValue');
    expect(codecError(() => new Writer().u8(256)).reason).toBe('badValue');
    expect(codecError(() => new Writer().u16(1.5)).reason).toBe('badValue');
    expect(codecError(() => new Writer().vector(1, new Uint8Array(256))).reason).toBe('badValue');
  });

  it('records nested fields with dotted paths and absolute offsets', () => {
    const bytes = new Writer().u8(9).sub(2, (w) => w.u16(0x1234).text(1, 'hi')).finish();
    const r = Reader.over(bytes, { record: true });
    r.field('a', 'first', () => r.u8());
    r.field('b', 'second', () => {
      const s = r.sub(2);
      s.field('x', 'inner number', () => s.u16());
      s.field('y', 'inner text', () => s.text(1));
      s.expectEnd();
      return 'group';
    });
    r.expectEnd();
    expect(r.fields).toEqual([
      { path: 'a', name: 'a', offset: 0, length: 1, value: '9', explain: 'first' },
      {
        path: 'b',
        name: 'b',
        offset: 1,
        length: 7,
        value: 'group',
        explain: 'second',
        children: [
          { path: 'b.x', name: 'x', offset: 3, length: 2, value: '4660', explain: 'inner number' },
          { path: 'b.y', name: 'y', offset: 5, length: 3, value: 'hi', explain: 'inner text' },
        ],
      },
    ]);
  });
});
