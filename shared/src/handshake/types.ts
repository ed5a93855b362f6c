/**
 * What every handshake state machine shares: its events, its outputs, and the states common
 * to all levels (Traffic, Failed). Each level's machines live in their own file; its level
 * module (levels/) hands them to the round through the typed interface in `machine.ts`.
 */
import type { PathValidation, TrustAnchor } from '../pki/path.ts';
import type { Rng } from '../crypto/rng.ts';
import type { KeyPair } from '../crypto/primitives.ts';
import type { Certificate, Message, MessageOf } from '../messages/types.ts';
import type { CheckResult } from '../basics/checks.ts';
import type { Failure } from './failures.ts';
import type { KnownHstsHost } from './hsts.ts';
import type { CtLogKey } from '../pki/ct.ts';
import type { RecordKeys } from './record.ts';
import type { Resumption, SessionTicket, TicketPolicy } from './tls13-tickets.ts';

export interface HandshakeContext {
  rng: Rng;
  /** Game time in seconds, for certificate validity. */
  gameTime: number;
  /** The same clock in ms, where the caller has one: a session ticket's age counts in ms (RFC 8446 §4.2.11.1). Absent: gameTime × 1000. */
  gameTimeMs?: number;
}

/** The application messages a session carries: HTTP, in the clear or inside records. */
export type HttpMessage = MessageOf<'HttpRequest'> | MessageOf<'HttpResponse'>;

/** What the application or the wire hands either side's connection. */
export type ServerEvent =
  | { kind: 'receive'; message: Message }
  | { kind: 'send'; message: HttpMessage }
  /** Application bytes to seal, for an application that speaks for itself (`applicationData: 'bytes'`). */
  | { kind: 'write'; data: Uint8Array }
  | { kind: 'abort' }
  /** The application is done with the connection: say close_notify (RFC 8446 §6.1). */
  | { kind: 'close' }
  /** TLS 1.3: move to fresh sending keys with a KeyUpdate, asking the peer to do the same when `requestPeer` (RFC 8446 §4.6.3). */
  | { kind: 'keyUpdate'; requestPeer: boolean }
  /** Bytes that are no message; `overflow` when a record was longer than TLS allows (record_overflow, RFC 8446 §5.1). */
  | { kind: 'malformed'; detail: string; overflow?: boolean };

/** The client's events: the server's, and the player's decision on a certificate or key. */
export type ClientEvent = ServerEvent | { kind: 'decide'; trust: boolean };

/** A question for the client: a certificate that failed a check, or (level 3) a bare public key. */
export type Decision =
  | { kind: 'certificate'; prompt: string; checks: CheckResult[]; certificate: Certificate }
  | { kind: 'bareKey'; prompt: string; checks: CheckResult[]; fingerprint: string };

export interface Output {
  send: Message[];
  /** Application messages that arrived intact. */
  delivered: HttpMessage[];
  /** Application bytes that arrived intact, when the application reads them itself (`applicationData: 'bytes'`). */
  data?: Uint8Array[];
  log: string[];
  decision?: Decision;
  /** Keys this party now holds, by a name a student understands. */
  learned: Record<string, Uint8Array>;
  /** Checks this party ran (shown in the debrief). */
  checks: CheckResult[];
  /** NSS key log lines for the secrets this party now holds (handshake/key-log.ts). */
  keyLog: string[];
  failure?: Failure;
  /** The certification path the browser built and validated (pki/path.ts), when this step checked a certificate: for tools that show the chain. */
  certificatePath?: PathValidation;
  /** TLS 1.3: a session ticket that arrived (NewSessionTicket), with its PSK, to resume with later. */
  sessionTicket?: SessionTicket;
}

export function emptyOutput(): Output {
  return { send: [], delivered: [], log: [], learned: {}, checks: [], keyLog: [] };
}

/** Shared by every level once keys are agreed (records) or at once (level 1, keys null). */
export interface Traffic {
  kind: 'Traffic';
  sendKeys: RecordKeys | null;
  receiveKeys: RecordKeys | null;
  /** The start of an HTTP message whose rest is still to come in later records (application data is a byte stream, RFC 8446 §5.1). */
  partialHttp?: Uint8Array;
  /** The start of a post-handshake message (a session ticket, …) whose rest is in the next handshake record (RFC 8446 §5.1). */
  heldHandshake?: Uint8Array;
  /** TLS 1.3: the application traffic secrets the keys come from, which a KeyUpdate moves on (RFC 8446 §4.6.3, §7.2). */
  secrets?: { send: Uint8Array; receive: Uint8Array };
  /** TLS 1.3: the resumption master secret, which makes each NewSessionTicket's PSK (RFC 8446 §4.6.1). */
  resumptionSecret?: Uint8Array;
}

export interface Failed {
  kind: 'Failed';
  failure: Failure;
}

/**
 * What the records of an established session carry up: the game's HTTP messages, each read
 * whole (the default), or bytes for an application with an HTTP layer of its own (the command
 * line, on real sockets): then a reply that is not the game's HTTP is that layer's problem, never a TLS alert.
 */
export type ApplicationData = 'http' | 'bytes';

/** How a browser treats a missing or unusable stapled OCSP answer (handshake/revocation.ts): refuse (hard-fail) or go on (soft-fail). */
export interface RevocationPolicy {
  hardFail: boolean;
}

export interface ClientConfig {
  serverName: string;
  applicationData?: ApplicationData;
  /**
   * TLS 1.2: offer RFC 7627's extended master secret, as OpenSSL and every browser do. Unset, each
   * level decides: 4e offers it; level 4 keeps to RFC 5246 alone, whose lesson is that a changed
   * hello field that feeds no key is caught by the Finished MAC.
   */
  extendedMasterSecret?: boolean;
  /** The CAs it trusts before any connection (pki/path.ts). */
  trustStore: TrustAnchor[];
  /** Names on the browser's HSTS list from an earlier visit (the first-visit event's preload list is `hstsPreload`): it never asks them over http://. */
  hsts: string[];
  /** The HSTS pre-loaded list built into the browser (RFC 6797 §12.3), where an event decides it (the first-visit event): matched as RFC 6797 §8.2 says. */
  hstsPreload?: readonly KnownHstsHost[];
  /** Known HSTS Hosts the browser noted on earlier visits, each until its max-age runs out (RFC 6797 §8.1.1), where an event decides them (the returning-visit event). */
  hstsNoted?: readonly KnownHstsHost[];
  /** Level 2: a key agreed with the bank in advance, so none is sent (handshake/level2-symmetric.ts). */
  preSharedKey?: PreSharedKey;
  /** TLS 1.3: the key-exchange groups this browser offers, in order (the first gets the key share), where an event decides them; else the level's. */
  groups?: readonly number[];
  /**
   * The downgrade event: this browser speaks TLS 1.2 (ECDHE) beside 1.3 and offers both; whether
   * it checks a TLS 1.2 ServerHello's random for the downgrade sentinel (RFC 8446 §4.1.3) — an
   * up-to-date browser does, an old TLS stack does not.
   */
  tls12Fallback?: { checksSentinel: boolean };
  /** TLS 1.3: a ticket from an earlier session to resume with, and any 0-RTT early data to send with the ClientHello (handshake/tls13-tickets.ts). */
  resumption?: Resumption;
  /** Certificate Transparency (RFC 6962), where an event decides it: the logs this browser knows, and it requires an SCT from one of them (as Chrome and Safari do). */
  ctLogs?: readonly CtLogKey[];
  /** TLS 1.3, the leaked-key event: it asks for the server's stapled OCSP answer and checks it, hard- or soft-fail (handshake/revocation.ts). */
  revocation?: RevocationPolicy;
}

/**
 * A key card: an AES-256 key Alice and the bank agreed in advance, and the records it protects —
 * 'gameCtr' for the event "encryption without integrity" (AES-CTR, no tag).
 */
export interface PreSharedKey {
  key: Uint8Array;
  records: 'game' | 'gameCtr';
}

export interface ServerConfig {
  serverName: string;
  applicationData?: ApplicationData;
  /** X25519 (level 3: opens sealed secrets) or RSA-2048 (level 4: decrypts the pre-master secret). */
  encryptionKey: KeyPair;
  /** ECDSA P-256: signs ServerKeyExchange (level 4e) and CertificateVerify (level 5). */
  signingKey: KeyPair;
  /** The certificate it presents (levels 4-5), once the CA has issued one. */
  certificate?: Certificate;
  /** The CA certificates it sends after its own (RFC 8446 §4.4.2, RFC 5246 §7.4.2): its issuer first, up to (not including) a root the client trusts. */
  chain?: Certificate[];
  /** As ClientConfig.preSharedKey: the bank holds the same card. */
  preSharedKey?: PreSharedKey;
  /** TLS 1.3: the groups the bank speaks, in its order of preference, where an event decides them; else the level's. */
  groups?: readonly number[];
  /** The downgrade event: the bank also speaks TLS 1.2 (ECDHE), to a ClientHello that does not offer 1.3, and marks that ServerHello's random with the sentinel (RFC 8446 §4.1.3). */
  alsoTls12?: boolean;
  /** TLS 1.3: its session tickets — the key that seals them, its early-data limit, and whether it lets a ticket be used twice (handshake/tls13-tickets.ts). */
  tickets?: TicketPolicy;
  /** TLS 1.3: the CA's OCSP answer on its certificate (DER, pki/ocsp.ts), stapled for a client that asks (status_request, RFC 8446 §4.4.2.1). */
  ocspStaple?: Uint8Array;
  /** The Strict-Transport-Security header its HTTPS answers carry (the first-visit event; RFC 6797 §7.1: over HTTPS only). */
  stsHeader?: string;
}

export interface Step<S> {
  state: S;
  out: Output;
}

/** A level's in-progress states S, and the two every level ends in. */
export type Phase<S> = S | Traffic | Failed;

export function isTraffic(state: { kind: string }): state is Traffic {
  return state.kind === 'Traffic';
}

export function isFailed(state: { kind: string }): state is Failed {
  return state.kind === 'Failed';
}
