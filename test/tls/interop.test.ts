/**
 * The engine speaks TLS with OpenSSL (node:tls), both ways, for level 4 (TLS 1.2,
 * TLS_RSA_WITH_AES_128_GCM_SHA256), level 4e (TLS 1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
 * over P-256) and level 5 (TLS 1.3, TLS_AES_128_GCM_SHA256 over X25519):
 * each connection completes an HTTP request, and node's `keylog` lines are exactly the
 * engine's key log lines for the same connection (so Wireshark opens either side's capture).
 * A TLS 1.2 RSA client (OpenSSL's, and the engine's) also logs an RSA line, the pre-master
 * under the first bytes of its encryption, which the server does not write; it is checked
 * against the pre-master the other side holds.
 */
import { describe, expect, it } from 'vitest';
import { toHex } from '../../shared/src/codec/bytes.ts';
import { clientTrusting, tlsOf, type TlsLevel } from '../../tools/tls/bank.ts';
import { levelModule } from '../../shared/src/levels/index.ts';
import { engineConnect } from '../../tools/tls/connect.ts';
import type { RawRecord } from '../../tools/tls/records.ts';
import { relay } from './proxy.ts';
import { bankFor, context, LEVEL_CASES, NAME, nodeClient, serveEngine, serveNode, isTls13 } from './support.ts';

const sorted = (lines: string[]) => [...lines].sort();
const RSA_LINE = /^RSA ([0-9a-f]{16}) ([0-9a-f]{96})$/;
const rsaLines = (lines: string[]) => lines.filter((l) => l.startsWith('RSA '));
const secretLines = (lines: string[]) => sorted(lines.filter((l) => !l.startsWith('RSA ')));

/** TLS 1.2 logs one line (CLIENT_RANDOM, the master secret), TLS 1.3 five (its traffic secrets). */
const secretLineCount = (level: TlsLevel) => (tlsOf(level).tls.version === '1.3' ? 5 : 1);
/** RSA key transport: OpenSSL also logs the pre-master secret it encrypted, by the first bytes of that ciphertext. */
const rsaTransport = (level: TlsLevel) => levelModule(level).keyExchange === 'transport';

describe.each(LEVEL_CASES)('level $label', ({ level }) => {
  it('node:tls as the browser gets the page from the engine bank, and both key logs agree', async () => {
    const bank = bankFor(level, `engine server ${level}`);
    const engineKeyLog: string[] = [];
    const learned: Record<string, Uint8Array> = {};
    const server = await serveEngine(bank, engineKeyLog, learned);
    try {
      const result = await nodeClient(level, server.port, bank.rootPem);
      expect(result.error).toBeUndefined();
      expect(result.suite).toBe(tlsOf(level).tls.suite);
      expect(result.response).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(result.response).toContain('Heist Bank: bank.example');
      const closed = await server.closed;
      expect(closed.requests).toMatchObject([{ type: 'HttpRequest', method: 'GET', path: '/', host: NAME }]);
      expect(secretLines(result.keyLog)).toHaveLength(secretLineCount(level));
      expect(secretLines(result.keyLog)).toEqual(sorted(engineKeyLog));
      // OpenSSL's RSA line: the pre-master it encrypted is the one the engine's bank decrypted.
      const rsa = rsaLines(result.keyLog);
      expect(rsa).toHaveLength(rsaTransport(level) ? 1 : 0);
      if (rsaTransport(level)) expect(RSA_LINE.exec(rsa[0]!)?.[2]).toBe(toHex(learned['pre-master secret']!));
    } finally {
      await server.close();
    }
  });

  it('the engine as the browser gets the page from a node:tls bank, and both key logs agree', async () => {
    const bank = bankFor(level, `node server ${level}`);
    const server = await serveNode(level, bank);
    try {
      const result = await engineConnect({ level, host: '127.0.0.1', port: server.port, config: clientTrusting(bank.rootPem, NAME), ctx: context(`client ${level}`) });
      expect(result.failure).toBeUndefined();
      expect(result.response).toEqual({ type: 'HttpResponse', status: 200, body: 'Hello from node:tls\n' });
      expect(result.checks.filter((c) => !c.passed)).toEqual([]);
      const seen = await server.closed;
      expect(seen.error).toBeUndefined();
      expect(seen.suite).toBe(tlsOf(level).tls.suite);
      expect(seen.request).toMatch(/^GET \/ HTTP\/1\.1\r\nHost: bank\.example\r\n/);
      expect(seen.keyLog).toHaveLength(secretLineCount(level));
      expect(secretLines(result.keyLog)).toEqual(sorted(seen.keyLog));
      expect(rsaLines(result.keyLog)).toHaveLength(rsaTransport(level) ? 1 : 0);
      if (rsaTransport(level)) expect(rsaLines(result.keyLog)[0]).toMatch(RSA_LINE);
    } finally {
      await server.close();
    }
  });

  it('an HTTP message across two records (head, then body) arrives whole, both ways', async () => {
    const bank = bankFor(level, `split ${level}`);
    const engineBank = await serveEngine(bank);
    const nodeBank = await serveNode(level, bank, { splitResponse: true });
    try {
      const body = 'pin=4821&to=Bob&amount=120';
      const head = `POST /transfer HTTP/1.1\r\nHost: ${NAME}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n`;
      const result = await nodeClient(level, engineBank.port, bank.rootPem, NAME, [head, body]);
      expect(result.error).toBeUndefined();
      expect(result.response).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/); // the engine bank serves only GET /
      expect((await engineBank.closed).requests).toEqual([{ type: 'HttpRequest', method: 'POST', host: NAME, path: '/transfer', body }]);

      const answer = await engineConnect({ level, host: '127.0.0.1', port: nodeBank.port, config: clientTrusting(bank.rootPem, NAME), ctx: context() });
      expect(answer.failure).toBeUndefined();
      expect(answer.response).toEqual({ type: 'HttpResponse', status: 200, body: 'Hello from node:tls\n' });
    } finally {
      await engineBank.close();
      await nodeBank.close();
    }
  });

  it("the engine's browser ends with close_notify, sealed under its keys (RFC 8446 §6.1)", async () => {
    const bank = bankFor(level, `close ${level}`);
    const server = await serveNode(level, bank, { keepOpen: true }); // its own close_notify would end the browser first
    const sent: RawRecord[] = [];
    const watcher = await relay(server.port, (r, direction) => {
      if (direction === 'toServer') sent.push(r);
      return r.bytes;
    });
    try {
      const result = await engineConnect({ level, host: '127.0.0.1', port: watcher.port, config: clientTrusting(bank.rootPem, NAME), ctx: context() });
      expect(result.response?.type).toBe('HttpResponse');
      const seen = await server.closed;
      expect(seen.error).toBeUndefined();
      // An alert (2 bytes) sealed: TLS 1.2 keeps its type outside, with an 8-byte explicit nonce and a 16-byte tag;
      // TLS 1.3 says application_data outside, the type inside (1 byte), and a 16-byte tag.
      const last = sent.at(-1)!;
      expect([last.type, last.fragment.length]).toEqual(isTls13(level) ? [23, 2 + 1 + 16] : [21, 2 + 8 + 16]);
    } finally {
      await watcher.close();
      await server.close();
    }
  });
});
