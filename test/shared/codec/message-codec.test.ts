import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex, utf8 } from '../../../shared/src/codec/bytes.ts';
import { CodecError, Reader } from '../../../shared/src/codec/reader.ts';
import { Writer } from '../../../shared/src/codec/writer.ts';
import { decodeMessage, encodeMessage, inspectMessage, setField } from '../../../shared/src/messages/codec.ts';
import { encodeCsr } from '../../../shared/src/pki/csr.ts';
import { ALERTS, CIPHER_SUITES, CodeTable, MESSAGE_TYPES, SUITE } from '../../../shared/src/messages/codes.ts';
import type { FieldNode, Message } from '../../../shared/src/messages/types.ts';
import { MESSAGE_TYPE_NAMES, anyMessage, messageArbitraries } from './arbitraries.ts';

const RUNS = { numRuns: 60 };

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

/** Builds a frame by hand: [type][u24 length][body]. */
function frame(type: number, body: Uint8Array): Uint8Array {
  return new Writer().u8(type).vector(3, body).finish();
}

describe('message codec: round trip', () => {
  it.each(MESSAGE_TYPE_NAMES)('%s: decode(encode(m)) equals m', (type) => {
    fc.assert(
      fc.property(messageArbitraries[type], (m) => {
        const bytes = encodeMessage(m);
        expect(bytes[0]).toBe(MESSAGE_TYPES.code(type));
        expect(decodeMessage(bytes)).toEqual(m);
        const inspection = inspectMessage(bytes);
        expect(inspection.message).toEqual(m);
        expect(inspection.error).toBeUndefined();
      }),
      RUNS,
    );
  });

  it('is canonical: any bytes that decode re-encode to exactly themselves', () => {
    fc.assert(
      fc.property(anyMessage, fc.nat(), fc.integer({ min: 0, max: 255 }), (m, at, byte) => {
        const bytes = encodeMessage(m);
        bytes[at % bytes.length] = byte;
        let decoded: Message;
        try {
          decoded = decodeMessage(bytes);
        } catch {
          return;
        }
        expect(toHex(encodeMessage(decoded))).toBe(toHex(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('matches hand-written frames (TLS handshake header: type, u24 length, body)', () => {
    expect(toHex(encodeMessage({ type: 'Alert', description: 'bad_certificate' }))).toBe('150000012a');
    const hello = encodeMessage({
      type: 'ClientHello',
      random: new Uint8Array(32).fill(0xaa),
      cipherSuites: [SUITE.TLS_AES_128_GCM_SHA256],
      serverName: 'bank.example',
      keyShare: new Uint8Array(0),
    });
    expect(toHex(hello)).toBe(
      '01' + '000033' + 'aa'.repeat(32) + '0002' + '1301' + '0c' + toHex(utf8('bank.example')) + '0000',
    );
  });
});

describe('message codec: rejects what is not canonical', () => {
  it.each(MESSAGE_TYPE_NAMES)('%s: every strict prefix is truncated', (type) => {
    fc.assert(
      fc.property(messageArbitraries[type], (m) => {
        const bytes = encodeMessage(m);
        for (let n = 0; n < bytes.length; n++) {
          expect(codecError(() => decodeMessage(bytes.subarray(0, n))).reason).toBe('truncated');
        }
      }),
      { numRuns: 15 },
    );
  });

  it.each(MESSAGE_TYPE_NAMES)('%s: any appended byte is trailing', (type) => {
    fc.assert(
      fc.property(messageArbitraries[type], fc.integer({ min: 0, max: 255 }), (m, extra) => {
        const bytes = encodeMessage(m);
        const longer = new Uint8Array([...bytes, extra]);
        expect(codecError(() => decodeMessage(longer)).reason).toBe('trailing');
      }),
      RUNS,
    );
  });

  it('a body that ends early inside its declared length is trailing, not silently accepted', () => {
    // Alert whose length says 2 but the alert body is 1 byte.
    expect(codecError(() => decodeMessage(fromHex('150000022a00'))).reason).toBe('trailing');
  });

  it('rejects an unknown message type', () => {
    const e = codecError(() => decodeMessage(fromHex('7700000100')));
    expect(e.reason).toBe('unknownType');
    expect(e.offset).toBe(0);
  });

  it('rejects an unknown alert description', () => {
    expect(codecError(() => decodeMessage(fromHex('15000001ff'))).reason).toBe('badValue');
  });

  it('rejects wrong fixed lengths, both encoding and decoding', () => {
    const random31 = { type: 'ServerHello', random: new Uint8Array(31), cipherSuite: 0x1301, keyShare: new Uint8Array(0) } as const;
    expect(codecError(() => encodeMessage(random31)).reason).toBe('badValue');
    // A 31-byte random on the wire swallows the cipher suite: the frame no longer adds up.
    const body = new Writer().bytes(new Uint8Array(31)).u16(0x1301).vector(2, new Uint8Array(0)).finish();
    expect(() => decodeMessage(frame(MESSAGE_TYPES.code('ServerHello'), body))).toThrow(CodecError);

    for (const m of [
      { type: 'KeyTransport', key: new Uint8Array(16) },
      { type: 'ServerPublicKey', publicKey: new Uint8Array(33) },
      { type: 'EncryptedRecord', explicitNonce: new Uint8Array(4), ciphertext: new Uint8Array(20) },
      { type: 'Finished', verifyData: new Uint8Array(11) },
      { type: 'ClientHello', random: new Uint8Array(32), cipherSuites: [], serverName: 'x', keyShare: new Uint8Array(31) },
    ] as Message[]) {
      expect(codecError(() => encodeMessage(m)).reason, m.type).toBe('badValue');
    }
  });

  it('rejects an explicit nonce that is neither 0 nor 8 bytes, pointing at the field', () => {
    const body = new Writer().vector(1, new Uint8Array(5)).vector(2, new Uint8Array(3)).finish();
    const e = codecError(() => decodeMessage(frame(MESSAGE_TYPES.code('EncryptedRecord'), body)));
    expect(e.reason).toBe('badValue');
    expect(e.offset).toBe(4);
    expect(e.message).toContain('explicitNonce');
  });

  it('rejects a CSR that is not PKCS #10 in the game\'s profile: trailing DER, a P-256 key that is not a point, an empty key (the CA issues the challenge token; it is not in the CSR)', () => {
    const good = { subject: 'bank.example', keyType: 'p256', keyUsage: 'digitalSignature', publicKey: new Uint8Array(65).fill(4), signature: new Uint8Array(70) } as const;
    const der = encodeCsr(good);
    const framed = (body: Uint8Array) => frame(MESSAGE_TYPES.code('CertificateRequest'), new Writer().vector(2, body).finish());
    expect(decodeMessage(framed(der))).toEqual({ type: 'CertificateRequest', csr: good });
    expect(codecError(() => decodeMessage(framed(new Uint8Array([...der, 0])))).reason).toBe('badValue');
    const notAPoint = encodeCsr({ ...good, publicKey: new Uint8Array(65).fill(5) });
    expect(codecError(() => decodeMessage(framed(notAPoint))).reason).toBe('badValue');
    expect(codecError(() => encodeMessage({ type: 'CertificateRequest', csr: { ...good, publicKey: new Uint8Array(0) } })).reason).toBe('badValue');
  });

  it('rejects invalid UTF-8 in text', () => {
    const body = new Writer().u16(200).vector(2, new Uint8Array([0x68, 0xc3, 0x28])).finish();
    const e = codecError(() => decodeMessage(frame(MESSAGE_TYPES.code('HttpResponse'), body)));
    expect(e.reason).toBe('badValue');
    expect(e.message).toContain('UTF-8');
  });

  it('keeps a leading byte-order mark in text, so each string has one encoding', () => {
    const m: Message = { type: 'HttpResponse', status: 200, body: '\uFEFFhello' };
    expect(decodeMessage(encodeMessage(m))).toEqual(m);
  });

  it('rejects an odd-length cipher suite list', () => {
    const body = new Writer()
      .bytes(new Uint8Array(32))
      .vector(2, new Uint8Array([0x13, 0x01, 0xff]))
      .text(1, 'bank.example')
      .vector(2, new Uint8Array(0))
      .finish();
    expect(codecError(() => decodeMessage(frame(MESSAGE_TYPES.code('ClientHello'), body))).reason).toBe('badValue');
  });
});

/** Random bytes, and valid encodings broken in the ways an attacker's raw edit breaks them. */
const hostileBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.tuple(fc.constantFrom(...MESSAGE_TYPE_NAMES), fc.uint8Array({ maxLength: 250 })).map(([type, body]) => frame(MESSAGE_TYPES.code(type), body)),
  fc.tuple(anyMessage, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([m, at, byte]) => {
    const b = encodeMessage(m);
    b[at % b.length] = byte;
    return b;
  }),
  fc.tuple(anyMessage, fc.nat()).map(([m, cut]) => {
    const b = encodeMessage(m);
    return b.subarray(0, cut % (b.length + 1));
  }),
);

describe('message codec: hostile bytes', () => {
  it('decode only ever throws CodecError; inspect never throws', () => {
    fc.assert(
      fc.property(hostileBytes, (bytes) => {
        try {
          decodeMessage(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(CodecError);
          expect(['truncated', 'trailing', 'unknownType', 'badValue']).toContain((e as CodecError).reason);
        }
        const inspection = inspectMessage(bytes);
        expect(inspection.message === undefined).toBe(inspection.error !== undefined);
      }),
      { numRuns: 1000 },
    );
  });

  it('field trees stay inside the bytes, children inside parents, for good and broken packets alike', () => {
    fc.assert(
      fc.property(fc.oneof(anyMessage.map(encodeMessage), hostileBytes), (bytes) => {
        expectWellFormedTree(inspectMessage(bytes).fields, bytes.length);
      }),
      { numRuns: 500 },
    );
  });

  it('a well-formed packet is covered exactly by its top-level fields', () => {
    fc.assert(
      fc.property(anyMessage, (m) => {
        const bytes = encodeMessage(m);
        const top = inspectMessage(bytes).fields;
        expect(top[0]).toMatchObject({ path: 'type', offset: 0, length: 1 });
        expect(top[1]).toMatchObject({ path: 'length', offset: 1, length: 3, value: String(bytes.length - 4) });
        let at = 0;
        for (const n of top) {
          expect(n.offset).toBe(at);
          at += n.length;
        }
        expect(at).toBe(bytes.length);
      }),
      RUNS,
    );
  });

  it('a truncated packet shows the fields read so far and says where it broke', () => {
    const bytes = encodeMessage({
      type: 'ClientHello',
      random: new Uint8Array(32).fill(1),
      cipherSuites: [0x1301, 0xff9c],
      serverName: 'bank.example',
      keyShare: new Uint8Array(0),
    });
    const inspection = inspectMessage(bytes.subarray(0, 40));
    expect(inspection.message).toBeUndefined();
    expect(inspection.error).toMatch(/truncated/);
    expect(inspection.fields.map((f) => f.path)).toEqual(['type', 'length', 'random', 'cipherSuites']);
    expect(inspection.fields[2]!.value).toBe('01'.repeat(32));
    expect(inspection.fields[3]!.value).toMatch(/malformed/);
  });
});

describe('message codec: the inspector field tree', () => {
  it('explains ClientHello.random and shows cipher suites by name', () => {
    const fields = inspectMessage(
      encodeMessage({
        type: 'ClientHello',
        random: new Uint8Array(32),
        cipherSuites: [SUITE.TLS_AES_128_GCM_SHA256, 0x0a0a],
        serverName: 'bank.example',
        keyShare: new Uint8Array(0),
      }),
    ).fields;
    const byPath = new Map(flatten(fields).map((f) => [f.path, f]));
    expect(byPath.get('type')!.value).toBe('ClientHello (0x01)');
    expect(byPath.get('random')!.explain).toBe("32 public random bytes; they make each session's keys unique, but they are not secret");
    expect(byPath.get('cipherSuites.0')!.value).toBe('TLS_AES_128_GCM_SHA256 (0x1301)');
    expect(byPath.get('cipherSuites.1')!.explain).toMatch(/does not know/);
    expect(byPath.get('keyShare')!.value).toBe('(empty)');
  });

  it("shows a Certificate message's certificate fields as children", () => {
    fc.assert(
      fc.property(messageArbitraries.Certificate, (m) => {
        const fields = inspectMessage(encodeMessage(m)).fields;
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
        // Each node covers its own DER element: tag 0x30 (SEQUENCE) for a Name.
        const bytes = encodeMessage(m);
        expect(bytes[subject.offset]).toBe(0x30);
      }),
      { numRuns: 20 },
    );
  });
});

/** The value at a dotted path of a plain object. */
function at(value: unknown, path: string): unknown {
  return path.split('.').reduce((v, k) => (v as Record<string, unknown>)[k], value);
}
function putAt(target: unknown, path: string, value: unknown): void {
  const keys = path.split('.');
  const parent = at(target, keys.slice(0, -1).join('.') || '') as Record<string, unknown>;
  (keys.length === 1 ? (target as Record<string, unknown>) : parent)[keys[keys.length - 1]!] = value;
}

describe('setField: the attacker edits one field', () => {
  it.each(MESSAGE_TYPE_NAMES)('%s: setting a leaf to another message’s shown value changes exactly that field', (type) => {
    const arb = messageArbitraries[type] as fc.Arbitrary<Message>;
    fc.assert(
      fc.property(arb, arb, fc.nat(), (m, donor, pick) => {
        // Leaves that are fields of the message (X.509's fixed parts, such as its version, are not).
        const donorLeaves = leaves(inspectMessage(encodeMessage(donor)).fields).filter((f) => f.path !== 'type' && f.path !== 'length' && at(donor, f.path) !== undefined);
        const ownPaths = new Set(leaves(inspectMessage(encodeMessage(m)).fields).map((f) => f.path));
        const editable = donorLeaves.filter((f) => ownPaths.has(f.path));
        if (editable.length === 0) return;
        const node = editable[pick % editable.length]!;
        const expected = structuredClone(m);
        putAt(expected, node.path, at(donor, node.path));
        expect(setField(m, node.path, node.value)).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('does not change the original message', () => {
    const m: Message = { type: 'HttpRequest', method: 'POST', host: 'bank.example', path: '/pay', body: 'to=Bob&amount=100' };
    const edited = setField(m, 'body', 'to=Mallory&amount=9999');
    expect(edited).toEqual({ ...m, body: 'to=Mallory&amount=9999' });
    expect(m.body).toBe('to=Bob&amount=100');
  });

  it('parses each kind of field', () => {
    const hello: Message = { type: 'ClientHello', random: new Uint8Array(32), cipherSuites: [0x1301], serverName: 'bank.example', keyShare: new Uint8Array(0) };
    expect(setField(hello, 'cipherSuites', '4865, 0x009c, GAME_AES_256_GCM')).toMatchObject({ cipherSuites: [0x1301, 0x009c, 0xff01] });
    expect(setField(hello, 'cipherSuites', '')).toMatchObject({ cipherSuites: [] });
    expect(setField(hello, 'cipherSuites.0', '0xff01')).toMatchObject({ cipherSuites: [0xff01] });
    expect(setField(hello, 'random', 'ab'.repeat(32))).toMatchObject({ random: new Uint8Array(32).fill(0xab) });
    expect(setField(hello, 'keyShare', '11'.repeat(32))).toMatchObject({ keyShare: new Uint8Array(32).fill(0x11) });
    expect(setField({ type: 'HttpResponse', status: 200, body: '' }, 'status', '403')).toMatchObject({ status: 403 });
    expect(setField({ type: 'Alert', description: 'close_notify' }, 'description', 'unknown_ca')).toEqual({ type: 'Alert', description: 'unknown_ca' });
  });

  it('edits a certificate field inside a Certificate message', () => {
    const m: Message = {
      type: 'Certificate',
      certificate: {
        serial: 7,
        subject: 'bank.example',
        issuer: 'Heist Root CA',
        notBefore: 0,
        notAfter: 600,
        keyType: 'p256',
        keyUsage: 'keyEncipherment',
        publicKey: new Uint8Array(65).fill(4),
        names: ['bank.example'],
        ca: false,
        signature: new Uint8Array(64),
      },
    };
    const edited = setField(m, 'certificate.subject', 'evil.example');
    expect(edited.type === 'Certificate' && edited.certificate).toEqual({ ...m.certificate, subject: 'evil.example' });
    expect(setField(m, 'certificate.keyUsage', 'digitalSignature')).toMatchObject({ certificate: { keyUsage: 'digitalSignature' } });
    expect(setField(m, 'certificate.names', 'evil.example, bank.example')).toMatchObject({ certificate: { names: ['evil.example', 'bank.example'] } });
    expect(setField(m, 'certificate.ca', 'cA TRUE')).toMatchObject({ certificate: { ca: true } });
    expect(setField(m, 'certificate.keyType', 'rsa (rsaEncryption)')).toMatchObject({ certificate: { keyType: 'rsa' } });
  });

  it('throws a clear error on bad input', () => {
    const hello: Message = { type: 'ClientHello', random: new Uint8Array(32), cipherSuites: [0x1301], serverName: 'bank.example', keyShare: new Uint8Array(0) };
    expect(() => setField(hello, 'random', 'zz')).toThrow(/random: "zz" is not hex/);
    expect(() => setField(hello, 'random', 'ab'.repeat(31))).toThrow(/cannot set random: random must be 32 bytes, got 31/);
    expect(() => setField(hello, 'cipherSuites', '1, two')).toThrow(/cipherSuites: " two" is not a cipher suite name/);
    expect(() => setField(hello, 'cipherSuites', '70000')).toThrow(/cannot set cipherSuites/);
    expect(() => setField(hello, 'nonsense', '1')).toThrow(/ClientHello has no field nonsense/);
    expect(() => setField(hello, 'random.3', '1')).toThrow(/has no field random\.3/);
    expect(() => setField(hello, 'type', 'ServerHello')).toThrow(/type is fixed/);
    expect(() => setField(hello, 'length', '3')).toThrow(/length is computed/);
    expect(() => setField({ type: 'Alert', description: 'close_notify' }, 'description', 'oops')).toThrow(/not one of close_notify/);
    expect(() => setField({ type: 'HttpResponse', status: 200, body: '' }, 'status', '-1')).toThrow(/not a whole number/);
    expect(() => setField({ type: 'CertificateIssued', certificate: {} as never }, 'certificate', 'x')).toThrow(/group of fields/);
  });
});

describe('code points', () => {
  it('uses the RFC 8446 numbers for TLS code points', () => {
    expect(SUITE.TLS_AES_128_GCM_SHA256).toBe(0x1301);
    expect(SUITE.TLS_RSA_WITH_AES_128_GCM_SHA256).toBe(0x009c); // RFC 5288 §3
    expect(SUITE.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256).toBe(0xc02b); // RFC 5289 §3.2
    expect(SUITE.GAME_AES_256_GCM).toBe(0xff01);
    // RFC 8446 §6
    expect(ALERTS.code('close_notify')).toBe(0);
    expect(ALERTS.code('bad_record_mac')).toBe(20);
    expect(ALERTS.code('bad_certificate')).toBe(42);
    expect(ALERTS.code('certificate_expired')).toBe(45);
    expect(ALERTS.code('unknown_ca')).toBe(48);
    expect(ALERTS.code('decrypt_error')).toBe(51);
    expect(MESSAGE_TYPES.code('ClientHello')).toBe(1);
    expect(MESSAGE_TYPES.code('Finished')).toBe(20);
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
