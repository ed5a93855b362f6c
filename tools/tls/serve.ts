/**
 * The game's bank engine as an HTTPS server on a TCP port: each connection gets the level's
 * server machine (through the socket driver, endpoint.ts) and its answer to `GET /` is a small
 * page; any other path is 404. Every connection's key log lines go to `keyLog`, so Wireshark
 * (or a test) can open what was said.
 */
import net from 'node:net';
import { LEVEL_MODULES } from '../../shared/src/levels/index.ts';
import type { Failure } from '../../shared/src/handshake/failures.ts';
import type { HandshakeContext, HttpMessage, Output } from '../../shared/src/handshake/types.ts';
import { serverEndpoint, type EngineEndpoint } from './endpoint.ts';
import type { Bank, TlsLevel } from './bank.ts';

export interface ServeOptions {
  /** The randomness and the clock for one connection. */
  context(): HandshakeContext;
  keyLog?(lines: string[]): void;
  /** Every step's whole output (what the bank learned, checked and logged). */
  output?(out: Output): void;
  /** Each connection when it ends: how far it got, and why it failed if it did. */
  closed?(result: { kind: string; failure?: Failure; requests: HttpMessage[] }): void;
  /** A connection silent this long is dropped, so idle sockets cannot pile up (default 30 s). */
  idleMs?: number;
  /**
   * A handshake not done this long after the connection opened is dropped (default 10 s): the
   * idle timer alone is reset by every byte, so one byte every 20 s kept a socket forever.
   */
  handshakeMs?: number;
}

export const SUITE_NAMES: Record<TlsLevel, string> = {
  4: 'TLS 1.2, TLS_RSA_WITH_AES_128_GCM_SHA256',
  6: 'TLS 1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 with P-256',
  5: 'TLS 1.3, TLS_AES_128_GCM_SHA256 with X25519',
};

export function page(bank: Bank, request: HttpMessage): HttpMessage {
  if (request.type !== 'HttpRequest') return { type: 'HttpResponse', status: 400, body: 'Bad Request\n' };
  if (request.path !== '/') return { type: 'HttpResponse', status: 404, body: 'Not Found\n' };
  return {
    type: 'HttpResponse',
    status: 200,
    body: `Heist Bank: ${bank.server.serverName}\nThis page came over ${SUITE_NAMES[bank.level]}, served by the Handshake Heist engine.\n`,
  };
}

export function engineServer(bank: Bank, options: ServeOptions): net.Server {
  const side = LEVEL_MODULES[bank.level].server;
  return net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.setNoDelay(true); // a flight is one write; Nagle would hold the next one for the peer's delayed ACK
    socket.setTimeout(options.idleMs ?? 30_000, () => socket.destroy());
    const handshakeDeadline = setTimeout(() => {
      if (endpoint?.stage !== 'traffic') socket.destroy();
    }, options.handshakeMs ?? 10_000);
    handshakeDeadline.unref();
    const requests: HttpMessage[] = [];
    let endpoint: EngineEndpoint | undefined = undefined;
    endpoint = serverEndpoint(side.initial(bank.server), options.context(), bank.server, {
      write: (bytes) => {
        if (!socket.destroyed) socket.write(bytes);
      },
      output: (out) => {
        if (out.keyLog.length > 0) options.keyLog?.(out.keyLog);
        options.output?.(out);
      },
      delivered: (m) => {
        requests.push(m);
        endpoint!.send(page(bank, m));
      },
    });
    const ep = endpoint;
    socket.on('data', (chunk: Buffer) => {
      ep.receive(new Uint8Array(chunk));
      if (ep.stage === 'failed') socket.end();
    });
    socket.on('end', () => {
      ep.close(); // the browser is done: close_notify, then our side of the TCP connection
      socket.end();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => clearTimeout(handshakeDeadline));
    socket.on('close', () => options.closed?.({ kind: ep.kind, ...(ep.failure ? { failure: ep.failure } : {}), requests }));
  });
}
