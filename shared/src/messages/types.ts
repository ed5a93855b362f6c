/**
 * Every message that crosses the game's network, as typed values. The binary codec
 * (`codec.ts`) gives each one canonical bytes; code points are declared once in `codes.ts`.
 *
 * Levels: 1 HttpRequest/HttpResponse in the clear; 2 KeyTransport then EncryptedRecord;
 * 3 ServerPublicKey + ClientKeyExchange then EncryptedRecord; 4 TLS 1.2 style
 * (RFC 5246 §7.3); 5 TLS 1.3 style (RFC 8446 §2) with encrypted handshake records.
 * The CA talks CertificateRequest / CertificateIssued / CertificateRefused.
 */

/** The keys certificates carry: RSA-2048 (TLS 1.2 key transport) and P-256 (ECDSA signatures, ECDHE). */
export type KeyType = 'rsa' | 'p256';
/**
 * X.509 keyUsage (RFC 5280 §4.2.1.3): an RSA key that receives pre-master secrets
 * (keyEncipherment), a key that signs handshakes (digitalSignature), a CA's key (keyCertSign).
 */
export type KeyUsage = 'keyEncipherment' | 'digitalSignature' | 'keyCertSign';

/**
 * The fields the CA signs (the TBSCertificate of X.509, RFC 5280 §4.1; pki/certificate.ts
 * gives them their DER). Times are game time in seconds since 1970.
 */
export interface CertificateBody {
  serial: number;
  /** The subject's commonName, e.g. bank.example. */
  subject: string;
  /** The issuer's commonName, e.g. Heist Root CA. */
  issuer: string;
  notBefore: number;
  notAfter: number;
  keyType: KeyType;
  keyUsage: KeyUsage;
  /** RSA: PKCS #1 RSAPublicKey DER; P-256: the 65-byte uncompressed point. */
  publicKey: Uint8Array;
  /** subjectAltName DNS names: what a browser matches (empty for a CA). */
  names: readonly string[];
  /** basicConstraints cA: a certificate authority's own certificate. */
  ca: boolean;
}

/** A certificate: the body plus the issuer's ECDSA P-256 signature (DER) over the body's DER. */
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

export type Message =
  /** Level 1, and the inside of every encrypted record. */
  | { type: 'HttpRequest'; method: string; host: string; path: string; body: string }
  | { type: 'HttpResponse'; status: number; body: string }
  /** Level 2: the AES-256 key, sent in the clear. */
  | { type: 'KeyTransport'; key: Uint8Array }
  /** Level 3: the server's bare X25519 public key, no certificate. */
  | { type: 'ServerPublicKey'; publicKey: Uint8Array }
  /** RFC 5246 §7.4.1.2; keyShare is empty before level 5 (RFC 8446 §4.2.8 when present). */
  | { type: 'ClientHello'; random: Uint8Array; cipherSuites: number[]; serverName: string; keyShare: Uint8Array }
  | { type: 'ServerHello'; random: Uint8Array; cipherSuite: number; keyShare: Uint8Array }
  | { type: 'Certificate'; certificate: Certificate }
  /**
   * Level 3 (the game's own): the session key sealed to the server's bare X25519 key:
   * ephemeral public key, AES-GCM nonce, sealed secret with its tag.
   */
  | { type: 'SealedKey'; ephemeralPublicKey: Uint8Array; nonce: Uint8Array; sealedSecret: Uint8Array }
  /** RFC 5246 §7.4.7.1: the 48-byte pre-master secret, RSA-encrypted (PKCS #1 v1.5) to the certificate's key. */
  | { type: 'ClientKeyExchange'; encryptedPreMaster: Uint8Array }
  /** RFC 8446 §4.4.3: the server's ECDSA P-256 signature (DER) over the transcript hash. */
  | { type: 'CertificateVerify'; signature: Uint8Array }
  /** RFC 5246 §7.4.9 (12 bytes) / RFC 8446 §4.4.4 (32 bytes). */
  | { type: 'Finished'; verifyData: Uint8Array }
  /**
   * An AEAD-protected record (RFC 5246 §6.2.3.3, RFC 8446 §5.2). explicitNonce is the 8-byte
   * explicit part of the AES-GCM nonce (levels 2-4, RFC 5288 §3); empty at level 5, where the
   * whole nonce is derived. The sequence number is never sent: both sides count records.
   */
  | { type: 'EncryptedRecord'; explicitNonce: Uint8Array; ciphertext: Uint8Array }
  | { type: 'Alert'; description: AlertDescription }
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
