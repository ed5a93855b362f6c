/** What each seat can do: the actions the server relays in and bots choose. Imports only the roles and the hidden-attacker mode's calls. */
import type { Role } from './roles.ts';
import type { Call } from './hidden-attacker.ts';

/** Every action, per role. Hex strings for bytes (the wire is JSON). */
export type ReadyAction = { type: 'ready' };
/** A seat's own actions, beyond saying it is ready (which is the same at every seat). */
export type SeatAction<A extends { type: string }> = Exclude<A, ReadyAction>;
export type ClientAction =
  | ReadyAction
  /** The rogue-root event: the café Wi-Fi's page asks her to install its certificate; she installs it or refuses. */
  | { type: 'answerPortal'; install: boolean }
  | { type: 'connect' }
  | { type: 'trust' }
  | { type: 'abort' }
  | { type: 'sendSecret' };
/** The bank's two key pairs: for key transport (X25519 at levels 2-3, RSA-2048 where a CA plays) and for signatures (ECDSA P-256). */
export const BANK_KEYS = ['encryptionKey', 'signingKey'] as const;
export type BankKey = (typeof BANK_KEYS)[number];
/**
 * The bank chooses what to have certified: the name (`subject`) and which of its keys. Left
 * out, they default to what the level needs (bank.example, and the level's certificate key).
 */
export type ServerAction =
  | ReadyAction
  | { type: 'requestCertificate'; subject?: string; key?: BankKey }
  /**
   * Where an intermediate CA signs the bank's certificate, what the bank's server sends: its
   * certificate with the intermediate's after it (`fullChain`, certbot's fullchain.pem), or its
   * certificate alone (cert.pem), which no browser can build a path from.
   */
  | { type: 'chooseChain'; fullChain: boolean }
  /** Where the bank keeps session tickets (the early-data event): take each ticket once (RFC 8446 §8.1), or as often as it comes. */
  | { type: 'chooseTickets'; singleUse: boolean }
  | { type: 'abort' };
/** What the CA can look up about a request before it decides. */
export const INVESTIGATIONS = ['http01', 'whois'] as const;
export type Investigation = (typeof INVESTIGATIONS)[number];
export type CaAction =
  | ReadyAction
  /** Look something up about a request: fetch its http-01 challenge, or the name's owner record. */
  | { type: 'investigate'; csrId: number; method: Investigation }
  /** `log: false` (the CT event): sign without handing the certificate to the public log, so it carries no SCT. */
  | { type: 'sign'; csrId: number; log?: boolean }
  | { type: 'refuse'; csrId: number }
  /** The leaked-key event: the bank asks to revoke its old certificate; the CA revokes it or refuses. */
  | { type: 'answerRevocation'; revoke: boolean };
export type AttackerAction =
  | ReadyAction
  | { type: 'setIntercept'; on: boolean }
  | { type: 'forward'; packetId: number }
  | { type: 'forwardAll' }
  | { type: 'drop'; packetId: number }
  | { type: 'editField'; packetId: number; path: string; value: string }
  | { type: 'editBytes'; packetId: number; hex: string }
  /**
   * Change a record she cannot read (attacker/flip.ts): `known` is her guess of how its plaintext
   * ends, `wanted` what she wants it to say instead (as long); their XOR goes onto the last bytes
   * of the ciphertext. AES-CTR decrypts to `wanted`; a tag refuses the record.
   */
  | { type: 'flipBits'; packetId: number; known: string; wanted: string }
  | { type: 'replay'; packetId: number }
  /** Resumption with 0-RTT: a copy of Alice's first flight (her ClientHello and the early data behind it) sent to the bank, as a connection of her own. */
  | { type: 'replayFirstFlight' }
  | { type: 'inject'; to: 'client' | 'server'; hex: string }
  | { type: 'substitute'; mode: SubstituteMode }
  | { type: 'strip' }
  | { type: 'requestCertificate'; subject: string }
  | { type: 'tryKey'; packetId: number; keyHex: string }
  | { type: 'submitSecret'; secret: string }
  /** "I'm done": once the conversation is over, the referee judges without waiting for her. */
  | { type: 'done' }
  /** A hidden-attacker match, in a room without an attacker this round: the seat calls what the defenders will do (and is ready). */
  | { type: 'call'; verdict: Call };
/** The attacker's proxy persona (as mitmproxy presents its own certificate). */
export const SUBSTITUTE_MODES = ['off', 'ownKey', 'selfSignedCertificate', 'issuedCertificate', 'ownNameCertificate', 'signedWithOwnCertificate'] as const;
export type SubstituteMode = (typeof SUBSTITUTE_MODES)[number];
/** How the game names each persona to players. */
export const SUBSTITUTE_WORDS: Readonly<Record<SubstituteMode, string>> = {
  off: 'off: the real keys pass through',
  ownKey: 'her own key in place of the bank\'s',
  selfSignedCertificate: 'a certificate she signed herself',
  issuedCertificate: 'a certificate for bank.example the CA issued to her',
  ownNameCertificate: 'her own valid certificate, for mallory.example',
  signedWithOwnCertificate: 'a bank.example certificate she signed as mallory.example',
};

export type ActionFor<R extends Role> = R extends 'client'
  ? ClientAction
  : R extends 'server'
    ? ServerAction
    : R extends 'ca'
      ? CaAction
      : AttackerAction;
export type AnyAction = ClientAction | ServerAction | CaAction | AttackerAction;
export type ActionType<R extends Role = Role> = ActionFor<R>['type'];
export type AttackerActionType = AttackerAction['type'];

/** Every action type, per role, in the order panels offer them. */
export const ACTION_TYPES: { readonly [R in Role]: readonly ActionType<R>[] } = {
  client: ['ready', 'answerPortal', 'connect', 'trust', 'abort', 'sendSecret'],
  server: ['ready', 'requestCertificate', 'chooseChain', 'chooseTickets', 'abort'],
  ca: ['ready', 'investigate', 'sign', 'refuse', 'answerRevocation'],
  attacker: ['ready', 'setIntercept', 'forward', 'forwardAll', 'drop', 'editField', 'editBytes', 'flipBits', 'replay', 'replayFirstFlight', 'inject', 'substitute', 'strip', 'requestCertificate', 'tryKey', 'submitSecret', 'done', 'call'],
};
