/**
 * TLS 1.3 key shares in X25519 and P-256, both ways, with HelloRetryRequest (RFC 8446 §4.1.4):
 * a client whose share the bank can use gets its group (P-256 first: no retry); a client whose
 * shares are all in groups the bank does not speak (X448) is asked again for one it lists; a
 * client that lists none gets handshake_failure. The engine's browser, which sends an X25519
 * share and lists P-256 too, answers a server that wants P-256 (OpenSSL's s_server, node:tls).
 * The browser refuses, with illegal_parameter, a ServerHello whose share is in a group it sent
 * none for (§4.2.8) or that does not echo its session id (§4.1.3). Skipped where openssl is
 * missing, saying so (the node:tls cases run everywhere).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../shared/src/messages/codec.ts';
import type { MessageOf } from '../../shared/src/messages/types.ts';
import { clientTrusting } from '../../tools/tls/bank.ts';
import { engineConnect } from '../../tools/tls/connect.ts';
import { engineServer } from '../../tools/tls/serve.ts';
import { hasOpenssl, pemDir, sClientGet, sServer } from './openssl.ts';
import { relay, type Tamper } from './proxy.ts';
import { bankFor, context, NAME, serveNode } from './support.ts';
import type net from 'node:net';

const files = pemDir();
afterAll(() => files.cleanup());

/** The engine's level-5 bank on a port, keeping every line it logged. */
async function bankWithLog(seed: string) {
  const bank = bankFor(5, seed);
  const log: string[] = [];
  const server = engineServer(bank, { context: () => context(`${seed} bank`), output: (out) => log.push(...out.log) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  return { bank, log, port, ca: files.file(`${seed}.pem`, bank.rootPem), close: () => new Promise<void>((r) => server.close(() => r())) };
}

const retried = (log: string[]) => log.filter((l) => l.startsWith('HelloRetryRequest'));

describe.skipIf(!hasOpenssl)('openssl s_client -groups … against the engine bank (skipped without openssl)', () => {
  it.each([
    { groups: 'P-256:X25519', key: 'ECDH, prime256v1, 256 bits', asked: [] },
    { groups: 'X448:P-256', key: 'ECDH, prime256v1, 256 bits', asked: ['P-256'] },
    { groups: 'X448:X25519', key: 'X25519, 253 bits', asked: ['X25519'] },
  ])('-groups $groups: the page, over $key', async ({ groups, key, asked }) => {
    const bank = await bankWithLog(`groups ${groups}`);
    try {
      const output = await sClientGet(bank.port, bank.ca, NAME, ['-groups', groups], /Heist Bank: bank\.example/);
      expect(output).toContain(`Server Temp Key: ${key}`);
      expect(output).toContain('Heist Bank: bank.example');
      expect(retried(bank.log)).toEqual(asked.map((g) => `HelloRetryRequest: the ClientHello has no key share we can use, but offers ${g}; we ask for the ClientHello again with a share in it.`));
    } finally {
      await bank.close();
    }
  });

  it('-groups X448 alone: no group in common, the bank sends handshake_failure', async () => {
    const bank = await bankWithLog('groups X448');
    try {
      const output = await sClientGet(bank.port, bank.ca, NAME, ['-groups', 'X448'], /Heist Bank/);
      expect(output).toMatch(/alert handshake failure/);
      expect(bank.log.at(-1)).toBe('the two sides could not agree: no key-exchange group in common: the client offers x448 (0x001e), the bank speaks X25519 and P-256');
    } finally {
      await bank.close();
    }
  });

  it('the engine browser against openssl s_server -groups P-256: asked again for P-256, it completes', async () => {
    const bank = bankFor(5, 's_server P-256');
    const server = await sServer(['-cert', files.file('s-bank.pem', bank.certificatePem), '-key', files.file('s-key.pem', bank.keyPem), '-groups', 'P-256', '-www']);
    try {
      const result = await engineConnect({ level: 5, host: '127.0.0.1', port: server.port, config: clientTrusting(bank.rootPem, NAME), ctx: context() });
      expect(result.failure).toBeUndefined();
      expect(result.log).toContain('HelloRetryRequest: the server has no use for our X25519 share and asks for one in P-256. Sent the ClientHello again with a fresh P-256 share.');
      expect(result.response?.type).toBe('HttpResponse');
    } finally {
      await server.stop();
    }
  });
});

describe('the engine browser and node:tls, level 5', () => {
  it('node:tls speaking only P-256: asked again for P-256, the browser completes its request', async () => {
    const bank = bankFor(5, 'node P-256');
    const server = await serveNode(5, bank, { tls: { ecdhCurve: 'P-256' } });
    try {
      const result = await engineConnect({ level: 5, host: '127.0.0.1', port: server.port, config: clientTrusting(bank.rootPem, NAME), ctx: context() });
      expect(result.failure).toBeUndefined();
      expect(result.response).toEqual({ type: 'HttpResponse', status: 200, body: 'Hello from node:tls\n' });
      expect(result.log.filter((l) => l.startsWith('HelloRetryRequest'))).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('node:tls speaking only X448: no group in common, node:tls sends handshake_failure', async () => {
    const bank = bankFor(5, 'node X448');
    const server = await serveNode(5, bank, { tls: { ecdhCurve: 'X448' } });
    try {
      const result = await engineConnect({ level: 5, host: '127.0.0.1', port: server.port, config: clientTrusting(bank.rootPem, NAME), ctx: context() });
      expect(result.failure).toEqual({ reason: 'peerAlert', description: 'handshake_failure' });
    } finally {
      await server.close();
    }
  });

  /** The ServerHello (node's first record to the browser) changed by `edit`, re-encoded. */
  const serverHello = (edit: (hello: MessageOf<'ServerHello'>) => MessageOf<'ServerHello'>): Tamper => (r, direction, seen) => {
    if (direction !== 'toClient' || seen.length > 0) return r.bytes;
    return encodeMessage(edit(decodeMessage(r.bytes, { lenient: true }) as MessageOf<'ServerHello'>));
  };

  it.each([
    {
      what: 'a key share in a group the browser sent none for (P-256)',
      edit: serverHello((h) => ({ ...h, extensions: h.extensions.map((e) => (e.type === 'key_share' ? { ...e, shares: [{ group: 0x0017, key: e.shares[0]!.key }] } : e)) })),
      failure: { reason: 'unofferedGroup', group: 'P-256' },
    },
    { what: 'a session id the browser did not send', edit: serverHello((h) => ({ ...h, sessionId: new Uint8Array(32).fill(7) })), failure: { reason: 'sessionIdNotEchoed', message: 'ServerHello' } },
  ])('a ServerHello with $what: the browser sends illegal_parameter (RFC 8446 §4.1.3, §4.2.8)', async ({ edit, failure }) => {
    const bank = bankFor(5, 'illegal hello');
    const server = await serveNode(5, bank);
    const attacker = await relay(server.port, edit);
    try {
      const result = await engineConnect({ level: 5, host: '127.0.0.1', port: attacker.port, config: clientTrusting(bank.rootPem, NAME), ctx: context() });
      expect(result.failure).toEqual(failure);
      expect(result.alertSent).toBe('illegal_parameter');
      expect((await server.closed).error?.code).toBe('ERR_SSL_SSLV3_ALERT_ILLEGAL_PARAMETER');
    } finally {
      await attacker.close();
      await server.close();
    }
  });
});
