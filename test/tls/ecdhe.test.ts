/**
 * Level 4e (TLS 1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256) on its own terms:
 * - its own check, the signed ServerKeyExchange (RFC 8422 §5.4): a swapped share or a changed
 *   signature on the wire ends with decrypt_error (RFC 5246 §7.2.2, §7.4.3), sent by the engine's
 *   browser to node:tls's bank, and by node:tls's browser to the engine's bank;
 * - node:tls's browser offering its usual curves (X25519 first) still gets P-256 from the
 *   engine's bank (RFC 8422 §5.1.1: a curve from the client's list that the server speaks);
 * - the browser's alerts once it has sent ChangeCipherSpec go sealed under its keys, as at level 4
 *   (RFC 5246 §7.1, §7.2) — found by interop: 4e's browser sent them in the clear, and OpenSSL
 *   refused them (ERR_SSL_INVALID_AAD) instead of reading bad_record_mac.
 */
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { p256KeyPair } from '../../shared/src/crypto/primitives.ts';
import { seededRng } from '../../shared/src/crypto/rng.ts';
import { LEVEL_MODULES } from '../../shared/src/levels/index.ts';
import { decodeMessage } from '../../shared/src/messages/codec.ts';
import { GROUP } from '../../shared/src/messages/tls-codes.ts';
import type { ClientConnection, ServerConnection } from '../../shared/src/handshake/machine.ts';
import type { Message } from '../../shared/src/messages/types.ts';
import { clientTrusting } from '../../tools/tls/bank.ts';
import { engineConnect } from '../../tools/tls/connect.ts';
import type { RawRecord } from '../../tools/tls/records.ts';
import { relay, type Tamper } from './proxy.ts';
import { bankFor, context, NAME, nodeClient, serveEngine, serveNode } from './support.ts';
import { nodeSuite } from './openssl-names.ts';

/** RFC 5246 §7.4: handshake type server_key_exchange. */
const SERVER_KEY_EXCHANGE = 12;
/** RFC 8422 §5.4: curve_type (1), named curve (2), the point's length (1), then the point. */
const POINT_AT = 4 + 4;
const POINT_LENGTH = 65;

/** The attacker's own one-time P-256 share, a valid point that the bank's certificate key never signed. */
const attackerShare = p256KeyPair(seededRng('attacker share').bytes(32)).publicKey;

/** Applies `change` to the ServerKeyExchange message (header included) inside a plaintext handshake record, wherever it sits among the others. */
function inServerKeyExchange(record: RawRecord, change: (message: Uint8Array) => void): Uint8Array {
  if (record.type !== 22) return record.bytes;
  const out = record.bytes.slice();
  const fragment = out.subarray(5);
  for (let at = 0; at + 4 <= fragment.length; ) {
    const length = (fragment[at + 1]! << 16) | (fragment[at + 2]! << 8) | fragment[at + 3]!;
    if (fragment[at] === SERVER_KEY_EXCHANGE) {
      change(fragment.subarray(at, at + 4 + length));
      return out;
    }
    at += 4 + length;
  }
  return record.bytes;
}

const TAMPERS: { what: string; change(message: Uint8Array): void }[] = [
  {
    what: "the bank's share swapped for the attacker's",
    change: (m) => {
      if (m[4] !== 3 || m[7] !== POINT_LENGTH) throw new Error('not a named-curve P-256 ServerKeyExchange');
      m.set(attackerShare, POINT_AT);
    },
  },
  // The signature's last byte is the low byte of its s: the DER stays well formed, the signature no longer verifies.
  { what: 'one bit of its signature changed', change: (m) => void (m[m.length - 1]! ^= 1) },
];

const inFlight = (change: (m: Uint8Array) => void): Tamper => (r, direction, seen) => (direction === 'toClient' && !seen.some((x) => x.type === 20) ? inServerKeyExchange(r, change) : r.bytes);

describe.each(TAMPERS)('level 4e, ServerKeyExchange with $what', ({ change }) => {
  it("the engine's browser sends decrypt_error, and node:tls's bank reports it", async () => {
    const bank = bankFor(6, 'ske node bank');
    const server = await serveNode(6, bank);
    const attacker = await relay(server.port, inFlight(change));
    try {
      const result = await engineConnect({ level: 6, host: '127.0.0.1', port: attacker.port, config: clientTrusting(bank.rootPem, NAME), ctx: context() });
      expect(attacker.tampered).toBe(1);
      expect(result.response).toBeUndefined();
      expect(result.failure).toEqual({ reason: 'badServerKeyExchange' });
      expect(result.alertSent).toBe('decrypt_error');
      // The certificate itself was fine: the signature over the share is the one check that failed.
      expect(result.checks.filter((c) => !c.passed).map((c) => c.check)).toEqual(['serverKeyExchange']);
      expect(result.checks.filter((c) => c.passed).map((c) => c.check)).toEqual(expect.arrayContaining(['issuer', 'signature', 'name', 'notExpired']));
      const seen = await server.closed;
      expect(seen.request).toBeUndefined();
      expect(seen.error?.code).toBe('ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR');
    } finally {
      await attacker.close();
      await server.close();
    }
  });

  it("node:tls's browser sends decrypt_error, and the engine's bank reports it", async () => {
    const bank = bankFor(6, 'ske engine bank');
    const server = await serveEngine(bank);
    const attacker = await relay(server.port, inFlight(change));
    try {
      const result = await nodeClient(6, attacker.port, bank.rootPem);
      expect(attacker.tampered).toBe(1);
      expect(result.response ?? '').toBe('');
      expect(result.error?.code).toBe('ERR_SSL_BAD_SIGNATURE');
      const closed = await server.closed;
      expect(closed.failure).toEqual({ reason: 'peerAlert', description: 'decrypt_error' });
      expect(closed.requests).toEqual([]);
    } finally {
      await attacker.close();
      await server.close();
    }
  });
});

describe("level 4e, node:tls's browser with its usual curves", () => {
  it('offers X25519 first; the engine bank picks secp256r1 from its list, and the page arrives', async () => {
    const bank = bankFor(6, 'usual curves');
    const server = await serveEngine(bank);
    let hello: Message | undefined;
    const watcher = await relay(server.port, (r, direction, seen) => {
      if (direction === 'toServer' && seen.length === 0) hello = decodeMessage(r.bytes, { lenient: true });
      return r.bytes;
    });
    const { ecdhCurve, ...suite } = nodeSuite(6);
    expect(ecdhCurve).toBe('P-256'); // the other tests pin it; this one leaves OpenSSL's default list
    try {
      const seen = await new Promise<{ curve?: string; suite: string; response: string }>((resolve, reject) => {
        let response = '';
        let negotiated = { suite: '', curve: undefined as string | undefined };
        const socket = tls.connect({ host: '127.0.0.1', port: watcher.port, servername: NAME, ca: bank.rootPem, ...suite }, () => {
          const key = socket.getEphemeralKeyInfo();
          negotiated = { suite: socket.getCipher().standardName, curve: key && 'name' in key ? key.name : undefined };
          socket.write(`GET / HTTP/1.1\r\nHost: ${NAME}\r\n\r\n`);
        });
        socket.on('data', (d: Buffer) => {
          response += d.toString('utf8');
          if (response.includes('served by the Handshake Heist engine.\n')) socket.end(); // the page's last line
        });
        socket.on('error', reject);
        socket.on('close', () => resolve({ ...negotiated, response }));
      });
      const groups = hello?.type === 'ClientHello' ? hello.extensions.find((e) => e.type === 'supported_groups') : undefined;
      expect(groups?.type === 'supported_groups' && groups.groups.slice(0, 2)).toEqual([GROUP.x25519, GROUP.secp256r1]);
      expect(seen.suite).toBe('TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
      expect(seen.curve).toBe('prime256v1');
      expect(seen.response).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Heist Bank: bank\.example/);
      expect((await server.closed).requests).toHaveLength(1);
    } finally {
      await watcher.close();
      await server.close();
    }
  });
});

describe('level 4e: the browser after its ChangeCipherSpec', () => {
  it.each([4, 6] as const)('level %i: a server Finished that fails its tag gets bad_record_mac sealed under the browser’s keys, which the bank reads', (level) => {
    const bank = bankFor(level, `sealed alert ${level}`);
    const config = clientTrusting(bank.rootPem, NAME);
    const ctx = context(`sealed alert ${level}`);
    const start = LEVEL_MODULES[level].client.start(ctx, config);
    let client: ClientConnection = start.connection;
    let server: ServerConnection = LEVEL_MODULES[level].server.initial(bank.server);
    let toServer: Message[] = start.out.send;
    let last: Message[] = [];
    for (let turn = 0; turn < 4 && toServer.length > 0 && client.stage !== 'failed'; turn++) {
      let toClient: Message[] = [];
      for (const message of toServer) {
        const step = server.handle({ kind: 'receive', message }, ctx, bank.server);
        server = step.next;
        toClient.push(...step.out.send);
      }
      // The attacker flips a bit of the server's Finished: its first sealed record, after its ChangeCipherSpec.
      const ccs = toClient.findIndex((m) => m.type === 'ChangeCipherSpec');
      if (ccs >= 0) {
        const finished = toClient[ccs + 1]!;
        if (finished.type !== 'EncryptedRecord') throw new Error(`expected the sealed Finished, got ${finished.type}`);
        const fragment = finished.fragment.slice();
        fragment[fragment.length - 1]! ^= 1;
        toClient = [...toClient.slice(0, ccs + 1), { ...finished, fragment }];
      }
      toServer = [];
      for (const message of toClient) {
        const step = client.handle({ kind: 'receive', message }, ctx, config);
        client = step.next;
        toServer.push(...step.out.send);
        if (step.out.failure) {
          expect(step.out.failure).toEqual({ reason: 'handshakeKeysDiffer', message: 'Finished' });
          last = step.out.send;
        }
      }
    }
    expect(client.stage).toBe('failed');
    expect(server.stage).toBe('traffic'); // it verified the browser's Finished and sent its own
    // RFC 5246 §6.2.3.3: the 2-byte alert, an 8-byte explicit nonce, a 16-byte tag; the type stays outside.
    expect(last).toHaveLength(1);
    expect(last[0]).toMatchObject({ type: 'EncryptedRecord', contentType: 'alert' });
    expect(last[0]!.type === 'EncryptedRecord' && last[0]!.fragment.length).toBe(2 + 8 + 16);
    const read = server.handle({ kind: 'receive', message: last[0]! }, ctx, bank.server);
    expect(read.out.failure).toEqual({ reason: 'peerAlert', description: 'bad_record_mac' });
  });
});
