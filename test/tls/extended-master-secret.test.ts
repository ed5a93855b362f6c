/**
 * RFC 7627's extended master secret at levels 4 and 4e, with OpenSSL on the other end. OpenSSL
 * offers it and the engine's bank agrees: `s_client` reports "Extended master secret: yes" and
 * prints the master secret, which is the bank's — made from the session hash. The engine's
 * browser offers it too (as every browser does): `s_server -www` reports it, with the master
 * secret the browser logged for Wireshark. A browser told not to offer it gets the RFC 5246
 * master secret, and OpenSSL says "no". Skipped, saying so, without `openssl`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../shared/src/codec/bytes.ts';
import { clientTrusting, type TlsLevel } from '../../tools/tls/bank.ts';
import { engineConnect } from '../../tools/tls/connect.ts';
import { hasOpenssl, openssl, pemDir, sServer } from './openssl.ts';
import { bankFor, context, NAME, serveEngine } from './support.ts';

const files = pemDir();
afterAll(() => files.cleanup());

const TLS12_CASES = [
  { level: 4 as TlsLevel, label: '4', suite: ['-cipher', 'AES128-GCM-SHA256'] },
  { level: 6 as TlsLevel, label: '4e', suite: ['-cipher', 'ECDHE-ECDSA-AES128-GCM-SHA256'] },
];
const masterKey = (text: string) => /Master-Key: ([0-9A-F]{96})/.exec(text)?.[1];

describe.skipIf(!hasOpenssl)('the extended master secret with OpenSSL (skipped without openssl)', () => {
  describe.each(TLS12_CASES)('level $label', ({ level, label, suite }) => {
    it('openssl s_client offers it, the engine bank agrees, and both hold the same master secret', async () => {
      const bank = bankFor(level, `ems s_client ${label}`);
      const learned: Record<string, Uint8Array> = {};
      const server = await serveEngine(bank, [], learned);
      const client = openssl(['s_client', '-connect', `127.0.0.1:${server.port}`, '-servername', NAME, '-CAfile', files.file(`ems-${label}.pem`, bank.rootPem), '-tls1_2', ...suite]);
      try {
        client.child.stdin.end(); // the handshake and its session summary are enough
        await client.exited;
        expect(client.output()).toContain('Extended master secret: yes');
        expect(masterKey(client.output())).toBe(toHex(learned['master secret']!).toUpperCase());
      } finally {
        await client.stop();
        await server.close();
      }
    });

    it.each([
      { offer: true, says: 'yes' },
      { offer: false, says: 'no' },
    ])("the engine's browser offering it: $offer; openssl s_server -www says $says, with the master secret the browser logged", async ({ offer, says }) => {
      const bank = bankFor(level, `ems s_server ${label} ${offer}`);
      const server = await sServer(['-cert', files.file(`ems-s-${label}.pem`, bank.certificatePem), '-key', files.file(`ems-s-${label}.key`, bank.keyPem), '-tls1_2', ...suite, '-www']);
      try {
        const result = await engineConnect({ level, host: '127.0.0.1', port: server.port, config: { ...clientTrusting(bank.rootPem, NAME), extendedMasterSecret: offer }, ctx: context() });
        expect(result.failure).toBeUndefined();
        const page = result.response?.body ?? '';
        expect(page).toContain(`Extended master secret: ${says}`);
        const logged = result.keyLog.find((l) => l.startsWith('CLIENT_RANDOM '))!.split(' ')[2]!;
        expect(masterKey(page)).toBe(logged.toUpperCase());
        expect(result.log.some((l) => l.startsWith('Extended master secret (RFC 7627)'))).toBe(offer);
      } finally {
        await server.stop();
      }
    });
  });
});
