/**
 * Every message that crosses the game's network, as typed values. The binary codec
 * (`codec.ts`) gives each one canonical bytes; code points are declared once in `codes.ts`.
 *
 * Levels: 1 HttpRequest/HttpResponse in the clear; 2 KeyTransport then EncryptedRecord;
 * 3 ServerPublicKey + SealedKey then EncryptedRecord; 4 and 4e TLS 1.2 (RFC 5246 §7.3, RSA key
 * transport / ECDHE); 5 TLS 1.3 (RFC 8446 §2) with encrypted handshake records.
 * The CA talks CertificateRequest / CertificateIssued / CertificateRefused.
 */

/** The keys the game makes for certificates: RSA-2048 (TLS 1.2 key transport) and P-256 (ECDSA signatures, ECDHE). */
export type KeyType = 'rsa' | 'p256';
/** A certificate's key: the game's two, P-384 (real CAs' ECDSA intermediates), or one the game cannot use. */
export type CertificateKeyType = KeyType | 'p384' | 'other';
/**
 * X.509 keyUsage (RFC 5280 §4.2.1.3) as the game uses it: an RSA key that receives pre-master
 * secrets (keyEncipherment), a key that signs handshakes (digitalSignature), a CA's key (keyCertSign).
 */
export type KeyUsage = 'keyEncipherment' | 'digitalSignature' | 'keyCertSign';
/** Every keyUsage bit of RFC 5280 §4.2.1.3, in bit order; real certificates set several. */
export type KeyUsageBit = 'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement' | 'keyCertSign' | 'cRLSign' | 'encipherOnly' | 'decipherOnly';

/**
 * The fields the CA signs (the TBSCertificate of X.509, RFC 5280 §4.1; pki/certificate.ts
 * gives them their DER) — the game's editable model of a certificate. A certificate read from
 * the wire keeps its DER as received too (pki/certificate.ts), and a real CA's certificate says
 * more than these fields: its meaning comes from that DER (pki/x509.ts), these are a summary.
 * Times are game time in seconds since 1970.
 */
export interface CertificateBody {
  /** RFC 5280 §4.1.2.2: up to 20 bytes, so not a JavaScript number. */
  serial: bigint;
  /** The subject's commonName, e.g. bank.example (a name without one: its RFC 4514 text). */
  subject: string;
  /** The issuer's commonName, e.g. Heist Root CA. */
  issuer: string;
  notBefore: number;
  notAfter: number;
  keyType: CertificateKeyType;
  /** The keyUsage bits set, e.g. [keyEncipherment]; a real RSA site certificate has [digitalSignature, keyEncipherment]. */
  keyUsage: readonly KeyUsageBit[];
  /** RSA: PKCS #1 RSAPublicKey DER; P-256 / P-384: the uncompressed point; another key: its subjectPublicKey bytes. */
  publicKey: Uint8Array;
  /** subjectAltName DNS names: what a browser matches (empty for a CA). */
  names: readonly string[];
  /** basicConstraints cA: a certificate authority's own certificate. */
  ca: boolean;
  /** basicConstraints pathLenConstraint: how many intermediate CAs may follow this CA (RFC 5280 §4.2.1.9); absent: no limit. */
  pathLength?: number;
  /** authorityKeyIdentifier (RFC 5280 §4.2.1.1): the issuer's key identifier; `signCertificate` writes the signing key's. */
  authorityKeyId?: Uint8Array;
}

/** A certificate: the body plus the issuer's signature over the body's DER (the game's CAs: ECDSA P-256, DER). */
export interface Certificate extends CertificateBody {
  signature: Uint8Array;
}

/**
 * A certificate signing request (PKCS #10 in DER, pki/csr.ts): the name and the key to certify. The requester then proves
 * control of `subject` ACME-style (RFC 8555 §8.3 http-01): the CA issues a token, the
 * requester publishes it at http://<subject>/.well-known/acme-challenge/<token>, and the CA
 * fetches it; only the party that really answers for that name can serve it.
 */
export interface CertificateSigningRequest {
  subject: string;
  keyType: KeyType;
  keyUsage: KeyUsage;
  publicKey: Uint8Array;
  /** PKCS #10 (RFC 2986 §4.2): the requester signs the request with the key it asks to certify — proof it holds the private key. */
  signature: Uint8Array;
}

export type AlertDescription =
  | 'close_notify'
  | 'unexpected_message'
  | 'bad_record_mac'
  | 'handshake_failure'
  | 'bad_certificate'
  | 'unsupported_certificate'
  | 'certificate_expired'
  | 'unknown_ca'
  | 'decrypt_error'
  | 'illegal_parameter'
  | 'decode_error'
  | 'protocol_version'
  | 'user_canceled'
  | 'unrecognized_name';

/** One extension of a hello (RFC 8446 §4.2), typed where the game reads it, raw otherwise. */
export type Extension =
  | { type: 'server_name'; hostName: string }
  | { type: 'supported_groups'; groups: number[] }
  | { type: 'ec_point_formats'; formats: number[] }
  | { type: 'signature_algorithms'; schemes: number[] }
  /** A ClientHello lists versions; a ServerHello names one. */
  | { type: 'supported_versions'; versions: number[] }
  /** A ClientHello offers shares; a ServerHello answers with one. */
  | { type: 'key_share'; shares: KeyShareEntry[] }
  | { type: 'renegotiation_info'; renegotiatedConnection: Uint8Array }
  | { type: 'unknown'; code: number; data: Uint8Array };

export interface KeyShareEntry {
  group: number;
  key: Uint8Array;
}

/** How a TLS record says what it carries (RFC 8446 §5.1). */
export type RecordContentType = 'changeCipherSpec' | 'alert' | 'handshake' | 'applicationData';

/**
 * Every message on the game's wire. At levels 4-5 they are TLS itself: each TLS message travels
 * in its own TLS record (RFC 5246 §6.2, RFC 8446 §5), byte for byte as OpenSSL and Wireshark know
 * it (messages/tls.ts). HTTP is HTTP/1.1 text (messages/http.ts). Levels 2-3 put the game's own
 * constructions in TLS-framed records; the CA channel and the key messages of levels 2-3 use
 * the game's own frames (0xE0 and up), which no TLS record starts with.
 */
export type Message =
  /** Level 1, the first http:// request, and the inside of every application record. */
  | { type: 'HttpRequest'; method: string; host: string; path: string; body: string }
  | { type: 'HttpResponse'; status: number; body: string }
  /** Level 2: the AES-256 key, sent in the clear. */
  | { type: 'KeyTransport'; key: Uint8Array }
  /** Level 3: the server's bare X25519 public key, no certificate. */
  | { type: 'ServerPublicKey'; publicKey: Uint8Array }
  /** RFC 8446 §4.1.2 / RFC 5246 §7.4.1.2 (legacy_version 0x0303, no compression). */
  | { type: 'ClientHello'; random: Uint8Array; sessionId: Uint8Array; cipherSuites: number[]; extensions: Extension[] }
  | { type: 'ServerHello'; random: Uint8Array; sessionId: Uint8Array; cipherSuite: number; extensions: Extension[] }
  /** RFC 8446 §4.3.1. */
  | { type: 'EncryptedExtensions'; extensions: Extension[] }
  /**
   * RFC 5246 §7.4.2 / RFC 8446 §4.4.2: the server's certificate first, then any intermediates.
   * `context` (the TLS 1.3 certificate_request_context) is there only in the TLS 1.3 form.
   */
  | { type: 'Certificate'; context?: Uint8Array; certificate: Certificate; chain: Certificate[] }
  /** RFC 8422 §5.4: an ephemeral ECDH share on a named curve, signed with the certificate's key. */
  | { type: 'ServerKeyExchange'; group: number; publicKey: Uint8Array; scheme: number; signature: Uint8Array }
  | { type: 'ServerHelloDone' }
  /**
   * RFC 5246 §7.4.7: RSA key transport's encrypted pre-master secret, or (RFC 8422 §5.7) the
   * client's ECDH share — exactly one of the two is non-empty.
   */
  | { type: 'ClientKeyExchange'; encryptedPreMaster: Uint8Array; ecdhPublic: Uint8Array }
  /** RFC 8446 §4.4.3: the server's signature over the transcript hash. */
  | { type: 'CertificateVerify'; scheme: number; signature: Uint8Array }
  /** RFC 5246 §7.4.9 (12 bytes) / RFC 8446 §4.4.4 (32 bytes). */
  | { type: 'Finished'; verifyData: Uint8Array }
  /** RFC 8446 §4.6.1: kept as bytes (the game never resumes a session). */
  | { type: 'NewSessionTicket'; body: Uint8Array }
  /** RFC 5246 §7.1: one byte, 1. */
  | { type: 'ChangeCipherSpec' }
  /**
   * A protected record (RFC 5246 §6.2.3.3, RFC 8446 §5.2), as the wire shows it: its outer
   * content type and the fragment (TLS 1.2: the 8-byte explicit nonce, then ciphertext and tag;
   * TLS 1.3: ciphertext and tag, the real type inside). The sequence number is never sent.
   */
  | { type: 'EncryptedRecord'; contentType: RecordContentType; fragment: Uint8Array }
  /** RFC 8446 §6: close_notify and user_canceled are warnings, every other alert is fatal. */
  | { type: 'Alert'; description: AlertDescription }
  /** Level 3 (the game's own): the session key sealed to the server's bare X25519 key. */
  | { type: 'SealedKey'; ephemeralPublicKey: Uint8Array; nonce: Uint8Array; sealedSecret: Uint8Array }
  | { type: 'CertificateRequest'; csr: CertificateSigningRequest }
  | { type: 'CertificateIssued'; certificate: Certificate }
  | { type: 'CertificateRefused'; subject: string; reason: string };

export type MessageType = Message['type'];
export type MessageOf<T extends MessageType> = Extract<Message, { type: T }>;

/** One node of the inspector's field tree, linked to its bytes. */
export interface FieldNode {
  /** Dotted path usable by setField, e.g. "certificate.subject". */
  path: string;
  name: string;
  offset: number;
  length: number;
  /** Human-readable value: text, number, or hex for bytes. */
  value: string;
  /** One line saying what the field is for. */
  explain: string;
  children?: FieldNode[];
}
