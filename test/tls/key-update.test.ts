/**
 * TLS 1.3's KeyUpdate (RFC 8446 §4.6.3) with OpenSSL on the other end: `openssl s_client`'s
 * `k` (a KeyUpdate) and `K` (one with update_requested) typed at the engine's bank. The bank reads
 * on under the client's next keys, answers `K` with a KeyUpdate of its own, and its page comes
 * under its next keys — which s_client could not open had either side got a secret wrong
 * (§7.2). Skipped, saying so, without `openssl`.
 */
import { describe, expect, it } from 'vitest';
import type { Failure } from '../../shared/src/handshake/failures.ts';
import { engineServer } from '../../tools/tls/serve.ts';
import { hasOpenssl, openssl, pemDir } from './openssl.ts';
import { bankFor, context, NAME } from './support.ts';
import type net from 'node:net';

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

describe.skipIf(!hasOpenssl)('KeyUpdate with openssl s_client, level 5 (skipped without openssl)', () => {
  it("s_client's k, then K: the bank follows both, answers K with its own KeyUpdate, and the page arrives under its new keys", async () => {
    const bank = bankFor(5, 'key update s_client');
    const bankLog: string[] = [];
    // The connection's end as the bank saw it (a server's close callback may come before its sockets' own close events).
    let connectionClosed!: (failure: Failure | undefined) => void;
    const ended = new Promise<Failure | undefined>((r) => (connectionClosed = r));
    const server = engineServer(bank, { context: () => context('key update bank'), output: (out) => bankLog.push(...out.log), closed: (c) => connectionClosed(c.failure) });
    const port = await listen(server);
    const files = pemDir();
    const client = openssl(['s_client', '-connect', `127.0.0.1:${port}`, '-servername', NAME, '-CAfile', files.file('root.pem', bank.rootPem), '-verify_return_error', '-crlf', '-msg']);
    try {
      await client.waitFor(/Verify return code: 0 \(ok\)/);
      client.child.stdin.write('k\n');
      await client.waitFor(/>>> TLS 1\.3, Handshake \[length 0005\], KeyUpdate/);
      client.child.stdin.write('K\n');
      await client.waitFor(/<<< TLS 1\.3, Handshake \[length 0005\], KeyUpdate/); // the bank's answer
      client.child.stdin.write(`GET / HTTP/1.1\nHost: ${NAME}\n\n`);
      await client.waitFor(/Heist Bank: bank\.example/);
      client.child.stdin.end();
      await client.exited;
      expect(client.output().match(/KeyUpdate/g)).toHaveLength(3); // k and K sent, one received
      expect(bankLog.filter((l) => l.startsWith('KeyUpdate'))).toEqual([
        'KeyUpdate received: the other side writes under fresh keys from its next record on (its next traffic secret), and we read with them.',
        'KeyUpdate received: the other side writes under fresh keys from its next record on (its next traffic secret), and we read with them.',
        'KeyUpdate sent: from the next record on we write under fresh keys (our next traffic secret).',
      ]);
      expect(await ended).toEqual({ reason: 'peerAlert', description: 'close_notify' });
    } finally {
      await client.stop();
      files.cleanup();
      server.close();
    }
  });
});
