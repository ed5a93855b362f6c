/**
 * The socket driver's framing, as other implementations and attackers send bytes: a record cut
 * across TCP reads or several in one read, a handshake message cut across records or several in
 * one record — and bytes that are no TLS record at all, refused before anything is buffered.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { CodecError } from '../../shared/src/codec/reader.ts';
import { clientTrusting } from '../../tools/tls/bank.ts';
import { engineConnect } from '../../tools/tls/connect.ts';
import { HandshakeJoiner, MAX_FRAGMENT, MAX_HANDSHAKE_MESSAGE, RecordReader, type RawRecord } from '../../tools/tls/records.ts';
import { relay, type Tamper } from './proxy.ts';
import { bankFor, context, LEVEL_CASES, NAME, nodeClient, serveEngine, serveNode } from './support.ts';

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
      [[23, 3, 3, 0xff, 0xff], new RegExp(`1 to ${MAX_FRAGMENT} bytes, got 65535`)],
      [[23, 3, 3, 0, 0], /1 to \d+ bytes, got 0/],
    ];
    for (const [bytes, error] of cases) {
      const r = new RecordReader();
      r.push(new Uint8Array(bytes));
      expect(() => r.next()).toThrow(CodecError);
      expect(() => r.next()).toThrow(error);
    }
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

describe('bytes that are no TLS', () => {
  it.each([
    ['plain HTTP on the TLS port', 'GET / HTTP/1.1\r\nHost: bank.example\r\n\r\n'],
    ['a record header claiming 65535 bytes', '\x17\x03\x03\xff\xff'],
  ])('%s: the engine bank answers decode_error and closes', async (_what, bytes) => {
    const bank = bankFor(5, 'garbage');
    const server = await serveEngine(bank);
    try {
      const answer = await new Promise<number[]>((resolve) => {
        const got: number[] = [];
        const s = net.connect({ host: '127.0.0.1', port: server.port }, () => s.write(Buffer.from(bytes, 'latin1')));
        s.on('data', (d: Buffer) => got.push(...d));
        s.on('close', () => resolve(got));
        s.on('error', () => undefined);
      });
      expect(answer).toEqual([21, 3, 3, 0, 2, 2, 50]); // alert, TLS 1.2 record version, fatal decode_error (RFC 8446 §6)
      expect((await server.closed).failure?.reason).toBe('decodeError');
    } finally {
      await server.close();
    }
  });
});
