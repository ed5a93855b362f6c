/**
 * HTTP/1.x above the engine's TLS, read and written by Node's own HTTP implementation
 * (node:http and its llhttp parser) rather than by the engine: status lines of HTTP/1.0 and
 * 1.1, bodies by Content-Length, chunked or until the close (RFC 9112 §6.3), `Connection:
 * close` (§9.6), keep-alive. The engine's session carries bytes (`applicationData: 'bytes'`),
 * so what is wrong with an answer is an HTTP matter, reported as such — never a TLS alert; the
 * session still ends with close_notify.
 *
 * `SessionStream` is the socket node:http sees: its writes are sealed into records, the bytes
 * the records open to are pushed into it, and its end is the session's close_notify.
 */
import http from 'node:http';
import { Duplex } from 'node:stream';
import type { MessageOf } from '../../shared/src/messages/types.ts';

export class SessionStream extends Duplex {
  constructor(
    private readonly sealed: (data: Uint8Array) => void,
    private readonly closing: () => void,
  ) {
    super();
  }

  /** Bytes the peer's records opened to. */
  received(bytes: Uint8Array): void {
    this.push(Buffer.from(bytes));
  }

  /** The peer said close_notify, or the connection ended: a body read to the close ends here. */
  peerClosed(): void {
    this.push(null);
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.sealed(new Uint8Array(chunk));
    done();
  }

  override _final(done: (error?: Error | null) => void): void {
    this.closing();
    done();
  }

  // node:http asks a socket for these; the TCP connection under the session has its own.
  setTimeout(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
}

type Request = MessageOf<'HttpRequest'>;
type Response = MessageOf<'HttpResponse'>;

/**
 * The browser's side: `request` asked over `stream` by node:http's client (it adds
 * `Connection: close`: one request, then the server may close), the answer read whole — or
 * what is wrong with it, in HTTP's own words.
 */
export function ask(stream: SessionStream, request: Request): Promise<{ response: Response } | { httpError: string }> {
  return new Promise((resolve) => {
    const body = Buffer.from(request.body, 'utf8');
    const headers: Record<string, string | number> = { Host: request.host };
    if (body.length > 0 || request.method === 'POST') Object.assign(headers, { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': body.length });
    const req = http.request({ createConnection: () => stream, method: request.method, path: request.path, headers });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ response: { type: 'HttpResponse', status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') } }));
      res.on('error', (e) => resolve({ httpError: e.message }));
    });
    req.on('error', (e) => resolve({ httpError: e.message }));
    req.end(body);
  });
}

/**
 * The bank's side: one node:http server for every session stream given it, answering each
 * request with `answer` (and `Connection: close` or HTTP/1.0 ending the session after it), each
 * request reported to its session's `seen` once its body is read.
 */
export function httpServer(answer: (request: Request) => Response): { serve(stream: SessionStream, seen: (request: Request) => void): void } {
  const seenBy = new WeakMap<object, (request: Request) => void>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: Request = { type: 'HttpRequest', method: req.method ?? '', host: req.headers.host ?? '', path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') };
      seenBy.get(req.socket)?.(request);
      const page = answer(request);
      const body = Buffer.from(page.body, 'utf8');
      res.writeHead(page.status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length, ...(page.hsts ? { 'Strict-Transport-Security': page.hsts } : {}) });
      res.end(body);
    });
  });
  // A request that is not HTTP/1.x: HTTP's own answer, then the session ends with close_notify (no TLS alert).
  server.on('clientError', (_error, socket) => socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'));
  return {
    serve: (stream, seen) => {
      seenBy.set(stream, seen);
      server.emit('connection', stream);
    },
  };
}
