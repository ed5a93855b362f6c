/**
 * The socket driver: one engine connection (a level's client or server machine, shared/
 * handshake/machine.ts) on a byte stream. It is a pure adapter — it holds no TLS rules:
 *   bytes in → records (records.ts: reads cut or joined, handshake messages one per record)
 *   → decoded leniently (messages/tls.ts, for records from other implementations)
 *   → the machine → its outputs encoded → bytes out, one write per flight.
 * The machine's randomness and clock come in with `ctx`, so tests replay a connection from a
 * seed and the command line uses the operating system's randomness and the wall clock.
 *
 * It lives in tools/, not in shared/ (which has no I/O) nor in server/ (the game's rooms never
 * open TLS sockets: their parties meet inside a round): it is what the command line and the
 * interop tests put on node:net sockets.
 */
import { CodecError } from '../../shared/src/codec/reader.ts';
import { decodeMessage, encodeMessage } from '../../shared/src/messages/codec.ts';
import type { Message } from '../../shared/src/messages/types.ts';
import type { Failure } from '../../shared/src/handshake/failures.ts';
import { supportedVersions } from '../../shared/src/handshake/hello.ts';
import type { ClientConnection, Connection, ServerConnection } from '../../shared/src/handshake/machine.ts';
import { emptyOutput, type ClientConfig, type ClientEvent, type Decision, type HandshakeContext, type HttpMessage, type Output, type ServerConfig, type ServerEvent } from '../../shared/src/handshake/types.ts';
import { HandshakeJoiner, MAX_CIPHERTEXT, MAX_PLAINTEXT, RECORD_TYPE, RecordOverflow, RecordReader, handshakeRecord } from './records.ts';

export interface EndpointHooks {
  /** Bytes for the peer (one call per flight). */
  write(bytes: Uint8Array): void;
  /** Every step's output, after its bytes were written (logs, checks, key log lines, failures). */
  output?(out: Output): void;
  /** HTTP that arrived intact (the machine reads HTTP itself: `applicationData: 'http'`). */
  delivered?(message: HttpMessage): void;
  /** Application bytes that arrived intact (`applicationData: 'bytes'`: the caller reads them). */
  data?(bytes: Uint8Array): void;
  /** The client's question when a certificate failed a check; a tool has no player, so the default is to go back. */
  decide?(decision: Decision): boolean;
}

/**
 * What the driver must know of the protocol to frame records: the version sets how long a
 * protected record may be, and whether TLS 1.2's ChangeCipherSpec turns on encryption. A
 * ServerHello overrides it for its connection: a bank that speaks TLS 1.3 and 1.2 (the downgrade
 * event) answers an offer without 1.3 in 1.2 (RFC 8446 §4.2.1).
 */
export interface Wire {
  version: 'tls12' | 'tls13';
}

/** A machine as the driver steps it: a client connection, or a server one (which is never asked to decide). */
interface Driven {
  readonly kind: string;
  readonly stage: Connection<ClientEvent, unknown>['stage'];
  handle(event: ClientEvent): Output;
}

function drive<E, C>(connection: Connection<E, C>, ctx: HandshakeContext, config: C, accepts: (e: ClientEvent) => e is ClientEvent & E): Driven {
  let current = connection;
  return {
    get kind() {
      return current.kind;
    },
    get stage() {
      return current.stage;
    },
    handle(event) {
      if (!accepts(event)) return emptyOutput();
      const { next, out } = current.handle(event, ctx, config);
      current = next;
      return out;
    },
  };
}

const isServerEvent = (e: ClientEvent): e is ServerEvent => e.kind !== 'decide';
const isClientEvent = (e: ClientEvent): e is ClientEvent => true;

export function clientEndpoint(connection: ClientConnection, ctx: HandshakeContext, config: ClientConfig, hooks: EndpointHooks, wire: Wire): EngineEndpoint {
  return new EngineEndpoint(drive(connection, ctx, config, isClientEvent), hooks, wire);
}

export function serverEndpoint(connection: ServerConnection, ctx: HandshakeContext, config: ServerConfig, hooks: EndpointHooks, wire: Wire): EngineEndpoint {
  return new EngineEndpoint(drive(connection, ctx, config, isServerEvent), hooks, wire);
}

export class EngineEndpoint {
  private readonly records = new RecordReader((type) => this.fragmentLimit(type));
  private readonly handshake = new HandshakeJoiner();
  /** The peer sent ChangeCipherSpec: its TLS 1.2 handshake records are encrypted from here on (RFC 5246 §7.1). */
  private peerChangedCipher = false;
  readonly keyLog: string[] = [];
  failure: Failure | undefined;
  /** The version this connection speaks: the wire's, until a ServerHello chooses. */
  private version: Wire['version'];

  constructor(
    private readonly connection: Driven,
    private readonly hooks: EndpointHooks,
    wire: Wire,
  ) {
    this.version = wire.version;
  }

  /** A ServerHello (sent or received) chooses the version: TLS 1.3 in supported_versions, TLS 1.2 without it (RFC 8446 §4.1.3). */
  private negotiated(message: Message): void {
    if (message.type === 'ServerHello') this.version = supportedVersions(message).length > 0 ? 'tls13' : 'tls12';
  }

  /**
   * RFC 8446 §5.1-5.2, RFC 5246 §6.2: 2^14 bytes in a plaintext record; a protected one (TLS 1.3:
   * every application_data record; TLS 1.2: every record after the peer's ChangeCipherSpec but
   * another ChangeCipherSpec) may add 256 (TLS 1.3) or 2048 (TLS 1.2) bytes of AEAD overhead.
   */
  private fragmentLimit(type: number): number {
    const protectedRecord = this.version === 'tls13' ? type === RECORD_TYPE.applicationData : this.peerChangedCipher && type !== RECORD_TYPE.changeCipherSpec;
    return protectedRecord ? MAX_CIPHERTEXT[this.version] : MAX_PLAINTEXT;
  }

  get kind(): string {
    return this.connection.kind;
  }
  get stage() {
    return this.connection.stage;
  }

  private failed(): boolean {
    return this.connection.stage === 'failed';
  }

  /** The output of the machine's first step (a client's ClientHello): written, then handled like any other. */
  begin(first: Output): void {
    this.emit(first);
  }

  /** Bytes from the socket. */
  receive(chunk: Uint8Array): void {
    this.records.push(chunk);
    for (;;) {
      if (this.failed()) return;
      let messages: Message[];
      try {
        const record = this.records.next();
        if (!record) return;
        messages = this.messagesOf(record.type, record.bytes, record.fragment);
      } catch (e) {
        this.step({ kind: 'malformed', detail: e instanceof Error ? e.message : String(e), overflow: e instanceof RecordOverflow });
        return;
      }
      for (const message of messages) {
        if (this.failed()) return;
        this.negotiated(message);
        this.step({ kind: 'receive', message });
      }
    }
  }

  /** Done with the connection: the machine says close_notify (sealed once it has keys). */
  close(): void {
    this.step({ kind: 'close' });
  }

  /** TLS 1.3: move to fresh sending keys (KeyUpdate, RFC 8446 §4.6.3), asking the peer to do the same when `requestPeer`. */
  updateKeys(requestPeer: boolean): void {
    this.step({ kind: 'keyUpdate', requestPeer });
  }

  /** Application bytes for the peer (the machine seals them, at most 2^14 to a record). */
  write(data: Uint8Array): void {
    this.step({ kind: 'write', data });
  }

  /** Application data for the peer (the machine seals it). */
  send(message: HttpMessage): void {
    this.step({ kind: 'send', message });
  }

  private messagesOf(type: number, bytes: Uint8Array, fragment: Uint8Array): Message[] {
    if (this.handshake.partial && type !== RECORD_TYPE.handshake) throw new CodecError('badValue', 'another record arrived inside a handshake message (RFC 8446 §5.1)', 0);
    if (type === RECORD_TYPE.handshake && !this.peerChangedCipher) {
      return this.handshake.push(fragment).map((m) => decodeMessage(handshakeRecord(m), { lenient: true }));
    }
    const message = decodeMessage(bytes, { lenient: true, encrypted: this.peerChangedCipher });
    // TLS 1.3's ChangeCipherSpec is for middleboxes only (RFC 8446 §5, D.4): a second ClientHello may follow it in the clear.
    if (message.type === 'ChangeCipherSpec' && this.version === 'tls12') this.peerChangedCipher = true;
    return [message];
  }

  private step(event: ClientEvent): void {
    this.emit(this.connection.handle(event));
  }

  private emit(out: Output): void {
    for (const m of out.send) this.negotiated(m);
    if (out.send.length > 0) {
      const parts = out.send.map((m) => encodeMessage(m));
      const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        bytes.set(p, at);
        at += p.length;
      }
      this.hooks.write(bytes);
    }
    this.keyLog.push(...out.keyLog);
    this.failure ??= out.failure;
    this.hooks.output?.(out);
    for (const m of out.delivered) this.hooks.delivered?.(m);
    for (const bytes of out.data ?? []) this.hooks.data?.(bytes);
    if (out.decision) {
      const trust = this.hooks.decide?.(out.decision) ?? false;
      this.step({ kind: 'decide', trust });
    }
  }
}
