/**
 * The socket driver's framing, as other implementations and attackers send bytes: a record cut
 * across TCP reads or several in one read, a handshake message cut across records or several in
 * one record — and bytes that are no TLS record at all, refused before anything is buffered.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { CodecError } from '../../shared/src/codec/reader.ts';
import { encodeMessage } from '../../shared/src/messages/codec.ts';
import type { MessageOf } from '../../shared/src/messages/types.ts';
import { withExtension } from '../../shared/src/handshake/hello.ts';
import { LEVEL_MODULES } from '../../shared/src/levels/index.ts';
import { clientTrusting, type TlsLevel } from '../../tools/tls/bank.ts';
import { engineConnect } from '../../tools/tls/connect.ts';
import { HandshakeJoiner, MAX_CIPHERTEXT, MAX_FRAGMENT, MAX_HANDSHAKE_MESSAGE, MAX_PLAINTEXT, RecordOverflow, RecordReader, type RawRecord } from '../../tools/tls/records.ts';
import { relay, type Tamper } from './proxy.ts';
import { hasOpenssl, pemDir, rawExchange, sServer } from './openssl.ts';
import { bankFor, context, LEVEL_CASES, NAME, nodeClient, serveEngine, serveNode, isTls13 } from './support.ts';

const record = (type: number, fragment: number[]) => new Uint8Array([type, 3, 3, fragment.length >> 8, fragment.length & 0xff, ...fragment]);
const message = (type: number, body: number[]) => [type, 0, body.length >> 8, body.length & 0xff, ...body];

describe('RecordReader', () => {
  it('gives whole records, whatever the reads: one byte at a time, or two records in one read', () => {
    const a = record(22, message(1, [1, 2, 3]));
    const b = record(23, [9, 9, 9, 9]);
    const bytewise = new RecordReader();
    const got: RawRecord[] = [];
    for (const byte of [...a, ...b]) {
      bytewise.push(new Uint8Array([byte]));
      for (let r = bytewise.next(); r; r = bytewise.next()) got.push(r);
    }
    expect(got.map((r) => [...r.bytes])).toEqual([[...a], [...b]]);
    const together = new RecordReader();
    together.push(new Uint8Array([...a, ...b]));
    expect([...together.next()!.bytes]).toEqual([...a]);
    expect([...together.next()!.fragment]).toEqual([9, 9, 9, 9]);
    expect(together.next()).toBeUndefined();
    expect(together.pending).toBe(0);
  });

  it('refuses a header no TLS peer sends, before waiting for its body', () => {
    const cases: [number[], RegExp][] = [
      [[0x47, 0x45, 0x54, 0x20, 0x2f], /content type 71/], // "GET /": plain HTTP on the TLS port
      [[22, 2, 0, 0, 1], /version 2\.0/],
      [[23, 3, 3, 0, 0], /1 to \d+ bytes, got 0/],
    ];
    for (const [bytes, error] of cases) {
      const r = new RecordReader();
      r.push(new Uint8Array(bytes));
      expect(() => r.next()).toThrow(CodecError);
      expect(() => r.next()).toThrow(error);
    }
  });

  it('refuses a record longer than its kind may be as an overflow, from its header alone (RFC 8446 §5.1-5.2, RFC 5246 §6.2)', () => {
    const overflow = (limit: number, length: number) => {
      const r = new RecordReader(() => limit);
      r.push(new Uint8Array([22, 3, 3, length >> 8, length & 0xff]));
      try {
        return r.next();
      } catch (e) {
        return e;
      }
    };
    expect(overflow(MAX_FRAGMENT, 0xffff)).toBeInstanceOf(RecordOverflow);
    expect(overflow(MAX_FRAGMENT, 0xffff)).toHaveProperty('message', `a record of 65535 bytes, longer than the ${MAX_FRAGMENT} this record may have (RFC 8446 §5.1, RFC 5246 §6.2)`);
    expect(overflow(MAX_PLAINTEXT, MAX_PLAINTEXT + 1)).toBeInstanceOf(RecordOverflow);
    expect(overflow(MAX_CIPHERTEXT.tls13, MAX_CIPHERTEXT.tls13 + 1)).toBeInstanceOf(RecordOverflow);
    expect(overflow(MAX_PLAINTEXT, MAX_PLAINTEXT)).toBeUndefined(); // a whole header, its body still to come
  });
});

describe('HandshakeJoiner', () => {
  it('cuts a record holding several messages and joins a message cut across records', () => {
    const j = new HandshakeJoiner();
    const two = [...message(2, [1, 2]), ...message(14, [])];
    expect(j.push(new Uint8Array(two)).map((m) => [...m])).toEqual([message(2, [1, 2]), message(14, [])]);
    const long = message(11, Array.from({ length: 300 }, (_, i) => i & 0xff));
    expect(j.push(new Uint8Array(long.slice(0, 2)))).toEqual([]);
    expect(j.partial).toBe(true);
    expect(j.push(new Uint8Array(long.slice(2, 100)))).toEqual([]);
    expect(j.push(new Uint8Array(long.slice(100))).map((m) => [...m])).toEqual([long]);
    expect(j.partial).toBe(false);
  });

  it(`refuses a message longer than ${MAX_HANDSHAKE_MESSAGE} bytes from its header alone`, () => {
    const n = MAX_HANDSHAKE_MESSAGE + 1;
    expect(() => new HandshakeJoiner().push(new Uint8Array([11, n >> 16, (n >> 8) & 0xff, n & 0xff]))).toThrow(/at most/);
  });
});

/** Every plaintext handshake record cut into records of at most 40 bytes (RFC 8446 §5.1 allows it). */
const fragment: Tamper = (r, _direction, seen) => {
  const encrypted = seen.some((x) => x.type === 20);
  if (r.type !== 22 || encrypted) return r.bytes;
  const parts: number[] = [];
  for (let at = 0; at < r.fragment.length; at += 40) parts.push(...record(22, [...r.fragment.subarray(at, at + 40)]));
  return new Uint8Array(parts);
};

describe.each(LEVEL_CASES)('level $label over a relay that cuts every handshake message into 40-byte records', ({ level }) => {
  it('node:tls as the browser still gets the engine bank’s page', async () => {
    const bank = bankFor(level, `fragments ${level}`);
    const server = await serveEngine(bank);
    const cutter = await relay(server.port, fragment);
    try {
      const result = await nodeClient(level, cutter.port, bank.rootPem);
      expect(result.error).toBeUndefined();
      expect(result.response).toMatch(/^HTTP\/1\.1 200 OK/);
      expect(cutter.tampered).toBeGreaterThanOrEqual(1);
    } finally {
      await cutter.close();
      await server.close();
    }
  });

  it('the engine as the browser still gets node:tls’s page', async () => {
    const bank = bankFor(level, `fragments node ${level}`);
    const server = await serveNode(level, bank);
    const cutter = await relay(server.port, fragment);
    try {
      const result = await engineConnect({ level, host: '127.0.0.1', port: cutter.port, config: clientTrusting(bank.rootPem, NAME), ctx: context() });
      expect(result.failure).toBeUndefined();
      expect(result.response).toEqual({ type: 'HttpResponse', status: 200, body: 'Hello from node:tls\n' });
      expect(cutter.tampered).toBeGreaterThanOrEqual(2); // the ServerHello flight at least (and the Certificate at TLS 1.2)
    } finally {
      await cutter.close();
      await server.close();
    }
  });
});

/** TLS 1.2: the server's plaintext flight, ServerHello to ServerHelloDone, held and sent on as one record holding every message. */
function coalesceServerFlight(): Tamper {
  let held: number[] = [];
  return (r, direction, seen) => {
    if (direction !== 'toClient' || r.type !== 22 || seen.some((x) => x.type === 20)) return r.bytes;
    held.push(...r.fragment);
    if (r.fragment[0] !== 14) return new Uint8Array(0); // until ServerHelloDone
    const flight = record(22, held);
    held = [];
    return flight;
  };
}

describe.each(LEVEL_CASES.filter(({ level }) => !isTls13(level)))('level $label: the server flight in one record', ({ level }) => {
  it('the engine as the browser cuts node:tls’s ServerHello, Certificate, … ServerHelloDone out of one record and gets the page', async () => {
    const bank = bankFor(level, `coalesced ${level}`);
    const server = await serveNode(level, bank);
    const joiner = await relay(server.port, coalesceServerFlight());
    try {
      const result = await engineConnect({ level, host: '127.0.0.1', port: joiner.port, config: clientTrusting(bank.rootPem, NAME), ctx: context() });
      expect(result.failure).toBeUndefined();
      expect(result.response).toEqual({ type: 'HttpResponse', status: 200, body: 'Hello from node:tls\n' });
      expect(joiner.tampered).toBe(LEVEL_MODULES[level].keyExchange === 'ephemeral' ? 4 : 3); // every record of the flight (ECDHE adds ServerKeyExchange)
    } finally {
      await joiner.close();
      await server.close();
    }
  });
});

describe('bytes that are no TLS', () => {
  it('plain HTTP on the TLS port: the engine bank answers decode_error and closes', async () => {
    const bank = bankFor(5, 'garbage');
    const server = await serveEngine(bank);
    try {
      const answer = await rawExchange(server.port, Buffer.from('GET / HTTP/1.1\r\nHost: bank.example\r\n\r\n', 'latin1'));
      expect(answer).toEqual([21, 3, 3, 0, 2, 2, 50]); // alert, TLS 1.2 record version, fatal decode_error (RFC 8446 §6)
      expect((await server.closed).failure?.reason).toBe('decodeError');
    } finally {
      await server.close();
    }
  });
});

/** A real ClientHello of the level, padded (RFC 7685's padding extension) until its record holds `length` bytes. */
function paddedHello(level: TlsLevel, length: number): Uint8Array {
  const bank = bankFor(level, 'overflow hello');
  const hello = LEVEL_MODULES[level].client.start(context('overflow'), clientTrusting(bank.rootPem, NAME)).out.send[0] as MessageOf<'ClientHello'>;
  const bare = encodeMessage(withExtension(hello, { type: 'unknown', code: 21, data: new Uint8Array(0) })).length - 5;
  return encodeMessage(withExtension(hello, { type: 'unknown', code: 21, data: new Uint8Array(length - bare) }));
}

const RECORD_OVERFLOW = [21, 3, 3, 0, 2, 2, 22]; // a fatal record_overflow alert (22)

describe.each(LEVEL_CASES)('level $label: a record longer than TLS allows gets record_overflow, as from OpenSSL (RFC 8446 §5.1, RFC 5246 §6.2.1)', ({ level }) => {
  const cases = [
    { what: 'a record header claiming 65,535 bytes', bytes: () => new Uint8Array([23, 3, 3, 0xff, 0xff]) },
    { what: 'a 17,000-byte plaintext ClientHello', bytes: () => paddedHello(level, 17_000) },
  ];
  it.each(cases)('$what: the engine bank sends record_overflow before reading on', async ({ bytes }) => {
    const server = await serveEngine(bankFor(level, 'overflow'));
    try {
      expect(await rawExchange(server.port, bytes())).toEqual(RECORD_OVERFLOW);
      expect((await server.closed).failure?.reason).toBe('recordOverflow');
    } finally {
      await server.close();
    }
  });

  it.skipIf(!hasOpenssl)('openssl s_server answers the same bytes with the same alert (skipped without openssl)', async () => {
    const bank = bankFor(level, 'overflow openssl');
    const files = pemDir();
    const server = await sServer(['-cert', files.file('bank.pem', bank.certificatePem), '-key', files.file('key.pem', bank.keyPem), '-www']);
    try {
      for (const c of cases) expect(await rawExchange(server.port, c.bytes())).toEqual(RECORD_OVERFLOW);
    } finally {
      await server.stop();
      files.cleanup();
    }
  });

  it('a 16,384-byte plaintext ClientHello (the most a record may carry) is answered', async () => {
    const bank = bankFor(level, 'overflow limit');
    const server = await serveEngine(bank);
    try {
      const answer = await new Promise<number>((resolve) => {
        const socket = net.connect({ host: '127.0.0.1', port: server.port }, () => socket.write(paddedHello(level, 16_384)));
        socket.once('data', (d: Buffer) => {
          resolve(d[0]!);
          socket.destroy();
        });
      });
      expect(answer).toBe(22); // a handshake record: the ServerHello
    } finally {
      await server.close();
    }
  });
});
