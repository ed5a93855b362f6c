/**
 * Every code point on the game's wire, declared once (as rustls' `msgs/enums.rs`), each with
 * a name and a one-line explanation the packet inspector shows.
 *
 * TLS's own code points (handshake and content types, extensions, groups, signature schemes,
 * versions) are in tls-codes.ts; here are the cipher suites and alerts (RFC 8446 B.4, §6), the
 * certificate fields the game names, and the game's own frames (levels 2-3 and the CA channel),
 * in ranges no TLS record starts with.
 */
import { CodecError, type Reader } from '../codec/reader.ts';
import type { Writer } from '../codec/writer.ts';
import type { AlertDescription, KeyType, KeyUsage } from './types.ts';

export interface CodePoint {
  readonly code: number;
  /** One line for a student. */
  readonly explain: string;
}

/** A closed set of names ↔ numbers. Built once; a duplicate number is a bug caught at load. */
export class CodeTable<N extends string> {
  private readonly byCode = new Map<number, N>();

  constructor(
    /** What the numbers are, for error messages ("message type", "cipher suite"). */
    readonly kind: string,
    readonly entries: { readonly [K in N]: CodePoint },
  ) {
    for (const name of Object.keys(entries) as N[]) {
      const { code } = entries[name];
      const clash = this.byCode.get(code);
      if (clash !== undefined) throw new Error(`${kind} 0x${code.toString(16)} declared twice: ${clash} and ${name}`);
      this.byCode.set(code, name);
    }
  }

  get names(): N[] {
    return [...this.byCode.values()];
  }

  code(name: N): number {
    return this.entries[name].code;
  }

  /** The name for a number, or undefined when the number is not declared. */
  name(code: number): N | undefined {
    return this.byCode.get(code);
  }

  has(name: string): name is N {
    return Object.prototype.hasOwnProperty.call(this.entries, name);
  }

  explain(name: N): string {
    return this.entries[name].explain;
  }
}

/** The names a table declares, as a type: each name is written once, in its table. */
export type NameOf<T> = T extends CodeTable<infer N> ? N : never;

/** `0x1301`-style hex for a code, padded to `bytes`. */
export function hexCode(code: number, bytes = 2): string {
  return `0x${code.toString(16).padStart(bytes * 2, '0')}`;
}

/**
 * The game's own frames: its first byte (0xE0 and up, where no TLS record or HTTP text
 * starts), then a 3-byte length, as a TLS handshake header. They carry what TLS has no message
 * for: the level-2 and level-3 key messages and the CA's channel.
 */
export type GameFrameType = 'KeyTransport' | 'ServerPublicKey' | 'SealedKey' | 'CertificateRequest' | 'CertificateIssued' | 'CertificateRefused';

export const GAME_FRAMES = new CodeTable<GameFrameType>('game frame type', {
  KeyTransport: { code: 0xe2, explain: 'Key transport (level 2, the game’s own): a symmetric key sent in the clear — anyone watching gets it' },
  ServerPublicKey: {
    code: 0xe3,
    explain: "Server public key (level 3, the game’s own): a bare key with no certificate, so nothing says whose it is",
  },
  SealedKey: {
    code: 0xe4,
    explain: "Sealed key (level 3, the game's own): the session key sealed to the server's bare X25519 key (ECIES-style), which nothing vouches for",
  },
  CertificateRequest: { code: 0xf0, explain: 'Certificate signing request (PKCS #10): a server asks the CA to certify its key (the game’s channel to the CA)' },
  CertificateIssued: { code: 0xf1, explain: 'Certificate issued: the CA signed the requested certificate (X.509)' },
  CertificateRefused: { code: 0xf2, explain: 'Certificate refused: the CA would not sign' },
});

/** Alert descriptions, RFC 8446 §6 numbers. */
export const ALERTS = new CodeTable<AlertDescription>('alert description', {
  close_notify: { code: 0, explain: 'close_notify: the sender is finished and closes the connection normally' },
  unexpected_message: { code: 10, explain: 'unexpected_message: a message arrived out of order' },
  bad_record_mac: { code: 20, explain: 'bad_record_mac: a record failed its AEAD tag check — it was changed, replayed, reordered or forged, or the two sides hold different keys' },
  record_overflow: { code: 22, explain: 'record_overflow: a record was longer than TLS allows (2^14 bytes of data, a little more once encrypted)' },
  handshake_failure: { code: 40, explain: 'handshake_failure: the two sides could not agree on how to talk securely' },
  bad_certificate: { code: 42, explain: 'bad_certificate: the certificate failed a check (its signature, or the name it is for)' },
  unsupported_certificate: { code: 43, explain: 'unsupported_certificate: the certificate’s key is not of a kind or use this step accepts' },
  certificate_revoked: { code: 44, explain: 'certificate_revoked: the CA says the certificate was revoked (its OCSP answer), or the answer this client requires was missing' },
  certificate_expired: { code: 45, explain: 'certificate_expired: the certificate is outside its validity dates (expired, or not yet valid)' },
  illegal_parameter: { code: 47, explain: 'illegal_parameter: a field had a value that is not allowed here (e.g. a cipher suite the client never offered)' },
  unknown_ca: { code: 48, explain: 'unknown_ca: the certificate was signed by an issuer the client does not trust' },
  decode_error: { code: 50, explain: 'decode_error: a message could not be decoded' },
  decrypt_error: { code: 51, explain: 'decrypt_error: a signature, a Finished check or a key exchange failed' },
  protocol_version: { code: 70, explain: 'protocol_version: the peer wants a protocol version this side does not speak' },
  user_canceled: { code: 90, explain: 'user_canceled: a person chose to stop the handshake' },
  no_renegotiation: { code: 100, explain: 'no_renegotiation (a warning, TLS 1.2): the sender will not start a new handshake on this connection; the session goes on as it was' },
  unsupported_extension: { code: 110, explain: 'unsupported_extension: the peer answered with an extension this side never offered' },
  unrecognized_name: { code: 112, explain: 'unrecognized_name: the server is not the name the ClientHello asked for (SNI)' },
});

/** Certificate key types, numbered by the TLS signature scheme each signs with (RFC 8446 §4.2.3). */
export const KEY_TYPES = new CodeTable<KeyType>('key type', {
  rsa: { code: 0x0401, explain: 'rsa (RSA-2048, X.509 rsaEncryption): in TLS 1.2 key transport the client encrypts the pre-master secret to it; it can also sign (rsa_pkcs1_sha256, 0x0401)' },
  p256: { code: 0x0403, explain: 'p256 (ECDSA on the P-256 curve, X.509 id-ecPublicKey prime256v1): a key for signatures (ecdsa_secp256r1_sha256, 0x0403), as many web certificates carry' },
});

/** Key usages: the bit numbers of X.509 KeyUsage (RFC 5280 §4.2.1.3). */
export const KEY_USAGES = new CodeTable<KeyUsage>('key usage', {
  digitalSignature: { code: 0, explain: 'digitalSignature: this key may be used to sign (a handshake, in ECDHE and TLS 1.3)' },
  keyEncipherment: { code: 2, explain: 'keyEncipherment: this key may receive secrets encrypted to it (an RSA key in TLS 1.2 key transport)' },
  keyCertSign: { code: 5, explain: 'keyCertSign: this key may sign certificates (a CA’s key)' },
});

export type CipherSuiteName = 'TLS_AES_128_GCM_SHA256' | 'TLS_RSA_WITH_AES_128_GCM_SHA256' | 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256' | 'GAME_AES_256_GCM';

/** Cipher suites. 0xFF00–0xFFFF is reserved for private use (RFC 8446 B.4, RFC 5246 A.5). */
export const CIPHER_SUITES = new CodeTable<CipherSuiteName>('cipher suite', {
  /** Level 5: RFC 8446 B.4. */
  TLS_AES_128_GCM_SHA256: {
    code: 0x1301,
    explain: 'TLS_AES_128_GCM_SHA256 (TLS 1.3): names only the record cipher (AES-128-GCM) and the hash (SHA-256); the key-share group (here X25519) and the signature scheme (here ECDSA P-256) are agreed separately',
  },
  /** Level 4: RFC 5288 §3 — TLS 1.2 RSA key transport. */
  TLS_RSA_WITH_AES_128_GCM_SHA256: {
    code: 0x009c,
    explain:
      "TLS_RSA_WITH_AES_128_GCM_SHA256 (TLS 1.2, RFC 5288): the client encrypts the pre-master secret to the RSA key in the server's certificate. Key transport has no forward secrecy (TLS 1.2's ECDHE suites have it; TLS 1.3 made it mandatory) and was dropped from TLS 1.3",
  },
  /** Level 4e: RFC 5289 §3.2 — TLS 1.2 ephemeral ECDH, the server's share signed with its ECDSA key. */
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: {
    code: 0xc02b,
    explain:
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (TLS 1.2, RFC 5289): one-time ECDH key shares, the server's signed with the ECDSA key of its certificate: forward secrecy in TLS 1.2",
  },
  /** Levels 2–3: one AES-256-GCM key, however it was shared. */
  GAME_AES_256_GCM: {
    code: 0xff01,
    explain: 'Game suite for levels 2–3: records encrypted with one AES-256-GCM key, however that key was shared',
  },
});

/** Cipher suite numbers by name, e.g. `SUITE.TLS_AES_128_GCM_SHA256 === 0x1301`. */
export const SUITE: { readonly [N in CipherSuiteName]: number } = {
  TLS_AES_128_GCM_SHA256: CIPHER_SUITES.code('TLS_AES_128_GCM_SHA256'),
  TLS_RSA_WITH_AES_128_GCM_SHA256: CIPHER_SUITES.code('TLS_RSA_WITH_AES_128_GCM_SHA256'),
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: CIPHER_SUITES.code('TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'),
  GAME_AES_256_GCM: CIPHER_SUITES.code('GAME_AES_256_GCM'),
};

/** "TLS_AES_128_GCM_SHA256 (0x1301)", or just "0x1234" for a suite the game does not know. */
export function showCipherSuite(code: number): string {
  const name = CIPHER_SUITES.name(code);
  return name ? `${name} (${hexCode(code)})` : hexCode(code);
}

/** Reads a `width`-byte code and names it; an undeclared number is a `badValue`. */
export function readCode<N extends string>(r: Reader, table: CodeTable<N>, width: 1 | 2): N {
  const at = r.offset;
  const code = width === 1 ? r.u8() : r.u16();
  const name = table.name(code);
  if (name === undefined) throw r.bad(`unknown ${table.kind} ${hexCode(code, width)} at offset ${at}`, at);
  return name;
}

export function writeCode<N extends string>(w: Writer, table: CodeTable<N>, name: N, width: 1 | 2): void {
  if (!table.has(name)) throw new CodecError('badValue', `unknown ${table.kind} "${String(name)}"`, w.length);
  const code = table.code(name);
  if (width === 1) w.u8(code);
  else w.u16(code);
}
