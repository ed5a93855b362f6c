/**
 * The round's public contract: who plays, what each role may do (actions), and what each
 * role may see (views). The server relays actions in and views out; the client renders
 * views and sends actions; bots read the same views a human would. The referee's verdict the
 * views carry at the end is result.ts's.
 */
import type { FieldNode, KeyType, KeyUsage, MessageType } from '../messages/types.ts';
import type { Budget } from './budgets.ts';
import type { RoundResult } from './result.ts';
// The basic words live in basics/, below every layer that uses them; they are re-exported here
// for the views and the package's index.
import type { Level } from '../basics/levels.ts';
import type { Role } from '../basics/roles.ts';
import type { CertificateCheckName, CheckResult } from '../basics/checks.ts';
import type { ActionType, AttackerActionType, BankKey, Investigation, SubstituteMode } from '../basics/actions.ts';
import type { LevelEvent } from '../basics/events.ts';
import type { Call } from '../basics/hidden-attacker.ts';
export * from '../basics/levels.ts';
export * from '../basics/roles.ts';
export * from '../basics/checks.ts';
export * from '../basics/actions.ts';
export * from '../basics/events.ts';
export * from '../basics/hidden-attacker.ts';

/** Where a packet travels: the café Wi-Fi path passes the attacker's tap; the CA path does not. */
export type Endpoint = 'client' | 'server' | 'ca' | 'attacker';

/** How the network view draws a parcel. */
/** postcard: readable by anyone; lockedBox: encrypted; signed: readable, but any change breaks its signature. */
export type ParcelLook = 'postcard' | 'lockedBox' | 'signed';

export type PacketStatus = 'inFlight' | 'held' | 'delivered' | 'dropped';
/** Who made these bytes: the named sender, or the attacker in one of her ways. */
export type PacketOrigin = 'genuine' | 'edited' | 'replayed' | 'injected' | 'proxied';

/** A packet as every seat may see it on the network view: where it is, not what it says. */
export interface ParcelView {
  id: number;
  from: Endpoint;
  to: Endpoint;
  label: MessageType | 'Malformed';
  look: ParcelLook;
  status: PacketStatus;
  /** Round time in ms, like CommonView.now. */
  sentAt: number;
  /** Round time in ms; -1 while held at the tap (the attacker's view; the others see when it was due). */
  arriveAt: number;
  size: number;
}

/** A packet opened in the inspector: only for seats that can see its bytes. */
export interface PacketDetail extends ParcelView {
  hex: string;
  fields: FieldNode[];
  /** What these bytes are: TLS itself, plain HTTP, or the game's own construction (the inspector says it above the fields). */
  format?: string;
  /** Set when the bytes do not decode (e.g. after a raw edit). */
  decodeError?: string;
  /** Only when this viewer really holds the key for this record. */
  plaintext?: { fields: FieldNode[]; hex: string; text: string };
  origin?: PacketOrigin; // attacker's own view only
  /** Attacker's view only: the field paths "edit a field" can set (not the lengths, types and versions the format computes). */
  editable?: string[];
  /** Client's view only, on the packet whose certificates her browser validated: the path it built from them. */
  path?: CertificatePathView;
}

/**
 * The certification path a browser built from the certificates a server sent (RFC 5280 §6,
 * pki/path.ts): the site's certificate first, then each CA certificate towards the trust
 * anchor, each with who signed it and the checks that failed on it.
 */
export interface CertificatePathView {
  steps: {
    role: 'leaf' | 'intermediate';
    subject: string;
    /** Who signed it: the next step's subject, or the anchor. */
    issuer: string;
    /** basicConstraints cA: whether this certificate says it is a CA. */
    ca: boolean;
    /** The checks that failed on this certificate (empty: it passed every one). */
    failed: CheckResult[];
  }[];
  /** The CA in the browser's trust store the path ends at; absent when no path reached one. */
  anchor?: string;
  /** That CA was installed this round (the rogue-root event's café certificate), not shipped with the browser. */
  anchorInstalled?: boolean;
  /** Certificates the server sent that are not on the path. */
  unused: string[];
  accepted: boolean;
}

/**
 * preparing: the bank gets its certificate and the attacker sets up her tools; the client
 * cannot connect yet. playing: the round timer runs. over: the referee has judged.
 */
export type RoundPhase = 'preparing' | 'playing' | 'over';

/** A timeline line. Each is visible to the roles listed (the referee's notes to all at the end). */
export interface TimelineEvent {
  at: number;
  actor: Endpoint | 'referee';
  /** The person in the actor's seat whose move caused this line (several students may share a seat); absent for bots and for what the network does by itself. */
  by?: string;
  text: string;
  kind: 'info' | 'success' | 'warning' | 'failure';
  visibleTo: Role[];
}

/** What every seat sees. */
/**
 * The files of a round a viewer may download (capture/downloads.ts decides who gets which):
 * the teacher's capture with its TLS key log, the key log alone, the attacker's own recording
 * (no secrets), and the key the "server key leaked" event hands her.
 */
export const DOWNLOAD_FILES = ['capture', 'keyLog', 'recording', 'leakedKey'] as const;
export type DownloadFile = (typeof DOWNLOAD_FILES)[number];
export interface DownloadOffer {
  file: DownloadFile;
  filename: string;
  /** What it is, in a few words (the link's text). */
  label: string;
}

export interface CommonView {
  role: Role;
  level: Level;
  /** The event the host switched on for this round (basics/events.ts), if any: every seat's briefing says it. */
  event?: LevelEvent;
  /**
   * A hidden-attacker match (basics/hidden-attacker.ts): this room may have an attacker this
   * round, or none. Every view of the round says the same; which it is comes with the result.
   */
  hiddenAttacker?: true;
  phase: RoundPhase;
  now: number;
  /** When the current phase ends: the preparation limit while preparing, the round timer while playing. */
  endsAt: number;
  /** Whether a CA takes part at this level (the network view draws it). */
  caPlays: boolean;
  /** The CT event's public log, as anyone reading it sees it (round/ct-log.ts). */
  ctLog?: CtLogView;
  /** The actions this seat may take right now; the panel offers exactly these. */
  allowed: ActionType[];
  /** Why each of this seat's other actions (at this level) is not possible right now, in words: the panel says it beside the control. */
  unavailable: Partial<Record<ActionType, string>>;
  /** While preparing: this seat has said it is ready (bot seats are ready once prepared). */
  ready: boolean;
  parcels: ParcelView[];
  timeline: TimelineEvent[];
  /**
   * The conversation is over, but the attacker could still change the outcome (she can read
   * the PIN and has not proved it): the referee waits for her until `endsAt` (also the view's
   * `endsAt`), no longer.
   */
  closing?: { endsAt: number; waitingFor: 'attackerProof' };
  /** Only once the round is over. */
  result?: RoundResult;
  /** The round's files this seat may download now. */
  downloads: DownloadOffer[];
}

/** A Certificate Transparency log as a reader sees it: its entries and its tree head (RFC 6962 §2.1), hashes in hex. */
export interface CtLogView {
  name: string;
  treeSize: number;
  rootHash: string;
  entries: { index: number; subject: string; issuer: string; serial: string; publicKey: string; loggedAt: number; leafHash: string }[];
}

/**
 * The state of a party's connection, as its browser or server would state it.
 * - secure: a protected session whose every check passed (levels 4-5);
 * - unverified: a protected session she accepted although these checks failed;
 * - plainHttp: no encryption at all (level 1, or a stripped connection);
 * - keyInTheClear: encrypted, with a key that crossed the wire readable (level 2);
 * - noIntegrity: encrypted under a key agreed in advance, but records without a tag: nothing checks them (level 2's event);
 * - unauthenticatedKey: encrypted to a public key nothing vouched for (level 3);
 * - protected: the bank's side of a protected session (TLS proves the bank to the client, not the client to the bank);
 * - closed: the connection ended with this failure.
 */
export type ConnectionVerdict =
  | { kind: 'none' }
  | { kind: 'handshaking' }
  | { kind: 'awaitingDecision' }
  | { kind: 'secure' }
  | { kind: 'unverified'; failed: CertificateCheckName[] }
  | { kind: 'plainHttp' }
  | { kind: 'keyInTheClear' }
  | { kind: 'noIntegrity' }
  | { kind: 'unauthenticatedKey' }
  | { kind: 'protected' }
  | { kind: 'closed'; byUs: boolean; detection: boolean; detail: string };

/** What arrived for the client to judge: a certificate that failed a check, or a bare public key (level 3). */
export type ClientDecision =
  | { kind: 'certificate'; prompt: string; checks: CheckResult[]; certificate: FieldNode[] }
  | { kind: 'bareKey'; prompt: string; checks: CheckResult[]; fingerprint: string };

/** What a browser noted from the bank's Strict-Transport-Security header over HTTPS (RFC 6797 §8.1.1). */
export interface NotedHsts {
  domain: string;
  includeSubDomains: boolean;
  maxAgeDays: number;
}

export interface ClientView extends CommonView {
  role: 'client';
  /** The referee's secret for this round (e.g. a PIN) and the transfer order to send. */
  secret: string;
  transfer: { to: string; amount: number };
  /** The name her browser asks for: bank.example, or where a link took her (the look-alike event). */
  target: string;
  /**
   * The rogue-root event: the café Wi-Fi's captive portal asks her to install its certificate
   * (`root`, a CA's) before she may browse; `answer` once she has installed or refused it.
   */
  portal?: { root: string; certificate: FieldNode[]; answer?: 'installed' | 'refused' };
  connection: ConnectionVerdict;
  /** Every check the client's browser has run this round (certificate, CertificateVerify, Finished, records), passed or failed. */
  checks: CheckResult[];
  decision?: ClientDecision;
  /** Keys the client holds for this session, by name → hex. */
  keys: Record<string, string>;
  packets: PacketDetail[]; // packets the client sent or received
  orderSent: boolean;
  response?: string; // the bank's answer
  /**
   * Where the browser starts with a plain http:// request unless it knows better (levels 4, 4e,
   * 5): whether this browser has bank.example on its HSTS list, from an earlier visit. The
   * player is told which browser they are; sslstrip works only on one without.
   */
  browser?: {
    hsts: boolean;
    /** Where an event decides them (harvest now, decrypt later): the key-exchange groups this browser offers, in order, and whether it is up to date (offers the post-quantum hybrid). */
    keyShares?: { groups: string[]; postQuantum: boolean };
    /** Where an event decides it (the downgrade): this browser speaks TLS 1.2 beside 1.3, and whether it checks a 1.2 answer for the downgrade sentinel (up to date) or not (old). */
    tls12?: { checksSentinel: boolean };
    /** The early-data event: it kept the bank's session ticket from yesterday, and sends her transfer with its first message (0-RTT early data). */
    resumes?: true;
    /**
     * The first-visit event: no HSTS from a visit; whether the browser's preload list carries the
     * bank, and, once the bank's Strict-Transport-Security header arrived over HTTPS, what it noted.
     */
    firstVisit?: { preloaded: boolean; noted?: NotedHsts };
    /**
     * The returning-visit event: her last visit (days ago), the header the bank sent then and its
     * max-age in days, how long ago the entry ran out (when it has), and what today's header noted.
     */
    returningVisit?: { daysAgo: number; header: string; maxAgeDays: number; expiredDaysAgo?: number; noted?: NotedHsts; subdomain?: { name: string; covered: boolean } };
    /** The CT event: whether this browser requires an SCT from a log it knows (up to date) or does not look (old). */
    transparency?: { requiresSct: boolean };
    /** The leaked-key event: this browser asks for the stapled OCSP answer, and without a good one refuses (hard-fail) or goes on (soft-fail). */
    revocation?: { hardFail: boolean };
  };
}

export interface ServerView extends CommonView {
  role: 'server';
  /** The bank's long-term key pair; `inPlay` false where the level does not use it. */
  keyPair: { name: string; publicKey: string; secretKey: string; inPlay: boolean };
  certificate?: FieldNode[];
  /** What the bank may ask the CA to certify (where a CA plays): a name, and one of its two keys. */
  certificateChoices?: { names: string[]; keys: { key: BankKey; keyType: KeyType; keyUsage: KeyUsage; publicKey: string }[] };
  /** What it asked for last, and what the certificate it holds says. */
  requested?: { subject: string; key: BankKey };
  /**
   * Where the CA sent CA certificates with the bank's (an intermediate signed it): their
   * subjects and issuers, and whether its server sends them after its own (undefined: not chosen
   * yet, so it sends its certificate alone).
   */
  chain?: { certificates: { subject: string; issuer: string }[]; fullChain?: boolean };
  holds?: { subject: string; key: BankKey | 'other'; keyType: KeyType; keyUsage: KeyUsage };
  /** Where its server keeps session tickets (the early-data event): whether it takes each ticket once. */
  tickets?: { singleUse: boolean };
  /** Where an event decides it (the HSTS events): the Strict-Transport-Security header its HTTPS answers carry (RFC 6797 §6.1). */
  stsHeader?: string;
  /** The CT event: whether its monitor watches the log, and the entries it flagged (a certificate for its name with a key it does not hold). */
  ctMonitor?: { watching: boolean; spotted: number[] };
  /** The leaked-key event: its old certificate (whose key leaked), what the CA made of its request to revoke it, and that its server staples the CA's answer on the new one. */
  revocation?: RevocationStatusView & { stapling: boolean };
  csr: 'none' | 'pending' | 'issued' | 'refused';
  /** Certificate requests it may still send this round. */
  certificateRequestsLeft: number;
  connection: ConnectionVerdict;
  keys: Record<string, string>;
  packets: PacketDetail[];
  /** What the bank received, in plain words, e.g. "PIN 4821, pay 100 to Bob". */
  received: string[];
}

/** Something the CA knows about a request from its own records, without looking anything up. */
export interface CsrEvidence {
  kind: 'key' | 'possession' | 'alreadyIssued' | 'signedBefore' | 'otherRequests' | 'sameKey';
  detail: string;
  /** Worth a second look before signing (e.g. the same key asks for two names). */
  notable: boolean;
}

export interface CsrView {
  id: number;
  requester: string; // as the CA sees it: a network address, not a role name
  subject: string;
  publicKey: string;
  keyType: KeyType;
  keyUsage: KeyUsage;
  /** The ACME http-01 challenge the CA issued: the requester must publish `token` at `url`. */
  challenge: { token: string; url: string };
  evidence: CsrEvidence[];
  /** What the CA has looked up, in order: each investigation once. */
  investigated: Investigation[];
  /** The domain-control check, once the CA fetched the url (against the room's ground truth of who answers for the name). */
  domainControl?: { passed: boolean; detail: string };
  /** The name's owner record (WHOIS-like), once looked up: who registered it, and when. */
  owner?: { detail: string };
  decision: 'pending' | 'signed' | 'refused';
  fields: FieldNode[];
}

/** A revocation request's certificate and where it stands (the leaked-key event). */
export interface RevocationStatusView {
  subject: string;
  /** The certificate's serial, in decimal. */
  serial: string;
  decision: 'pending' | 'revoked' | 'refused';
}

/** The stolen certificate's dates against the game clock: whole days it still runs, or how long ago it ran out (a short-lived one's hours). */
export type StolenValidity = { kind: 'valid'; daysLeft: number } | { kind: 'expired'; daysAgo: number; lifetimeHours: number };

/** The bank's request to revoke, as the CA sees it: who asks, why, what proves it, and the certificate. */
export interface RevocationRequestView extends RevocationStatusView {
  validity: StolenValidity;
  requester: string;
  reason: string;
  /** Game time, seconds. */
  requestedAt: number;
  /** What the CA can check about the request (RFC 8555 §7.6), and whether each holds. */
  proof: { what: string; holds: boolean }[];
  fields: FieldNode[];
}

export interface CaView extends CommonView {
  role: 'ca';
  /** The CA this seat runs and signs with: the root, or an intermediate CA the root certified. */
  name: string;
  publicKey: string;
  secretKey: string;
  /** When the seat runs an intermediate: the root that signed its certificate (the one in every trust store), and that certificate. */
  intermediate?: { root: string; certificate: FieldNode[] };
  requests: CsrView[];
  /** The leaked-key event: the bank's request to revoke its old certificate. */
  revocation?: RevocationRequestView;
}

export interface AttackerView extends CommonView {
  role: 'attacker';
  intercept: boolean;
  substitute: SubstituteMode;
  stripping: boolean;
  /** The tools this level offers (whether or not usable this moment: see `allowed`). */
  tools: AttackerActionType[];
  /** The personas her proxy can take at this level ('off' always). */
  substitutes: SubstituteMode[];
  /** Why a persona of this level is out of reach now (e.g. she holds no certificate for it yet); the panel disables it and says why. */
  substituteProblems: Partial<Record<SubstituteMode, string>>;
  /** Everything seen on the café Wi-Fi, oldest first; held ones are in `held`. */
  captured: PacketDetail[];
  held: number[];
  keys: Record<string, string>;
  certificates: { subject: string; issuer: string; fields: FieldNode[] }[];
  /**
   * The rogue-root event: her own root (which her captive portal offers Alice as the café
   * certificate), the bank.example certificate it signed for her gateway, and what Alice
   * answered her portal, once she has.
   */
  rogueRoot?: { root: { subject: string; fields: FieldNode[] }; forged: { subject: string; issuer: string; fields: FieldNode[] }; alice?: 'installed' | 'refused' };
  /** Results of tryKey and other tools, newest last. */
  findings: string[];
  /** Every key she tried, on which packet, and whether it opened that packet. */
  keyTrials: { packetId: number; keyHex: string; opened: boolean }[];
  /** What she may still add this round: each budget's use and limit (SEAT_LIMITS). */
  budgets: Record<Budget, { used: number; limit: number }>;
  /** Certificate requests sent to the CA this round, and how many it refused. */
  certificateRequests: number;
  certificateRefusals: number;
  submissions: { secret: string; correct: boolean }[];
  /** What she knows of how Alice's order ends without reading it, and what she wants it to say (the event "encryption without integrity"): her flip's starting point. */
  knownEnding?: { known: string; wanted: string };
  /** The leaked-key event: the bank's certificate whose key she holds, and what the CA's OCSP responder (public) says of it now. */
  leakedKey?: { subject: string; serial: string; revoked: boolean; validity: StolenValidity };
  /** A hidden-attacker match, in a room without an attacker this round: the seat is off the Wi-Fi (no tools, nothing captured), and calls. */
  sittingOut?: { call?: Call };
}

export type RoleView = ClientView | ServerView | CaView | AttackerView;

/**
 * What a watcher without a seat sees. `public`: the client↔bank lane as the parties see it and
 * the lines every role sees (safe on a class projector). `everything`: every packet's true
 * path and every line, secrets in the text included (a demo of four bots, where nobody plays).
 */
export type SpectatorScope = 'public' | 'everything';
export type SpectatorView = Pick<CommonView, 'level' | 'event' | 'hiddenAttacker' | 'phase' | 'now' | 'endsAt' | 'caPlays' | 'ctLog' | 'parcels' | 'timeline' | 'closing' | 'result'> & {
  scope: SpectatorScope;
  /** What the class's teacher (who proves it with the teacher secret) may download of this round now. */
  teacherDownloads: DownloadOffer[];
};
export type ViewFor<R extends Role> = Extract<RoleView, { role: R }>;

/** A rejected action: typed, for the sender only. */
export interface ActionError {
  code: 'wrongPhase' | 'outOfTurn' | 'notFound' | 'invalid' | 'notAllowed';
  message: string;
}

export function actionError(code: ActionError['code'], message: string): ActionError {
  return { code, message };
}
