/**
 * The socket driver on hostile bytes, without sockets: whatever arrives, in whatever pieces,
 * the driver never throws, and the bank either waits for more or has failed and said why in
 * one alert — the last record it wrote (sealed, once it writes under keys). Plus the browser giving up on a silent server.
 */
import net from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../../shared/src/messages/codec.ts';
import { LEVEL_MODULES } from '../../shared/src/levels/index.ts';
import { clientTrusting, TLS_LEVELS, tlsWire, type Bank, type TlsLevel } from '../../tools/tls/bank.ts';
import { engineConnect } from '../../tools/tls/connect.ts';
import { clientEndpoint, serverEndpoint } from '../../tools/tls/endpoint.ts';
import type { HttpMessage } from '../../shared/src/handshake/types.ts';
import { MAX_CIPHERTEXT, RecordReader } from '../../tools/tls/records.ts';
import { bankFor, context, LEVEL_CASES, NAME, isTls13 } from './support.ts';

const banks = new Map<TlsLevel, Bank>(TLS_LEVELS.map((l) => [l, bankFor(l, `hostile ${l}`)]));
const bankOf = (level: TlsLevel) => banks.get(level)!; // every TLS level has one, made above

/** A real ClientHello of the level, as the engine's browser sends it. */
function clientHello(level: TlsLevel): Uint8Array {
  const config = clientTrusting(bankOf(level).rootPem, NAME);
  const start = LEVEL_MODULES[level].client.start(context('hello'), config);
  return encodeMessage(start.out.send[0]!);
}

describe.each(LEVEL_CASES)('level $label bank', ({ level }) => {
  const hello = clientHello(level);
  const input = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    // a real ClientHello with a few bytes changed, and maybe cut short or followed by junk
    fc.tuple(fc.array(fc.tuple(fc.nat(hello.length - 1), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }), fc.nat(hello.length), fc.uint8Array({ maxLength: 40 })).map(([flips, cut, tail]) => {
      const b = hello.slice();
      for (const [at, x] of flips) b[at]! ^= x;
      return new Uint8Array([...b.subarray(0, cut), ...tail]);
    }),
  );

  it('never throws on hostile bytes in any pieces, and a failed bank ends with one alert', () => {
    fc.assert(
      fc.property(input, fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }), (bytes, cuts) => {
        const bank = bankOf(level);
        const written: Uint8Array[] = [];
        const endpoint = serverEndpoint(LEVEL_MODULES[level].server.initial(bank.server), context('hostile'), bank.server, { write: (b) => written.push(b) }, tlsWire(level));
        let at = 0;
        for (let i = 0; at < bytes.length; i++) {
          const n = cuts[i % cuts.length]!;
          endpoint.receive(bytes.subarray(at, at + n));
          at += n;
        }
        const records = new RecordReader();
        written.forEach((w) => records.push(w));
        const types: number[] = [];
        for (let r = records.next(); r; r = records.next()) types.push(r.type);
        expect(records.pending).toBe(0);
        if (endpoint.stage === 'failed') {
          expect(endpoint.failure).toBeDefined();
          // The alert: in the clear, or (TLS 1.3, once the bank sent its flight) sealed under its keys.
          const sealed = isTls13(level) && types.includes(22);
          expect(types.at(-1)).toBe(sealed ? 23 : 21);
          expect(types.filter((t) => t === 21)).toHaveLength(sealed ? 0 : 1);
        } else {
          expect(['listening', 'handshaking']).toContain(endpoint.stage);
        }
      }),
      { numRuns: 150, seed: 10 },
    );
  });
});

describe.each(LEVEL_CASES)('level $label browser', ({ level }) => {
  it('never throws on a hostile server’s bytes in any pieces', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 64 }), (bytes, n) => {
        const config = clientTrusting(bankOf(level).rootPem, NAME);
        const ctx = context('hostile browser');
        const start = LEVEL_MODULES[level].client.start(ctx, config);
        const endpoint = clientEndpoint(start.connection, ctx, config, { write: () => undefined }, tlsWire(level));
        endpoint.begin(start.out);
        for (let at = 0; at < bytes.length; at += n) endpoint.receive(bytes.subarray(at, at + n));
        expect(['handshaking', 'failed']).toContain(endpoint.stage);
        expect(endpoint.stage === 'failed').toBe(endpoint.failure !== undefined);
      }),
      { numRuns: 100, seed: 11 },
    );
  });
});

describe('the browser and a silent server', () => {
  it('gives up after its idle time, saying the server closed nothing and answered nothing', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const result = await engineConnect({ level: 5, host: '127.0.0.1', port, config: clientTrusting(bankOf(5).rootPem, NAME), ctx: context(), idleMs: 20 });
      expect(result.closedEarly).toBe(true);
      expect(result.response).toBeUndefined();
      expect(result.failure).toBeUndefined();
      expect(result.log.at(-1)).toBe('no answer within 0.02 s');
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => silent.close(r));
    }
  });
});

describe.each(LEVEL_CASES)('level $label closing', ({ level }) => {
  it('a close_notify is answered with the other side’s own, sealed (RFC 5246 §7.2.1, RFC 8446 §6.1)', () => {
    const { server, browser, fromBank, pump } = joined(level, 'closing');
    const written: Uint8Array[] = [];
    const bankWrites = fromBank.push.bind(fromBank);
    fromBank.push = (...b: Uint8Array[]) => (written.push(...b), bankWrites(...b));
    browser.close();
    pump();
    expect(server.failure).toEqual({ reason: 'peerAlert', description: 'close_notify' });
    const records = new RecordReader();
    written.forEach((w) => records.push(w));
    const answer = records.next()!;
    expect(records.next()).toBeUndefined();
    // Sealed: TLS 1.2 keeps the alert type outside (8-byte explicit nonce, 2 bytes, 16-byte tag); TLS 1.3 says application_data (2 bytes + the inner type + tag).
    expect([answer.type, answer.fragment.length]).toEqual(isTls13(level) ? [23, 2 + 1 + 16] : [21, 2 + 8 + 16]);
  });
});

/** A browser and a bank of the level joined in memory (each write delivered at once), after their handshake; the bank answers every request with `page`. */
function joined(level: TlsLevel, seed: string, page: HttpMessage = { type: 'HttpResponse', status: 200, body: 'ok' }) {
  const bank = bankOf(level);
  const config = clientTrusting(bank.rootPem, NAME);
  const ctx = context(seed);
  const toBank: Uint8Array[] = [];
  const fromBank: Uint8Array[] = [];
  const bankLog: string[] = [];
  const pages: HttpMessage[] = [];
  const server = serverEndpoint(
    LEVEL_MODULES[level].server.initial(bank.server),
    context(`${seed} bank`),
    bank.server,
    { write: (b) => fromBank.push(b), output: (out) => bankLog.push(...out.log), delivered: () => server.send(page) },
    tlsWire(level),
  );
  const start = LEVEL_MODULES[level].client.start(ctx, config);
  const browserWrites: Uint8Array[] = [];
  const browser = clientEndpoint(start.connection, ctx, config, { write: (b) => (toBank.push(b), browserWrites.push(b)), delivered: (m) => pages.push(m) }, tlsWire(level));
  const pump = () => {
    while (toBank.length || fromBank.length) {
      if (toBank.length) server.receive(toBank.shift()!);
      if (fromBank.length) browser.receive(fromBank.shift()!);
    }
  };
  browser.begin(start.out);
  pump();
  expect([browser.stage, server.stage]).toEqual(['traffic', 'traffic']);
  return { server, browser, fromBank, pump, bankLog, pages, browserWrites };
}

describe.each(LEVEL_CASES)('level $label: a protected record longer than its version allows', ({ level }) => {
  const limit = MAX_CIPHERTEXT[tlsWire(level).version];
  it(`(${limit + 1} bytes) gets record_overflow from its header, sealed; one of ${limit} bytes is read and fails its tag`, () => {
    const over = joined(level, 'overflow');
    over.server.receive(new Uint8Array([23, 3, 3, (limit + 1) >> 8, (limit + 1) & 0xff]));
    expect(over.server.failure?.reason).toBe('recordOverflow');
    const alert = new RecordReader();
    alert.push(over.fromBank.at(-1)!);
    expect(alert.next()!.type).toBe(isTls13(level) ? 23 : 21); // sealed: TLS 1.3 hides the type
    const atLimit = joined(level, 'at the limit');
    atLimit.server.receive(new Uint8Array([23, 3, 3, limit >> 8, limit & 0xff, ...new Uint8Array(limit)]));
    expect(atLimit.server.failure?.reason).toBe('badRecordMac');
  });
});

describe('level 5: KeyUpdate (RFC 8446 §4.6.3)', () => {
  it('the browser asks for new keys both ways; the bank moves its reading keys, answers with its own KeyUpdate, and a request and its page pass under the new keys', () => {
    const { server, browser, pump, bankLog, pages } = joined(5, 'key update', { type: 'HttpResponse', status: 200, body: 'fresh keys' });
    browser.updateKeys(true);
    pump();
    expect(bankLog.filter((l) => l.startsWith('KeyUpdate'))).toEqual([
      'KeyUpdate received: the other side writes under fresh keys from its next record on (its next traffic secret), and we read with them.',
      'KeyUpdate sent: from the next record on we write under fresh keys (our next traffic secret).',
    ]);
    browser.send({ type: 'HttpRequest', method: 'GET', host: NAME, path: '/', body: '' });
    pump();
    expect(pages).toEqual([{ type: 'HttpResponse', status: 200, body: 'fresh keys' }]);
    expect([browser.stage, server.stage]).toEqual(['traffic', 'traffic']);
  });

  it.each(LEVEL_CASES.filter(({ level }) => !isTls13(level)))('level $label (TLS 1.2) has no KeyUpdate: asking for one sends nothing', ({ level }) => {
    const { browser, pump, bankLog, browserWrites } = joined(level, 'no key update');
    const [written, logged] = [browserWrites.length, bankLog.length];
    browser.updateKeys(true);
    pump();
    expect(browserWrites.length).toBe(written);
    expect(bankLog.length).toBe(logged);
    expect(browser.stage).toBe('traffic');
  });
});
