/**
 * The engine speaks TLS with OpenSSL (node:tls), both ways, for level 4 (TLS 1.2,
 * TLS_RSA_WITH_AES_128_GCM_SHA256) and level 5 (TLS 1.3, TLS_AES_128_GCM_SHA256 over X25519):
 * each connection completes an HTTP request, and node's `keylog` lines are exactly the
 * engine's key log lines for the same connection (so Wireshark opens either side's capture).
 */
import { describe, expect, it } from 'vitest';
import { clientTrusting, TLS_LEVELS } from '../../tools/tls/bank.ts';
import { engineConnect } from '../../tools/tls/connect.ts';
import { bankFor, context, NAME, nodeClient, serveEngine, serveNode } from './support.ts';

const sorted = (lines: string[]) => [...lines].sort();

describe.each(TLS_LEVELS)('level %i', (level) => {
  it('node:tls as the browser gets the page from the engine bank, and both key logs agree', async () => {
    const bank = bankFor(level, `engine server ${level}`);
    const engineKeyLog: string[] = [];
    const server = await serveEngine(bank, engineKeyLog);
    try {
      const result = await nodeClient(level, server.port, bank.rootPem);
      expect(result.error).toBeUndefined();
      expect(result.response).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(result.response).toContain('Heist Bank: bank.example');
      const closed = await server.closed;
      expect(closed.requests).toMatchObject([{ type: 'HttpRequest', method: 'GET', path: '/', host: NAME }]);
      expect(result.keyLog.length).toBe(level === 4 ? 1 : 5);
      expect(sorted(result.keyLog)).toEqual(sorted(engineKeyLog));
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
      expect(seen.request).toMatch(/^GET \/ HTTP\/1\.1\r\nHost: bank\.example\r\n/);
      expect(seen.keyLog.length).toBe(level === 4 ? 1 : 5);
      expect(sorted(result.keyLog)).toEqual(sorted(seen.keyLog));
    } finally {
      await server.close();
    }
  });
});
