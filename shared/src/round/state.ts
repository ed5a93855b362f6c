/**
 * The round as data: the ground truth the referee holds. Every party's secrets live here;
 * `views.ts` decides what each seat may see of it. Created by `createRound` with all
 * randomness drawn from the Rng passed in, so a seed replays a round exactly.
 */
import { p256KeyPair, x25519KeyPair, type KeyPair } from '../crypto/primitives.ts';
import { RSA_KEY_POOL } from '../crypto/rsa-key-pool.ts';
import { rsaKeyPair } from '../pki/keys.ts';
import { intermediateCertificate } from '../pki/certificate.ts';
import type { Rng } from '../crypto/rng.ts';
import type { RsaPrivateKey } from '../crypto/rsa.ts';
import type { ClientConnection, ServerConnection } from '../handshake/machine.ts';
import type { Failure } from '../handshake/failures.ts';
import type { KnownHstsHost } from '../handshake/hsts.ts';
import type { ClientConfig, Decision, HandshakeContext, HttpMessage, ServerConfig } from '../handshake/types.ts';
import type { PathValidation, TrustAnchor } from '../pki/path.ts';
import { levelModule, type LevelModule } from '../levels/index.ts';
import { LOOKALIKE_NAME, MAX_EARLY_DATA, stageEvent } from './events.ts';
import { CT_LOG_NAME, logKeyOf, type RoundCtLog } from './ct-log.ts';
import { encodeHttp } from '../messages/http.ts';
import { PRE_SHARED_KEY_NAME } from '../handshake/level2-symmetric.ts';
import { FRESHNESS_WINDOW_MS } from '../handshake/tls13-tickets.ts';
import type { OpenedRecord } from '../attacker/recording.ts';
import { nothingSpent, type Spent } from './budgets.ts';
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
  RoundResult,
  SubstituteMode,
  TimelineEvent,
} from './types.ts';

export const SERVER_NAME = 'bank.example';
export const CA_NAME = 'Heist Root CA';
/** The intermediate CA the root certified, which the CA seat runs where the level's PKI says so. */
export const INTERMEDIATE_CA_NAME = 'Heist Issuing CA';
export const ATTACKER_CA_NAME = 'Mallory Root CA';
/** The attacker's own name: she really controls it, so any CA will certify it for her. */
export const ATTACKER_NAME = 'mallory.example';
export { LOOKALIKE_NAME, ROGUE_ROOT_NAME } from './events.ts';
/** Who really answers for which name: the CA's domain-control check asks this ground truth. */
export const DOMAIN_OWNERS: Readonly<Record<string, Role>> = { 'bank.example': 'server', 'www.bank.example': 'server', [ATTACKER_NAME]: 'attacker', [LOOKALIKE_NAME]: 'attacker' };
/** The names the bank may ask to have certified: its own two (only one is the name Alice asks for). */
export const BANK_NAMES: readonly string[] = ['bank.example', 'www.bank.example'];
/**
 * The owner records a CA can look up (WHOIS-like), by registered domain. They tell who holds a
 * name and since when — evidence, not proof: only the http-01 fetch proves control.
 */
export const OWNER_RECORDS: Readonly<Record<string, string>> = {
  'bank.example': 'registrant: Bank of Example plc; registered 14 years ago; name servers ns1.bank.example, ns2.bank.example',
  [ATTACKER_NAME]: 'registrant: M. Allory (private registration); registered 3 days ago; name server ns.cheap-hosting.example',
  [LOOKALIKE_NAME]: 'registrant: private registration; registered 2 days ago; name server ns.cheap-hosting.example',
};
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

export interface Order {
  pin: string;
  to: string;
  amount: number;
  /** How many digits the form writes the amount with (zeros in front); as many as it has when absent. */
  amountDigits?: number;
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

function drawPin(rng: Rng): string {
  return String(rng.int(10_000)).padStart(4, '0');
}

const PAYEES = ['Bob', 'Carol', 'Dave', 'Erin'];

/**
 * The round's long-term RSA keys (levels 4, 4e and 5), when they are given: an input like its
 * randomness. The server gives every round fresh ones (made off its event loop), so no key a
 * player has seen — her own, or a bank key leaked after an earlier round — opens a later
 * round. Without them, the round picks from the fixed pool in rsa-key-pool.ts by its seed:
 * for tests, `npm run capture` and simulations, where a seed must replay a round exactly.
 */
export interface RoundRsaKeys {
  bank: RsaPrivateKey;
  attacker: RsaPrivateKey;
}

/** What the browser's trust store holds, as the level's PKI says; a level without certificates keeps the same root, which nothing there consults. */
function trustStoreOf(module: LevelModule, root: TrustAnchor): TrustAnchor[] {
  switch (module.pki?.trustStore ?? 'root') {
    case 'root':
      return [root];
  }
}

const YEAR = 365 * 86_400;

/**
 * Who signs what the CA seat approves, as the level's PKI says: the root itself, or an
 * intermediate CA whose certificate the root signed (valid a year before the round to four after).
 */
function issuingCaOf(module: LevelModule, root: { name: string; keys: KeyPair }, rng: Rng, gameClock: number): CaParty['issuing'] {
  switch (module.pki?.issuer ?? 'root') {
    case 'root':
      return { ...root, chain: [] };
    case 'intermediate': {
      const keys = p256KeyPair(rng.bytes(32));
      return { name: INTERMEDIATE_CA_NAME, keys, chain: [intermediateCertificate(INTERMEDIATE_CA_NAME, keys.publicKey, { name: root.name, secretKey: root.keys.secretKey }, gameClock - YEAR, gameClock + 4 * YEAR)] };
    }
  }
}

export function createRound(config: RoundConfig, rng: Rng, now: number, rsaKeys?: RoundRsaKeys): Round {
  const r = {
    client: rng.fork('client'),
    server: rng.fork('server'),
    ca: rng.fork('ca'),
    attacker: rng.fork('attacker'),
    network: rng.fork('network'),
    referee: rng.fork('referee'),
  };
  const module = levelModule(config.level);
  const caKeys = p256KeyPair(r.ca.bytes(32));
  // RSA keys as given, else from the fixed pool by the seed (the attacker's never the bank's). The
  // pool picks are drawn either way, so the rest of a seeded round does not depend on it.
  const bankRsa = r.server.int(RSA_KEY_POOL.length);
  const attackerRsa = (bankRsa + 1 + r.attacker.int(RSA_KEY_POOL.length - 1)) % RSA_KEY_POOL.length;
  const encryptionKey = (rng: Rng, given: RsaPrivateKey | undefined, pool: number) =>
    module.encryptionKeyType === 'rsa' ? rsaKeyPair(given ?? RSA_KEY_POOL[pool]!) : x25519KeyPair(rng.bytes(32));
  const serverConfig: ServerConfig = {
    serverName: SERVER_NAME,
    encryptionKey: encryptionKey(r.server, rsaKeys?.bank, bankRsa),
    signingKey: p256KeyPair(r.server.bytes(32)),
  };
  // A careful Alice has been to the bank before: her browser remembers its HSTS header. At the
  // first-visit event she has not: the same Alice's browser has the bank on its preload list instead.
  // At the returning-visit event both were there 40 days ago, and the bank's header then decides:
  // a careless bank's month has run out — and so, in a class round, has the entry of an Alice the
  // room gives no HSTS (so that stripping can work in class, as without the event).
  const hstsProtected = config.clientHsts ?? config.bots.client === 'careful';
  const secret = drawPin(r.referee);
  const drawn: Order = { pin: secret, to: PAYEES[r.referee.int(PAYEES.length)]!, amount: (1 + r.referee.int(20)) * 10 };
  // The CA's draws in their old order (serial, then the intermediate), so a seed replays as before.
  let nextSerial = 1000 + r.ca.int(9000);
  const issuing = issuingCaOf(module, { name: CA_NAME, keys: caKeys }, r.ca, config.gameClock);
  const attackerKeys = { encryptionKey: encryptionKey(r.attacker, rsaKeys?.attacker, attackerRsa), signingKey: p256KeyPair(r.attacker.bytes(32)) };
  const rootKey = p256KeyPair(r.attacker.bytes(32));
  const stage = stageEvent({ event: config.event, pki: module.pki, bankName: SERVER_NAME, gameClock: config.gameClock, issuing, bankKeys: serverConfig, attackerKeys, attackerRootKey: rootKey, serial: () => nextSerial++, newKey: () => r.referee.bytes(32), upToDateBrowser: config.bots.client === 'careful', preloadsBank: hstsProtected, shortMaxAge: config.bots.server === 'careless' || config.clientHsts === false, ticketRng: rng.fork('yesterday'), ctLogKey: () => p256KeyPair(rng.fork('ct log').bytes(32)), shortLivedCertificates: config.bots.server === 'shortLived' });
  const order: Order = stage.order ? { ...drawn, ...stage.order } : drawn;
  // A key card (the event "encryption without integrity"): both ends hold it before play.
  const card = stage.preSharedKey ? { preSharedKey: stage.preSharedKey } : {};
  // What an event decides the two ends speak: the harvest event's groups (the bank speaks
  // X25519MLKEM768 first, an up-to-date browser offers it); the downgrade event's TLS 1.2 beside 1.3.
  const clientSpeaks = { ...(stage.groups ? { groups: stage.groups.client } : {}), ...(stage.tls12 ? { tls12Fallback: stage.tls12 } : {}) };
  const bankSpeaks = { ...(stage.groups ? { groups: stage.groups.server } : {}), ...(stage.tls12 ? { alsoTls12: true } : {}), ...(stage.hsts ? { stsHeader: stage.hsts.header } : {}), ...(stage.returningVisit ? { stsHeader: stage.returningVisit.header } : {}) };
  // The early-data event: Alice's ticket from yesterday, and her order as 0-RTT early data; the bank's ticket key, single-use unless it is careless.
  // Every bank checks a hello's freshness by the ticket's age (RFC 8446 §8.3, as OpenSSL does by default): it costs no memory.
  const resumption = stage.resumption ? { resumption: { ticket: stage.resumption.ticket, earlyData: encodeHttp(transferRequest(stage.target, order)) } } : {};
  const bankTickets = stage.resumption
    ? { tickets: { key: stage.resumption.ticketKey, antiReplay: config.bots.server === 'careless' ? ('none' as const) : ('singleUse' as const), used: new Set<string>(), maxEarlyDataSize: MAX_EARLY_DATA, freshnessWindowMs: FRESHNESS_WINDOW_MS } }
    : {};
  // The returning-visit event: what her browser noted on her last visit, whichever Alice she is, and no preload list.
  const hsts = stage.hsts ? { hsts: [], hstsPreload: stage.hsts.preload } : stage.returningVisit ? { hsts: [], hstsNoted: [stage.returningVisit.noted] } : { hsts: hstsProtected ? [SERVER_NAME] : [] };
  // The CT event: the log, which the bank watches unless it is careless; an up-to-date browser requires its SCTs.
  const ctLog: RoundCtLog | undefined = stage.ctLog ? { name: CT_LOG_NAME, keys: stage.ctLog.keys, entries: [], watchedByBank: config.bots.server !== 'careless', spotted: [] } : undefined;
  const ctLogs = ctLog && stage.ctLog?.requiredByBrowser ? { ctLogs: [logKeyOf(ctLog)] } : {};
  const clientConfig: ClientConfig = { serverName: stage.target, trustStore: trustStoreOf(module, { name: CA_NAME, publicKey: caKeys.publicKey }), ...hsts, ...card, ...clientSpeaks, ...resumption, ...ctLogs };
  // The leaked-key event: the bank holds its new certificate and the CA's answer on it; Alice's browser checks revocation.
  const leaked = stage.leakedKey;
  const bankCertificate = stage.bankCertificate ?? leaked?.renewed;
  if (leaked) clientConfig.revocation = { hardFail: leaked.hardFail };
  const staple = leaked ? { ocspStaple: leaked.staple } : {};
  return {
    config,
    module,
    rng: r,
    startedAt: now,
    now,
    endsAt: now + (config.prepareMs ?? DEFAULT_CONFIG.prepareMs ?? 0),
    ready: new Set(),
    phase: 'preparing',
    client: {
      config: clientConfig,
      secret,
      order,
      orderSent: false,
      established: false,
      checks: [],
      learned: {},
      opened: new Map(),
      ...(stage.rogueRoot ? { portal: { root: stage.rogueRoot.root } } : {}),
      ...(stage.returningVisit ? { lastVisit: { visitedAt: stage.returningVisit.visitedAt, header: stage.returningVisit.header, entry: stage.returningVisit.noted } } : {}),
    },
    server: {
      config: { ...serverConfig, ...card, ...bankSpeaks, ...bankTickets, ...staple, ...(bankCertificate ? { certificate: bankCertificate } : {}) },
      connection: module.server.initial({ ...serverConfig, ...card, ...bankSpeaks, ...bankTickets }),
      // The expired event: certified long ago, with the right name and key, never renewed.
      csr: bankCertificate ? 'issued' : 'none',
      csrsSent: 0,
      ...(bankCertificate ? { requested: { subject: bankCertificate.subject, key: module.pki!.certificateKey.of } } : {}),
      chainReceived: bankCertificate ? [...issuing.chain] : [],
      waiting: [],
      learned: stage.preSharedKey ? { [PRE_SHARED_KEY_NAME]: stage.preSharedKey.key } : {},
      opened: new Map(),
      received: [],
      receivedText: [],
      checks: [],
      heldAnswers: [],
    },
    ca: { name: CA_NAME, keys: caKeys, requests: [], nextSerial, issuing, ...(leaked ? { revocation: { certificate: leaked.stolen, requestedAt: leaked.requestedAt, decision: 'pending' as const } } : {}) },
    attacker: {
      intercept: false,
      // The rogue-root event: her gateway is set up to show her root's bank.example certificate (she may switch it off).
      substitute: stage.rogueRoot ? 'selfSignedCertificate' : 'off',
      stripping: false,
      captured: [],
      held: [],
      ...attackerKeys,
      rootKey,
      ...(stage.rogueRoot ? { rogueRoot: stage.rogueRoot } : {}),
      // The look-alike event: her certificate for the name she registered, with the CA's chain; the leaked-key event: the bank's, whose key she holds.
      certificates: stage.attackerCertificate ? [stage.attackerCertificate] : leaked ? [leaked.stolen] : [],
      caChain: stage.attackerCertificate || leaked ? [...issuing.chain] : [],
      csrsSent: 0,
      csrsAnswered: 0,
      csrsRefused: 0,
      ...(stage.knownEnding ? { knownEnding: stage.knownEnding } : {}),
      learned: {},
      opened: new Map(),
      findings: [],
      keyTrials: [],
      submissions: [],
      done: false,
      interfered: [],
      edits: [],
    },
    ...(ctLog ? { ctLog } : {}),
    packets: [],
    timeline: [],
    spent: { client: nothingSpent(), server: nothingSpent(), ca: nothingSpent(), attacker: nothingSpent() },
    keyLog: [],
  };
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

/** The transfer as Alice's browser sends it: a POST of the form to /transfer. */
export function transferRequest(host: string, order: Order): HttpMessage & { type: 'HttpRequest' } {
  return { type: 'HttpRequest', method: 'POST', host, path: '/transfer', body: orderBody(order) };
}

export function orderBody(order: Order): string {
  return `pin=${order.pin}&to=${order.to}&amount=${String(order.amount).padStart(order.amountDigits ?? 0, '0')}`;
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
