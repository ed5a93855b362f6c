/**
 * Encrypted handshake messages framed otherwise than one per record, as RFC 8446 §5.1 and RFC
 * 5246 §6.2.1 allow and other implementations send them: cut across several records, or (TLS
 * 1.3) a whole flight in one. A relay holding the key log (reframe.ts) frames OpenSSL's (node:tls)
 * messages again on the way, toward the engine's browser and toward the engine's bank; each
 * joins them and completes its request. A message after Finished in Finished's record spans a
 * key change: unexpected_message (§5.1). (Plaintext messages cut or joined: records.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { clientTrusting } from '../../tools/tls/bank.ts';
import { engineConnect } from '../../tools/tls/connect.ts';
import { keyedRelay } from './reframe.ts';
import { bankFor, context, LEVEL_CASES, NAME, nodeClient, serveEngine, serveNode, isTls13 } from './support.ts';

describe.each(LEVEL_CASES)('level $label', ({ level }) => {
  const tls13 = isTls13(level);
  const flight = tls13 ? 'EncryptedExtensions, Certificate, CertificateVerify, Finished and its session tickets' : 'Finished';

  it(`the engine's browser joins node:tls's encrypted ${flight}, cut into 7-byte records`, async () => {
    const bank = bankFor(level, `split to browser ${level}`);
    const keyLog: string[] = [];
    const server = await serveNode(level, bank, { keyLog });
    const relay = await keyedRelay(server.port, keyLog, { toClient: { split: 7 } });
    try {
      const result = await engineConnect({ level, host: '127.0.0.1', port: relay.port, config: clientTrusting(bank.rootPem, NAME), ctx: context() });
      expect(result.failure).toBeUndefined();
      expect(result.response).toEqual({ type: 'HttpResponse', status: 200, body: 'Hello from node:tls\n' });
      expect(relay.reframed).toBeGreaterThan(tls13 ? 50 : 2); // Finished alone is 16 bytes (TLS 1.2): 3 records
    } finally {
      await relay.close();
      await server.close();
    }
  });

  it("the engine's bank joins node:tls's encrypted Finished, cut into 7-byte records", async () => {
    const bank = bankFor(level, `split to bank ${level}`);
    const keyLog: string[] = [];
    const server = await serveEngine(bank, keyLog);
    const relay = await keyedRelay(server.port, keyLog, { toServer: { split: 7 } });
    try {
      const result = await nodeClient(level, relay.port, bank.rootPem, NAME, undefined, keyLog);
      expect(result.error).toBeUndefined();
      expect(result.response).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect((await server.closed).requests).toMatchObject([{ type: 'HttpRequest', method: 'GET', path: '/' }]);
      expect(relay.reframed).toBeGreaterThanOrEqual(3);
    } finally {
      await relay.close();
      await server.close();
    }
  });

  if (tls13) {
    it("the engine's browser reads node:tls's encrypted flight, EncryptedExtensions to Finished, in one record", async () => {
      const bank = bankFor(level, 'coalesced flight');
      const keyLog: string[] = [];
      const server = await serveNode(level, bank, { keyLog });
      const relay = await keyedRelay(server.port, keyLog, { toClient: 'coalesce' });
      try {
        const result = await engineConnect({ level, host: '127.0.0.1', port: relay.port, config: clientTrusting(bank.rootPem, NAME), ctx: context() });
        expect(result.failure).toBeUndefined();
        expect(result.response).toEqual({ type: 'HttpResponse', status: 200, body: 'Hello from node:tls\n' });
        expect(relay.reframed).toBeGreaterThanOrEqual(1);
      } finally {
        await relay.close();
        await server.close();
      }
    });
  }

  it("a handshake message after the server's Finished, in Finished's record: the engine's browser sends unexpected_message (RFC 8446 §5.1)", async () => {
    const bank = bankFor(level, `after finished ${level}`);
    const keyLog: string[] = [];
    const server = await serveNode(level, bank, { keyLog });
    // A whole message that would itself change keys or start a handshake: KeyUpdate (TLS 1.3), HelloRequest (TLS 1.2).
    const extra = tls13 ? new Uint8Array([24, 0, 0, 1, 0]) : new Uint8Array([0, 0, 0, 0]);
    const relay = await keyedRelay(server.port, keyLog, { afterFinished: { direction: 'toClient', bytes: extra } });
    try {
      const result = await engineConnect({ level, host: '127.0.0.1', port: relay.port, config: clientTrusting(bank.rootPem, NAME), ctx: context() });
      expect(result.response).toBeUndefined();
      expect(result.failure).toEqual({ reason: 'unexpectedMessage', expected: expect.stringContaining('the end of the record after Finished'), got: tls13 ? 'KeyUpdate' : 'HelloRequest' });
      expect(result.alertSent).toBe('unexpected_message');
    } finally {
      await relay.close();
      await server.close();
    }
  });
});
