/**
 * HTTP above the engine's TLS is HTTP's business (tools/tls/http1.ts, node:http): the browser
 * reads HTTP/1.0 and 1.1 answers — by Content-Length, chunked, or until the close — and an answer
 * that is no HTTP at all is reported as such, the session still closing with close_notify and
 * never a TLS alert. The bank keeps a connection for more requests until one says `Connection:
 * close` (or is HTTP/1.0), then closes it (RFC 9112 §9.6): `openssl s_client -quiet` (which never
 * closes by itself) ends when its request did. OpenSSL's `s_server -www` and `-HTTP` answer in
 * HTTP/1.0 with no length (skipped, saying so, without openssl).
 */
import fs from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import type { Failure } from '../../shared/src/handshake/failures.ts';
import { clientTrusting, type TlsLevel } from '../../tools/tls/bank.ts';
import { engineConnect } from '../../tools/tls/connect.ts';
import { engineServer } from '../../tools/tls/serve.ts';
import { hasOpenssl, openssl, pemDir, sServer, sServerCertificate } from './openssl.ts';
import { bankFor, context, LEVEL_CASES, NAME } from './support.ts';
import { nodeSuite, opensslArgs } from './openssl-names.ts';

const files = pemDir();
afterAll(() => files.cleanup());

describe.skipIf(!hasOpenssl)('the engine browser against openssl s_server (skipped without openssl)', () => {
  describe.each(LEVEL_CASES)('level $label', ({ level, label }) => {
    it('-www: an HTTP/1.0 page with no length, read to the close', async () => {
      const bank = bankFor(level, `www ${label}`);
      const server = await sServer([...sServerCertificate(files, `www-${label}`, bank), ...opensslArgs(level, { groups: false }), '-www']);
      try {
        const result = await engineConnect({ level, host: '127.0.0.1', port: server.port, config: clientTrusting(bank.rootPem, NAME), ctx: context() });
        expect(result.failure).toBeUndefined();
        expect(result.httpError).toBeUndefined();
        expect(result.response).toMatchObject({ type: 'HttpResponse', status: 200 });
        expect(result.response?.body).toMatch(/<pre>[\s\S]*Ciphers supported in s_server binary[\s\S]*<\/pre>/);
      } finally {
        await server.stop();
      }
    });

    it('-HTTP: a file holding an HTTP/1.0 answer with no length, read to the close', async () => {
      const bank = bankFor(level, `HTTP ${label}`);
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'heist-s-server-http-'));
      // -HTTP sends the file as it is: it holds the whole answer, status line and headers too.
      fs.writeFileSync(path.join(root, 'note.txt'), 'HTTP/1.0 200 ok\r\nContent-type: text/plain\r\n\r\nA file served by openssl s_server -HTTP.\n');
      const server = await sServer([...sServerCertificate(files, `http-${label}`, bank), ...opensslArgs(level, { groups: false }), '-HTTP'], root); // it serves files from its working directory
      try {
        const result = await engineConnect({
          level,
          host: '127.0.0.1',
          port: server.port,
          config: clientTrusting(bank.rootPem, NAME),
          ctx: context(),
          request: { type: 'HttpRequest', method: 'GET', host: NAME, path: '/note.txt', body: '' },
        });
        expect(result.failure).toBeUndefined();
        expect(result.response).toEqual({ type: 'HttpResponse', status: 200, body: 'A file served by openssl s_server -HTTP.\n' });
      } finally {
        await server.stop();
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  });
});

/** node:tls as the bank, answering every request with `raw` bytes, then closing (with close_notify) when `close`. */
async function rawBank(level: TlsLevel, seed: string, raw: string, close: boolean) {
  const bank = bankFor(level, seed);
  let settle!: (e: Error | undefined) => void;
  const ended = new Promise<Error | undefined>((r) => (settle = r));
  const server = tls.createServer({ key: bank.keyPem, cert: bank.certificatePem, ...nodeSuite(level) }, (socket) => {
    let error: Error | undefined;
    socket.on('error', (e) => (error = e));
    socket.once('data', () => (close ? socket.end(raw) : socket.write(raw)));
    socket.on('end', () => socket.end());
    socket.on('close', () => settle(error));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  return { bank, port, ended, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe.each(LEVEL_CASES)('level $label: the engine browser reads what a server answers', ({ level, label }) => {
  it.each([
    { what: 'a chunked HTTP/1.1 body', raw: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nHello \r\n7\r\nchunks\n\r\n0\r\n\r\n', close: false, body: 'Hello chunks\n' },
    { what: 'an HTTP/1.0 body read to the close', raw: 'HTTP/1.0 200 ok\r\nContent-type: text/plain\r\n\r\nuntil the close\n', close: true, body: 'until the close\n' },
    { what: 'an HTTP/1.1 body by Content-Length, the connection kept', raw: 'HTTP/1.1 203 Non-Authoritative Information\r\nContent-Length: 3\r\n\r\nabc', close: false, body: 'abc', status: 203 },
  ])('$what', async ({ raw, close, body, status }) => {
    const server = await rawBank(level, `raw ${label} ${raw.length}`, raw, close);
    try {
      const result = await engineConnect({ level, host: '127.0.0.1', port: server.port, config: clientTrusting(server.bank.rootPem, NAME), ctx: context() });
      expect(result.failure).toBeUndefined();
      expect(result.response).toEqual({ type: 'HttpResponse', status: status ?? 200, body });
      expect(await server.ended).toBeUndefined(); // closed with close_notify: no alert, no error at OpenSSL's end
    } finally {
      await server.close();
    }
  });

  it('an answer that is no HTTP: an HTTP error, no TLS alert — the session closes with close_notify', async () => {
    const server = await rawBank(level, `not http ${label}`, 'SSH-2.0-OpenSSH_9.6\r\n', false);
    try {
      const result = await engineConnect({ level, host: '127.0.0.1', port: server.port, config: clientTrusting(server.bank.rootPem, NAME), ctx: context() });
      expect(result.failure).toBeUndefined();
      expect(result.alertSent).toBeUndefined();
      expect(result.response).toBeUndefined();
      expect(result.httpError).toMatch(/Parse Error/);
      expect(await server.ended).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});

describe.skipIf(!hasOpenssl)('the engine bank and Connection: close (RFC 9112 §9.6), with openssl s_client -quiet (skipped without openssl)', () => {
  it.each(LEVEL_CASES)('level $label: two requests on one connection, the second with Connection: close; then the bank closes it', async ({ level, label }) => {
    const bank = bankFor(level, `connection close ${label}`);
    let closed!: (c: { failure?: Failure; requests: unknown[] }) => void;
    const done = new Promise<{ failure?: Failure; requests: unknown[] }>((r) => (closed = r));
    // No idle timeout that could end it instead: only the bank's answer to Connection: close may.
    const server = engineServer(bank, { context: () => context(`close ${label}`), closed, idleMs: 3_600_000 });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    const client = openssl(['s_client', '-connect', `127.0.0.1:${port}`, '-servername', NAME, '-CAfile', files.file(`close-${label}.pem`, bank.rootPem), '-quiet', '-crlf']);
    try {
      client.child.stdin.write(`GET / HTTP/1.1\nHost: ${NAME}\n\nGET /other HTTP/1.1\nHost: ${NAME}\nConnection: close\n\n`);
      await client.exited; // -quiet ignores the end of its input: it ends only when the bank closes
      expect(client.output().match(/HTTP\/1\.1 200 OK/g)).toHaveLength(1);
      expect(client.output()).toMatch(/HTTP\/1\.1 404 Not Found[\s\S]*Connection: close/);
      const seen = await done;
      expect(seen.requests).toHaveLength(2);
      expect(seen.failure).toEqual({ reason: 'closed' }); // the bank's own close_notify
    } finally {
      await client.stop();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
