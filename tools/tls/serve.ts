/**
 * The game's bank engine as an HTTPS server on a TCP port: each connection gets the level's
 * server machine (through the socket driver, endpoint.ts), and over its session node:http
 * (http1.ts) answers `GET /` with a small page, any other path with 404, keeping the connection
 * for more requests unless one says `Connection: close` (or is HTTP/1.0; RFC 9112 §9.6). Every connection's key log lines go to `keyLog`, so Wireshark
 * (or a test) can open what was said.
 */
import net from 'node:net';
import { LEVEL_MODULES } from '../../shared/src/levels/index.ts';
import type { Failure } from '../../shared/src/handshake/failures.ts';
import type { MessageOf } from '../../shared/src/messages/types.ts';
import type { HandshakeContext, HttpMessage, Output, ServerConfig } from '../../shared/src/handshake/types.ts';
import { serverEndpoint, type EngineEndpoint } from './endpoint.ts';
import { httpServer, SessionStream } from './http1.ts';
import { ECDHE_TLS } from '../../shared/src/levels/level4e-ecdhe.ts';
import type { LevelTls } from '../../shared/src/levels/types.ts';
import { tlsOf, tlsWire, type Bank, type TlsLevel } from './bank.ts';

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

/** "TLS 1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 with P-256": a TLS's version, suite and groups. */
function tlsWords({ version, suite, groups }: LevelTls): string {
  return `TLS ${version}, ${suite}${groups.length > 0 ? ` with ${groups.join(' or ')}` : ''}`;
}

/** The level's version, suite and groups, as its module says. */
export function suiteWords(level: TlsLevel): string {
  return tlsWords(tlsOf(level).tls);
}

/** What a bank speaks: its level's TLS, and level 4e's TLS 1.2 beside it where it also speaks that (the downgrade event). */
export function bankSpeaks(bank: Pick<Bank, 'level' | 'server'>): string {
  return bank.server.alsoTls12 ? `${suiteWords(bank.level)}; or, to a client that offers no TLS 1.3, ${tlsWords(ECDHE_TLS)}` : suiteWords(bank.level);
}

export function page(bank: Bank, request: MessageOf<'HttpRequest'>): MessageOf<'HttpResponse'> {
  if (request.path !== '/') return { type: 'HttpResponse', status: 404, body: 'Not Found\n' };
  return {
    type: 'HttpResponse',
    status: 200,
    body: `Heist Bank: ${bank.server.serverName}\nThis page came over ${bankSpeaks(bank)}, served by the Handshake Heist engine.\n`,
    // The first-visit event's bank (--hsts): its HTTPS answers carry Strict-Transport-Security (RFC 6797 §7.1).
    ...(bank.server.stsHeader ? { hsts: bank.server.stsHeader } : {}),
  };
}

export function engineServer(bank: Bank, options: ServeOptions): net.Server {
  const side = LEVEL_MODULES[bank.level].server;
  const config: ServerConfig = { ...bank.server, applicationData: 'bytes' }; // HTTP is node:http's (http1.ts)
  const http = httpServer((request) => page(bank, request));
  return net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.setNoDelay(true); // a flight is one write; Nagle would hold the next one for the peer's delayed ACK
    socket.setTimeout(options.idleMs ?? 30_000, () => socket.destroy());
    const handshakeDeadline = setTimeout(() => {
      if (ep.stage !== 'traffic') socket.destroy();
    }, options.handshakeMs ?? 10_000);
    handshakeDeadline.unref();
    const requests: HttpMessage[] = [];
    /** The session's HTTP side, made when its first application bytes arrive (a handshake alone never needs one). */
    let stream: SessionStream | undefined;
    /** An answer to 0-RTT early data, read before the handshake is over: written once the session is established (no 0.5-RTT data). */
    const early: Uint8Array[] = [];
    const flushEarly = () => {
      if (ep.stage === 'traffic') for (const data of early.splice(0)) ep.write(data);
    };
    const session = (): SessionStream => {
      if (stream) return stream;
      // HTTP ended the session (Connection: close, HTTP/1.0): close_notify, then our side of the TCP connection.
      stream = new SessionStream(
        (data) => (ep.stage === 'traffic' ? ep.write(data) : early.push(data)),
        () => {
          ep.close();
          socket.end();
        },
      );
      http.serve(stream, (request) => requests.push(request));
      return stream;
    };
    const ep: EngineEndpoint = serverEndpoint(
      side.initial(config),
      options.context(),
      config,
      {
        write: (bytes) => {
          if (!socket.destroyed) socket.write(bytes);
        },
        output: (out) => {
          if (out.keyLog.length > 0) options.keyLog?.(out.keyLog);
          options.output?.(out);
        },
        data: (bytes) => session().received(bytes),
      },
      tlsWire(bank.level),
    );
    socket.on('data', (chunk: Buffer) => {
      ep.receive(new Uint8Array(chunk));
      flushEarly();
      if (ep.stage === 'failed') {
        stream?.destroy();
        socket.end();
      }
    });
    socket.on('end', () => {
      ep.close(); // the browser is done: close_notify, then our side of the TCP connection
      stream?.destroy();
      socket.end();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      clearTimeout(handshakeDeadline);
      stream?.destroy();
      options.closed?.({ kind: ep.kind, ...(ep.failure ? { failure: ep.failure } : {}), requests });
    });
  });
}
