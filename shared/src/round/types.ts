/**
 * The round's public contract: who plays, what each role may do (actions), and what each
 * role may see (views). The server relays actions in and views out; the client renders
 * views and sends actions; bots read the same views a human would.
 */
import type { FieldNode, MessageType } from '../messages/types.ts';

export const LEVELS = [1, 2, 3, 4, 5] as const;
export type Level = (typeof LEVELS)[number];

export const ROLES = ['client', 'server', 'ca', 'attacker'] as const;
export type Role = (typeof ROLES)[number];

export const CLIENT_BEHAVIOURS = ['careful', 'careless'] as const;
export type ClientBehaviour = (typeof CLIENT_BEHAVIOURS)[number];
export const SERVER_BEHAVIOURS = ['standard'] as const;
export type ServerBehaviour = (typeof SERVER_BEHAVIOURS)[number];
export const CA_BEHAVIOURS = ['strict', 'sloppy'] as const;
export type CaBehaviour = (typeof CA_BEHAVIOURS)[number];
export const ATTACKER_BEHAVIOURS = [
  'none',
  'passive',
  'keySubstitution',
  'fakeCertificate',
  'fraudulentCsr',
  'tamper',
  'replay',
  'strip',
] as const;
export type AttackerBehaviour = (typeof ATTACKER_BEHAVIOURS)[number];

export interface BotBehaviours {
  client: ClientBehaviour;
  server: ServerBehaviour;
  ca: CaBehaviour;
  attacker: AttackerBehaviour;
}

/** Where a packet travels: the café Wi-Fi path passes the attacker's tap; the CA path does not. */
export type Endpoint = 'client' | 'server' | 'ca' | 'attacker';

/** How the network view draws a parcel. */
export type ParcelLook = 'postcard' | 'lockedBox' | 'sealed';

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
  /** Round time in ms; -1 while held at the tap. */
  arriveAt: number;
  size: number;
}

/** A packet opened in the inspector: only for seats that can see its bytes. */
export interface PacketDetail extends ParcelView {
  hex: string;
  fields: FieldNode[];
  /** Set when the bytes do not decode (e.g. after a raw edit). */
  decodeError?: string;
  /** Only when this viewer really holds the key for this record. */
  plaintext?: { fields: FieldNode[]; hex: string; text: string };
  origin?: PacketOrigin; // attacker's own view only
}

/** One certificate check as the client panel shows it. */
export type CertificateCheckName = 'issuer' | 'signature' | 'name' | 'notExpired' | 'notYetValid' | 'keyUsage';
export interface CheckResult {
  check: CertificateCheckName | 'certificateVerify' | 'finished' | 'record' | 'downgrade';
  passed: boolean;
  /** Plain words, e.g. "name mismatch: certificate is for evil.example". */
  detail: string;
}

export type RoundPhase = 'briefing' | 'playing' | 'over';

/** A timeline line. Each is visible to the roles listed (the referee's notes to all at the end). */
export interface TimelineEvent {
  at: number;
  actor: Endpoint | 'referee';
  text: string;
  kind: 'info' | 'success' | 'warning' | 'failure';
  visibleTo: Role[];
}

export const OUTCOMES = [
  'secure',
  'eavesdropped',
  'tampered',
  'impersonated',
  'attackDetected',
  'falseAlarm',
  'timedOut',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface RoundResult {
  outcome: Outcome;
  /** One sentence for the scoreboard. */
  summary: string;
  points: Record<Role, number>;
  /** The debrief: which check caught or missed what, and who knew which key. */
  debrief: Debrief;
}

export interface Debrief {
  checks: { by: Role; check: string; caught: boolean; detail: string }[];
  keys: { key: string; knownBy: Role[] }[];
  notes: string[];
  /** Levels 4-5: what the attacker's recording of this round gives up if the bank's long-term key leaks later. */
  serverKeyLeak?: { opened: boolean; text: string };
}

/** Every action, per role. Hex strings for bytes (the wire is JSON). */
export type ClientAction =
  | { type: 'connect' }
  | { type: 'trust' }
  | { type: 'abort' }
  | { type: 'sendSecret' };
export type ServerAction = { type: 'requestCertificate' } | { type: 'abort' };
export type CaAction = { type: 'sign'; csrId: number } | { type: 'refuse'; csrId: number };
export type AttackerAction =
  | { type: 'setIntercept'; on: boolean }
  | { type: 'forward'; packetId: number }
  | { type: 'forwardAll' }
  | { type: 'drop'; packetId: number }
  | { type: 'editField'; packetId: number; path: string; value: string }
  | { type: 'editBytes'; packetId: number; hex: string }
  | { type: 'replay'; packetId: number }
  | { type: 'inject'; to: 'client' | 'server'; hex: string }
  | { type: 'substitute'; mode: SubstituteMode }
  | { type: 'strip' }
  | { type: 'requestCertificate'; subject: string }
  | { type: 'tryKey'; packetId: number; keyHex: string }
  | { type: 'submitSecret'; secret: string };
/** The attacker's proxy persona (as mitmproxy presents its own certificate). */
export const SUBSTITUTE_MODES = ['off', 'ownKey', 'selfSignedCertificate', 'issuedCertificate'] as const;
export type SubstituteMode = (typeof SUBSTITUTE_MODES)[number];
/** How the game names each persona to players. */
export const SUBSTITUTE_WORDS: Readonly<Record<SubstituteMode, string>> = {
  off: 'off: the real keys pass through',
  ownKey: 'her own key in place of the bank\'s',
  selfSignedCertificate: 'a certificate she signed herself',
  issuedCertificate: 'a certificate the CA issued to her',
};

export type ActionFor<R extends Role> = R extends 'client'
  ? ClientAction
  : R extends 'server'
    ? ServerAction
    : R extends 'ca'
      ? CaAction
      : AttackerAction;
export type AnyAction = ClientAction | ServerAction | CaAction | AttackerAction;

/** What every seat sees. */
export interface CommonView {
  role: Role;
  level: Level;
  phase: RoundPhase;
  now: number;
  endsAt: number;
  parcels: ParcelView[];
  timeline: TimelineEvent[];
  /** Only once the round is over. */
  result?: RoundResult;
}

export type HandshakeStatus = 'idle' | 'handshaking' | 'awaitingDecision' | 'established' | 'done' | 'aborted' | 'failed';

export interface ClientView extends CommonView {
  role: 'client';
  /** The referee's secret for this round (e.g. a PIN) and the transfer order to send. */
  secret: string;
  transfer: { to: string; amount: number };
  status: HandshakeStatus;
  /** Every check the client's browser has run this round (certificate, CertificateVerify, Finished, records), passed or failed. */
  checks: CheckResult[];
  /** What arrived for the client to judge: certificate checks, or a bare key at level 3. */
  decision?: { prompt: string; checks: CheckResult[]; certificate?: FieldNode[] };
  /** Keys the client holds for this session, by name → hex. */
  keys: Record<string, string>;
  packets: PacketDetail[]; // packets the client sent or received
  orderSent: boolean;
  response?: string; // the bank's answer
}

export interface ServerView extends CommonView {
  role: 'server';
  publicKey: string;
  secretKey: string;
  certificate?: FieldNode[];
  csr: 'none' | 'pending' | 'issued' | 'refused';
  status: HandshakeStatus;
  keys: Record<string, string>;
  packets: PacketDetail[];
  /** What the bank received, in plain words, e.g. "PIN 4821, pay 100 to Bob". */
  received: string[];
}

export interface CsrView {
  id: number;
  requester: string; // as the CA sees it: a network address, not a role name
  subject: string;
  publicKey: string;
  /** The ACME-style domain-control check, run against the room's ground truth. */
  domainControl: { passed: boolean; detail: string };
  decision: 'pending' | 'signed' | 'refused';
  fields: FieldNode[];
}

export interface CaView extends CommonView {
  role: 'ca';
  name: string;
  publicKey: string;
  secretKey: string;
  requests: CsrView[];
}

export interface AttackerView extends CommonView {
  role: 'attacker';
  intercept: boolean;
  substitute: SubstituteMode;
  stripping: boolean;
  /** Everything seen on the café Wi-Fi, oldest first; held ones are in `held`. */
  captured: PacketDetail[];
  held: number[];
  keys: Record<string, string>;
  certificates: { subject: string; issuer: string; fields: FieldNode[] }[];
  /** Results of tryKey and other tools, newest last. */
  findings: string[];
  /** Certificate requests sent to the CA this round, and how many it refused. */
  certificateRequests: number;
  certificateRefusals: number;
  submissions: { secret: string; correct: boolean }[];
}

export type RoleView = ClientView | ServerView | CaView | AttackerView;

/**
 * What a watcher without a seat sees. `public`: the client↔bank lane as the parties see it and
 * the lines every role sees (safe on a class projector). `everything`: every packet's true
 * path and every line, secrets in the text included (a demo of four bots, where nobody plays).
 */
export type SpectatorScope = 'public' | 'everything';
export type SpectatorView = Pick<CommonView, 'level' | 'phase' | 'now' | 'endsAt' | 'parcels' | 'timeline' | 'result'> & { scope: SpectatorScope };
export type ViewFor<R extends Role> = Extract<RoleView, { role: R }>;

/** A rejected action: typed, for the sender only. */
export interface ActionError {
  code: 'wrongPhase' | 'outOfTurn' | 'notFound' | 'invalid' | 'notAllowed';
  message: string;
}
