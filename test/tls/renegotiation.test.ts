/**
 * TLS 1.2 renegotiation (levels 4 and 4e) is declined with a no_renegotiation warning, sealed,
 * as RFC 5746 §4.4 and §5 make the safe choice — not a fatal unexpected_message. OpenSSL asks
 * for one with `s_client`'s `R` (a new ClientHello to the engine's bank) and `s_server`'s `r`
 * (a HelloRequest to the engine's browser). OpenSSL itself treats a refused renegotiation as
 * fatal (it answers with handshake_failure, "no renegotiation"): the engine's side said the
 * polite thing, and it is OpenSSL that ends the connection. Skipped, saying so, without `openssl`.
 */
import type net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { Failure } from '../../shared/src/handshake/failures.ts';
import { clientTrusting, type TlsLevel } from '../../tools/tls/bank.ts';
import { engineConnect } from '../../tools/tls/connect.ts';
import { engineServer } from '../../tools/tls/serve.ts';
import { hasOpenssl, openssl, pemDir, sServer } from './openssl.ts';
import { bankFor, context, NAME } from './support.ts';

const files = pemDir();
afterAll(() => files.cleanup());

const DECLINED = (asked: string) => `The other side asked for a new handshake on this connection (a renegotiation: ${asked}): declined with a no_renegotiation warning; the session goes on as it was.`;
const CASES = [
  { level: 4 as TlsLevel, label: '4', suite: ['-cipher', 'AES128-GCM-SHA256'] },
  { level: 6 as TlsLevel, label: '4e', suite: ['-cipher', 'ECDHE-ECDSA-AES128-GCM-SHA256'] },
];

describe.skipIf(!hasOpenssl)('renegotiation declined (skipped without openssl)', () => {
  describe.each(CASES)('level $label', ({ level, label, suite }) => {
    it("s_client's R: the engine bank answers its new ClientHello with a no_renegotiation warning", async () => {
      const bank = bankFor(level, `renegotiate ${label}`);
      const log: string[] = [];
      // The connection's end as the bank saw it (a server's close callback may come before its sockets' own close events).
      let connectionClosed!: (failure: Failure | undefined) => void;
      const ended = new Promise<Failure | undefined>((r) => (connectionClosed = r));
      const server = engineServer(bank, { context: () => context(`renegotiate ${label}`), output: (out) => log.push(...out.log), closed: (c) => connectionClosed(c.failure) });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      const client = openssl(['s_client', '-connect', `127.0.0.1:${(server.address() as net.AddressInfo).port}`, '-servername', NAME, '-CAfile', files.file(`r-${label}.pem`, bank.rootPem), '-tls1_2', ...suite, '-msg']);
      try {
        await client.waitFor(/Verify return code: 0 \(ok\)/);
        client.child.stdin.write('R\n');
        await client.waitFor(/<<< TLS 1\.2, Alert \[length 0002\], warning no_renegotiation/);
        client.child.stdin.end();
        await client.exited;
        expect(log).toContain(DECLINED('a new ClientHello'));
        expect(client.output()).toMatch(/no renegotiation/); // OpenSSL's own reading: fatal, on its side
        expect(await ended).toEqual({ reason: 'peerAlert', description: 'handshake_failure' });
      } finally {
        await client.stop();
        server.close();
      }
    });

    it("s_server's r: the engine's browser answers the HelloRequest with a no_renegotiation warning", async () => {
      const bank = bankFor(level, `hello request ${label}`);
      const server = await sServer(['-cert', files.file(`hr-${label}.pem`, bank.certificatePem), '-key', files.file(`hr-${label}.key`, bank.keyPem), '-tls1_2', ...suite, '-msg']);
      try {
        const connecting = engineConnect({ level, host: '127.0.0.1', port: server.port, config: clientTrusting(bank.rootPem, NAME), ctx: context() });
        await server.waitFor(/GET \/ HTTP\/1\.1/);
        server.child.stdin.write('r\n');
        await server.waitFor(/<<< TLS 1\.2, Alert \[length 0002\], warning no_renegotiation/);
        server.child.stdin.end();
        const result = await connecting;
        expect(result.log).toContain(DECLINED('HelloRequest'));
        expect(result.alertSent).toBeUndefined(); // a warning, not a failure of the browser's
      } finally {
        await server.stop();
      }
    });
  });
});
