/**
 * What the interop tests share: a bank made by the engine's PKI on a seed, the engine's server
 * and node:tls's server on ephemeral loopback ports, node:tls as a client that reports what
 * OpenSSL decided, and node's `keylog` lines. Certificates are dated around the real clock,
 * because OpenSSL checks validity against it.
 */
import net from 'node:net';
import tls from 'node:tls';
import { seededRng } from '../../shared/src/crypto/rng.ts';
import type { HandshakeContext, HttpMessage } from '../../shared/src/handshake/types.ts';
import type { Failure } from '../../shared/src/handshake/failures.ts';
import { levelLabel } from '../../shared/src/levels/texts/index.ts';
import { certificatePem } from '../../shared/src/pki/certificate.ts';
import { makeBank, TLS_LEVELS, tlsOf, type Bank, type BankOptions, type TlsLevel } from '../../tools/tls/bank.ts';
import { engineServer } from '../../tools/tls/serve.ts';
import { nodeSuite } from './openssl-names.ts';

export const NOW = Math.floor(Date.now() / 1000);
export const NAME = 'bank.example';

export function bankFor(level: TlsLevel, seed: string, options: Partial<BankOptions> = {}): Bank {
  return makeBank(level, { rng: seededRng(`bank ${seed}`), now: NOW, ...options });
}

/** The bank with its certificate changed after the CA signed it (valid a day longer): the CA's signature no longer verifies, though its authorityKeyIdentifier still names the CA's key. */
export function changedAfterSigning(bank: Bank): Bank {
  const certificate = { ...bank.certificate, notAfter: bank.certificate.notAfter + 86_400 };
  return { ...bank, certificate, certificatePem: [certificate, ...bank.chain].map(certificatePem).join(''), server: { ...bank.server, certificate } };
}

let contexts = 0;
export function context(seed = 'interop'): HandshakeContext {
  return { rng: seededRng(`${seed} ${contexts++}`), gameTime: NOW };
}

/** The level speaks TLS 1.3 (RFC 8446), as its module says. */
export const isTls13 = (level: TlsLevel) => tlsOf(level).tls.version === '1.3';

/** Each TLS level with the name players know it by, for `describe.each(...)('level $label', …)`: 4e, not its id 6. */
export const LEVEL_CASES = TLS_LEVELS.map((level) => ({ level, label: levelLabel(level) }));

export interface Closed {
  kind: string;
  failure?: Failure;
  requests: HttpMessage[];
}

export interface Listening<T> {
  port: number;
  closed: Promise<T>;
  close(): Promise<void>;
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

/** The engine's bank on a port; `closed` settles with the first connection's end. */
export async function serveEngine(bank: Bank, keyLog: string[] = [], learned: Record<string, Uint8Array> = {}): Promise<Listening<Closed>> {
  let settle!: (c: Closed) => void;
  const closed = new Promise<Closed>((r) => (settle = r));
  const server = engineServer(bank, {
    context: () => context(`server ${bank.level}`),
    keyLog: (lines) => keyLog.push(...lines),
    output: (out) => Object.assign(learned, out.learned),
    closed: settle,
  });
  const port = await listen(server);
  return { port, closed, close: () => new Promise((r) => server.close(() => r())) };
}


export interface NodeClientResult {
  response?: string;
  /** The suite OpenSSL negotiated, once its handshake completed. */
  suite?: string;
  error?: NodeJS.ErrnoException;
  keyLog: string[];
}

/** node:tls (OpenSSL) as the browser: trusts `ca`, asks for `servername`, sends GET /; its key log lines go to `keyLog` as they are made. */
export function nodeClient(level: TlsLevel, port: number, ca: string, servername = NAME, request?: string[], keyLog: string[] = []): Promise<NodeClientResult> {
  return new Promise((resolve) => {
    let response = '';
    let suite: string | undefined;
    const socket = tls.connect({ host: '127.0.0.1', port, servername, ca, ...nodeSuite(level) });
    socket.on('keylog', (line) => keyLog.push(line.toString('latin1').trim()));
    // Each write is a record of its own: `request` in several parts puts one HTTP message across records.
    socket.on('secureConnect', () => {
      suite = socket.getCipher().standardName;
      (request ?? [`GET / HTTP/1.1\r\nHost: ${servername}\r\nConnection: close\r\n\r\n`]).forEach((part) => socket.write(part));
    });
    socket.on('data', (d: Buffer) => {
      response += d.toString('utf8');
      const head = response.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(response);
      if (head >= 0 && length && response.length >= head + 4 + Number(length[1])) socket.end();
    });
    socket.on('error', (error) => resolve({ error, keyLog }));
    socket.on('close', () => resolve({ response, keyLog, ...(suite ? { suite } : {}) }));
  });
}

export interface NodeServerSeen {
  /** The error node:tls reported: for a client it refused (tlsClientError), or on the connection after its handshake. */
  error?: NodeJS.ErrnoException;
  request?: string;
  /** The suite OpenSSL negotiated with the browser. */
  suite?: string;
  keyLog: string[];
}

/** node:tls (OpenSSL) as the bank, with the engine's key and certificate; answers one request. Its key log lines go to `options.keyLog` as they are made. */
export async function serveNode(level: TlsLevel, bank: Bank, options: { splitResponse?: boolean; keepOpen?: boolean; keyLog?: string[]; tls?: tls.TlsOptions } = {}): Promise<Listening<NodeServerSeen>> {
  const seen: NodeServerSeen = { keyLog: options.keyLog ?? [] };
  let settle!: (s: NodeServerSeen) => void;
  const closed = new Promise<NodeServerSeen>((r) => (settle = r));
  const server = tls.createServer({ key: bank.keyPem, cert: bank.certificatePem, ...nodeSuite(level), ...options.tls }, (socket) => {
    let request = '';
    seen.suite = socket.getCipher().standardName;
    socket.on('data', (d: Buffer) => {
      request += d.toString('utf8');
      if (request.includes('\r\n\r\n')) {
        seen.request = request;
        const body = 'Hello from node:tls\n';
        const head = `HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n`;
        if (options.splitResponse) {
          socket.write(head); // the head in one record, the body in the next
          socket.end(body);
        } else if (options.keepOpen) {
          socket.write(head + body); // and wait for the browser to close
          socket.on('end', () => socket.end());
        } else socket.end(head + body);
      }
    });
    socket.on('error', (error) => (seen.error ??= error)); // after OpenSSL's side of the handshake is done
    socket.on('close', () => settle(seen));
  });
  server.on('keylog', (line) => seen.keyLog.push(line.toString('latin1').trim()));
  server.on('tlsClientError', (error) => {
    seen.error = error;
    settle(seen);
  });
  const port = await listen(server);
  return { port, closed, close: () => new Promise((r) => server.close(() => r())) };
}
