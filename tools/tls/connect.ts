/**
 * The game's browser engine on a TCP connection: the level's client machine (through the
 * socket driver, endpoint.ts) runs every check the game's browser runs, sends `GET /` once the
 * session is protected, and reports the answer — or the failure, with the check that fired
 * and the alert it sent, or the alert the server sent.
 */
import net from 'node:net';
import { LEVEL_MODULES } from '../../shared/src/levels/index.ts';
import { alertFor, type Failure } from '../../shared/src/handshake/failures.ts';
import type { ClientConfig, HandshakeContext, HttpMessage } from '../../shared/src/handshake/types.ts';
import type { MessageOf } from '../../shared/src/messages/types.ts';
import type { PathValidation } from '../../shared/src/pki/path.ts';
import type { CheckResult } from '../../shared/src/round/types.ts';
import { keyName } from '../../shared/src/pki/x509-algorithms.ts';
import { clientEndpoint } from './endpoint.ts';
import { ask, SessionStream } from './http1.ts';
import { tlsWire, type TlsLevel } from './bank.ts';

export interface ConnectOptions {
  level: TlsLevel;
  host: string;
  port: number;
  config: ClientConfig;
  ctx: HandshakeContext;
  /** What to ask once the session is protected (default GET / for the server name). */
  request?: MessageOf<'HttpRequest'>;
  /** Give up on a server silent this long (default 10 s). */
  idleMs?: number;
}

export interface ConnectResult {
  response?: HttpMessage;
  failure?: Failure;
  /** The alert this side sent when it failed. */
  alertSent?: string;
  /** The peer closed the connection (or went silent) before an answer or an alert. */
  closedEarly?: boolean;
  /** The session was sound, but its answer is not HTTP/1.x as node:http reads it (an HTTP matter: the session closed with close_notify). */
  httpError?: string;
  checks: CheckResult[];
  /** The certification path the browser built from what the server sent, and validated. */
  path?: PathValidation;
  keyLog: string[];
  log: string[];
}

export function engineConnect(options: ConnectOptions): Promise<ConnectResult> {
  const { level, ctx } = options;
  const config: ClientConfig = { ...options.config, applicationData: 'bytes' }; // HTTP is node:http's (http1.ts)
  const request: MessageOf<'HttpRequest'> = options.request ?? { type: 'HttpRequest', method: 'GET', host: config.serverName, path: '/', body: '' };
  return new Promise((resolve) => {
    const result: ConnectResult = { checks: [], keyLog: [], log: [] };
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      endpoint.close(); // close_notify before the TCP close (RFC 8446 §6.1); nothing once the machine has failed
      socket.end();
      resolve(result);
    };
    const socket = net.connect({ host: options.host, port: options.port, noDelay: true }); // Finished and the request are two writes: no Nagle wait between them
    const start = LEVEL_MODULES[level].client.start(ctx, config);
    let asked = false;
    const stream = new SessionStream((data) => endpoint.write(data), () => undefined); // finish() says close_notify
    const closedByPeer = () => endpoint.failure?.reason === 'peerAlert' && endpoint.failure.description === 'close_notify';
    const endpoint = clientEndpoint(start.connection, ctx, config, {
      write: (bytes) => {
        if (!socket.destroyed) socket.write(bytes);
      },
      output: (out) => {
        if (done) return; // after the answer: the server's close_notify, for instance
        result.checks.push(...out.checks);
        if (out.certificatePath) result.path = out.certificatePath;
        result.log.push(...out.log);
        result.keyLog.push(...out.keyLog);
        // The server's close_notify once the session is up ends the stream (a body read to the close ends there); it is not a failure.
        if (out.failure?.reason === 'peerAlert' && out.failure.description === 'close_notify' && asked) return;
        if (out.failure) {
          result.failure = out.failure;
          // fail() sends this alert, plain or sealed under the write keys (handshake/machine.ts); none answers the peer's own alert.
          if (out.failure.reason !== 'peerAlert') result.alertSent = alertFor(out.failure);
        }
      },
      data: (bytes) => stream.received(bytes),
    }, tlsWire(level));
    socket.on('connect', () => {
      endpoint.begin(start.out);
      if (endpoint.stage === 'failed') finish();
    });
    socket.on('data', (chunk: Buffer) => {
      endpoint.receive(new Uint8Array(chunk));
      if (endpoint.stage === 'failed') return asked && closedByPeer() ? stream.peerClosed() : finish();
      if (endpoint.stage === 'traffic' && !asked) {
        asked = true;
        void ask(stream, request).then((answer) => {
          if ('response' in answer) result.response = answer.response;
          else result.httpError = answer.httpError;
          finish();
        });
      }
    });
    socket.setTimeout(options.idleMs ?? 10_000, () => {
      result.log.push(`no answer within ${(options.idleMs ?? 10_000) / 1000} s`);
      result.closedEarly = true;
      finish();
    });
    socket.on('error', (e) => {
      result.log.push(`socket error: ${e.message}`);
      result.closedEarly = true;
      finish();
    });
    socket.on('close', () => {
      if (asked && !done) return stream.peerClosed(); // a TCP close without close_notify: what arrived is all there is
      if (!done) result.closedEarly = true;
      finish();
    });
  });
}

/**
 * The chain the browser validated, one certificate a line from the server's own to the CA it
 * trusts: subject, key, validity, who signed it and how — what `openssl s_client -showcerts`
 * prints, in the browser's words. Certificates the server sent but the path did not use follow.
 */
export function describePath(path: PathValidation): string[] {
  const day = (s: number) => new Date(s * 1000).toISOString().slice(0, 10);
  const lines = ['certificate chain (the server’s certificate first, then each CA that signed the one before):'];
  path.steps.forEach((step, i) => {
    const c = step.certificate;
    const what = step.role === 'leaf' ? `names ${[...(c.subjectAltName?.dns ?? []), ...(c.subjectAltName?.ip ?? [])].join(', ') || '(none)'}` : `CA${c.basicConstraints?.pathLength !== undefined ? `, pathlen ${c.basicConstraints.pathLength}` : ''}`;
    const failed = step.checks.filter((k) => !k.passed && !k.blockedBy);
    lines.push(`  ${i} ${c.subject.text} — ${keyName(c.key)}, ${what}, valid ${day(c.notBefore)} to ${day(c.notAfter)}${failed.length > 0 ? `  [${failed.map((k) => k.check).join(', ')} failed]` : ''}`);
    lines.push(`      signed by ${step.issuedBy ? `"${step.issuedBy}"` : `"${c.issuer.commonName ?? c.issuer.text}" (not found)`} with ${c.signatureAlgorithm.name}`);
  });
  lines.push(path.anchor ? `  ${path.steps.length} ${path.anchor.name} — in your trust store` : '  (no CA in your trust store at the end of the chain)');
  for (const u of path.unused) lines.push(`  also sent, not on the path: ${u.subject.text}`);
  return lines;
}
