/**
 * The TLS 1.3 key schedule for TLS_AES_128_GCM_SHA256: every secret from the (EC)DHE shared
 * secret — and, on a resumed session, the pre-shared key of a ticket — to the traffic keys, the
 * Finished MACs and the binders.
 *
 * RFC 8446 §7.1 (HKDF-Expand-Label, Derive-Secret, the schedule), §7.3 (traffic keys),
 * §4.4.4 (Finished). SHA-256 throughout, so every secret is 32 bytes. RFC 8448 §3 traces
 * one handshake through all of it; test/shared/crypto/rfc8446-key-schedule.test.ts checks it.
 */
import { hkdfExpand, hkdfExtract, hmacSha256, sha256 } from './primitives.ts';
import { concat, utf8 } from '../codec/bytes.ts';

/** Hash.length for SHA-256: the size of every secret in the schedule. */
export const TLS13_HASH_LENGTH = 32;
/** §7.3 with TLS_AES_128_GCM_SHA256 (RFC 8446 §B.4): a 16-byte key. */
export const TLS13_AES_128_GCM_KEY_LENGTH = 16;
/** §5.3: iv_length is max(8 bytes, N_MIN) = 12 for the AES-GCM suites. */
export const TLS13_IV_LENGTH = 12;

const LABEL_PREFIX = 'tls13 ';
/** §7.1: with no PSK, the early secret's input keying material is Hash.length zero bytes. */
const ZEROS = new Uint8Array(TLS13_HASH_LENGTH);
/** §7.1: Derive-Secret(., "derived", "") hashes the empty transcript. */
const EMPTY_TRANSCRIPT_HASH = sha256(new Uint8Array(0));

/**
 * §7.1 HKDF-Expand-Label(Secret, Label, Context, Length) = HKDF-Expand(Secret, HkdfLabel, Length),
 * where HkdfLabel is the struct
 *   uint16 length = Length;
 *   opaque label<7..255> = "tls13 " + Label;
 *   opaque context<0..255> = Context;
 * Pass the label without the "tls13 " prefix: this function adds it.
 */
export function hkdfExpandLabel(secret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
  const fullLabel = utf8(LABEL_PREFIX + label);
  if (fullLabel.length < 7 || fullLabel.length > 255) throw new RangeError(`HKDF label "${label}" must be 7..255 bytes with its "tls13 " prefix`);
  if (context.length > 255) throw new RangeError(`HKDF context is ${context.length} bytes; at most 255 fit`);
  if (!Number.isInteger(length) || length < 0 || length > 0xffff) throw new RangeError(`HKDF length ${length} does not fit in a uint16`);
  const hkdfLabel = concat(
    new Uint8Array([length >> 8, length & 0xff]),
    new Uint8Array([fullLabel.length]),
    fullLabel,
    new Uint8Array([context.length]),
    context,
  );
  return hkdfExpand(secret, hkdfLabel, length);
}

/**
 * §7.1 Derive-Secret(Secret, Label, Messages) = HKDF-Expand-Label(Secret, Label,
 * Transcript-Hash(Messages), Hash.length). This takes the transcript hash itself, so callers
 * hash the handshake messages once (§4.4.1) and reuse it.
 */
export function deriveSecret(secret: Uint8Array, label: string, transcriptHash: Uint8Array): Uint8Array {
  return hkdfExpandLabel(secret, label, transcriptHash, TLS13_HASH_LENGTH);
}

export interface Tls13HandshakeSecrets {
  handshakeSecret: Uint8Array;
  clientHandshakeTrafficSecret: Uint8Array;
  serverHandshakeTrafficSecret: Uint8Array;
}

/**
 * §7.1, top of the schedule without a PSK:
 *   Early Secret     = HKDF-Extract(salt 0, IKM 0)
 *   Handshake Secret = HKDF-Extract(Derive-Secret(Early Secret, "derived", ""), (EC)DHE)
 * and from it the two handshake traffic secrets over ClientHello..ServerHello.
 * `helloHash` is Transcript-Hash(ClientHello, ServerHello).
 */
export function tls13HandshakeSecrets(sharedSecret: Uint8Array, helloHash: Uint8Array, earlySecret: Uint8Array = hkdfExtract(ZEROS, ZEROS)): Tls13HandshakeSecrets {
  const handshakeSecret = hkdfExtract(deriveSecret(earlySecret, 'derived', EMPTY_TRANSCRIPT_HASH), sharedSecret);
  return {
    handshakeSecret,
    clientHandshakeTrafficSecret: deriveSecret(handshakeSecret, 'c hs traffic', helloHash),
    serverHandshakeTrafficSecret: deriveSecret(handshakeSecret, 's hs traffic', helloHash),
  };
}

export interface Tls13EarlySecrets {
  /** Early Secret = HKDF-Extract(salt 0, IKM PSK): where a resumed session's schedule starts. */
  earlySecret: Uint8Array;
  /** binder_key = Derive-Secret(Early Secret, "res binder", ""): keys the binder of a resumption ticket (§4.2.11.2). */
  binderKey: Uint8Array;
}

/** §7.1, top of the schedule with a PSK (a resumption ticket's): the early secret and the binder key. */
export function tls13EarlySecrets(psk: Uint8Array): Tls13EarlySecrets {
  const earlySecret = hkdfExtract(ZEROS, psk);
  return { earlySecret, binderKey: deriveSecret(earlySecret, 'res binder', EMPTY_TRANSCRIPT_HASH) };
}

/**
 * §7.1: client_early_traffic_secret = Derive-Secret(Early Secret, "c e traffic", ClientHello):
 * the 0-RTT data's keys, from the ticket's secret and the ClientHello alone — nothing of this
 * connection's server, which is why a copy of the ClientHello replays them (§8).
 */
export function tls13ClientEarlyTrafficSecret(earlySecret: Uint8Array, clientHelloHash: Uint8Array): Uint8Array {
  return deriveSecret(earlySecret, 'c e traffic', clientHelloHash);
}

/**
 * §4.2.11.2: binder = HMAC(finished_key of binder_key, Transcript-Hash(the ClientHello up to,
 * not including, the binders list)) — the Finished computation over a truncated hello.
 */
export function tls13Binder(binderKey: Uint8Array, truncatedHelloHash: Uint8Array): Uint8Array {
  return tls13FinishedVerifyData(binderKey, truncatedHelloHash);
}

/**
 * §7.1 resumption_master_secret = Derive-Secret(Master Secret, "res master", ClientHello..client
 * Finished), and §4.6.1: a ticket's PSK = HKDF-Expand-Label(resumption_master_secret,
 * "resumption", ticket_nonce, Hash.length).
 */
export function tls13ResumptionMasterSecret(masterSecret: Uint8Array, clientFinishedHash: Uint8Array): Uint8Array {
  return deriveSecret(masterSecret, 'res master', clientFinishedHash);
}
export function tls13TicketPsk(resumptionMasterSecret: Uint8Array, ticketNonce: Uint8Array): Uint8Array {
  return hkdfExpandLabel(resumptionMasterSecret, 'resumption', ticketNonce, TLS13_HASH_LENGTH);
}

export interface Tls13ApplicationSecrets {
  masterSecret: Uint8Array;
  clientApplicationTrafficSecret: Uint8Array;
  serverApplicationTrafficSecret: Uint8Array;
  /** §7.5: the exporter secret ("exp master"), which key logs record too. */
  exporterMasterSecret: Uint8Array;
}

/**
 * §7.1, bottom of the schedule:
 *   Master Secret = HKDF-Extract(Derive-Secret(Handshake Secret, "derived", ""), IKM 0)
 * and from it the first application traffic secrets over ClientHello..server Finished.
 * `handshakeHash` is Transcript-Hash(ClientHello .. server Finished).
 */
export function tls13ApplicationSecrets(handshakeSecret: Uint8Array, handshakeHash: Uint8Array): Tls13ApplicationSecrets {
  const masterSecret = hkdfExtract(deriveSecret(handshakeSecret, 'derived', EMPTY_TRANSCRIPT_HASH), ZEROS);
  return {
    masterSecret,
    clientApplicationTrafficSecret: deriveSecret(masterSecret, 'c ap traffic', handshakeHash),
    serverApplicationTrafficSecret: deriveSecret(masterSecret, 's ap traffic', handshakeHash),
    exporterMasterSecret: deriveSecret(masterSecret, 'exp master', handshakeHash),
  };
}

export interface Tls13TrafficKeys {
  key: Uint8Array;
  iv: Uint8Array;
}

/**
 * §7.3: [sender]_write_key = HKDF-Expand-Label(Secret, "key", "", key_length) and
 * [sender]_write_iv = HKDF-Expand-Label(Secret, "iv", "", iv_length). The per-record nonce
 * is this iv XORed with the record sequence number (§5.3).
 */
export function tls13TrafficKeys(trafficSecret: Uint8Array, keyLength: number = TLS13_AES_128_GCM_KEY_LENGTH): Tls13TrafficKeys {
  return {
    key: hkdfExpandLabel(trafficSecret, 'key', new Uint8Array(0), keyLength),
    iv: hkdfExpandLabel(trafficSecret, 'iv', new Uint8Array(0), TLS13_IV_LENGTH),
  };
}

/**
 * §7.2: after a KeyUpdate (§4.6.3), application_traffic_secret_N+1 =
 * HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length); its key and iv
 * follow by §7.3, and the record count starts again at 0.
 */
export function tls13NextTrafficSecret(trafficSecret: Uint8Array): Uint8Array {
  return hkdfExpandLabel(trafficSecret, 'traffic upd', new Uint8Array(0), TLS13_HASH_LENGTH);
}

/**
 * §4.4.4: finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length) and
 * verify_data = HMAC(finished_key, Transcript-Hash(Handshake Context, Certificate*, CertificateVerify*)).
 * BaseKey is the sender's handshake traffic secret.
 */
export function tls13FinishedVerifyData(baseKey: Uint8Array, transcriptHash: Uint8Array): Uint8Array {
  const finishedKey = hkdfExpandLabel(baseKey, 'finished', new Uint8Array(0), TLS13_HASH_LENGTH);
  return hmacSha256(finishedKey, transcriptHash);
}
