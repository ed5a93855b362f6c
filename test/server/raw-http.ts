/**
 * HTTP as a hostile or careless sender does it: any method, any path, any body (streamed),
 * any headers, from any loopback address (127.0.0.0/8 is all this machine, so a test can
 * be several addresses at once).
 */
import http from 'node:http';
import net from 'node:net';
import { Readable } from 'node:stream';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** Body bytes the sender had handed to the socket when the response arrived. */
  sentBeforeResponse: number;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** A fixed body, or `stream` bytes of filler written as fast as the server takes them. */
  body?: string;
  stream?: number;
  from?: string;
  timeoutMs?: number;
}

export function rawRequest(port: number, r: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const req = http.request({ host: '127.0.0.1', port, method: r.method ?? 'POST', path: r.path, headers: r.headers, localAddress: r.from, agent: false });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no response to ${r.method ?? 'POST'} ${r.path} within ${r.timeoutMs ?? 5000} ms`));
    }, r.timeoutMs ?? 5000);
    req.on('error', () => undefined); // the server may cut a refused upload short: the response is what counts
    req.on('response', (res) => {
      const sentBeforeResponse = sent;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), sentBeforeResponse });
      });
    });
    if (r.stream !== undefined) {
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let left = r.stream;
      const filler = new Readable({
        read() {
          if (left <= 0) return void this.push(null);
          const n = Math.min(left, chunk.length);
          left -= n;
          sent += n;
          this.push(chunk.subarray(0, n));
        },
      });
      filler.pipe(req);
    } else {
      if (r.body !== undefined) sent += Buffer.byteLength(r.body);
      req.end(r.body);
    }
  });
}

/** `count` TCP connections from `from` that connect and then say nothing. */
export async function holdSockets(port: number, count: number, from = '127.0.0.1'): Promise<net.Socket[]> {
  const sockets = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Socket>((resolve) => {
          const s = net.connect({ host: '127.0.0.1', port, localAddress: from });
          s.on('error', () => undefined);
          s.once('connect', () => resolve(s));
          s.once('close', () => resolve(s));
        }),
    ),
  );
  return sockets;
}

/** True once the server has closed the socket (or it never connected). */
export function isClosed(s: net.Socket): boolean {
  return s.destroyed || s.readyState === 'closed';
}
