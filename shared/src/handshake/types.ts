/**
 * What every handshake state machine shares: its events, its outputs, and the states common
 * to all levels (Traffic, Failed). Each level's machines live in their own file and are
 * reached through `machines.ts`.
 */
import type { Rng } from '../crypto/rng.ts';
import type { KeyPair } from '../crypto/primitives.ts';
import type { Certificate, Message, MessageOf } from '../messages/types.ts';
import type { CheckResult, Level } from '../round/types.ts';
import type { Failure } from './failures.ts';
import type { RecordKeys } from './record.ts';

export interface HandshakeContext {
  rng: Rng;
  /** Game time in seconds, for certificate validity. */
  gameTime: number;
}

/** The application messages a session carries: HTTP, in the clear or inside records. */
export type HttpMessage = MessageOf<'HttpRequest'> | MessageOf<'HttpResponse'>;

export type ClientEvent =
  | { kind: 'start' }
  | { kind: 'receive'; message: Message }
  | { kind: 'decide'; trust: boolean }
  | { kind: 'send'; message: HttpMessage }
  | { kind: 'abort' }
  | { kind: 'malformed'; detail: string };

export type ServerEvent =
  | { kind: 'receive'; message: Message }
  | { kind: 'send'; message: HttpMessage }
  | { kind: 'abort' }
  | { kind: 'malformed'; detail: string };

/** A question for the client: a certificate warning, or an offer to continue without HTTPS. */
export interface Decision {
  prompt: string;
  checks: CheckResult[];
  certificate?: Certificate;
}

export interface Output {
  send: Message[];
  /** Application messages that arrived intact. */
  delivered: HttpMessage[];
  log: string[];
  decision?: Decision;
  /** Keys this party now holds, by a name a student understands. */
  learned: Record<string, Uint8Array>;
  /** Checks this party ran (shown in the debrief). */
  checks: CheckResult[];
  failure?: Failure;
}

export function emptyOutput(): Output {
  return { send: [], delivered: [], log: [], learned: {}, checks: [] };
}

/** Shared by every level once keys are agreed (records) or at once (level 1, keys null). */
export interface Traffic {
  kind: 'Traffic';
  sendKeys: RecordKeys | null;
  receiveKeys: RecordKeys | null;
}

export interface Failed {
  kind: 'Failed';
  failure: Failure;
}

export interface ClientConfig {
  level: Level;
  serverName: string;
  trustStore: { name: string; publicKey: Uint8Array }[];
}

export interface ServerConfig {
  level: Level;
  serverName: string;
  /** X25519: opens sealed secrets (levels 3-4). */
  encryptionKey: KeyPair;
  /** Ed25519: signs CertificateVerify (level 5). */
  signingKey: KeyPair;
  /** The certificate it presents (levels 4-5), once the CA has issued one. */
  certificate?: Certificate;
}

export interface Step<S> {
  state: S;
  out: Output;
}
