/**
 * The round as data: the ground truth the referee holds. Every party's secrets live here;
 * `views.ts` decides what each seat may see of it. Created by `createRound` with all
 * randomness drawn from the Rng passed in, so a seed replays a round exactly.
 */
import { ed25519KeyPair, x25519KeyPair, type KeyPair } from '../crypto/primitives.ts';
import type { Rng } from '../crypto/rng.ts';
import { clientInitial, serverInitial, type ClientState, type ServerState } from '../handshake/machines.ts';
import type { Failure } from '../handshake/failures.ts';
import type { RecordKeys } from '../handshake/record.ts';
import type { ClientConfig, Decision, HandshakeContext, HttpMessage, ServerConfig } from '../handshake/types.ts';
import type { Certificate, CertificateSigningRequest, Message } from '../messages/types.ts';
import type {
  BotBehaviours,
  CheckResult,
  Endpoint,
  Level,
  PacketOrigin,
  PacketStatus,
  Role,
  RoundPhase,
  RoundResult,
  SubstituteMode,
  TimelineEvent,
} from './types.ts';

export const SERVER_NAME = 'bank.example';
export const CA_NAME = 'Heist Root CA';
export const ATTACKER_CA_NAME = 'Mallory Root CA';
/** Who really answers for which name: the CA's domain-control check asks this ground truth. */
export const DOMAIN_OWNERS: Readonly<Record<string, Role>> = { 'bank.example': 'server', 'mallory.example': 'attacker' };
/** Network addresses as the CA sees requesters: it never learns roles. */
export const ADDRESSES: Readonly<Record<Endpoint, string>> = {
  client: '198.51.100.23 (café Wi-Fi)',
  server: '203.0.113.10 (bank.example)',
  ca: '192.0.2.1 (CA)',
  attacker: '198.51.100.66 (café Wi-Fi)',
};

export interface RoundConfig {
  level: Level;
  bots: BotBehaviours;
  /** The round's timer. */
  durationMs: number;
  /** Time a packet takes from sender to receiver. */
  latencyMs: number;
  /** Game time in seconds at round start, for certificate validity. */
  gameClock: number;
  /** After the conversation ends: time left for last moves (e.g. submitting a stolen PIN). */
  graceMs: number;
}

export const DEFAULT_CONFIG: Omit<RoundConfig, 'level' | 'bots'> = {
  durationMs: 180_000,
  latencyMs: 1_200,
  gameClock: 1_800_000_000,
  graceMs: 10_000,
};

export interface Packet {
  id: number;
  /** Who really sent it. */
  from: Endpoint;
  to: Endpoint;
  /** Who the parties believe sent it and will receive it: on the Wi-Fi the attacker can pose as either. */
  apparentFrom: Endpoint;
  apparentTo: Endpoint;
  bytes: Uint8Array;
  path: 'wifi' | 'ca';
  status: PacketStatus;
  origin: PacketOrigin;
  sentAt: number;
  arriveAt: number;
}

/** A record a party could open: its plaintext and the keys that opened it (for re-sealing). */
export interface Opened {
  message: Message;
  keys?: RecordKeys;
  contentType?: number;
}

export interface Order {
  pin: string;
  to: string;
  amount: number;
}

export interface ClientParty {
  config: ClientConfig;
  state: ClientState;
  secret: string;
  order: Order;
  connected: boolean;
  orderSent: boolean;
  decision?: Decision;
  checks: CheckResult[];
  learned: Record<string, Uint8Array>;
  opened: Map<number, Opened>;
  response?: string;
  /** Who made the bytes of the answer the client accepted. */
  responseOrigin?: PacketOrigin;
  /** The handshake completed (the client reached Traffic). */
  established: boolean;
  failure?: Failure;
  /** Packet id that started the connection, and whether the attacker's proxy took it. */
  firstPacket?: number;
}

export interface ServerParty {
  config: ServerConfig;
  state: ServerState;
  csr: 'none' | 'pending' | 'issued' | 'refused';
  /** Messages that arrived before the server had a certificate to answer with. */
  waiting: { packetId: number; from: Endpoint }[];
  /** The endpoint its connection talks to (the client, or the attacker's proxy). */
  peer?: Endpoint;
  learned: Record<string, Uint8Array>;
  opened: Map<number, Opened>;
  received: Order[];
  receivedText: string[];
  checks: CheckResult[];
  failure?: Failure;
}

export interface CsrRecord {
  id: number;
  requester: Endpoint;
  csr: CertificateSigningRequest;
  packetId: number;
  domainControl: { passed: boolean; detail: string };
  decision: 'pending' | 'signed' | 'refused';
}

export interface CaParty {
  name: string;
  keys: KeyPair;
  requests: CsrRecord[];
  nextSerial: number;
}

export interface ProxyState {
  /** A substitution (a man in the middle of the handshake), or 'strip' (plain HTTP to the client, relayed over a real session to the bank). */
  mode: Exclude<SubstituteMode, 'off'> | 'strip';
  /** Faces the client, as if it were the bank; none when stripping. */
  downstream?: { config: ServerConfig; state: ServerState; waiting: number[] };
  /** Faces the bank, as if it were the client. */
  upstream: { config: ClientConfig; state: ClientState; pendingRequests: HttpMessage[] };
}

export interface AttackerParty {
  intercept: boolean;
  substitute: SubstituteMode;
  stripping: boolean;
  /** Ids of every packet seen on the café Wi-Fi. */
  captured: number[];
  held: number[];
  encryptionKey: KeyPair;
  signingKey: KeyPair;
  /** Her own "root" for self-signed certificates: in nobody's trust store. */
  rootKey: KeyPair;
  certificates: Certificate[];
  csrsSent: number;
  learned: Record<string, Uint8Array>;
  opened: Map<number, Opened>;
  findings: string[];
  submissions: { secret: string; correct: boolean }[];
  proxy?: ProxyState;
  /** What she did that touched the conversation (for the referee). */
  interfered: string[];
}

export interface Round {
  config: RoundConfig;
  rng: { client: Rng; server: Rng; ca: Rng; attacker: Rng; network: Rng };
  startedAt: number;
  now: number;
  endsAt: number;
  /** Set when the conversation is over: the round ends at this time. */
  closingAt?: number;
  phase: RoundPhase;
  client: ClientParty;
  server: ServerParty;
  ca: CaParty;
  attacker: AttackerParty;
  packets: Packet[];
  timeline: TimelineEvent[];
  result?: RoundResult;
}

function drawPin(rng: Rng): string {
  return String(rng.int(10_000)).padStart(4, '0');
}

const PAYEES = ['Bob', 'Carol', 'Dave', 'Erin'];

export function createRound(config: RoundConfig, rng: Rng, now: number): Round {
  const r = {
    client: rng.fork('client'),
    server: rng.fork('server'),
    ca: rng.fork('ca'),
    attacker: rng.fork('attacker'),
    network: rng.fork('network'),
    referee: rng.fork('referee'),
  };
  const caKeys = ed25519KeyPair(r.ca.bytes(32));
  const serverConfig: ServerConfig = {
    level: config.level,
    serverName: SERVER_NAME,
    encryptionKey: x25519KeyPair(r.server.bytes(32)),
    signingKey: ed25519KeyPair(r.server.bytes(32)),
  };
  const clientConfig: ClientConfig = { level: config.level, serverName: SERVER_NAME, trustStore: [{ name: CA_NAME, publicKey: caKeys.publicKey }] };
  const secret = drawPin(r.referee);
  const order: Order = { pin: secret, to: PAYEES[r.referee.int(PAYEES.length)]!, amount: (1 + r.referee.int(20)) * 10 };
  return {
    config,
    rng: r,
    startedAt: now,
    now,
    endsAt: now + config.durationMs,
    phase: 'playing',
    client: {
      config: clientConfig,
      state: clientInitial(),
      secret,
      order,
      connected: false,
      orderSent: false,
      established: false,
      checks: [],
      learned: {},
      opened: new Map(),
    },
    server: {
      config: serverConfig,
      state: serverInitial(serverConfig),
      csr: 'none',
      waiting: [],
      learned: {},
      opened: new Map(),
      received: [],
      receivedText: [],
      checks: [],
    },
    ca: { name: CA_NAME, keys: caKeys, requests: [], nextSerial: 1000 + r.ca.int(9000) },
    attacker: {
      intercept: false,
      substitute: 'off',
      stripping: false,
      captured: [],
      held: [],
      encryptionKey: x25519KeyPair(r.attacker.bytes(32)),
      signingKey: ed25519KeyPair(r.attacker.bytes(32)),
      rootKey: ed25519KeyPair(r.attacker.bytes(32)),
      certificates: [],
      csrsSent: 0,
      learned: {},
      opened: new Map(),
      findings: [],
      submissions: [],
      interfered: [],
    },
    packets: [],
    timeline: [],
  };
}

export function gameTime(round: Round): number {
  return round.config.gameClock + Math.floor((round.now - round.startedAt) / 1000);
}

export function contextFor(round: Round, party: 'client' | 'server' | 'attacker'): HandshakeContext {
  return { rng: round.rng[party], gameTime: gameTime(round) };
}

export function log(round: Round, actor: TimelineEvent['actor'], text: string, visibleTo: Role[], kind: TimelineEvent['kind'] = 'info'): void {
  round.timeline.push({ at: round.now - round.startedAt, actor, text, kind, visibleTo });
}

export function orderBody(order: Order): string {
  return `pin=${order.pin}&to=${order.to}&amount=${order.amount}`;
}

/** Parses a transfer form body; undefined when it is not one. */
export function parseOrder(body: string): Order | undefined {
  const params = new URLSearchParams(body);
  const pin = params.get('pin');
  const to = params.get('to');
  const amount = Number(params.get('amount'));
  if (pin === null || to === null || !Number.isFinite(amount)) return undefined;
  return { pin, to, amount };
}
