/**
 * Every message that crosses the game's network, as typed values. The binary codec
 * (`codec.ts`) gives each one canonical bytes; code points are declared once in `codes.ts`.
 *
 * Levels: 1 HttpRequest/HttpResponse in the clear; 2 KeyTransport then EncryptedRecord;
 * 3 ServerPublicKey + SealedKey then EncryptedRecord; 4 and 4e TLS 1.2 (RFC 5246 §7.3, RSA key
 * transport / ECDHE); 5 TLS 1.3 (RFC 8446 §2) with encrypted handshake records.
 * The CA talks CertificateRequest / CertificateIssued / CertificateRefused.
 */

export type { KeyType, CertificateKeyType, KeyUsage, KeyUsageBit, CertificateBody, Certificate, CertificateSigningRequest } from '../pki/types.ts';
import type { Certificate, CertificateSigningRequest } from '../pki/types.ts';
export type { FieldNode } from '../codec/fields.ts';

export type AlertDescription =
  | 'close_notify'
  | 'unexpected_message'
  | 'bad_record_mac'
  | 'record_overflow'
  | 'handshake_failure'
  | 'bad_certificate'
  | 'unsupported_certificate'
  | 'certificate_expired'
  | 'certificate_revoked'
  | 'unknown_ca'
  | 'decrypt_error'
  | 'illegal_parameter'
  | 'decode_error'
  | 'protocol_version'
  | 'user_canceled'
  | 'no_renegotiation'
  | 'unrecognized_name'
  | 'unsupported_extension';

/** One extension of a hello (RFC 8446 §4.2), typed where the game reads it, raw otherwise. */
export type Extension =
  | { type: 'server_name'; hostName: string }
  /** RFC 6066 §8: a ClientHello asks for the server's OCSP answer (status_type ocsp, no responder ids, no request extensions). */
  | { type: 'status_request' }
  | { type: 'supported_groups'; groups: number[] }
  | { type: 'ec_point_formats'; formats: number[] }
  | { type: 'signature_algorithms'; schemes: number[] }
  /** A ClientHello lists versions; a ServerHello names one. */
  | { type: 'supported_versions'; versions: number[] }
  /** A ClientHello offers shares; a ServerHello answers with one. */
  | { type: 'key_share'; shares: KeyShareEntry[] }
  | { type: 'renegotiation_info'; renegotiatedConnection: Uint8Array }
  /** RFC 7627: empty; in both TLS 1.2 hellos, the master secret is computed from the session hash. */
  | { type: 'extended_master_secret' }
  /** RFC 8446 §4.2.2: an opaque value a HelloRetryRequest may carry, which the second ClientHello echoes. */
  | { type: 'cookie'; cookie: Uint8Array }
  /**
   * RFC 8446 §4.2.11: a ClientHello offers tickets (`offer`: identities and, one each, binders);
   * a ServerHello names the one it accepts (`selected`, an index into the offer).
   */
  | { type: 'pre_shared_key'; offer?: { identities: PskIdentity[]; binders: Uint8Array[] }; selected?: number }
  /** RFC 8446 §4.2.10: empty in a ClientHello and EncryptedExtensions; in a NewSessionTicket, `maxEarlyDataSize`. */
  | { type: 'early_data'; maxEarlyDataSize?: number }
  /** RFC 8446 §4.2.9: psk_ke (1) and/or psk_dhe_ke (0). */
  | { type: 'psk_key_exchange_modes'; modes: number[] }
  | { type: 'unknown'; code: number; data: Uint8Array };

/** RFC 8446 §4.2.11: a ticket offered for resumption, and its age in ms plus the ticket's age_add (mod 2^32). */
export interface PskIdentity {
  identity: Uint8Array;
  obfuscatedTicketAge: number;
}

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
  | { type: 'HttpResponse'; status: number; body: string; /** The Strict-Transport-Security header's value, where the bank sends one (RFC 6797 §6.1). */ hsts?: string }
  /** Level 2: the AES-256 key, sent in the clear. */
  | { type: 'KeyTransport'; key: Uint8Array }
  /** Level 3: the server's bare X25519 public key, no certificate. */
  | { type: 'ServerPublicKey'; publicKey: Uint8Array }
  /** RFC 8446 §4.1.2 / RFC 5246 §7.4.1.2 (legacy_version 0x0303, no compression). */
  | { type: 'ClientHello'; random: Uint8Array; sessionId: Uint8Array; cipherSuites: number[]; extensions: Extension[] }
  | { type: 'ServerHello'; random: Uint8Array; sessionId: Uint8Array; cipherSuite: number; extensions: Extension[] }
  /**
   * RFC 8446 §4.1.4: a ServerHello whose random is the fixed SHA-256("HelloRetryRequest"): the
   * server asks for the ClientHello again, with a key share for the group its key_share names
   * (one entry, no key: selected_group) and its cookie, if any, echoed.
   */
  | { type: 'HelloRetryRequest'; sessionId: Uint8Array; cipherSuite: number; extensions: Extension[] }
  /** RFC 8446 §4.3.1. */
  | { type: 'EncryptedExtensions'; extensions: Extension[] }
  /**
   * RFC 5246 §7.4.2 / RFC 8446 §4.4.2: the server's certificate first, then any intermediates.
   * `context` (the TLS 1.3 certificate_request_context) is there only in the TLS 1.3 form.
   */
  /** `ocspStaple`: TLS 1.3, the DER OCSPResponse in the server certificate's entry (status_request, RFC 8446 §4.4.2.1). */
  | { type: 'Certificate'; context?: Uint8Array; certificate: Certificate; chain: Certificate[]; ocspStaple?: Uint8Array }
  /** RFC 8422 §5.4: an ephemeral ECDH share on a named curve, signed with the certificate's key. */
  | { type: 'ServerKeyExchange'; group: number; publicKey: Uint8Array; scheme: number; signature: Uint8Array }
  /** RFC 6066 §8: TLS 1.2, the CA's OCSP answer on the server's certificate (DER OCSPResponse), sent after Certificate when the client asked (status_request). */
  | { type: 'CertificateStatus'; ocspResponse: Uint8Array }
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
  /** RFC 8446 §4.6.1: kept as bytes here; handshake/tls13-tickets.ts reads and writes its fields. */
  | { type: 'NewSessionTicket'; body: Uint8Array }
  /** RFC 8446 §4.5: empty; the client's early data is over. */
  | { type: 'EndOfEarlyData' }
  /** RFC 8446 §4.6.3: the sender writes under its next traffic secret from now on; `requestUpdate` 1 (update_requested) asks the peer to do the same. */
  | { type: 'KeyUpdate'; requestUpdate: number }
  /** RFC 5246 §7.4.1.1: a TLS 1.2 server asks the client to start a new handshake (renegotiation). Empty. */
  | { type: 'HelloRequest' }
  /** RFC 5246 §7.1: one byte, 1. */
  | { type: 'ChangeCipherSpec' }
  /**
   * A protected record (RFC 5246 §6.2.3.3, RFC 8446 §5.2), as the wire shows it: its outer
   * content type and the fragment (TLS 1.2: the 8-byte explicit nonce, then ciphertext and tag;
   * TLS 1.3: ciphertext and tag, the real type inside). The sequence number is never sent.
   */
  | { type: 'EncryptedRecord'; contentType: RecordContentType; fragment: Uint8Array }
  /** RFC 8446 §6: close_notify and user_canceled are warnings (TLS 1.2's no_renegotiation too), every other alert is fatal. */
  | { type: 'Alert'; description: AlertDescription }
  /** Level 3 (the game's own): the session key sealed to the server's bare X25519 key. */
  | { type: 'SealedKey'; ephemeralPublicKey: Uint8Array; nonce: Uint8Array; sealedSecret: Uint8Array }
  | { type: 'CertificateRequest'; csr: CertificateSigningRequest }
  /** `chain`: the CA certificates from its issuer up to (not including) a root browsers trust (RFC 8555 §7.4.2's certificate chain). */
  | { type: 'CertificateIssued'; certificate: Certificate; chain: Certificate[] }
  | { type: 'CertificateRefused'; subject: string; reason: string };

export type MessageType = Message['type'];
export type MessageOf<T extends MessageType> = Extract<Message, { type: T }>;

