/**
 * Every message that crosses the game's network, as typed values. The binary codec
 * (`codec.ts`) gives each one canonical bytes; code points are declared once in `codes.ts`.
 *
 * Levels: 1 HttpRequest/HttpResponse in the clear; 2 KeyTransport then EncryptedRecord;
 * 3 ServerPublicKey + ClientKeyExchange then EncryptedRecord; 4 TLS 1.2 style
 * (RFC 5246 §7.3); 5 TLS 1.3 style (RFC 8446 §2) with encrypted handshake records.
 * The CA talks CertificateRequest / CertificateIssued / CertificateRefused.
 */

export type KeyType = 'x25519' | 'ed25519';
/** X25519 keys agree on / unwrap secrets (level 4); Ed25519 keys sign (CA, level 5). */
export type KeyUsage = 'keyEncipherment' | 'digitalSignature';

/** The fields the CA signs (the "to be signed" part). Times are game time in seconds. */
export interface CertificateBody {
  serial: number; // u32
  subject: string; // a DNS name, e.g. bank.example
  issuer: string; // the CA's name, e.g. Heist Root CA
  notBefore: number; // u32 seconds
  notAfter: number; // u32 seconds
  keyType: KeyType;
  keyUsage: KeyUsage;
  publicKey: Uint8Array; // 32 bytes
}

/** A certificate: the body plus the issuer's Ed25519 signature over SHA-256(encoded body). */
export interface Certificate extends CertificateBody {
  signature: Uint8Array; // 64 bytes
}

/**
 * A certificate signing request: the name and the key to certify. The requester then proves
 * control of `subject` ACME-style (RFC 8555 §8.3 http-01): the CA issues a token, the
 * requester publishes it at http://<subject>/.well-known/acme-challenge/<token>, and the CA
 * fetches it; only the party that really answers for that name can serve it.
 */
export interface CertificateSigningRequest {
  subject: string;
  keyType: KeyType;
  keyUsage: KeyUsage;
  publicKey: Uint8Array; // 32 bytes
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
   * Levels 3-4: a secret sealed to the server's X25519 key (the game's stand-in for RSA key
   * transport): ephemeral public key, AES-GCM nonce, sealed secret with its tag.
   */
  | { type: 'ClientKeyExchange'; ephemeralPublicKey: Uint8Array; nonce: Uint8Array; sealedSecret: Uint8Array }
  /** RFC 8446 §4.4.3: Ed25519 signature over the transcript hash. */
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
