/**
 * A level, said once (as rustls keeps a suite's behaviour in its SupportedCipherSuite value):
 * its handshake machines, how the key is agreed, which checks exist, what the attacker may do,
 * what the bots play, which of the bank's keys can leak, whether a CA plays, the TLS it speaks
 * (version and cipher suite), its PKI (who issues the bank's certificate, what the browser
 * trusts, which key the certificate carries), and its texts.
 * The round, the views, the referee and the bots read a level only through its module.
 *
 * A module owns its machines' states behind `ClientSide` / `ServerSide`, so a later module can
 * bring its own codec and states without the round knowing them.
 */
import type { CertificateKey, LevelTls } from '../handshake/tls-spec.ts';
import type { ClientSide, ServerSide } from '../handshake/machine.ts';
import type { KeyTrial, Recording } from '../attacker/recording.ts';
import type { AttackerActionType, BankKey, SubstituteMode } from '../basics/actions.ts';
import type { CheckName } from '../basics/checks.ts';
import type { Level } from '../basics/levels.ts';
import type { LevelEvent } from '../basics/events.ts';
import type { AttackerBehaviour } from '../basics/roles.ts';
import type { LevelTexts } from './texts/types.ts';

/** How the session key comes about. */
export type KeyExchange =
  /** No key at all (plain HTTP). */
  | 'none'
  /** A symmetric key sent readable over the wire. */
  | 'plaintextKey'
  /** A secret sealed to the server's long-term public key (RSA-style key transport): no forward secrecy. */
  | 'transport'
  /** Ephemeral Diffie-Hellman key shares, forgotten after the handshake: forward secrecy. */
  | 'ephemeral';

/** What an established session at this level is, as the client's browser states it. */
export type Protection = 'plainHttp' | 'keyInTheClear' | 'unauthenticatedKey' | 'tls';

/** Which of the bank's two key pairs a role uses. */
export type { BankKey } from '../basics/actions.ts';

export type Persona = Exclude<SubstituteMode, 'off'>;

/** The TLS a level speaks, which its machines read (handshake/tls-spec.ts). */
export type { LevelTls } from '../handshake/tls-spec.ts';

/**
 * The certificates of a level where a CA plays (RFC 5280). Each fact is a closed union, so a
 * level that brings a new one (an intermediate CA, a second root) widens it and the compiler
 * points at every place that must learn it (docs/adding-a-level.md).
 */
export interface LevelPki {
  /**
   * Who signs the bank's certificate: the game's root CA itself, so the bank sends one
   * certificate; or an intermediate CA the root certified, which the CA seat runs, so the bank
   * must send the intermediate's certificate after its own for the browser to build a path.
   */
  readonly issuer: 'root' | 'intermediate';
  /** What the browser's trust store holds: the game's root CA. */
  readonly trustStore: 'root';
  /** The key the bank's certificate (and any CSR) carries: which of its keys, its type and keyUsage (the browser checks the last two). */
  readonly certificateKey: { of: BankKey } & CertificateKey;
}

/** Whether a CA plays, and then its certificates: one fact, so a CA never plays without them. */
type LevelCa = { readonly caPlays: false; readonly pki?: undefined } | { readonly caPlays: true; readonly pki: LevelPki };

export type LevelModule = LevelCa & LevelCommon;

interface LevelCommon {
  readonly level: Level;
  readonly keyExchange: KeyExchange;
  /**
   * What the bank's (and the attacker's) `encryptionKey` is: X25519 for the game's own
   * constructions (levels 1-3), RSA-2048 where TLS 1.2 key transport may use it. Their
   * `signingKey` is always ECDSA P-256.
   */
  readonly encryptionKeyType: 'x25519' | 'rsa';
  readonly protection: Protection;
  /** The TLS it speaks on the wire (levels 1-3 are the game's own constructions: none). */
  readonly tls?: LevelTls;
  /** The browser starts with a plain http:// request unless it has HSTS for the name (so SSL stripping exists). */
  readonly httpFirst: boolean;
  /** The checks the parties can run at this level (the others never appear). */
  readonly checks: readonly CheckName[];
  /** The attacker's tools at this level; every other attacker action is refused. */
  readonly attackerTools: readonly AttackerActionType[];
  /** The personas her proxy can take (empty: nothing to substitute). */
  readonly personas: readonly Persona[];
  /**
   * With 'ownKey', what her proxy shows: the bank's certificate with her key written in (its
   * signature breaks), the bank's certificate unchanged (she cannot prove she holds its key),
   * or her bare key (no certificates at this level).
   */
  readonly ownKeyShows?: 'certificateWithHerKey' | 'genuineCertificate' | 'bareKey';
  /** The attacker bot behaviours that exist here; any other falls back to listening (passive). */
  readonly attacks: readonly AttackerBehaviour[];
  /** The one attack the practice, demo and class bots play at this level. */
  readonly botAttack: AttackerBehaviour;
  /** The events a host may switch on for a round of this level (basics/events.ts); absent: none. */
  readonly events?: readonly LevelEvent[];
  /** The bank's long-term key in play, which can leak later; `leakEvent`: the debrief plays the leak. */
  readonly longTermKey?: { of: BankKey; name: string; leakEvent: boolean };
  /** How many encrypted handshake records the client sends before its first application record (bots count them). */
  readonly clientHandshakeRecords: number;
  readonly client: ClientSide;
  readonly server: ServerSide;
  /** "Try a key on captured ciphertext": what this key opens of a recording of this level. */
  readonly tryKey: (recording: Recording, key: Uint8Array) => KeyTrial;
  /** TLS 1.3: what a session's key-exchange secret itself opens of a recording (the harvest event hands one over). */
  readonly trySharedSecret?: (recording: Recording, sharedSecret: Uint8Array) => KeyTrial;
  readonly texts: LevelTexts;
}
