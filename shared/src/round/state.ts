/**
 * The round as data: the ground truth the referee holds. Every party's secrets live here;
 * `views.ts` decides what each seat may see of it. Created by `createRound` (create.ts) with all
 * randomness drawn from the Rng passed in, so a seed replays a round exactly.
 */
import type { KeyPair } from '../crypto/primitives.ts';
import type { Rng } from '../crypto/rng.ts';
import type { ClientConnection, ServerConnection } from '../handshake/machine.ts';
import type { Failure } from '../handshake/failures.ts';
import type { KnownHstsHost } from '../handshake/hsts.ts';
import type { ClientConfig, Decision, HandshakeContext, HttpMessage, ServerConfig } from '../handshake/types.ts';
import type { PathValidation } from '../pki/path.ts';
import type { LevelModule } from '../levels/index.ts';
import type { RoundCtLog } from './ct-log.ts';
import type { OpenedRecord } from '../attacker/recording.ts';
import type { Spent } from './budgets.ts';
import type { Order } from './order.ts';
import type { RoundResult } from './result.ts';
import type { Certificate, CertificateSigningRequest, MessageType } from '../messages/types.ts';
import type {
  BankKey,
  BotBehaviours,
  Call,
  HiddenAttacker,
  LevelEvent,
  Investigation,
  CheckResult,
  Endpoint,
  Level,
  PacketOrigin,
  PacketStatus,
  Role,
  RoundPhase,
  SubstituteMode,
  TimelineEvent,
} from './types.ts';

export interface RoundConfig {
  level: Level;
  bots: BotBehaviours;
  /** An event the host switched on (one the level offers: `LevelModule.events`), staged before play by round/events.ts. */
  event?: LevelEvent;
  /** The round's timer, from the moment play begins. */
  durationMs: number;
  /** Time a packet takes from sender to receiver. */
  latencyMs: number;
  /** Game time in seconds at round start, for certificate validity. */
  gameClock: number;
  /**
   * After the conversation ends, while the attacker could still change the outcome (she can
   * read the PIN and has not proved it): the time she has to prove it. Otherwise the round
   * ends at once.
   */
  graceMs: number;
  /** The longest the preparation may take before play begins anyway, so no seat can stall a class. */
  prepareMs?: number;
  /**
   * Whether Alice's browser has bank.example on its HSTS list (a returning visitor) or not (a
   * first visit, which asks http:// first). Unset: as the client bot's behaviour says (careful
   * returns, careless is new) — a room with a person in the client seat varies it.
   */
  clientHsts?: boolean;
  /**
   * Seats played by people: play begins once each has sent `ready`. The other seats are bots,
   * ready by themselves once their preparation is done (the bank holds its certificate).
   */
  humanSeats?: readonly Role[];
  /**
   * A round of a hidden-attacker match (basics/hidden-attacker.ts): whether this room has an
   * attacker. Absent, the attacker seat is off the Wi-Fi and only calls (round/hidden-attacker.ts).
   * No view says which: the defenders' views say only that the mode is on.
   */
  hiddenAttacker?: HiddenAttacker;
}

export const DEFAULT_CONFIG: Omit<RoundConfig, 'level' | 'bots'> = {
  durationMs: 180_000,
  latencyMs: 1_200,
  gameClock: 1_800_000_000,
  graceMs: 15_000,
  prepareMs: 60_000,
  humanSeats: [],
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

export interface ClientParty {
  config: ClientConfig;
  /** Its connection once the player connects. */
  connection?: ClientConnection;
  secret: string;
  order: Order;
  orderSent: boolean;
  decision?: Decision;
  checks: CheckResult[];
  /** The certification path her browser built from the certificates that arrived in packet `packetId` (pki/path.ts): the inspector shows it. */
  certificatePath?: { packetId: number; validation: PathValidation };
  learned: Record<string, Uint8Array>;
  opened: Map<number, OpenedRecord>;
  response?: string;
  /** Who made the bytes of the answer the client accepted. */
  responseOrigin?: PacketOrigin;
  /** The handshake completed (the client reached Traffic). */
  established: boolean;
  failure?: Failure;
  /** The client's first packet, and the first of its handshake (after any plain http:// request). */
  firstPacket?: number;
  firstHandshakePacket?: number;
  /**
   * The rogue-root event: the café Wi-Fi's captive portal offers `root` ("the café
   * certificate") and will not let her browse until she answers: installed, its anchor joins
   * her trust store (round/portal.ts).
   */
  portal?: { root: Certificate; answer?: 'installed' | 'refused' };
  /** The first-visit event: what her browser noted from the bank's Strict-Transport-Security header (RFC 6797 §8.1.1), received over HTTPS without errors. */
  hstsNoted?: { entry: KnownHstsHost; maxAge: number };
  /** The returning-visit event: her last visit, and the header her browser noted then (its entry is in `config.hstsNoted`). */
  lastVisit?: { visitedAt: number; header: string; entry: KnownHstsHost };
}

export interface ServerParty {
  config: ServerConfig;
  connection: ServerConnection;
  csr: 'none' | 'pending' | 'issued' | 'refused';
  /** Certificate requests it sent this round. */
  csrsSent: number;
  /** What it asked to have certified last. */
  requested?: { subject: string; key: BankKey };
  /** The CA certificates the CA sent with the certificate (its chain: none when the root signed it). */
  chainReceived: Certificate[];
  /**
   * Where there is a chain: whether its server sends it after the certificate (fullchain.pem) or
   * not (cert.pem); undefined until it chooses — it then sends its certificate alone.
   */
  fullChain?: boolean;
  /** Messages that arrived before the server had a certificate to answer with. */
  waiting: { packetId: number; from: Endpoint }[];
  /** The endpoint its connection talks to (the client, or the attacker's proxy). */
  peer?: Endpoint;
  learned: Record<string, Uint8Array>;
  opened: Map<number, OpenedRecord>;
  received: Order[];
  receivedText: string[];
  checks: CheckResult[];
  failure?: Failure;
  /** Answers to requests read as 0-RTT early data, sent once the handshake is over. */
  heldAnswers: HttpMessage[];
  /**
   * Where the bank keeps session tickets: the connection a copy of a ClientHello opened (the
   * early-data event's replay), for its sender; `refused` once a check kept its early data unread:
   * the single-use check (the ticket was used before), or freshness (the hello came too late for the ticket's age).
   */
  copy?: { connection: ServerConnection; peer: Endpoint; refused?: 'usedTicket' | 'stale' };
}

export interface CsrRecord {
  id: number;
  requester: Endpoint;
  csr: CertificateSigningRequest;
  packetId: number;
  /** The ACME http-01 token the CA issued for this request (RFC 8555 §8.3). */
  token: Uint8Array;
  /** What the http-01 fetch finds (the ground truth, which the referee scores); the CA sees it once it fetches. */
  domainControl: { passed: boolean; detail: string };
  /** What the CA looked up about this request, in order. */
  investigated: Investigation[];
  decision: 'pending' | 'signed' | 'refused';
  /** The serial of the certificate it signed. */
  serial?: number;
}

/**
 * The leaked-key event: the bank's request to revoke the certificate whose key leaked (RFC 8555
 * §7.6: from the account that ordered it, signed with the certificate's own key), and the CA's
 * answer. Its OCSP responder says what the answer made of it (round/revocation.ts).
 */
export interface RevocationRequest {
  certificate: Certificate;
  /** Game time, seconds. */
  requestedAt: number;
  decision: 'pending' | 'revoked' | 'refused';
  /** Game time the CA revoked it. */
  revokedAt?: number;
}

export interface CaParty {
  /** The root CA: its name and key are in every browser's trust store. */
  name: string;
  keys: KeyPair;
  /**
   * The CA the seat signs with, as the level's PKI says: the root itself, or an intermediate
   * the root certified (the root then stays offline). `chain` is what it sends with each
   * certificate it issues: the CA certificates from it up to, not including, the root.
   */
  issuing: { name: string; keys: KeyPair; chain: Certificate[] };
  requests: CsrRecord[];
  nextSerial: number;
  /** The leaked-key event: the bank's request to revoke its old certificate. */
  revocation?: RevocationRequest;
  /** Its records of certificates it signed before the round (the leaked-key event: the bank's old one and its new one). */
  signedBefore?: Certificate[];
}

export interface ProxyState {
  /**
   * A substitution (a man in the middle of the handshake), 'strip' (plain HTTP to the client,
   * relayed over a real session to the bank), or 'lookalike': her own site at the look-alike
   * name Alice was lured to, with its valid certificate, relaying to the bank.
   */
  mode: Exclude<SubstituteMode, 'off'> | 'strip' | 'lookalike';
  /** Faces the client, as if it were the bank; none when stripping. */
  downstream?: { config: ServerConfig; connection: ServerConnection; waiting: number[] };
  /** Faces the bank, as if it were the client. */
  upstream: { config: ClientConfig; connection: ClientConnection; pendingRequests: HttpMessage[] };
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
  /** Her own "root" for self-signed certificates: in nobody's trust store (unless the rogue-root event's portal talks Alice into installing it). */
  rootKey: KeyPair;
  /** The rogue-root event: her root's certificate (what her portal offers) and the bank.example certificate it signed, which her gateway shows Alice. */
  rogueRoot?: { root: Certificate; forged: Certificate };
  certificates: Certificate[];
  /** The CA certificates the CA sent with hers (the chain her certificates need, as the bank's do). */
  caChain: Certificate[];
  csrsSent: number;
  /** Answers the CA sent her: issued or refused. */
  csrsAnswered: number;
  csrsRefused: number;
  /** What she knows of how Alice's order ends without reading it, and what she wants it to say (the event "encryption without integrity"). */
  knownEnding?: { known: string; wanted: string };
  learned: Record<string, Uint8Array>;
  opened: Map<number, OpenedRecord>;
  findings: string[];
  keyTrials: { packetId: number; keyHex: string; opened: boolean }[];
  submissions: { secret: string; correct: boolean }[];
  /** She said she is done: the referee need not wait for her. */
  done: boolean;
  /** A hidden-attacker match, in a room without an attacker: what the sitting-out seat called. */
  call?: Call;
  proxy?: ProxyState;
  /** What she did that touched the conversation (for the referee). */
  interfered: string[];
  /** Every packet she edited, what it was before (its type and its bytes: she saw them first), and what she changed (the referee's ground truth). */
  edits: { packetId: number; message: MessageType | 'Malformed'; what: string; original: Uint8Array; flip?: FlipEdit }[];
}

/** A flipBits edit (attacker/flip.ts): her guess, what she wanted, and the mask she XORed onto the ciphertext's last bytes. */
export interface FlipEdit {
  known: string;
  wanted: string;
  mask: Uint8Array;
}

export interface Round {
  config: RoundConfig;
  /** The level, as its module says it. */
  module: LevelModule;
  rng: { client: Rng; server: Rng; ca: Rng; attacker: Rng; network: Rng };
  startedAt: number;
  now: number;
  /** The end of the current phase: the preparation limit, then the round timer. */
  endsAt: number;
  /** When play began (the round timer's start). */
  playStartedAt?: number;
  /** Seats that said they are ready (bot seats are marked once prepared). */
  ready: Set<Role>;
  /** Set when the conversation is over and the attacker may still prove what she read: the round ends at this time. */
  closingAt?: number;
  phase: RoundPhase;
  client: ClientParty;
  server: ServerParty;
  ca: CaParty;
  attacker: AttackerParty;
  packets: Packet[];
  timeline: TimelineEvent[];
  result?: RoundResult;
  /** What each seat added this round, against SEAT_LIMITS. */
  spent: Record<Role, Spent>;
  /** While an action is applied: the seat and the person who took it, so the lines it causes name them. */
  acting?: { role: Role; by: string };
  /**
   * NSS key log lines of every TLS session on the Wi-Fi (Alice's, the bank's, the attacker's
   * proxy), once each in the order the secrets appeared. No view carries them: only the
   * teacher's capture does (capture/round-capture.ts).
   */
  keyLog: string[];
  /** The Certificate Transparency event's public log (round/ct-log.ts). */
  ctLog?: RoundCtLog;
}

/** Both ends of a session log the same secrets: keep each line once. */
export function recordKeyLog(round: Round, lines: readonly string[]): void {
  for (const line of lines) if (!round.keyLog.includes(line)) round.keyLog.push(line);
}

/** Whether this seat is played by a person (who must say ready) or a bot. */
export function isHuman(round: Round, role: Role): boolean {
  return (round.config.humanSeats ?? []).includes(role);
}

export function gameTime(round: Round): number {
  return round.config.gameClock + Math.floor((round.now - round.startedAt) / 1000);
}

/** The game clock in ms: a session ticket's age counts in ms (RFC 8446 §4.2.11.1). */
export function gameTimeMs(round: Round): number {
  return round.config.gameClock * 1000 + (round.now - round.startedAt);
}

export function contextFor(round: Round, party: 'client' | 'server' | 'attacker'): HandshakeContext {
  return { rng: round.rng[party], gameTime: gameTime(round), gameTimeMs: gameTimeMs(round) };
}

export const EVERYONE: Role[] = ['client', 'server', 'ca', 'attacker'];

export function log(round: Round, actor: TimelineEvent['actor'], text: string, visibleTo: Role[], kind: TimelineEvent['kind'] = 'info'): void {
  // Only the acting seat's own lines name the person: what the others do in answer is theirs.
  const by = round.acting && round.acting.role === actor ? round.acting.by : undefined;
  round.timeline.push({ at: round.now - round.startedAt, actor, ...(by ? { by } : {}), text, kind, visibleTo });
}
