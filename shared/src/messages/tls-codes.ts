/**
 * The TLS registries the game's records use, each number declared once with a line for the
 * inspector: record content types (RFC 8446 §5.1, RFC 5246 §6.2.1), handshake types (RFC 8446
 * §4, RFC 5246 §7.4), extensions (RFC 8446 §4.2, RFC 6066, RFC 4492/8422, RFC 5746), named
 * groups (RFC 8446 §4.2.7), signature schemes (RFC 8446 §4.2.3) and protocol versions.
 */
import { CodeTable, type NameOf } from './codes.ts';

export const CONTENT_TYPES = new CodeTable('record content type', {
  changeCipherSpec: { code: 20, explain: 'change_cipher_spec (20): "from my next record on, I encrypt" (TLS 1.2); in TLS 1.3 only sent for middleboxes, and ignored' },
  alert: { code: 21, explain: 'alert (21): a party reports a problem, or says it is closing' },
  handshake: { code: 22, explain: 'handshake (22): a handshake message (encrypted after ChangeCipherSpec in TLS 1.2)' },
  applicationData: { code: 23, explain: 'application_data (23): encrypted data — in TLS 1.3 every encrypted record says this, the real type is inside' },
});
export type RecordContentType = NameOf<typeof CONTENT_TYPES>;

export const HANDSHAKE_TYPES = new CodeTable('handshake type', {
  HelloRequest: { code: 0, explain: 'hello_request (0): TLS 1.2, the server asks for a new handshake on this connection (renegotiation); the game declines' },
  ClientHello: { code: 1, explain: 'client_hello (1): the client opens a handshake' },
  ServerHello: { code: 2, explain: 'server_hello (2): the server answers and picks a cipher suite' },
  NewSessionTicket: { code: 4, explain: 'new_session_ticket (4): TLS 1.3, after the handshake the server hands the client a ticket: with it the client can come back later and skip the certificate (resumption with a pre-shared key, RFC 8446 §4.6.1)' },
  EndOfEarlyData: { code: 5, explain: 'end_of_early_data (5): TLS 1.3, the client says its 0-RTT early data is over; from here on it writes under the handshake keys (RFC 8446 §4.5)' },
  EncryptedExtensions: { code: 8, explain: 'encrypted_extensions (8): TLS 1.3, the server’s extensions that need not travel in the clear' },
  Certificate: { code: 11, explain: "certificate (11): the server's certificate (chain), signed by a CA — anyone can read it; any change breaks the signature" },
  ServerKeyExchange: { code: 12, explain: "server_key_exchange (12): TLS 1.2 ECDHE, the server's one-time key share, signed with its certificate's key over both randoms and the share (RFC 8422 §5.4)" },
  CertificateStatus: { code: 22, explain: 'certificate_status (22): TLS 1.2, the CA’s OCSP answer on the server’s certificate, fetched by the server and sent after it (OCSP stapling, RFC 6066 §8) — so the browser need not ask the CA itself' },
  ServerHelloDone: { code: 14, explain: 'server_hello_done (14): TLS 1.2, the server’s first flight is over' },
  // RFC 8446 §4.4.3 (every TLS 1.3 server); RFC 5246 §7.4.8 (a TLS 1.2 client with a certificate).
  CertificateVerify: { code: 15, explain: 'certificate_verify (15): a signature over the handshake so far with the certificate’s private key, proof of holding it. A TLS 1.3 server always sends one; in TLS 1.2 only a client that shows a certificate does' },
  ClientKeyExchange: { code: 16, explain: "client_key_exchange (16): TLS 1.2, the client's part of the key exchange" },
  Finished: { code: 20, explain: 'finished (20): a MAC over the whole handshake, keyed from the session secret: a change to any earlier handshake message shows here, if nothing caught it sooner' },
  KeyUpdate: { code: 24, explain: 'key_update (24): TLS 1.3, from the next record on the sender encrypts under fresh keys derived from its last ones, so a long session never uses one key for too much data' },
});
export type HandshakeType = NameOf<typeof HANDSHAKE_TYPES>;
/** RFC 8446 §4.4.1: the handshake type of the synthetic message that stands for ClientHello1 in the transcript after a HelloRetryRequest (never sent). */
export const MESSAGE_HASH = 254;

export const EXTENSION_TYPES = new CodeTable('extension', {
  server_name: { code: 0, explain: 'server_name (SNI, RFC 6066 §3): the site the client wants — in the clear, so anyone on the path sees it' },
  status_request: {
    code: 5,
    explain:
      'status_request (RFC 6066 §8, RFC 8446 §4.4.2.1): in a ClientHello, "send me the CA’s OCSP answer on your certificate" (OCSP stapling); in TLS 1.3 the server puts that answer, signed by the CA, in its certificate’s entry — so the browser need not ask the CA itself',
  },
  supported_groups: { code: 10, explain: 'supported_groups (RFC 8446 §4.2.7): the key-exchange groups the client speaks (x25519, secp256r1, …)' },
  ec_point_formats: { code: 11, explain: 'ec_point_formats (RFC 8422 §5.1.2): TLS 1.2 ECDHE, points sent uncompressed' },
  signature_algorithms: { code: 13, explain: 'signature_algorithms (RFC 8446 §4.2.3): the signatures the client can check (ecdsa_secp256r1_sha256, …)' },
  extended_master_secret: {
    code: 23,
    explain:
      'extended_master_secret (RFC 7627, TLS 1.2): the master secret is made from a hash of every handshake message up to the key exchange (the session hash), not from the two randoms alone — so it belongs to this handshake and no other. Without it, a man in the middle could steer two sessions to the same master secret, the triple-handshake attack (2014)',
  },
  pre_shared_key: {
    code: 41,
    explain:
      'pre_shared_key (RFC 8446 §4.2.11): the client offers a ticket from an earlier session (its identity) and a binder, a MAC over this ClientHello keyed from the ticket’s secret; the server answers with the one it accepts. Always the last extension of a ClientHello',
  },
  early_data: {
    code: 42,
    explain:
      'early_data (RFC 8446 §4.2.10): in a ClientHello, "I am sending data before the handshake ends (0-RTT)"; in EncryptedExtensions, the server accepted it; in a NewSessionTicket, how much a client may send that way. Early data is not protected against replay (§8)',
  },
  supported_versions: { code: 43, explain: 'supported_versions (RFC 8446 §4.2.1): the real version; the version fields elsewhere stay 0x0303 (TLS 1.2) so old middleboxes pass TLS 1.3 through' },
  cookie: { code: 44, explain: 'cookie (RFC 8446 §4.2.2): a value a HelloRetryRequest may carry and the second ClientHello must echo — a server can keep its state in it instead of in memory' },
  psk_key_exchange_modes: { code: 45, explain: 'psk_key_exchange_modes (RFC 8446 §4.2.9): how a ticket may be used: psk_ke (0, the ticket’s key alone: no forward secrecy) or psk_dhe_ke (1, with a fresh key exchange too)' },
  key_share: { code: 51, explain: 'key_share (RFC 8446 §4.2.8): one-time Diffie-Hellman public keys; with the other side’s they make a secret no onlooker can compute' },
  renegotiation_info: { code: 0xff01, explain: 'renegotiation_info (RFC 5746): TLS 1.2 secure renegotiation; empty on a first handshake' },
});
export type ExtensionName = NameOf<typeof EXTENSION_TYPES>;

export const NAMED_GROUPS = new CodeTable<'x25519' | 'secp256r1' | 'secp384r1' | 'secp521r1' | 'x448' | 'X25519MLKEM768'>('named group', {
  secp256r1: { code: 0x0017, explain: 'secp256r1 (P-256): ECDH on the NIST P-256 curve' },
  secp384r1: { code: 0x0018, explain: 'secp384r1 (P-384)' },
  secp521r1: { code: 0x0019, explain: 'secp521r1 (P-521)' },
  x25519: { code: 0x001d, explain: 'x25519: ECDH on Curve25519 (RFC 7748)' },
  x448: { code: 0x001e, explain: 'x448 (RFC 7748)' },
  X25519MLKEM768: {
    code: 0x11ec,
    explain: 'X25519MLKEM768 (draft-ietf-tls-ecdhe-mlkem): hybrid post-quantum key exchange, ML-KEM-768 (FIPS 203) beside X25519 — the key takes both secrets, so it stays safe while either holds; what Chrome, Firefox and Safari offer first today',
  },
});
export const GROUP = { x25519: 0x001d, secp256r1: 0x0017, x25519MlKem768: 0x11ec } as const;

export const SIGNATURE_SCHEMES = new CodeTable<'rsa_pkcs1_sha256' | 'ecdsa_secp256r1_sha256' | 'rsa_pss_rsae_sha256' | 'ed25519'>('signature scheme', {
  rsa_pkcs1_sha256: { code: 0x0401, explain: 'rsa_pkcs1_sha256: RSA PKCS #1 v1.5 with SHA-256' },
  ecdsa_secp256r1_sha256: { code: 0x0403, explain: 'ecdsa_secp256r1_sha256: ECDSA on P-256 with SHA-256 — what the game signs with' },
  rsa_pss_rsae_sha256: { code: 0x0804, explain: 'rsa_pss_rsae_sha256: RSA-PSS with SHA-256' },
  ed25519: { code: 0x0807, explain: 'ed25519 (RFC 8032)' },
});
export const SCHEME = { ecdsaP256Sha256: 0x0403, rsaPkcs1Sha256: 0x0401 } as const;

export const PROTOCOL_VERSIONS = new CodeTable<'TLS 1.0' | 'TLS 1.1' | 'TLS 1.2' | 'TLS 1.3'>('protocol version', {
  'TLS 1.0': { code: 0x0301, explain: 'TLS 1.0 (0x0301)' },
  'TLS 1.1': { code: 0x0302, explain: 'TLS 1.1 (0x0302)' },
  'TLS 1.2': { code: 0x0303, explain: 'TLS 1.2 (0x0303); TLS 1.3 also writes it here and says its real version in supported_versions' },
  'TLS 1.3': { code: 0x0304, explain: 'TLS 1.3 (0x0304)' },
});
export const TLS12 = 0x0303;
export const TLS13 = 0x0304;

/** A number shown with its registry name, e.g. "x25519 (0x001d)". */
export function showCode(table: CodeTable<string>, code: number, width = 2): string {
  const name = table.name(code);
  const hex = `0x${code.toString(16).padStart(width * 2, '0')}`;
  return name ? `${name} (${hex})` : hex;
}
